/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction buffer of one program being generated: real BPF
 * instructions plus symbolic labels (resolved to pc-relative offsets when
 * the label is placed), map relocations and source-line marks.
 */
#ifndef BPFTAP_EMIT_H
#define BPFTAP_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "object.h"

/* cpu v4 signed division/modulo: BPF_DIV/BPF_MOD with off = 1. The UAPI
 * header of Linux 6.1 predates them. */
#define EMIT_OFF_SIGNED 1

struct emit_fixup {
	uint32_t insn;		/* jump instruction to patch */
	int label;
};

struct emit_buf {
	struct bpf_insn *insns;
	uint32_t n, cap;
	struct bt_reloc *relocs;
	uint32_t nrelocs, relocs_cap;
	struct bt_srcline *lines;
	uint32_t nlines, lines_cap;
	int32_t *labels;	/* label -> insn index, or -1 */
	int nlabels, labels_cap;
	struct emit_fixup *fixups;
	uint32_t nfixups, fixups_cap;
	bool oom;		/* an allocation failed: the result is void */
};

void emit_init(struct emit_buf *b);
void emit_release(struct emit_buf *b);

void emit(struct emit_buf *b, struct bpf_insn insn);
/* r = imm (mov for 32-bit values, ld_imm64 otherwise). */
void emit_mov_imm(struct emit_buf *b, int reg, int64_t imm);
/* r = &map (map >= 0) or r = .data + off (map == BT_RELOC_DATA). */
void emit_ld_map(struct emit_buf *b, int reg, int map, int32_t off);

int emit_new_label(struct emit_buf *b);
void emit_place_label(struct emit_buf *b, int label);
/* Conditional jump to a label: if (dst op src/imm) goto label. */
void emit_jmp_reg(struct emit_buf *b, int op, int dst, int src, int label);
void emit_jmp_imm(struct emit_buf *b, int op, int dst, int32_t imm,
		  int label);
void emit_ja(struct emit_buf *b, int label);

/* From the next instruction on, code comes from loc. */
void emit_line(struct emit_buf *b, const struct bt_loc *loc);

/* Patch the jumps; returns -1 if a label was never placed or is out of
 * reach of a 16-bit offset. */
int emit_resolve(struct emit_buf *b);
/* Drop unreachable instructions (after emit_resolve); labels follow. */
int emit_dce(struct emit_buf *b);
/* Drop the instructions without keep[i] (resolved jumps, relocations,
 * lines and labels follow). */
void emit_compact(struct emit_buf *b, const bool *keep);
bool emit_is_jump(const struct bpf_insn *in);
bool emit_is_ldimm64(const struct bpf_insn *in);
/* emit_opt.c: copy and constant propagation, then removal of what
 * computes a dead register, over a finished program. */
void emit_optimize(struct emit_buf *b);

/* Instruction constructors (the kernel's filter.h macros are not UAPI). */
static inline struct bpf_insn insn_alu64_reg(int op, int dst, int src)
{
	return (struct bpf_insn){ .code = BPF_ALU64 | BPF_OP(op) | BPF_X,
				  .dst_reg = dst, .src_reg = src };
}

static inline struct bpf_insn insn_alu64_imm(int op, int dst, int32_t imm)
{
	return (struct bpf_insn){ .code = BPF_ALU64 | BPF_OP(op) | BPF_K,
				  .dst_reg = dst, .imm = imm };
}

/* Byte-swap a 64-bit register to big-endian: the first byte in memory
 * becomes the most significant, so unsigned order is byte order. */
static inline struct bpf_insn insn_be64(int reg)
{
	return (struct bpf_insn){ .code = BPF_ALU | BPF_END | BPF_TO_BE,
				  .dst_reg = reg, .imm = 64 };
}

static inline struct bpf_insn insn_mov_reg(int dst, int src)
{
	return insn_alu64_reg(BPF_MOV, dst, src);
}

static inline struct bpf_insn insn_ldx(int size, int dst, int src,
				       int16_t off)
{
	return (struct bpf_insn){ .code = BPF_LDX | BPF_SIZE(size) | BPF_MEM,
				  .dst_reg = dst, .src_reg = src, .off = off };
}

static inline struct bpf_insn insn_stx(int size, int dst, int src,
				       int16_t off)
{
	return (struct bpf_insn){ .code = BPF_STX | BPF_SIZE(size) | BPF_MEM,
				  .dst_reg = dst, .src_reg = src, .off = off };
}

static inline struct bpf_insn insn_st(int size, int dst, int16_t off,
				      int32_t imm)
{
	return (struct bpf_insn){ .code = BPF_ST | BPF_SIZE(size) | BPF_MEM,
				  .dst_reg = dst, .off = off, .imm = imm };
}

/* lock *(u64 *)(dst + off) op= src; with BPF_FETCH src gets the old value */
static inline struct bpf_insn insn_atomic64(int op, int dst, int src,
					    int16_t off)
{
	return (struct bpf_insn){ .code = BPF_STX | BPF_DW | BPF_ATOMIC,
				  .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = op };
}

static inline struct bpf_insn insn_call(int helper)
{
	return (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = helper };
}

static inline struct bpf_insn insn_exit(void)
{
	return (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
}

#endif
