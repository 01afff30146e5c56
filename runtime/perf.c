// SPDX-License-Identifier: GPL-2.0
/*
 * perf.type(T).config(C).sample(N) / .hz(N): one perf event per online
 * CPU, counting system-wide, the program attached to each. Software
 * events (PERF_TYPE_SOFTWARE) always exist; hardware counters need a PMU
 * that virtual machines often lack, which gets a message of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"

static int rt_perf_open(struct rt_session *s, int i, int cpu)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	struct perf_event_attr attr = {
		.type = a->perf_type,
		.size = sizeof(attr),
		.config = a->perf_config,
	};
	struct bpf_link *link;
	int fd, err;

	if (a->hz) {
		attr.freq = 1;
		attr.sample_freq = a->hz;
	} else {
		attr.sample_period = a->perf_sample;
	}
	fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	link = bpf_program__attach_perf_event(s->bprogs[i], fd);
	if (!link) {
		err = -errno;
		close(fd);
		return err;
	}
	return rt_link_add(s, link);
}

int rt_attach_perf(struct rt_session *s, int i)
{
	int *cpus = NULL;
	int n, k, err = 0;

	n = rt_online_cpus(&cpus);
	if (n <= 0) {
		free(cpus);
		return -ENODEV;
	}
	for (k = 0; k < n && !err; k++)
		err = rt_perf_open(s, i, cpus[k]);
	free(cpus);
	return err;
}

/* Why a perf event could not be opened, when strerror would mislead. */
const char *rt_perf_strerror(const struct bt_attach *a, int err)
{
	bool hw = a->perf_type == PERF_TYPE_HARDWARE ||
		  a->perf_type == PERF_TYPE_HW_CACHE ||
		  a->perf_type == PERF_TYPE_RAW;

	if (hw && (err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV))
		return "no hardware performance counters here (no PMU for "
		       "this event)";
	if (err == -ENOENT || err == -EINVAL)
		return "this kernel has no such perf event";
	return NULL;
}
