// SPDX-License-Identifier: GPL-2.0
/*
 * Structural equality of two scripts, for the -p1 round trip. Locations
 * and elaboration results are ignored; everything the parser fills in is
 * compared. The first difference is described with the location of the
 * node in the first script, so a failing round trip points at the source.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ast.h"

struct eq_ctx {
	char *why;
	size_t why_len;
};

static bool eq_fail(struct eq_ctx *c, const struct bt_loc *loc,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool eq_fail(struct eq_ctx *c, const struct bt_loc *loc,
		    const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!c->why || !c->why_len)
		return false;
	if (loc && loc->file)
		n = snprintf(c->why, c->why_len, "%s:%d:%d: ", loc->file,
			     loc->line, loc->col);
	if (n < 0 || (size_t)n >= c->why_len)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(c->why + n, c->why_len - n, fmt, ap);
	va_end(ap);
	return false;
}

static bool eq_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool eq_expr(struct eq_ctx *c, const struct bt_expr *a,
		    const struct bt_expr *b, const char *what);

static bool eq_list(struct eq_ctx *c, const struct bt_expr *a,
		    const struct bt_expr *b, const char *what)
{
	int i = 1;

	for (; a && b; a = a->next, b = b->next, i++)
		if (!eq_expr(c, a, b, what))
			return false;
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "%s: lists differ in "
			       "length after %d element(s)", what, i - 1);
	return true;
}

static bool eq_expr(struct eq_ctx *c, const struct bt_expr *a,
		    const struct bt_expr *b, const char *what)
{
	if (!a || !b) {
		if (a == b)
			return true;
		return eq_fail(c, a ? &a->loc : NULL, "%s: present in only "
			       "one tree", what);
	}
	if (a->kind != b->kind)
		return eq_fail(c, &a->loc, "%s: expression kinds differ "
			       "(%d vs %d)", what, a->kind, b->kind);
	switch (a->kind) {
	case E_NUM:
		if (a->num != b->num || a->radix != b->radix)
			return eq_fail(c, &a->loc, "%s: numbers differ "
				       "(%lld/%d vs %lld/%d)", what,
				       (long long)a->num, a->radix,
				       (long long)b->num, b->radix);
		return true;
	case E_STR:
		if (a->len != b->len || memcmp(a->str, b->str, a->len))
			return eq_fail(c, &a->loc, "%s: strings differ", what);
		return true;
	case E_CAST:
		if (a->len != b->len || memcmp(a->str, b->str, a->len))
			return eq_fail(c, &a->loc, "%s: @cast types differ",
				       what);
		break;
	case E_VAR:
	case E_CALL:
	case E_TARGET:
		if (!eq_str(a->name, b->name))
			return eq_fail(c, &a->loc, "%s: names differ (%s vs "
				       "%s)", what, a->name, b->name);
		break;
	case E_BINARY:
	case E_UNARY:
	case E_ASSIGN:
		if (a->op != b->op)
			return eq_fail(c, &a->loc, "%s: operators differ "
				       "('%s' vs '%s')", what,
				       ast_op_str(a->op), ast_op_str(b->op));
		break;
	case E_STAT:
		if (a->stat_op != b->stat_op)
			return eq_fail(c, &a->loc, "%s: %s vs %s", what,
				       ast_stat_str(a->stat_op),
				       ast_stat_str(b->stat_op));
		break;
	case E_HIST:
		if (a->hist_op != b->hist_op)
			return eq_fail(c, &a->loc, "%s: histogram kinds "
				       "differ", what);
		break;
	default:
		break;
	}
	return eq_expr(c, a->left, b->left, "left operand") &&
	       eq_expr(c, a->right, b->right, "right operand") &&
	       eq_expr(c, a->cond, b->cond, "condition") &&
	       eq_expr(c, a->base, b->base, "array") &&
	       eq_list(c, a->keys, b->keys, "index") &&
	       eq_list(c, a->args, b->args, "arguments") &&
	       eq_list(c, a->members, b->members, "members");
}

static bool eq_stmt(struct eq_ctx *c, const struct bt_stmt *a,
		    const struct bt_stmt *b, const char *what);

static bool eq_stmts(struct eq_ctx *c, const struct bt_stmt *a,
		     const struct bt_stmt *b, const char *what)
{
	for (; a && b; a = a->next, b = b->next)
		if (!eq_stmt(c, a, b, what))
			return false;
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "%s: statement lists "
			       "differ in length", what);
	return true;
}

static bool eq_stmt(struct eq_ctx *c, const struct bt_stmt *a,
		    const struct bt_stmt *b, const char *what)
{
	if (!a || !b) {
		if (a == b)
			return true;
		return eq_fail(c, a ? &a->loc : NULL, "%s: statement present "
			       "in only one tree", what);
	}
	if (a->kind != b->kind)
		return eq_fail(c, &a->loc, "%s: statement kinds differ (%d vs "
			       "%d)", what, a->kind, b->kind);
	if (a->sort_col != b->sort_col || a->sort_dir != b->sort_dir ||
	    a->sort_stat != b->sort_stat)
		return eq_fail(c, &a->loc, "foreach sort differs (%d/%d vs "
			       "%d/%d)", a->sort_col, a->sort_dir,
			       b->sort_col, b->sort_dir);
	if (a->keys_bracketed != b->keys_bracketed)
		return eq_fail(c, &a->loc, "foreach key brackets differ");
	return eq_expr(c, a->expr, b->expr, "statement expression") &&
	       eq_expr(c, a->cond, b->cond, "condition") &&
	       eq_stmts(c, a->init, b->init, "for init") &&
	       eq_expr(c, a->step, b->step, "for step") &&
	       eq_stmts(c, a->body, b->body, "body") &&
	       eq_stmts(c, a->else_body, b->else_body, "else/catch body") &&
	       eq_expr(c, a->value_var, b->value_var, "foreach value") &&
	       eq_list(c, a->slice, b->slice, "foreach slice") &&
	       eq_expr(c, a->hist, b->hist, "foreach histogram") &&
	       eq_list(c, a->keys, b->keys, "foreach keys") &&
	       eq_expr(c, a->array, b->array, "foreach array") &&
	       eq_expr(c, a->limit, b->limit, "foreach limit") &&
	       eq_expr(c, a->catch_var, b->catch_var, "catch variable");
}

static bool eq_points(struct eq_ctx *c, const struct bt_point *a,
		      const struct bt_point *b)
{
	const struct bt_component *ca, *cb;

	for (; a && b; a = a->next, b = b->next) {
		if (a->optional != b->optional ||
		    a->sufficient != b->sufficient)
			return eq_fail(c, &a->loc, "probe point flags differ");
		for (ca = a->comps, cb = b->comps; ca && cb;
		     ca = ca->next, cb = cb->next) {
			if (!eq_str(ca->name, cb->name))
				return eq_fail(c, &ca->loc, "probe point "
					       "components differ (%s vs %s)",
					       ca->name, cb->name);
			if (!eq_expr(c, ca->arg, cb->arg, "component argument"))
				return false;
		}
		if (ca || cb)
			return eq_fail(c, &a->loc, "probe points differ in "
				       "length");
	}
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "probe point lists "
			       "differ in length");
	return true;
}

static bool eq_globals(struct eq_ctx *c, const struct bt_global *a,
		       const struct bt_global *b)
{
	for (; a && b; a = a->next, b = b->next) {
		if (!eq_str(a->name, b->name))
			return eq_fail(c, &a->loc, "globals differ (%s vs %s)",
				       a->name, b->name);
		if (a->size != b->size || a->wrap != b->wrap ||
		    a->is_private != b->is_private)
			return eq_fail(c, &a->loc, "global %s: size, wrap or "
				       "private differ", a->name);
		if (!eq_expr(c, a->init, b->init, "global initializer"))
			return false;
	}
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "numbers of globals "
			       "differ");
	return true;
}

static bool eq_funcs(struct eq_ctx *c, const struct bt_func *a,
		     const struct bt_func *b)
{
	const struct bt_param *pa, *pb;

	for (; a && b; a = a->next, b = b->next) {
		if (!eq_str(a->name, b->name) || a->ret_type != b->ret_type ||
		    a->nparams != b->nparams || a->is_private != b->is_private ||
		    a->has_priority != b->has_priority ||
		    a->priority != b->priority)
			return eq_fail(c, &a->loc, "functions %s and %s differ "
				       "in name, type, parameters, private or "
				       "priority", a->name, b->name);
		for (pa = a->params, pb = b->params; pa && pb;
		     pa = pa->next, pb = pb->next)
			if (!eq_str(pa->name, pb->name) || pa->type != pb->type)
				return eq_fail(c, &pa->loc, "parameters "
					       "differ (%s vs %s)", pa->name,
					       pb->name);
		if (pa || pb)
			return eq_fail(c, &a->loc, "parameter lists differ");
		if (!eq_stmt(c, a->body, b->body, "function body"))
			return false;
	}
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "numbers of functions "
			       "differ");
	return true;
}

static bool eq_probes(struct eq_ctx *c, const struct bt_probe *a,
		      const struct bt_probe *b)
{
	for (; a && b; a = a->next, b = b->next) {
		if (a->alias_epilogue != b->alias_epilogue)
			return eq_fail(c, &a->loc, "alias kinds differ");
		if (!eq_points(c, a->alias_names, b->alias_names) ||
		    !eq_points(c, a->points, b->points) ||
		    !eq_stmt(c, a->body, b->body, "probe body"))
			return false;
	}
	if (a || b)
		return eq_fail(c, a ? &a->loc : NULL, "numbers of probes "
			       "differ");
	return true;
}

bool ast_equal(const struct bt_script *a, const struct bt_script *b,
	       char *why, size_t why_len)
{
	struct eq_ctx c = { why, why_len };

	if (why && why_len)
		why[0] = 0;
	return eq_globals(&c, a->globals, b->globals) &&
	       eq_funcs(&c, a->funcs, b->funcs) &&
	       eq_probes(&c, a->probes, b->probes);
}
