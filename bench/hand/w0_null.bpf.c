// SPDX-License-Identifier: GPL-2.0
/* W0: an empty probe, the floor every tool pays (dispatch, bpf_stats). */
#include "hand.h"

SEC("tracepoint/syscalls/sys_enter_getpid")
int w0_null(struct getpid_args *ctx)
{
	return 0;
}
