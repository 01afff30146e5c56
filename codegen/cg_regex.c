// SPDX-License-Identifier: GPL-2.0
/*
 * s =~ "re", s !~ "re" and matched(0).
 *
 * The regex is compiled at build time (regex.c) to a DFA whose table,
 * nstates x 256 bytes, goes to .rodata. The kernel copies the subject
 * into a buffer and walks it with bpf_loop, one byte per callback call
 * (then the NUL, which decides `$`): the verifier sees the callback once,
 * so its cost does not grow with MAXSTRINGLEN or with the DFA's size.
 * The search DFA's accepting state is absorbing, so the walk stops as
 * soon as it is reached (or the dead state is).
 *
 * matched(0) is stap's "whole text of the last successful match": a
 * success copies the subject into a per-program scratch block and notes
 * which regex matched; matched(0) then finds the leftmost-longest match
 * with that regex's anchored DFA, trying each start in turn (one flat
 * bpf_loop over (start, position) pairs, so quadratic steps in the worst
 * case but one verifier walk). Subexpressions, matched(N > 0), are not
 * supported: a DFA does not track them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cg.h"
#include "cg_str.h"
#include "regex.h"

/* The caller's block (bpf_loop's context) in the helper area. */
#define RXB_STR		0	/* the subject */
#define RXB_BLK		8	/* the program's scratch block */

/* The per-program scratch block. */
#define RXS_WHICH	0	/* regex (index + 1) of the last success */
#define RXS_STATE	8	/* the walk's DFA state */
#define RXS_I		16	/* matched(): the start being tried */
#define RXS_J		24	/* matched(): the position */
#define RXS_LAST	32	/* matched(): end of the longest match, or -1 */
#define RXS_FOUND	40	/* matched(): a match was found */
#define RXS_LEN		48	/* the last match's subject: its length */
#define RXS_SUBJ	56	/* and its bytes (strfield) */

/* The callbacks' frame: r1 (position) and r2 (the block) at entry. */
#define RXF_CTX		(-16)
#define RXF_POS		(-24)

/* The per-program block, allocated on the first use in a program. */
static void cg_rx_program(struct cg *c)
{
	if (c->rx_point == c->point)
		return;
	c->rx_point = c->point;
	c->rx_n = 0;
	c->rx_scratch = cg_scratch_alloc(c, RXS_SUBJ + c->strfield);
}

/* The offset of n bytes in .rodata (shared when already there), or -1. */
static int32_t cg_rx_rodata(struct cg *c, const uint8_t *p, size_t n)
{
	struct bt_object *o = c->obj;
	uint8_t *np;

	for (uint32_t i = 0; i + n <= o->rodata_size; i++)
		if (!memcmp(o->rodata + i, p, n))
			return i;
	np = realloc(o->rodata, o->rodata_size + n);
	if (!np) {
		c->b.oom = true;
		return -1;
	}
	memcpy(np + o->rodata_size, p, n);
	o->rodata = np;
	o->rodata_size += n;
	return o->rodata_size - n;
}

/* The DFA's table followed by its accepting flags, to .rodata. */
static int32_t cg_rx_table(struct cg *c, const struct rx_dfa *d)
{
	size_t n = (size_t)d->nstates * 256;
	uint8_t *p = malloc(n + d->nstates);
	int32_t off;

	if (!p) {
		c->b.oom = true;
		return -1;
	}
	memcpy(p, d->trans, n);
	memcpy(p + n, d->accept, d->nstates);
	off = cg_rx_rodata(c, p, n + d->nstates);
	free(p);
	return off;
}

/* Compile the literal of e (the right side of =~); false after an error
 * at the literal. */
static bool cg_rx_compile(struct cg *c, const struct bt_expr *re,
			  enum rx_mode mode, struct rx_dfa *d)
{
	char err[256];

	if (re->kind != E_STR) {
		cg_error(c, &re->loc, "a regular expression must be a string "
			 "literal");
		return false;
	}
	if (strlen(re->str) != re->len) {
		cg_error(c, &re->loc, "a regular expression cannot contain a "
			 "NUL byte");
		return false;
	}
	if (rx_compile(re->str, mode, d, err, sizeof(err)) < 0) {
		cg_error(c, &re->loc, "%s", err);
		return false;
	}
	return true;
}

/* r6 = the caller's block, r8 = the scratch block, r4 = the state (else
 * stop: never at run time, a bound for the verifier). */
static void cg_rx_enter(struct cg *c, struct cg_cb *cb, int nstates)
{
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_6, BPF_REG_10, RXF_CTX));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_8, BPF_REG_6, RXB_BLK));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_8, RXS_STATE));
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_4, nstates, cb->brk);
}

/* r4 = table[r4][byte r3] (r5 clobbered), stored as the state. */
static void cg_rx_step(struct cg *c, int32_t tbl)
{
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_4, 8));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_4, BPF_REG_3));
	emit_ld_map(&c->b, BPF_REG_5, BT_RELOC_RODATA, tbl);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_5, BPF_REG_4));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_5, 0));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_4, RXS_STATE));
}

/* r3 = the subject's byte at r7 (< MAXSTRINGLEN, else stop). */
static void cg_rx_byte(struct cg *c, struct cg_cb *cb)
{
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_7, c->opt->maxstringlen,
		     cb->brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, RXB_STR));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_3, BPF_REG_1, 0));
}

static int cg_rx_cb_end(struct cg *c, struct cg_cb *cb)
{
	static const int args[] = { BPF_REG_1, BPF_REG_2 };
	static const int16_t slots[] = { RXF_POS, RXF_CTX };

	return cg_cb_end(c, cb, args, slots, 2);
}

/* The search walk: one byte per call, stop in the accepting or the dead
 * state. */
static int cg_rx_search_cb(struct cg *c, const struct rx_dfa *d,
			   int32_t tbl, int acc)
{
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	cg_rx_enter(c, &cb, d->nstates);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_10, RXF_POS));
	cg_rx_byte(c, &cb);
	cg_rx_step(c, tbl);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_4, acc, cb.brk);
	if (d->dead >= 0)
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_4, d->dead, cb.brk);
	emit_ja(&c->b, cb.cont);
	return cg_rx_cb_end(c, &cb);
}

/* The block for bpf_loop: subject (register subj) and the scratch
 * block; the state starts at start. */
static void cg_rx_block(struct cg *c, int subj, int start)
{
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, subj, CG_FP_HELPER + RXB_STR));
	cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_STATE, start));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_1,
			     CG_FP_HELPER + RXB_BLK));
}

/* bpf_loop(n in r1, callback sub, the block, 0) */
static void cg_rx_loop(struct cg *c, int sub)
{
	cg_ld_callback(c, BPF_REG_2, sub);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, CG_FP_HELPER));
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_loop));
}

/* A success: keep the subject (buffer tb) for matched(), note regex k. */
static void cg_rx_remember(struct cg *c, int tb, int k)
{
	cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch + RXS_SUBJ);
	emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	cg_str_tmov(c, BPF_REG_3, tb);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_str_clamp_min0(c, BPF_REG_0);
	cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_0, RXS_LEN));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_WHICH, k + 1));
}

/* The index of the (only) accepting state of a search DFA. */
static int cg_rx_accepting(const struct rx_dfa *d)
{
	for (int k = 0; k < d->nstates; k++)
		if (d->accept[k])
			return k;
	return -1;
}

int cg_regex_match(struct cg *c, const struct bt_expr *e)
{
	bool neg = e->op == OP_NMATCH;
	int t = cg_str_expr(c, e->left), tb, sub, acc, k = -1;
	int yes = emit_new_label(&c->b), end = emit_new_label(&c->b);
	struct rx_dfa d;
	int32_t tbl;

	if (!cg_rx_compile(c, e->right, RX_SEARCH, &d))
		return t;
	cg_rx_program(c);
	if (c->rx_n < CG_MAX_REGEX) {
		k = c->rx_n++;
		c->rx_re[k] = e->right;
	}
	acc = cg_rx_accepting(&d);
	tbl = cg_rx_table(c, &d);
	sub = d.accept[d.start] ? -1 : cg_rx_search_cb(c, &d, tbl, acc);
	/* the subject's copy: a bounded buffer, and its length */
	tb = cg_str_buffer_n(c, &e->loc, c->strfield);
	cg_str_tmov(c, BPF_REG_1, tb);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, 0));
	emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	cg_str_tmov(c, BPF_REG_3, t);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	if (sub >= 0) {
		/* walk the bytes and the NUL: at least one step */
		emit(&c->b, insn_mov_reg(BPF_REG_5, BPF_REG_0));
		cg_str_tmov(c, BPF_REG_1, tb);
		cg_rx_block(c, BPF_REG_1, d.start);
		emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_5));
		emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_1, 1, end);
		emit_mov_imm(&c->b, BPF_REG_1, 1);
		emit_place_label(&c->b, end);
		end = emit_new_label(&c->b);
		cg_rx_loop(c, sub);
		cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, RXS_STATE));
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, acc, yes);
		cg_tset_imm(c, t, neg);
		emit_ja(&c->b, end);
	}
	emit_place_label(&c->b, yes);
	if (k >= 0)
		cg_rx_remember(c, tb, k);
	cg_tset_imm(c, t, !neg);
	emit_place_label(&c->b, end);
	cg_pop(c, 1);
	rx_free(&d);
	return t;
}

/*
 * matched(0)'s walk with the anchored DFA of one regex: from start I,
 * position J, remember the last accepting position; at the dead state or
 * the end, stop if a match was seen, else try the next start.
 */
static int cg_rx_span_cb(struct cg *c, const struct rx_dfa *d, int32_t tbl)
{
	int32_t accs = tbl + d->nstates * 256;
	int restart, step, no, noacc;
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	restart = emit_new_label(&c->b);
	step = emit_new_label(&c->b);
	no = emit_new_label(&c->b);
	noacc = emit_new_label(&c->b);
	cg_rx_enter(c, &cb, d->nstates);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_8, RXS_J));
	if (d->dead >= 0)
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_4, d->dead, restart);
	/* accepting before byte J: a match [I, J) */
	emit_ld_map(&c->b, BPF_REG_5, BT_RELOC_RODATA, accs);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_5, BPF_REG_4));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_0, BPF_REG_5, 0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, noacc);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, RXS_LAST));
	emit_place_label(&c->b, noacc);
	cg_rx_byte(c, &cb);
	cg_rx_step(c, tbl);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_3, 0, step);
	/* the end: does $ accept here? */
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_4, d->nstates, cb.brk);
	emit_ld_map(&c->b, BPF_REG_5, BT_RELOC_RODATA, accs);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_5, BPF_REG_4));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_0, BPF_REG_5, 0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, restart);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, RXS_LAST));
	emit_ja(&c->b, restart);
	emit_place_label(&c->b, step);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_7, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, RXS_J));
	emit_ja(&c->b, cb.cont);
	/* a match from I: done; else the next start, up to the length */
	emit_place_label(&c->b, restart);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_8, RXS_LAST));
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_0, 0, no);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_8, RXS_FOUND, 1));
	emit_ja(&c->b, cb.brk);
	emit_place_label(&c->b, no);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_8, RXS_I));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 1));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_8, RXS_LEN));
	emit_jmp_reg(&c->b, BPF_JSGT, BPF_REG_1, BPF_REG_2, cb.brk);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_1, RXS_I));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_1, RXS_J));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_8, RXS_STATE, d->start_mid));
	emit_ja(&c->b, cb.cont);
	return cg_rx_cb_end(c, &cb);
}

/* The span of regex k's leftmost-longest match in the kept subject:
 * FOUND, I (start) and LAST (end) in the scratch block. */
static void cg_rx_span(struct cg *c, int k)
{
	struct rx_dfa d;
	int32_t tbl;
	int sub;
	/* every (start, position) pair, plus one step per start */
	uint32_t steps = (c->opt->maxstringlen + 1) *
			 (c->opt->maxstringlen + 2) / 2 +
			 c->opt->maxstringlen + 1;

	if (!cg_rx_compile(c, c->rx_re[k], RX_ANCHORED, &d))
		return;
	tbl = cg_rx_table(c, &d);
	sub = cg_rx_span_cb(c, &d, tbl);
	if (sub >= 0) {
		cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch + RXS_SUBJ);
		cg_rx_block(c, BPF_REG_1, d.start);
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_I, 0));
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_J, 0));
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_LAST, -1));
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, RXS_FOUND, 0));
		emit_mov_imm(&c->b, BPF_REG_1, steps);
		cg_rx_loop(c, sub);
	}
	rx_free(&d);
}

/* matched(0): the last successful match's text, "" before any. */
static int cg_matched(struct cg *c, const struct bt_expr *e)
{
	int t, done, copy;
	int labels[CG_MAX_REGEX];

	if (!e->args || e->args->kind != E_NUM || e->args->num != 0) {
		cg_error(c, e->args ? &e->args->loc : &e->loc,
			 "only matched(0), the whole match, is supported: "
			 "subexpressions are not tracked");
		return cg_push(c, &e->loc);
	}
	cg_rx_program(c);
	t = cg_str_buffer_n(c, &e->loc, c->strfield);
	cg_str_tmov(c, BPF_REG_1, t);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, 0));
	done = emit_new_label(&c->b);
	copy = emit_new_label(&c->b);
	cg_scratch_ptr(c, BPF_REG_1, c->rx_scratch);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, RXS_WHICH));
	for (int k = 0; k < c->rx_n; k++) {
		labels[k] = emit_new_label(&c->b);
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, k + 1, labels[k]);
	}
	emit_ja(&c->b, done);
	for (int k = 0; k < c->rx_n; k++) {
		emit_place_label(&c->b, labels[k]);
		cg_rx_span(c, k);
		emit_ja(&c->b, copy);
	}
	/* copy [I, LAST) of the subject */
	emit_place_label(&c->b, copy);
	cg_scratch_ptr(c, BPF_REG_3, c->rx_scratch);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_3, RXS_FOUND));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, done);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_3, RXS_LAST));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_3, RXS_I));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_0));
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_2, 1, done);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 1));	/* + NUL */
	cg_str_clamp_max(c, BPF_REG_2, c->opt->maxstringlen);
	cg_str_clamp_min0(c, BPF_REG_2);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_2, 1, done);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, RXS_SUBJ));
	cg_str_clamp_max(c, BPF_REG_0, c->opt->maxstringlen - 1);
	cg_str_clamp_min0(c, BPF_REG_0);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_0));
	cg_str_tmov(c, BPF_REG_1, t);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit_place_label(&c->b, done);
	return t;
}

bool cg_regex_builtin(struct cg *c, const struct bt_expr *e, int *t)
{
	if (strcmp(e->builtin->name, "matched"))
		return false;
	*t = cg_matched(c, e);
	return true;
}
