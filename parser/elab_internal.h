/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Elaboration's private state, shared by elaborate.c (driver, globals,
 * functions, call graph), elab_resolve.c (names and calls in bodies),
 * elab_points.c (probe points, aliases), elab_types.c (type inference)
 * and elab_print.c (-p2). Nothing here is part of the AST
 * contract: other passes see only the "elab:" fields of ast.h.
 */
#ifndef BPFTAP_ELAB_INTERNAL_H
#define BPFTAP_ELAB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"

struct bt_builtin;

/*
 * Walks recurse on expression and statement nesting. The parser bounds
 * nesting, but a left-associative chain (a + b + c + ...) does not count
 * as nesting there, so the walks keep their own bound to never overflow
 * the C stack.
 */
#define ELAB_MAX_DEPTH 4000
/* Aliases naming aliases: deeper than this is taken for a cycle. */
#define ELAB_MAX_ALIAS_DEPTH 32
/* Kernel HZ for timer.jiffies(N): not knowable from user space without
 * /proc/config.gz (sysconf gives USER_HZ), so use the common default. */
#define ELAB_KERNEL_HZ 250

/* A symbol with the facts only elaboration needs. sym is first so that a
 * struct bt_sym * from the AST converts back with elab_sym(). */
struct elab_sym {
	struct bt_sym sym;
	bool is_array;			/* declared [N]/% or used as one */
	struct bt_loc array_loc;	/* where it became an array */
	struct bt_loc nkeys_loc;	/* where the number of keys was fixed */
	struct bt_loc key_loc[BT_MAX_KEYS];	/* where each key type was */
	bool library;			/* declared in a library file */
	const struct bt_expr *hist;	/* its first @hist_* (one kind each) */
};

static inline struct elab_sym *elab_sym(struct bt_sym *s)
{
	return (struct elab_sym *)s;
}

/* A call from a function body, for the call graph. */
struct elab_call {
	int callee;			/* index in elab_ctx.fns */
	struct bt_expr *site;
};

struct elab_fn {
	struct bt_func *f;
	bool library;			/* defined in a library file */
	bool active;			/* elaborated: user's, or called */
	bool duplicate;			/* a second definition: ignored */
	bool head;			/* first of its overloads (calls go
					 * here; f->overload the rest) */
	bool has_value_return;
	struct bt_loc ret_loc;		/* where the result type was fixed */
	struct elab_call *calls;
	int ncalls, capcalls;
	int mark;			/* call graph walk: 0, 1 open, 2 done */
};

/* String-keyed open-addressing table. */
struct elab_hash {
	const char **keys;
	void **vals;
	size_t cap, n;
};

struct elab_ctx {
	struct bt_script *s;
	int errors;

	struct elab_hash globals;	/* name -> struct bt_sym * */
	struct elab_hash fnames;	/* name -> index + 1 (as a pointer) */
	struct elab_fn *fns;
	int nfns;
	int *work;			/* functions waiting to be resolved */
	struct bt_probe **aliases;	/* alias definitions, in order */
	int naliases;
	struct bt_point *alias_name;	/* the outermost alias being
					 * expanded, for bt_point.alias_name */
	int nwork, capwork;

	/* The body being walked. */
	struct bt_probe *probe;		/* NULL in a function */
	int fn;				/* index in fns, or -1 */
	struct bt_sym **locals;		/* &probe->locals or &f->locals */
	bool tp_fields;			/* it read a tracepoint's field */
	int loops;			/* enclosing loops */
	int depth;
	bool depth_reported;

	/* Type inference. */
	bool report;			/* print mismatches (the last walk) */
	bool changed;			/* a type was fixed in this walk */
};

/* elaborate.c */
struct elab_sym *elab_sym_new(struct elab_ctx *c, enum bt_sym_kind kind,
			      const char *name, const struct bt_loc *loc);
/* Queue a function for resolution (once). */
void elab_fn_activate(struct elab_ctx *c, int idx);
void elab_fn_add_call(struct elab_ctx *c, int from, int to,
		      struct bt_expr *site);
void elab_error(struct elab_ctx *c, const struct bt_loc *loc,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool elab_is_library(const struct elab_ctx *c, const struct bt_loc *loc);
/* elab_prune.c: drop the assignments of the n library alias prologues
 * (innermost first) that neither a later prologue statement nor rest
 * (the body and the epilogues) reads. */
void elab_prune_prologues(struct elab_ctx *c, struct bt_stmt **prologues,
			  int n, const struct bt_stmt *rest);
void *elab_hash_get(const struct elab_hash *h, const char *key);
int elab_hash_put(struct elab_hash *h, const char *key, void *val);
void elab_hash_free(struct elab_hash *h);
int elab_edit_distance(const char *a, const char *b);
/* Index in c->fns of the user function `name`, or -1. */
int elab_fn_index(const struct elab_ctx *c, const char *name);
int elab_fn_for_call(const struct elab_ctx *c, const char *name, int nargs);
bool elab_enter(struct elab_ctx *c, const struct bt_loc *loc);
static inline void elab_leave(struct elab_ctx *c)
{
	c->depth--;
}

/* elab_resolve.c: resolve every probe and the user's functions, then
 * the library functions they call. */
void elab_resolve(struct elab_ctx *c);

/* elab_points.c */
int elab_points(struct elab_ctx *c);
/* The first point of the current probe where $context variables are not
 * available, or NULL when they are available at every point. */
const struct bt_point *elab_target_vars_bad(const struct elab_ctx *c);
struct bt_expr *elab_copy_expr(struct elab_ctx *c, const struct bt_expr *e);
const char *elab_point_text(const struct bt_point *pt, bool args, char *buf,
			    size_t size);
void elab_point_describe(const struct bt_point *pt, char *buf, size_t size);

/* elab_funcs.c: function probe points (uprobes, kprobes) */
bool elab_is_func_point(const struct bt_point *pt);
/* The functions pt names (checked against the binary or the kernel;
 * several for a wildcard): their count with *names a malloc'd array,
 * 0 when an optional point names nothing, -1 after an error. */
int elab_func_match(struct elab_ctx *c, struct bt_point *pt,
		    const char ***names);
/* A copy of pt for the function called name. */
struct bt_point *elab_func_point(struct elab_ctx *c,
				 const struct bt_point *pt, const char *name);

/* elab_trace.c: tracepoints (events from tracefs, $fields) */
/* The events a kernel.trace point names ("SYSTEM:EVENT", several for a
 * wildcard): their count with *names a malloc'd array (the strings are
 * tracefs's cache), 0 when an optional point names none, -1 after an
 * error naming the closest events. */
int elab_trace_match(struct elab_ctx *c, struct bt_point *pt,
		     const char ***names);
/* A copy of pt for the event name ("SYSTEM:EVENT"). */
struct bt_point *elab_trace_point(struct elab_ctx *c,
				  const struct bt_point *pt, const char *name);
/* Does a body use $context variables (or @defined)? Such a probe gets
 * one probe per point: each event has its own fields. */
bool elab_uses_context(struct elab_ctx *c, const struct bt_stmt *st);
/* Resolve $name, $$parms, ... in the current (tracepoint) probe: 0 with
 * e->type set, 1 when e became another expression to resolve (E_CALL,
 * E_STR), -1 after an error. */
int elab_trace_target(struct elab_ctx *c, struct bt_expr *e);
/* Before resolving probe p: a tracepoint probe whose body reads an
 * argument of the event that its record does not have ($next of
 * sched_switch) becomes PT_RAW_TRACEPOINT. */
void elab_trace_start(struct elab_ctx *c, struct bt_probe *p);
/* Is every context variable in e a field of the current probe's event? */
bool elab_trace_defined(struct elab_ctx *c, const struct bt_expr *e);

/* elab_kvars.c: $param and $return of kernel.function probes (BTF) */
bool elab_kvars_point(const struct bt_point *pt);
/* Resolve $name in the current kprobe probe: 0 with e->type set, -1
 * after an error. */
int elab_kvars_target(struct elab_ctx *c, struct bt_expr *e);
bool elab_kvars_defined(struct elab_ctx *c, const struct bt_expr *e);

/* elab_types.c */
void elab_types(struct elab_ctx *c);
/* Parses a printf-style format: fills types[] (up to max) with the type
 * each argument must have and returns the number of arguments, or -1
 * with *bad set to the offending conversion character. */
int elab_format_args(const char *fmt, size_t len, enum bt_type *types,
		     int max, char *bad);

#endif
