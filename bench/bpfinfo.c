// SPDX-License-Identifier: GPL-2.0
/* What the kernel knows about a program: bpf_stats and its size. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "bench.h"

#define BPF_STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

/* run_time_ns and run_cnt are only counted while this is 1. We turn it
 * on and leave it so: other sessions may rely on it too. */
int bpf_stats_on(void)
{
	FILE *f = fopen(BPF_STATS_SYSCTL, "r+");
	int v = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) == 1 && v == 1) {
		fclose(f);
		return 0;
	}
	rewind(f);
	fputs("1\n", f);
	return fclose(f) ? -1 : 0;
}

static int prog_info(uint32_t id, struct bpf_prog_info *info)
{
	uint32_t len = sizeof(*info);
	int fd = bpf_prog_get_fd_by_id(id), err;

	if (fd < 0)
		return -errno;
	memset(info, 0, sizeof(*info));
	err = bpf_obj_get_info_by_fd(fd, info, &len);
	close(fd);
	return err;
}

/* Sums over the programs (a tool may attach several to one event). */
int progstat_get(const uint32_t *ids, int n, struct progstat *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info;

		if (prog_info(ids[i], &info))
			return -1;
		s->run_cnt += info.run_cnt;
		s->run_time_ns += info.run_time_ns;
		s->xlated_insns += info.xlated_prog_len / 8;
		s->jited_bytes += info.jited_prog_len;
	}
	return 0;
}

bool prog_exists(uint32_t id)
{
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
