// SPDX-License-Identifier: GPL-2.0
/* W5: a count per command name (16-byte key), per-CPU hash. */
#include "hand.h"

struct comm {
	char s[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 2048);
	__type(key, struct comm);
	__type(value, __u64);
} a SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int w5_strkey(struct getpid_args *ctx)
{
	struct comm k;
	__u64 *v, one = 1;

	bpf_get_current_comm(&k, sizeof(k));
	v = bpf_map_lookup_elem(&a, &k);
	if (v)
		(*v)++;
	else
		bpf_map_update_elem(&a, &k, &one, BPF_NOEXIST);
	return 0;
}
