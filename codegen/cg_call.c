// SPDX-License-Identifier: GPL-2.0
/*
 * Calls: user functions are inlined (elaboration refuses recursion), built-in
 * functions map to helpers or short instruction sequences.
 */
#include <stdio.h>
#include <string.h>
#include "cg.h"

/*
 * Reserve a ring-buffer record of `size` bytes and write its header; the
 * record pointer goes to temporary `rec`. When the ring is full the code
 * counts the loss in .data (the runtime reports it at the end) and jumps
 * to `skip`: a probe never waits for the reader.
 */
/* A record that found no room in the ring: counted, never waited for. */
void cg_count_lost(struct cg *c)
{
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_LOST_OFF);
	emit_mov_imm(&c->b, BPF_REG_2, 1);
	emit(&c->b, insn_atomic64(BPF_ADD, BPF_REG_1, BPF_REG_2, 0));
}

void cg_record_begin(struct cg *c, uint32_t kind, uint32_t id, uint32_t size,
		     int rec, int skip)
{
	int ok = emit_new_label(&c->b);

	emit_ld_map(&c->b, BPF_REG_1, c->map_ringbuf, 0);
	emit_mov_imm(&c->b, BPF_REG_2, size);
	emit_mov_imm(&c->b, BPF_REG_3, 0);
	emit(&c->b, insn_call(BPF_FUNC_ringbuf_reserve));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0, ok);
	cg_count_lost(c);
	emit_ja(&c->b, skip);
	emit_place_label(&c->b, ok);
	emit(&c->b, insn_st(BPF_W, BPF_REG_0, 0, kind));
	emit(&c->b, insn_st(BPF_W, BPF_REG_0, 4, id));
	cg_tset(c, rec, BPF_REG_0);
}

void cg_record_end(struct cg *c, int rec)
{
	int r = cg_treg(c, rec, BPF_REG_1);

	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	emit_mov_imm(&c->b, BPF_REG_2, 0);
	emit(&c->b, insn_call(BPF_FUNC_ringbuf_submit));
}

void cg_set_exit_flag(struct cg *c)
{
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_EXIT_OFF);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, 0, 1));
}

/* exit(): raise the flag every probe checks, and wake the runtime with a
 * record so it need not wait for its next poll. */
static void cg_exit(struct cg *c, const struct bt_expr *e)
{
	int skip = emit_new_label(&c->b);
	int rec = cg_push(c, &e->loc);

	cg_set_exit_flag(c);
	cg_record_begin(c, REC_EXIT, 0, sizeof(struct bt_rec_hdr), rec, skip);
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	cg_pop(c, 1);
}

/*
 * A runtime error with the script's message msg (error(), assert()):
 * caught by an enclosing try, else reported; either way the probe stops
 * here. `fn` names the function in the message, as stap's does.
 */
static void cg_raise_msg(struct cg *c, const struct bt_expr *msg,
			 const struct bt_loc *loc, const char *fn)
{
	char text[512];
	int skip = emit_new_label(&c->b);
	int id, rec;

	if (cg_try_catch_string(c, msg))
		return;
	snprintf(text, sizeof(text), " near identifier '%s' at %s:%d:%d", fn,
		 loc->file ? loc->file : "?", loc->line, loc->col);
	id = cg_add_error(c, text, true);
	rec = cg_push(c, loc);
	cg_record_begin(c, REC_ERROR, id, sizeof(struct bt_rec_hdr) +
			c->strfield, rec, skip);
	cg_str_copy(c, rec, sizeof(struct bt_rec_hdr), msg);
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	cg_pop(c, 1);
	emit_ja(&c->b, c->exit_label);
}

/* error(msg): a runtime error with the script's message. */
static void cg_error_call(struct cg *c, const struct bt_expr *e)
{
	cg_raise_msg(c, e->args, &e->loc, "error");
}

/* assert(cond[, msg]): error(msg) when cond is 0, as stap's tapset. */
static void cg_assert(struct cg *c, const struct bt_expr *e)
{
	static char dflt[] = "Assertion failed";
	struct bt_expr lit = { .kind = E_STR, .loc = e->loc, .str = dflt,
			       .len = sizeof(dflt) - 1, .type = BT_STRING };
	int ok = emit_new_label(&c->b);
	int t = cg_expr(c, e->args);

	emit_jmp_imm(&c->b, BPF_JNE, cg_treg(c, t, BPF_REG_0), 0, ok);
	cg_pop(c, 1);
	cg_raise_msg(c, e->args->next ? e->args->next : &lit, &e->loc,
		     "assert");
	emit_place_label(&c->b, ok);
}

/* warn(msg): "WARNING: msg" on stderr, printed by the runtime. */
static void cg_warn(struct cg *c, const struct bt_expr *e)
{
	int skip = emit_new_label(&c->b);
	int rec, base = c->depth;

	if (e->args->kind != E_STR)
		cg_expr(c, e->args);
	rec = cg_push(c, &e->loc);
	cg_record_begin(c, REC_WARN, 0, sizeof(struct bt_rec_hdr) +
			c->strfield, rec, skip);
	if (e->args->kind == E_STR) {
		cg_str_copy(c, rec, sizeof(struct bt_rec_hdr), e->args);
	} else {
		int r = cg_treg(c, rec, BPF_REG_1), v;

		if (r != BPF_REG_1)
			emit(&c->b, insn_mov_reg(BPF_REG_1, r));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1,
					   sizeof(struct bt_rec_hdr)));
		emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
		v = cg_treg(c, base, BPF_REG_3);
		if (v != BPF_REG_3)
			emit(&c->b, insn_mov_reg(BPF_REG_3, v));
		emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	}
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	c->depth = base;
}

/* A helper without arguments whose r0 is the result, then an ALU fixup
 * (or CG_LOW32: keep the low 32 bits). */
#define CG_LOW32 (-2)
static int cg_helper_value(struct cg *c, const struct bt_expr *e, int helper,
			   int alu_op, int32_t imm)
{
	int t = cg_push(c, &e->loc);

	emit(&c->b, insn_call(helper));
	if (alu_op == CG_LOW32)	/* w0 = w0 zero-extends */
		emit(&c->b, (struct bpf_insn){ .code = BPF_ALU | BPF_MOV |
					       BPF_X });
	else if (alu_op >= 0)
		emit(&c->b, insn_alu64_imm(alu_op, BPF_REG_0, imm));
	cg_tset(c, t, BPF_REG_0);
	return t;
}

static int cg_data_value(struct cg *c, const struct bt_expr *e, int32_t off)
{
	int t = cg_push(c, &e->loc);

	emit_ld_map(&c->b, BPF_REG_0, BT_RELOC_DATA, off);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_0, 0));
	cg_tset(c, t, BPF_REG_0);
	return t;
}

/* gettimeofday_*: CLOCK_REALTIME = monotonic ns + the offset the runtime
 * stored in .data at load time (no helper reads the realtime clock). */
static int cg_timeofday(struct cg *c, const struct bt_expr *e, int64_t div)
{
	int t = cg_push(c, &e->loc);

	emit(&c->b, insn_call(BPF_FUNC_ktime_get_ns));
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_TIMEOFF_OFF);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_0, BPF_REG_1));
	if (div > 1)
		emit(&c->b, insn_alu64_imm(BPF_DIV, BPF_REG_0, (int32_t)div));
	cg_tset(c, t, BPF_REG_0);
	return t;
}

static int cg_builtin(struct cg *c, const struct bt_expr *e)
{
	int t;

	switch (e->builtin->id) {
	case BI_PRINTF: case BI_PRINT: case BI_PRINTLN:
	case BI_PRINTD: case BI_PRINTDLN: case BI_LOG:
		cg_print(c, e);
		return -1;
	case BI_EXIT:
		cg_exit(c, e);
		return -1;
	case BI_ERROR:
		cg_error_call(c, e);
		return -1;
	case BI_ASSERT:
		cg_assert(c, e);
		return -1;
	case BI_WARN:
		cg_warn(c, e);
		return -1;
	case BI_ABORT:
		/* exit(), and this probe stops now: not an error, so no try
		 * catches it */
		cg_exit(c, e);
		emit_ja(&c->b, c->exit_label);
		return -1;
	case BI_PID:
		return cg_helper_value(c, e, BPF_FUNC_get_current_pid_tgid,
				       BPF_RSH, 32);
	case BI_TID:
		return cg_helper_value(c, e, BPF_FUNC_get_current_pid_tgid,
				       CG_LOW32, 0);
	case BI_UID:
		return cg_helper_value(c, e, BPF_FUNC_get_current_uid_gid,
				       CG_LOW32, 0);
	case BI_GID:
		return cg_helper_value(c, e, BPF_FUNC_get_current_uid_gid,
				       BPF_RSH, 32);
	case BI_CPU:
		return cg_helper_value(c, e, BPF_FUNC_get_smp_processor_id,
				       -1, 0);
	case BI_KTIME_GET_NS:
		return cg_helper_value(c, e, BPF_FUNC_ktime_get_ns, -1, 0);
	case BI_TASK_CURRENT:
		return cg_helper_value(c, e, BPF_FUNC_get_current_task, -1, 0);
	case BI_JIFFIES:
		return cg_helper_value(c, e, BPF_FUNC_jiffies64, -1, 0);
	case BI_GETTIMEOFDAY_S:
		return cg_timeofday(c, e, 1000000000);
	case BI_GETTIMEOFDAY_MS:
		return cg_timeofday(c, e, 1000000);
	case BI_GETTIMEOFDAY_US:
		return cg_timeofday(c, e, 1000);
	case BI_GETTIMEOFDAY_NS:
		return cg_timeofday(c, e, 1);
	case BI_TARGET:
		return cg_data_value(c, e, BT_DATA_TARGET_OFF);
	case BI_EXECNAME:
		return cg_str_expr(c, e);
	default:
		if (cg_str_builtin(c, e, &t) || cg_regs_builtin(c, e, &t) ||
		    cg_task_builtin(c, e, &t) || cg_regex_builtin(c, e, &t))
			return t;
		cg_error(c, &e->loc, "function '%s' is not supported yet",
			 e->builtin->name);
		return cg_push(c, &e->loc);
	}
}

/* Copy the string temporary src_t points to into the buffer at dst_reg
 * (r1-r5 are clobbered). */
void cg_str_copy_ptr(struct cg *c, int dst_reg, int src_t)
{
	int r;

	if (dst_reg != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, dst_reg));
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	r = cg_treg(c, src_t, BPF_REG_3);
	if (r != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, r));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
}

/* Store the arguments (temporaries from base) into f's parameters and
 * zero its other locals: every call starts afresh. */
static bool cg_inline_params(struct cg *c, const struct bt_func *f,
			     int base, int nargs)
{
	int i = 0;

	for (const struct bt_sym *s = f->locals; s; s = s->next, i++) {
		const struct cg_local *l = cg_local_of(c, s);

		if (!l)
			return false;
		if (s->kind == SYM_PARAM && i < nargs &&
		    s->type == BT_STRING) {
			cg_scratch_ptr(c, BPF_REG_1, l->off);
			cg_str_copy_ptr(c, BPF_REG_1, base + i);
		} else if (s->kind == SYM_PARAM && i < nargs) {
			int r = cg_treg(c, base + i, BPF_REG_0);

			cg_local_store(c, l, r, BPF_REG_1);
		} else {
			cg_local_zero(c, l, BPF_REG_1);
		}
	}
	return true;
}

/* One function of the call's overloads, its result into temporary t;
 * its `next` goes to next_label. */
static void cg_inline_one(struct cg *c, const struct bt_func *f, int t,
			  int done, int next_label)
{
	struct cg_loop saved_loops[CG_MAX_LOOPS];
	int nsaved = c->nloops;
	struct cg_inline *in = &c->inl[c->ninl++];

	in->func = f;
	in->ret_label = done;
	in->next_label = next_label;
	in->result = t;
	in->strbuf = f->ret_type == BT_STRING ?
		     cg_scratch_alloc(c, c->strfield) : -1;
	memcpy(saved_loops, c->loops, sizeof(saved_loops));
	c->nloops = 0;
	c->depth = t + 1;
	cg_stmt(c, f->body);
	/* falling off the end returns 0 or "" */
	if (f->ret_type == BT_LONG)
		cg_tset_imm(c, t, 0);
	if (in->strbuf >= 0) {
		cg_scratch_ptr(c, BPF_REG_0, in->strbuf);
		emit(&c->b, insn_st(BPF_B, BPF_REG_0, 0, 0));
		cg_tset(c, t, BPF_REG_0);
	}
	emit_ja(&c->b, done);
	c->ninl--;
	memcpy(c->loops, saved_loops, sizeof(saved_loops));
	c->nloops = nsaved;
}

/*
 * Inline a user function: arguments are evaluated in order into
 * temporaries, then stored into the parameters; the result lands in the
 * temporary of the first argument. Locals start at 0 on every call.
 * With stap's runtime overloads (functions of one name and arity), each
 * is inlined in turn: a `next` in one goes on to the following one, and
 * past the last is stap's "all functions exhausted" error.
 */
static int cg_inline(struct cg *c, const struct bt_expr *e)
{
	const struct bt_func *f = e->func;
	int base = c->depth, nargs = 0, t, done, next;
	char what[160];

	if (c->ninl == CG_MAX_INLINE) {
		cg_error(c, &e->loc, "function calls nested too deeply");
		return cg_push(c, &e->loc);
	}
	for (const struct bt_expr *a = e->args; a; a = a->next, nargs++)
		cg_expr(c, a);
	/* the result after the arguments, which later overloads need */
	t = f->overload ? cg_push(c, &e->loc) : base;
	done = emit_new_label(&c->b);
	for (; f; f = f->overload) {
		if (!cg_inline_params(c, f, base, nargs))
			return base;
		if (f->overload) {
			next = emit_new_label(&c->b);
		} else {
			snprintf(what, sizeof(what), "all functions exhausted "
				 "near identifier '%s'", f->name);
			next = cg_error_path(c, &e->loc, what);
		}
		cg_inline_one(c, f, t, done, next);
		if (f->overload)
			emit_place_label(&c->b, next);
	}
	emit_place_label(&c->b, done);
	if (t != base)
		cg_tset(c, base, cg_treg(c, t, BPF_REG_0));
	c->depth = base + 1;
	return e->func->ret_type == BT_VOID ? -1 : base;
}

int cg_call(struct cg *c, const struct bt_expr *e)
{
	if (e->func)
		return cg_inline(c, e);
	if (e->builtin)
		return cg_builtin(c, e);
	cg_error(c, &e->loc, "unresolved function '%s'", e->name);
	return cg_push(c, &e->loc);
}
