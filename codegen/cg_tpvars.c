// SPDX-License-Identifier: GPL-2.0
/*
 * $context variables of tracepoints: fields of the raw record the
 * program gets as its context, where the tracefs format file says they
 * are (parser/tracefs.c). Elaboration checked and typed them against the
 * probe's one point (a probe using them has one point per event), so
 * this looks the field up again by name for c->point.
 *
 * The verifier lets a tracepoint program load from its context directly
 * at constant offsets from 8 on, aligned to the size; odd placements go
 * through bpf_probe_read_kernel, and so does everything in a foreach
 * body (a callback, with only the context's address). The common header
 * (offsets 0-7) is not
 * there to read: the kernel stores the pt_regs pointer over it before
 * running the program, so elaboration refuses common_* fields.
 * Strings are copied into a fresh scratch buffer, like every computed
 * string (cg_string.c).
 */
#include <errno.h>
#include <string.h>
#include "cg.h"
#include "cg_str.h"
#include "../parser/tpargs.h"
#include "../parser/tracefs.h"

/* Offsets the verifier accepts for ctx loads of a tracepoint program. */
#define CG_TP_CTX_MIN	8
#define CG_TP_CTX_MAX	8192	/* PERF_MAX_TRACE_SIZE */

static const struct tracefs_field *cg_tp_field(struct cg *c,
					       const struct bt_expr *e)
{
	const struct bt_point *pt = c->point;
	const struct tracefs_event *ev;
	const struct tracefs_field *f;

	if (!pt || pt->type != PT_TRACEPOINT || !pt->tp_system) {
		cg_error(c, &e->loc, "context variable '%s' is only available "
			 "in tracepoint probes", e->name);
		return NULL;
	}
	ev = tracefs_event(pt->tp_system, pt->tp_event);
	f = ev ? tracefs_field(ev, e->name + 1) : NULL;
	if (f && f->kind != TRACEFS_OTHER && !f->common)
		return f;
	cg_error(c, &e->loc, "tracepoint '%s:%s' has no readable field '%s'",
		 pt->tp_system, pt->tp_event, e->name + 1);
	return NULL;
}

static int cg_tp_size_code(unsigned int size)
{
	return size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W :
	       BPF_DW;
}

/* reg = the context pointer the prologue saved (in a callback, its
 * address: see cg_ctx_addr). */
static void cg_tp_ctx(struct cg *c, int reg)
{
	cg_ctx_addr(c, reg);
}

/* reg = the size-byte unsigned integer at ctx + off (r1-r5 clobbered). */
static void cg_tp_load(struct cg *c, int reg, unsigned int off,
		       unsigned int size)
{
	int sz = cg_tp_size_code(size);

	if (!c->cb_depth && off >= CG_TP_CTX_MIN &&
	    off + size <= CG_TP_CTX_MAX && off % size == 0) {
		cg_tp_ctx(c, BPF_REG_1);
		emit(&c->b, insn_ldx(sz, reg, BPF_REG_1, off));
		return;
	}
	/* through the helper area */
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_FP_HELPER));
	emit_mov_imm(&c->b, BPF_REG_2, size);
	cg_tp_ctx(c, BPF_REG_3);
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, off));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	emit(&c->b, insn_ldx(sz, reg, BPF_REG_10, CG_FP_HELPER));
}

/* Sign-extend the low `size` bytes of reg when signed (a long in the
 * script). */
static void cg_tp_extend(struct cg *c, int reg, unsigned int size,
			 bool is_signed)
{
	int shift = 64 - 8 * size;

	if (is_signed && shift) {
		emit(&c->b, insn_alu64_imm(BPF_LSH, reg, shift));
		emit(&c->b, insn_alu64_imm(BPF_ARSH, reg, shift));
	}
}

static int cg_tp_int(struct cg *c, const struct bt_expr *e,
		     const struct tracefs_field *f)
{
	int t = cg_push(c, &e->loc);
	int r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
	unsigned int size = f->kind == TRACEFS_PTR ? f->size :
			    f->size > 8 ? 8 : f->size;

	cg_tp_load(c, r, f->offset, size);
	cg_tp_extend(c, r, size, f->is_signed && f->kind == TRACEFS_INT);
	cg_tset(c, t, r);
	return t;
}

/* char name[N]: the bytes, cut to MAXSTRINGLEN-1, then a NUL (a full
 * array has none of its own). */
static void cg_tp_chars(struct cg *c, int t, const struct tracefs_field *f)
{
	uint32_t n = f->size;
	int r;

	if (n > c->opt->maxstringlen - 1)
		n = c->opt->maxstringlen - 1;
	cg_str_tmov(c, BPF_REG_1, t);
	emit_mov_imm(&c->b, BPF_REG_2, n);
	cg_tp_ctx(c, BPF_REG_3);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, f->offset));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	r = cg_treg(c, t, BPF_REG_1);
	emit(&c->b, insn_st(BPF_B, r, n, 0));
}

/* __data_loc / __rel_loc char[]: a u32 (length << 16 | offset) at the
 * field; the NUL-terminated bytes at that offset from the start of the
 * record (from the end of the field for __rel_loc). */
static void cg_tp_loc(struct cg *c, int t, const struct tracefs_field *f)
{
	int empty = emit_new_label(&c->b), done = emit_new_label(&c->b);

	cg_tp_load(c, BPF_REG_4, f->offset, 4);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3, 16));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, empty);
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_4, 0xffff));
	if (f->kind == TRACEFS_STR_REL)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4,
					   f->offset + f->size));
	cg_tp_ctx(c, BPF_REG_3);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_4));
	cg_str_tmov(c, BPF_REG_1, t);
	emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit_ja(&c->b, done);
	/* no string (a NULL the kernel recorded as empty): "" */
	emit_place_label(&c->b, empty);
	emit(&c->b, insn_st(BPF_B, cg_treg(c, t, BPF_REG_1), 0, 0));
	emit_place_label(&c->b, done);
}

static int cg_tp_string(struct cg *c, const struct bt_expr *e,
			const struct tracefs_field *f)
{
	int t = cg_str_buffer_n(c, &e->loc, c->strfield);

	if (f->kind == TRACEFS_CHARS)
		cg_tp_chars(c, t, f);
	else
		cg_tp_loc(c, t, f);
	return t;
}

/*
 * $name[i]: element i of an array field. A constant index (checked by
 * elaboration) is a plain load; a computed one is checked against the
 * array's length at run time (an error past it, not a read of whatever
 * follows) and read through bpf_probe_read_kernel, since context loads
 * need constant offsets.
 */
static int cg_tp_element(struct cg *c, const struct bt_expr *e,
			 const struct tracefs_field *f)
{
	const struct bt_expr *i = e->members->keys;
	unsigned int es = f->elem_size;
	int t, r, shift = es == 1 ? 0 : es == 2 ? 1 : es == 4 ? 2 : 3;

	if (i->kind == E_NUM) {
		t = cg_push(c, &e->loc);
		r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
		cg_tp_load(c, r, f->offset + (unsigned int)i->num * es, es);
		cg_tp_extend(c, r, es, f->elem_signed);
		cg_tset(c, t, r);
		return t;
	}
	t = cg_expr(c, i);
	r = cg_treg(c, t, BPF_REG_0);
	emit_jmp_imm(&c->b, BPF_JGE, r, f->count,
		     cg_error_path(c, &e->members->loc, "array index out of "
				   "bounds near operator '['"));
	emit(&c->b, insn_mov_reg(BPF_REG_3, r));
	if (shift)
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_3, shift));
	cg_tp_ctx(c, BPF_REG_1);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, f->offset));
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_FP_HELPER));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_HELPER, 0));
	emit_mov_imm(&c->b, BPF_REG_2, es);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
	emit(&c->b, insn_ldx(cg_tp_size_code(es), r, BPF_REG_10,
			     CG_FP_HELPER));
	cg_tp_extend(c, r, es, f->elem_signed);
	cg_tset(c, t, r);
	return t;
}

/* $name, an argument of a raw tracepoint: the u64 at ctx + 8 * index,
 * then its type's size or members (cg_btf_value). */
static int cg_tp_argument(struct cg *c, const struct bt_expr *e)
{
	const struct bt_point *pt = c->point;
	uint32_t type;
	int index, t, r;

	if (tpargs_find(pt->tp_event, e->name + 1, &index, &type)) {
		cg_error(c, &e->loc, "tracepoint '%s' has no argument '%s'",
			 pt->tp_event, e->name + 1);
		return cg_push(c, &e->loc);
	}
	t = cg_push(c, &e->loc);
	r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
	if (c->cb_depth) {
		/* a foreach body has the context's address, not the
		 * context: read it */
		cg_tp_load(c, r, 8 * index, 8);
	} else {
		cg_tp_ctx(c, BPF_REG_1);
		emit(&c->b, insn_ldx(BPF_DW, r, BPF_REG_1, 8 * index));
	}
	cg_tset(c, t, r);
	return cg_btf_value(c, e, t, type);
}

int cg_context_var(struct cg *c, const struct bt_expr *e)
{
	const struct tracefs_field *f;

	if (c->point && c->point->type == PT_RAW_TRACEPOINT)
		return cg_tp_argument(c, e);
	if (c->point && (c->point->type == PT_KPROBE ||
			 c->point->type == PT_KRETPROBE))
		return cg_regs_target(c, e);
	f = cg_tp_field(c, e);
	if (!f)
		return cg_push(c, &e->loc);
	if (e->members)
		return cg_tp_element(c, e, f);
	if (tracefs_is_string(f))
		return cg_tp_string(c, e, f);
	return cg_tp_int(c, e, f);
}
