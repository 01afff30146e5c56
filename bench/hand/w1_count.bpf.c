// SPDX-License-Identifier: GPL-2.0
/* W1: one counter; a per-CPU slot the loader sums at the end. */
#include "hand.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} c SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int w1_count(struct getpid_args *ctx)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&c, &zero);

	if (v)
		(*v)++;
	return 0;
}
