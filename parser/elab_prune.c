// SPDX-License-Identifier: GPL-2.0
/*
 * Dropping the assignments of a library alias's prologue that nothing
 * reads, as stap's optimiser does ("eliding unused variable").
 *
 * stap's syscall aliases set a dozen variables each (filename, flags,
 * flags_str, argstr, ...), some of them costly: a user string copy, a
 * flag decoding, a sprintf. A script that reads only `filename` must not
 * pay for `argstr` at every hit, nor carry its instructions past the
 * verifier. So after an alias body is copied into a probe, an
 * assignment `x = e` of its prologue goes when x is not a global and
 * nothing after it reads x: not the user's body, not an epilogue, not a
 * later statement of the prologues that is kept. An `if` whose branches
 * are only such assignments goes with them. The walk runs backwards, so
 * `argstr = sprintf(..., flags_str)` keeps `flags_str` only when argstr
 * is kept.
 *
 * Only bodies of library aliases (stdlib, -I tapsets) are pruned: their
 * right-hand sides are side-effect free by construction. -L turns the
 * pruning off, since it lists every variable an alias offers.
 */
#include <stdlib.h>
#include <string.h>
#include "elab_internal.h"

static bool prune_off;

void elab_keep_alias_locals(bool on)
{
	prune_off = on;
}

struct prune_set {
	const char **v;
	int n, cap;
};

static bool prune_has(const struct prune_set *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

static void prune_add(struct prune_set *s, const char *name)
{
	const char **v;

	if (!name || prune_has(s, name))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (!v)
			abort();
		s->v = v;
	}
	s->v[s->n++] = name;
}

static void prune_uses_stmt(struct prune_set *s, const struct bt_stmt *st,
			    int depth);

/* Every variable name an expression mentions, read or written. */
static void prune_uses_expr(struct prune_set *s, const struct bt_expr *e,
			    int depth)
{
	for (; e && depth < 1000; e = e->next) {
		if (e->kind == E_VAR)
			prune_add(s, e->name);
		prune_uses_expr(s, e->left, depth + 1);
		prune_uses_expr(s, e->right, depth + 1);
		prune_uses_expr(s, e->cond, depth + 1);
		prune_uses_expr(s, e->base, depth + 1);
		prune_uses_expr(s, e->keys, depth + 1);
		prune_uses_expr(s, e->args, depth + 1);
		prune_uses_expr(s, e->members, depth + 1);
	}
}

static void prune_uses_stmt(struct prune_set *s, const struct bt_stmt *st,
			    int depth)
{
	for (; st && depth < 1000; st = st->next) {
		prune_uses_expr(s, st->expr, depth + 1);
		prune_uses_expr(s, st->cond, depth + 1);
		prune_uses_expr(s, st->step, depth + 1);
		prune_uses_expr(s, st->value_var, depth + 1);
		prune_uses_expr(s, st->keys, depth + 1);
		prune_uses_expr(s, st->array, depth + 1);
		prune_uses_expr(s, st->limit, depth + 1);
		prune_uses_expr(s, st->catch_var, depth + 1);
		prune_uses_stmt(s, st->init, depth + 1);
		prune_uses_stmt(s, st->body, depth + 1);
		prune_uses_stmt(s, st->else_body, depth + 1);
	}
}

/* Is st (a list when `list`) only assignments to unread locals? */
static bool prune_dead(struct elab_ctx *c, const struct prune_set *need,
		       const struct bt_stmt *st, bool list)
{
	const struct bt_expr *e;

	for (; st; st = list ? st->next : NULL) {
		switch (st->kind) {
		case S_EXPR:
			e = st->expr;
			if (e->kind != E_ASSIGN || e->op != OP_NONE ||
			    e->left->kind != E_VAR ||
			    prune_has(need, e->left->name) ||
			    elab_hash_get(&c->globals, e->left->name))
				return false;
			break;
		case S_IF:
			if (!prune_dead(c, need, st->body, false) ||
			    (st->else_body &&
			     !prune_dead(c, need, st->else_body, false)))
				return false;
			break;
		case S_BLOCK:
			if (!prune_dead(c, need, st->body, true))
				return false;
			break;
		case S_EMPTY:
			break;
		default:
			return false;
		}
		if (!list)
			break;
	}
	return true;
}

/* Prune the statement list *head, last statement first. */
static void prune_list(struct elab_ctx *c, struct prune_set *need,
		       struct bt_stmt **head)
{
	struct bt_stmt *v[256], *st, **tail, one;
	int n = 0;

	for (st = *head; st; st = st->next)
		if (n++ >= (int)(sizeof(v) / sizeof(*v)))
			return;		/* too long to bother: keep it all */
	n = 0;
	for (st = *head; st; st = st->next)
		v[n++] = st;
	for (int i = n - 1; i >= 0; i--) {
		if (prune_dead(c, need, v[i], false)) {
			v[i] = NULL;
			continue;
		}
		one = *v[i];
		one.next = NULL;
		prune_uses_stmt(need, &one, 0);
	}
	tail = head;
	for (int i = 0; i < n; i++)
		if (v[i]) {
			*tail = v[i];
			tail = &v[i]->next;
		}
	*tail = NULL;
}

void elab_prune_prologues(struct elab_ctx *c, struct bt_stmt **prologues,
			  int n, const struct bt_stmt *rest)
{
	struct prune_set need = { 0 };

	if (prune_off)
		return;
	prune_uses_stmt(&need, rest, 0);
	for (int i = n - 1; i >= 0; i--) {
		if (!prologues[i])
			continue;
		if (prologues[i]->kind == S_BLOCK &&
		    elab_is_library(c, &prologues[i]->loc))
			prune_list(c, &need, &prologues[i]->body);
		else
			prune_uses_stmt(&need, prologues[i], 0);
	}
	free(need.v);
}
