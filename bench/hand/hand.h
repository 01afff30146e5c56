/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hand-written reference programs: what a careful libbpf C
 * programmer writes for each workload (clang -O2), per-CPU maps and no
 * atomics. Record layouts are those of the tracefs format files of
 * syscalls:sys_enter_getpid and sys_enter_read, so no kernel headers
 * are needed.
 */
#ifndef BENCH_HAND_H
#define BENCH_HAND_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct getpid_args {
	__u64 common;
	__s32 syscall_nr;
};

struct read_args {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 fd;
	__u64 buf;
	__u64 count;
};

char LICENSE[] SEC("license") = "GPL";

#endif
