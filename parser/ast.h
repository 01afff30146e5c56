/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The abstract syntax tree of a SystemTap script.
 *
 * Every node is allocated from the script's arena (ast_alloc) and freed in
 * one go with the script (ast_script_free), so passes never free nodes one
 * by one. Lists are singly linked through each node's `next` field, in
 * source order. Every node carries the location of the token that best
 * names it (the operator of a binary expression, the keyword of a
 * statement, the identifier of a variable) so that diagnostics can point at
 * it with a caret.
 *
 * The parser fills in the syntactic fields; elaboration (elaborate.c) fills
 * in the fields marked "elab:" (symbols, types, resolved calls and probe
 * points). Code generation reads both.
 */
#ifndef BPFTAP_AST_H
#define BPFTAP_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bt_loc {
	const char *file;	/* interned: lives as long as the script */
	int line;		/* 1-based */
	int col;		/* 1-based, in bytes */
};

/* Value types. BT_STATS is an aggregate fed with <<<. */
enum bt_type {
	BT_UNKNOWN = 0,
	BT_LONG,
	BT_STRING,
	BT_STATS,
	BT_VOID,		/* a function without a result */
};

#define BT_MAX_KEYS 9

/* Operators of E_BINARY, E_UNARY and E_ASSIGN. */
enum bt_op {
	OP_NONE = 0,		/* plain '=' in E_ASSIGN */
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_SHL, OP_SHR, OP_USHR,	/* << >> >>> */
	OP_BAND, OP_BOR, OP_BXOR,	/* & | ^ */
	OP_LAND, OP_LOR,		/* && || */
	OP_CONCAT,			/* . */
	OP_LT, OP_GT, OP_LE, OP_GE, OP_EQ, OP_NE,
	OP_NEG, OP_PLUS, OP_BNOT, OP_LNOT,	/* unary - + ~ ! */
	OP_AGG,				/* <<< (only in E_ASSIGN) */
	OP_MATCH, OP_NMATCH,		/* =~ !~ (E_BINARY: left a string,
					 * right the regex, a string literal) */
};

enum bt_expr_kind {
	E_NUM,		/* num */
	E_STR,		/* str, len (escapes already decoded) */
	E_VAR,		/* name: a local, a global scalar or a whole array */
	E_INDEX,	/* base (E_VAR naming the array), keys (list) */
	E_BINARY,	/* op, left, right */
	E_UNARY,	/* op, left */
	E_PREINC, E_PREDEC, E_POSTINC, E_POSTDEC,	/* left: an lvalue */
	E_ASSIGN,	/* op (OP_NONE for '=', OP_AGG for '<<<'), left, right */
	E_TERNARY,	/* cond, left (then), right (else) */
	E_IN,		/* keys (list), base (E_VAR naming the array) */
	E_CALL,		/* name, args (list) */
	E_STAT,		/* stat_op, left: the aggregate (E_VAR or E_INDEX);
			 * args: @variance's bit-shift literal, if given */
	E_HIST,		/* hist_op, left: the aggregate, args: linear's
			 * start, stop, interval; keys: the bucket number
			 * of @hist_log(x)[i], else NULL */
	E_TARGET,	/* name ("$count", "$$parms"), members: the steps
			 * after it, in order: E_STR for ->NAME, E_INDEX
			 * without a base for [EXPR] (the index in keys) */
	E_DEFINED,	/* left: the expression tested by @defined() */
	E_CAST,		/* @cast(left, "TYPE"[, "MODULE"]): str the type,
			 * args the module (E_STR) or NULL, members as for
			 * E_TARGET */
	E_WILDCARD,	/* `*` as an index: [k, *] in a, delete a[k, *],
			 * foreach (... in a[k, *]) */
};

enum bt_stat_op {
	STAT_COUNT, STAT_SUM, STAT_MIN, STAT_MAX, STAT_AVG, STAT_VARIANCE,
};

enum bt_hist_op {
	HIST_LOG, HIST_LINEAR,
};

struct bt_sym;
struct bt_func;
struct bt_builtin;

struct bt_expr {
	enum bt_expr_kind kind;
	struct bt_loc loc;
	struct bt_expr *next;		/* next in an argument or key list */

	int64_t num;			/* E_NUM */
	char *str;			/* E_STR: decoded bytes, NUL-terminated */
	size_t len;			/* E_STR: length without the NUL */
	char *name;			/* E_VAR, E_CALL, E_TARGET */

	enum bt_op op;			/* E_BINARY, E_UNARY, E_ASSIGN */
	enum bt_stat_op stat_op;	/* E_STAT */
	enum bt_hist_op hist_op;	/* E_HIST */

	struct bt_expr *left;
	struct bt_expr *right;
	struct bt_expr *cond;		/* E_TERNARY */
	struct bt_expr *base;		/* E_INDEX, E_IN: the array (E_VAR) */
	struct bt_expr *keys;		/* E_INDEX, E_IN: index expressions */
	struct bt_expr *args;		/* E_CALL, E_HIST */
	struct bt_expr *members;	/* E_TARGET */
	int radix;			/* E_NUM: 10, 16 or 8, as written */

	/* elab: */
	enum bt_type type;		/* type of the value */
	struct bt_sym *sym;		/* E_VAR, and E_INDEX/E_IN via base */
	struct bt_func *func;		/* E_CALL of a user function */
	const struct bt_builtin *builtin;	/* E_CALL of a built-in */
};

enum bt_stmt_kind {
	S_BLOCK,	/* body (list) */
	S_EXPR,		/* expr */
	S_IF,		/* cond, body (then), else_body (may be NULL) */
	S_WHILE,	/* cond, body */
	S_FOR,		/* init (S_EXPR or NULL), cond (or NULL), step (or
			 * NULL), body */
	S_FOREACH,	/* see the foreach fields */
	S_BREAK,
	S_CONTINUE,
	S_NEXT,
	S_RETURN,	/* expr (may be NULL) */
	S_DELETE,	/* expr: E_VAR (whole array or scalar) or E_INDEX */
	S_TRY,		/* body, catch_var (may be NULL), else_body (the
			 * catch block) */
	S_EMPTY,	/* a lone ';' */
};

struct bt_stmt {
	enum bt_stmt_kind kind;
	struct bt_loc loc;
	struct bt_stmt *next;		/* next statement of a block */

	struct bt_expr *expr;
	struct bt_expr *cond;
	struct bt_stmt *init;
	struct bt_expr *step;
	struct bt_stmt *body;
	struct bt_stmt *else_body;

	/*
	 * foreach ([k1, k2] in arr- limit 10) and foreach (v = [k] in arr).
	 * keys is a list of E_VAR; the brackets are optional for one key.
	 * sort_col: 0 = no sort, -1 = by value (arr+ / arr-, or v+ / v-),
	 * N >= 1 = by key column N. sort_dir: +1 ascending, -1 descending.
	 * An array of aggregates sorts by value with @count, or with the
	 * statistic written (`in arr @sum-`): sort_stat is then its
	 * bt_stat_op + 1.
	 */
	struct bt_expr *value_var;	/* E_VAR or NULL */
	struct bt_expr *keys;
	struct bt_expr *array;		/* E_VAR, or NULL with hist */
	struct bt_expr *hist;		/* foreach (b in @hist_log(x)) */
	struct bt_expr *slice;		/* in a[k, *]: index list, or NULL */
	struct bt_expr *limit;		/* or NULL */
	int sort_col;
	int sort_dir;
	int sort_stat;			/* 0, or bt_stat_op + 1 */
	bool keys_bracketed;		/* written as [k] (kept for -p1) */

	struct bt_expr *catch_var;	/* S_TRY: E_VAR or NULL */
};

/* One component of a probe point: `kernel`, `trace("sys:ev")`, `ms(10)`. */
struct bt_component {
	struct bt_loc loc;
	char *name;
	struct bt_expr *arg;		/* E_NUM, E_STR or NULL */
	struct bt_component *next;
};

enum bt_probe_type {
	PT_UNRESOLVED = 0,
	PT_BEGIN,
	PT_END,
	PT_ERROR,
	PT_TIMER,		/* timer.s/ms/us/ns/hz/jiffies: one CPU */
	PT_TIMER_PROFILE,	/* timer.profile: every CPU */
	PT_TRACEPOINT,
	PT_PERF,
	PT_KPROBE,
	PT_KRETPROBE,
	PT_UPROBE,
	PT_URETPROBE,
	PT_RAW_TRACEPOINT,	/* kernel.trace whose probe reads the
				 * tracepoint's arguments ($next), not its
				 * record's fields */
	PT_NEVER,		/* never: elaborated, never compiled or run */
};

struct bt_point {
	struct bt_loc loc;
	struct bt_component *comps;
	bool optional;			/* trailing '?' */
	bool sufficient;		/* trailing '!' */
	struct bt_point *next;

	/* elab: what the point resolved to */
	enum bt_probe_type type;
	int64_t priority;		/* begin(N), end(N), error(N) */
	uint64_t period_ns;		/* timers: interval; 0 with hz set */
	uint64_t hz;			/* timer.hz(N), perf ...hz(N) */
	char *tp_system;		/* tracepoints */
	char *tp_event;
	char *target_path;		/* uprobes: the resolved file */
	int64_t target_pid;		/* process(PID): only that process */
	char *func_name;		/* kprobes, uprobes */
	uint64_t perf_type;		/* perf.type(T): PERF_TYPE_* */
	uint64_t perf_config;		/* perf...config(C) */
	uint64_t perf_sample;		/* perf...sample(N): period in events;
					 * 0 with hz set */
	/* elab: for a point that came from expanding a probe alias, the
	 * point the user wrote (e.g. `syscall.read`); NULL otherwise. */
	struct bt_point *alias_from;
	/* elab: and the name of the (outermost) alias it went through, as
	 * the alias spells it (`syscall.read` for `syscall.rea*`). */
	struct bt_point *alias_name;
};

/* probe POINTS { body }, or an alias: probe NAMES = POINTS { body }. */
struct bt_probe {
	struct bt_loc loc;
	struct bt_point *points;
	struct bt_stmt *body;		/* S_BLOCK */
	struct bt_point *alias_names;	/* non-NULL for an alias definition */
	bool alias_epilogue;		/* probe a += b (epilogue alias) */
	struct bt_probe *next;

	/* elab: */
	struct bt_sym *locals;		/* list through bt_sym.next */
	int index;			/* position among the script's probes */
};

struct bt_param {
	struct bt_loc loc;
	char *name;
	enum bt_type type;		/* declared, or BT_UNKNOWN */
	struct bt_param *next;
	struct bt_sym *sym;		/* elab: the parameter's local */
};

struct bt_func {
	struct bt_loc loc;
	char *name;
	enum bt_type ret_type;		/* declared (`function f:long`), or
					 * BT_UNKNOWN; elab: inferred */
	struct bt_param *params;
	int nparams;
	struct bt_stmt *body;		/* S_BLOCK */
	bool is_private;
	bool has_priority;		/* `function f():3` */
	int64_t priority;		/* overloads run lowest first */
	struct bt_func *next;

	/* elab: */
	struct bt_sym *locals;		/* parameters first, then the rest */
	bool used;			/* reachable from a probe */
	int index;			/* in the elaboration's table */
	/* The next function of this name and arity in the order stap runs
	 * them (its `next` goes there), or NULL. */
	struct bt_func *overload;
};

struct bt_global {
	struct bt_loc loc;
	char *name;
	struct bt_expr *init;		/* E_NUM or E_STR (maybe negated) */
	int64_t size;			/* global a[100]: 100; 0 = default */
	bool wrap;			/* global a%[100] or a% */
	bool is_private;
	struct bt_global *next;
	struct bt_sym *sym;		/* elab */
};

enum bt_sym_kind {
	SYM_GLOBAL,
	SYM_LOCAL,
	SYM_PARAM,
};

/* A variable, filled in by elaboration. */
struct bt_sym {
	enum bt_sym_kind kind;
	const char *name;
	struct bt_loc loc;		/* declaration or first use */
	enum bt_type type;		/* of the value (of elements for an
					 * array) */
	struct bt_loc type_loc;		/* where the type was fixed */
	int nkeys;			/* 0: scalar; 1..9: array */
	enum bt_type keys[BT_MAX_KEYS];
	struct bt_global *global;	/* SYM_GLOBAL */
	bool read;			/* somewhere read (auto-print rule) */
	bool written;
	struct bt_sym *next;		/* in a probe's or function's locals,
					 * or in the script's globals */
	int slot;			/* codegen's use */
};

struct bt_arena;

struct bt_script {
	struct bt_arena *arena;
	struct bt_global *globals;
	struct bt_func *funcs;
	struct bt_probe *probes;	/* includes alias definitions */
	struct bt_sym *global_syms;	/* elab: in declaration order */
	int nprobes;			/* elab: probes, not aliases */
	const char *main_file;
};

/* Arena allocation: zeroed memory that lives as long as the script. */
struct bt_script *ast_script_new(void);
void ast_script_free(struct bt_script *s);
void *ast_alloc(struct bt_script *s, size_t size);
char *ast_strdup(struct bt_script *s, const char *str);
char *ast_strndup(struct bt_script *s, const char *str, size_t len);

struct bt_expr *ast_expr(struct bt_script *s, enum bt_expr_kind kind,
			 struct bt_loc loc);
struct bt_stmt *ast_stmt(struct bt_script *s, enum bt_stmt_kind kind,
			 struct bt_loc loc);

/* Names for printing: "+", "<<<", "@count", "long", ... */
const char *ast_op_str(enum bt_op op);
const char *ast_stat_str(enum bt_stat_op op);
/* A number literal, maybe negated (the parser hands over -N as a
 * negation): true and its value in *v. */
bool ast_literal_num(const struct bt_expr *e, int64_t *v);
const char *ast_type_str(enum bt_type t);

/* -p1: print the program back as a script that parses to the same AST. */
void ast_print(const struct bt_script *s, FILE *out);
/* The pieces, for -p2 and diagnostics: statements print at `indent`
 * levels of two spaces; expressions on one line. */
void ast_print_stmt(const struct bt_stmt *st, int indent, FILE *out);
void ast_print_expr(const struct bt_expr *e, FILE *out);
void ast_print_point(const struct bt_point *p, FILE *out);

/*
 * Structural equality of two parsed scripts, ignoring locations and the
 * elab: fields. Used by the -p1 round-trip test. On a difference, returns
 * false and writes a one-line description to why (if non-NULL).
 */
bool ast_equal(const struct bt_script *a, const struct bt_script *b,
	       char *why, size_t why_len);

#endif
