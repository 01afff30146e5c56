// SPDX-License-Identifier: GPL-2.0
/*
 * Type inference. The type variables are the symbols (a scalar's value,
 * an array's elements and each of its index columns) and the results of
 * user functions; every expression's type follows from them. Each walk
 * over all bodies fixes the types it can (a type, once fixed, never
 * changes) until a walk fixes nothing. Types still unknown then are
 * defaulted to long, the results propagated, and a last walk prints the
 * conflicts: doing it only once, on final types, reports every conflict
 * once, at the site that disagrees with where the type was first fixed.
 */
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "elab_internal.h"
#include "../stdlib/builtins.h"

/* Walks are bounded: each one fixes a type or ends the loop, but a bug
 * must not hang the compiler. */
#define TY_MAX_WALKS 10000
#define TY_MAX_FORMAT 64

static enum bt_type ty_expr(struct elab_ctx *c, struct bt_expr *e);
static void ty_stmt(struct elab_ctx *c, struct bt_stmt *st);

static const char *tname(enum bt_type t)
{
	switch (t) {
	case BT_LONG: return "long";
	case BT_STRING: return "string";
	case BT_STATS: return "stats";
	case BT_VOID: return "void";
	default: return "unknown";
	}
}

static bool is_array(const struct bt_sym *sym)
{
	return sym && elab_sym((struct bt_sym *)sym)->is_array;
}

static void sym_fix(struct elab_ctx *c, struct bt_sym *sym, enum bt_type t,
		    const struct bt_loc *loc)
{
	if (!sym || sym->type != BT_UNKNOWN || t == BT_UNKNOWN ||
	    t == BT_VOID)
		return;
	/* Only globals hold statistics; elaboration said so already. */
	if (t == BT_STATS && sym->kind != SYM_GLOBAL)
		return;
	sym->type = t;
	sym->type_loc = *loc;
	c->changed = true;
}

static void ty_demand(struct elab_ctx *c, struct bt_expr *e,
		      enum bt_type want, const char *why);

/* Push a type into an expression of unknown type. */
static void ty_fix(struct elab_ctx *c, struct bt_expr *e, enum bt_type t,
		   const char *why)
{
	struct bt_func *f = e->func;
	int idx;

	switch (e->kind) {
	case E_VAR:
		if (!is_array(e->sym))
			sym_fix(c, e->sym, t, &e->loc);
		break;
	case E_INDEX:
		sym_fix(c, e->sym, t, &e->loc);
		break;
	case E_CALL:
		if (!f || f->ret_type != BT_UNKNOWN || t == BT_STATS)
			break;
		f->ret_type = t;
		idx = f->index;
		c->fns[idx].ret_loc = e->loc;
		c->changed = true;
		break;
	case E_TERNARY:
		ty_demand(c, e->left, t, why);
		ty_demand(c, e->right, t, why);
		break;
	case E_ASSIGN:
		if (e->op == OP_NONE) {
			ty_demand(c, e->left, t, why);
			ty_demand(c, e->right, t, why);
		}
		break;
	default:
		return;
	}
	e->type = t;
}

static void ty_mismatch(struct elab_ctx *c, struct bt_expr *e,
			enum bt_type want, const char *why)
{
	struct bt_sym *sym = e->sym;
	int idx;

	/* A local fed with <<< was reported while resolving. */
	if (want == BT_STATS && sym && sym->kind != SYM_GLOBAL)
		return;
	if ((e->kind == E_VAR || e->kind == E_INDEX) && sym) {
		elab_error(c, &e->loc, "type mismatch for '%s': %s here, but "
			   "%s elsewhere", sym->name, tname(want),
			   tname(sym->type));
		diag_note(&sym->type_loc, "'%s' was given type %s here",
			  sym->name, tname(sym->type));
	} else if (e->kind == E_CALL && e->func) {
		elab_error(c, &e->loc, "type mismatch for the result of '%s': "
			   "%s here, but %s elsewhere", e->func->name,
			   tname(want), tname(e->func->ret_type));
		idx = e->func->index;
		diag_note(&c->fns[idx].ret_loc, "the result of '%s' "
			  "was given type %s here", e->func->name,
			  tname(e->func->ret_type));
	} else {
		elab_error(c, &e->loc, "type mismatch: %s needs %s, but this "
			   "is %s", why, tname(want), tname(e->type));
	}
}

/* The context of e wants type `want`. */
static void ty_demand(struct elab_ctx *c, struct bt_expr *e,
		      enum bt_type want, const char *why)
{
	if (!e || want == BT_UNKNOWN || e->type == want)
		return;
	if (e->type == BT_UNKNOWN)
		ty_fix(c, e, want, why);
	else if (c->report)
		ty_mismatch(c, e, want, why);
}

static bool has_tvar(const struct bt_expr *e)
{
	return ((e->kind == E_VAR || e->kind == E_INDEX) && e->sym) ||
	       (e->kind == E_CALL && e->func);
}

/* Both expressions must have the same type (=, ==, ?: branches). */
static void ty_unify(struct elab_ctx *c, struct bt_expr *a,
		     struct bt_expr *b, const char *why)
{
	if (!a || !b || a->type == b->type)
		return;
	if (a->type == BT_UNKNOWN) {
		ty_fix(c, a, b->type, why);
		return;
	}
	if (b->type == BT_UNKNOWN) {
		ty_fix(c, b, a->type, why);
		return;
	}
	if (!c->report)
		return;
	/* Blame a variable rather than a literal: it has a history. */
	if (has_tvar(a) || !has_tvar(b))
		ty_mismatch(c, a, b->type, why);
	else
		ty_mismatch(c, b, a->type, why);
}

static void void_value(struct elab_ctx *c, struct bt_expr *e)
{
	if (e->kind == E_CALL && e->func)
		elab_error(c, &e->loc, "function '%s' does not return a "
			   "value", e->func->name);
	else if (e->kind == E_CALL)
		elab_error(c, &e->loc, "'%s' does not return a value",
			   e->name);
	else
		elab_error(c, &e->loc, "this expression has no value");
}

/* An expression whose value is used. */
static enum bt_type ty_value(struct elab_ctx *c, struct bt_expr *e)
{
	enum bt_type t = ty_expr(c, e);

	if (t != BT_VOID && t != BT_STATS)
		return t;
	if (c->report && t == BT_VOID)
		void_value(c, e);
	if (c->report && t == BT_STATS)
		elab_error(c, &e->loc, "'%s' is a statistics aggregate: read "
			   "it with @count, @sum, @min, @max, @avg or "
			   "@variance", e->sym ? e->sym->name : "this");
	e->type = BT_UNKNOWN;
	return BT_UNKNOWN;
}

static enum bt_type ty_var(struct elab_ctx *c, struct bt_expr *e)
{
	struct bt_sym *sym = e->sym;

	if (!sym)
		return BT_UNKNOWN;
	if (is_array(sym)) {
		if (c->report) {
			elab_error(c, &e->loc, "'%s' is an array: it needs an "
				   "index here", sym->name);
			diag_note(&elab_sym(sym)->array_loc, "'%s' is used "
				  "as an array here", sym->name);
		}
		return BT_UNKNOWN;
	}
	return sym->type;
}

static void ty_key_mismatch(struct elab_ctx *c, struct bt_sym *sym, int i,
			    struct bt_expr *k)
{
	elab_error(c, &k->loc, "type mismatch for index %d of '%s': %s here, "
		   "but %s elsewhere", i + 1, sym->name, tname(k->type),
		   tname(sym->keys[i]));
	diag_note(&elab_sym(sym)->key_loc[i], "index %d of '%s' was given "
		  "type %s here", i + 1, sym->name, tname(sym->keys[i]));
}

/* One index column of an array and the expression used for it. */
static void ty_key(struct elab_ctx *c, struct bt_sym *sym, int i,
		   struct bt_expr *k)
{
	enum bt_type *kt = &sym->keys[i];

	if (*kt == k->type)
		return;
	if (*kt == BT_UNKNOWN) {
		*kt = k->type;
		elab_sym(sym)->key_loc[i] = k->loc;
		c->changed = true;
	} else if (k->type == BT_UNKNOWN) {
		ty_fix(c, k, *kt, "an array index");
	} else if (c->report) {
		ty_key_mismatch(c, sym, i, k);
	}
}

static void ty_keys(struct elab_ctx *c, struct bt_sym *sym,
		    struct bt_expr *keys)
{
	int i = 0;

	for (struct bt_expr *k = keys; k; k = k->next, i++) {
		if (k->kind == E_WILDCARD)	/* any value */
			continue;
		ty_value(c, k);
		if (sym && i < sym->nkeys && i < BT_MAX_KEYS)
			ty_key(c, sym, i, k);
	}
}

static enum bt_type ty_binary(struct elab_ctx *c, struct bt_expr *e)
{
	char why[48];

	snprintf(why, sizeof(why), "operator '%s'", ast_op_str(e->op));
	ty_value(c, e->left);
	ty_value(c, e->right);
	switch (e->op) {
	case OP_CONCAT:
		ty_demand(c, e->left, BT_STRING, why);
		ty_demand(c, e->right, BT_STRING, why);
		return BT_STRING;
	case OP_LT: case OP_GT: case OP_LE: case OP_GE:
	case OP_EQ: case OP_NE:
		ty_unify(c, e->left, e->right, why);
		return BT_LONG;
	case OP_MATCH: case OP_NMATCH:
		/* The regex is compiled with the script: a literal only. */
		ty_demand(c, e->left, BT_STRING, why);
		if (e->right && e->right->kind != E_STR && c->report)
			elab_error(c, &e->right->loc, "the right side of "
				   "'%s' must be a string literal (a regular "
				   "expression)", ast_op_str(e->op));
		return BT_LONG;
	default:
		ty_demand(c, e->left, BT_LONG, why);
		ty_demand(c, e->right, BT_LONG, why);
		return BT_LONG;
	}
}

static enum bt_type ty_assign(struct elab_ctx *c, struct bt_expr *e)
{
	char why[48];

	snprintf(why, sizeof(why), "operator '%s='",
		 e->op == OP_NONE ? "" : ast_op_str(e->op));
	ty_expr(c, e->left);
	switch (e->op) {
	case OP_NONE:
		ty_value(c, e->right);
		ty_unify(c, e->left, e->right, "assignment");
		if (e->left && e->left->type != BT_UNKNOWN)
			return e->left->type;
		return e->right ? e->right->type : BT_UNKNOWN;
	case OP_AGG:
		ty_demand(c, e->left, BT_STATS, "operator '<<<'");
		ty_value(c, e->right);
		ty_demand(c, e->right, BT_LONG, "operator '<<<'");
		return BT_VOID;
	case OP_CONCAT:
		ty_demand(c, e->left, BT_STRING, why);
		ty_value(c, e->right);
		ty_demand(c, e->right, BT_STRING, why);
		return BT_STRING;
	default:
		ty_demand(c, e->left, BT_LONG, why);
		ty_value(c, e->right);
		ty_demand(c, e->right, BT_LONG, why);
		return BT_LONG;
	}
}

static void ty_param(struct elab_ctx *c, struct bt_expr *e, int i,
		     struct bt_expr *a, struct bt_sym *p)
{
	if (a->type == p->type)
		return;
	if (p->type == BT_UNKNOWN) {
		sym_fix(c, p, a->type, &a->loc);
	} else if (a->type == BT_UNKNOWN) {
		ty_fix(c, a, p->type, "a parameter");
	} else if (c->report) {
		elab_error(c, &a->loc, "type mismatch for argument %d of "
			   "'%s': %s here, but parameter '%s' is %s", i + 1,
			   e->func->name, tname(a->type), p->name,
			   tname(p->type));
		diag_note(&p->type_loc, "'%s' was given type %s here",
			  p->name, tname(p->type));
	}
}

/* The overloads a call may run give one result: their types agree. */
static void ty_overload_result(struct elab_ctx *c, struct bt_func *head)
{
	for (struct bt_func *f = head->overload; f; f = f->overload) {
		struct bt_func *from = f->ret_type != BT_UNKNOWN ? f : head;
		struct bt_func *to = from == f ? head : f;

		if (from->ret_type == BT_UNKNOWN || to->ret_type ==
		    from->ret_type)
			continue;
		if (to->ret_type == BT_UNKNOWN) {
			to->ret_type = from->ret_type;
			c->fns[to->index].ret_loc = c->fns[from->index].ret_loc;
			c->changed = true;
		} else if (c->report) {
			elab_error(c, &f->loc, "the overloads of '%s' return "
				   "%s and %s", f->name,
				   tname(head->ret_type), tname(f->ret_type));
			diag_note(&head->loc, "the first one is here");
		}
	}
}

static enum bt_type ty_call_user(struct elab_ctx *c, struct bt_expr *e)
{
	int i = 0;

	for (struct bt_expr *a = e->args; a; a = a->next)
		ty_value(c, a);
	for (struct bt_func *f = e->func; f; f = f->overload) {
		struct bt_param *p = f->params;

		i = 0;
		for (struct bt_expr *a = e->args; a && p; a = a->next, i++) {
			if (p->sym)
				ty_param(c, e, i, a, p->sym);
			p = p->next;
		}
	}
	ty_overload_result(c, e->func);
	return e->func->ret_type;
}

static enum bt_type ty_call_builtin(struct elab_ctx *c, struct bt_expr *e)
{
	const struct bt_builtin *b = e->builtin;
	enum bt_type fmt[TY_MAX_FORMAT], want;
	int nfmt = -1, i = 0;
	char bad, why[64];

	if (b->literal_format && e->args && e->args->kind == E_STR)
		nfmt = elab_format_args(e->args->str, e->args->len, fmt,
					TY_MAX_FORMAT, &bad);
	for (struct bt_expr *a = e->args; a; a = a->next, i++) {
		if (a->kind == E_HIST && !a->keys) {	/* drawn */
			ty_expr(c, a);
			continue;
		}
		ty_value(c, a);
		want = BT_UNKNOWN;
		if (i < BI_MAX_ARGS && (b->max_args >= 0 || i < b->min_args))
			want = b->args[i];
		else if (i >= 1 && i - 1 < nfmt && i - 1 < TY_MAX_FORMAT)
			want = fmt[i - 1];
		snprintf(why, sizeof(why), "argument %d of '%s'", i + 1,
			 b->name);
		ty_demand(c, a, want, why);
	}
	return b->ret;
}

static enum bt_type ty_call(struct elab_ctx *c, struct bt_expr *e)
{
	if (e->func)
		return ty_call_user(c, e);
	if (e->builtin)
		return ty_call_builtin(c, e);
	for (struct bt_expr *a = e->args; a; a = a->next)
		ty_value(c, a);
	return BT_UNKNOWN;
}

/* @count(x), @hist_log(x), ...: x is a statistics aggregate. */
static void ty_stat(struct elab_ctx *c, struct bt_expr *e)
{
	const char *what = e->kind == E_HIST ? "@hist" : "@count/@sum/...";

	if (e->left) {
		ty_expr(c, e->left);
		ty_demand(c, e->left, BT_STATS, what);
	}
	for (struct bt_expr *a = e->args; a; a = a->next) {
		ty_value(c, a);
		ty_demand(c, a, BT_LONG, "@hist_linear");
	}
}

static enum bt_type ty_ternary(struct elab_ctx *c, struct bt_expr *e)
{
	ty_value(c, e->cond);
	ty_demand(c, e->cond, BT_LONG, "the condition of '?:'");
	ty_value(c, e->left);
	ty_value(c, e->right);
	ty_unify(c, e->left, e->right, "the branches of '?:'");
	if (e->left && e->left->type != BT_UNKNOWN)
		return e->left->type;
	return e->right ? e->right->type : BT_UNKNOWN;
}

static enum bt_type ty_expr_kind(struct elab_ctx *c, struct bt_expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return BT_LONG;
	case E_STR:
		return BT_STRING;
	case E_VAR:
		return ty_var(c, e);
	case E_INDEX:
		ty_keys(c, e->sym, e->keys);
		return e->sym ? e->sym->type : BT_UNKNOWN;
	case E_IN:
		ty_keys(c, e->sym, e->keys);
		return BT_LONG;
	case E_BINARY:
		return ty_binary(c, e);
	case E_UNARY:
		ty_value(c, e->left);
		ty_demand(c, e->left, BT_LONG, "a unary operator");
		return BT_LONG;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		ty_expr(c, e->left);
		ty_demand(c, e->left, BT_LONG, "operator '++'/'--'");
		return BT_LONG;
	case E_ASSIGN:
		return ty_assign(c, e);
	case E_TERNARY:
		return ty_ternary(c, e);
	case E_CALL:
		return ty_call(c, e);
	case E_STAT:
		ty_stat(c, e);
		return BT_LONG;
	case E_HIST:
		ty_stat(c, e);
		if (!e->keys)
			return BT_VOID;
		ty_value(c, e->keys);
		ty_demand(c, e->keys, BT_LONG, "a histogram bucket number");
		return BT_LONG;
	case E_TARGET:
		for (struct bt_expr *m = e->members; m; m = m->next)
			if (m->kind == E_INDEX) {
				ty_expr(c, m->keys);
				ty_demand(c, m->keys, BT_LONG, "an index");
			}
		/* Typed when resolved, from the tracefs format file
		 * (elab_trace.c); $$vars are pretty-printed strings. */
		if (e->type != BT_UNKNOWN)
			return e->type;
		return e->name && !strncmp(e->name, "$$", 2) ? BT_STRING :
		       BT_LONG;
	case E_DEFINED:
		return BT_LONG;
	case E_CAST:
		/* a number, a pointer or an array's address: a long */
		ty_expr(c, e->left);
		ty_demand(c, e->left, BT_LONG, "@cast");
		for (struct bt_expr *m = e->members; m; m = m->next)
			if (m->kind == E_INDEX) {
				ty_expr(c, m->keys);
				ty_demand(c, m->keys, BT_LONG, "an index");
			}
		return BT_LONG;
	case E_WILDCARD:
		return BT_UNKNOWN;
	}
	return BT_UNKNOWN;
}

static enum bt_type ty_expr(struct elab_ctx *c, struct bt_expr *e)
{
	if (!e || !elab_enter(c, &e->loc))
		return BT_UNKNOWN;
	e->type = ty_expr_kind(c, e);
	elab_leave(c);
	return e->type;
}

static void ty_cond(struct elab_ctx *c, struct bt_expr *e)
{
	ty_value(c, e);
	ty_demand(c, e, BT_LONG, "a condition");
}

/* A foreach variable takes the type of its array's column or value. */
static void ty_loop_var(struct elab_ctx *c, struct bt_expr *v,
			struct bt_sym *arr, int col)
{
	enum bt_type *at = col >= 0 ? &arr->keys[col] : &arr->type;

	ty_expr(c, v);
	if (*at == v->type)
		return;
	if (*at == BT_UNKNOWN) {
		if (col >= 0) {
			*at = v->type;
			elab_sym(arr)->key_loc[col] = v->loc;
			c->changed = true;
		} else {
			sym_fix(c, arr, v->type, &v->loc);
		}
	} else if (v->type == BT_UNKNOWN) {
		if (*at != BT_STATS)
			ty_fix(c, v, *at, "foreach");
	} else if (c->report && *at != BT_STATS) {
		ty_mismatch(c, v, *at, "foreach");
	}
}

static void ty_foreach(struct elab_ctx *c, struct bt_stmt *st)
{
	struct bt_sym *arr = st->array ? st->array->sym : NULL;
	int i = 0;

	if (st->hist) {		/* the bucket numbers */
		ty_stat(c, st->hist);
		if (st->keys && st->keys->sym)
			sym_fix(c, st->keys->sym, BT_LONG, &st->keys->loc);
		ty_stmt(c, st->body);
		return;
	}
	for (struct bt_expr *k = st->keys; k; k = k->next, i++)
		if (arr && k->sym && i < arr->nkeys && i < BT_MAX_KEYS)
			ty_loop_var(c, k, arr, i);
	if (arr && st->value_var && st->value_var->sym) {
		ty_loop_var(c, st->value_var, arr, -1);
		if (c->report && arr->type == BT_STATS)
			elab_error(c, &st->value_var->loc, "the value of "
				   "statistics array '%s' cannot be bound "
				   "in foreach", arr->name);
	}
	if (arr && st->sort_stat && c->report && arr->type != BT_STATS)
		elab_error(c, &st->array->loc, "foreach sorts by %s, but '%s' "
			   "is not an array of aggregates",
			   ast_stat_str(st->sort_stat - 1), arr->name);
	ty_keys(c, arr, st->slice);
	if (st->limit)
		ty_cond(c, st->limit);
	ty_stmt(c, st->body);
}

static void ty_return(struct elab_ctx *c, struct bt_stmt *st)
{
	struct elab_fn *fn = &c->fns[c->fn];
	struct bt_func *f = fn->f;
	struct bt_expr *e = st->expr;

	ty_value(c, e);
	if (e->type == f->ret_type)
		return;
	if (f->ret_type == BT_UNKNOWN) {
		f->ret_type = e->type;
		fn->ret_loc = e->loc;
		c->changed = true;
	} else if (e->type == BT_UNKNOWN) {
		ty_fix(c, e, f->ret_type, "return");
	} else if (c->report) {
		elab_error(c, &e->loc, "type mismatch for the result of '%s': "
			   "%s here, but %s elsewhere", f->name,
			   tname(e->type), tname(f->ret_type));
		diag_note(&fn->ret_loc, "the result of '%s' was given type %s "
			  "here", f->name, tname(f->ret_type));
	}
}

static void ty_stmt_kind(struct elab_ctx *c, struct bt_stmt *st)
{
	switch (st->kind) {
	case S_BLOCK:
		for (struct bt_stmt *b = st->body; b; b = b->next)
			ty_stmt(c, b);
		break;
	case S_EXPR:
		ty_expr(c, st->expr);
		break;
	case S_IF:
		ty_cond(c, st->cond);
		ty_stmt(c, st->body);
		ty_stmt(c, st->else_body);
		break;
	case S_WHILE:
		ty_cond(c, st->cond);
		ty_stmt(c, st->body);
		break;
	case S_FOR:
		ty_stmt(c, st->init);
		if (st->cond)
			ty_cond(c, st->cond);
		ty_expr(c, st->step);
		ty_stmt(c, st->body);
		break;
	case S_FOREACH:
		ty_foreach(c, st);
		break;
	case S_RETURN:
		if (c->fn >= 0 && st->expr)
			ty_return(c, st);
		break;
	case S_DELETE:
		if (st->expr && st->expr->kind == E_INDEX)
			ty_expr(c, st->expr);
		else if (st->expr && st->expr->sym)
			st->expr->type = st->expr->sym->type;
		break;
	case S_TRY:
		ty_stmt(c, st->body);
		if (st->catch_var && st->catch_var->sym) {
			ty_expr(c, st->catch_var);
			ty_demand(c, st->catch_var, BT_STRING, "catch");
		}
		ty_stmt(c, st->else_body);
		break;
	default:
		break;
	}
}

static void ty_stmt(struct elab_ctx *c, struct bt_stmt *st)
{
	if (!st || !elab_enter(c, &st->loc))
		return;
	ty_stmt_kind(c, st);
	elab_leave(c);
}

static void ty_walk(struct elab_ctx *c)
{
	c->changed = false;
	for (int i = 0; i < c->nfns; i++) {
		if (!c->fns[i].active)
			continue;
		c->fn = i;
		c->probe = NULL;
		ty_stmt(c, c->fns[i].f->body);
	}
	c->fn = -1;
	for (struct bt_probe *p = c->s->probes; p; p = p->next) {
		if (p->alias_names)
			continue;
		c->probe = p;
		ty_stmt(c, p->body);
	}
	c->probe = NULL;
}

static void ty_fixpoint(struct elab_ctx *c)
{
	int n = 0;

	do
		ty_walk(c);
	while (c->changed && ++n < TY_MAX_WALKS);
}

/*
 * What nothing constrains becomes long. stap would report "unresolved
 * type" instead; a variable that is only printed with print(), or only
 * incremented through a parameter, is far more often meant as a number
 * than an error, and long is what stapbpf and bpftrace assume too.
 */
static void default_sym(struct bt_sym *sym)
{
	if (sym->type == BT_UNKNOWN) {
		sym->type = BT_LONG;
		sym->type_loc = sym->loc;
	}
	for (int i = 0; i < sym->nkeys && i < BT_MAX_KEYS; i++) {
		if (sym->keys[i] != BT_UNKNOWN)
			continue;
		sym->keys[i] = BT_LONG;
		elab_sym(sym)->key_loc[i] = sym->loc;
	}
}

static void default_locals(struct bt_sym *l)
{
	for (; l; l = l->next)
		default_sym(l);
}

static void ty_defaults(struct elab_ctx *c)
{
	for (struct bt_sym *g = c->s->global_syms; g; g = g->next)
		if (g->read || g->written)
			default_sym(g);
	for (int i = 0; i < c->nfns; i++) {
		struct elab_fn *fn = &c->fns[i];

		if (!fn->active)
			continue;
		default_locals(fn->f->locals);
		if (fn->f->ret_type == BT_UNKNOWN) {
			fn->f->ret_type = BT_LONG;
			fn->ret_loc = fn->f->loc;
		}
	}
	for (struct bt_probe *p = c->s->probes; p; p = p->next)
		if (!p->alias_names)
			default_locals(p->locals);
}

void elab_types(struct elab_ctx *c)
{
	c->report = false;
	ty_fixpoint(c);
	ty_defaults(c);
	ty_fixpoint(c);
	c->report = true;
	ty_walk(c);
	c->report = false;
}

/* ---- printf formats ---- */

static void fmt_add(enum bt_type *types, int max, int *n, enum bt_type t)
{
	if (types && *n < max)
		types[*n] = t;
	(*n)++;
}

static bool in_set(char ch, const char *set)
{
	return ch && strchr(set, ch);
}

int elab_format_args(const char *fmt, size_t len, enum bt_type *types,
		     int max, char *bad)
{
	size_t i = 0;
	int n = 0;

	*bad = 0;
	for (i = 0; i < len; i++) {
		if (fmt[i] != '%')
			continue;
		if (++i < len && fmt[i] == '%')
			continue;
		/* stap 4.8 reads one flag; what follows is the width */
		if (i < len && in_set(fmt[i], "-+ 0#"))
			i++;
		if (i < len && fmt[i] == '*') {
			fmt_add(types, max, &n, BT_LONG);
			i++;
		} else {
			while (i < len && fmt[i] >= '0' && fmt[i] <= '9')
				i++;
		}
		if (i < len && fmt[i] == '.') {
			if (++i < len && fmt[i] == '*') {
				fmt_add(types, max, &n, BT_LONG);
				i++;
			} else {
				while (i < len && fmt[i] >= '0' &&
				       fmt[i] <= '9')
					i++;
			}
		}
		/* stap takes one 'l' (and no other length modifier),
		 * which means nothing: every number is 64-bit */
		if (i < len && fmt[i] == 'l')
			i++;
		if (i >= len)
			return -1;
		if (in_set(fmt[i], "diuxXocp")) {
			fmt_add(types, max, &n, BT_LONG);
		} else if (fmt[i] == 's') {
			fmt_add(types, max, &n, BT_STRING);
		} else {
			*bad = fmt[i];
			return -1;
		}
	}
	return n;
}
