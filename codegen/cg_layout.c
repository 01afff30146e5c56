// SPDX-License-Identifier: GPL-2.0
/*
 * Where every global lives: scalars in .data (with their initial values),
 * each array or aggregate in a map of its own (layout in object.h), and a
 * zeroed block at the end of .data that serves as "" and as the initial
 * value of new array elements.
 */
#include <stdlib.h>
#include <string.h>
#include "cg.h"

static int64_t cg_literal(const struct bt_expr *e, bool *ok)
{
	int64_t v = 0;

	if (!ast_literal_num(e, &v))
		*ok = false;
	return v;
}

static struct cg_global *cg_global_mut(struct cg *c, const struct bt_sym *s)
{
	for (int i = 0; i < c->nglobals; i++)
		if (c->globals[i].sym == s)
			return &c->globals[i];
	return NULL;
}

/* An @hist_log/@hist_linear use fixes its aggregate's histogram. */
static void cg_hist_use(struct cg *c, const struct bt_expr *e)
{
	const struct bt_expr *x = e->left;
	const struct bt_sym *s = x->kind == E_INDEX ? x->base->sym : x->sym;
	struct cg_global *g = s ? cg_global_mut(c, s) : NULL;
	struct bt_histdesc h = { 0 };
	bool ok = true;

	if (!g)
		return;
	if (e->hist_op == HIST_LOG) {
		h.kind = BT_HIST_LOG;
		h.nbuckets = BT_HIST_LOG_BUCKETS;
	} else {
		const struct bt_expr *a = e->args;

		h.kind = BT_HIST_LINEAR;
		h.start = cg_literal(a, &ok);
		h.stop = cg_literal(a ? a->next : NULL, &ok);
		h.interval = cg_literal(a && a->next ? a->next->next : NULL,
					&ok);
		if (!ok || h.interval <= 0 || h.stop <= h.start ||
		    (h.stop - h.start) / h.interval + 3 > 130 ||
		    h.interval > INT32_MAX) {
			cg_error(c, &e->loc, "@hist_linear needs literal "
				 "start < stop and interval > 0, with at most "
				 "128 buckets");
			return;
		}
		h.nbuckets = (h.stop - h.start) / h.interval + 3;
	}
	if (g->hist.kind != BT_HIST_NONE &&
	    memcmp(&g->hist, &h, sizeof(h))) {
		cg_error(c, &e->loc, "'%s' is used with two different "
			 "histograms", s->name);
		return;
	}
	g->hist = h;
}

/*
 * A store into array element e (E_INDEX): each string key column must
 * hold the longest string stored under it. key_width counts characters
 * until cg_key_widths turns them into bytes.
 */
static void cg_key_use(struct cg *c, const struct bt_expr *e)
{
	const struct bt_sym *s = e->base ? e->base->sym : NULL;
	struct cg_global *g = s ? cg_global_mut(c, s) : NULL;
	const struct bt_expr *k = e->keys;

	for (int i = 0; g && i < s->nkeys && k; i++, k = k->next) {
		uint32_t n = s->keys[i] == BT_STRING ? cg_str_bound(c, k) : 0;

		if (n > g->key_width[i])
			g->key_width[i] = n;
	}
}

static struct cg_global *cg_stat_target(struct cg *c, const struct bt_expr *x)
{
	const struct bt_sym *s = x->kind == E_INDEX ? x->base->sym : x->sym;

	return s ? cg_global_mut(c, s) : NULL;
}

/*
 * Statistic op of aggregate g is read (by @op, or as a foreach's sort
 * value): <<< must keep it up to date. stap keeps one bit-shift per
 * aggregate, whatever the @variance uses say.
 */
static void cg_stat_use(struct cg *c, struct cg_global *g,
			enum bt_stat_op op, int shift,
			const struct bt_loc *loc)
{
	if (!g)
		return;
	g->stat_reads |= 1u << op;
	if (op != STAT_VARIANCE)
		return;
	if (g->var_shift >= 0 && g->var_shift != shift) {
		cg_error(c, loc, "'%s' is used with two bit-shifts in "
			 "@variance (%d and %d)", g->sym->name, g->var_shift,
			 shift);
		return;
	}
	g->var_shift = shift;
}

static bool cg_is_store(const struct bt_expr *e)
{
	return (e->kind == E_ASSIGN || e->kind == E_PREINC ||
		e->kind == E_PREDEC || e->kind == E_POSTINC ||
		e->kind == E_POSTDEC) && e->left && e->left->kind == E_INDEX;
}

/* Longs take 8 bytes; strings their longest stored value and its NUL,
 * rounded up to 8, at most strfield. */
static void cg_key_widths(struct cg *c, struct cg_global *g)
{
	for (int i = 0; i < g->sym->nkeys; i++) {
		uint32_t w = (g->key_width[i] + 1 + 7) & ~7u;

		if (g->sym->keys[i] != BT_STRING)
			w = 8;
		g->key_width[i] = w < c->strfield ? w : c->strfield;
	}
}

static void cg_scan_stmt(struct cg *c, const struct bt_stmt *st);

static void cg_scan_expr(struct cg *c, const struct bt_expr *e)
{
	for (; e; e = e->next) {
		if (e->kind == E_HIST)
			cg_hist_use(c, e);
		if (cg_is_store(e))
			cg_key_use(c, e->left);
		if (e->kind == E_STAT && e->left)
			cg_stat_use(c, cg_stat_target(c, e->left), e->stat_op,
				    e->stat_op == STAT_VARIANCE && e->args ?
				    (int)e->args->num : 0, &e->loc);
		cg_scan_expr(c, e->left);
		cg_scan_expr(c, e->right);
		cg_scan_expr(c, e->cond);
		cg_scan_expr(c, e->keys);
		cg_scan_expr(c, e->args);
	}
}

static void cg_scan_stmt(struct cg *c, const struct bt_stmt *st)
{
	for (; st; st = st->next) {
		cg_scan_expr(c, st->expr);
		cg_scan_expr(c, st->cond);
		cg_scan_stmt(c, st->init);
		cg_scan_expr(c, st->step);
		cg_scan_stmt(c, st->body);
		cg_scan_stmt(c, st->else_body);
		cg_scan_expr(c, st->limit);
		cg_scan_expr(c, st->hist);
		/* foreach (k in s @sum-): the sort value is read too */
		if (st->kind == S_FOREACH && st->sort_stat && st->array)
			cg_stat_use(c, cg_stat_target(c, st->array),
				    st->sort_stat - 1, 0, &st->loc);
	}
}

/* Initial value of a scalar global from its declaration. */
static void cg_global_init(struct cg *c, const struct bt_global *g,
			   uint8_t *dst)
{
	const struct bt_expr *e = g->init;
	bool ok = true;
	int64_t v;

	if (!e)
		return;
	if (e->kind == E_STR) {
		size_t n = e->len < c->opt->maxstringlen - 1 ?
			   e->len : c->opt->maxstringlen - 1;

		memcpy(dst, e->str, n);
		return;
	}
	v = cg_literal(e, &ok);
	if (ok)
		memcpy(dst, &v, sizeof(v));
}

static uint32_t cg_stats_size(const struct cg_global *g)
{
	return sizeof(struct bt_stats_val) + 8 * g->hist.nbuckets;
}

/* A map for an array or aggregate. */
static void cg_global_map(struct cg *c, struct cg_global *g)
{
	const struct bt_sym *s = g->sym;
	const struct bt_global *decl = s->global;
	uint32_t entries = decl && decl->size > 0 ? decl->size :
			   c->opt->maxmapentries;
	uint32_t type;

	if (s->type == BT_STATS) {
		g->value_size = cg_stats_size(g);
		if (s->nkeys) {
			g->key_size = cg_key_size(g);
			type = BPF_MAP_TYPE_PERCPU_HASH;
		} else {
			g->key_size = 4;
			type = BPF_MAP_TYPE_PERCPU_ARRAY;
			entries = 1;
		}
	} else {
		g->key_size = cg_key_size(g);
		g->value_size = s->type == BT_STRING ? c->strfield : 8;
		/* '%' arrays evict the least recently used element */
		type = decl && decl->wrap ? BPF_MAP_TYPE_LRU_HASH :
		       BPF_MAP_TYPE_HASH;
	}
	if (s->nkeys && g->key_size > c->max_key_size)
		c->max_key_size = g->key_size;
	g->map = cg_add_map(c, s->name, type, g->key_size, g->value_size,
			    entries);
}

static bool cg_global_obj(struct cg *c, const struct cg_global *g,
			  struct bt_objglobal *og)
{
	const struct bt_sym *s = g->sym;

	og->name = strdup(s->name);
	og->type = s->type;
	og->nkeys = s->nkeys;
	memcpy(og->keys, s->keys, sizeof(og->keys));
	memcpy(og->key_width, g->key_width, sizeof(og->key_width));
	og->autoprint = s->written && !s->read;
	og->map = g->map;
	og->data_off = g->off;
	og->loc = s->loc;
	og->hist = g->hist;
	return og->name != NULL;
}

bool cg_layout(struct cg *c)
{
	struct bt_object *o = c->obj;
	uint32_t off = BT_DATA_GLOBALS_OFF, zero = c->strfield;
	int n = 0;

	for (const struct bt_sym *s = c->script->global_syms; s; s = s->next)
		n++;
	c->globals = calloc(n ? n : 1, sizeof(*c->globals));
	o->globals = calloc(n ? n : 1, sizeof(*o->globals));
	if (!c->globals || !o->globals)
		return false;
	for (const struct bt_sym *s = c->script->global_syms; s; s = s->next) {
		c->globals[c->nglobals] = (struct cg_global){
			.sym = s, .map = -1, .var_shift = -1,
			.index = c->nglobals };
		c->nglobals++;
	}
	for (const struct bt_probe *p = c->script->probes; p; p = p->next)
		if (!p->alias_names)
			cg_scan_stmt(c, p->body);
	for (const struct bt_func *f = c->script->funcs; f; f = f->next)
		cg_scan_stmt(c, f->body);
	for (int i = 0; i < c->nglobals; i++) {
		struct cg_global *g = &c->globals[i];

		cg_key_widths(c, g);
		if (g->sym->type == BT_UNKNOWN)	/* never used */
			continue;
		/* the runtime prints count, min, max, sum and avg */
		if (g->sym->written && !g->sym->read)
			g->stat_reads = ~0u;
		if (g->sym->nkeys || g->sym->type == BT_STATS) {
			cg_global_map(c, g);
			if (g->sym->type == BT_STATS &&
			    cg_stats_size(g) > zero)
				zero = cg_stats_size(g);
			continue;
		}
		g->off = off;
		off += g->sym->type == BT_STRING ? c->strfield : 8;
	}
	c->zero_off = off;
	off += (zero + 7) & ~7u;
	o->data_size = off;
	o->data = calloc(1, off);
	if (!o->data)
		return false;
	for (int i = 0; i < c->nglobals; i++) {
		const struct cg_global *g = &c->globals[i];

		if (!cg_global_obj(c, g, &o->globals[o->nglobals++]))
			return false;
		if (g->map < 0 && g->sym->global && g->off)
			cg_global_init(c, g->sym->global, o->data + g->off);
	}
	return true;
}
