/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction constructors for tests, after the kernel's BPF_* macros in
 * include/linux/filter.h (which the UAPI headers do not export).
 */
#ifndef BPFTAP_TESTS_BPF_INSNS_H
#define BPFTAP_TESTS_BPF_INSNS_H

#include <linux/bpf.h>

#define T_INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

#define T_ALU64_REG(op, d, s)	T_INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define T_ALU64_IMM(op, d, i)	T_INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define T_ALU32_REG(op, d, s)	T_INSN(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define T_ALU32_IMM(op, d, i)	T_INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define T_MOV64_REG(d, s)	T_ALU64_REG(BPF_MOV, d, s)
#define T_MOV64_IMM(d, i)	T_ALU64_IMM(BPF_MOV, d, i)
#define T_LDX(sz, d, s, o)	T_INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define T_STX(sz, d, s, o)	T_INSN(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define T_ST(sz, d, o, i)	T_INSN(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define T_JMP_IMM(op, d, i, o)	T_INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define T_JMP_REG(op, d, s, o)	T_INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define T_CALL(id)		T_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define T_EXIT()		T_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* ld_imm64: two slots; src is 0 or a BPF_PSEUDO_* kind. */
#define T_LD_IMM64_LO(d, s, i)	T_INSN(BPF_LD | BPF_DW | BPF_IMM, d, s, 0, i)
#define T_LD_IMM64_HI(i)	T_INSN(0, 0, 0, 0, i)

#endif
