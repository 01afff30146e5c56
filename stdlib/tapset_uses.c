// SPDX-License-Identifier: GPL-2.0
/*
 * The names a parsed script refers to that a library file could define
 * (see tapset_int.h): called functions, variables (a library global),
 * and the first component of each probe point (a library alias). Local
 * variables are collected too: telling them from globals is elaboration's
 * job, and a library global of that name would be the variable then, in
 * stap as here.
 */
#include <string.h>
#include "tapset_int.h"

static void tu_expr(const struct bt_expr *e, struct tapset_names *uses)
{
	for (; e; e = e->next) {
		if ((e->kind == E_CALL || e->kind == E_VAR) && e->name)
			tapset_names_add(uses, e->name, strlen(e->name));
		tu_expr(e->left, uses);
		tu_expr(e->right, uses);
		tu_expr(e->cond, uses);
		tu_expr(e->base, uses);
		tu_expr(e->keys, uses);
		tu_expr(e->args, uses);
		tu_expr(e->members, uses);
	}
}

static void tu_stmt(const struct bt_stmt *st, struct tapset_names *uses)
{
	for (; st; st = st->next) {
		tu_expr(st->expr, uses);
		tu_expr(st->cond, uses);
		tu_stmt(st->init, uses);
		tu_expr(st->step, uses);
		tu_stmt(st->body, uses);
		tu_stmt(st->else_body, uses);
		tu_expr(st->value_var, uses);
		tu_expr(st->keys, uses);
		tu_expr(st->array, uses);
		tu_expr(st->hist, uses);
		tu_expr(st->slice, uses);
		tu_expr(st->limit, uses);
		tu_expr(st->catch_var, uses);
	}
}

/* The first component of each point; true for a wildcard one. */
static bool tu_points(const struct bt_point *pt, struct tapset_names *uses)
{
	bool wild = false;

	for (; pt; pt = pt->next) {
		const char *name = pt->comps ? pt->comps->name : NULL;

		if (!name)
			continue;
		tapset_names_add(uses, name, strlen(name));
		if (strpbrk(name, "*?"))
			wild = true;
	}
	return wild;
}

bool tapset_uses(const struct bt_script *s, struct tapset_names *uses)
{
	bool wild = false;

	for (const struct bt_probe *p = s->probes; p; p = p->next) {
		if (tu_points(p->points, uses))
			wild = true;
		tu_stmt(p->body, uses);
	}
	for (const struct bt_func *f = s->funcs; f; f = f->next)
		tu_stmt(f->body, uses);
	return wild;
}
