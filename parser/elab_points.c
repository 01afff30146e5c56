// SPDX-License-Identifier: GPL-2.0
/*
 * Elaboration of probe points: what each point names (begin, a timer, a
 * tracepoint, ...), and the expansion of probe aliases.
 *
 * A probe whose point names an alias (`probe syscall.read { B }` with
 * `probe syscall.read = kernel.trace("...") { P }`) becomes a probe on the
 * alias's points with body { P; B } ({ B; P } for a `+=` epilogue alias).
 * As in stap each alias use gets its own copy of the alias body, so that
 * its variables become locals of the using probe (the alias body sets
 * variables the user body reads). One written probe can turn into several
 * when its points expand through different aliases: each distinct chain
 * of aliases gets a probe of its own, inserted after the written one.
 */
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "elab_internal.h"

/* One resolved point and the aliases it came through, outermost first. */
struct deriv {
	struct bt_point *pt;
	struct bt_probe *chain[ELAB_MAX_ALIAS_DEPTH];
	int nchain;
};

struct dlist {
	struct deriv *v;
	int n, cap;
	bool too_many;
};

/* Bound on points one probe may expand to (aliases of aliases multiply). */
#define ELAB_MAX_DERIVS 10000

/* ---- text ---- */

const char *elab_point_text(const struct bt_point *pt, bool args, char *buf,
			    size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (const struct bt_component *k = pt->comps; k && len < size;
	     k = k->next) {
		len += snprintf(buf + len, size - len, "%s%s",
				k == pt->comps ? "" : ".", k->name);
		if (!args || !k->arg || len >= size)
			continue;
		if (k->arg->kind == E_NUM)
			len += snprintf(buf + len, size - len, "(%" PRId64 ")",
					k->arg->num);
		else if (k->arg->kind == E_STR)
			len += snprintf(buf + len, size - len, "(\"%s\")",
					k->arg->str);
	}
	return buf;
}

void elab_point_describe(const struct bt_point *pt, char *buf, size_t size)
{
	static const char *const names[] = {
		[PT_BEGIN] = "begin", [PT_END] = "end", [PT_ERROR] = "error",
	};

	if (pt->type == PT_NEVER) {
		snprintf(buf, size, "never");
		return;
	}

	switch (pt->type) {
	case PT_BEGIN: case PT_END: case PT_ERROR:
		if (pt->priority)
			snprintf(buf, size, "%s priority %" PRId64,
				 names[pt->type], pt->priority);
		else
			snprintf(buf, size, "%s", names[pt->type]);
		break;
	case PT_TIMER:
		if (pt->hz)
			snprintf(buf, size, "timer %" PRIu64 " hz", pt->hz);
		else
			snprintf(buf, size, "timer period %" PRIu64 "ns",
				 pt->period_ns);
		break;
	case PT_TIMER_PROFILE:
		snprintf(buf, size, "timer.profile on every cpu");
		break;
	case PT_RAW_TRACEPOINT:
		snprintf(buf, size, "raw tracepoint %s:%s (its arguments)",
			 pt->tp_system ? pt->tp_system : "", pt->tp_event);
		break;
	case PT_TRACEPOINT:
		snprintf(buf, size, "tracepoint %s%s%s",
			 pt->tp_system ? pt->tp_system : "",
			 pt->tp_system ? ":" : "", pt->tp_event);
		break;
	case PT_PERF:
		snprintf(buf, size, "perf type %" PRIu64 " config %" PRIu64
			 " %s %" PRIu64, pt->perf_type, pt->perf_config,
			 pt->hz ? "hz" : "sample",
			 pt->hz ? pt->hz : pt->perf_sample);
		break;
	case PT_KPROBE:
	case PT_KRETPROBE:
		snprintf(buf, size, "%s %s", pt->type == PT_KPROBE ?
			 "kprobe" : "kretprobe", pt->func_name);
		break;
	case PT_UPROBE:
	case PT_URETPROBE:
		snprintf(buf, size, "%s %s:%s", pt->type == PT_UPROBE ?
			 "uprobe" : "uretprobe", pt->target_path,
			 pt->func_name);
		break;
	default:
		snprintf(buf, size, "unresolved");
		break;
	}
}

const struct bt_point *elab_target_vars_bad(const struct elab_ctx *c)
{
	/* Tracepoints have context variables (tracefs format files, BTF
	 * for their arguments), kprobes too (BTF); uprobes would need
	 * debuginfo. */
	for (const struct bt_point *pt = c->probe->points; pt; pt = pt->next)
		if (pt->type != PT_TRACEPOINT &&
		    pt->type != PT_RAW_TRACEPOINT && !elab_kvars_point(pt))
			return pt;
	return NULL;
}

/* ---- built-in probe point kinds ---- */

static const char *const known_points[] = {
	"begin", "end", "error", "never",
	"timer.s", "timer.ms", "timer.us", "timer.ns",
	"timer.sec", "timer.msec", "timer.usec", "timer.nsec",
	"timer.hz", "timer.jiffies", "timer.profile",
	"kernel.trace", "kernel.function", "kernel.function.return",
	"process.function", "process.function.return",
	"perf.type.config", "perf.type.config.sample", "perf.type.config.hz",
	NULL
};

#define MAX_COMPS 8

static int point_comps(const struct bt_point *pt,
		       const struct bt_component **v)
{
	int n = 0;

	for (const struct bt_component *k = pt->comps; k; k = k->next) {
		if (n == MAX_COMPS)
			return MAX_COMPS + 1;
		v[n++] = k;
	}
	return n;
}

static bool is(const struct bt_component *k, const char *name)
{
	return !strcmp(k->name, name);
}

/* A number argument; a parser may hand over -N as a negation. */
static bool arg_num(const struct bt_expr *a, int64_t *v)
{
	return ast_literal_num(a, v);
}

static bool need_num(struct elab_ctx *c, const struct bt_component *k,
		     int64_t min, int64_t *v)
{
	if (arg_num(k->arg, v) && *v >= min)
		return true;
	elab_error(c, &k->loc, "'%s' needs a %s number argument", k->name,
		   min > 0 ? "positive" : min == 0 ? "non-negative" : "");
	return false;
}

static bool need_str(struct elab_ctx *c, const struct bt_component *k,
		     char **out)
{
	if (k->arg && k->arg->kind == E_STR && k->arg->len) {
		*out = k->arg->str;
		return true;
	}
	elab_error(c, &k->loc, "'%s' needs a string argument", k->name);
	return false;
}

static bool no_arg(struct elab_ctx *c, const struct bt_component *k)
{
	if (!k->arg)
		return true;
	elab_error(c, &k->loc, "'%s' takes no argument", k->name);
	return false;
}

static int res_begin_end(struct elab_ctx *c, struct bt_point *pt,
			 const struct bt_component *k)
{
	pt->type = is(k, "begin") ? PT_BEGIN : is(k, "end") ? PT_END :
		   PT_ERROR;
	if (k->arg && !arg_num(k->arg, &pt->priority)) {
		elab_error(c, &k->loc, "the priority of '%s' must be a number",
			   k->name);
		return -1;
	}
	return 1;
}

static uint64_t timer_unit(const char *u)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "s", 1000000000 }, { "sec", 1000000000 },
		{ "ms", 1000000 }, { "msec", 1000000 },
		{ "us", 1000 }, { "usec", 1000 },
		{ "ns", 1 }, { "nsec", 1 },
		{ "jiffies", 1000000000 / ELAB_KERNEL_HZ },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u, units[i].name))
			return units[i].ns;
	return 0;
}

static int res_timer(struct elab_ctx *c, struct bt_point *pt,
		     const struct bt_component **k, int n)
{
	uint64_t unit;
	int64_t v;

	if (n != 2)
		return 0;
	if (is(k[1], "profile")) {
		pt->type = PT_TIMER_PROFILE;
		return no_arg(c, k[1]) ? 1 : -1;
	}
	unit = timer_unit(k[1]->name);
	if (!unit && !is(k[1], "hz"))
		return 0;
	pt->type = PT_TIMER;
	if (!need_num(c, k[1], 1, &v))
		return -1;
	if (!unit) {
		pt->hz = v;
		return 1;
	}
	if ((uint64_t)v > UINT64_MAX / unit) {
		elab_error(c, &k[1]->loc, "timer period is too long");
		return -1;
	}
	pt->period_ns = (uint64_t)v * unit;
	return 1;
}

static int res_trace(struct elab_ctx *c, struct bt_point *pt,
		     const struct bt_component *k)
{
	char *arg, *colon;

	pt->type = PT_TRACEPOINT;
	if (!need_str(c, k, &arg))
		return -1;
	colon = strchr(arg, ':');
	if (colon && (colon == arg || !colon[1])) {
		elab_error(c, &k->loc, "kernel.trace needs \"SYSTEM:EVENT\" "
			   "or \"EVENT\"");
		return -1;
	}
	if (colon) {
		pt->tp_system = ast_strndup(c->s, arg, colon - arg);
		pt->tp_event = ast_strdup(c->s, colon + 1);
	} else {
		pt->tp_event = ast_strdup(c->s, arg);
	}
	return 1;
}

static int res_function(struct elab_ctx *c, struct bt_point *pt,
			const struct bt_component **k, int n, bool user)
{
	bool ret;

	if (n < 2 || n > 3 || !is(k[1], "function") ||
	    (n == 3 && !is(k[2], "return")))
		return 0;
	ret = n == 3;
	if (user) {
		pt->type = ret ? PT_URETPROBE : PT_UPROBE;
		/* process(PID): that process's executable, that process */
		if (arg_num(k[0]->arg, &pt->target_pid) &&
		    pt->target_pid <= 0) {
			elab_error(c, &k[0]->loc, "'process' needs a "
				   "positive pid");
			return -1;
		}
		if (!pt->target_pid && !need_str(c, k[0], &pt->target_path))
			return -1;
	} else {
		pt->type = ret ? PT_KRETPROBE : PT_KPROBE;
		if (!no_arg(c, k[0]))
			return -1;
	}
	if (!need_str(c, k[1], &pt->func_name))
		return -1;
	if (ret && !no_arg(c, k[2]))
		return -1;
	return 1;
}

static int res_perf(struct elab_ctx *c, struct bt_point *pt,
		    const struct bt_component **k, int n)
{
	int64_t t, cf, v = 1000000;	/* stap's default sample period */

	if (n < 3 || n > 4 || !is(k[1], "type") || !is(k[2], "config") ||
	    (n == 4 && !is(k[3], "sample") && !is(k[3], "hz")))
		return 0;
	pt->type = PT_PERF;
	if (!no_arg(c, k[0]) || !need_num(c, k[1], 0, &t) ||
	    !need_num(c, k[2], 0, &cf) ||
	    (n == 4 && !need_num(c, k[3], 1, &v)))
		return -1;
	pt->perf_type = t;
	pt->perf_config = cf;
	if (n == 4 && is(k[3], "hz"))
		pt->hz = v;
	else
		pt->perf_sample = v;
	return 1;
}

/* 1: resolved; 0: not a built-in kind; -1: error printed. */
static int res_builtin(struct elab_ctx *c, struct bt_point *pt)
{
	const struct bt_component *k[MAX_COMPS];
	int n = point_comps(pt, k);

	if (n < 1 || n > MAX_COMPS)
		return 0;
	if (n == 1 && (is(k[0], "begin") || is(k[0], "end") ||
		       is(k[0], "error")))
		return res_begin_end(c, pt, k[0]);
	/* never: its body is checked like any other, but it never runs */
	if (n == 1 && is(k[0], "never")) {
		pt->type = PT_NEVER;
		return no_arg(c, k[0]) ? 1 : -1;
	}
	if (is(k[0], "timer"))
		return no_arg(c, k[0]) ? res_timer(c, pt, k, n) : -1;
	if (is(k[0], "kernel") && n == 2 && is(k[1], "trace"))
		return no_arg(c, k[0]) ? res_trace(c, pt, k[1]) : -1;
	if (is(k[0], "kernel"))
		return res_function(c, pt, k, n, false);
	if (is(k[0], "process"))
		return res_function(c, pt, k, n, true);
	if (is(k[0], "perf"))
		return res_perf(c, pt, k, n);
	if (is(k[0], "lsm")) {
		/* stap's BPF back end has these (tapset/bpf/lsm.stp) */
		elab_error(c, &k[0]->loc, "lsm probes are not supported: BPF "
			   "LSM programs attach through BPF trampolines (as "
			   "fentry does), which bpftap does not use");
		return -1;
	}
	return 0;
}

/* ---- aliases ---- */

static bool arg_equal(const struct bt_expr *a, const struct bt_expr *b)
{
	if (!a || !b)
		return !a && !b;
	if (a->kind != b->kind)
		return false;
	if (a->kind == E_NUM)
		return a->num == b->num;
	if (a->kind == E_STR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	return false;
}

/* Does the written point (which may hold wildcards) name the alias? */
static bool point_matches(const struct bt_point *pat,
			  const struct bt_point *name)
{
	const struct bt_component *a = pat->comps, *b = name->comps;

	for (; a && b; a = a->next, b = b->next)
		if (fnmatch(a->name, b->name, 0) || !arg_equal(a->arg, b->arg))
			return false;
	return !a && !b;
}

static bool dlist_push(struct elab_ctx *c, struct dlist *d,
		       struct bt_point *pt, struct bt_probe **chain,
		       int nchain)
{
	struct deriv *v;

	if (d->n >= ELAB_MAX_DERIVS) {
		if (!d->too_many)
			elab_error(c, &pt->loc, "this probe expands to more "
				   "than %d probe points", ELAB_MAX_DERIVS);
		d->too_many = true;
		return false;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		v = realloc(d->v, d->cap * sizeof(*v));
		if (!v)
			abort();
		d->v = v;
	}
	v = &d->v[d->n++];
	v->pt = pt;
	v->nchain = nchain;
	memcpy(v->chain, chain, nchain * sizeof(*chain));
	return true;
}

static void suggest_point(struct elab_ctx *c, const struct bt_point *pt)
{
	char text[256], name[256];
	const char *best = NULL;
	int bestd, d, len;

	elab_point_text(pt, false, text, sizeof(text));
	len = strlen(text);
	bestd = (len <= 4 ? 1 : len <= 8 ? 2 : 3) + 1;
	for (int i = 0; known_points[i]; i++) {
		d = elab_edit_distance(text, known_points[i]);
		if (d < bestd) {
			bestd = d;
			best = known_points[i];
		}
	}
	for (int i = 0; i < c->naliases; i++)
		for (struct bt_point *an = c->aliases[i]->alias_names; an;
		     an = an->next) {
			elab_point_text(an, false, name, sizeof(name));
			d = elab_edit_distance(text, name);
			if (d < bestd) {
				bestd = d;
				best = ast_strdup(c->s, name);
			}
		}
	if (best)
		elab_error(c, &pt->comps->loc, "unknown probe point '%s'; did "
			   "you mean '%s'?", text, best);
	else
		elab_error(c, &pt->comps->loc, "unknown probe point '%s'",
			   text);
}

static bool in_chain(struct bt_probe **chain, int n, struct bt_probe *a)
{
	for (int i = 0; i < n; i++)
		if (chain[i] == a)
			return true;
	return false;
}

static void expand_point(struct elab_ctx *c, const struct bt_point *pt,
			 bool optional, struct bt_probe **chain, int nchain,
			 struct bt_point *user, struct dlist *out);

static bool expand_alias(struct elab_ctx *c, const struct bt_point *pt,
			 bool optional, struct bt_probe **chain, int nchain,
			 struct bt_point *user, struct dlist *out)
{
	bool matched = false;
	char buf[256];

	for (int i = 0; i < c->naliases; i++) {
		struct bt_probe *a = c->aliases[i];
		struct bt_point *an = a->alias_names;

		while (an && !point_matches(pt, an))
			an = an->next;
		if (!an)
			continue;
		matched = true;
		if (in_chain(chain, nchain, a) ||
		    nchain >= ELAB_MAX_ALIAS_DEPTH) {
			elab_error(c, &pt->loc, "probe alias '%s' is defined "
				   "through itself",
				   elab_point_text(an, false, buf,
						   sizeof(buf)));
			continue;
		}
		chain[nchain] = a;
		if (!nchain)
			c->alias_name = an;
		for (struct bt_point *q = a->points; q; q = q->next)
			expand_point(c, q, optional || q->optional ||
				     q->sufficient, chain, nchain + 1, user,
				     out);
	}
	return matched;
}

/* A function point becomes one point per function it names. */
static void expand_funcs(struct elab_ctx *c, struct bt_point *pt,
			 struct bt_probe **chain, int nchain,
			 struct dlist *out)
{
	const char **names;
	int n = elab_func_match(c, pt, &names);

	for (int i = 0; i < n; i++)
		if (!dlist_push(c, out, elab_func_point(c, pt, names[i]),
				chain, nchain))
			break;
	free(names);
}

/* A tracepoint becomes one point per event it names (elab_trace.c). */
static void expand_traces(struct elab_ctx *c, struct bt_point *pt,
			  struct bt_probe **chain, int nchain,
			  struct dlist *out)
{
	const char **names;
	int n = elab_trace_match(c, pt, &names);

	for (int i = 0; i < n; i++)
		if (!dlist_push(c, out, elab_trace_point(c, pt, names[i]),
				chain, nchain))
			break;
	free(names);
}

static void expand_point(struct elab_ctx *c, const struct bt_point *pt,
			 bool optional, struct bt_probe **chain, int nchain,
			 struct bt_point *user, struct dlist *out)
{
	struct bt_point *copy;
	int r;

	if (!pt->comps || out->too_many)
		return;
	if (expand_alias(c, pt, optional, chain, nchain, user, out))
		return;
	copy = ast_alloc(c->s, sizeof(*copy));
	*copy = *pt;
	copy->next = NULL;
	copy->optional = optional;
	copy->alias_from = nchain ? user : NULL;
	copy->alias_name = nchain ? c->alias_name : NULL;
	r = res_builtin(c, copy);
	if (r > 0 && elab_is_func_point(copy))
		expand_funcs(c, copy, chain, nchain, out);
	else if (r > 0 && copy->type == PT_TRACEPOINT)
		expand_traces(c, copy, chain, nchain, out);
	else if (r > 0)
		dlist_push(c, out, copy, chain, nchain);
	else if (r == 0 && !optional)
		suggest_point(c, pt);
	/* An optional point that names nothing is dropped, as in stap. */
}

/* ---- copies of alias bodies ---- */

static struct bt_expr *copy_list(struct elab_ctx *c, const struct bt_expr *e)
{
	struct bt_expr *head = NULL, **tail = &head;

	for (; e; e = e->next) {
		*tail = elab_copy_expr(c, e);
		if (!*tail)
			break;
		tail = &(*tail)->next;
	}
	return head;
}

struct bt_expr *elab_copy_expr(struct elab_ctx *c, const struct bt_expr *e)
{
	struct bt_expr *n;

	if (!e || !elab_enter(c, &e->loc))
		return NULL;
	n = ast_alloc(c->s, sizeof(*n));
	*n = *e;
	n->next = NULL;
	n->left = elab_copy_expr(c, e->left);
	n->right = elab_copy_expr(c, e->right);
	n->cond = elab_copy_expr(c, e->cond);
	n->base = elab_copy_expr(c, e->base);
	n->keys = copy_list(c, e->keys);
	n->args = copy_list(c, e->args);
	n->members = copy_list(c, e->members);
	elab_leave(c);
	return n;
}

static struct bt_stmt *copy_stmt(struct elab_ctx *c, const struct bt_stmt *st);

static struct bt_stmt *copy_stmts(struct elab_ctx *c,
				  const struct bt_stmt *st)
{
	struct bt_stmt *head = NULL, **tail = &head;

	for (; st; st = st->next) {
		*tail = copy_stmt(c, st);
		if (!*tail)
			break;
		tail = &(*tail)->next;
	}
	return head;
}

static struct bt_stmt *copy_stmt(struct elab_ctx *c, const struct bt_stmt *st)
{
	struct bt_stmt *n;

	if (!st || !elab_enter(c, &st->loc))
		return NULL;
	n = ast_alloc(c->s, sizeof(*n));
	*n = *st;
	n->next = NULL;
	n->expr = elab_copy_expr(c, st->expr);
	n->cond = elab_copy_expr(c, st->cond);
	n->init = copy_stmt(c, st->init);
	n->step = elab_copy_expr(c, st->step);
	n->body = st->kind == S_BLOCK ? copy_stmts(c, st->body) :
		  copy_stmt(c, st->body);
	n->else_body = copy_stmt(c, st->else_body);
	n->value_var = elab_copy_expr(c, st->value_var);
	n->keys = copy_list(c, st->keys);
	n->array = elab_copy_expr(c, st->array);
	n->slice = copy_list(c, st->slice);
	n->hist = elab_copy_expr(c, st->hist);
	n->limit = elab_copy_expr(c, st->limit);
	n->catch_var = elab_copy_expr(c, st->catch_var);
	elab_leave(c);
	return n;
}

/* ---- probes ---- */

static bool same_chain(const struct deriv *a, const struct deriv *b)
{
	return a->nchain == b->nchain &&
	       !memcmp(a->chain, b->chain, a->nchain * sizeof(a->chain[0]));
}

static void append_stmt(struct bt_stmt ***tail, struct bt_stmt *st)
{
	if (!st)
		return;
	st->next = NULL;
	**tail = st;
	*tail = &st->next;
}

/* Alias prologues (innermost alias first), the body, then epilogues. */
static struct bt_stmt *build_body(struct elab_ctx *c, const struct deriv *d,
				  struct bt_stmt *body)
{
	struct bt_stmt *blk, **tail, *pro[ELAB_MAX_ALIAS_DEPTH], **rest;
	int i, npro = 0;

	if (!d->nchain)
		return body;
	blk = ast_alloc(c->s, sizeof(*blk));
	blk->kind = S_BLOCK;
	blk->loc = body ? body->loc : d->chain[0]->loc;
	tail = &blk->body;
	for (i = d->nchain - 1; i >= 0; i--)
		if (!d->chain[i]->alias_epilogue) {
			pro[npro] = copy_stmt(c, d->chain[i]->body);
			append_stmt(&tail, pro[npro++]);
		}
	rest = tail;
	append_stmt(&tail, body);
	for (i = 0; i < d->nchain; i++)
		if (d->chain[i]->alias_epilogue)
			append_stmt(&tail, copy_stmt(c, d->chain[i]->body));
	elab_prune_prologues(c, pro, npro, *rest);
	return blk;
}

/* The probe for the derivations with the same chain as d[first]. */
static void fill_probe(struct elab_ctx *c, struct bt_probe *p,
		       struct dlist *d, int first, bool *done,
		       struct bt_stmt *body)
{
	struct bt_point **tail = &p->points;
	bool one;

	p->body = build_body(c, &d->v[first], body);
	/* $context variables are resolved per event, as in stap: a body
	 * that uses them gets a probe of its own for each point. */
	one = elab_uses_context(c, p->body);
	*tail = NULL;
	for (int i = first; i < d->n; i++) {
		if (done[i] || !same_chain(&d->v[first], &d->v[i]) ||
		    (one && i != first))
			continue;
		done[i] = true;
		*tail = d->v[i].pt;
		tail = &d->v[i].pt->next;
	}
}

/* Expand one written probe; appends it (or what it became) at *tail. */
static void expand_probe(struct elab_ctx *c, struct bt_probe *p,
			 struct bt_probe ***tail)
{
	struct bt_probe *chain[ELAB_MAX_ALIAS_DEPTH];
	struct dlist d = { 0 };
	struct bt_stmt *orig = p->body, *body = p->body;
	bool *done, optional, first = true;
	int before, errs, errs_probe = c->errors;
	char buf[256];

	for (struct bt_point *pt = p->points; pt; pt = pt->next) {
		before = d.n;
		errs = c->errors;
		optional = pt->optional || pt->sufficient;
		expand_point(c, pt, optional, chain, 0, pt, &d);
		if (d.n == before && errs == c->errors && !optional &&
		    pt->comps)
			elab_error(c, &pt->comps->loc, "probe point '%s' "
				   "resolves to no probe",
				   elab_point_text(pt, true, buf, sizeof(buf)));
	}
	/* Every point optional and absent: the probe goes away. (A point
	 * that failed has said why already.) */
	if (!d.n && p->loc.file == c->s->main_file && p->points &&
	    c->errors == errs_probe)
		diag_warning(&p->points->loc, "this probe will never fire: "
			     "none of its optional points exists here");
	done = calloc(d.n ? d.n : 1, sizeof(*done));
	if (!done)
		abort();
	for (int i = 0; i < d.n; i++) {
		struct bt_probe *np = p;

		if (done[i])
			continue;
		if (!first) {
			np = ast_alloc(c->s, sizeof(*np));
			*np = *p;
			body = copy_stmt(c, orig);
		}
		first = false;
		fill_probe(c, np, &d, i, done, body);
		np->next = NULL;
		**tail = np;
		*tail = &np->next;
	}
	free(done);
	free(d.v);
}

int elab_points(struct elab_ctx *c)
{
	struct bt_probe *p, *next, *head = NULL, **tail = &head;
	int errs = c->errors, n = 0;

	/* The list is relinked below: keep the aliases where lookups
	 * can find them meanwhile. */
	for (p = c->s->probes; p; p = p->next)
		n += p->alias_names != NULL;
	c->aliases = calloc(n ? n : 1, sizeof(*c->aliases));
	if (!c->aliases)
		abort();
	for (p = c->s->probes; p; p = p->next)
		if (p->alias_names)
			c->aliases[c->naliases++] = p;
	for (p = c->s->probes; p; p = next) {
		next = p->next;
		if (p->alias_names) {
			p->next = NULL;
			*tail = p;
			tail = &p->next;
			continue;
		}
		expand_probe(c, p, &tail);
	}
	c->s->probes = head;
	return c->errors > errs ? -1 : 0;
}
