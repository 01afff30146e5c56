// SPDX-License-Identifier: GPL-2.0
/*
 * Cleanup of a finished program (prologue and body linked, jumps
 * resolved), in rounds until nothing changes:
 *
 * 1. Forward, through each run of code that is entered only at its top
 *    (a jump target or what follows an unconditional jump starts a new
 *    one): after `rX = rY`, reads of rX read rY; after `rX = K`, a read
 *    of rX that has an immediate form becomes K (`rY = rX` is `rY = K`,
 *    `rZ += rX` is `rZ += K`, `if rA > rX` is `if rA > K`, a store of rX
 *    stores K); after `rX = r10; rX += K`, a load or store through rX
 *    goes through r10 with the offset adjusted. Only operands that are
 *    read and not written are rewritten; helper calls read r1-r5 where
 *    they are, so those are not.
 *
 * 2. Backward: which registers are live after each instruction (the
 *    usual dataflow over the jumps; a call reads r1-r5 and writes r0-r5,
 *    exit reads r0). An instruction without side effects (ALU, load,
 *    64-bit immediate) whose result is dead goes, and so does `rX = rX`.
 *
 * The code generator keeps expression temporaries in r6-r9 and moves
 * values through r0-r5 around helper calls; most of what this removes
 * is those moves: `r6 = 1; r2 = r6` becomes `r2 = 1`.
 */
#include <stdlib.h>
#include <string.h>
#include "emit.h"

#define OPT_ROUNDS	8
#define R(n)		(1u << (n))
#define ARGS		(R(1) | R(2) | R(3) | R(4) | R(5))
#define CALLER_SAVED	(R(0) | ARGS)

struct opt_fact {
	enum { F_NONE, F_COPY, F_CONST, F_FP } kind;
	int reg;		/* F_COPY: the register copied */
	int32_t k;		/* F_CONST; F_FP: r10 + k */
};

static uint8_t opt_cls(const struct bpf_insn *in)
{
	return BPF_CLASS(in->code);
}

static bool opt_is_alu(const struct bpf_insn *in)
{
	return opt_cls(in) == BPF_ALU || opt_cls(in) == BPF_ALU64;
}

static bool opt_is_call(const struct bpf_insn *in)
{
	return opt_cls(in) == BPF_JMP && BPF_OP(in->code) == BPF_CALL;
}

static bool opt_is_exit(const struct bpf_insn *in)
{
	return opt_cls(in) == BPF_JMP && BPF_OP(in->code) == BPF_EXIT;
}

static bool opt_is_atomic(const struct bpf_insn *in)
{
	return opt_cls(in) == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC;
}

/* rX = rY, 64 bits (not a sign-extending move, not a 32-bit one). */
static bool opt_is_copy(const struct bpf_insn *in)
{
	return in->code == (BPF_ALU64 | BPF_MOV | BPF_X) && !in->off;
}

/* Registers the instruction reads and writes. */
static void opt_use_def(const struct bpf_insn *in, uint16_t *use,
			uint16_t *def)
{
	uint8_t op = BPF_OP(in->code);

	*use = *def = 0;
	if (opt_is_alu(in)) {
		*def = R(in->dst_reg);
		if (op != BPF_MOV)
			*use |= R(in->dst_reg);
		if (BPF_SRC(in->code) == BPF_X && op != BPF_NEG &&
		    op != BPF_END)
			*use |= R(in->src_reg);
	} else if (opt_cls(in) == BPF_LDX) {
		*use = R(in->src_reg);
		*def = R(in->dst_reg);
	} else if (opt_cls(in) == BPF_ST) {
		*use = R(in->dst_reg);
	} else if (opt_is_atomic(in)) {
		*use = R(in->dst_reg) | R(in->src_reg);
		if (in->imm & BPF_FETCH)
			*def = R(in->src_reg);
		if (in->imm == BPF_CMPXCHG) {
			*use |= R(BPF_REG_0);
			*def |= R(BPF_REG_0);
		}
	} else if (opt_cls(in) == BPF_STX) {
		*use = R(in->dst_reg) | R(in->src_reg);
	} else if (emit_is_ldimm64(in)) {
		*def = R(in->dst_reg);
	} else if (opt_is_call(in)) {
		*use = ARGS;
		*def = CALLER_SAVED;
	} else if (opt_is_exit(in)) {
		*use = R(BPF_REG_0);
	} else if (emit_is_jump(in) && op != BPF_JA) {
		*use = R(in->dst_reg);
		if (BPF_SRC(in->code) == BPF_X)
			*use |= R(in->src_reg);
	} else if (!emit_is_jump(in)) {
		*use = 0xffff;		/* unknown: keep everything */
	}
}

static bool opt_has_side_effects(const struct bpf_insn *in)
{
	return !opt_is_alu(in) && opt_cls(in) != BPF_LDX &&
	       !emit_is_ldimm64(in);
}

/* The instruction after i (an ld_imm64 takes two slots). */
static uint32_t opt_next(const struct emit_buf *b, uint32_t i)
{
	return i + (emit_is_ldimm64(&b->insns[i]) ? 2 : 1);
}

/* Instructions that start a run: jump targets, and what follows a jump
 * or exit that does not fall through. */
static void opt_block_starts(const struct emit_buf *b, bool *start)
{
	start[0] = true;
	for (uint32_t i = 0; i < b->n; i = opt_next(b, i)) {
		const struct bpf_insn *in = &b->insns[i];
		uint32_t nx = opt_next(b, i);

		if (emit_is_jump(in) && i + 1 + in->off < b->n)
			start[i + 1 + in->off] = true;
		if ((opt_is_exit(in) || in->code == (BPF_JMP | BPF_JA)) &&
		    nx < b->n)
			start[nx] = true;
	}
}

/* r, read where it may be rewritten: the register it is a copy of. */
static uint8_t opt_copy_use(const struct opt_fact *f, uint8_t reg, bool *ch)
{
	if (f[reg].kind != F_COPY)
		return reg;
	*ch = true;
	return f[reg].reg;
}

/* Can `dst op= K` replace `dst op= src` for this constant? */
static bool opt_imm_ok(const struct bpf_insn *in, int32_t k)
{
	uint8_t op = BPF_OP(in->code);
	int32_t bits = opt_cls(in) == BPF_ALU64 ? 64 : 32;

	if (op == BPF_END || op == BPF_NEG || (op == BPF_MOV && in->off))
		return false;
	if ((op == BPF_DIV || op == BPF_MOD) && !k)
		return false;
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
	    (k < 0 || k >= bits))
		return false;
	return true;
}

/* A load or store through a register known to be r10 + k: through
 * r10 (the stack's bounds do not change, the offset only moves). */
static bool opt_fp_base(struct bpf_insn *in, bool base_is_src,
			const struct opt_fact *f)
{
	int reg = base_is_src ? in->src_reg : in->dst_reg;
	int32_t off;

	if (f[reg].kind != F_FP)
		return false;
	off = in->off + f[reg].k;
	if (off < -512 || off >= 0)
		return false;
	in->off = off;
	if (base_is_src)
		in->src_reg = BPF_REG_10;
	else
		in->dst_reg = BPF_REG_10;
	return true;
}

/* Rewrite the read-only operands of in from the facts. */
static bool opt_rewrite(struct bpf_insn *in, const struct opt_fact *f)
{
	bool ch = false;

	if (opt_cls(in) == BPF_LDX && BPF_MODE(in->code) == BPF_MEM &&
	    opt_fp_base(in, true, f))
		return true;
	if ((opt_cls(in) == BPF_ST || (opt_cls(in) == BPF_STX &&
				       BPF_MODE(in->code) == BPF_MEM)) &&
	    opt_fp_base(in, false, f))
		ch = true;

	if (opt_is_alu(in) && BPF_SRC(in->code) == BPF_X) {
		if (f[in->src_reg].kind == F_CONST &&
		    opt_imm_ok(in, f[in->src_reg].k)) {
			in->imm = f[in->src_reg].k;
			in->src_reg = 0;
			in->code = (in->code & ~BPF_X) | BPF_K;
			return true;
		}
		in->src_reg = opt_copy_use(f, in->src_reg, &ch);
	} else if (opt_cls(in) == BPF_LDX) {
		in->src_reg = opt_copy_use(f, in->src_reg, &ch);
	} else if (opt_cls(in) == BPF_ST) {
		in->dst_reg = opt_copy_use(f, in->dst_reg, &ch);
	} else if (opt_is_atomic(in)) {
		in->dst_reg = opt_copy_use(f, in->dst_reg, &ch);
		if (!(in->imm & BPF_FETCH) && in->imm != BPF_CMPXCHG)
			in->src_reg = opt_copy_use(f, in->src_reg, &ch);
	} else if (opt_cls(in) == BPF_STX) {
		in->dst_reg = opt_copy_use(f, in->dst_reg, &ch);
		if (f[in->src_reg].kind == F_CONST) {
			in->imm = f[in->src_reg].k;
			in->src_reg = 0;
			in->code = BPF_ST | BPF_SIZE(in->code) | BPF_MEM;
			return true;
		}
		in->src_reg = opt_copy_use(f, in->src_reg, &ch);
	} else if (emit_is_jump(in) && !opt_is_call(in) && !opt_is_exit(in) &&
		   BPF_OP(in->code) != BPF_JA) {
		in->dst_reg = opt_copy_use(f, in->dst_reg, &ch);
		if (BPF_SRC(in->code) == BPF_X &&
		    f[in->src_reg].kind == F_CONST) {
			in->imm = f[in->src_reg].k;
			in->src_reg = 0;
			in->code = (in->code & ~BPF_X) | BPF_K;
			return true;
		}
		if (BPF_SRC(in->code) == BPF_X)
			in->src_reg = opt_copy_use(f, in->src_reg, &ch);
	}
	return ch;
}

/* After in: forget what it overwrote, learn what it copied. */
static void opt_learn(const struct bpf_insn *in, struct opt_fact *f)
{
	struct opt_fact fp = { F_NONE, 0, 0 };
	uint16_t use, def;

	/* rX += K keeps rX = r10 + k known */
	if (in->code == (BPF_ALU64 | BPF_ADD | BPF_K) &&
	    f[in->dst_reg].kind == F_FP)
		fp = (struct opt_fact){ F_FP, 0, f[in->dst_reg].k + in->imm };
	opt_use_def(in, &use, &def);
	for (int r = 0; r < MAX_BPF_REG; r++) {
		if (def & R(r))
			f[r].kind = F_NONE;
		if (f[r].kind == F_COPY && (def & R(f[r].reg)))
			f[r].kind = F_NONE;
	}
	if (fp.kind == F_FP)
		f[in->dst_reg] = fp;
	else if (opt_is_copy(in) && in->src_reg == BPF_REG_10)
		f[in->dst_reg] = (struct opt_fact){ F_FP, 0, 0 };
	else if (opt_is_copy(in) && f[in->src_reg].kind == F_FP)
		f[in->dst_reg] = f[in->src_reg];
	else if (opt_is_copy(in) && in->dst_reg != in->src_reg)
		f[in->dst_reg] = (struct opt_fact){ F_COPY, in->src_reg, 0 };
	else if (in->code == (BPF_ALU64 | BPF_MOV | BPF_K) && !in->off)
		f[in->dst_reg] = (struct opt_fact){ F_CONST, 0, in->imm };
}

static bool opt_forward(struct emit_buf *b, const bool *start)
{
	struct opt_fact f[MAX_BPF_REG];
	bool changed = false;

	memset(f, 0, sizeof(f));
	for (uint32_t i = 0; i < b->n; i = opt_next(b, i)) {
		struct bpf_insn *in = &b->insns[i];

		if (start[i])
			memset(f, 0, sizeof(f));
		changed |= opt_rewrite(in, f);
		opt_learn(in, f);
	}
	return changed;
}

/* live[i]: registers live after instruction i. */
static void opt_liveness(const struct emit_buf *b, uint16_t *live)
{
	bool changed = true;

	memset(live, 0, b->n * sizeof(*live));
	while (changed) {
		changed = false;
		for (uint32_t j = b->n; j-- > 0;) {
			const struct bpf_insn *in = &b->insns[j];
			uint16_t out = 0, use, def, in_live;
			uint32_t nx;

			if (j && emit_is_ldimm64(&b->insns[j - 1]))
				continue;	/* second half */
			nx = opt_next(b, j);
			if (emit_is_jump(in) && in->code != (BPF_JMP | BPF_JA)) {
				if (nx < b->n) {
					opt_use_def(&b->insns[nx], &use, &def);
					out |= use | (live[nx] & ~def);
				}
			}
			if (emit_is_jump(in) && j + 1 + in->off < b->n) {
				uint32_t t = j + 1 + in->off;

				opt_use_def(&b->insns[t], &use, &def);
				out |= use | (live[t] & ~def);
			}
			if (!emit_is_jump(in) && !opt_is_exit(in) &&
			    nx < b->n) {
				opt_use_def(&b->insns[nx], &use, &def);
				out |= use | (live[nx] & ~def);
			}
			in_live = out;
			if (in_live != live[j]) {
				live[j] = in_live;
				changed = true;
			}
		}
	}
}

static bool opt_dead(struct emit_buf *b, bool *keep)
{
	uint16_t *live = malloc((b->n + 1) * sizeof(*live));
	bool changed = false;

	if (!live)
		return false;
	opt_liveness(b, live);
	for (uint32_t i = 0; i < b->n; i = opt_next(b, i)) {
		const struct bpf_insn *in = &b->insns[i];
		uint16_t use, def;

		keep[i] = true;
		if (emit_is_ldimm64(in) && i + 1 < b->n)
			keep[i + 1] = true;
		opt_use_def(in, &use, &def);
		if (opt_is_copy(in) && in->dst_reg == in->src_reg)
			def = 0;	/* rX = rX: nothing */
		else if (opt_has_side_effects(in) || (def & live[i]) ||
			 (def & R(BPF_REG_10)))
			continue;
		keep[i] = false;
		if (emit_is_ldimm64(in) && i + 1 < b->n)
			keep[i + 1] = false;
		changed = true;
	}
	free(live);
	return changed;
}

void emit_optimize(struct emit_buf *b)
{
	bool *start = NULL, *keep = NULL;

	for (int round = 0; round < OPT_ROUNDS && b->n && !b->oom; round++) {
		bool changed;

		start = calloc(b->n + 1, sizeof(*start));
		keep = calloc(b->n + 1, sizeof(*keep));
		if (!start || !keep)
			break;
		opt_block_starts(b, start);
		changed = opt_forward(b, start);
		if (opt_dead(b, keep)) {
			emit_compact(b, keep);
			changed = true;
		}
		free(start);
		free(keep);
		start = keep = NULL;
		if (!changed)
			break;
	}
	free(start);
	free(keep);
}
