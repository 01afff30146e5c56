// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 2, elaboration: the driver, globals, functions, the call graph.
 *
 * Order: declare the globals, register the functions, resolve probe
 * points and expand aliases (elab_points.c), resolve every name and call
 * in the probes and the user's functions (elab_resolve.c; library
 * functions only once something calls them, as stap pulls in tapset
 * functions), check the call graph (no recursion: code generation
 * inlines calls), then infer types (elab_types.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "elaborate.h"
#include "elab_internal.h"

void elab_error(struct elab_ctx *c, const struct bt_loc *loc,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(loc, fmt, ap);
	va_end(ap);
	c->errors++;
}

bool elab_is_library(const struct elab_ctx *c, const struct bt_loc *loc)
{
	const char *main = c->s->main_file;

	if (!main || !loc->file)
		return false;
	return loc->file != main && strcmp(loc->file, main) != 0;
}

/*
 * Depth guard for the recursive walks. Returns false (after one error per
 * script) when the tree is too deep to walk safely.
 */
bool elab_enter(struct elab_ctx *c, const struct bt_loc *loc)
{
	if (c->depth >= ELAB_MAX_DEPTH) {
		if (!c->depth_reported)
			elab_error(c, loc, "expression nested too deeply");
		c->depth_reported = true;
		return false;
	}
	c->depth++;
	return true;
}

/* ---- a small string table ---- */

static size_t hash_str(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

void *elab_hash_get(const struct elab_hash *h, const char *key)
{
	size_t i;

	if (!h->cap)
		return NULL;
	for (i = hash_str(key) & (h->cap - 1); h->keys[i];
	     i = (i + 1) & (h->cap - 1))
		if (!strcmp(h->keys[i], key))
			return h->vals[i];
	return NULL;
}

static int hash_grow(struct elab_hash *h)
{
	struct elab_hash n = { .cap = h->cap ? h->cap * 2 : 64 };
	size_t i;

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (i = 0; i < h->cap; i++)
		if (h->keys[i])
			elab_hash_put(&n, h->keys[i], h->vals[i]);
	elab_hash_free(h);
	*h = n;
	return 0;
}

/* Keys are not copied: they live in the script's arena. */
int elab_hash_put(struct elab_hash *h, const char *key, void *val)
{
	size_t i;

	if ((h->n + 1) * 2 > h->cap && hash_grow(h))
		return -1;
	for (i = hash_str(key) & (h->cap - 1); h->keys[i];
	     i = (i + 1) & (h->cap - 1))
		if (!strcmp(h->keys[i], key))
			break;
	if (!h->keys[i])
		h->n++;
	h->keys[i] = key;
	h->vals[i] = val;
	return 0;
}

void elab_hash_free(struct elab_hash *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof(*h));
}

/* Levenshtein distance for "did you mean"; long names are not worth it. */
int elab_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[65], diag, up, best;

	if (la > 64 || lb > 64)
		return 1000;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* ---- globals and functions ---- */

struct elab_sym *elab_sym_new(struct elab_ctx *c, enum bt_sym_kind kind,
				const char *name, const struct bt_loc *loc)
{
	struct elab_sym *es = ast_alloc(c->s, sizeof(*es));

	es->sym.kind = kind;
	es->sym.name = name;
	es->sym.loc = *loc;
	es->sym.slot = -1;
	return es;
}

static enum bt_type init_type(const struct bt_expr *e)
{
	if (e->kind == E_NUM)
		return BT_LONG;
	if (e->kind == E_UNARY && (e->op == OP_NEG || e->op == OP_PLUS) &&
	    e->left && e->left->kind == E_NUM)
		return BT_LONG;
	if (e->kind == E_STR)
		return BT_STRING;
	return BT_UNKNOWN;
}

static void elab_global(struct elab_ctx *c, struct bt_global *g,
			struct bt_sym **tail)
{
	struct bt_sym *old = elab_hash_get(&c->globals, g->name);
	struct elab_sym *es;

	if (old) {
		elab_error(c, &g->loc, "global '%s' is declared twice",
			   g->name);
		diag_note(&old->loc, "'%s' was first declared here", g->name);
		g->sym = old;
		return;
	}
	es = elab_sym_new(c, SYM_GLOBAL, g->name, &g->loc);
	es->sym.global = g;
	es->library = elab_is_library(c, &g->loc);
	if (g->size > 0 || g->wrap) {
		es->is_array = true;
		es->array_loc = g->loc;
	}
	if (g->init) {
		es->sym.type = init_type(g->init);
		es->sym.type_loc = g->init->loc;
		if (es->sym.type == BT_UNKNOWN)
			elab_error(c, &g->init->loc, "the initial value of "
				   "'%s' must be a number or a string",
				   g->name);
		if (es->is_array)
			elab_error(c, &g->init->loc, "array '%s' cannot "
				   "have an initial value", g->name);
	}
	g->sym = &es->sym;
	*tail = &es->sym;
	elab_hash_put(&c->globals, g->name, &es->sym);
}

static void elab_globals(struct elab_ctx *c)
{
	struct bt_sym **tail = &c->s->global_syms;

	for (struct bt_global *g = c->s->globals; g; g = g->next) {
		elab_global(c, g, tail);
		if (*tail)
			tail = &(*tail)->next;
	}
}

int elab_fn_index(const struct elab_ctx *c, const char *name)
{
	void *v = elab_hash_get(&c->fnames, name);

	return v ? (int)(intptr_t)v - 1 : -1;
}

/* stap's overload order: priority (a library function's default is 1,
 * the script's 0), then declaration. */
static int64_t elab_fn_priority(const struct elab_fn *fn)
{
	return fn->f->has_priority ? fn->f->priority : fn->library ? 1 : 0;
}

/*
 * Functions of one name and arity are stap's runtime overloads: a call
 * runs the first in overload order, whose `next` goes on to the following
 * one. Link each group through f->overload; its first is the head calls
 * resolve to. Functions of one name and other arities are unrelated.
 */
static void elab_overloads(struct elab_ctx *c, int i)
{
	struct elab_fn *fn = &c->fns[i];
	struct bt_func *f = fn->f, *p;
	int64_t prio = elab_fn_priority(fn);
	int j;

	for (j = 0; j < i; j++)
		if (c->fns[j].head && c->fns[j].f->nparams == f->nparams &&
		    !strcmp(c->fns[j].f->name, f->name))
			break;
	fn->head = j == i;
	if (fn->head)
		return;
	p = c->fns[j].f;
	if (prio < elab_fn_priority(&c->fns[j])) {
		/* runs before the group's first: it becomes the head */
		f->overload = p;
		c->fns[j].head = false;
		fn->head = true;
		return;
	}
	/* after the ones of lower or equal priority (declaration order) */
	while (p->overload && elab_fn_priority(&c->fns[p->overload->index]) <=
	       prio)
		p = p->overload;
	f->overload = p->overload;
	p->overload = f;
}

static int elab_register_funcs(struct elab_ctx *c)
{
	struct bt_func *f;
	int n = 0, i = 0;

	for (f = c->s->funcs; f; f = f->next)
		n++;
	c->fns = calloc(n ? n : 1, sizeof(*c->fns));
	if (!c->fns)
		return -1;
	for (f = c->s->funcs; f; f = f->next, i++) {
		struct elab_fn *fn = &c->fns[i];

		fn->f = f;
		f->index = i;
		f->overload = NULL;
		fn->library = elab_is_library(c, &f->loc);
		if (f->ret_type != BT_UNKNOWN)
			fn->ret_loc = f->loc;
		elab_overloads(c, i);
		if (elab_fn_index(c, f->name) < 0)
			elab_hash_put(&c->fnames, f->name,
				      (void *)(intptr_t)(i + 1));
	}
	c->nfns = n;
	return 0;
}

/* The head of the overloads of `name` taking nargs, or -1. */
int elab_fn_for_call(const struct elab_ctx *c, const char *name, int nargs)
{
	for (int i = 0; i < c->nfns; i++)
		if (c->fns[i].head && c->fns[i].f->nparams == nargs &&
		    !strcmp(c->fns[i].f->name, name))
			return i;
	return -1;
}

void elab_fn_activate(struct elab_ctx *c, int idx)
{
	int *w;

	if (c->fns[idx].active)
		return;
	c->fns[idx].active = true;
	if (c->nwork == c->capwork) {
		c->capwork = c->capwork ? c->capwork * 2 : 32;
		w = realloc(c->work, c->capwork * sizeof(*w));
		if (!w)
			abort();
		c->work = w;
	}
	c->work[c->nwork++] = idx;
}

void elab_fn_add_call(struct elab_ctx *c, int from, int to,
			struct bt_expr *site)
{
	struct elab_fn *fn = &c->fns[from];
	struct elab_call *n;

	if (fn->ncalls == fn->capcalls) {
		fn->capcalls = fn->capcalls ? fn->capcalls * 2 : 8;
		n = realloc(fn->calls, fn->capcalls * sizeof(*n));
		if (!n)
			abort();
		fn->calls = n;
	}
	fn->calls[fn->ncalls].callee = to;
	fn->calls[fn->ncalls].site = site;
	fn->ncalls++;
}

/* ---- call graph ---- */

static void chain_text(const struct elab_ctx *c, const int *path, int from,
		       int n, int to, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = from; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s -> ",
				c->fns[path[i]].f->name);
	if (len < size)
		snprintf(buf + len, size - len, "%s", c->fns[to].f->name);
}

static void cg_visit(struct elab_ctx *c, int idx, int *path, int depth)
{
	struct elab_fn *fn = &c->fns[idx];
	char buf[512];
	int i, j;

	fn->mark = 1;
	path[depth] = idx;
	for (i = 0; i < fn->ncalls; i++) {
		int to = fn->calls[i].callee;

		if (c->fns[to].mark == 2)
			continue;
		if (c->fns[to].mark == 0) {
			cg_visit(c, to, path, depth + 1);
			continue;
		}
		for (j = 0; j <= depth && path[j] != to; j++)
			;
		chain_text(c, path, j, depth + 1, to, buf, sizeof(buf));
		elab_error(c, &fn->calls[i].site->loc, "recursive function "
			   "'%s' is not supported (call chain %s)",
			   c->fns[to].f->name, buf);
		diag_note(&c->fns[to].f->loc, "'%s' is defined here",
			  c->fns[to].f->name);
	}
	fn->mark = 2;
}

static void mark_used(struct elab_ctx *c, int idx)
{
	struct elab_fn *fn = &c->fns[idx];

	if (fn->f->used)
		return;
	fn->f->used = true;
	for (int i = 0; i < fn->ncalls; i++)
		mark_used(c, fn->calls[i].callee);
}

/* Calls made directly by probe bodies, found again by a light walk. */
static void used_from_expr(struct elab_ctx *c, struct bt_expr *e);

static void used_from_list(struct elab_ctx *c, struct bt_expr *e)
{
	for (; e; e = e->next)
		used_from_expr(c, e);
}

static void used_from_expr(struct elab_ctx *c, struct bt_expr *e)
{
	if (!e || !elab_enter(c, &e->loc))
		return;
	if (e->kind == E_CALL && e->func) {
		for (struct bt_func *f = e->func; f; f = f->overload)
			mark_used(c, f->index);
	}
	used_from_expr(c, e->left);
	used_from_expr(c, e->right);
	used_from_expr(c, e->cond);
	used_from_list(c, e->keys);
	used_from_list(c, e->args);
	elab_leave(c);
}

static void used_from_stmt(struct elab_ctx *c, struct bt_stmt *st)
{
	for (; st; st = st->next) {
		if (!elab_enter(c, &st->loc))
			return;
		used_from_expr(c, st->expr);
		used_from_expr(c, st->cond);
		used_from_expr(c, st->step);
		used_from_expr(c, st->limit);
		used_from_stmt(c, st->init);
		used_from_stmt(c, st->body);
		used_from_stmt(c, st->else_body);
		elab_leave(c);
	}
}

static void elab_call_graph(struct elab_ctx *c)
{
	int *path = calloc(c->nfns + 1, sizeof(*path));

	if (!path)
		abort();
	for (int i = 0; i < c->nfns; i++)
		if (c->fns[i].active && !c->fns[i].mark)
			cg_visit(c, i, path, 0);
	free(path);
	for (struct bt_probe *p = c->s->probes; p; p = p->next)
		if (!p->alias_names)
			used_from_stmt(c, p->body);
}

/* ---- the end ---- */

static void elab_finish_globals(struct elab_ctx *c)
{
	for (struct bt_sym *g = c->s->global_syms; g; g = g->next) {
		struct elab_sym *es = elab_sym(g);

		if (es->library)
			continue;
		if (!g->read && !g->written)
			diag_warning(&g->loc, "eliminating unused variable "
				     "'%s'", g->name);
		/* stap's text; an initial value is an assignment */
		else if (!g->written && !(g->global && g->global->init))
			diag_warning(&g->loc, "never-assigned global variable "
				     "'%s'", g->name);
	}
}

/* A name like `name` among the globals and these locals (a typo usually
 * makes a new local), or NULL. */
static const char *elab_similar(struct elab_ctx *c, struct bt_sym *locals,
				const struct bt_sym *self)
{
	const char *best = NULL;
	int bd = 3, d;

	for (int pass = 0; pass < 2; pass++)
		for (struct bt_sym *s = pass ? c->s->global_syms : locals; s;
		     s = s->next) {
			if (s == self || !s->written)
				continue;
			d = elab_edit_distance(self->name, s->name);
			if (d < bd && d * 2 <= (int)strlen(self->name)) {
				bd = d;
				best = s->name;
			}
		}
	return best;
}

/* Locals of the user's script: read but never assigned (stap's wording,
 * with its "similar:" hint), or assigned but never read. Library code
 * (aliases, tapsets) is quiet. */
static void elab_warn_locals(struct elab_ctx *c, struct bt_sym *locals)
{
	const char *sim;

	for (struct bt_sym *l = locals; l; l = l->next) {
		if (l->kind != SYM_LOCAL || l->loc.file != c->s->main_file)
			continue;
		if (l->read && !l->written) {
			sim = elab_similar(c, locals, l);
			diag_warning(&l->loc, "never-assigned local variable "
				     "'%s'%s%s%s", l->name,
				     sim ? " (similar: " : "", sim ? sim : "",
				     sim ? ")" : "");
		}
		else if (l->written && !l->read)
			diag_warning(&l->loc, "local variable '%s' is assigned "
				     "but never read", l->name);
	}
}

static void elab_finish_locals(struct elab_ctx *c)
{
	for (struct bt_probe *p = c->s->probes; p; p = p->next)
		if (!p->alias_names)
			elab_warn_locals(c, p->locals);
	for (struct bt_func *f = c->s->funcs; f; f = f->next)
		if (f->used)
			elab_warn_locals(c, f->locals);
}

static void elab_number_probes(struct elab_ctx *c)
{
	int n = 0;

	for (struct bt_probe *p = c->s->probes; p; p = p->next)
		p->index = p->alias_names ? -1 : n++;
	c->s->nprobes = n;
}

/* An array whose index count no use tells (only `delete a`, or declared
 * `global a[10]` and only deleted): one index column. */
static void elab_array_arity(struct elab_ctx *c)
{
	for (struct bt_sym *g = c->s->global_syms; g; g = g->next)
		if (elab_sym(g)->is_array && !g->nkeys) {
			g->nkeys = 1;
			elab_sym(g)->nkeys_loc = g->loc;
		}
}

int elab_script(struct bt_script *s)
{
	struct elab_ctx c = { .s = s, .fn = -1 };

	elab_globals(&c);
	if (elab_register_funcs(&c)) {
		fprintf(stderr, "bpftap: error: out of memory\n");
		return -1;
	}
	elab_points(&c);
	elab_resolve(&c);
	elab_array_arity(&c);
	elab_call_graph(&c);
	elab_types(&c);
	elab_number_probes(&c);
	elab_finish_globals(&c);
	if (!c.errors)
		elab_finish_locals(&c);
	if (!c.errors && !s->nprobes) {
		/* like stap: a script must do something */
		struct bt_loc loc = { s->main_file, 1, 1 };

		diag_error(&loc, "no probes found");
		c.errors++;
	}

	for (int i = 0; i < c.nfns; i++)
		free(c.fns[i].calls);
	free(c.fns);
	free(c.work);
	free(c.aliases);
	elab_hash_free(&c.globals);
	elab_hash_free(&c.fnames);
	return c.errors ? -1 : 0;
}
