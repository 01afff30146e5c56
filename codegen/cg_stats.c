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
		cg_keys_store(c, g->sym, cg_keys_eval(c, e->keys));
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

/* x <<< v: this CPU's count, sum, min, max, variance state, bucket. */
int cg_stat_add(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	int tv, p, first = emit_new_label(&c->b), common;
	int skip = emit_new_label(&c->b), lo, hi;

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
	/* min and max: the first value sets both */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_COUNT));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_3, 0, first);
	lo = emit_new_label(&c->b);
	hi = emit_new_label(&c->b);
	common = emit_new_label(&c->b);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_1, ST_MIN));
	emit_jmp_reg(&c->b, BPF_JSGE, BPF_REG_2, BPF_REG_4, lo);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MIN));
	emit_place_label(&c->b, lo);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_4, BPF_REG_1, ST_MAX));
	emit_jmp_reg(&c->b, BPF_JSLE, BPF_REG_2, BPF_REG_4, hi);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MAX));
	emit_place_label(&c->b, hi);
	emit_ja(&c->b, common);
	emit_place_label(&c->b, first);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MIN));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, ST_MAX));
	emit_place_label(&c->b, common);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ST_COUNT));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ST_SUM));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_2));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ST_SUM));
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
 * Emit body once per CPU whose copy of the aggregate (key in the key
 * buffer) has values, with r0 = that copy and r1 = its count; the body
 * may use r0-r5 and temporaries. See cg_cpu_bound for the bound.
 */
typedef void cg_cpu_body(struct cg *c, const void *arg);

static void cg_stat_cpus(struct cg *c, const struct cg_global *g,
			 cg_cpu_body *body, const void *arg)
{
	int top = emit_new_label(&c->b), next = emit_new_label(&c->b);
	int done = emit_new_label(&c->b);
	int cpu = cg_push(c, NULL), r;

	cg_tset_imm(c, cpu, 0);
	emit_place_label(&c->b, top);
	r = cg_treg(c, cpu, BPF_REG_3);
	if (r != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, r));
	cg_cpu_bound(c, BPF_REG_3, done);
	emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
	cg_stat_keyptr(c, g, BPF_REG_2);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_percpu_elem));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, next);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_0, ST_COUNT));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, 0, next);
	body(c, arg);
	emit_place_label(&c->b, next);
	r = cg_treg(c, cpu, BPF_REG_3);
	emit(&c->b, insn_alu64_imm(BPF_ADD, r, 1));
	cg_tset(c, cpu, r);
	emit_ja(&c->b, top);
	emit_place_label(&c->b, done);
	cg_pop(c, 1);
}

/* temporary t += reg */
static void cg_tadd(struct cg *c, int t, int reg)
{
	int r = cg_treg(c, t, BPF_REG_5);

	emit(&c->b, insn_alu64_reg(BPF_ADD, r, reg));
	cg_tset(c, t, r);
}

struct cg_sum_arg {
	enum bt_stat_op op;
	int n, a;
};

/* count into n; sum into a, or the least or greatest min or max */
static void cg_sum_body(struct cg *c, const void *arg)
{
	const struct cg_sum_arg *s = arg;
	int keep = emit_new_label(&c->b), r;

	cg_tadd(c, s->n, BPF_REG_1);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_0,
			     s->op == STAT_MIN ? ST_MIN :
			     s->op == STAT_MAX ? ST_MAX : ST_SUM));
	if (s->op != STAT_MIN && s->op != STAT_MAX) {
		cg_tadd(c, s->a, BPF_REG_1);
		return;
	}
	r = cg_treg(c, s->a, BPF_REG_2);
	emit_jmp_reg(&c->b, s->op == STAT_MIN ? BPF_JSGE : BPF_JSLE,
		     BPF_REG_1, r, keep);
	cg_tset(c, s->a, BPF_REG_1);
	emit_place_label(&c->b, keep);
}

/* Sum an aggregate over the CPUs: count -> temporary n; the sum, min or
 * max (as op asks) -> a. */
static void cg_stat_sum(struct cg *c, const struct cg_global *g,
			enum bt_stat_op op, int n, int a)
{
	struct cg_sum_arg s = { op, n, a };

	cg_tset_imm(c, n, 0);
	cg_tset_imm(c, a, op == STAT_MIN ? INT64_MAX :
		    op == STAT_MAX ? INT64_MIN : 0);
	cg_stat_cpus(c, g, cg_sum_body, &s);
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

static void cg_sdiv(struct cg *c, int dst, int src)
{
	emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_DIV | BPF_X,
				       .dst_reg = dst, .src_reg = src,
				       .off = EMIT_OFF_SIGNED });
}

struct cg_var_arg {
	int n, sum, p, q, r;
};

/*
 * One CPU's terms of stap's combined variance (runtime/stat.c), where
 * with the overall mean A it adds n_i * (avg_i - A)^2 and
 * (n_i - 1) * (m2_i / (n_i - 1)) (this part for n_i >= 2 only). A is only
 * known after all CPUs, so the first term is gathered expanded, as
 * p = sum n_i avg_i^2 and q = sum n_i avg_i: the same integers, wrapping
 * alike, in a single pass (two loops over the CPUs were too many paths
 * for the verifier).
 */
static void cg_var_body(struct cg *c, const void *arg)
{
	const struct cg_var_arg *v = arg;
	int one = emit_new_label(&c->b);

	cg_tadd(c, v->n, BPF_REG_1);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_0, ST_SUM));
	cg_tadd(c, v->sum, BPF_REG_2);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_0, ST_AVG_S));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_2, BPF_REG_1));
	cg_tadd(c, v->q, BPF_REG_2);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_0, ST_AVG_S));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_2, BPF_REG_3));
	cg_tadd(c, v->p, BPF_REG_2);
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_1, 2, one);
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_1, 1));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_0, ST_M2));
	cg_sdiv(c, BPF_REG_3, BPF_REG_1);
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_1));
	cg_tadd(c, v->r, BPF_REG_3);
	emit_place_label(&c->b, one);
}

/*
 * @variance as stap computes it: A = (sum << s) / count over all CPUs,
 * the CPUs' terms (above) added up, divided by count - 1 (0 for one
 * value), then shifted back by 2s. Empty aggregates are an error. The
 * result is in the returned temporary.
 */
static int cg_stat_variance(struct cg *c, const struct cg_global *g,
			    const struct bt_loc *loc)
{
	struct cg_var_arg v;
	int small = emit_new_label(&c->b), done = emit_new_label(&c->b);
	int shift = g->var_shift > 0 ? g->var_shift : 0;

	v.n = cg_push(c, loc);
	v.sum = cg_push(c, loc);
	v.p = cg_push(c, loc);
	v.q = cg_push(c, loc);
	v.r = cg_push(c, loc);
	for (int t = v.n; t <= v.r; t++)
		cg_tset_imm(c, t, 0);
	cg_stat_cpus(c, g, cg_var_body, &v);
	cg_stat_nonempty(c, STAT_VARIANCE, loc, v.n);
	/* r1 = A, r2 = p - 2 A q + A^2 n + r */
	emit(&c->b, insn_mov_reg(BPF_REG_1, cg_treg(c, v.sum, BPF_REG_1)));
	if (shift)
		emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_1, shift));
	cg_sdiv(c, BPF_REG_1, cg_treg(c, v.n, BPF_REG_2));
	emit(&c->b, insn_mov_reg(BPF_REG_2, cg_treg(c, v.p, BPF_REG_2)));
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, v.q, BPF_REG_3)));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_3, 1));
	emit(&c->b, insn_alu64_reg(BPF_SUB, BPF_REG_2, BPF_REG_3));
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_1));
	emit(&c->b, insn_mov_reg(BPF_REG_4, cg_treg(c, v.n, BPF_REG_4)));
	emit(&c->b, insn_alu64_reg(BPF_MUL, BPF_REG_3, BPF_REG_4));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_3));
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, v.r, BPF_REG_3)));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_3));
	emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_4, 1, small);
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_4, 1));
	cg_sdiv(c, BPF_REG_2, BPF_REG_4);
	if (shift)
		emit(&c->b, insn_alu64_imm(BPF_ARSH, BPF_REG_2, 2 * shift));
	cg_tset(c, v.n, BPF_REG_2);
	emit_ja(&c->b, done);
	emit_place_label(&c->b, small);
	cg_tset_imm(c, v.n, 0);
	emit_place_label(&c->b, done);
	c->depth = v.n + 1;
	return v.n;
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

struct cg_bucket_arg {
	int n, i, v;
	uint32_t nb;
};

/* count into n; bucket i (when in range) into v */
static void cg_bucket_body(struct cg *c, const void *arg)
{
	const struct cg_bucket_arg *b = arg;
	int skip = emit_new_label(&c->b);

	cg_tadd(c, b->n, BPF_REG_1);
	emit(&c->b, insn_mov_reg(BPF_REG_2, cg_treg(c, b->i, BPF_REG_2)));
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_2, b->nb, skip);
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_2, 3));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, BPF_REG_0));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_2, ST_BUCKETS));
	cg_tadd(c, b->v, BPF_REG_3);
	emit_place_label(&c->b, skip);
}

/*
 * @hist_log(x)[i]: the count of bucket i over all CPUs. As in stap, an
 * empty aggregate is an error, then an i outside 0..buckets-1.
 */
int cg_stat_bucket(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	const char *op = e->hist_op == HIST_LOG ? "@hist_log" : "@hist_linear";
	struct cg_bucket_arg b;
	char what[96];
	int r;

	b.i = cg_expr(c, e->keys);
	b.nb = cg_stat_nbuckets(c, e);
	if (!b.nb)
		return b.i;
	cg_stat_key(c, g, e->left);
	b.n = cg_push(c, &e->loc);
	b.v = cg_push(c, &e->loc);
	cg_tset_imm(c, b.n, 0);
	cg_tset_imm(c, b.v, 0);
	cg_stat_cpus(c, g, cg_bucket_body, &b);
	cg_stat_nonempty_op(c, op, &e->loc, b.n);
	snprintf(what, sizeof(what), "histogram index out of range near "
		 "operator '%s'", op);
	r = cg_treg(c, b.i, BPF_REG_1);
	emit_jmp_imm(&c->b, BPF_JSLT, r, 0, cg_error_path(c, &e->loc, what));
	r = cg_treg(c, b.i, BPF_REG_1);
	emit_jmp_imm(&c->b, BPF_JSGE, r, b.nb, cg_error_path(c, &e->loc,
							       what));
	cg_tset(c, b.i, cg_treg(c, b.v, BPF_REG_0));
	c->depth = b.i + 1;
	return b.i;
}

/* print(@hist_*(x)): the histogram summed over CPUs, in one record. */
void cg_stat_hist_print(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_stat_global(c, e->left);
	int base = c->depth, rec, cpu, top, next, done, skip;
	uint32_t nb;

	if (!g)
		return;
	nb = g->hist.nbuckets;
	if (!nb) {
		cg_error(c, &e->loc, "'%s' has no histogram", g->sym->name);
		return;
	}
	cg_stat_key(c, g, e->left);
	skip = emit_new_label(&c->b);
	rec = cg_push(c, &e->loc);
	cg_record_begin(c, REC_HIST, g->index, sizeof(struct bt_rec_hdr) +
			8 * nb, rec, skip);
	for (uint32_t i = 0; i < nb; i++)
		emit(&c->b, insn_st(BPF_DW, BPF_REG_0,
				    sizeof(struct bt_rec_hdr) + 8 * i, 0));
	cpu = cg_push(c, &e->loc);
	cg_tset_imm(c, cpu, 0);
	top = emit_new_label(&c->b);
	next = emit_new_label(&c->b);
	done = emit_new_label(&c->b);
	emit_place_label(&c->b, top);
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, cpu, BPF_REG_3)));
	cg_cpu_bound(c, BPF_REG_3, done);
	emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
	cg_stat_keyptr(c, g, BPF_REG_2);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_percpu_elem));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, next);
	emit(&c->b, insn_mov_reg(BPF_REG_1, cg_treg(c, rec, BPF_REG_1)));
	for (uint32_t i = 0; i < nb; i++) {
		int16_t ro = sizeof(struct bt_rec_hdr) + 8 * i;

		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_0,
				     ST_BUCKETS + 8 * i));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, ro));
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_2));
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_3, ro));
	}
	emit_place_label(&c->b, next);
	emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, cpu, BPF_REG_3)));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
	cg_tset(c, cpu, BPF_REG_3);
	emit_ja(&c->b, top);
	emit_place_label(&c->b, done);
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	c->depth = base;
}
