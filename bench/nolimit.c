// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the peer tools: this machine has no
 * CAP_SYS_RESOURCE, and stap and bpftrace give up when raising
 * RLIMIT_MEMLOCK fails (the kernel accounts BPF memory by cgroup, the
 * limit is not needed). Every setrlimit "succeeds".
 */
#define _GNU_SOURCE
#include <sys/resource.h>

int setrlimit(__rlimit_resource_t r, const struct rlimit *l)
{
	return 0;
}

int setrlimit64(__rlimit_resource_t r, const struct rlimit64 *l)
{
	return 0;
}
