// SPDX-License-Identifier: GPL-2.0
/*
 * The string built-ins of stap's tapset (string.stp), with its semantics:
 * strlen, substr, isinstr, strtol (the kernel's simple_strtol), sprint,
 * str_replace, text_str and text_strn (sprintf: cg_sprintf.c).
 *
 * Loops are bounded by strfield so the verifier can walk them; it walks
 * every iteration, so loop bodies stay small and read a word at a time
 * where they can. Scalars that must survive a loop body that needs every
 * scratch register live in the helper area of the stack (CG_FP_HELPER),
 * which nothing else uses while one of these sequences runs.
 */
#include <stdlib.h>
#include <string.h>
#include "cg.h"
#include "cg_str.h"

#define CG_SLOT(i)	(CG_FP_HELPER + 8 * (i))

static void cg_slot_load(struct cg *c, int reg, int slot)
{
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_SLOT(slot)));
}

static void cg_neg(struct cg *c, int reg)
{
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
				       .dst_reg = reg });
}

/* The value of temporary `from` becomes temporary `to`'s (to < from). */
static void cg_tmove(struct cg *c, int to, int from)
{
	int r = cg_treg(c, from, BPF_REG_0);

	cg_tset(c, to, r);
}

/*
 * Make the verifier forget what it knows of reg (through a scratch map
 * word, whose contents it does not track). Every exit of a loop leaves a
 * slightly different range in its result; code after it would be walked
 * once per exit unless the ranges are dropped. Only for values that no
 * bound depends on.
 */
static void cg_widen(struct cg *c, int reg, int scratch)
{
	int32_t off = cg_scratch_temp(c, 8);

	cg_scratch_ptr(c, scratch, off);
	emit(&c->b, insn_stx(BPF_DW, scratch, reg, 0));
	emit(&c->b, insn_ldx(BPF_DW, reg, scratch, 0));
}

/*
 * r2 = the length of the string at cursor register a (r1 or r6-r9; it is
 * advanced), as a value the verifier knows nothing of; r0, r3-r5
 * clobbered. A word at a
 * time: the index of the lowest zero flag comes from a multiply that sums
 * the 0x01 bytes below it into the top byte.
 */
static void cg_strlen_loop(struct cg *c, int a)
{
	int loop = emit_new_label(&c->b), found = emit_new_label(&c->b);
	int done = emit_new_label(&c->b);

	emit_mov_imm(&c->b, BPF_REG_2, 0);
	emit_place_label(&c->b, loop);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, a, 0));
	emit_mov_imm(&c->b, BPF_REG_4, CG_STR_K7F);
	cg_str_zero_flags(c, BPF_REG_0, BPF_REG_3, BPF_REG_4);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0, found);
	emit(&c->b, insn_alu64_imm(BPF_ADD, a, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 8));
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_2, c->strfield, loop);
	emit_ja(&c->b, done);		/* no NUL: clamped below */
	emit_place_label(&c->b, found);
	emit(&c->b, insn_mov_reg(BPF_REG_4, BPF_REG_0));
	cg_neg(c, BPF_REG_4);
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_0, BPF_REG_4));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_0, 7));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	emit_mov_imm(&c->b, BPF_REG_4, CG_STR_K01);
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_0, BPF_REG_4));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_0, BPF_REG_4));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_0, 56));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_0));
	emit_place_label(&c->b, done);
	cg_widen(c, BPF_REG_2, BPF_REG_0);
}

static int cg_strlen(struct cg *c, const struct bt_expr *e)
{
	int t = cg_str_expr(c, e->args);

	cg_str_tmov(c, BPF_REG_1, t);
	cg_strlen_loop(c, BPF_REG_1);
	cg_tset(c, t, BPF_REG_2);
	return t;
}

/*
 * substr(s, start, len): strlcpy(ret, s + start, clamp(len + 1, 0,
 * MAXSTRINGLEN)) when 0 <= start < strlen(s), else "". The copy is
 * bpf_probe_read_kernel_str, which is strlcpy.
 */
static int cg_substr(struct cg *c, const struct bt_expr *e)
{
	int32_t max = c->opt->maxstringlen;
	int ts = cg_str_expr(c, e->args), tst, tr, done, r;

	tst = cg_expr(c, e->args->next);
	cg_expr(c, e->args->next->next);
	tr = cg_str_buffer_n(c, &e->loc, c->strfield);
	done = emit_new_label(&c->b);
	r = cg_treg(c, tr, BPF_REG_1);
	emit(&c->b, insn_st(BPF_B, r, 0, 0));
	cg_str_tmov(c, BPF_REG_1, ts);
	cg_strlen_loop(c, BPF_REG_1);
	cg_str_tmov(c, BPF_REG_3, tst);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_3, 0, done);
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_3, BPF_REG_2, done);
	emit_jmp_imm(&c->b, BPF_JSGT, BPF_REG_3, max - 1, done);
	cg_str_tmov(c, BPF_REG_2, tst + 1);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 1));
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_2, 0, done);
	cg_str_clamp_max(c, BPF_REG_2, max);
	cg_str_tmov(c, BPF_REG_4, ts);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_4));
	cg_str_tmov(c, BPF_REG_1, tr);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit_place_label(&c->b, done);
	cg_tmove(c, ts, tr);
	cg_pop(c, 3);
	return ts;
}

/*
 * Searching (isinstr, str_replace) and escaping (text_str) walk the
 * positions of a string with bpf_loop, one position per call of a
 * callback: the verifier walks the callback's body once, not once per
 * position, so the cost grows with MAXSTRINGLEN and not with its square.
 * The caller passes a block on its stack (bpf_loop's context, the helper
 * area) holding pointers and lengths; what the callback changes lives in
 * a block of the scratch map (the callback runs in its own frame).
 *
 * The haystack is copied into a buffer of 2 * strfield bytes, so the
 * needle can be compared a word at a time at any start: bytes past the
 * haystack's NUL never match, since the compared bytes of the needle are
 * not NUL.
 */
#define SX_HAY		0	/* the haystack's copy (2 * strfield) */
#define SX_NEEDLE	8	/* the needle: a string buffer */
#define SX_WORDS	16	/* whole words of the needle */
#define SX_MASK		24	/* mask of the needle's last bytes */
#define SX_STATE	32	/* the scratch block below */
#define SX_RES		40	/* result buffer (2 * strfield) */
#define SX_REPL		48	/* str_replace: the replacement */
#define SX_LEN		56	/* positions to walk */
#define SX_NLEN		64	/* the needle's length */
#define SX_LIM		72	/* text_str: where the output must end */

/* The scratch block: */
#define SS_FOUND	0	/* isinstr: a match; text_str: cut short */
#define SS_SKIP		8	/* str_replace: next position to look at */
#define SS_RLEN		16	/* the result's length */
#define SS_SIZE		24

/* The callbacks' frame: r1 (position) and r2 (the block) at entry. */
#define SXF_CTX		(-16)
#define SXF_POS		(-24)

/* Store register reg at the block's word off. */
static void cg_sx_put(struct cg *c, int16_t off, int reg)
{
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, CG_FP_HELPER + off));
}

/* r6 = the block, r7 = the position (< bound, else stop), r8 = state. */
static void cg_sx_enter(struct cg *c, struct cg_cb *cb, int32_t bound)
{
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_6, BPF_REG_10, SXF_CTX));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_10, SXF_POS));
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_7, bound, cb->brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SX_LEN));
	emit(&c->b, insn_alu64_imm(BPF_OR, BPF_REG_0, 0));
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_7, BPF_REG_0, cb->brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_8, BPF_REG_6, SX_STATE));
}

static int cg_sx_end(struct cg *c, struct cg_cb *cb)
{
	static const int args[] = { BPF_REG_1, BPF_REG_2 };
	static const int16_t slots[] = { SXF_POS, SXF_CTX };

	return cg_cb_end(c, cb, args, slots, 2);
}

/*
 * Does the needle occur at position r7 of the haystack? Falls through
 * when it does, jumps to `no` when not; r0-r5 clobbered. The word count
 * is loaded opaquely so the comparison does not refine the block's copy.
 */
static void cg_sx_match(struct cg *c, int no)
{
	int words = emit_new_label(&c->b), body = emit_new_label(&c->b);
	int yes = emit_new_label(&c->b);

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_HAY));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, SX_NEEDLE));
	emit_mov_imm(&c->b, BPF_REG_5, 0);
	emit_place_label(&c->b, words);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SX_WORDS));
	emit(&c->b, insn_alu64_imm(BPF_OR, BPF_REG_0, 0));
	emit_jmp_reg(&c->b, BPF_JLT, BPF_REG_5, BPF_REG_0, body);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_2, 0));
	emit(&c->b, insn_alu64_reg(BPF_XOR, BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SX_MASK));
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_3, BPF_REG_0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, yes);
	emit_ja(&c->b, no);
	emit_place_label(&c->b, body);
	/* never at run time (the needle is shorter): a bound for the
	 * verifier */
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_5, c->strfield / 8 - 1, no);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_2, 0));
	emit_jmp_reg(&c->b, BPF_JNE, BPF_REG_3, BPF_REG_4, no);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_5, 1));
	emit_ja(&c->b, words);
	emit_place_label(&c->b, yes);
}

/*
 * Caller side: copy string temporary ts into a fresh haystack buffer
 * (its pointer to the block); r0 = its length.
 */
static void cg_sx_haystack(struct cg *c, const struct bt_loc *loc, int ts)
{
	int tb = cg_str_buffer_n(c, loc, 2 * c->strfield);

	cg_str_tmov(c, BPF_REG_1, tb);
	cg_sx_put(c, SX_HAY, BPF_REG_1);
	emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	cg_str_tmov(c, BPF_REG_3, ts);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_str_clamp_min0(c, BPF_REG_0);
	cg_pop(c, 1);
}

/*
 * Caller side: the needle (string temporary tn) to the block: pointer,
 * length, whole words and the mask of the rest. r2 = its length.
 */
static void cg_sx_needle(struct cg *c, int tn)
{
	cg_str_tmov(c, BPF_REG_1, tn);
	cg_sx_put(c, SX_NEEDLE, BPF_REG_1);
	cg_strlen_loop(c, BPF_REG_1);
	cg_sx_put(c, SX_NLEN, BPF_REG_2);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_2));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3, 3));
	cg_sx_put(c, SX_WORDS, BPF_REG_3);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_2));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_3, 7));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_3, 3));
	emit_mov_imm(&c->b, BPF_REG_4, 1);
	emit(&c->b, insn_alu64_reg(BPF_LSH, BPF_REG_4, BPF_REG_3));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_4, 1));
	cg_sx_put(c, SX_MASK, BPF_REG_4);
}

/* Caller side: a fresh state block, zeroed, its pointer to the block;
 * returns its offset in the scratch value. */
static int32_t cg_sx_state(struct cg *c)
{
	int32_t off = cg_scratch_temp(c, SS_SIZE);

	cg_scratch_ptr(c, BPF_REG_1, off);
	for (int i = 0; i < SS_SIZE; i += 8)
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, i, 0));
	cg_sx_put(c, SX_STATE, BPF_REG_1);
	return off;
}

/* bpf_loop(n in r1, callback sub, the block, 0) */
static void cg_sx_loop(struct cg *c, int sub)
{
	cg_ld_callback(c, BPF_REG_2, sub);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, CG_FP_HELPER));
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_loop));
}

/* isinstr's callback: stop at the first start where the needle is. */
static int cg_isinstr_cb(struct cg *c)
{
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	cg_sx_enter(c, &cb, c->opt->maxstringlen);
	cg_sx_match(c, cb.cont);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_8, SS_FOUND, 1));
	emit_ja(&c->b, cb.brk);
	return cg_sx_end(c, &cb);
}

/* isinstr(s1, s2): strstr(s1, s2) != NULL; "" is in everything. */
static int cg_isinstr(struct cg *c, const struct bt_expr *e)
{
	int t1 = cg_str_expr(c, e->args), t2, sub;
	int found = emit_new_label(&c->b), miss = emit_new_label(&c->b);
	int end = emit_new_label(&c->b);
	int32_t st;

	t2 = cg_str_expr(c, e->args->next);
	sub = cg_isinstr_cb(c);
	if (sub < 0)
		return t1;
	st = cg_sx_state(c);
	cg_str_tmov(c, BPF_REG_1, t2);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_3, BPF_REG_1, 0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, found);
	cg_sx_haystack(c, &e->loc, t1);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_0,
			     CG_FP_HELPER + SX_LEN));
	cg_sx_needle(c, t2);
	/* starts 0 .. len1 - len2 */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
			     CG_FP_HELPER + SX_LEN));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_1, BPF_REG_2));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 1));
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_1, 0, miss);
	cg_sx_put(c, SX_LEN, BPF_REG_1);
	cg_sx_loop(c, sub);
	cg_scratch_ptr(c, BPF_REG_1, st);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, SS_FOUND));
	cg_tset(c, t1, BPF_REG_0);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, miss);
	cg_tset_imm(c, t1, 0);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, found);
	cg_tset_imm(c, t1, 1);
	emit_place_label(&c->b, end);
	cg_pop(c, 1);
	return t1;
}

/* r7 = the result's length from the state (r8), within [0, last]. */
static void cg_sx_rlen(struct cg *c)
{
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_8, SS_RLEN));
	cg_str_clamp_max(c, BPF_REG_7, c->opt->maxstringlen - 1);
	cg_str_clamp_min0(c, BPF_REG_7);
}

/*
 * str_replace's callback, at each position of the haystack: after a
 * match, positions inside it are skipped; at a match the replacement is
 * appended, else the haystack's byte. Left to right, so matches never
 * overlap (stap's strstr loop).
 */
static int cg_replace_cb(struct cg *c)
{
	int32_t last = c->opt->maxstringlen - 1;
	struct cg_cb cb;
	int plain;

	cg_cb_begin(c, &cb);
	plain = emit_new_label(&c->b);
	cg_sx_enter(c, &cb, c->opt->maxstringlen);
	emit(&c->b, insn_mov_reg(BPF_REG_9, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_8, SS_SKIP));
	emit_jmp_reg(&c->b, BPF_JSLT, BPF_REG_7, BPF_REG_0, cb.cont);
	cg_sx_match(c, plain);
	/* the replacement; then skip the match */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SX_NLEN));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_0, BPF_REG_7));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_0, SS_SKIP));
	cg_sx_rlen(c);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_RES));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit_mov_imm(&c->b, BPF_REG_2, last + 1);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_6, SX_REPL));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_str_clamp_min0(c, BPF_REG_0);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_7, BPF_REG_0));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, SS_RLEN));
	emit_ja(&c->b, cb.cont);
	/* the haystack's byte (r9: the position), while there is room */
	emit_place_label(&c->b, plain);
	cg_sx_rlen(c);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_7, last, cb.brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_HAY));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_9));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_2, BPF_REG_1, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_RES));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit(&c->b, insn_stx(BPF_B, BPF_REG_1, BPF_REG_2, 0));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_7, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, SS_RLEN));
	emit_ja(&c->b, cb.cont);
	return cg_sx_end(c, &cb);
}

/* Caller side: NUL-terminate the result (tr) at the state's length. */
static void cg_sx_finish(struct cg *c, int32_t st, int tr)
{
	cg_scratch_ptr(c, BPF_REG_1, st);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, SS_RLEN));
	cg_str_clamp_max(c, BPF_REG_0, c->opt->maxstringlen - 1);
	cg_str_clamp_min0(c, BPF_REG_0);
	cg_str_tmov(c, BPF_REG_1, tr);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_0));
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, 0));
}

/*
 * str_replace(str, old, new): every occurrence of old, left to right and
 * not overlapping, becomes new; the result is cut at MAXSTRINGLEN-1 like
 * stap's strlcat. An empty old gives str unchanged.
 */
static int cg_str_replace(struct cg *c, const struct bt_expr *e)
{
	int ts = cg_str_expr(c, e->args), to, tn, tr, sub;
	int empty = emit_new_label(&c->b), end = emit_new_label(&c->b);
	int32_t st;

	to = cg_str_expr(c, e->args->next);
	tn = cg_str_expr(c, e->args->next->next);
	tr = cg_str_buffer_n(c, &e->loc, 2 * c->strfield);
	sub = cg_replace_cb(c);
	if (sub < 0)
		goto out;
	st = cg_sx_state(c);
	cg_str_tmov(c, BPF_REG_1, tr);
	cg_sx_put(c, SX_RES, BPF_REG_1);
	cg_str_tmov(c, BPF_REG_1, tn);
	cg_sx_put(c, SX_REPL, BPF_REG_1);
	cg_str_tmov(c, BPF_REG_1, to);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_3, BPF_REG_1, 0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, empty);
	cg_sx_haystack(c, &e->loc, ts);
	cg_sx_put(c, SX_LEN, BPF_REG_0);
	cg_sx_needle(c, to);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
			     CG_FP_HELPER + SX_LEN));
	cg_sx_loop(c, sub);
	cg_sx_finish(c, st, tr);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, empty);
	cg_str_tmov(c, BPF_REG_1, tr);
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	cg_str_tmov(c, BPF_REG_3, ts);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit_place_label(&c->b, end);
out:
	cg_tmove(c, ts, tr);
	cg_pop(c, 3);
	return ts;
}

/* Continue only when r4 is the length of a valid UTF-8 sequence that
 * starts at r1 and r0 holds its lead bits (else jump to bad); its
 * codepoint ends in r0. stap's _stp_decode_utf8: no surrogates, nothing
 * past U+10FFFF, no overlong forms. */
static void cg_utf8_rest(struct cg *c, int bad)
{
	int done = emit_new_label(&c->b), c4 = emit_new_label(&c->b);
	int ok = emit_new_label(&c->b);

	for (int k = 1; k < 4; k++) {
		emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_4, k, done);
		emit(&c->b, insn_ldx(BPF_B, BPF_REG_3, BPF_REG_1, k));
		emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_3));
		emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_2, 0xc0));
		emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_2, 0x80, bad);
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_0, 6));
		emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_3, 0x3f));
		emit(&c->b, insn_alu64_reg(BPF_OR, BPF_REG_0, BPF_REG_3));
	}
	emit_place_label(&c->b, done);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_0));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_3, 0xd800));
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_3, 0x7ff, bad);
	emit_jmp_imm(&c->b, BPF_JGT, BPF_REG_0, 0x10ffff, bad);
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_0, 0x80, bad);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, 3, c4);
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_0, 0x800, bad);
	emit_place_label(&c->b, c4);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, 4, ok);
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_0, 0x10000, bad);
	emit_place_label(&c->b, ok);
}

/* r1[2..] = the low n hex digits of r0, upper case (stap's
 * to_hex_digit); r3 clobbered. */
static void cg_hex_digits(struct cg *c, int n)
{
	for (int i = 0; i < n; i++) {
		emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_0));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3,
					   4 * (n - 1 - i)));
		emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_3, 0xf));
		/* '0' + d, plus 7 more for d > 9 */
		emit_mov_imm(&c->b, BPF_REG_2, 9);
		emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_3));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_2, 63));
		emit(&c->b, insn_alu64_imm(BPF_MUL, BPF_REG_2, 'A' - '0' - 10));
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_2));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, '0'));
		emit(&c->b, insn_stx(BPF_B, BPF_REG_1, BPF_REG_3, 2 + i));
	}
}

/*
 * A UTF-8 sequence at the position (lead byte r9 >= 0xc0, r7 = result
 * length): \uXXXX or \UXXXXXXXX, and the positions it covers are
 * skipped; an invalid one goes to `octal` with r1 and r2 set again.
 */
static void cg_text_utf8(struct cg *c, struct cg_cb *cb, int octal,
			 int stop, int one)
{
	int bad = emit_new_label(&c->b), rest = emit_new_label(&c->b);
	int t3 = emit_new_label(&c->b), t4 = emit_new_label(&c->b);
	int big = emit_new_label(&c->b), put = emit_new_label(&c->b);
	int32_t last = c->opt->maxstringlen - 1;

	/* r5 = position, r3 = bytes after the lead within the length */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_5, BPF_REG_10, SXF_POS));
	emit_jmp_imm(&c->b, BPF_JGT, BPF_REG_5, last, cb->brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_6, SX_LEN));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_3, BPF_REG_5));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_3, 1));
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0xe0));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0xc0, t3);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_3, 1, bad);
	emit_mov_imm(&c->b, BPF_REG_4, 2);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0x1f));
	emit_ja(&c->b, rest);
	emit_place_label(&c->b, t3);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0xf0));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0xe0, t4);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_3, 2, bad);
	emit_mov_imm(&c->b, BPF_REG_4, 3);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0xf));
	emit_ja(&c->b, rest);
	emit_place_label(&c->b, t4);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0xf8));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0xf0, bad);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_3, 3, bad);
	emit_mov_imm(&c->b, BPF_REG_4, 4);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_9));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_0, 0x7));
	emit_place_label(&c->b, rest);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_HAY));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_5));
	cg_utf8_rest(c, bad);
	/* r5 = output bytes; they must fit */
	emit_mov_imm(&c->b, BPF_REG_5, 6);
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_0, 0xffff, put);
	emit_mov_imm(&c->b, BPF_REG_5, 10);
	emit_place_label(&c->b, put);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, SX_LIM));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_7));
	emit_jmp_reg(&c->b, BPF_JSLT, BPF_REG_2, BPF_REG_5, stop);
	/* skip the continuation bytes */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, SXF_POS));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_3, SS_SKIP));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_RES));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, '\\'));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_5, 10, big);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 1, 'u'));
	cg_hex_digits(c, 4);
	emit_mov_imm(&c->b, BPF_REG_0, 6);
	emit_ja(&c->b, one);
	emit_place_label(&c->b, big);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 1, 'U'));
	cg_hex_digits(c, 8);
	emit_mov_imm(&c->b, BPF_REG_0, 10);
	emit_ja(&c->b, one);
	/* not UTF-8: the lead byte in octal */
	emit_place_label(&c->b, bad);
	emit_mov_imm(&c->b, BPF_REG_4, 1);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, SX_LIM));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_RES));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit_ja(&c->b, octal);
}

/*
 * text_str's callback, at each byte: printable ASCII other than '"' and
 * '\\' as it is, the C escapes of \a \b \f \n \r \t \v " \\ as two bytes,
 * a valid UTF-8 sequence as \uXXXX or \UXXXXXXXX, anything else as three
 * octal digits after a '\\' (stap's _stp_text_str). When an escape does
 * not fit before the limit, the text stops there, cut short (SS_FOUND)
 * unless that character was the last one asked for.
 */
static int cg_text_cb(struct cg *c)
{
	static const char esc[][2] = {
		{ '\a', 'a' }, { '\b', 'b' }, { '\f', 'f' }, { '\n', 'n' },
		{ '\r', 'r' }, { '\t', 't' }, { '\v', 'v' }, { '"', '"' },
		{ '\\', '\\' },
	};
	int quote, octal, stop, one, cut, utf8;
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	quote = emit_new_label(&c->b);
	octal = emit_new_label(&c->b);
	stop = emit_new_label(&c->b);
	one = emit_new_label(&c->b);
	cut = emit_new_label(&c->b);
	utf8 = emit_new_label(&c->b);
	cg_sx_enter(c, &cb, c->opt->maxstringlen);
	/* inside a UTF-8 sequence already written */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_8, SS_SKIP));
	emit_jmp_reg(&c->b, BPF_JSLT, BPF_REG_7, BPF_REG_0, cb.cont);
	/* r9 = the byte; r2 = room before the limit; r4 = bytes taken */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_HAY));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_9, BPF_REG_1, 0));
	cg_sx_rlen(c);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, SX_LIM));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_7));
	/* nothing fits: cut short, whatever the byte */
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_2, 0, cut);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_9, 0xc0, utf8);
	emit_mov_imm(&c->b, BPF_REG_4, 1);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SX_RES));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_9, 0x20, quote);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_9, 0x7f, quote);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_9, '"', quote);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_9, '\\', quote);
	emit(&c->b, insn_stx(BPF_B, BPF_REG_1, BPF_REG_9, 0));
	emit_mov_imm(&c->b, BPF_REG_0, 1);
	emit_ja(&c->b, one);
	emit_place_label(&c->b, quote);
	for (size_t i = 0; i < sizeof(esc) / sizeof(*esc); i++) {
		int next = emit_new_label(&c->b);

		emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_9, esc[i][0], next);
		emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_2, 2, stop);
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, '\\'));
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 1, esc[i][1]));
		emit_mov_imm(&c->b, BPF_REG_0, 2);
		emit_ja(&c->b, one);
		emit_place_label(&c->b, next);
	}
	emit_place_label(&c->b, octal);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_2, 4, stop);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, '\\'));
	for (int i = 0; i < 3; i++) {
		emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_9));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3, 6 - 3 * i));
		emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_3, i ? 7 : 3));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, '0'));
		emit(&c->b, insn_stx(BPF_B, BPF_REG_1, BPF_REG_3, 1 + i));
	}
	emit_mov_imm(&c->b, BPF_REG_0, 4);
	emit_place_label(&c->b, one);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_7, BPF_REG_0));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_8, BPF_REG_7, SS_RLEN));
	emit_ja(&c->b, cb.cont);
	emit_place_label(&c->b, utf8);
	cg_text_utf8(c, &cb, octal, stop, one);
	/* an escape that does not fit: cut short if more input follows
	 * the r4 bytes it stands for */
	emit_place_label(&c->b, stop);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_10, SXF_POS));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_7, BPF_REG_4));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SX_LEN));
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_7, BPF_REG_0, cb.brk);
	emit_place_label(&c->b, cut);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_8, SS_FOUND, 1));
	emit_ja(&c->b, cb.brk);
	return cg_sx_end(c, &cb);
}

/*
 * text_str(s) and text_strn(s, len, quoted): stap's _stp_text_str. At
 * most len input bytes (all when len <= 0 or past MAXSTRINGLEN-1) and
 * MAXSTRINGLEN-1 output bytes; quoted puts the text in double quotes,
 * with `"...` over its last bytes when it was cut short.
 */
static int cg_text_str(struct cg *c, const struct bt_expr *e)
{
	int32_t last = c->opt->maxstringlen - 1;
	int32_t qlim = (last > 5 ? last : 5) - 1;
	int ts = cg_str_expr(c, e->args), tl = -1, tq = -1, tr, sub;
	int plain = emit_new_label(&c->b), inlen = emit_new_label(&c->b);
	int whole = emit_new_label(&c->b), end = emit_new_label(&c->b);
	int done = emit_new_label(&c->b);
	int32_t st;

	if (e->args->next) {
		tl = cg_expr(c, e->args->next);
		tq = cg_expr(c, e->args->next->next);
	}
	tr = cg_str_buffer_n(c, &e->loc, 2 * c->strfield);
	sub = cg_text_cb(c);
	if (sub < 0)
		goto out;
	st = cg_sx_state(c);
	cg_str_tmov(c, BPF_REG_1, tr);
	cg_sx_put(c, SX_RES, BPF_REG_1);
	cg_sx_haystack(c, &e->loc, ts);
	/* bytes to walk: the string's, or fewer when len says so */
	if (tl >= 0) {
		cg_str_tmov(c, BPF_REG_1, tl);
		emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_1, 0, inlen);
		emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_1, BPF_REG_0, inlen);
		emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_1));
	}
	emit_place_label(&c->b, inlen);
	cg_sx_put(c, SX_LEN, BPF_REG_0);
	emit_mov_imm(&c->b, BPF_REG_0, last);
	cg_sx_put(c, SX_LIM, BPF_REG_0);
	if (tq >= 0) {
		cg_str_tmov(c, BPF_REG_1, tq);
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, 0, plain);
		emit_mov_imm(&c->b, BPF_REG_0, qlim);
		cg_sx_put(c, SX_LIM, BPF_REG_0);
		cg_str_tmov(c, BPF_REG_1, tr);
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, '"'));
		cg_scratch_ptr(c, BPF_REG_1, st);
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, SS_RLEN, 1));
	}
	emit_place_label(&c->b, plain);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
			     CG_FP_HELPER + SX_LEN));
	cg_sx_loop(c, sub);
	if (tq >= 0) {
		/* the closing quote, or `"...` over the last bytes */
		cg_str_tmov(c, BPF_REG_1, tq);
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, 0, end);
		cg_scratch_ptr(c, BPF_REG_1, st);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, SS_FOUND));
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, whole);
		cg_str_tmov(c, BPF_REG_1, tr);
		cg_str_store_bytes(c, BPF_REG_1, qlim - 3, "\"...", 4);
		emit_ja(&c->b, done);
		emit_place_label(&c->b, whole);
		cg_scratch_ptr(c, BPF_REG_1, st);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, SS_RLEN));
		cg_str_clamp_max(c, BPF_REG_0, qlim);
		cg_str_clamp_min0(c, BPF_REG_0);
		cg_str_tmov(c, BPF_REG_1, tr);
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_0));
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, '"'));
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 1, 0));
		emit_ja(&c->b, done);
	}
	emit_place_label(&c->b, end);
	cg_sx_finish(c, st, tr);
	emit_place_label(&c->b, done);
out:
	cg_tmove(c, ts, tr);
	cg_pop(c, tq >= 0 ? 3 : 1);
	return ts;
}

/* r0 = the digit value of the byte in src (a-f either case), or > 15. */
static void cg_digit(struct cg *c, int src, int fail)
{
	int have = emit_new_label(&c->b);

	emit(&c->b, insn_mov_reg(BPF_REG_0, src));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, '0'));
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_0, 9, have);
	emit(&c->b, insn_mov_reg(BPF_REG_0, src));
	emit(&c->b, insn_alu64_imm(BPF_OR, BPF_REG_0, 0x20));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 'a'));
	emit_jmp_imm(&c->b, BPF_JGT, BPF_REG_0, 5, fail);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_0, 10));
	emit_place_label(&c->b, have);
}

/*
 * strtol(s, base): the kernel's simple_strtol. A '-' negates; base 0
 * means 16 after "0x" followed by a hex digit, 8 after "0", else 10; base
 * 16 skips a "0x"; digits are 0-9 and a-f (either case) below the base;
 * no blanks, no '+', overflow wraps. Slot 0 holds the sign.
 */
static int cg_strtol(struct cg *c, const struct bt_expr *e)
{
	int t = cg_str_expr(c, e->args), tb;
	int nosign = emit_new_label(&c->b), fixed = emit_new_label(&c->b);
	int radix = emit_new_label(&c->b), hex = emit_new_label(&c->b);
	int parse = emit_new_label(&c->b), loop = emit_new_label(&c->b);
	int end = emit_new_label(&c->b), pos = emit_new_label(&c->b);

	tb = cg_expr(c, e->args->next);
	cg_str_tmov(c, BPF_REG_1, t);
	cg_str_tmov(c, BPF_REG_3, tb);
	/* the base is an unsigned int */
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_X,
				       .dst_reg = BPF_REG_3,
				       .src_reg = BPF_REG_3 });
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_SLOT(0), 0));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 0));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, '-', nosign);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_SLOT(0), 1));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 1));
	emit_place_label(&c->b, nosign);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_3, 0, fixed);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 0));
	emit_mov_imm(&c->b, BPF_REG_3, 10);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, '0', radix);
	emit_mov_imm(&c->b, BPF_REG_3, 8);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 1));
	emit(&c->b, insn_alu64_imm(BPF_OR, BPF_REG_4, 0x20));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, 'x', radix);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 2));
	cg_digit(c, BPF_REG_4, radix);
	emit_place_label(&c->b, hex);
	emit_mov_imm(&c->b, BPF_REG_3, 16);
	emit_place_label(&c->b, fixed);
	emit_place_label(&c->b, radix);
	/* base 16 (given or found) skips "0x" */
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_3, 16, parse);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 0));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, '0', parse);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 1));
	emit(&c->b, insn_alu64_imm(BPF_OR, BPF_REG_4, 0x20));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_4, 'x', parse);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 2));
	emit_place_label(&c->b, parse);
	/* at most strfield - 3 digits: the cursor may be 3 bytes in */
	emit_mov_imm(&c->b, BPF_REG_2, 0);
	emit_mov_imm(&c->b, BPF_REG_5, c->strfield - 3);
	emit_place_label(&c->b, loop);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_4, BPF_REG_1, 0));
	cg_digit(c, BPF_REG_4, end);
	emit_jmp_reg(&c->b, BPF_JGE, BPF_REG_0, BPF_REG_3, end);
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_2, BPF_REG_3));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_0));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 1));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_5, 1));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_5, 0, loop);
	emit_place_label(&c->b, end);
	cg_slot_load(c, BPF_REG_0, 0);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, pos);
	cg_neg(c, BPF_REG_2);
	emit_place_label(&c->b, pos);
	cg_tset(c, t, BPF_REG_2);
	cg_pop(c, 1);
	return t;
}

/* The offset of NUL-terminated s in .rodata (shared when already
 * there), or -1. */
int32_t cg_rodata_str(struct cg *c, const char *s)
{
	struct bt_object *o = c->obj;
	size_t n = strlen(s) + 1;
	uint8_t *p;

	for (uint32_t i = 0; i + n <= o->rodata_size; i++)
		if (!memcmp(o->rodata + i, s, n) &&
		    (i == 0 || o->rodata[i - 1] == 0))
			return i;
	p = realloc(o->rodata, o->rodata_size + n);
	if (!p) {
		c->b.oom = true;
		return -1;
	}
	memcpy(p + o->rodata_size, s, n);
	o->rodata = p;
	o->rodata_size += n;
	return o->rodata_size - n;
}

/*
 * bpf_snprintf(R, MAXSTRINGLEN, fmt, values, n * 8) into a fresh buffer R:
 * value i is temporary tmp[i], or the constant val[i] when tmp[i] < 0;
 * they go to the helper area. R ends in temporary `to` (no temporary is
 * spent on it before: values may use all of them).
 */
static void cg_snprintf(struct cg *c, const char *fmt, const int *tmp,
			const int64_t *val, int n, int to)
{
	int32_t off = cg_rodata_str(c, fmt);
	int32_t buf = cg_scratch_temp(c, c->strfield);
	int r;

	for (int i = 0; i < n; i++) {
		if (tmp[i] < 0) {
			emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_SLOT(i),
					    (int32_t)val[i]));
			continue;
		}
		r = cg_treg(c, tmp[i], BPF_REG_0);
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, r, CG_SLOT(i)));
	}
	cg_scratch_ptr(c, BPF_REG_1, buf);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, 0));	/* "" on failure */
	emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	emit_ld_map(&c->b, BPF_REG_3, BT_RELOC_RODATA, off < 0 ? 0 : off);
	if (n) {
		emit(&c->b, insn_mov_reg(BPF_REG_4, BPF_REG_10));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4, CG_SLOT(0)));
	} else {
		emit_mov_imm(&c->b, BPF_REG_4, 0);
	}
	emit_mov_imm(&c->b, BPF_REG_5, 8 * n);
	emit(&c->b, insn_call(BPF_FUNC_snprintf));
	cg_scratch_ptr(c, BPF_REG_0, buf);
	cg_tset(c, to, BPF_REG_0);
}

/* sprint(x): a string as it is, a number in decimal. */
static int cg_sprint(struct cg *c, const struct bt_expr *e)
{
	int base = c->depth, t;

	if (e->args->type == BT_STRING)
		return cg_str_expr(c, e->args);
	t = cg_expr(c, e->args);
	cg_snprintf(c, "%lld", &t, NULL, 1, base);
	return base;
}

bool cg_str_builtin(struct cg *c, const struct bt_expr *e, int *t)
{
	switch (e->builtin->id) {
	case BI_SPRINTF:
		*t = cg_sprintf(c, e);
		return true;
	case BI_SPRINT:
		*t = e->args->next ? cg_sprint_family(c, e) : cg_sprint(c, e);
		return true;
	case BI_SPRINTLN:
	case BI_SPRINTD:
	case BI_SPRINTDLN:
		*t = cg_sprint_family(c, e);
		return true;
	case BI_STRLEN:
		*t = cg_strlen(c, e);
		return true;
	case BI_SUBSTR:
		*t = cg_substr(c, e);
		return true;
	case BI_ISINSTR:
		*t = cg_isinstr(c, e);
		return true;
	case BI_STR_REPLACE:
		*t = cg_str_replace(c, e);
		return true;
	case BI_TEXT_STR:
	case BI_TEXT_STRN:
		*t = cg_text_str(c, e);
		return true;
	case BI_STRTOL:
		*t = cg_strtol(c, e);
		return true;
	default:
		return false;
	}
}
