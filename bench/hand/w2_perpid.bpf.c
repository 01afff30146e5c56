// SPDX-License-Identifier: GPL-2.0
/* W2: a count per process, in a per-CPU hash keyed by the tgid. */
#include "hand.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 2048);
	__type(key, __u32);
	__type(value, __u64);
} m SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int w2_perpid(struct getpid_args *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *v = bpf_map_lookup_elem(&m, &pid), one = 1;

	if (v)
		(*v)++;
	else
		bpf_map_update_elem(&m, &pid, &one, BPF_NOEXIST);
	return 0;
}
