// SPDX-License-Identifier: GPL-2.0
/*
 * @entry(EXPR) in a .return probe: EXPR evaluated when the function (or
 * system call) was entered. As stap does, the probe is rewritten into a
 * pair before elaboration, in the script language's own terms:
 *
 *	probe P.return { ... @entry(E) ... }
 * becomes
 *	global __entry_N
 *	probe P { __entry_N[tid()] = E }
 *	probe P.return { __entryv_N = __entry_N[tid()]
 *			 delete __entry_N[tid()]
 *			 ... __entryv_N ... }
 *
 * so each occurrence is a thread's saved value, read once at the start
 * of the return probe and deleted there, whatever way the body ends.
 * The entry point is the return point without its last component, which
 * must be `return`: `syscall.read.return`, `process("x").function("f")
 * .return`, `kernel.function("f").return`. Keyed by thread, a function
 * that recurses sees the innermost call's value (stap keeps one per
 * call).
 *
 * It runs after -p1 prints the script as written and before the library
 * is loaded, so that the entry aliases (syscall.read) are written and
 * pulled in like any other point.
 */
#include <stdio.h>
#include <string.h>
#include "at_entry.h"
#include "diag.h"

struct at_entry_ctx {
	struct bt_script *s;
	struct bt_probe *probe;		/* the .return probe */
	struct bt_stmt *saves;		/* the entry probe's statements */
	struct bt_stmt **saves_tail;
	struct bt_stmt *reads;		/* the return probe's new prologue */
	struct bt_stmt **reads_tail;
	int count;			/* occurrences so far, script-wide */
	int errors;
	bool bad_probe;			/* said once per probe */
};

/* __entry_N or __entryv_N */
static char *at_name(struct at_entry_ctx *c, const char *fmt, int n)
{
	char name[32];

	snprintf(name, sizeof(name), fmt, n);
	return ast_strdup(c->s, name);
}

static struct bt_expr *at_var(struct at_entry_ctx *c, const char *fmt,
			      int n, struct bt_loc loc)
{
	struct bt_expr *v = ast_expr(c->s, E_VAR, loc);

	v->name = at_name(c, fmt, n);
	return v;
}

/* __entry_N[tid()] */
static struct bt_expr *at_slot(struct at_entry_ctx *c, int n,
			       struct bt_loc loc)
{
	struct bt_expr *e = ast_expr(c->s, E_INDEX, loc);
	struct bt_expr *tid = ast_expr(c->s, E_CALL, loc);

	tid->name = ast_strdup(c->s, "tid");
	e->base = at_var(c, "__entry_%d", n, loc);
	e->keys = tid;
	return e;
}

static struct bt_stmt *at_expr_stmt(struct at_entry_ctx *c,
				    struct bt_expr *e)
{
	struct bt_stmt *st = ast_stmt(c->s, S_EXPR, e->loc);

	st->expr = e;
	return st;
}

static struct bt_expr *at_assign(struct at_entry_ctx *c,
				 struct bt_expr *left, struct bt_expr *right)
{
	struct bt_expr *a = ast_expr(c->s, E_ASSIGN, left->loc);

	a->op = OP_NONE;
	a->left = left;
	a->right = right;
	return a;
}

static void at_global(struct at_entry_ctx *c, int n, struct bt_loc loc)
{
	struct bt_global *g = ast_alloc(c->s, sizeof(*g));
	struct bt_global **tail = &c->s->globals;

	g->loc = loc;
	g->name = at_name(c, "__entry_%d", n);
	while (*tail)
		tail = &(*tail)->next;
	*tail = g;
}

/* One @entry(E): E goes to the entry probe, the node becomes the local
 * that the return probe's prologue fills. */
static void at_occurrence(struct at_entry_ctx *c, struct bt_expr *e)
{
	struct bt_expr *arg = e->args, *next;
	struct bt_stmt *del;
	int n = c->count++;

	at_global(c, n, e->loc);
	*c->saves_tail = at_expr_stmt(c, at_assign(c, at_slot(c, n, e->loc),
						   arg));
	c->saves_tail = &(*c->saves_tail)->next;
	*c->reads_tail = at_expr_stmt(c, at_assign(c,
		at_var(c, "__entryv_%d", n, e->loc), at_slot(c, n, e->loc)));
	c->reads_tail = &(*c->reads_tail)->next;
	del = ast_stmt(c->s, S_DELETE, e->loc);
	del->expr = at_slot(c, n, e->loc);
	*c->reads_tail = del;
	c->reads_tail = &del->next;

	/* in place, keeping its link in an argument or key list */
	next = e->next;
	memset(e, 0, sizeof(*e));
	e->kind = E_VAR;
	e->loc = del->loc;
	e->name = at_name(c, "__entryv_%d", n);
	e->next = next;
}

static bool at_is_entry(const struct bt_expr *e)
{
	return e->kind == E_CALL && !strcmp(e->name, "@entry");
}

static void at_walk_expr(struct at_entry_ctx *c, struct bt_expr *e,
			 bool inside);

static void at_walk_list(struct at_entry_ctx *c, struct bt_expr *e,
			 bool inside)
{
	for (; e; e = e->next)
		at_walk_expr(c, e, inside);
}

/* inside: within an @entry's argument, where another is an error. */
static void at_walk_expr(struct at_entry_ctx *c, struct bt_expr *e,
			 bool inside)
{
	if (!e)
		return;
	if (at_is_entry(e)) {
		if (inside) {
			diag_error(&e->loc, "@entry cannot be nested");
			c->errors++;
			return;
		}
		at_walk_list(c, e->args, true);
		if (!c->probe) {
			if (!c->bad_probe)
				diag_error(&e->loc, "@entry is only valid in "
					   "a probe whose every point ends "
					   "in .return (not in a function "
					   "or a probe alias)");
			c->bad_probe = true;
			c->errors++;
			return;
		}
		at_occurrence(c, e);
		return;
	}
	at_walk_expr(c, e->left, inside);
	at_walk_expr(c, e->right, inside);
	at_walk_expr(c, e->cond, inside);
	at_walk_expr(c, e->base, inside);
	at_walk_list(c, e->keys, inside);
	at_walk_list(c, e->args, inside);
	at_walk_list(c, e->members, inside);
}

static void at_walk_stmts(struct at_entry_ctx *c, struct bt_stmt *st)
{
	for (; st; st = st->next) {
		at_walk_expr(c, st->expr, false);
		at_walk_expr(c, st->cond, false);
		at_walk_stmts(c, st->init);
		at_walk_expr(c, st->step, false);
		at_walk_stmts(c, st->body);
		at_walk_stmts(c, st->else_body);
		at_walk_expr(c, st->value_var, false);
		at_walk_list(c, st->keys, false);
		at_walk_expr(c, st->array, false);
		at_walk_expr(c, st->hist, false);
		at_walk_list(c, st->slice, false);
		at_walk_expr(c, st->limit, false);
		at_walk_expr(c, st->catch_var, false);
	}
}

/* The point without its last component, when that is `return`. */
static struct bt_point *at_entry_point(struct at_entry_ctx *c,
				       const struct bt_point *pt)
{
	struct bt_point *e;
	struct bt_component **tail;
	const struct bt_component *k = pt->comps;

	if (!k || !k->next)
		return NULL;
	e = ast_alloc(c->s, sizeof(*e));
	e->loc = pt->loc;
	e->optional = pt->optional;
	tail = &e->comps;
	for (; k->next; k = k->next) {
		struct bt_component *copy = ast_alloc(c->s, sizeof(*copy));

		*copy = *k;
		copy->next = NULL;
		if (k->arg) {
			copy->arg = ast_alloc(c->s, sizeof(*copy->arg));
			*copy->arg = *k->arg;
		}
		*tail = copy;
		tail = &copy->next;
	}
	if (strcmp(k->name, "return") || k->arg)
		return NULL;
	return e;
}

/* The entry points of every point of p, or NULL when one is not a
 * .return point. */
static struct bt_point *at_entry_points(struct at_entry_ctx *c,
					const struct bt_probe *p)
{
	struct bt_point *head = NULL, **tail = &head;

	for (const struct bt_point *pt = p->points; pt; pt = pt->next) {
		struct bt_point *e = at_entry_point(c, pt);

		if (!e)
			return NULL;
		*tail = e;
		tail = &e->next;
	}
	return head;
}

/* Rewrite p; returns the entry probe added after it, or p. */
static struct bt_probe *at_probe(struct at_entry_ctx *c, struct bt_probe *p)
{
	struct bt_point *points = p->alias_names ? NULL :
				  at_entry_points(c, p);
	int before = c->count;
	struct bt_probe *entry;

	c->probe = points ? p : NULL;
	c->bad_probe = false;
	c->saves = c->reads = NULL;
	c->saves_tail = &c->saves;
	c->reads_tail = &c->reads;
	at_walk_stmts(c, p->body);
	if (c->count == before)
		return p;
	/* the prologue goes first in the return probe's block */
	*c->reads_tail = p->body->body;
	p->body->body = c->reads;
	entry = ast_alloc(c->s, sizeof(*entry));
	entry->loc = p->loc;
	entry->points = points;
	entry->body = ast_stmt(c->s, S_BLOCK, p->loc);
	entry->body->body = c->saves;
	entry->next = p->next;
	p->next = entry;
	return entry;
}

int at_entry_rewrite(struct bt_script *s)
{
	struct at_entry_ctx c = { .s = s };

	for (struct bt_probe *p = s->probes; p; p = p->next)
		p = at_probe(&c, p);	/* past the entry probe it added */
	c.probe = NULL;
	for (struct bt_func *f = s->funcs; f; f = f->next)
		at_walk_stmts(&c, f->body);
	return c.errors ? -1 : 0;
}
