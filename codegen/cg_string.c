// SPDX-License-Identifier: GPL-2.0
/*
 * Strings: a string value is a pointer (in a temporary) to a NUL-terminated
 * buffer of at most strfield bytes: a literal materialised in this CPU's
 * scratch value, a global in .data, a local in the scratch value.
 */
#include <string.h>
#include "cg.h"

/* Store the literal (truncated to MAXSTRINGLEN-1 bytes, NUL-terminated) at
 * reg + off with immediate stores, 8 bytes at a time. */
static void cg_store_literal(struct cg *c, int reg, int32_t off,
			     const char *s, size_t len)
{
	size_t max = c->opt->maxstringlen - 1;
	size_t n = (len < max ? len : max) + 1;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = 0;
		size_t k = n - i < 8 ? n - i : 8;

		for (size_t j = 0; j < k; j++)
			if (i + j < n - 1)
				v |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
		if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
			emit(&c->b, insn_st(BPF_DW, reg, off + i, (int32_t)v));
		} else {
			emit_mov_imm(&c->b, BPF_REG_5, (int64_t)v);
			emit(&c->b, insn_stx(BPF_DW, reg, BPF_REG_5, off + i));
		}
	}
}

/* A fresh buffer in the scratch value; pointer in a new temporary. */
static int cg_str_buffer(struct cg *c, const struct bt_loc *loc)
{
	int t = cg_push(c, loc);
	int r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;

	cg_scratch_ptr(c, r, cg_scratch_alloc(c, c->strfield));
	cg_tset(c, t, r);
	return t;
}

void cg_str_copy(struct cg *c, int dst_t, int32_t dst_off,
		 const struct bt_expr *e)
{
	int r, p;

	if (e->kind == E_STR) {
		r = cg_treg(c, dst_t, BPF_REG_1);
		cg_store_literal(c, r, dst_off, e->str, e->len);
		return;
	}
	p = cg_str_expr(c, e);
	r = cg_treg(c, dst_t, BPF_REG_1);
	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	if (dst_off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, dst_off));
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	r = cg_treg(c, p, BPF_REG_3);
	if (r != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, r));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	cg_pop(c, 1);
}

/* A pointer to where variable e's string lives, in a new temporary. */
static int cg_str_place(struct cg *c, const struct bt_expr *e)
{
	const struct bt_sym *s = e->sym;
	int t = cg_push(c, &e->loc);
	int r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;

	if (!s || s->nkeys) {
		cg_error(c, &e->loc, "string arrays are not supported yet");
		return t;
	}
	if (s->kind == SYM_GLOBAL) {
		const struct cg_global *g = cg_global_of(c, s);

		emit_ld_map(&c->b, r, BT_RELOC_DATA, g ? g->off : 0);
	} else {
		const struct cg_local *l = cg_local_of(c, s);

		if (!l)
			return t;
		cg_scratch_ptr(c, r, l->off);
	}
	cg_tset(c, t, r);
	return t;
}

static int cg_str_assign(struct cg *c, const struct bt_expr *e)
{
	int t;

	if (e->op != OP_NONE || e->left->kind != E_VAR) {
		cg_error(c, &e->loc, "this string assignment is not "
			 "supported yet");
		return cg_push(c, &e->loc);
	}
	t = cg_str_place(c, e->left);
	cg_str_copy(c, t, 0, e->right);
	return t;
}

static int cg_execname(struct cg *c, const struct bt_expr *e)
{
	int t = cg_str_buffer(c, &e->loc);
	int r = cg_treg(c, t, BPF_REG_1);

	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	emit_mov_imm(&c->b, BPF_REG_2, 16);	/* TASK_COMM_LEN */
	emit(&c->b, insn_call(BPF_FUNC_get_current_comm));
	return t;
}

int cg_str_expr(struct cg *c, const struct bt_expr *e)
{
	int t;

	switch (e->kind) {
	case E_STR:
		t = cg_str_buffer(c, &e->loc);
		cg_store_literal(c, cg_treg(c, t, BPF_REG_1), 0, e->str,
				 e->len);
		return t;
	case E_VAR:
		return cg_str_place(c, e);
	case E_ASSIGN:
		return cg_str_assign(c, e);
	case E_CALL:
		if (e->builtin && e->builtin->id == BI_EXECNAME)
			return cg_execname(c, e);
		break;
	case E_TERNARY:
		return cg_expr(c, e);
	default:
		break;
	}
	cg_error(c, &e->loc, "this string operation is not supported yet");
	return cg_push(c, &e->loc);
}
