// SPDX-License-Identifier: GPL-2.0
/*
 * Temporaries and locals: where each value of the program being generated
 * lives, and the instructions that move it between there and registers.
 */
#include <stdlib.h>
#include "cg.h"

static int16_t cg_spill_off(int t)
{
	return CG_FP_SPILL0 - 8 * (t - CG_TEMP_REGS);
}

static bool cg_in_reg(int t)
{
	return t < CG_TEMP_REGS;
}

int cg_push(struct cg *c, const struct bt_loc *loc)
{
	if (c->depth >= CG_MAX_TEMPS) {
		/* once per program: every later push would say it again */
		if (c->complex_point != c->point)
			cg_error(c, loc, "expression too complex (more than "
				 "%d values pending at once)", CG_MAX_TEMPS);
		c->complex_point = c->point;
		return c->depth - 1;
	}
	return c->depth++;
}

void cg_pop(struct cg *c, int n)
{
	c->depth -= n;
	if (c->depth < 0)
		c->depth = 0;
}

/* A register holding temporary t: its own, or `scratch` loaded from the
 * spill slot. */
int cg_treg(struct cg *c, int t, int scratch)
{
	if (t < 0)
		t = 0;
	if (cg_in_reg(t))
		return CG_TEMP_REG0 + t;
	emit(&c->b, insn_ldx(BPF_DW, scratch, BPF_REG_10, cg_spill_off(t)));
	return scratch;
}

void cg_tset(struct cg *c, int t, int reg)
{
	if (t < 0)
		return;
	if (cg_in_reg(t)) {
		if (CG_TEMP_REG0 + t != reg)
			emit(&c->b, insn_mov_reg(CG_TEMP_REG0 + t, reg));
		return;
	}
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, cg_spill_off(t)));
}

void cg_tset_imm(struct cg *c, int t, int64_t imm)
{
	if (t < 0)
		return;
	if (cg_in_reg(t)) {
		emit_mov_imm(&c->b, CG_TEMP_REG0 + t, imm);
		return;
	}
	if (imm >= INT32_MIN && imm <= INT32_MAX) {
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, cg_spill_off(t),
				    (int32_t)imm));
		return;
	}
	emit_mov_imm(&c->b, BPF_REG_0, imm);
	cg_tset(c, t, BPF_REG_0);
}

/*
 * Bytes of this CPU's scratch value (a per-CPU array map with one entry),
 * for what does not fit in the 512-byte stack. Returns the offset.
 */
int32_t cg_scratch_alloc(struct cg *c, uint32_t size)
{
	int32_t off = c->scratch_used;

	c->scratch_used += (size + 7) & ~7u;
	c->scratch_floor = c->scratch_used;
	return off;
}

/* The temporary area starts afresh with each program. */
static void cg_scratch_program(struct cg *c)
{
	if (c->tmp_point == c->point)
		return;
	c->tmp_point = c->point;
	c->scratch_tmp = 0;
	c->scratch_floor = c->scratch_used;
}

/*
 * Scratch bytes for a value that dies with the statement computing it
 * (string results: they are copied wherever they are kept). They come
 * from a cursor that each statement puts back where it found it, above
 * everything cg_scratch_alloc has handed out so far; what
 * cg_scratch_alloc hands out later goes above them all (scratch_used is
 * the high-water mark).
 */
int32_t cg_scratch_temp(struct cg *c, uint32_t size)
{
	uint32_t off;

	cg_scratch_program(c);
	off = c->scratch_tmp > c->scratch_floor ? c->scratch_tmp :
	      c->scratch_floor;
	c->scratch_tmp = off + ((size + 7) & ~7u);
	if (c->scratch_tmp > c->scratch_used)
		c->scratch_used = c->scratch_tmp;
	return off;
}

uint32_t cg_scratch_mark(struct cg *c)
{
	cg_scratch_program(c);
	return c->scratch_tmp;
}

void cg_scratch_release(struct cg *c, uint32_t mark)
{
	c->scratch_tmp = mark;
}

/* reg = pointer into the scratch value at off. The prologue stored the
 * looked-up (non-NULL) value pointer at r10-8. */
void cg_scratch_ptr(struct cg *c, int reg, int32_t off)
{
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_FP_SCRATCH));
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, reg, off));
}

/* Find or place a (long) local of the current program. */
const struct cg_local *cg_local_of(struct cg *c, const struct bt_sym *s)
{
	struct cg_local *l;

	for (int i = 0; i < c->nlocals; i++)
		if (c->locals[i].sym == s)
			return &c->locals[i];
	if (c->nlocals == c->locals_cap) {
		int ncap = c->locals_cap ? c->locals_cap * 2 : 16;
		void *p = realloc(c->locals, ncap * sizeof(*c->locals));

		if (!p) {
			c->b.oom = true;
			return NULL;
		}
		c->locals = p;
		c->locals_cap = ncap;
	}
	l = &c->locals[c->nlocals++];
	l->sym = s;
	/* Strings never fit the stack budget; longs do while there is room. */
	if (s->type != BT_STRING && !c->all_scratch &&
	    c->nstack_locals < CG_STACK_LOCALS) {
		l->in_scratch = false;
		l->off = CG_FP_LOCALS - 8 * c->nstack_locals++;
	} else {
		l->in_scratch = true;
		l->off = cg_scratch_alloc(c, s->type == BT_STRING ?
					  c->strfield : 8);
	}
	return l;
}

void cg_local_load(struct cg *c, const struct cg_local *l, int reg)
{
	if (!l->in_scratch) {
		emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, l->off));
		return;
	}
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_ldx(BPF_DW, reg, reg, l->off));
}

void cg_local_store(struct cg *c, const struct cg_local *l, int reg,
		    int scratch)
{
	if (!l->in_scratch) {
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, l->off));
		return;
	}
	emit(&c->b, insn_ldx(BPF_DW, scratch, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_stx(BPF_DW, scratch, reg, l->off));
}

/* A local starts as 0 (or "") at the start of its probe or function. */
void cg_local_zero(struct cg *c, const struct cg_local *l, int scratch)
{
	if (!l->in_scratch) {
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, l->off, 0));
		return;
	}
	emit(&c->b, insn_ldx(BPF_DW, scratch, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_st(BPF_DW, scratch, l->off, 0));
}
