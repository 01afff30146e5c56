// SPDX-License-Identifier: GPL-2.0
/*
 * Strings: a string value is a pointer (in a temporary) to a NUL-terminated
 * buffer of at least strfield readable bytes holding at most MAXSTRINGLEN-1
 * characters: a literal materialised in this CPU's scratch value, a global
 * in .data, a local or a computed result in the scratch value.
 *
 * Bytes after the NUL are garbage, so code that reads a string a word at a
 * time masks off whatever follows the first NUL.
 *
 * Buffers that are written at a variable offset (the result of `.`) are
 * twice strfield long: the verifier cannot see that offset + size stays
 * within MAXSTRINGLEN (they are two registers), only that each is below
 * it, so the second half is room it must allow for and never gets used.
 */
#include <string.h>
#include "cg.h"
#include "cg_str.h"

/* Store n bytes of s and a NUL at reg + off, 8 bytes at a time (the last
 * word zero-padded): immediate stores where the word fits. */
void cg_str_store_bytes(struct cg *c, int reg, int32_t off, const char *s,
			size_t n)
{
	for (size_t i = 0; i <= n; i += 8) {
		uint64_t v = 0;

		for (size_t j = 0; j < 8 && i + j < n; j++)
			v |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
		if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
			emit(&c->b, insn_st(BPF_DW, reg, off + i, (int32_t)v));
		} else {
			emit_mov_imm(&c->b, BPF_REG_5, (int64_t)v);
			emit(&c->b, insn_stx(BPF_DW, reg, BPF_REG_5, off + i));
		}
	}
}

/* The literal truncated to MAXSTRINGLEN-1 bytes. */
static size_t cg_str_litlen(struct cg *c, const struct bt_expr *e)
{
	size_t max = c->opt->maxstringlen - 1;

	return e->len < max ? e->len : max;
}

/* A fresh buffer of size bytes in the scratch value; pointer in a new
 * temporary. */
int cg_str_buffer_n(struct cg *c, const struct bt_loc *loc, uint32_t size)
{
	int t = cg_push(c, loc);
	int r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;

	cg_scratch_ptr(c, r, cg_scratch_temp(c, size));
	cg_tset(c, t, r);
	return t;
}

static int cg_str_buffer(struct cg *c, const struct bt_loc *loc)
{
	return cg_str_buffer_n(c, loc, c->strfield);
}

/* reg = temporary t. */
void cg_str_tmov(struct cg *c, int reg, int t)
{
	int r = cg_treg(c, t, reg);

	if (r != reg)
		emit(&c->b, insn_mov_reg(reg, r));
}

/* if (reg s> max) reg = max; the verifier learns the bound either way. */
void cg_str_clamp_max(struct cg *c, int reg, int32_t max)
{
	int ok = emit_new_label(&c->b);

	emit_jmp_imm(&c->b, BPF_JSLE, reg, max, ok);
	emit_mov_imm(&c->b, reg, max);
	emit_place_label(&c->b, ok);
}

void cg_str_clamp_min0(struct cg *c, int reg)
{
	int ok = emit_new_label(&c->b);

	emit_jmp_imm(&c->b, BPF_JSGE, reg, 0, ok);
	emit_mov_imm(&c->b, reg, 0);
	emit_place_label(&c->b, ok);
}

void cg_str_copy(struct cg *c, int dst_t, int32_t dst_off,
		 const struct bt_expr *e)
{
	int r, p;

	if (e->kind == E_STR) {
		r = cg_treg(c, dst_t, BPF_REG_1);
		cg_str_store_bytes(c, r, dst_off, e->str, cg_str_litlen(c, e));
		return;
	}
	p = cg_str_expr(c, e);
	cg_str_tmov(c, BPF_REG_1, dst_t);
	if (dst_off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, dst_off));
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	cg_str_tmov(c, BPF_REG_3, p);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	cg_pop(c, 1);
}

/* A pointer to where variable e's string lives, in a new temporary. */
static int cg_str_place(struct cg *c, const struct bt_expr *e)
{
	const struct bt_sym *s = e->sym;
	int t = cg_push(c, &e->loc);
	int r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;

	if (!s || s->nkeys || e->kind != E_VAR) {
		cg_error(c, &e->loc, "this string variable is not supported "
			 "here yet");
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

/*
 * Concatenation: the pieces are appended one by one to a buffer of
 * 2 * strfield bytes; the length so far is known at compile time while
 * only literals were appended, else it lives in a temporary.
 */
void cg_cat_begin(struct cg *c, const struct bt_loc *loc, struct cg_cat *k)
{
	int r;

	k->buf = cg_str_buffer_n(c, loc, 2 * c->strfield);
	k->len = cg_push(c, loc);
	k->known = 0;
	r = cg_treg(c, k->buf, BPF_REG_1);
	emit(&c->b, insn_st(BPF_B, r, 0, 0));	/* "" until something lands */
}

/* Done appending: the length temporary goes, the buffer's stays. */
int cg_cat_end(struct cg *c, struct cg_cat *k)
{
	cg_pop(c, 1);
	return k->buf;
}

/* r1 = where the next piece goes; r2 = room left there (with the NUL). */
static void cg_cat_dst(struct cg *c, struct cg_cat *k)
{
	int32_t max = c->opt->maxstringlen;
	int rn;

	cg_str_tmov(c, BPF_REG_1, k->buf);
	if (k->known >= 0) {
		if (k->known)
			emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1,
						   k->known));
		emit_mov_imm(&c->b, BPF_REG_2, max - k->known);
		return;
	}
	rn = cg_treg(c, k->len, BPF_REG_4);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, rn));
	emit_mov_imm(&c->b, BPF_REG_2, max);
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, rn));
}

/* Append the string temporary p points to (its length arrives in r0 from
 * the copy, counting the NUL). */
void cg_cat_ptr(struct cg *c, struct cg_cat *k, int p)
{
	int32_t last = c->opt->maxstringlen - 1;

	if (k->known == last)
		return;		/* full already */
	cg_cat_dst(c, k);
	cg_str_tmov(c, BPF_REG_3, p);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	cg_str_clamp_min0(c, BPF_REG_0);
	if (k->known > 0)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_0, k->known));
	else if (k->known < 0)
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_0,
					   cg_treg(c, k->len, BPF_REG_1)));
	cg_str_clamp_max(c, BPF_REG_0, last);
	cg_tset(c, k->len, BPF_REG_0);
	k->known = -1;
}

/* Append n literal bytes. */
void cg_cat_bytes(struct cg *c, struct cg_cat *k, const char *s, size_t n)
{
	int32_t last = c->opt->maxstringlen - 1;
	int ok, rn, r;

	if (n > (size_t)last)
		n = last;
	if (!n || k->known == last)
		return;
	if (k->known >= 0) {
		if (n > (size_t)(last - k->known))
			n = last - k->known;
		r = cg_treg(c, k->buf, BPF_REG_1);
		cg_str_store_bytes(c, r, k->known, s, n);
		k->known += n;
		return;
	}
	/* at most last + roundup8(n + 1) bytes in: within the buffer */
	cg_str_tmov(c, BPF_REG_1, k->buf);
	rn = cg_treg(c, k->len, BPF_REG_4);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_1, rn));
	cg_str_store_bytes(c, BPF_REG_1, 0, s, n);
	rn = cg_treg(c, k->len, BPF_REG_0);
	if (rn != BPF_REG_0)
		emit(&c->b, insn_mov_reg(BPF_REG_0, rn));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_0, (int32_t)n));
	ok = emit_new_label(&c->b);
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_0, last, ok);
	emit_mov_imm(&c->b, BPF_REG_0, last);
	r = cg_treg(c, k->buf, BPF_REG_1);
	emit(&c->b, insn_st(BPF_B, r, last, 0));	/* truncate */
	emit_place_label(&c->b, ok);
	cg_tset(c, k->len, BPF_REG_0);
}

/* Append the value of string expression e; `a . b` nested inside is
 * flattened into the same buffer. */
void cg_cat_expr(struct cg *c, struct cg_cat *k, const struct bt_expr *e)
{
	int p;

	if (e->kind == E_BINARY && e->op == OP_CONCAT) {
		cg_cat_expr(c, k, e->left);
		cg_cat_expr(c, k, e->right);
		return;
	}
	if (e->kind == E_STR) {
		cg_cat_bytes(c, k, e->str, e->len);
		return;
	}
	p = cg_str_expr(c, e);
	cg_cat_ptr(c, k, p);
	cg_pop(c, 1);
}

static int cg_str_concat(struct cg *c, const struct bt_expr *e)
{
	struct cg_cat k;

	cg_cat_begin(c, &e->loc, &k);
	cg_cat_expr(c, &k, e);
	return cg_cat_end(c, &k);
}

/* var = e, var .= e. The value is the variable's new string. */
static int cg_str_assign(struct cg *c, const struct bt_expr *e)
{
	struct cg_cat k;
	int t, src;

	if (e->left->kind != E_VAR ||
	    (e->op != OP_NONE && e->op != OP_CONCAT)) {
		cg_error(c, &e->loc, "this string assignment is not "
			 "supported yet");
		return cg_push(c, &e->loc);
	}
	if (e->op == OP_NONE) {
		t = cg_str_place(c, e->left);
		cg_str_copy(c, t, 0, e->right);
		return t;
	}
	/* s .= x builds s . x aside, then copies it back into s */
	cg_cat_begin(c, &e->loc, &k);
	cg_cat_expr(c, &k, e->left);
	cg_cat_expr(c, &k, e->right);
	src = cg_cat_end(c, &k);
	t = cg_str_place(c, e->left);
	cg_str_tmov(c, BPF_REG_1, t);
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	cg_str_tmov(c, BPF_REG_3, src);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	cg_pop(c, 1);
	return src;
}

static int cg_execname(struct cg *c, const struct bt_expr *e)
{
	int t = cg_str_buffer(c, &e->loc);
	uint32_t n = c->opt->maxstringlen < 16 ? c->opt->maxstringlen : 16;

	cg_str_tmov(c, BPF_REG_1, t);
	emit_mov_imm(&c->b, BPF_REG_2, n);	/* TASK_COMM_LEN at most */
	emit(&c->b, insn_call(BPF_FUNC_get_current_comm));
	return t;
}

int cg_str_expr(struct cg *c, const struct bt_expr *e)
{
	int t;

	switch (e->kind) {
	case E_STR:
		t = cg_str_buffer(c, &e->loc);
		cg_str_store_bytes(c, cg_treg(c, t, BPF_REG_1), 0, e->str,
				   cg_str_litlen(c, e));
		return t;
	case E_VAR:
		return cg_str_place(c, e);
	case E_ASSIGN:
		return cg_str_assign(c, e);
	case E_BINARY:
		if (e->op == OP_CONCAT)
			return cg_str_concat(c, e);
		break;
	case E_CALL:
		if (e->builtin && e->builtin->id == BI_EXECNAME)
			return cg_execname(c, e);
		return cg_expr(c, e);
	case E_TERNARY:
	case E_INDEX:
	case E_TARGET:		/* a string field of a tracepoint */
		return cg_expr(c, e);
	default:
		break;
	}
	cg_error(c, &e->loc, "this string operation is not supported yet");
	return cg_push(c, &e->loc);
}

/* The zero-byte flags of the word in src: 0x80 in each byte of dst that
 * is zero in src, exactly (no false positives, unlike the borrow trick).
 * k holds 0x7f7f7f7f7f7f7f7f. */
void cg_str_zero_flags(struct cg *c, int dst, int src, int k)
{
	emit(&c->b, insn_mov_reg(dst, src));
	emit(&c->b, insn_alu64_reg(BPF_AND, dst, k));
	emit(&c->b, insn_alu64_reg(BPF_ADD, dst, k));
	emit(&c->b, insn_alu64_reg(BPF_OR, dst, src));
	emit(&c->b, insn_alu64_reg(BPF_OR, dst, k));
	emit(&c->b, insn_alu64_imm(BPF_XOR, dst, -1));
}

/*
 * Compare the strings at a and b a word at a time, leaving in r3 and r4
 * two words whose unsigned order is the strings' order (strcmp on bytes):
 * the first differing words, or the word holding a's NUL with whatever
 * follows the NUL cleared in both, byte-swapped so the first byte weighs
 * most. a and b are advanced; r0, r3-r5 clobbered.
 */
static void cg_str_cmp_loop(struct cg *c, int a, int b)
{
	int loop = emit_new_label(&c->b), tail = emit_new_label(&c->b);
	int swap = emit_new_label(&c->b);

	emit_mov_imm(&c->b, BPF_REG_5, c->strfield / 8);
	emit_place_label(&c->b, loop);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, a, 0));
	emit_mov_imm(&c->b, BPF_REG_4, 0x7f7f7f7f7f7f7f7fLL);
	cg_str_zero_flags(c, BPF_REG_0, BPF_REG_3, BPF_REG_4);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, b, 0));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0, tail);
	emit_jmp_reg(&c->b, BPF_JNE, BPF_REG_3, BPF_REG_4, swap);
	emit(&c->b, insn_alu64_imm(BPF_ADD, a, 8));
	emit(&c->b, insn_alu64_imm(BPF_ADD, b, 8));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_5, 1));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_5, 0, loop);
	emit_ja(&c->b, swap);		/* no NUL at all: equal so far */
	emit_place_label(&c->b, tail);
	/* keep the bytes up to a's first NUL: (lowest flag << 1) - 1 */
	emit(&c->b, insn_mov_reg(BPF_REG_5, BPF_REG_0));
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
				       .dst_reg = BPF_REG_5 });
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_0, BPF_REG_5));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_0, 1));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_0, 1));
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_3, BPF_REG_0));
	emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_4, BPF_REG_0));
	emit_place_label(&c->b, swap);
	emit(&c->b, insn_be64(BPF_REG_3));
	emit(&c->b, insn_be64(BPF_REG_4));
}

/*
 * The same against a literal, unrolled: its words are constants and its
 * NUL position is known, so no loop and no flags.
 */
static void cg_str_cmp_lit(struct cg *c, int a, const char *s, size_t n)
{
	int swap = emit_new_label(&c->b);
	size_t nw = (n + 1 + 7) / 8;

	/* a literal longer than any string differs at the string's NUL */
	if (nw > c->strfield / 8)
		nw = c->strfield / 8;

	for (size_t i = 0; i < nw; i++) {
		uint64_t v = 0, keep = ~0ULL;
		size_t j;

		for (j = 0; j < 8 && i * 8 + j < n; j++)
			v |= (uint64_t)(unsigned char)s[i * 8 + j] << (8 * j);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, a, 8 * i));
		if (j < 7) {
			/* bytes up to and with the literal's NUL at j */
			keep = (1ULL << (8 * (j + 1))) - 1;
			emit_mov_imm(&c->b, BPF_REG_4, (int64_t)keep);
			emit(&c->b, insn_alu64_reg(BPF_AND, BPF_REG_3,
						   BPF_REG_4));
		}
		emit_mov_imm(&c->b, BPF_REG_4, (int64_t)v);
		if (i + 1 < nw)
			emit_jmp_reg(&c->b, BPF_JNE, BPF_REG_3, BPF_REG_4,
				     swap);
	}
	emit_place_label(&c->b, swap);
	emit(&c->b, insn_be64(BPF_REG_3));
	emit(&c->b, insn_be64(BPF_REG_4));
}

static int cg_str_cmp_op(enum bt_op op, bool swapped)
{
	switch (op) {
	case OP_LT: return swapped ? BPF_JGT : BPF_JLT;
	case OP_GT: return swapped ? BPF_JLT : BPF_JGT;
	case OP_LE: return swapped ? BPF_JGE : BPF_JLE;
	case OP_GE: return swapped ? BPF_JLE : BPF_JGE;
	case OP_EQ: return BPF_JEQ;
	default: return BPF_JNE;
	}
}

int cg_str_compare(struct cg *c, const struct bt_expr *e)
{
	const struct bt_expr *l = e->left, *r = e->right;
	bool swapped = false;
	int t, a, b, yes, end;

	if (l->kind == E_STR && r->kind != E_STR) {
		l = e->right;
		r = e->left;
		swapped = true;
	}
	t = cg_str_expr(c, l);
	if (r->kind == E_STR) {
		a = cg_treg(c, t, BPF_REG_1);
		/* stap compares with the literal itself, uncut */
		cg_str_cmp_lit(c, a, r->str, r->len);
	} else {
		cg_str_expr(c, r);
		/* both temporaries die here: their registers are cursors */
		a = cg_treg(c, t, BPF_REG_1);
		b = cg_treg(c, t + 1, BPF_REG_2);
		cg_pop(c, 1);
		cg_str_cmp_loop(c, a, b);
	}
	yes = emit_new_label(&c->b);
	end = emit_new_label(&c->b);
	emit_jmp_reg(&c->b, cg_str_cmp_op(e->op, swapped), BPF_REG_3,
		     BPF_REG_4, yes);
	cg_tset_imm(c, t, 0);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, yes);
	cg_tset_imm(c, t, 1);
	emit_place_label(&c->b, end);
	return t;
}
