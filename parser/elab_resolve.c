// SPDX-License-Identifier: GPL-2.0
/*
 * Elaboration: resolution of names and calls in probe and function
 * bodies, and the checks that need no types (arity, where `return`,
 * `next`, `break` may be, arrays that must be global, context variables
 * the probe offers). Also records what the type pass needs: whether each
 * global is read or written, array index counts, the call graph.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "elab_internal.h"
#include "../stdlib/builtins.h"

enum res_role {
	R_READ,		/* the value is used */
	R_WRITE,	/* plain assignment target */
	R_UPDATE,	/* ++, --, op=, <<<: written, not read (auto-print) */
};

static void res_expr(struct elab_ctx *c, struct bt_expr *e);
static void res_stmt(struct elab_ctx *c, struct bt_stmt *st);

/* ---- names ---- */

static struct bt_sym *local_find(struct elab_ctx *c, const char *name)
{
	for (struct bt_sym *l = *c->locals; l; l = l->next)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

static struct bt_sym *local_add(struct elab_ctx *c, enum bt_sym_kind kind,
				const char *name, const struct bt_loc *loc)
{
	struct elab_sym *es = elab_sym_new(c, kind, name, loc);
	struct bt_sym **tail = c->locals;

	while (*tail)
		tail = &(*tail)->next;
	*tail = &es->sym;
	return &es->sym;
}

static void sym_mark(struct bt_sym *sym, enum res_role role)
{
	if (role == R_READ)
		sym->read = true;
	else
		sym->written = true;
	/* ++n reads n: a local updated is not "assigned but never read"
	 * (a global stays unread, for auto-print, as in stap) */
	if (role == R_UPDATE && sym->kind == SYM_LOCAL)
		sym->read = true;
}

/*
 * A name used as a scalar or as a whole array: a local of this body (a
 * parameter shadows a global), else a global, else a new local (stap's
 * locals are declared by their first use).
 */
static struct bt_sym *res_name(struct elab_ctx *c, const char *name,
			       const struct bt_loc *loc)
{
	struct bt_sym *sym = local_find(c, name);

	if (!sym)
		sym = elab_hash_get(&c->globals, name);
	if (!sym)
		sym = local_add(c, SYM_LOCAL, name, loc);
	return sym;
}

static void res_var(struct elab_ctx *c, struct bt_expr *e,
		    enum res_role role)
{
	e->sym = res_name(c, e->name, &e->loc);
	sym_mark(e->sym, role);
}

static int count_exprs(const struct bt_expr *e)
{
	int n = 0;

	for (; e; e = e->next)
		n++;
	return n;
}

/* `name` is used as an array with nkeys index columns at loc. */
static struct bt_sym *res_array(struct elab_ctx *c, const char *name,
				int nkeys, const struct bt_loc *loc)
{
	struct bt_sym *sym = local_find(c, name);
	struct elab_sym *es;

	if (!sym)
		sym = elab_hash_get(&c->globals, name);
	if (!sym || sym->kind != SYM_GLOBAL) {
		elab_error(c, loc, "'%s' is not an array (arrays must be "
			   "declared global)", name);
		return NULL;
	}
	es = elab_sym(sym);
	if (!es->is_array) {
		es->is_array = true;
		es->array_loc = *loc;
	}
	if (nkeys > BT_MAX_KEYS) {
		elab_error(c, loc, "array '%s' has %d index columns; at most "
			   "%d are allowed", name, nkeys, BT_MAX_KEYS);
		return sym;
	}
	if (!sym->nkeys) {
		sym->nkeys = nkeys;
		es->nkeys_loc = *loc;
	} else if (nkeys != sym->nkeys) {
		elab_error(c, loc, "array '%s' is used with %d index%s here, "
			   "but with %d elsewhere", name, nkeys,
			   nkeys == 1 ? "" : "es", sym->nkeys);
		diag_note(&es->nkeys_loc, "'%s' is used with %d index%s here",
			  name, sym->nkeys, sym->nkeys == 1 ? "" : "es");
	}
	return sym;
}

/* Index lists may hold `*` (checked by the callers). */
static void res_keys(struct elab_ctx *c, struct bt_expr *keys)
{
	for (; keys; keys = keys->next)
		if (keys->kind != E_WILDCARD)
			res_expr(c, keys);
}

/* stap: `*` selects elements in `in`, delete and foreach only. */
static void res_no_wildcard(struct elab_ctx *c, const struct bt_expr *e)
{
	for (const struct bt_expr *k = e->keys; k; k = k->next)
		if (k->kind == E_WILDCARD) {
			elab_error(c, &k->loc, "wildcard not allowed in array "
				   "index ('*' selects elements only in 'in', "
				   "delete and foreach)");
			return;
		}
}

/* E_INDEX and E_IN: base names a global array, keys are values. */
static void res_indexed(struct elab_ctx *c, struct bt_expr *e,
			enum res_role role)
{
	struct bt_sym *sym = NULL;

	if (e->base && e->base->kind == E_VAR)
		sym = res_array(c, e->base->name, count_exprs(e->keys),
				&e->base->loc);
	else
		elab_error(c, &e->loc, "only a variable can be indexed");
	e->sym = sym;
	if (e->base)
		e->base->sym = sym;
	if (sym)
		sym_mark(sym, role);
	res_keys(c, e->keys);
}

/* The target of an assignment, ++/-- or <<<. */
static void res_lvalue(struct elab_ctx *c, struct bt_expr *e,
		       enum res_role role, const char *what)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_VAR:
		res_var(c, e, role);
		break;
	case E_INDEX:
		res_no_wildcard(c, e);
		res_indexed(c, e, role);
		break;
	case E_TARGET:
		elab_error(c, &e->loc, "cannot assign to context variable "
			   "'%s'", e->name);
		break;
	default:
		elab_error(c, &e->loc, "the operand of '%s' must be a "
			   "variable or an array element", what);
		res_expr(c, e);
		break;
	}
}

/* Statistics live in globals only (they are per-CPU maps). */
static void res_need_global(struct elab_ctx *c, struct bt_expr *e,
			    const char *what)
{
	if (e && e->kind == E_VAR && e->sym && e->sym->kind != SYM_GLOBAL)
		elab_error(c, &e->loc, "'%s' is a local: %s needs a global "
			   "statistics variable", e->name, what);
}

static bool has_target(struct elab_ctx *c, const struct bt_expr *e)
{
	bool r = false;

	if (!e)
		return false;
	if (e->kind == E_TARGET)
		return true;
	if (!elab_enter(c, &e->loc))
		return false;
	r = has_target(c, e->left) || has_target(c, e->right) ||
	    has_target(c, e->cond) || has_target(c, e->base);
	for (const struct bt_expr *k = e->keys; k && !r; k = k->next)
		r = has_target(c, k);
	for (const struct bt_expr *a = e->args; a && !r; a = a->next)
		r = has_target(c, a);
	elab_leave(c);
	return r;
}

/*
 * @defined(EXPR) is decided here, as stap does: it is false only when
 * EXPR names a context variable this probe does not have. The node
 * becomes the constant (E_NUM 0 or 1).
 */
static void fold_defined(struct elab_ctx *c, struct bt_expr *e)
{
	bool ok = true;

	if (has_target(c, e->left))
		ok = c->probe && !elab_target_vars_bad(c) &&
		     elab_trace_defined(c, e->left);
	e->kind = E_NUM;
	e->num = ok;
	e->radix = 10;
	e->left = NULL;
	e->type = BT_LONG;
}

/* A condition that is @defined(...) or !@defined(...): 0/1, else -1. */
static int defined_cond(struct elab_ctx *c, struct bt_expr *cond)
{
	bool neg = false;

	if (cond && cond->kind == E_UNARY && cond->op == OP_LNOT) {
		neg = true;
		cond = cond->left;
	}
	if (!cond || cond->kind != E_DEFINED)
		return -1;
	fold_defined(c, cond);
	return neg ? !cond->num : cond->num;
}

static void res_target(struct elab_ctx *c, struct bt_expr *e)
{
	const struct bt_point *bad;
	char buf[256];

	if (!c->probe) {
		elab_error(c, &e->loc, "context variable '%s' is not "
			   "available in function '%s'", e->name,
			   c->fns[c->fn].f->name);
		return;
	}
	bad = elab_target_vars_bad(c);
	if (bad)
		elab_error(c, &e->loc, "context variable '%s' is not "
			   "available in probe '%s'", e->name,
			   elab_point_text(bad, true, buf, sizeof(buf)));
	else if (elab_kvars_point(c->probe->points)) {
		if (!elab_kvars_target(c, e))
			for (struct bt_expr *m = e->members; m; m = m->next)
				if (m->kind == E_INDEX)
					res_expr(c, m->keys);
	}
	/* $$parms becomes a sprintf call: resolve that */
	else if (elab_trace_target(c, e) > 0)
		res_expr(c, e);
	else
		for (struct bt_expr *m = e->members; m; m = m->next)
			if (m->kind == E_INDEX)
				res_expr(c, m->keys);	/* $x[i] */
}

/*
 * @cast(addr, "type"[, "module"]): the type comes from the kernel's BTF
 * when the code is generated (codegen/cg_cast.c); here only what the
 * module names. Types of user-space programs would need their DWARF.
 */
static void res_cast(struct elab_ctx *c, struct bt_expr *e)
{
	const char *mod = e->args ? e->args->str : "kernel";

	res_expr(c, e->left);
	for (struct bt_expr *m = e->members; m; m = m->next)
		if (m->kind == E_INDEX)
			res_expr(c, m->keys);
	if (strncmp(mod, "kernel", 6) || (mod[6] && mod[6] != '<'))
		elab_error(c, e->args ? &e->args->loc : &e->loc, "@cast to a "
			   "type of '%s': bpftap knows only the kernel's "
			   "types (\"kernel\", from its BTF); a program's "
			   "or module's would need debuginfo", mod);
}

/* Another overload of f (same name and arity) returns a value: f, which
 * does not (it only goes on with `next`), has that value's type. */
static bool res_overload_value(const struct elab_ctx *c,
			       const struct bt_func *f)
{
	for (int i = 0; i < c->nfns; i++)
		if (c->fns[i].has_value_return && c->fns[i].f != f &&
		    c->fns[i].f->nparams == f->nparams &&
		    !strcmp(c->fns[i].f->name, f->name))
			return true;
	return false;
}

/* A call goes to the overloads of its name and arity (stap's parameter
 * overloading), every one of which it may run (runtime overloading). */
static void res_call_user(struct elab_ctx *c, struct bt_expr *e, int idx)
{
	int n = count_exprs(e->args), head = elab_fn_for_call(c, e->name, n);
	struct bt_func *f = c->fns[idx].f;

	if (head < 0) {
		e->func = f;
		elab_error(c, &e->loc, "function '%s' takes %d argument%s, "
			   "but %d %s given", f->name, f->nparams,
			   f->nparams == 1 ? "" : "s", n,
			   n == 1 ? "was" : "were");
		diag_note(&f->loc, "'%s' is defined here", f->name);
		elab_fn_activate(c, idx);
		res_keys(c, e->args);
		return;
	}
	e->func = c->fns[head].f;
	for (f = e->func; f; f = f->overload) {
		elab_fn_activate(c, f->index);
		if (c->fn >= 0)
			elab_fn_add_call(c, c->fn, f->index, e);
	}
	res_keys(c, e->args);
}

static void arity_text(const struct bt_builtin *b, char *buf, size_t size)
{
	if (b->max_args < 0)
		snprintf(buf, size, "at least %d argument%s", b->min_args,
			 b->min_args == 1 ? "" : "s");
	else if (b->min_args == b->max_args)
		snprintf(buf, size, "%d argument%s", b->min_args,
			 b->min_args == 1 ? "" : "s");
	else
		snprintf(buf, size, "%d to %d arguments", b->min_args,
			 b->max_args);
}

static void res_format(struct elab_ctx *c, struct bt_expr *e,
		       const struct bt_builtin *b, int nargs)
{
	struct bt_expr *fmt = e->args;
	char bad = 0;
	int want;

	if (!fmt)
		return;
	if (fmt->kind != E_STR) {
		elab_error(c, &fmt->loc, "the format of '%s' must be a string "
			   "literal", b->name);
		return;
	}
	want = elab_format_args(fmt->str, fmt->len, NULL, 0, &bad);
	if (want < 0) {
		if (bad)
			elab_error(c, &fmt->loc, "invalid conversion '%%%c' "
				   "in the format of '%s'%s", bad, b->name,
				   strchr("-+ #0", bad) ?
				   " (a conversion has one flag at most)" :
				   strchr("hlLqjzt", bad) ?
				   " (the only length modifier is one 'l')" :
				   "");
		else
			elab_error(c, &fmt->loc, "incomplete conversion at "
				   "the end of the format of '%s'", b->name);
	} else if (want != nargs - 1) {
		elab_error(c, &e->loc, "the format of '%s' wants %d "
			   "argument%s, but %d %s given", b->name, want,
			   want == 1 ? "" : "s", nargs - 1,
			   nargs - 1 == 1 ? "was" : "were");
	}
}

/*
 * stap's checks before translation: @hist_linear's parameters are
 * numbers (its parser takes nothing else), and an aggregate has one
 * kind of histogram ("multiple histogram types declared").
 */
static void res_hist_kind(struct elab_ctx *c, const struct bt_expr *e)
{
	const struct bt_expr *x = e->left, *first, *a, *b;
	struct bt_sym *s = x ? x->sym : NULL;
	int64_t va, vb;

	for (a = e->args; a; a = a->next)
		if (!ast_literal_num(a, &va)) {
			elab_error(c, &a->loc, "the start, stop and interval "
				   "of @hist_linear must be numbers");
			return;
		}
	if (!s || s->kind != SYM_GLOBAL)
		return;
	first = elab_sym(s)->hist;
	if (!first) {
		elab_sym(s)->hist = e;
		return;
	}
	for (a = first->args, b = e->args; a && b; a = a->next, b = b->next)
		if (!ast_literal_num(a, &va) || !ast_literal_num(b, &vb) || va != vb)
			break;
	if (first->hist_op == e->hist_op && !a && !b)
		return;
	elab_error(c, &e->loc, "multiple histogram types declared on '%s' "
		   "(an aggregate has one histogram)", s->name);
	diag_note(&first->loc, "the first is here");
}

static void res_stat_operand(struct elab_ctx *c, struct bt_expr *e)
{
	const char *what = e->kind == E_HIST ?
		(e->hist_op == HIST_LOG ? "@hist_log" : "@hist_linear") :
		ast_stat_str(e->stat_op);
	struct bt_expr *x = e->left;

	if (x && (x->kind == E_VAR || x->kind == E_INDEX)) {
		res_expr(c, x);
		res_need_global(c, x, what);
	} else if (x) {
		elab_error(c, &x->loc, "the operand of %s must be a "
			   "statistics variable or array element", what);
		res_expr(c, x);
	}
	res_keys(c, e->args);
	if (e->kind == E_HIST && e->hist_op == HIST_LINEAR &&
	    count_exprs(e->args) != 3)
		elab_error(c, &e->loc, "@hist_linear takes a statistics "
			   "value, start, stop and interval");
	if (e->kind == E_HIST)
		res_hist_kind(c, e);
}

static void res_call_builtin(struct elab_ctx *c, struct bt_expr *e,
			     const struct bt_builtin *b)
{
	int n = count_exprs(e->args);
	bool hist_ok = b->id == BI_PRINT || b->id == BI_PRINTLN;
	char buf[64];

	e->builtin = b;
	if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
		arity_text(b, buf, sizeof(buf));
		elab_error(c, &e->loc, "function '%s' takes %s, but %d %s "
			   "given", b->name, buf, n, n == 1 ? "was" : "were");
	} else if (b->literal_format) {
		res_format(c, e, b, n);
	}
	for (struct bt_expr *a = e->args; a; a = a->next) {
		if (hist_ok && a->kind == E_HIST && !a->keys)
			res_stat_operand(c, a);
		else
			res_expr(c, a);
	}
}

static void suggest_fn(const struct elab_ctx *c, const char *name,
		       const char **best, int *bestd)
{
	int d;

	for (int i = 0; i < c->nfns; i++) {
		d = elab_edit_distance(name, c->fns[i].f->name);
		if (d < *bestd) {
			*bestd = d;
			*best = c->fns[i].f->name;
		}
	}
	for (const struct bt_builtin *b = builtin_table; b->name; b++) {
		d = elab_edit_distance(name, b->name);
		if (d < *bestd) {
			*bestd = d;
			*best = b->name;
		}
	}
}

static void res_call(struct elab_ctx *c, struct bt_expr *e)
{
	int idx = elab_fn_index(c, e->name);
	const struct bt_builtin *b;
	const char *best = NULL;
	int bestd, len;

	if (idx >= 0) {
		res_call_user(c, e, idx);
		return;
	}
	b = builtin_find(e->name);
	if (b) {
		res_call_builtin(c, e, b);
		return;
	}
	len = strlen(e->name);
	bestd = len < 3 ? 1 : len < 6 ? 2 : 3;
	bestd++;
	suggest_fn(c, e->name, &best, &bestd);
	if (best)
		elab_error(c, &e->loc, "unknown function '%s'; did you mean "
			   "'%s'?", e->name, best);
	else
		elab_error(c, &e->loc, "unknown function '%s'", e->name);
	res_keys(c, e->args);
}

/* Replace a node by one of its children, keeping its place in a list. */
static void expr_become(struct bt_expr *e, struct bt_expr *by)
{
	struct bt_expr *next = e->next;

	*e = *by;
	e->next = next;
}

static void res_expr_kind(struct elab_ctx *c, struct bt_expr *e)
{
	int v;

	switch (e->kind) {
	case E_NUM:
	case E_STR:
		break;
	case E_VAR:
		res_var(c, e, R_READ);
		break;
	case E_INDEX:
		res_no_wildcard(c, e);
		res_indexed(c, e, R_READ);
		break;
	case E_IN:
		res_indexed(c, e, R_READ);
		break;
	case E_WILDCARD:	/* only in index lists, see res_keys */
		elab_error(c, &e->loc, "'*' is only an array index");
		break;
	case E_BINARY:
		res_expr(c, e->left);
		res_expr(c, e->right);
		break;
	case E_UNARY:
		res_expr(c, e->left);
		break;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		res_lvalue(c, e->left, R_UPDATE,
			   e->kind == E_PREINC || e->kind == E_POSTINC ?
			   "++" : "--");
		break;
	case E_ASSIGN:
		res_lvalue(c, e->left, e->op == OP_NONE ? R_WRITE : R_UPDATE,
			   e->op == OP_NONE ? "=" : ast_op_str(e->op));
		res_expr(c, e->right);
		if (e->op == OP_AGG)
			res_need_global(c, e->left, "'<<<'");
		break;
	case E_TERNARY:
		v = defined_cond(c, e->cond);
		if (v >= 0 && e->left && e->right) {
			expr_become(e, v ? e->left : e->right);
			res_expr(c, e);
			break;
		}
		res_expr(c, e->cond);
		res_expr(c, e->left);
		res_expr(c, e->right);
		break;
	case E_CALL:
		res_call(c, e);
		break;
	case E_STAT:
		res_stat_operand(c, e);
		break;
	case E_HIST:
		/* a bucket's count is a value; the histogram is printed */
		if (!e->keys)
			elab_error(c, &e->loc, "%s can only be printed (as "
				   "the argument of print or println) or "
				   "indexed by a bucket number",
				   e->hist_op == HIST_LOG ? "@hist_log" :
				   "@hist_linear");
		res_stat_operand(c, e);
		res_expr(c, e->keys);
		break;
	case E_TARGET:
		res_target(c, e);
		break;
	case E_DEFINED:
		fold_defined(c, e);
		break;
	case E_CAST:
		res_cast(c, e);
		break;
	}
}

static void res_expr(struct elab_ctx *c, struct bt_expr *e)
{
	if (!e || !elab_enter(c, &e->loc))
		return;
	res_expr_kind(c, e);
	elab_leave(c);
}

/* foreach keys and values, catch variables: locals of this body. */
static void res_loop_var(struct elab_ctx *c, struct bt_expr *v,
			 const char *what)
{
	if (!v)
		return;
	if (v->kind != E_VAR) {
		elab_error(c, &v->loc, "%s must be a variable", what);
		return;
	}
	if (!local_find(c, v->name) && elab_hash_get(&c->globals, v->name)) {
		elab_error(c, &v->loc, "%s must be a local variable, but '%s' "
			   "is a global", what, v->name);
		return;
	}
	res_var(c, v, R_WRITE);
	if (v->sym)	/* bound by the loop: not worth a warning if unused */
		v->sym->read = true;
}

static void res_foreach(struct elab_ctx *c, struct bt_stmt *st)
{
	struct bt_expr *a = st->array;
	struct bt_sym *sym = NULL;
	int n = count_exprs(st->keys);

	if (st->hist) {
		res_stat_operand(c, st->hist);
	} else if (a && a->kind == E_VAR) {
		sym = res_array(c, a->name, n, &a->loc);
		a->sym = sym;
		if (sym)
			sym->read = true;
	} else if (a) {
		elab_error(c, &a->loc, "foreach needs an array");
	}
	for (struct bt_expr *k = st->keys; k; k = k->next)
		res_loop_var(c, k, "a foreach key");
	res_loop_var(c, st->value_var, "a foreach value");
	if (st->sort_col > n)
		elab_error(c, &st->loc, "foreach sorts by index %d, but there "
			   "%s only %d", st->sort_col, n == 1 ? "is" : "are",
			   n);
	if (st->slice && count_exprs(st->slice) != n)
		elab_error(c, &st->slice->loc, "foreach selects elements of "
			   "'%s' with %d index%s, but binds %d", a->name,
			   count_exprs(st->slice),
			   count_exprs(st->slice) == 1 ? "" : "es", n);
	res_keys(c, st->slice);
	res_expr(c, st->limit);
	c->loops++;
	res_stmt(c, st->body);
	c->loops--;
}

static void res_delete(struct elab_ctx *c, struct bt_stmt *st)
{
	struct bt_expr *e = st->expr;

	if (!e)
		return;
	if (e->kind == E_VAR)
		res_var(c, e, R_UPDATE);
	else if (e->kind == E_INDEX)
		res_indexed(c, e, R_UPDATE);
	else
		elab_error(c, &e->loc, "delete needs a variable, an array or "
			   "an array element");
}

static void stmt_become(struct bt_stmt *st, struct bt_stmt *by)
{
	struct bt_stmt *next = st->next;

	struct bt_loc loc = st->loc;

	if (by) {
		*st = *by;
	} else {
		memset(st, 0, sizeof(*st));
		st->kind = S_EMPTY;
		st->loc = loc;
	}
	st->next = next;
}

static void res_stmt_kind(struct elab_ctx *c, struct bt_stmt *st)
{
	int v;

	switch (st->kind) {
	case S_BLOCK:
		for (struct bt_stmt *b = st->body; b; b = b->next)
			res_stmt(c, b);
		break;
	case S_EXPR:
		res_expr(c, st->expr);
		break;
	case S_IF:
		v = defined_cond(c, st->cond);
		if (v >= 0) {
			stmt_become(st, v ? st->body : st->else_body);
			res_stmt(c, st);
			break;
		}
		res_expr(c, st->cond);
		res_stmt(c, st->body);
		res_stmt(c, st->else_body);
		break;
	case S_WHILE:
		res_expr(c, st->cond);
		c->loops++;
		res_stmt(c, st->body);
		c->loops--;
		break;
	case S_FOR:
		res_stmt(c, st->init);
		res_expr(c, st->cond);
		res_expr(c, st->step);
		c->loops++;
		res_stmt(c, st->body);
		c->loops--;
		break;
	case S_FOREACH:
		res_foreach(c, st);
		break;
	case S_BREAK:
	case S_CONTINUE:
		if (!c->loops)
			elab_error(c, &st->loc, "'%s' outside a loop",
				   st->kind == S_BREAK ? "break" : "continue");
		break;
	case S_NEXT:
		/* in a function: on to its next overload (stap) */
		break;
	case S_RETURN:
		/* stap: "found 'return' not in function context". */
		if (c->probe)
			elab_error(c, &st->loc, "'return' is only allowed in "
				   "a function (use 'next' to leave a probe)");
		else if (st->expr)
			c->fns[c->fn].has_value_return = true;
		res_expr(c, st->expr);
		break;
	case S_DELETE:
		res_delete(c, st);
		break;
	case S_TRY:
		res_stmt(c, st->body);
		if (st->catch_var)
			res_loop_var(c, st->catch_var,
				     "a catch variable");
		res_stmt(c, st->else_body);
		break;
	case S_EMPTY:
		break;
	}
}

static void res_stmt(struct elab_ctx *c, struct bt_stmt *st)
{
	if (!st || !elab_enter(c, &st->loc))
		return;
	res_stmt_kind(c, st);
	elab_leave(c);
}

static void res_probe(struct elab_ctx *c, struct bt_probe *p)
{
	c->probe = p;
	c->tp_fields = false;
	elab_trace_start(c, p);
	c->fn = -1;
	c->locals = &p->locals;
	c->loops = 0;
	res_stmt(c, p->body);
	c->probe = NULL;
}

static void res_function(struct elab_ctx *c, int idx)
{
	struct bt_func *f = c->fns[idx].f;
	struct bt_sym *sym;

	c->probe = NULL;
	c->fn = idx;
	c->locals = &f->locals;
	c->loops = 0;
	for (struct bt_param *p = f->params; p; p = p->next) {
		if (local_find(c, p->name)) {
			elab_error(c, &p->loc, "parameter '%s' of '%s' is "
				   "declared twice", p->name, f->name);
			p->sym = local_find(c, p->name);
			continue;
		}
		sym = local_add(c, SYM_PARAM, p->name, &p->loc);
		sym->type = p->type;
		sym->type_loc = p->loc;
		p->sym = sym;
	}
	res_stmt(c, f->body);
	c->fn = -1;
}

void elab_resolve(struct elab_ctx *c)
{
	for (struct bt_probe *p = c->s->probes; p; p = p->next)
		if (!p->alias_names)
			res_probe(c, p);
	for (int i = 0; i < c->nfns; i++)
		if (!c->fns[i].library && !c->fns[i].duplicate)
			elab_fn_activate(c, i);
	/* Resolving a body can activate more (library) functions. */
	for (int i = 0; i < c->nwork; i++)
		res_function(c, c->work[i]);
	for (int i = 0; i < c->nfns; i++) {
		struct elab_fn *fn = &c->fns[i];

		if (fn->active && fn->f->ret_type == BT_UNKNOWN &&
		    !fn->has_value_return && !res_overload_value(c, fn->f)) {
			fn->f->ret_type = BT_VOID;
			fn->ret_loc = fn->f->loc;
		}
	}
}
