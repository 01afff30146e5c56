// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregates (x <<< v, @count ... @variance, @hist_*): each CPU updates its
 * own copy (per-CPU maps, object.h), so updates never contend and never
 * lose a value; readers sum the CPUs with bpf_map_lookup_percpu_elem.
 */
#include <stdio.h>
#include "cg.h"

#define ST_COUNT	0
#define ST_SUM		8
#define ST_MIN		16
#define ST_MAX		24
#define ST_AVG_S	32
#define ST_M2		40
#define ST_BUCKETS	48

static const struct cg_global *cg_stat_global(struct cg *c,
					      const struct bt_expr *e)
{
	const struct bt_sym *s = e->kind == E_INDEX ? e->base->sym : e->sym;
	const struct cg_global *g = s ? cg_global_of(c, s) : NULL;

	if (g && (g->map < 0 || s->type != BT_STATS)) {
		cg_error(c, &e->loc, "'%s' is not an aggregate", s->name);
		return NULL;
	}
	return g;
}

/* Key for the element (array) or key 0 (scalar) in the key buffer. */
static void cg_stat_key(struct cg *c, const struct cg_global *g,
			const struct bt_expr *e)
{
	if (e->kind == E_INDEX)
		cg_key_build(c, g, e->keys);
	else
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_HELPER + 8, 0));
}

/* reg = key pointer for the aggregate. */
static void cg_stat_keyptr(struct cg *c, const struct cg_global *g, int reg)
{
	cg_key_ptr(c, reg, g->sym->nkeys ? g->key_size : 8);
}

/* The log2 bucket of v (reg) into b: branch-free but for v == 0, so the
 * verifier sees one path and a bounded index. Clobbers r3-r5. */
static void cg_log_bucket(struct cg *c, int v, int b)
{
	int zero = emit_new_label(&c->b), done = emit_new_label(&c->b);
	static const int steps[] = { 32, 16, 8, 4, 2, 1 };

	emit_jmp_imm(&c->b, BPF_JEQ, v, 0, zero);
	/* r5 = sign (0 or -1), r4 = |v| as unsigned */
	emit(&c->b, insn_mov_reg(BPF_REG_5, v));
	emit(&c->b, insn_alu64_imm(BPF_ARSH, BPF_REG_5, 63));
	emit(&c->b, insn_mov_reg(BPF_REG_4, v));
	emit(&c->b, insn_alu64_reg(BPF_XOR, BPF_REG_4, BPF_REG_5));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_4, BPF_REG_5));
	emit_mov_imm(&c->b, b, 1);
	for (int i = 0; i < 6; i++) {
		/* r3 = (r4 >> k) != 0 ? k : 0; r4 >>= r3; b += r3 */
		emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_4));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3, steps[i]));
		emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_3));
		emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
					       .dst_reg = BPF_REG_0 });
		emit(&c->b, insn_alu64_reg(BPF_OR, BPF_REG_3, BPF_REG_0));
		emit(&c->b, insn_alu64_imm(BPF_RSH, BPF_REG_3, 63));
		emit(&c->b, insn_alu64_imm(BPF_MUL, BPF_REG_3, steps[i]));
		emit(&c->b, insn_alu64_reg(BPF_RSH, BPF_REG_4, BPF_REG_3));
		emit(&c->b, insn_alu64_reg(BPF_ADD, b, BPF_REG_3));
	}
	/* b = 64 + (negative ? -b : b) */
	emit(&c->b, insn_alu64_reg(BPF_XOR, b, BPF_REG_5));
	emit(&c->b, insn_alu64_reg(BPF_SUB, b, BPF_REG_5));
	emit(&c->b, insn_alu64_imm(BPF_ADD, b, BT_HIST_LOG_BUCKET0));
	emit(&c->b, insn_alu64_imm(BPF_AND, b, BT_HIST_LOG_BUCKETS - 1));
	emit_ja(&c->b, done);
	emit_place_label(&c->b, zero);
	emit_mov_imm(&c->b, b, BT_HIST_LOG_BUCKET0);
	emit_place_label(&c->b, done);
}

static void cg_linear_bucket(struct cg *c, const struct bt_histdesc *h,
			     int v, int b)
{
	int under = emit_new_label(&c->b), done = emit_new_label(&c->b);

	emit(&c->b, insn_mov_reg(b, v));
	if (h->start >= INT32_MIN && h->start <= INT32_MAX) {
		emit(&c->b, insn_alu64_imm(BPF_SUB, b, (int32_t)h->start));
	} else {
		emit_mov_imm(&c->b, BPF_REG_3, h->start);
		emit(&c->b, insn_alu64_reg(BPF_SUB, b, BPF_REG_3));
	}
	emit_jmp_imm(&c->b, BPF_JSLT, b, 0, under);
	emit(&c->b, insn_alu64_imm(BPF_DIV, b, (int32_t)h->interval));
	emit(&c->b, insn_alu64_imm(BPF_ADD, b, 1));
	emit(&c->b, (struct bpf_insn){ .code = BPF_JMP | BPF_JLE | BPF_K,
				       .dst_reg = b, .off = 1,
				       .imm = h->nbuckets - 1 });
	emit_mov_imm(&c->b, b, h->nbuckets - 1);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, under);
	emit_mov_imm(&c->b, b, 0);
	emit_place_label(&c->b, done);
}

#define CG_READS(op)	(1u << (op))
#define CG_NEED_SUM	(CG_READS(STAT_SUM) | CG_READS(STAT_AVG) | \
			 CG_READS(STAT_VARIANCE))
#define CG_NEED_MINMAX	(CG_READS(STAT_MIN) | CG_READS(STAT_MAX))

/* min and max (r1 = the value, r2 = v, r3 = the count so far): the
 * first value sets both. */
static void cg_stat_minmax(struct cg *c)
{
	int first = emit_new_label(&c->b), lo = emit_new_label(&c->b);
	int hi = emit_new_label(&c->b), done = emit_new_label(&c->b);

	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, first);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_1, ST_MIN));
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_2, BPF_REG_4, lo);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MIN));
	emit_place_label(&c->b, lo);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_1, ST_MAX));
	emit_jmp_reg(&c->b, BPF_JSLE, BPF_REG_2, BPF_REG_4, hi);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MAX));
	emit_place_label(&c->b, hi);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, first);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MIN));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MAX));
	emit_place_label(&c->b, done);
}

/*
 * stap's update for @variance (runtime/stat-common.c), step for step so
 * the results are stap's, integer truncation included: with s the
 * bit-shift and n the count with this value,
 *     delta = (int)((v << s) - avg_s);  avg_s += delta / n;
 *     m2 += delta * ((v << s) - avg_s)
 * and avg_s = v << s, m2 = 0 for the first value. r1 = this CPU's value
 * (temporary p), r2 = v (temporary tv); both are restored; r0, r3-r5
 * are clobbered. Only aggregates that @variance reads pay for it.
 */
static void cg_stat_welford(struct cg *c, const struct cg_global *g, int p,
			    int tv)
{
	int first = emit_new_label(&c->b), done = emit_new_label(&c->b);

	emit(&c->b, insn_mov_reg(BPF_REG_4, BPF_REG_2));
	if (g->var_shift > 0)
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_4, g->var_shift));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_COUNT));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 1, first);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_5, BPF_REG_1, ST_AVG_S));
	emit(&c->b, insn_mov_reg(BPF_REG_0, BPF_REG_4));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_0, BPF_REG_5));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_0, 32));
	emit(&c->b, insn_alu64_imm(BPF_ARSH, BPF_REG_0, 32));
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_0));
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_DIV | BPF_X,
				       .dst_reg = BPF_REG_2,
				       .src_reg = BPF_REG_3,
				       .off = EMIT_OFF_SIGNED });
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_5, BPF_REG_2));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_5, ST_AVG_S));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_4, BPF_REG_5));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_4, BPF_REG_0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_M2));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ST_M2));
	emit_ja(&c->b, done);
	emit_place_label(&c->b, first);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_4, ST_AVG_S));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, ST_M2, 0));
	emit_place_label(&c->b, done);
	emit(&c->b, insn_mov_reg(BPF_REG_1, cg_treg(c, p, BPF_REG_1)));
	emit(&c->b, insn_mov_reg(BPF_REG_2, cg_treg(c, tv, BPF_REG_2)));
}

/*
 * x <<< v: this CPU's count, and what the script reads anywhere: sum,
 * min and max, @variance's running state, the bucket (all but the
 * variance when the runtime prints the aggregate). The rest of the value
 * stays 0.
 */
int cg_stat_add(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	int tv, p, skip = emit_new_label(&c->b);

	tv = cg_expr(c, e->right);
	if (!g)
		return tv;
	cg_stat_key(c, g, e->left);
	if (e->left->kind == E_INDEX) {
		cg_index_slot(c, g, e->left);
	} else {
		emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
		cg_stat_keyptr(c, g, BPF_REG_2);
		emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, skip);
	}
	p = cg_push(c, &e->loc);
	cg_tset(c, p, BPF_REG_0);
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_0));
	emit(&c->b, insn_mov_reg(BPF_REG_2, cg_treg(c, tv, BPF_REG_2)));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_COUNT));
	if (g->stat_reads & CG_NEED_MINMAX)
		cg_stat_minmax(c);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ST_COUNT));
	if (g->stat_reads & CG_NEED_SUM) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_SUM));
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_2));
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ST_SUM));
	}
	if (g->var_shift >= 0)
		cg_stat_welford(c, g, p, tv);
	if (g->hist.kind != BT_HIST_NONE) {
		/* r1 and r2 die in the bucket code: bucket in r2 */
		emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_2));
		if (g->hist.kind == BT_HIST_LOG)
			cg_log_bucket(c, BPF_REG_1, BPF_REG_2);
		else
			cg_linear_bucket(c, &g->hist, BPF_REG_1, BPF_REG_2);
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_2, 3));
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2,
					   cg_treg(c, p, BPF_REG_1)));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_2, ST_BUCKETS));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_2, BPF_REG_3, ST_BUCKETS));
	}
	cg_pop(c, 1);
	emit_place_label(&c->b, skip);
	return tv;
}

/*
 * Leave a loop over CPUs (cpu in reg) at `done`: past the possible CPUs of
 * the machine running the object (.data, set by the runtime), and past
 * c->ncpus, the constant bound the verifier needs (the runtime refuses an
 * object on a machine with more possible CPUs). Clobbers r1.
 */
void cg_cpu_bound(struct cg *c, int reg, int done)
{
	emit_jmp_imm(&c->b, BPF_JGE, reg, c->ncpus, done);
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_NCPUS_OFF);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
	emit_jmp_reg(&c->b, BPF_JGE, reg, BPF_REG_1, done);
}

/*
 * Summing an aggregate over the CPUs is a bpf_loop over the possible CPUs
 * (the count the runtime stores in .data), whose callback adds one CPU's
 * copy into a block of this program's scratch value (SUM_*, below). A
 * callback is verified once, where a bounded loop is walked once per CPU
 * the object allows (128 at least), which made a probe reading three
 * aggregates take 60 ms to load.
 *
 * bpf_loop hands the callback a pointer into the caller's frame: the
 * r10-8 slot, which holds the scratch value pointer, 496 bytes above the
 * key buffer (CG_FP_KEY). Every frame (the probe's and the callbacks')
 * has that layout, so the sum works inside a foreach body too.
 */
#define SUM_N		0	/* the count */
#define SUM_A		8	/* sum, min or max; a bucket's count */
#define SUM_P		16	/* @variance: sum of n_i avg_i^2 */
#define SUM_I		16	/* one bucket: its index (input) */
#define SUM_Q		24	/* @variance: sum of n_i avg_i */
#define SUM_R		32	/* @variance: sum of (n_i - 1) var_i */
#define SUM_BUCKETS	40	/* every bucket (print of a histogram) */

enum cg_sum_kind {
	SUM_FIELD,	/* N, A = a field added or compared; buckets */
	SUM_VARIANCE,	/* N, A = sum, P, Q, R */
	SUM_BUCKET,	/* N, A = bucket I's count */
};

struct cg_sumspec {
	const struct cg_global *g;
	enum cg_sum_kind kind;
	int field;		/* ST_SUM, ST_MIN or ST_MAX: into SUM_A */
	int cmp;		/* BPF_JSGE (min), BPF_JSLE (max) or 0 (add) */
	uint32_t nbuckets;	/* SUM_FIELD: buckets too; SUM_BUCKET: bound */
	int32_t acc;		/* the block, in the scratch value */
};

/* *(u64 *)(dst + off) += src, with tmp. */
static void cg_add_to(struct cg *c, int dst, int16_t off, int src, int tmp)
{
	emit(&c->b, insn_ldx(BPF_DW, tmp, dst, off));
	emit(&c->b, insn_alu64_reg(BPF_ADD, tmp, src));
	emit(&c->b, insn_stx(BPF_DW, dst, tmp, off));
}

static void cg_sdiv(struct cg *c, int dst, int src)
{
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_DIV | BPF_X,
				       .dst_reg = dst, .src_reg = src,
				       .off = EMIT_OFF_SIGNED });
}

/* SUM_FIELD for one CPU (r0 = its copy, r1 = its count, r2 = block). */
static void cg_sum_field(struct cg *c, const struct cg_sumspec *sp)
{
	int keep = emit_new_label(&c->b);

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_0, sp->field));
	if (sp->cmp) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_2,
				     sp->acc + SUM_A));
		emit_jmp_reg(&c->b, sp->cmp, BPF_REG_1, BPF_REG_3, keep);
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_2, BPF_REG_1,
				     sp->acc + SUM_A));
		emit_place_label(&c->b, keep);
	} else {
		cg_add_to(c, BPF_REG_2, sp->acc + SUM_A, BPF_REG_1, BPF_REG_3);
	}
	for (uint32_t i = 0; i < sp->nbuckets; i++) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_0,
				     ST_BUCKETS + 8 * i));
		cg_add_to(c, BPF_REG_2, sp->acc + SUM_BUCKETS + 8 * i,
			  BPF_REG_1, BPF_REG_3);
	}
}

/*
 * SUM_VARIANCE for one CPU: its terms of stap's combined variance
 * (runtime/stat.c), where with the overall mean A it adds
 * n_i * (avg_i - A)^2 and (n_i - 1) * (m2_i / (n_i - 1)) (this part for
 * n_i >= 2 only). A is only known after all CPUs, so the first term is
 * gathered expanded, as P = sum n_i avg_i^2 and Q = sum n_i avg_i: the
 * same integers, wrapping alike, in a single pass.
 */
static void cg_sum_variance(struct cg *c, const struct cg_sumspec *sp)
{
	int one = emit_new_label(&c->b);

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_0, ST_SUM));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_A, BPF_REG_4, BPF_REG_3);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_0, ST_AVG_S));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_4, BPF_REG_1));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_Q, BPF_REG_4, BPF_REG_3);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_5, BPF_REG_0, ST_AVG_S));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_4, BPF_REG_5));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_P, BPF_REG_4, BPF_REG_3);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_1, 2, one);
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_1, 1));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_0, ST_M2));
	cg_sdiv(c, BPF_REG_4, BPF_REG_1);
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_4, BPF_REG_1));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_R, BPF_REG_4, BPF_REG_3);
	emit_place_label(&c->b, one);
}

/* SUM_BUCKET for one CPU: bucket I's count, when I is in range. */
static void cg_sum_bucket(struct cg *c, const struct cg_sumspec *sp)
{
	int skip = emit_new_label(&c->b);

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_2, sp->acc + SUM_I));
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_4, sp->nbuckets, skip);
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_4, 3));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_4, BPF_REG_0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_4, ST_BUCKETS));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_A, BPF_REG_4, BPF_REG_3);
	emit_place_label(&c->b, skip);
}

/* The callback's body: r1 = cpu, r2 = the caller's r10-8. CPUs whose
 * copy is empty add nothing. */
static void cg_sum_cpu(struct cg *c, const struct cg_sumspec *sp)
{
	const struct cg_global *g = sp->g;
	uint32_t ks = g->sym->nkeys ? g->key_size : 8;
	int out = emit_new_label(&c->b);

	emit(&c->b, insn_mov_reg(BPF_REG_6, BPF_REG_2));
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_1));
	emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
	if (ks <= CG_HELPER_SIZE - 8) {
		emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_6));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, CG_FP_HELPER + 8 -
					   CG_FP_SCRATCH));
	} else {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, 0));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, c->key_scratch));
	}
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_percpu_elem));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, out);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_0, ST_COUNT));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, 0, out);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_6, 0));
	cg_add_to(c, BPF_REG_2, sp->acc + SUM_N, BPF_REG_1, BPF_REG_3);
	switch (sp->kind) {
	case SUM_FIELD:
		cg_sum_field(c, sp);
		break;
	case SUM_VARIANCE:
		cg_sum_variance(c, sp);
		break;
	case SUM_BUCKET:
		cg_sum_bucket(c, sp);
		break;
	}
	emit_place_label(&c->b, out);
	emit_mov_imm(&c->b, BPF_REG_0, 0);
	emit(&c->b, insn_exit());
}

/* The callback as a subprogram of this probe; its index, or -1. */
static int cg_sum_callback(struct cg *c, const struct cg_sumspec *sp)
{
	struct emit_buf saved = c->b, empty;
	int idx = -1;

	emit_init(&c->b);
	emit_init(&empty);
	cg_sum_cpu(c, sp);
	if (!emit_resolve(&c->b))
		idx = cg_subprog_add(c, &empty);
	else
		c->b.oom = true;
	if (c->b.oom)
		saved.oom = true;
	emit_release(&c->b);
	c->b = saved;
	return idx;
}

/* The block's size for sp. */
static uint32_t cg_sum_size(const struct cg_sumspec *sp)
{
	return SUM_BUCKETS + (sp->kind == SUM_FIELD ? 8 * sp->nbuckets : 0);
}

/*
 * Run the callback over the possible CPUs. The block starts zeroed but
 * for SUM_A = init and, for SUM_BUCKET, SUM_I = temporary index.
 */
static void cg_sum_loop(struct cg *c, const struct cg_sumspec *sp,
			int64_t init, int index)
{
	int sub = cg_sum_callback(c, sp);

	if (sub < 0)
		return;
	cg_scratch_ptr(c, BPF_REG_1, sp->acc);
	for (uint32_t off = 0; off < cg_sum_size(sp); off += 8)
		if (off != SUM_A)
			emit(&c->b, insn_st(BPF_DW, BPF_REG_1, off, 0));
	if (init >= INT32_MIN && init <= INT32_MAX) {
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, SUM_A, (int32_t)init));
	} else {
		emit_mov_imm(&c->b, BPF_REG_2, init);
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, SUM_A));
	}
	if (sp->kind == SUM_BUCKET)
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1,
				     cg_treg(c, index, BPF_REG_2), SUM_I));
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_NCPUS_OFF);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
	cg_ld_callback(c, BPF_REG_2, sub);
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, CG_FP_SCRATCH));
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_loop));
}

/* Temporary t = the block's word at off. */
static void cg_sum_get(struct cg *c, const struct cg_sumspec *sp, int t,
		       int32_t off)
{
	cg_scratch_ptr(c, BPF_REG_1, sp->acc);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_1, off));
	cg_tset(c, t, BPF_REG_0);
}

/* Sum an aggregate over the CPUs: count -> temporary n; the sum, min or
 * max (as op asks) -> a. */
static void cg_stat_sum(struct cg *c, const struct cg_global *g,
			enum bt_stat_op op, int n, int a)
{
	struct cg_sumspec sp = {
		.g = g,
		.kind = SUM_FIELD,
		.field = op == STAT_MIN ? ST_MIN : op == STAT_MAX ? ST_MAX :
			 ST_SUM,
		.cmp = op == STAT_MIN ? BPF_JSGE : op == STAT_MAX ? BPF_JSLE : 0,
	};

	sp.acc = cg_scratch_temp(c, cg_sum_size(&sp));
	cg_sum_loop(c, &sp, op == STAT_MIN ? INT64_MAX :
		    op == STAT_MAX ? INT64_MIN : 0, -1);
	cg_sum_get(c, &sp, n, SUM_N);
	cg_sum_get(c, &sp, a, SUM_A);
}

/* An empty aggregate has no minimum, maximum, average or variance. */
static void cg_stat_nonempty_op(struct cg *c, const char *op,
				const struct bt_loc *loc, int n)
{
	char what[96];

	snprintf(what, sizeof(what), "empty aggregate near operator '%s'",
		 op);
	emit_jmp_imm(&c->b, BPF_JEQ, cg_treg(c, n, BPF_REG_0), 0,
		     cg_error_path(c, loc, what));
}

static void cg_stat_nonempty(struct cg *c, enum bt_stat_op op,
			     const struct bt_loc *loc, int n)
{
	cg_stat_nonempty_op(c, ast_stat_str(op), loc, n);
}

/*
 * @variance as stap computes it: A = (sum << s) / count over all CPUs,
 * the CPUs' terms (cg_sum_variance) added up, divided by count - 1 (0
 * for one value), then shifted back by 2s. Empty aggregates are an
 * error. The result is in the returned temporary.
 */
static int cg_stat_variance(struct cg *c, const struct cg_global *g,
			    const struct bt_loc *loc)
{
	struct cg_sumspec sp = { .g = g, .kind = SUM_VARIANCE };
	int small = emit_new_label(&c->b), done = emit_new_label(&c->b);
	int shift = g->var_shift > 0 ? g->var_shift : 0;
	int n, sum, p, q, r;

	n = cg_push(c, loc);
	sum = cg_push(c, loc);
	p = cg_push(c, loc);
	q = cg_push(c, loc);
	r = cg_push(c, loc);
	sp.acc = cg_scratch_temp(c, cg_sum_size(&sp));
	cg_sum_loop(c, &sp, 0, -1);
	cg_sum_get(c, &sp, n, SUM_N);
	cg_sum_get(c, &sp, sum, SUM_A);
	cg_sum_get(c, &sp, p, SUM_P);
	cg_sum_get(c, &sp, q, SUM_Q);
	cg_sum_get(c, &sp, r, SUM_R);
	cg_stat_nonempty(c, STAT_VARIANCE, loc, n);
	/* r1 = A, r2 = p - 2 A q + A^2 n + r */
	emit(&c->b, insn_mov_reg(BPF_REG_1, cg_treg(c, sum, BPF_REG_1)));
	if (shift)
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_1, shift));
	cg_sdiv(c, BPF_REG_1, cg_treg(c, n, BPF_REG_2));
	emit(&c->b, insn_mov_reg(BPF_REG_2, cg_treg(c, p, BPF_REG_2)));
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, q, BPF_REG_3)));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_3, 1));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_3));
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_mov_reg(BPF_REG_4, cg_treg(c, n, BPF_REG_4)));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_3));
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, r, BPF_REG_3)));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_3));
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_4, 1, small);
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_4, 1));
	cg_sdiv(c, BPF_REG_2, BPF_REG_4);
	if (shift)
		emit(&c->b, insn_alu64_imm(BPF_ARSH, BPF_REG_2, 2 * shift));
	cg_tset(c, n, BPF_REG_2);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, small);
	cg_tset_imm(c, n, 0);
	emit_place_label(&c->b, done);
	c->depth = n + 1;
	return n;
}

/*
 * @count ... @variance (op) of the aggregate whose key is in the key
 * buffer, over all CPUs, in a new temporary.
 */
int cg_stat_compute(struct cg *c, const struct cg_global *g,
		    enum bt_stat_op op, const struct bt_loc *loc)
{
	int n, a;

	if (op == STAT_VARIANCE)
		return cg_stat_variance(c, g, loc);
	n = cg_push(c, loc);
	a = cg_push(c, loc);
	cg_stat_sum(c, g, op, n, a);
	switch (op) {
	case STAT_COUNT:
		break;
	case STAT_SUM:
		cg_tset(c, n, cg_treg(c, a, BPF_REG_0));
		break;
	case STAT_MIN: case STAT_MAX:
		cg_stat_nonempty(c, op, loc, n);
		cg_tset(c, n, cg_treg(c, a, BPF_REG_0));
		break;
	case STAT_AVG:
		cg_stat_nonempty(c, op, loc, n);
		emit(&c->b, insn_mov_reg(BPF_REG_0, cg_treg(c, a, BPF_REG_0)));
		cg_sdiv(c, BPF_REG_0, cg_treg(c, n, BPF_REG_1));
		cg_tset(c, n, BPF_REG_0);
		break;
	case STAT_VARIANCE:	/* above */
		break;
	}
	c->depth = n + 1;
	return n;
}

/* @count(x) ... @variance(x): the result replaces the count temporary. */
int cg_stat_read(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);

	if (!g)
		return cg_push(c, &e->loc);
	cg_stat_key(c, g, e->left);
	return cg_stat_compute(c, g, e->stat_op, &e->loc);
}

/* The buckets of e's histogram (e: an E_HIST); 0 after an error. */
uint32_t cg_stat_nbuckets(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);

	if (g && !g->hist.nbuckets)
		cg_error(c, &e->loc, "'%s' has no histogram", g->sym->name);
	return g ? g->hist.nbuckets : 0;
}

/*
 * @hist_log(x)[i]: the count of bucket i over all CPUs. As in stap, an
 * empty aggregate is an error, then an i outside 0..buckets-1.
 */
int cg_stat_bucket(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	const char *op = e->hist_op == HIST_LOG ? "@hist_log" : "@hist_linear";
	struct cg_sumspec sp = { .g = g, .kind = SUM_BUCKET };
	char what[96];
	int i, n, v, r;

	i = cg_expr(c, e->keys);
	sp.nbuckets = cg_stat_nbuckets(c, e);
	if (!sp.nbuckets)
		return i;
	cg_stat_key(c, g, e->left);
	n = cg_push(c, &e->loc);
	v = cg_push(c, &e->loc);
	sp.acc = cg_scratch_temp(c, cg_sum_size(&sp));
	cg_sum_loop(c, &sp, 0, i);
	cg_sum_get(c, &sp, n, SUM_N);
	cg_sum_get(c, &sp, v, SUM_A);
	cg_stat_nonempty_op(c, op, &e->loc, n);
	snprintf(what, sizeof(what), "histogram index out of range near "
		 "operator '%s'", op);
	r = cg_treg(c, i, BPF_REG_1);
	emit_jmp_imm(&c->b, BPF_JSLT, r, 0, cg_error_path(c, &e->loc, what));
	r = cg_treg(c, i, BPF_REG_1);
	emit_jmp_imm(&c->b, BPF_JSGE, r, sp.nbuckets,
		     cg_error_path(c, &e->loc, what));
	cg_tset(c, i, cg_treg(c, v, BPF_REG_0));
	c->depth = i + 1;
	return i;
}

/* print(@hist_*(x)): the histogram summed over CPUs, in one record. */
void cg_stat_hist_print(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	struct cg_sumspec sp = { .g = g, .kind = SUM_FIELD, .field = ST_SUM };
	int base = c->depth, rec, skip, r;

	if (!g)
		return;
	sp.nbuckets = g->hist.nbuckets;
	if (!sp.nbuckets) {
		cg_error(c, &e->loc, "'%s' has no histogram", g->sym->name);
		return;
	}
	sp.acc = cg_scratch_temp(c, cg_sum_size(&sp));
	cg_stat_key(c, g, e->left);
	cg_sum_loop(c, &sp, 0, -1);
	skip = emit_new_label(&c->b);
	rec = cg_push(c, &e->loc);
	cg_record_begin(c, REC_HIST, g->index, sizeof(struct bt_rec_hdr) +
			8 * sp.nbuckets, rec, skip);
	r = cg_treg(c, rec, BPF_REG_1);
	cg_scratch_ptr(c, BPF_REG_2, sp.acc + SUM_BUCKETS);
	for (uint32_t i = 0; i < sp.nbuckets; i++) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_2, 8 * i));
		emit(&c->b, insn_stx(BPF_DW, r, BPF_REG_3,
				     sizeof(struct bt_rec_hdr) + 8 * i));
	}
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	c->depth = base;
}
