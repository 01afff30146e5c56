// SPDX-License-Identifier: GPL-2.0
/*
 * The string built-ins of stap's tapset (string.stp), with its semantics:
 * strlen, substr, isinstr, strtol (the kernel's simple_strtol), sprint,
 * sprintf, str_replace, text_str, stringat.
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

static void cg_slot_store(struct cg *c, int slot, int reg)
{
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, CG_SLOT(slot)));
}

static void cg_slot_load(struct cg *c, int reg, int slot)
{
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_SLOT(slot)));
}

/*
 * Load a slot for a comparison without letting the verifier refine the
 * slot from the branch: a loaded register shares an id with its slot, and
 * the refined copies (this word count vs. that) would keep otherwise equal
 * states of a loop apart, multiplying the paths it walks. An OR breaks
 * the link.
 */
static void cg_slot_load_opaque(struct cg *c, int reg, int slot)
{
	cg_slot_load(c, reg, slot);
	emit(&c->b, insn_alu64_imm(BPF_OR, reg, 0));
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
	int32_t off = cg_scratch_alloc(c, 8);

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
 * isinstr(s1, s2): strstr(s1, s2) != NULL. s1 is copied into a buffer
 * with room past MAXSTRINGLEN so that s2 can be compared against it a word
 * at a time at any start; bytes past s1's NUL never match, since the
 * compared bytes of s2 are not NUL. Slots: 0 full words of s2, 1 mask of
 * the rest, 2 last start, 3 start. Only the start is known to the
 * verifier (it bounds the reads); the lengths are widened so that one
 * walk of the loops serves every length.
 */
static int cg_isinstr(struct cg *c, const struct bt_expr *e)
{
	int32_t max = c->opt->maxstringlen;
	int t1 = cg_str_expr(c, e->args), t2, tb;
	int found = emit_new_label(&c->b), miss = emit_new_label(&c->b);
	int start = emit_new_label(&c->b), words = emit_new_label(&c->b);
	int body = emit_new_label(&c->b), next = emit_new_label(&c->b);
	int step = emit_new_label(&c->b), end = emit_new_label(&c->b);

	t2 = cg_str_expr(c, e->args->next);
	tb = cg_str_buffer_n(c, &e->loc, 2 * c->strfield);
	cg_str_tmov(c, BPF_REG_1, tb);
	emit_mov_imm(&c->b, BPF_REG_2, max);
	cg_str_tmov(c, BPF_REG_3, t1);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_slot_store(c, 2, BPF_REG_0);
	/* "" is in everything (tested on the byte: no branch on a length) */
	cg_str_tmov(c, BPF_REG_1, t2);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_3, BPF_REG_1, 0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, found);
	cg_strlen_loop(c, BPF_REG_1);
	cg_slot_load(c, BPF_REG_0, 2);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_0, BPF_REG_2));
	cg_slot_store(c, 2, BPF_REG_0);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_2));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_2, 3));
	cg_slot_store(c, 0, BPF_REG_2);
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_3, 7));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_3, 3));
	emit_mov_imm(&c->b, BPF_REG_4, 1);
	emit(&c->b, insn_alu64_reg(BPF_LSH, BPF_REG_4, BPF_REG_3));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_4, 1));
	cg_slot_store(c, 1, BPF_REG_4);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_SLOT(3), 0));
	/* for each start i: compare the whole words, then the rest */
	emit_place_label(&c->b, start);
	cg_str_tmov(c, BPF_REG_1, tb);
	cg_slot_load(c, BPF_REG_0, 3);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_0));
	cg_str_tmov(c, BPF_REG_2, t2);
	emit_mov_imm(&c->b, BPF_REG_5, 0);
	/* Branches fall through towards the next start and jump to go on:
	 * the verifier follows the fall-through first and keeps the other
	 * side pending, so this keeps its pending list to a few per start
	 * instead of a few per compared word. */
	emit_place_label(&c->b, words);
	cg_slot_load_opaque(c, BPF_REG_0, 0);
	emit_jmp_reg(&c->b, BPF_JLT, BPF_REG_5, BPF_REG_0, body);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_2, 0));
	emit(&c->b, insn_alu64_reg(BPF_XOR, BPF_REG_3, BPF_REG_4));
	cg_slot_load(c, BPF_REG_0, 1);
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_3, BPF_REG_0));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, found);
	emit_ja(&c->b, next);
	emit_place_label(&c->b, body);
	/* never at run time (s2 is shorter): a bound for the verifier */
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_5, c->strfield / 8 - 1, next);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_2, 0));
	emit_jmp_reg(&c->b, BPF_JEQ, BPF_REG_3, BPF_REG_4, step);
	emit_ja(&c->b, next);
	emit_place_label(&c->b, step);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_5, 1));
	emit_ja(&c->b, words);
	emit_place_label(&c->b, next);
	cg_slot_load(c, BPF_REG_0, 3);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_0, 1));
	cg_slot_store(c, 3, BPF_REG_0);
	emit_jmp_imm(&c->b, BPF_JSGT, BPF_REG_0, max - 1, miss);
	cg_slot_load_opaque(c, BPF_REG_1, 2);
	emit_jmp_reg(&c->b, BPF_JSLE, BPF_REG_0, BPF_REG_1, start);
	emit_place_label(&c->b, miss);
	cg_tset_imm(c, t1, 0);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, found);
	cg_tset_imm(c, t1, 1);
	emit_place_label(&c->b, end);
	cg_pop(c, 2);
	return t1;
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

/*
 * sprintf goes through bpf_snprintf, whose format must sit in read-only
 * map memory (.rodata) and which understands a subset of printf:
 * flags "-+ 0", a width, d i u x X c s p%, with ll for 64 bits
 * (bpf_bprintf_prepare in the kernel). What it lacks is either done here
 * (precision of %s: the string is cut first; bytes it refuses in the
 * format text: passed as %c) or refused at compile time.
 */
#define CG_SF_MAX_ARGS	12	/* MAX_BPRINTF_VARARGS */
#define CG_SF_MAX_FMT	512

enum cg_sf_kind { SF_VALUE, SF_BYTE, SF_STR_PREC };

struct cg_sfmt {
	char fmt[CG_SF_MAX_FMT];
	size_t len;
	int nargs;
	enum cg_sf_kind kind[CG_SF_MAX_ARGS];
	const struct bt_expr *arg[CG_SF_MAX_ARGS];
	int64_t val[CG_SF_MAX_ARGS];	/* SF_BYTE: the byte; SF_STR_PREC:
					 * the precision */
	bool bad;
};

static void cg_sf_put(struct cg *c, struct cg_sfmt *f, const struct bt_loc *loc,
		      const char *s, size_t n)
{
	if (f->bad)
		return;
	if (f->len + n >= sizeof(f->fmt)) {
		cg_error(c, loc, "sprintf format too long (at most %d bytes "
			 "once translated)", CG_SF_MAX_FMT - 1);
		f->bad = true;
		return;
	}
	memcpy(f->fmt + f->len, s, n);
	f->len += n;
	f->fmt[f->len] = 0;
}

static bool cg_sf_arg(struct cg *c, struct cg_sfmt *f, const struct bt_loc *loc,
		      enum cg_sf_kind kind, const struct bt_expr *e, int64_t v)
{
	if (f->bad)
		return false;
	if (f->nargs == CG_SF_MAX_ARGS) {
		cg_error(c, loc, "sprintf takes at most %d values "
			 "(bpf_snprintf's limit)", CG_SF_MAX_ARGS);
		f->bad = true;
		return false;
	}
	f->kind[f->nargs] = kind;
	f->arg[f->nargs] = e;
	f->val[f->nargs++] = v;
	return true;
}

/* Literal text: bpf_snprintf refuses bytes that are neither printable
 * nor blanks in its format, so those travel as %c of a constant. */
static void cg_sf_text(struct cg *c, struct cg_sfmt *f,
		       const struct bt_loc *loc, unsigned char ch)
{
	if (ch < 0x80 && (ch == ' ' || (ch >= 0x21 && ch < 0x7f) ||
			  (ch >= '\t' && ch <= '\r'))) {
		cg_sf_put(c, f, loc, (const char *)&ch, 1);
		return;
	}
	cg_sf_put(c, f, loc, "%c", 2);
	cg_sf_arg(c, f, loc, SF_BYTE, NULL, ch);
}

/* One conversion from s (after the '%'); returns the bytes consumed. */
static size_t cg_sf_conv(struct cg *c, struct cg_sfmt *f,
			 const struct bt_expr *fmt, const char *s,
			 const char *end, const struct bt_expr **argp)
{
	const char *p = s, *conv;
	bool special = false, zero = false, width = false;
	int prec = -1;
	char spec[32];
	size_t n = 0;
	const struct bt_expr *arg = *argp;

	spec[n++] = '%';
	for (; p < end && strchr("-+ 0#", *p); p++) {
		if (*p == '#') {
			special = true;
			continue;
		}
		zero |= *p == '0';
		if (n < 8)
			spec[n++] = *p;
	}
	if (p < end && *p == '*')
		goto star;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		width = true;
		if (n < 16)
			spec[n++] = *p;
	}
	if (p < end && *p == '.') {
		p++;
		if (p < end && *p == '*')
			goto star;
		prec = 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			prec = prec < 100000 ? prec * 10 + (*p - '0') : prec;
	}
	while (p < end && strchr("hlLqjzt", *p))
		p++;
	if (p >= end) {
		cg_error(c, &fmt->loc, "incomplete conversion at the end of "
			 "the format");
		f->bad = true;
		return p - s;
	}
	conv = p++;
	if (*conv == '%') {
		cg_sf_put(c, f, &fmt->loc, "%%", 2);
		return p - s;
	}
	if (!strchr("diuxXcsp", *conv)) {
		cg_error(c, &fmt->loc, "sprintf does not support '%%%c' "
			 "(bpf_snprintf has no such conversion)", *conv);
		f->bad = true;
		return p - s;
	}
	if (!arg) {
		cg_error(c, &fmt->loc, "format needs more arguments than "
			 "given");
		f->bad = true;
		return p - s;
	}
	if (arg->type != (*conv == 's' ? BT_STRING : BT_LONG)) {
		cg_error(c, &arg->loc, "format expects a %s here, not a %s",
			 ast_type_str(*conv == 's' ? BT_STRING : BT_LONG),
			 ast_type_str(arg->type));
		f->bad = true;
		return p - s;
	}
	if (prec >= 0 && *conv != 's') {
		cg_error(c, &fmt->loc, "sprintf does not support a precision "
			 "on '%%%c' (bpf_snprintf has none)", *conv);
		f->bad = true;
		return p - s;
	}
	if ((special || *conv == 'p') && strchr("xXp", *conv)) {
		/* stap's '#' (and %p, which is %#x): "0x" before the
		 * digits, inside any padding, which cannot be said here */
		if (width) {
			cg_error(c, &fmt->loc, "sprintf does not support a "
				 "width with '#' or %%p (bpf_snprintf has no "
				 "'#')");
			f->bad = true;
			return p - s;
		}
		cg_sf_put(c, f, &fmt->loc, *conv == 'X' ? "0X" : "0x", 2);
	} else if (special && *conv != 's' && *conv != 'c') {
		cg_error(c, &fmt->loc, "sprintf does not support '#' with "
			 "'%%%c'", *conv);
		f->bad = true;
		return p - s;
	}
	(void)zero;
	cg_sf_put(c, f, &fmt->loc, spec, n);
	switch (*conv) {
	case 'd': cg_sf_put(c, f, &fmt->loc, "lld", 3); break;
	case 'i': cg_sf_put(c, f, &fmt->loc, "lli", 3); break;
	case 'u': cg_sf_put(c, f, &fmt->loc, "llu", 3); break;
	case 'x': case 'p': cg_sf_put(c, f, &fmt->loc, "llx", 3); break;
	case 'X': cg_sf_put(c, f, &fmt->loc, "llX", 3); break;
	case 'c': cg_sf_put(c, f, &fmt->loc, "c", 1); break;
	case 's': cg_sf_put(c, f, &fmt->loc, "s", 1); break;
	}
	cg_sf_arg(c, f, &fmt->loc, *conv == 's' && prec >= 0 ? SF_STR_PREC :
		  SF_VALUE, arg, prec);
	*argp = arg->next;
	return p - s;
star:
	cg_error(c, &fmt->loc, "sprintf does not support '*' (bpf_snprintf "
		 "takes the width from the format only)");
	f->bad = true;
	return p - s;
}

static bool cg_sf_parse(struct cg *c, struct cg_sfmt *f,
			const struct bt_expr *fmt)
{
	const char *s = fmt->str, *end = fmt->str + fmt->len;
	const struct bt_expr *arg = fmt->next;

	f->fmt[0] = 0;
	while (s < end && !f->bad) {
		if (*s != '%') {
			cg_sf_text(c, f, &fmt->loc, (unsigned char)*s++);
			continue;
		}
		s++;
		s += cg_sf_conv(c, f, fmt, s, end, &arg);
	}
	if (!f->bad && arg) {
		cg_error(c, &arg->loc, "too many arguments for the format");
		f->bad = true;
	}
	return !f->bad;
}

/* The offset of NUL-terminated s in .rodata (shared when already
 * there), or -1. */
static int32_t cg_rodata_str(struct cg *c, const char *s)
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

/* A string temporary becomes a copy cut to prec bytes. */
static void cg_sf_cut(struct cg *c, const struct bt_loc *loc, int t,
		      int64_t prec)
{
	int64_t max = c->opt->maxstringlen;
	int q = cg_str_buffer_n(c, loc, c->strfield);

	cg_str_tmov(c, BPF_REG_1, q);
	emit_mov_imm(&c->b, BPF_REG_2, prec + 1 < max ? prec + 1 : max);
	cg_str_tmov(c, BPF_REG_3, t);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	cg_tmove(c, t, q);
	cg_pop(c, 1);
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
	int32_t buf = cg_scratch_alloc(c, c->strfield);
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

static int cg_sprintf(struct cg *c, const struct bt_expr *e)
{
	struct cg_sfmt f = { .len = 0 };
	int tmp[CG_SF_MAX_ARGS];
	int base = c->depth, t;

	if (!cg_sf_parse(c, &f, e->args))
		return cg_push(c, &e->loc);
	for (int i = 0; i < f.nargs; i++) {
		tmp[i] = -1;
		if (f.kind[i] == SF_BYTE)
			continue;
		t = cg_expr(c, f.arg[i]);
		if (f.kind[i] == SF_STR_PREC)
			cg_sf_cut(c, &f.arg[i]->loc, t, f.val[i]);
		tmp[i] = t;
	}
	c->depth = base;
	t = cg_push(c, &e->loc);
	cg_snprintf(c, f.fmt, tmp, f.val, f.nargs, t);
	return t;
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
		*t = cg_sprint(c, e);
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
	case BI_STRTOL:
		*t = cg_strtol(c, e);
		return true;
	default:
		return false;
	}
}
