// SPDX-License-Identifier: GPL-2.0
/*
 * W6: a log2 histogram of read(2)'s count: bucket 0 holds 0, bucket
 * i > 0 the values [2^(i-1), 2^i). Per-CPU array of buckets.
 */
#include "hand.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 65);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 b = 0;

	if (!v)
		return 0;
	if (v >> 32) { v >>= 32; b += 32; }
	if (v >> 16) { v >>= 16; b += 16; }
	if (v >> 8) { v >>= 8; b += 8; }
	if (v >> 4) { v >>= 4; b += 4; }
	if (v >> 2) { v >>= 2; b += 2; }
	if (v >> 1) b += 1;
	return b + 1;
}

SEC("tracepoint/syscalls/sys_enter_read")
int w6_hist(struct read_args *ctx)
{
	__u32 k = log2_bucket(ctx->count);
	__u64 *n = bpf_map_lookup_elem(&h, &k);

	if (n)
		(*n)++;
	return 0;
}
