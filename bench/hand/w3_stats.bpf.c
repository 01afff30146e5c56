// SPDX-License-Identifier: GPL-2.0
/* W3: count and sum of read(2)'s count (the loader derives the average). */
#include "hand.h"

struct stat {
	__u64 count, sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stat);
} st SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int w3_stats(struct read_args *ctx)
{
	__u32 zero = 0;
	struct stat *s = bpf_map_lookup_elem(&st, &zero);

	if (s) {
		s->count++;
		s->sum += ctx->count;
	}
	return 0;
}
