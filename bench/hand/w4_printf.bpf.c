// SPDX-License-Identifier: GPL-2.0
/*
 * W4: one record per event in a ring buffer, formatted by the loader.
 * Submitted with the default (adaptive) wakeup; w4_printf.nowake.bpf.c
 * submits without one and the loader polls.
 */
#include "hand.h"

#ifndef W4_SUBMIT_FLAGS
#define W4_SUBMIT_FLAGS 0
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int w4_printf(struct getpid_args *ctx)
{
	__u32 *pid = bpf_ringbuf_reserve(&rb, sizeof(*pid), 0);

	if (!pid) {
		__u32 zero = 0;
		__u64 *d = bpf_map_lookup_elem(&drops, &zero);

		if (d)
			(*d)++;
		return 0;
	}
	*pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(pid, W4_SUBMIT_FLAGS);
	return 0;
}
