/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF instructions as text, in the kernel verifier's syntax
 * (kernel/bpf/disasm.c): "(b7) r1 = 42", "(85) call bpf_map_lookup_elem#1".
 * obj_dump() (object.h) prints whole objects with it for -p3.
 */
#ifndef BPFTAP_DISASM_H
#define BPFTAP_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "object.h"

/*
 * Print insns[idx] into buf (no index, no newline). An ld_imm64 reads
 * insns[idx + 1] too (the caller skips it); prog's relocations name the
 * map it loads, or the subprogram it calls or loads the address of, when
 * prog and obj are given (either may be NULL).
 */
void disasm_insn(const struct bpf_insn *insns, uint32_t idx,
		 const struct bt_objprog *prog, const struct bt_object *obj,
		 char *buf, size_t len);

/* "bpf_map_lookup_elem" for 1; NULL for ids this build does not know. */
const char *disasm_helper_name(int32_t id);

#endif
