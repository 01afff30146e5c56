/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code generation internals.
 *
 * Expressions are compiled like a stack machine whose top entries are
 * cached in registers: temporary number d lives in r6+d for d < CG_TEMP_REGS
 * (callee-saved, so helper calls keep them) and in a stack spill slot
 * beyond. Scratch registers r0-r5 only ever hold values between two
 * adjacent instructions or across one helper call's argument setup.
 *
 * The stack frame of every program (512 bytes):
 *   r10-8    pointer to this CPU's scratch map value (when used)
 *   r10-16   the context pointer (r1 at entry; when used)
 *   r10-24 .. r10-88      spill slots of temporaries 4..11
 *   r10-96 .. r10-344     long locals (32), then the scratch map takes over
 *   r10-352  loop iterations in this frame (MAXACTION; when used)
 *   r10-360 .. r10-512    helper area (map keys, small buffers)
 */
#ifndef BPFTAP_CG_H
#define BPFTAP_CG_H

#include "codegen.h"
#include "emit.h"
#include "../stdlib/builtins.h"

#define CG_TEMP_REGS	4
#define CG_TEMP_REG0	BPF_REG_6
#define CG_MAX_SPILL	8
#define CG_MAX_TEMPS	(CG_TEMP_REGS + CG_MAX_SPILL)

#define CG_FP_SCRATCH	(-8)
#define CG_FP_CTX	(-16)
#define CG_FP_SPILL0	(-24)
#define CG_FP_LOCALS	(-96)
#define CG_STACK_LOCALS	32
#define CG_FP_ACTION	(-352)
#define CG_FP_HELPER	(-512)	/* helper area, 160 bytes upward */
#define CG_HELPER_SIZE	160

#define CG_MIN_CPUS	128
#define CG_MAX_LOOPS	64
#define CG_MAX_INLINE	32
#define CG_MAX_SCRATCH	32768	/* per-CPU map values (PCPU_MIN_UNIT_SIZE) */
#define CG_MAX_REGEX	32	/* =~ per program that matched() can see */

/* Where a local lives in the current program. */
struct cg_local {
	const struct bt_sym *sym;
	bool in_scratch;
	int32_t off;		/* from r10 (stack) or into the scratch value */
};

/* Where a global lives (object-wide). */
struct cg_global {
	const struct bt_sym *sym;
	uint32_t off;		/* scalars: in .data */
	int map;		/* arrays and aggregates: index in maps */
	uint32_t key_size;
	uint32_t key_width[BT_MAX_KEYS];	/* bytes of each column */
	uint32_t value_size;
	struct bt_histdesc hist;
	int var_shift;		/* @variance's bit-shift, -1 until used */
	unsigned int stat_reads;	/* aggregates: 1 << STAT_* read */
	int index;		/* in obj->globals */
};

struct cg_loop {
	int brk, cont;
};

struct cg_inline {
	const struct bt_func *func;
	int ret_label;
	int next_label;		/* `next`: the following overload */
	int result;		/* temp that receives the result */
	int32_t strbuf;		/* string results: scratch buffer, else -1 */
};

/* A deferred error errpath: jumped to on a runtime error. */
#define CG_CATCH_OUTER	(-2)	/* caught in a caller's frame */
struct cg_errpath {
	int label;
	int error;		/* index in obj->errors */
	int catch_label;	/* inside try: the catch block, CG_CATCH_OUTER,
				 * else -1 */
	const struct bt_sym *catch_var;
	char *text;		/* the message a catch variable receives */
};

/* A try block being generated: errors raised in it jump to its catch
 * block; from a callback's frame (a foreach body) through the unwind
 * word, set to CG_UNWIND_CATCH. tries[try_base..ntries-1] are this
 * frame's, the ones below are the callers'. */
#define CG_UNWIND_CATCH	2
#define CG_MAX_TRY 16
struct cg_try {
	int catch_label;
	const struct bt_sym *var;	/* catch (var), or NULL */
	const struct bt_loc *loc;	/* the try keyword */
};

struct cg {
	const struct bt_script *script;
	const struct cg_options *opt;
	struct bt_object *obj;
	int errors;

	int map_ringbuf;
	int map_scratch;		/* -1 until a program needs it */
	uint32_t strfield;
	struct cg_global *globals;
	int nglobals;
	uint32_t zero_off;		/* zeroed .data block: "" and the
					 * initial value of new elements */
	uint32_t max_key_size;
	uint32_t ncpus;			/* bound of loops over CPUs: the
					 * possible CPUs, at least
					 * CG_MIN_CPUS so objects travel */

	/* the program being generated */
	struct emit_buf b;
	const struct bt_probe *probe;
	const struct bt_point *point;
	int exit_label;
	int depth;			/* temporaries in use */
	const struct bt_point *complex_point;	/* "too complex" said */
	struct cg_local *locals;
	int nlocals, locals_cap;
	int nstack_locals;
	uint32_t scratch_used;		/* bytes of the scratch value used */
	uint32_t scratch_floor;		/* end of the last cg_scratch_alloc */
	uint32_t scratch_tmp;		/* cursor of cg_scratch_temp */
	const struct bt_point *tmp_point;	/* the program they serve */
	int32_t key_scratch;		/* scratch key buffer, or -1 */
	bool uses_ctx;
	struct cg_loop loops[CG_MAX_LOOPS];
	int nloops;
	struct cg_inline inl[CG_MAX_INLINE];
	int ninl;
	struct cg_errpath *errpaths;
	int nerrpaths, errpaths_cap;
	struct cg_try tries[CG_MAX_TRY];
	int ntries, try_base;

	/* foreach and whole-array delete run their bodies in callbacks */
	bool all_scratch;		/* every local in the scratch map, so
					 * callbacks (other frames) see them */
	int32_t action_off;		/* scratch word: loop iterations of this
					 * run (MAXACTION), or -1 */
	int32_t unwind_off;		/* scratch word: a callback left the
					 * probe (next, error: 1) or unwinds
					 * to a catch (CG_UNWIND_CATCH); or
					 * -1 */
	int unwind_label;		/* in a callback: return, keeping the
					 * unwind word */
	int32_t ctx_off;		/* scratch word: the context's address,
					 * for callbacks (whose r10-16 is not
					 * it); or -1 */
	int ncallbacks;			/* in this probe, for names */
	int cb_depth;			/* callbacks being generated */
	int hidden_inl;			/* inline frames a callback can't
					 * return into */
	struct bt_objprog *subs;	/* callbacks of every program; appended
					 * to obj->progs at the end */
	int nsubs;

	/* sprintf's formatting callback (cg_sprintf.c), one per program */
	const struct bt_point *sf_point;	/* the program it serves */
	int sf_engine;				/* index in subs */
	int32_t sf_scratch;			/* its scratch area */

	/* =~ and matched() (cg_regex.c), per program: the regexes seen
	 * and the scratch block with the last match's subject */
	const struct bt_point *rx_point;
	int32_t rx_scratch;
	int rx_n;
	const struct bt_expr *rx_re[CG_MAX_REGEX];
};

/* cg_main.c */
void cg_error(struct cg *c, const struct bt_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cg_add_error(struct cg *c, const char *msg, bool dynamic);
int cg_add_format(struct cg *c, const char *fmt, size_t len,
		  const enum bt_type *types, int nargs);
const struct cg_global *cg_global_of(struct cg *c, const struct bt_sym *s);
int cg_add_map(struct cg *c, const char *name, uint32_t type, uint32_t key,
	       uint32_t value, uint32_t entries);

uint32_t cg_scratch_lookup(struct cg *c);
void cg_error_paths(struct cg *c);
bool cg_link(struct cg *c, struct emit_buf *p, uint32_t *jumps, int nj,
	     struct bt_objprog *prog);

/* cg_foreach.c: callbacks for foreach and delete of a whole array */
struct cg_cbsave {
	struct emit_buf b;
	int exit_label, depth, nloops, ninl, nerrpaths, errpaths_cap, ntries;
	int try_base, unwind_label;
	struct cg_errpath *errpaths;
	struct cg_loop loops[CG_MAX_LOOPS];
	struct cg_inline inl[CG_MAX_INLINE];
};

/* A callback (subprogram) being generated: `break` returns 1, `continue`
 * 0 (for bpf_loop: stop, go on). */
struct cg_cb {
	struct cg_cbsave sv;
	int brk, cont;
};

/* Stack slots in a callback's frame (no stack locals there: all are in
 * scratch). */
#define CB_FP_KEY	CG_FP_CTX
#define CB_FP_VALUE	CG_FP_LOCALS
#define CB_FP_CPU	(CG_FP_LOCALS - 8)

void cg_cb_begin(struct cg *c, struct cg_cb *cb);
/* Spills args[i] to slots[i] in its prologue; returns its index in
 * c->subs, or -1. */
void cg_unwind_to_catch(struct cg *c);
int cg_cb_end(struct cg *c, struct cg_cb *cb, const int *args,
	      const int16_t *slots, int nargs);
int cg_subprog_add(struct cg *c, struct emit_buf *prologue);
void cg_ld_callback(struct cg *c, int reg, int sub);
/* bpf_loop(n in nreg, callback sub, NULL, 0) */
void cg_bpf_loop(struct cg *c, int nreg, int sub);
/* bpf_for_each_map_elem(map, callback sub, NULL, 0) */
void cg_for_each_call(struct cg *c, int map, int sub);
bool cg_probe_iterates(const struct bt_script *s, const struct bt_probe *p);

/* cg_slice.c: `*` in index lists */
bool cg_has_wildcard(const struct bt_expr *keys);
int32_t cg_slice_block(struct cg *c, const struct cg_global *g,
		       const struct bt_expr *keys);
void cg_slice_match(struct cg *c, const struct cg_global *g,
		    const struct bt_expr *keys, int32_t blk, int16_t kslot,
		    int nomatch);
int cg_slice_in(struct cg *c, const struct bt_expr *e);
void cg_slice_delete(struct cg *c, const struct bt_expr *e);
void cg_foreach(struct cg *c, const struct bt_stmt *st);
void cg_delete_all(struct cg *c, const struct bt_expr *e);
void cg_delete_where(struct cg *c, const struct cg_global *g,
		     const struct bt_expr *slice, int32_t blk);
bool cg_subprogs_append(struct cg *c);

/* cg_tpvars.c: $context variables of tracepoints (and the rest later) */
int cg_context_var(struct cg *c, const struct bt_expr *e);

/* cg_regs.c: probe arguments from registers (int_arg, returnval, ...) and
 * user memory (user_string, ...): false if e is not one of them */
bool cg_regs_builtin(struct cg *c, const struct bt_expr *e, int *t);

/* cg_task.c: context from the current task (ppid, euid, ...) */
bool cg_task_builtin(struct cg *c, const struct bt_expr *e, int *t);
/* The running kernel's BTF (loaded once; NULL with *err set), the type
 * behind typedefs and qualifiers, and a member of a struct or union
 * (also inside anonymous members): byte offset and type, -1 when there
 * is none, -2 for a bitfield. */
struct btf;
struct btf_type;
struct btf *cg_btf_vmlinux(int *err);
const struct btf_type *cg_btf_skip(const struct btf *btf, uint32_t *id);
long cg_btf_member(const struct btf *btf, const struct btf_type *t,
		   const char *name, size_t len, uint32_t *type);

/* cg_regs.c: $param / $return of a kernel.function probe */
int cg_regs_target(struct cg *c, const struct bt_expr *e);

/* cg_cast.c: @cast(addr, "type")->member[i]... */
int cg_cast(struct cg *c, const struct bt_expr *e);
/* Temporary t holds a value of BTF type `type` (a tracepoint argument
 * e): narrowed to its size, or, for a pointer, followed along
 * e->members as @cast does. Returns t. */
int cg_btf_value(struct cg *c, const struct bt_expr *e, int t,
		 uint32_t type);
/* Raise a runtime error whose text is fmt (bpf_snprintf syntax) with the
 * n values stored at the helper area's first n words, then " near
 * NEAR at FILE:LINE:COL"; then leave the probe (cg_regs.c). */
void cg_raise_fmt(struct cg *c, const struct bt_loc *loc, const char *near,
		  const char *fmt, int n);

/* cg_layout.c: where globals live (.data, one map per array/aggregate) */
bool cg_layout(struct cg *c);

/* cg_stats.c */
int cg_stat_add(struct cg *c, const struct bt_expr *e);
void cg_cpu_bound(struct cg *c, int reg, int done);
int cg_stat_read(struct cg *c, const struct bt_expr *e);
int cg_stat_compute(struct cg *c, const struct cg_global *g,
		    enum bt_stat_op op, const struct bt_loc *loc);
uint32_t cg_stat_nbuckets(struct cg *c, const struct bt_expr *e);
int cg_stat_bucket(struct cg *c, const struct bt_expr *e);
void cg_stat_hist_print(struct cg *c, const struct bt_expr *e);

/* cg_temp.c: the temporary stack and locals */
int cg_push(struct cg *c, const struct bt_loc *loc);
void cg_pop(struct cg *c, int n);
int cg_treg(struct cg *c, int t, int scratch);
void cg_tset(struct cg *c, int t, int reg);
void cg_tset_imm(struct cg *c, int t, int64_t imm);
const struct cg_local *cg_local_of(struct cg *c, const struct bt_sym *s);
void cg_local_load(struct cg *c, const struct cg_local *l, int reg);
void cg_local_store(struct cg *c, const struct cg_local *l, int reg,
		    int scratch);
void cg_local_zero(struct cg *c, const struct cg_local *l, int scratch);
int32_t cg_scratch_alloc(struct cg *c, uint32_t size);
/* reg = the probe's context pointer. In a callback it is only an address
 * (a scalar the prologue left in the scratch map): read through it with
 * bpf_probe_read_kernel. Returns true where it is the real context, which
 * the program may load from directly. */
bool cg_ctx_addr(struct cg *c, int reg);
/* scratch for a value that dies with its statement (cg_stmt marks and
 * releases) */
int32_t cg_scratch_temp(struct cg *c, uint32_t size);
uint32_t cg_scratch_mark(struct cg *c);
void cg_scratch_release(struct cg *c, uint32_t mark);
void cg_scratch_ptr(struct cg *c, int reg, int32_t off);

/* cg_fold.c: the value of a constant long expression; _imm: one that
 * fits an instruction's 32-bit immediate */
bool cg_fold(const struct bt_expr *e, int64_t *v);
bool cg_fold_imm(const struct bt_expr *e, int32_t *imm);

/* cg_expr.c */
int cg_expr(struct cg *c, const struct bt_expr *e);
void cg_expr_void(struct cg *c, const struct bt_expr *e);
void cg_cond(struct cg *c, const struct bt_expr *e, int false_label);
void cg_binop(struct cg *c, enum bt_op op, int t, const struct bt_loc *loc);
int cg_error_path(struct cg *c, const struct bt_loc *loc, const char *what);
/* Inside a try block: store the message into the catch variable (if any)
 * and jump to the catch block. False outside try blocks. */
bool cg_try_catch_string(struct cg *c, const struct bt_expr *msg);

/* cg_array.c */
uint32_t cg_key_size(const struct cg_global *g);
uint32_t cg_key_off(const struct cg_global *g, int col);
/* Characters a string expression can have at most (for key widths). */
uint32_t cg_str_bound(const struct cg *c, const struct bt_expr *e);
void cg_key_ptr(struct cg *c, int reg, uint32_t key_size);
/* Build g's key from the index expressions in the key buffer. */
void cg_key_build(struct cg *c, const struct cg_global *g,
		  const struct bt_expr *keys);
/* Store key columns evaluated into temporaries from base (slices). */
void cg_keys_store(struct cg *c, const struct cg_global *g,
		   const struct bt_expr *keys, int base);
int cg_index_read(struct cg *c, const struct bt_expr *e);
int cg_index_in(struct cg *c, const struct bt_expr *e);
void cg_index_slot(struct cg *c, const struct cg_global *g,
		   const struct bt_expr *e);
int cg_index_assign(struct cg *c, const struct bt_expr *e, bool want);
int cg_index_add(struct cg *c, const struct bt_expr *lv, int t, bool post,
		 bool want);
void cg_index_delete(struct cg *c, const struct bt_expr *e);

/* cg_stmt.c */
void cg_stmt(struct cg *c, const struct bt_stmt *st);
void cg_action_step(struct cg *c, const struct bt_loc *loc);

/* cg_call.c: built-ins and user functions */
void cg_str_copy_ptr(struct cg *c, int dst_reg, int src_t);
int cg_call(struct cg *c, const struct bt_expr *e);
void cg_count_lost(struct cg *c);
void cg_record_begin(struct cg *c, uint32_t kind, uint32_t id, uint32_t size,
		     int rec, int skip);
void cg_record_end(struct cg *c, int rec);
void cg_set_exit_flag(struct cg *c);

/* cg_print.c: printf and friends */
void cg_print(struct cg *c, const struct bt_expr *call);

/* cg_regex.c: s =~ "re" and s !~ "re" (0 or 1); matched(0) */
int cg_regex_match(struct cg *c, const struct bt_expr *e);
bool cg_regex_builtin(struct cg *c, const struct bt_expr *e, int *t);

/* cg_string.c: string values (pointers to NUL-terminated buffers) */
int cg_str_expr(struct cg *c, const struct bt_expr *e);
void cg_str_copy(struct cg *c, int dst_reg_t, int32_t dst_off,
		 const struct bt_expr *e);
/* a comparison (== != < > <= >=) of two strings, by content: 0 or 1 */
int cg_str_compare(struct cg *c, const struct bt_expr *e);
/* string built-ins (strlen, substr, sprintf, ...): false if e is not one;
 * else *t is the result temporary (long or string) */
bool cg_str_builtin(struct cg *c, const struct bt_expr *e, int *t);

#endif
