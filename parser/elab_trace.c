// SPDX-License-Identifier: GPL-2.0
/*
 * Elaboration of tracepoints: which events a kernel.trace point names
 * (wildcards, the system searched when left out, errors naming the
 * closest events), and the $context variables of an event, read from its
 * tracefs format file (parser/tracefs.c).
 *
 * As in stap, context variables are resolved per event: a probe whose
 * body uses them is split into one probe per point (elab_points.c asks
 * elab_uses_context), so `kernel.trace("syscalls:sys_enter_*")` with
 * `@defined($fd)` or `$$parms` gets the right answer for every event.
 * Codegen then finds the field of the probe's one point by name.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "elab_internal.h"
#include "tpargs.h"
#include "tracefs.h"

/* Suggestions listed at most, and how far (edit distance) they may be. */
#define TRACE_MAX_SUGGEST 4

static bool trace_has_wild(const char *s)
{
	return s && strpbrk(s, "*?[");
}

/* ---- events ---- */

/* Where errors about a point's event point: its "SYS:EVENT" argument. */
static const struct bt_loc *trace_loc(const struct bt_point *pt)
{
	const struct bt_component *k = pt->comps->next;

	return k->arg ? &k->arg->loc : &k->loc;
}

struct trace_near {
	const char *name[TRACE_MAX_SUGGEST];
	int dist[TRACE_MAX_SUGGEST];
	int n;
};

/* Keep the closest few, ties in the order offered. */
static void trace_near_add(struct trace_near *t, const char *name, int d)
{
	int i = t->n;

	if (i == TRACE_MAX_SUGGEST && d >= t->dist[i - 1])
		return;
	if (i == TRACE_MAX_SUGGEST)
		i--;
	else
		t->n++;
	while (i > 0 && t->dist[i - 1] > d) {
		t->name[i] = t->name[i - 1];
		t->dist[i] = t->dist[i - 1];
		i--;
	}
	t->name[i] = name;
	t->dist[i] = d;
}

/* Edit distance counting a swap of neighbours as one edit (optimal
 * string alignment): "raed" is one step from "read". */
static int trace_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[3][65], *prev2 = d[0], *prev = d[1], *cur = d[2], *t;

	if (la > 64 || lb > 64)
		return elab_edit_distance(a, b);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* A distance worth suggesting for a name of len characters. */
static int trace_near_limit(size_t len)
{
	return len <= 4 ? 1 : len <= 8 ? 2 : (int)len / 3;
}

/* "; did you mean 'a', 'b'?" or "" */
static void trace_near_text(const struct trace_near *t, char *buf,
			    size_t size)
{
	size_t len;

	int n = 0;

	buf[0] = 0;
	if (!t->n)
		return;
	/* the best, and for far guesses the ones nearly as good */
	while (n < t->n && t->dist[n] <= t->dist[0] + (t->dist[0] >= 3))
		n++;
	len = snprintf(buf, size, "; did you mean ");
	for (int i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s'%s'",
				i ? (i + 1 == n ? " or " : ", ") : "",
				t->name[i]);
	if (len < size)
		snprintf(buf + len, size - len, "?");
}

static void trace_unknown(struct elab_ctx *c, const struct bt_point *pt,
			  const char *const *names, int n, const char *what)
{
	const char *sys = pt->tp_system, *ev = pt->tp_event;
	struct trace_near near = { .n = 0 };
	char text[256], hint[1024];
	int limit, d;

	snprintf(text, sizeof(text), "%s%s%s", sys ? sys : "", sys ? ":" : "",
		 ev);
	limit = trace_near_limit(strlen(text));
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(names[i], ':');

		/* without a system, compare with the event names */
		d = trace_distance(text, sys ? names[i] : colon + 1);
		if (d <= limit)
			trace_near_add(&near, names[i], d);
	}
	trace_near_text(&near, hint, sizeof(hint));
	elab_error(c, trace_loc(pt), "%s '%s'%s", what, text, hint);
}

static bool trace_list(struct elab_ctx *c, const struct bt_point *pt,
		       const char *const **names, int *n)
{
	*n = tracefs_events(names);
	if (*n >= 0)
		return true;
	elab_error(c, trace_loc(pt), "cannot list the tracepoints: "
		   "tracefs is not readable (%s); mount it: mount -t tracefs "
		   "nodev /sys/kernel/tracing", strerror(errno));
	return false;
}

static const char **trace_names_add(const char **v, int *n, const char *s)
{
	const char **p = realloc(v, (*n + 1) * sizeof(*v));

	if (!p)
		abort();
	p[(*n)++] = s;
	return p;
}

/* Several events called EVENT in different systems. */
static void trace_ambiguous(struct elab_ctx *c, const struct bt_point *pt,
			    const char **v, int n)
{
	char list[1024];
	size_t len = 0;

	list[0] = 0;
	for (int i = 0; i < n && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s'%s'",
				i ? ", " : "", v[i]);
	elab_error(c, trace_loc(pt), "tracepoint '%s' is ambiguous: "
		   "it is in %d systems (%s); name one as \"SYSTEM:%s\"",
		   pt->tp_event, n, list, pt->tp_event);
}

/*
 * "SYSTEM:EVENT" named exactly: its format file says it exists, without
 * reading and sorting the list of every event (two thirds of a small
 * script's compile time). Anything else goes through the list, which
 * also gives the messages.
 */
static int trace_match_exact(struct elab_ctx *c, const struct bt_point *pt,
			     const char ***out)
{
	const char *sys = pt->tp_system, *ev = pt->tp_event;
	size_t len;
	char *name;

	if (!sys || trace_has_wild(sys) || trace_has_wild(ev) ||
	    !tracefs_event(sys, ev))
		return 0;
	len = strlen(sys) + 1 + strlen(ev) + 1;
	name = ast_alloc(c->s, len);
	*out = malloc(sizeof(**out));
	if (!*out)
		abort();
	snprintf(name, len, "%s:%s", sys, ev);
	(*out)[0] = name;
	return 1;
}

int elab_trace_match(struct elab_ctx *c, struct bt_point *pt,
		     const char ***out)
{
	const char *const *names;
	const char **v = NULL;
	const char *sys = pt->tp_system, *ev = pt->tp_event;
	bool wild = trace_has_wild(sys) || trace_has_wild(ev);
	int n, nv = 0;

	*out = NULL;
	if (trace_match_exact(c, pt, out))
		return 1;
	if (!trace_list(c, pt, &names, &n))
		return -1;
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(names[i], ':');
		size_t slen = colon - names[i];
		char sbuf[256];

		if (slen >= sizeof(sbuf))
			continue;
		memcpy(sbuf, names[i], slen);
		sbuf[slen] = 0;
		if (sys && (wild ? fnmatch(sys, sbuf, 0) : strcmp(sys, sbuf)))
			continue;
		if (wild ? fnmatch(ev, colon + 1, 0) : strcmp(ev, colon + 1))
			continue;
		v = trace_names_add(v, &nv, names[i]);
	}
	if (!wild && nv > 1) {
		trace_ambiguous(c, pt, v, nv);
		free(v);
		return -1;
	}
	if (!nv && !pt->optional)
		trace_unknown(c, pt, names, n, wild ? "no tracepoint matches" :
			      "unknown tracepoint");
	if (!nv) {
		free(v);
		return pt->optional ? 0 : -1;
	}
	*out = v;
	return nv;
}

struct bt_point *elab_trace_point(struct elab_ctx *c,
				  const struct bt_point *pt, const char *name)
{
	struct bt_point *np = ast_alloc(c->s, sizeof(*np));
	const char *colon = strchr(name, ':');
	struct bt_component **tail = &np->comps;

	*np = *pt;
	np->next = NULL;
	np->tp_system = ast_strndup(c->s, name, colon - name);
	np->tp_event = ast_strdup(c->s, colon + 1);
	/* The components again, spelling "SYSTEM:EVENT": what pp() and
	 * -p2 show, as stap does. */
	np->comps = NULL;
	for (const struct bt_component *k = pt->comps; k; k = k->next) {
		struct bt_component *nk = ast_alloc(c->s, sizeof(*nk));

		*nk = *k;
		nk->next = NULL;
		if (!strcmp(k->name, "trace") && k->arg) {
			nk->arg = ast_alloc(c->s, sizeof(*nk->arg));
			*nk->arg = *k->arg;
			nk->arg->str = ast_strdup(c->s, name);
			nk->arg->len = strlen(name);
		}
		*tail = nk;
		tail = &nk->next;
	}
	return np;
}

/* ---- does a body use context variables? ---- */

/*
 * With ev NULL: does an expression use context variables (or @defined)?
 * With ev: does it read an argument of ev that is not also a field of
 * its record (sched_switch's $next)? Such a probe reads arguments.
 */
static bool trace_expr_uses(struct elab_ctx *c, const struct bt_expr *e,
			    const struct tracefs_event *ev);

static bool trace_list_uses(struct elab_ctx *c, const struct bt_expr *e,
			    const struct tracefs_event *ev)
{
	for (; e; e = e->next)
		if (trace_expr_uses(c, e, ev))
			return true;
	return false;
}

static bool trace_is_argument(const struct tracefs_event *ev,
			      const char *name)
{
	uint32_t type;
	int index;

	return name[1] != '$' && !tracefs_field(ev, name + 1) &&
	       !tpargs_find(ev->name, name + 1, &index, &type);
}

static bool trace_expr_uses(struct elab_ctx *c, const struct bt_expr *e,
			    const struct tracefs_event *ev)
{
	bool r;

	if (!e)
		return false;
	if (e->kind == E_TARGET && ev)
		return trace_is_argument(ev, e->name);
	if ((e->kind == E_TARGET || e->kind == E_DEFINED) && !ev)
		return true;
	if (!elab_enter(c, &e->loc))
		return false;
	r = trace_expr_uses(c, e->left, ev) ||
	    trace_expr_uses(c, e->right, ev) ||
	    trace_expr_uses(c, e->cond, ev) ||
	    trace_expr_uses(c, e->base, ev) ||
	    trace_list_uses(c, e->keys, ev) || trace_list_uses(c, e->args, ev);
	elab_leave(c);
	return r;
}

static bool trace_stmts_use(struct elab_ctx *c, const struct bt_stmt *st,
			    const struct tracefs_event *ev)
{
	bool r = false;

	for (; st && !r; st = st->next) {
		if (!elab_enter(c, &st->loc))
			return false;
		r = trace_expr_uses(c, st->expr, ev) ||
		    trace_expr_uses(c, st->cond, ev) ||
		    trace_stmts_use(c, st->init, ev) ||
		    trace_expr_uses(c, st->step, ev) ||
		    trace_stmts_use(c, st->body, ev) ||
		    trace_stmts_use(c, st->else_body, ev) ||
		    trace_expr_uses(c, st->limit, ev);
		elab_leave(c);
	}
	return r;
}

bool elab_uses_context(struct elab_ctx *c, const struct bt_stmt *st)
{
	return trace_stmts_use(c, st, NULL);
}

/* ---- context variables ---- */

/* The event of the current probe's point (one, once split), or NULL after
 * an error. */
static const struct tracefs_event *trace_event_of(struct elab_ctx *c,
						  const struct bt_loc *loc,
						  bool report)
{
	const struct bt_point *pt = c->probe ? c->probe->points : NULL;
	const struct tracefs_event *ev;

	if (!pt || (pt->type != PT_TRACEPOINT &&
		    pt->type != PT_RAW_TRACEPOINT) || !pt->tp_system)
		return NULL;
	ev = tracefs_event(pt->tp_system, pt->tp_event);
	if (!ev && report)
		elab_error(c, loc, "cannot read the format of tracepoint "
			   "'%s:%s': %s", pt->tp_system, pt->tp_event,
			   strerror(errno));
	return ev;
}

/* Fields nearest to name first, then the rest, in record order. */
static void trace_fields_text(const struct tracefs_event *ev,
			      const char *name, char *buf, size_t size)
{
	struct trace_near near = { .n = 0 };
	size_t len = 0;
	bool any = false;

	buf[0] = 0;
	for (int i = 0; i < ev->nfields; i++)
		if (!ev->fields[i].common)
			trace_near_add(&near, ev->fields[i].name,
				       trace_distance(name,
						      ev->fields[i].name));
	for (int i = 0; i < near.n && len < size; i++) {
		if (near.dist[i] > trace_near_limit(strlen(name)))
			break;
		len += snprintf(buf + len, size - len, "%s$%s",
				any ? ", " : "did you mean ", near.name[i]);
		any = true;
	}
	if (any && len < size)
		len += snprintf(buf + len, size - len, "? ");
	for (int i = 0; i < ev->nfields && len < size; i++)
		if (!ev->fields[i].common)
			len += snprintf(buf + len, size - len, "%s$%s",
					len && buf[len - 1] != ' ' ? ", " :
					"it has ", ev->fields[i].name);
	if (len && len < size && buf[len - 1] == ' ')
		buf[len - 1] = 0;
	if (!len)
		snprintf(buf, size, "it has no fields");
}

static struct bt_expr *trace_new(struct elab_ctx *c, enum bt_expr_kind k,
				 const struct bt_loc *loc)
{
	return ast_expr(c->s, k, *loc);
}

static void trace_string_const(struct elab_ctx *c, struct bt_expr *e,
			       const char *s)
{
	e->kind = E_STR;
	e->str = ast_strdup(c->s, s);
	e->len = strlen(s);
	e->name = NULL;
	e->type = BT_STRING;
}

/* $$parms / $$vars: sprintf("a=%#x b=%p c=\"%s\"", $a, $b, $c), the
 * format stap builds (%#x for integers, %p for pointers); strings, which
 * stap shows as addresses, are quoted like its pretty printer does.
 * Fields named __* (__syscall_nr) are the kernel's, not the event's
 * arguments, and stay out, as do the ones a script cannot read. */
static void trace_parms(struct elab_ctx *c, struct bt_expr *e,
			const struct tracefs_event *ev)
{
	struct bt_expr *fmt = trace_new(c, E_STR, &e->loc), **tail;
	char *buf = ast_alloc(c->s, 64 * (ev->nfields + 1));
	size_t len = 0;

	tail = &fmt->next;
	for (int i = 0; i < ev->nfields; i++) {
		const struct tracefs_field *f = &ev->fields[i];
		struct bt_expr *a;

		if (f->common || f->kind == TRACEFS_OTHER ||
		    f->kind == TRACEFS_ARRAY ||
		    !strncmp(f->name, "__", 2) || strlen(f->name) > 48)
			continue;
		len += sprintf(buf + len, "%s%s=%s", len ? " " : "", f->name,
			       tracefs_is_string(f) ? "\"%s\"" :
			       f->kind == TRACEFS_PTR ? "%p" : "%#x");
		a = trace_new(c, E_TARGET, &e->loc);
		a->name = ast_alloc(c->s, strlen(f->name) + 2);
		sprintf(a->name, "$%s", f->name);
		*tail = a;
		tail = &a->next;
	}
	if (!len) {
		trace_string_const(c, e, "");
		return;
	}
	fmt->str = buf;
	fmt->len = len;
	e->kind = E_CALL;
	e->name = ast_strdup(c->s, "sprintf");
	e->args = fmt;
	e->members = NULL;
}

/* Can $name[i] read an element of field f? */
static bool trace_indexable(const struct tracefs_field *f)
{
	return (f->kind == TRACEFS_CHARS || f->kind == TRACEFS_ARRAY) &&
	       f->count;
}

/* $name[i] of an array field: a long. Nothing else follows a field:
 * without debuginfo its value has no members. */
static int trace_element(struct elab_ctx *c, struct bt_expr *e,
			 const struct tracefs_event *ev,
			 const struct tracefs_field *f)
{
	const struct bt_expr *m = e->members, *i = m->keys;

	if (m->kind == E_STR) {
		elab_error(c, &e->loc, "cannot follow '->' from '%s': without "
			   "debuginfo a tracepoint field is only a value",
			   e->name);
		return -1;
	}
	if (!trace_indexable(f)) {
		elab_error(c, &e->loc, "field '%s' of tracepoint '%s:%s' "
			   "(%s) is not an array", f->name, ev->system,
			   ev->name, f->type);
		return -1;
	}
	if (m->next) {
		elab_error(c, &m->next->loc, "'%s[...]' is an element of %s: "
			   "nothing follows it", e->name, f->type);
		return -1;
	}
	if (i && i->kind == E_NUM && (i->num < 0 || i->num >= f->count)) {
		elab_error(c, &i->loc, "index %lld is out of range for field "
			   "'%s' (%s)", (long long)i->num, f->name, f->type);
		return -1;
	}
	e->type = BT_LONG;
	return 0;
}

void elab_trace_start(struct elab_ctx *c, struct bt_probe *p)
{
	struct bt_point *pt = p->points;
	const struct tracefs_event *ev;

	if (!pt || pt->next || pt->type != PT_TRACEPOINT || !pt->tp_system)
		return;
	ev = tracefs_event(pt->tp_system, pt->tp_event);
	if (ev && trace_stmts_use(c, p->body, ev))
		pt->type = PT_RAW_TRACEPOINT;
}

/*
 * A probe reads either the record's fields (a tracepoint program, whose
 * context is the record) or the tracepoint's arguments (a raw
 * tracepoint program, whose context is the arguments): not both.
 * elab_trace_start made the point PT_RAW_TRACEPOINT when the body reads
 * a name only the arguments have; then a name both have is the
 * argument, one only the record has is an error.
 */
static bool trace_mode(struct elab_ctx *c, const struct bt_expr *e, bool raw)
{
	struct bt_point *pt = c->probe->points;

	if (raw ? c->tp_fields : pt->type == PT_RAW_TRACEPOINT) {
		elab_error(c, &e->loc, "'%s' is %s of tracepoint '%s:%s', but "
			   "this probe reads its %s already: a probe reads "
			   "either the fields of the record or the arguments",
			   e->name, raw ? "an argument" : "a field of the record",
			   pt->tp_system, pt->tp_event,
			   raw ? "fields" : "arguments");
		return false;
	}
	if (raw)
		pt->type = PT_RAW_TRACEPOINT;
	else
		c->tp_fields = true;
	return true;
}

/* $name as an argument of the tracepoint (sched_switch's $next): a long,
 * its members followed by codegen through the kernel's BTF. 0, or -1
 * when it is not one (nothing reported). */
static int trace_argument(struct elab_ctx *c, struct bt_expr *e,
			  const struct tracefs_event *ev)
{
	uint32_t type;
	int index;

	if (e->name[1] == '$' || tpargs_find(ev->name, e->name + 1, &index,
					     &type))
		return -1;
	if (!trace_mode(c, e, true))
		return 1;	/* reported */
	e->type = BT_LONG;
	return 0;
}

/*
 * $x$ and $x$$ (stap's pretty-printed forms): the value as $$parms shows
 * a field, without its name (quoted for strings, %p for pointer fields,
 * %#x for the rest); $$parms$ and the like are $$parms, tracepoint
 * fields having no members to expand.
 */
static int trace_pretty(struct elab_ctx *c, struct bt_expr *e,
			const struct tracefs_event *ev)
{
	char *name = ast_strdup(c->s, e->name), *end = name + strlen(name);
	const struct tracefs_field *f;
	struct bt_expr *fmt, *arg;
	int r;

	while (end > name + 1 && end[-1] == '$')
		*--end = 0;
	e->name = name;
	r = elab_trace_target(c, e);
	if (r)
		return r;
	f = name[1] != '$' && !e->members ? tracefs_field(ev, name + 1) :
	    NULL;
	arg = trace_new(c, E_TARGET, &e->loc);
	arg->name = name;
	arg->members = e->members;
	arg->type = e->type;
	fmt = trace_new(c, E_STR, &e->loc);
	fmt->str = ast_strdup(c->s, e->type == BT_STRING ? "\"%s\"" :
			      f && f->kind == TRACEFS_PTR ? "%p" : "%#x");
	fmt->len = strlen(fmt->str);
	fmt->next = arg;
	e->kind = E_CALL;
	e->name = ast_strdup(c->s, "sprintf");
	e->args = fmt;
	e->members = NULL;
	e->type = BT_UNKNOWN;
	return 1;
}

int elab_trace_target(struct elab_ctx *c, struct bt_expr *e)
{
	const struct tracefs_event *ev = trace_event_of(c, &e->loc, true);
	const struct tracefs_field *f;
	char buf[2048], args[512];
	int r;

	if (!ev)
		return -1;
	if (e->name[strlen(e->name) - 1] == '$' && strlen(e->name) > 2)
		return trace_pretty(c, e, ev);
	if (!strcmp(e->name, "$$parms") || !strcmp(e->name, "$$vars")) {
		if (!trace_mode(c, e, false))
			return -1;
		trace_parms(c, e, ev);
		return 1;
	}
	if (!strcmp(e->name, "$$name") || !strcmp(e->name, "$$system")) {
		trace_string_const(c, e, e->name[2] == 'n' ? ev->name :
				   ev->system);
		return 1;
	}
	f = e->name[1] != '$' ? tracefs_field(ev, e->name + 1) : NULL;
	/* a name both a field and an argument ($prev_state) is what the
	 * probe reads already: a field unless it reads arguments */
	if ((!f || c->probe->points->type == PT_RAW_TRACEPOINT) &&
	    (r = trace_argument(c, e, ev)) >= 0)
		return r ? -1 : 0;
	if (!f) {
		trace_fields_text(ev, e->name + 1, buf, sizeof(buf));
		if (tpargs_names(ev->name, args, sizeof(args)) || !args[0])
			args[0] = 0;
		elab_error(c, &e->loc, "tracepoint '%s:%s' has no field '%s'; "
			   "%s%s%s", ev->system, ev->name, e->name + 1, buf,
			   args[0] ? "; its arguments: " : "", args);
		return -1;
	}
	if (!trace_mode(c, e, false))
		return -1;
	if (f->common) {
		/* perf_trace_run_bpf_submit stores the pt_regs pointer over
		 * the first 8 bytes before the program runs */
		elab_error(c, &e->loc, "'%s' is not available to BPF "
			   "programs (the kernel overwrites the common "
			   "header); use pid(), tid() or cpu()", e->name);
		return -1;
	}
	if (e->members)
		return trace_element(c, e, ev, f);
	if (f->kind == TRACEFS_ARRAY) {
		elab_error(c, &e->loc, "field '%s' of tracepoint '%s:%s' is "
			   "an array of %u: read an element (%s[0])", f->name,
			   ev->system, ev->name, f->count, e->name);
		return -1;
	}
	if (f->kind == TRACEFS_OTHER) {
		elab_error(c, &e->loc, "field '%s' of tracepoint '%s:%s' has "
			   "type '%s', which bpftap cannot read", f->name,
			   ev->system, ev->name, f->type);
		return -1;
	}
	e->type = tracefs_is_string(f) ? BT_STRING : BT_LONG;
	return 0;
}

bool elab_trace_defined(struct elab_ctx *c, const struct bt_expr *e)
{
	const struct tracefs_field *f;
	const struct tracefs_event *ev;
	const struct bt_expr *m;
	const char *n;
	bool r = true;

	if (!e)
		return true;
	if (e->kind == E_TARGET && c->probe &&
	    elab_kvars_point(c->probe->points))
		return elab_kvars_defined(c, e);
	if (e->kind == E_TARGET) {
		char *plain = ast_strdup(c->s, e->name);
		size_t len = strlen(plain);

		/* $x$ is defined when $x is */
		while (len > 2 && plain[len - 1] == '$')
			plain[--len] = 0;
		ev = trace_event_of(c, &e->loc, false);
		n = plain;
		if (!ev)
			return false;
		if (!e->members && (!strcmp(n, "$$parms") ||
				    !strcmp(n, "$$vars") ||
				    !strcmp(n, "$$name") ||
				    !strcmp(n, "$$system")))
			return true;
		f = n[1] != '$' ? tracefs_field(ev, n + 1) : NULL;
		if (!f) {
			uint32_t type;
			int index;

			/* an argument (its members are checked later) */
			return n[1] != '$' &&
			       !tpargs_find(ev->name, n + 1, &index, &type);
		}
		if (f->common || f->kind == TRACEFS_OTHER)
			return false;
		/* a field, or one element of an array field */
		if (!e->members)
			return f->kind != TRACEFS_ARRAY;
		m = e->members;
		return m->kind == E_INDEX && !m->next && trace_indexable(f) &&
		       (m->keys->kind != E_NUM ||
			(m->keys->num >= 0 && m->keys->num < f->count));
	}
	if (!elab_enter(c, &e->loc))
		return false;
	r = elab_trace_defined(c, e->left) && elab_trace_defined(c, e->right) &&
	    elab_trace_defined(c, e->cond) && elab_trace_defined(c, e->base);
	for (const struct bt_expr *k = e->keys; k && r; k = k->next)
		r = elab_trace_defined(c, k);
	for (const struct bt_expr *a = e->args; a && r; a = a->next)
		r = elab_trace_defined(c, a);
	elab_leave(c);
	return r;
}
