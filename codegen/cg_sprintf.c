// SPDX-License-Identifier: GPL-2.0
/*
 * sprintf in the kernel, with the userspace formatter's exact semantics
 * (runtime/format.c, stap's vsprintf): %d %i %u %x %X %o %c %s %p %%,
 * flags - + 0 # space, width and precision, also from '*' arguments; every
 * number 64-bit.
 *
 * The format is parsed here. Literal text and plain %s are appended to the
 * result like the pieces of `a . b` (struct cg_cat). Every other conversion
 * calls the program's formatting engine: a bpf_loop callback (one
 * iteration) generated once per program that lays out one value with
 * runtime flags, width and precision. The caller passes a block on its
 * stack (the helper area): the result buffer, its length, the value, the
 * flags, the base, the width and the precision. Being a callback, the
 * engine is a wall for the verifier: the caller goes on in a single state
 * whatever paths the engine took, and reads the new length back from the
 * engine's scratch word. Arguments are evaluated one at a time, just
 * before their conversion, so there is no limit on their number.
 *
 * The engine appends with bpf_probe_read_kernel: padding from runs of
 * spaces and zeros in .rodata, digits from where they were written (last
 * digit first, backwards, so they read forwards). Each append is cut to
 * the room left below MAXSTRINGLEN-1; the result buffer has 2 * strfield
 * bytes, so the verifier sees that offset + size stays inside.
 */
#include <string.h>
#include <stdlib.h>
#include "cg.h"
#include "cg_str.h"

/* Flags: the bits of runtime/format.c, plus the kind of conversion. */
#define SF_LEFT		1
#define SF_PLUS		2
#define SF_SPACE	4
#define SF_SPECIAL	8
#define SF_ZEROPAD	16
#define SF_SIGN		32
#define SF_LARGE	64
#define SF_STR		128
#define SF_CHR		256

/* The block the caller passes (bpf_loop's context: its stack). */
#define SFX_BUF		0	/* result buffer (2 * strfield bytes) */
#define SFX_LEN		8	/* its length so far */
#define SFX_VAL		16	/* the number, or the string pointer */
#define SFX_FLAGS	24
#define SFX_BASE	32	/* 8, 10 or 16 */
#define SFX_WIDTH	40	/* a '*' value as given: < 0 means '-' */
#define SFX_PREC	48	/* -1: none, else 0..SF_MAX_WIDTH */

/* The engine's own frame. */
#define SFF_CTX		(-16)	/* the block's address (r2 at entry) */
#define SFF_FLAGS	(-24)
#define SFF_WIDTH	(-32)	/* what is left to pad */
#define SFF_PREC	(-40)	/* numbers: digits with the zeros */
#define SFF_ND		(-48)	/* digits, or bytes of the string/char */
#define SFF_SIGN	(-56)	/* sign character, or 0 */

/* The engine's scratch area: the length word, then a text area. */
#define SFS_LEN		0
#define SFS_TMP		8

/* Widths and precisions stop there, as in format.c (FMT_MAX_WIDTH): the
 * padding past the end of the result still decides what is cut. */
#define SF_MAX_WIDTH	8192

/* 64 bits in octal take 22 digits. */
#define SF_MAX_DIGITS	22

struct cg_sfspec {
	unsigned int flags;
	int base;
	int64_t width;		/* constant width, 0 if none */
	int64_t prec;		/* constant precision, -1 if none */
	bool star_w, star_p;
	char conv;
};

static int32_t cg_sf_last(struct cg *c)
{
	return c->opt->maxstringlen - 1;
}

/* Bytes of the text area: a whole string, or the digits at its end. */
static uint32_t cg_sf_tmp_size(struct cg *c)
{
	return c->strfield < 24 ? 24 : c->strfield;
}

static void cg_sf_ldx(struct cg *c, int reg, int16_t off)
{
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, off));
}

static void cg_sf_stx(struct cg *c, int16_t off, int reg)
{
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, off));
}

/* r7 = the result's length from the scratch word, within [0, last]. */
static void cg_sf_len(struct cg *c)
{
	int ok = emit_new_label(&c->b);

	cg_scratch_ptr(c, BPF_REG_1, c->sf_scratch);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_1, SFS_LEN));
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_7, cg_sf_last(c), ok);
	emit_mov_imm(&c->b, BPF_REG_7, cg_sf_last(c));
	emit_place_label(&c->b, ok);
}

static void cg_sf_len_store(struct cg *c)
{
	cg_scratch_ptr(c, BPF_REG_1, c->sf_scratch);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_7, SFS_LEN));
}

/* r1 = where the next byte of the result goes (r7 = length). */
static void cg_sf_dst(struct cg *c)
{
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SFX_BUF));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, BPF_REG_7));
}

/* Append r9 bytes from r8 (nothing when r9 <= 0), cut to the room. */
static void cg_sf_put(struct cg *c)
{
	int skip = emit_new_label(&c->b), fits = emit_new_label(&c->b);

	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_9, 0, skip);
	cg_sf_len(c);
	emit_mov_imm(&c->b, BPF_REG_2, cg_sf_last(c));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_7));
	emit_jmp_reg(&c->b, BPF_JSLE, BPF_REG_9, BPF_REG_2, fits);
	emit(&c->b, insn_mov_reg(BPF_REG_9, BPF_REG_2));
	emit_place_label(&c->b, fits);
	cg_sf_dst(c);
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_9));
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_8));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_7, BPF_REG_9));
	cg_sf_len_store(c);
	emit_place_label(&c->b, skip);
}

/* Append one character: the constant ch, or r9 when ch < 0. */
static void cg_sf_putc(struct cg *c, int ch)
{
	int skip = emit_new_label(&c->b);

	cg_sf_len(c);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_7, cg_sf_last(c), skip);
	cg_sf_dst(c);
	if (ch < 0)
		emit(&c->b, insn_stx(BPF_B, BPF_REG_1, BPF_REG_9, 0));
	else
		emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, ch));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_7, 1));
	cg_sf_len_store(c);
	emit_place_label(&c->b, skip);
}

/* Append the frame slot `count` copies of a padding character. */
static void cg_sf_pad(struct cg *c, int32_t blob, int16_t count)
{
	cg_sf_ldx(c, BPF_REG_9, count);
	emit_ld_map(&c->b, BPF_REG_8, BT_RELOC_RODATA, blob < 0 ? 0 : blob);
	cg_sf_put(c);
}

/* Jump to label when the frame's flags have any of bits. */
static void cg_sf_if_flag(struct cg *c, int bits, int label)
{
	cg_sf_ldx(c, BPF_REG_0, SFF_FLAGS);
	emit_jmp_imm(&c->b, BPF_JSET, BPF_REG_0, bits, label);
}

/* reg = the end of the text area (digits are written backwards). */
static void cg_sf_tmp_end(struct cg *c, int reg)
{
	cg_scratch_ptr(c, reg, c->sf_scratch + SFS_TMP + cg_sf_tmp_size(c));
}

/*
 * Digits of the magnitude in r8, base in r5, into the text area's end;
 * their count to SFF_ND. Always SF_MAX_DIGITS rounds without a branch on
 * the value, so the verifier walks one path: leading zeros are written
 * but not counted (a round counts when its dividend is not 0; 0 has one
 * digit).
 */
static void cg_sf_digits(struct cg *c)
{
	int loop = emit_new_label(&c->b), some = emit_new_label(&c->b);
	int upper = emit_new_label(&c->b);

	emit_mov_imm(&c->b, BPF_REG_4, 'a' - '0' - 10);
	cg_sf_if_flag(c, SF_LARGE, upper);
	emit_ja(&c->b, some);
	emit_place_label(&c->b, upper);
	emit_mov_imm(&c->b, BPF_REG_4, 'A' - '0' - 10);
	emit_place_label(&c->b, some);
	some = emit_new_label(&c->b);
	cg_sf_tmp_end(c, BPF_REG_9);
	emit_mov_imm(&c->b, BPF_REG_7, 0);
	emit_mov_imm(&c->b, BPF_REG_3, SF_MAX_DIGITS);
	emit_place_label(&c->b, loop);
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_8));
	emit(&c->b, insn_alu64_reg(BPF_DIV, BPF_REG_0, BPF_REG_5));
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_0));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_1, BPF_REG_5));
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_8));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_1));
	/* digit d: '0' + d, plus the step to the letters when d > 9 */
	emit_mov_imm(&c->b, BPF_REG_1, 9);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_1, BPF_REG_2));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_1, 63));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_1, BPF_REG_4));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_1));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, '0'));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_9, 1));
	emit(&c->b, insn_stx(BPF_B, BPF_REG_9, BPF_REG_2, 0));
	/* count += (dividend != 0) */
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_8));
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
				       .dst_reg = BPF_REG_2 });
	emit(&c->b, insn_alu64_reg(BPF_OR, BPF_REG_2, BPF_REG_8));
	emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_2, 63));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_7, BPF_REG_2));
	emit(&c->b, insn_mov_reg(BPF_REG_8, BPF_REG_0));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_3, 1));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_3, 0, loop);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_7, 0, some);
	emit_mov_imm(&c->b, BPF_REG_7, 1);
	emit_place_label(&c->b, some);
	cg_sf_stx(c, SFF_ND, BPF_REG_7);
}

/* frame slot dst -= frame slot src */
static void cg_sf_sub_slot(struct cg *c, int16_t dst, int16_t src)
{
	cg_sf_ldx(c, BPF_REG_1, dst);
	cg_sf_ldx(c, BPF_REG_2, src);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_1, BPF_REG_2));
	cg_sf_stx(c, dst, BPF_REG_1);
}

/* Sign and the width it takes (stap's number(), like format.c). */
static void cg_sf_sign(struct cg *c)
{
	int sgn = emit_new_label(&c->b), pos = emit_new_label(&c->b);
	int have = emit_new_label(&c->b), none = emit_new_label(&c->b);
	int plus = emit_new_label(&c->b), space = emit_new_label(&c->b);

	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_SIGN, 0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_8, BPF_REG_6, SFX_VAL));
	cg_sf_if_flag(c, SF_SIGN, sgn);
	emit_ja(&c->b, none);
	emit_place_label(&c->b, sgn);
	emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_8, 0, pos);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_SIGN, '-'));
	/* unsigned negation: INT64_MIN stays exact */
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
				       .dst_reg = BPF_REG_8 });
	emit_ja(&c->b, have);
	emit_place_label(&c->b, pos);
	emit_jmp_imm(&c->b, BPF_JSET, BPF_REG_0, SF_PLUS, plus);
	emit_jmp_imm(&c->b, BPF_JSET, BPF_REG_0, SF_SPACE, space);
	emit_ja(&c->b, none);
	emit_place_label(&c->b, plus);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_SIGN, '+'));
	emit_ja(&c->b, have);
	emit_place_label(&c->b, space);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_SIGN, ' '));
	emit_place_label(&c->b, have);
	cg_sf_ldx(c, BPF_REG_1, SFF_WIDTH);
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_1, 1));
	cg_sf_stx(c, SFF_WIDTH, BPF_REG_1);
	emit_place_label(&c->b, none);
}

/* '#': "0x"/"0X" before hex digits, "0" before octal ones. */
static void cg_sf_prefix(struct cg *c, bool emit_it)
{
	int done = emit_new_label(&c->b), oct = emit_new_label(&c->b);
	int hex = emit_new_label(&c->b), up = emit_new_label(&c->b);

	cg_sf_if_flag(c, SF_SPECIAL, hex);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, hex);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_5, BPF_REG_6, SFX_BASE));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_5, 16, oct);
	if (!emit_it) {
		emit_mov_imm(&c->b, BPF_REG_2, 2);
		emit_ja(&c->b, up);
		emit_place_label(&c->b, oct);
		emit_mov_imm(&c->b, BPF_REG_2, 0);
		emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_5, 8, up);
		emit_mov_imm(&c->b, BPF_REG_2, 1);
		emit_place_label(&c->b, up);
		cg_sf_ldx(c, BPF_REG_1, SFF_WIDTH);
		emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_1, BPF_REG_2));
		cg_sf_stx(c, SFF_WIDTH, BPF_REG_1);
		emit_place_label(&c->b, done);
		return;
	}
	cg_sf_putc(c, '0');
	cg_sf_if_flag(c, SF_LARGE, up);
	cg_sf_putc(c, 'x');
	emit_ja(&c->b, done);
	emit_place_label(&c->b, up);
	cg_sf_putc(c, 'X');
	emit_ja(&c->b, done);
	emit_place_label(&c->b, oct);
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_5, 8, done);
	cg_sf_putc(c, '0');
	emit_place_label(&c->b, done);
}

/*
 * A number, laid out as format.c's fmt_number: spaces, sign, prefix,
 * zero padding (from '0' or the precision), digits, trailing spaces.
 */
static void cg_sf_number(struct cg *c, int32_t spaces, int32_t zeros,
			 int end)
{
	int lead = emit_new_label(&c->b), nosign = emit_new_label(&c->b);
	int zp = emit_new_label(&c->b), nozp = emit_new_label(&c->b);
	int pok = emit_new_label(&c->b), trail = emit_new_label(&c->b);

	/* '-' overrides '0' */
	cg_sf_ldx(c, BPF_REG_0, SFF_FLAGS);
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_0));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_1, SF_LEFT));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_1, 4));
	emit(&c->b, insn_alu64_imm(BPF_XOR, BPF_REG_1, -1));
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_0, BPF_REG_1));
	cg_sf_stx(c, SFF_FLAGS, BPF_REG_0);
	cg_sf_sign(c);
	cg_sf_prefix(c, false);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_5, BPF_REG_6, SFX_BASE));
	cg_sf_digits(c);
	/* the precision becomes the digits with their leading zeros */
	cg_sf_ldx(c, BPF_REG_1, SFF_PREC);
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_1, BPF_REG_7, pok);
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_7));
	emit_place_label(&c->b, pok);
	cg_sf_stx(c, SFF_PREC, BPF_REG_1);
	cg_sf_sub_slot(c, SFF_WIDTH, SFF_PREC);
	cg_sf_if_flag(c, SF_ZEROPAD | SF_LEFT, lead);
	cg_sf_pad(c, spaces, SFF_WIDTH);
	emit_place_label(&c->b, lead);
	cg_sf_ldx(c, BPF_REG_9, SFF_SIGN);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_9, 0, nosign);
	cg_sf_putc(c, -1);
	emit_place_label(&c->b, nosign);
	cg_sf_prefix(c, true);
	cg_sf_if_flag(c, SF_ZEROPAD, zp);
	emit_ja(&c->b, nozp);
	emit_place_label(&c->b, zp);
	cg_sf_pad(c, zeros, SFF_WIDTH);
	emit_place_label(&c->b, nozp);
	cg_sf_sub_slot(c, SFF_PREC, SFF_ND);
	cg_sf_pad(c, zeros, SFF_PREC);
	cg_sf_ldx(c, BPF_REG_9, SFF_ND);
	cg_sf_tmp_end(c, BPF_REG_8);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_8, BPF_REG_9));
	cg_sf_put(c);
	cg_sf_if_flag(c, SF_LEFT, trail);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, trail);
	cg_sf_pad(c, spaces, SFF_WIDTH);
	emit_ja(&c->b, end);
}

/* %s: the string (cut to the precision) into the text area. */
static void cg_sf_string(struct cg *c)
{
	int full = emit_new_label(&c->b), sized = emit_new_label(&c->b);
	int32_t max = c->opt->maxstringlen;

	cg_scratch_ptr(c, BPF_REG_1, c->sf_scratch + SFS_TMP);
	cg_sf_ldx(c, BPF_REG_2, SFF_PREC);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_2, 0, full);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 1));
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_2, max, sized);
	emit_place_label(&c->b, full);
	emit_mov_imm(&c->b, BPF_REG_2, max);
	emit_place_label(&c->b, sized);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_6, SFX_VAL));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_str_clamp_min0(c, BPF_REG_0);
	cg_sf_stx(c, SFF_ND, BPF_REG_0);
}

/* %c into the text area; '#' escapes it like format.c's fmt_char. */
static void cg_sf_char(struct cg *c, int done)
{
	static const char esc[][2] = {
		{ '\a', 'a' }, { '\b', 'b' }, { '\f', 'f' }, { '\n', 'n' },
		{ '\r', 'r' }, { '\t', 't' }, { '\v', 'v' }, { '\'', '\'' },
		{ '\\', '\\' },
	};
	int plain = emit_new_label(&c->b), quote = emit_new_label(&c->b);
	int check = emit_new_label(&c->b);

	cg_scratch_ptr(c, BPF_REG_8, c->sf_scratch + SFS_TMP);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, SFX_VAL));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_2, 0xff));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_ND, 1));
	cg_sf_if_flag(c, SF_SPECIAL, check);
	emit_ja(&c->b, plain);
	emit_place_label(&c->b, check);
	emit_jmp_imm(&c->b, BPF_JLT, BPF_REG_2, 0x20, quote);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_2, 0x7f, quote);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_2, '\'', quote);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_2, '\\', quote);
	emit_ja(&c->b, plain);
	emit_place_label(&c->b, quote);
	emit(&c->b, insn_st(BPF_B, BPF_REG_8, 0, '\\'));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_ND, 2));
	for (size_t i = 0; i < sizeof(esc) / sizeof(*esc); i++) {
		int next = emit_new_label(&c->b);

		emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_2, esc[i][0], next);
		emit(&c->b, insn_st(BPF_B, BPF_REG_8, 1, esc[i][1]));
		emit_ja(&c->b, done);
		emit_place_label(&c->b, next);
	}
	/* three octal digits */
	for (int i = 0; i < 3; i++) {
		emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_2));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_1, 6 - 3 * i));
		emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_1, i ? 7 : 3));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, '0'));
		emit(&c->b, insn_stx(BPF_B, BPF_REG_8, BPF_REG_1, 1 + i));
	}
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, SFF_ND, 4));
	emit_ja(&c->b, done);
	emit_place_label(&c->b, plain);
	emit(&c->b, insn_stx(BPF_B, BPF_REG_8, BPF_REG_2, 0));
}

/* %s and %c: the text area's SFF_ND bytes padded with spaces. */
static void cg_sf_text(struct cg *c, int32_t spaces)
{
	int left = emit_new_label(&c->b), trail = emit_new_label(&c->b);
	int done = emit_new_label(&c->b);

	cg_sf_sub_slot(c, SFF_WIDTH, SFF_ND);
	cg_sf_if_flag(c, SF_LEFT, left);
	cg_sf_pad(c, spaces, SFF_WIDTH);
	emit_place_label(&c->b, left);
	cg_sf_ldx(c, BPF_REG_9, SFF_ND);
	cg_scratch_ptr(c, BPF_REG_8, c->sf_scratch + SFS_TMP);
	cg_sf_put(c);
	cg_sf_if_flag(c, SF_LEFT, trail);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, trail);
	cg_sf_pad(c, spaces, SFF_WIDTH);
	emit_place_label(&c->b, done);
}

/* A run of MAXSTRINGLEN-1 copies of ch in .rodata. */
static int32_t cg_sf_blob(struct cg *c, char ch)
{
	size_t n = cg_sf_last(c);
	char *s = malloc(n + 1);
	int32_t off;

	if (!s) {
		c->b.oom = true;
		return -1;
	}
	memset(s, ch, n);
	s[n] = 0;
	off = cg_rodata_str(c, s);
	free(s);
	return off;
}

/* The engine: bpf_loop callback, r2 = the caller's block. */
static bool cg_sf_engine(struct cg *c)
{
	static const int args[] = { BPF_REG_2 };
	static const int16_t slots[] = { SFF_CTX };
	int32_t spaces, zeros;
	int wpos, wok, str, chr, text, end;
	struct cg_cb cb;

	if (c->sf_point == c->point)
		return c->sf_engine >= 0;
	c->sf_point = c->point;
	c->sf_scratch = cg_scratch_alloc(c, SFS_TMP + cg_sf_tmp_size(c));
	spaces = cg_sf_blob(c, ' ');
	zeros = cg_sf_blob(c, '0');
	cg_cb_begin(c, &cb);
	wpos = emit_new_label(&c->b);
	wok = emit_new_label(&c->b);
	str = emit_new_label(&c->b);
	chr = emit_new_label(&c->b);
	text = emit_new_label(&c->b);
	end = emit_new_label(&c->b);
	cg_sf_ldx(c, BPF_REG_6, SFF_CTX);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_6, SFX_LEN));
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_7, cg_sf_last(c), wok);
	emit_mov_imm(&c->b, BPF_REG_7, cg_sf_last(c));
	emit_place_label(&c->b, wok);
	cg_sf_len_store(c);
	/* a negative '*' width is 0, as in stap 4.8's compiled printers */
	wok = emit_new_label(&c->b);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SFX_FLAGS));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SFX_WIDTH));
	emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_1, 0, wpos);
	emit_mov_imm(&c->b, BPF_REG_1, 0);
	emit_place_label(&c->b, wpos);
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_1, SF_MAX_WIDTH, wok);
	emit_mov_imm(&c->b, BPF_REG_1, SF_MAX_WIDTH);
	emit_place_label(&c->b, wok);
	cg_sf_stx(c, SFF_WIDTH, BPF_REG_1);
	cg_sf_stx(c, SFF_FLAGS, BPF_REG_0);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SFX_PREC));
	cg_sf_stx(c, SFF_PREC, BPF_REG_1);
	emit_jmp_imm(&c->b, BPF_JSET, BPF_REG_0, SF_STR, str);
	emit_jmp_imm(&c->b, BPF_JSET, BPF_REG_0, SF_CHR, chr);
	cg_sf_number(c, spaces, zeros, end);
	emit_place_label(&c->b, str);
	cg_sf_string(c);
	emit_ja(&c->b, text);
	emit_place_label(&c->b, chr);
	cg_sf_char(c, text);
	emit_place_label(&c->b, text);
	cg_sf_text(c, spaces);
	emit_place_label(&c->b, end);
	/* the result stays NUL-terminated */
	cg_sf_len(c);
	cg_sf_dst(c);
	emit(&c->b, insn_st(BPF_B, BPF_REG_1, 0, 0));
	emit_ja(&c->b, cb.cont);
	c->sf_engine = cg_cb_end(c, &cb, args, slots, 1);
	return c->sf_engine >= 0;
}

/* Parse the conversion after a '%' (format.c's fmt_parse_spec). Returns
 * the bytes consumed, with sp->conv 0 when the format ends first. */
static size_t cg_sf_parse(struct cg *c, const char *s, const char *end,
			  struct cg_sfspec *sp)
{
	int64_t max = SF_MAX_WIDTH;
	const char *p = s, *fl;

	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	/* one flag: stap 4.8 reads a '0' after it as the width's */
	if (p < end && *p && (fl = strchr("-+ #0", *p))) {
		sp->flags |= 1u << (fl - "-+ #0");
		p++;
	}
	if (p < end && *p == '*') {
		sp->star_w = true;
		p++;
	}
	for (; !sp->star_w && p < end && *p >= '0' && *p <= '9'; p++)
		sp->width = sp->width * 10 + *p - '0' < max ?
			    sp->width * 10 + *p - '0' : max;
	if (p < end && *p == '.') {
		sp->prec = 0;
		if (++p < end && *p == '*') {
			sp->star_p = true;
			p++;
		}
		for (; !sp->star_p && p < end && *p >= '0' && *p <= '9'; p++)
			sp->prec = sp->prec * 10 + *p - '0' < max ?
				   sp->prec * 10 + *p - '0' : max;
	}
	while (p < end && strchr("hlLqjzt", *p))
		p++;
	if (p >= end)
		return p - s;
	sp->conv = *p++;
	sp->base = 10;
	switch (sp->conv) {
	case 'd': case 'i': sp->flags |= SF_SIGN; break;
	case 'X': sp->flags |= SF_LARGE; sp->base = 16; break;
	case 'x': sp->base = 16; break;
	case 'p': sp->flags |= SF_SPECIAL; sp->base = 16; break;
	case 'o': sp->base = 8; break;
	case 's': sp->flags |= SF_STR; break;
	case 'c': sp->flags |= SF_CHR; break;
	}
	return p - s;
}

/* The next argument, which must exist and have type want. */
static const struct bt_expr *cg_sf_next(struct cg *c,
					const struct bt_expr *fmt,
					const struct bt_expr **argp,
					enum bt_type want, const char *what)
{
	const struct bt_expr *a = *argp;

	if (!a) {
		cg_error(c, &fmt->loc, "format needs more arguments than "
			 "given");
		return NULL;
	}
	if (a->type != want) {
		cg_error(c, &a->loc, "%s expects a %s here, not a %s", what,
			 ast_type_str(want), ast_type_str(a->type));
		return NULL;
	}
	*argp = a->next;
	return a;
}

/* Store temporary t (or the constant v when t < 0) at the block's off. */
static void cg_sf_block(struct cg *c, int16_t off, int t, int64_t v)
{
	int r;

	if (t < 0) {
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_HELPER + off,
				    (int32_t)v));
		return;
	}
	r = cg_treg(c, t, BPF_REG_1);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, r, CG_FP_HELPER + off));
}

/* Run the engine on value temporary tv; tw/tp: '*' temporaries or -1. */
static void cg_sf_call(struct cg *c, struct cg_cat *k,
		       const struct cg_sfspec *sp, int tv, int tw, int tp)
{
	int r;

	cg_sf_block(c, SFX_BUF, k->buf, 0);
	cg_sf_block(c, SFX_LEN, k->known >= 0 ? -1 : k->len, k->known);
	cg_sf_block(c, SFX_VAL, tv, 0);
	cg_sf_block(c, SFX_FLAGS, -1, sp->flags);
	cg_sf_block(c, SFX_BASE, -1, sp->base);
	cg_sf_block(c, SFX_WIDTH, tw, sp->width);
	cg_sf_block(c, SFX_PREC, tp, sp->prec);
	emit_mov_imm(&c->b, BPF_REG_1, 1);
	cg_ld_callback(c, BPF_REG_2, c->sf_engine);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, CG_FP_HELPER));
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_loop));
	/* the new length, as the engine left it */
	cg_scratch_ptr(c, BPF_REG_1, c->sf_scratch);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, SFS_LEN));
	r = emit_new_label(&c->b);
	emit_jmp_imm(&c->b, BPF_JLE, BPF_REG_0, cg_sf_last(c), r);
	emit_mov_imm(&c->b, BPF_REG_0, cg_sf_last(c));
	emit_place_label(&c->b, r);
	cg_tset(c, k->len, BPF_REG_0);
	k->known = -1;
}

/* One conversion: its '*' values, then its value, then the text. */
static bool cg_sf_conv(struct cg *c, struct cg_cat *k,
		       const struct bt_expr *fmt, const struct cg_sfspec *sp,
		       const struct bt_expr **argp)
{
	const struct bt_expr *a;
	int base = c->depth, tw = -1, tp = -1, tv;

	if (sp->star_w) {
		if (!(a = cg_sf_next(c, fmt, argp, BT_LONG, "'*'")))
			return false;
		tw = cg_expr(c, a);
	}
	if (sp->star_p) {
		if (!(a = cg_sf_next(c, fmt, argp, BT_LONG, "'*'")))
			return false;
		tp = cg_expr(c, a);
		/* a negative '*' precision counts as 0 */
		cg_str_tmov(c, BPF_REG_0, tp);
		cg_str_clamp_min0(c, BPF_REG_0);
		cg_str_clamp_max(c, BPF_REG_0, SF_MAX_WIDTH);
		cg_tset(c, tp, BPF_REG_0);
	}
	if (sp->conv == '%') {
		cg_cat_bytes(c, k, "%", 1);
		c->depth = base;
		return true;
	}
	a = cg_sf_next(c, fmt, argp, sp->conv == 's' ? BT_STRING : BT_LONG,
		       "format");
	if (!a)
		return false;
	if (sp->conv == 's' && tw < 0 && tp < 0 && !sp->width &&
	    sp->prec < 0) {
		cg_cat_expr(c, k, a);
		c->depth = base;
		return true;
	}
	if (!cg_sf_engine(c))
		return false;
	tv = sp->conv == 's' ? cg_str_expr(c, a) : cg_expr(c, a);
	cg_sf_call(c, k, sp, tv, tw, tp);
	c->depth = base;
	return true;
}

/*
 * sprint, sprintln, sprintd and sprintdln: sprintf with the format the
 * print family would build, %d or %s per value, the delimiter (a
 * literal, as stap requires) and newline written in.
 */
int cg_sprint_family(struct cg *c, const struct bt_expr *e)
{
	enum bt_builtin_id id = e->builtin->id;
	const struct bt_expr *v = e->args, *delim = NULL;
	struct bt_expr fmt = { .kind = E_STR, .loc = e->loc };
	struct bt_expr call = { .kind = E_CALL, .loc = e->loc,
				.args = &fmt };
	size_t cap = 8, len = 0;
	char *buf;
	int t;

	if (id == BI_SPRINTD || id == BI_SPRINTDLN) {
		delim = v;
		v = v->next;
		if (delim->kind != E_STR) {
			cg_error(c, &delim->loc, "the delimiter of '%s' must "
				 "be a string literal", e->builtin->name);
			return cg_push(c, &e->loc);
		}
		cap += 2 * delim->len;
	}
	for (const struct bt_expr *a = v; a; a = a->next)
		cap += 2 + (delim ? 2 * delim->len : 0);
	buf = malloc(cap);
	if (!buf) {
		c->b.oom = true;
		return cg_push(c, &e->loc);
	}
	for (const struct bt_expr *a = v; a; a = a->next) {
		if (a->type != BT_LONG && a->type != BT_STRING) {
			cg_error(c, &a->loc, "'%s' prints longs and strings",
				 e->builtin->name);
			free(buf);
			return cg_push(c, &e->loc);
		}
		if (delim && a != v)
			for (size_t i = 0; i < delim->len; i++) {
				if (delim->str[i] == '%')
					buf[len++] = '%';
				buf[len++] = delim->str[i];
			}
		buf[len++] = '%';
		buf[len++] = a->type == BT_STRING ? 's' : 'd';
	}
	if (id == BI_SPRINTLN || id == BI_SPRINTDLN)
		buf[len++] = '\n';
	fmt.str = buf;
	fmt.len = len;
	fmt.next = (struct bt_expr *)v;
	t = cg_sprintf(c, &call);
	free(buf);
	return t;
}

int cg_sprintf(struct cg *c, const struct bt_expr *e)
{
	const struct bt_expr *fmt = e->args, *arg = fmt->next;
	const char *s = fmt->str, *end = fmt->str + fmt->len, *lit = s;
	struct cg_sfspec sp;
	struct cg_cat k;

	cg_cat_begin(c, &e->loc, &k);
	while (s < end) {
		if (*s != '%') {
			s++;
			continue;
		}
		cg_cat_bytes(c, &k, lit, s - lit);
		s++;
		s += cg_sf_parse(c, s, end, &sp);
		lit = s;
		if (!sp.conv || !strchr("diuxXocsp%", sp.conv)) {
			cg_error(c, &fmt->loc, "unsupported conversion '%%%c' "
				 "in format", sp.conv ? sp.conv : ' ');
			return cg_cat_end(c, &k);
		}
		if (!cg_sf_conv(c, &k, fmt, &sp, &arg))
			return cg_cat_end(c, &k);
		/* stap's %0s ends with a NUL byte, which ends the string:
		 * the rest adds nothing, but its arguments still run */
		if (sp.conv == 's' && (sp.flags & SF_ZEROPAD)) {
			for (; arg; arg = arg->next)
				cg_expr_void(c, arg);
			return cg_cat_end(c, &k);
		}
	}
	cg_cat_bytes(c, &k, lit, s - lit);
	if (arg)
		cg_error(c, &arg->loc, "too many arguments for the format");
	return cg_cat_end(c, &k);
}
