/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arguments of a tracepoint (its TP_PROTO: sched_switch's preempt,
 * prev, next, prev_state), as opposed to the fields of its record
 * (tracefs.h). A raw tracepoint program gets them as an array of u64.
 * Their names and types come from the running kernel's BTF: the kernel
 * defines one __bpf_trace_EVENT(void *__data, ARGS...) per tracepoint.
 */
#ifndef BPFTAP_TPARGS_H
#define BPFTAP_TPARGS_H

#include <stddef.h>
#include <stdint.h>

struct btf;

/* The running kernel's BTF (/sys/kernel/btf/vmlinux), loaded once per
 * process and kept (compiles are few); NULL with *err set. Codegen's
 * @cast and task fields use it too. */
struct btf *tpargs_vmlinux_btf(int *err);

/* Argument `name` of the tracepoint `event`: 0 with its position (0 for
 * the first after __data) and BTF type id; -ENOENT when there is no
 * such argument, or another -errno (no BTF). */
int tpargs_find(const char *event, const char *name, int *index,
		uint32_t *type);

/* The argument names, ", "-separated, into buf (for messages); 0 or
 * -errno as above. */
int tpargs_names(const char *event, char *buf, size_t size);

/* The same for a kernel function's parameters (kernel.function("f")
 * probes: $file of vfs_read), from its BTF FUNC; func_names "$a, $b". */
int tpargs_func_param(const char *func, const char *name, int *index,
		      uint32_t *type);
int tpargs_func_names(const char *func, char *buf, size_t size);
/* Its return type: 0 with *type (0 for void), or -errno. */
int tpargs_func_ret(const char *func, uint32_t *type);

#endif
