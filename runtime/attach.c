// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching: one hook per probe type. begin, end and error are not
 * attached at all; run.c runs them with BPF_PROG_RUN. Every link made
 * is kept in s->links, and perf event fds belong to their link (a
 * tracepoint's also has a duplicate in s->keep), so rt_detach_all
 * releases everything on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <zlib.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"

#define RT_TRACEFS		"/sys/kernel/tracing"
#define RT_TRACEFS_MAGIC	0x74726163
#define RT_DEFAULT_HZ		250

struct rt_hook {
	const char *name;		/* for messages */
	bool run;			/* run by the runtime, not attached */
	int (*attach)(struct rt_session *s, int i);
};

static int rt_attach_timer(struct rt_session *s, int i);
static int rt_attach_profile(struct rt_session *s, int i);
static int rt_attach_tracepoint(struct rt_session *s, int i);
static int rt_attach_raw_tracepoint(struct rt_session *s, int i);

/* A NULL attach (and !run) means: not supported yet. */
static const struct rt_hook rt_hooks[] = {
	[PT_BEGIN] = { "begin", true, NULL },
	[PT_END] = { "end", true, NULL },
	[PT_ERROR] = { "error", true, NULL },
	[PT_TIMER] = { "timer", false, rt_attach_timer },
	[PT_TIMER_PROFILE] = { "timer.profile", false, rt_attach_profile },
	[PT_TRACEPOINT] = { "kernel.trace", false, rt_attach_tracepoint },
	[PT_RAW_TRACEPOINT] = { "kernel.trace", false,
				rt_attach_raw_tracepoint },
	[PT_PERF] = { "perf", false, rt_attach_perf },
	[PT_KPROBE] = { "kernel.function", false, rt_attach_kprobe },
	[PT_KRETPROBE] = { "kernel.function.return", false, rt_attach_kprobe },
	[PT_UPROBE] = { "process.function", false, rt_attach_uprobe },
	[PT_URETPROBE] = { "process.function.return", false,
			   rt_attach_uprobe },
};

static const struct rt_hook *rt_hook(enum bt_probe_type t)
{
	if ((unsigned int)t >= sizeof(rt_hooks) / sizeof(rt_hooks[0]) ||
	    !rt_hooks[t].name)
		return NULL;
	return &rt_hooks[t];
}

bool rt_probe_is_run(enum bt_probe_type t)
{
	const struct rt_hook *h = rt_hook(t);

	return h && h->run;
}

static bool rt_hook_supported(enum bt_probe_type t)
{
	const struct rt_hook *h = rt_hook(t);

	return h && (h->run || h->attach);
}

static const char *rt_pp(const struct bt_objprog *p)
{
	return p->attach.pp ? p->attach.pp : p->name;
}

/*
 * A kprobe on a kernel that cannot have any: said in one line before
 * anything is loaded or started (an optional point is left out).
 */
static bool rt_kprobe_impossible(struct rt_session *s,
				 const struct bt_objprog *p)
{
	if ((p->attach.type != PT_KPROBE && p->attach.type != PT_KRETPROBE) ||
	    rt_kprobes_available())
		return false;
	if (p->attach.optional) {
		if (s->opt->verbose)
			fprintf(stderr, "bpftap: skipping optional probe "
				"point %s: this kernel has no kprobes\n",
				rt_pp(p));
		return false;
	}
	rt_error("cannot attach %s: this kernel has no kprobes "
		 "(CONFIG_KPROBES)", rt_pp(p));
	return true;
}

/*
 * Before anything is started: every probe must be one we can attach,
 * unless it is optional ('?'), in which case it is left out.
 */
int rt_attach_check(struct rt_session *s)
{
	int i;

	for (i = 0; i < s->obj->nprogs; i++) {
		const struct bt_objprog *p = &s->obj->progs[i];

		if (!p->subprog && rt_kprobe_impossible(s, p))
			return -1;
		if (p->subprog || rt_hook_supported(p->attach.type))
			continue;
		if (p->attach.optional) {
			if (s->opt->verbose)
				fprintf(stderr, "bpftap: skipping optional "
					"probe point %s: not supported yet\n",
					rt_pp(p));
			continue;
		}
		rt_error("probe point %s: not supported yet", rt_pp(p));
		return -1;
	}
	return 0;
}

int rt_link_add(struct rt_session *s, struct bpf_link *link)
{
	if (s->nlinks == s->caplinks) {
		int cap = s->caplinks ? 2 * s->caplinks : 16;
		struct bpf_link **l = realloc(s->links, cap * sizeof(*l));

		if (!l) {
			bpf_link__destroy(link);
			return -ENOMEM;
		}
		s->links = l;
		s->caplinks = cap;
	}
	s->links[s->nlinks++] = link;
	return 0;
}

/* The online CPUs, from "0-3,5" in sysfs. Returns the count, or -1. */
int rt_online_cpus(int **cpus)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int n = 0, cap = 0, a, b;
	int *v = NULL;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = 0;
		}
		for (; a <= b; a++) {
			if (n == cap) {
				int *w = realloc(v, (cap = cap ? 2 * cap : 8) *
						 sizeof(*v));

				if (!w) {
					free(v);
					fclose(f);
					return -1;
				}
				v = w;
			}
			v[n++] = a;
		}
		if (sep != ',')
			break;
	}
	fclose(f);
	*cpus = v;
	return n;
}

/* The kernel's tick rate, CONFIG_HZ, from /proc/config.gz when present. */
static unsigned long rt_kernel_hz(void)
{
	gzFile f = gzopen("/proc/config.gz", "r");
	unsigned long hz = RT_DEFAULT_HZ;
	char line[256];

	if (!f)
		return hz;
	while (gzgets(f, line, sizeof(line)))
		if (!strncmp(line, "CONFIG_HZ=", 10)) {
			hz = strtoul(line + 10, NULL, 10);
			break;
		}
	gzclose(f);
	return hz ? hz : RT_DEFAULT_HZ;
}

/*
 * A cpu-clock software event on one CPU firing every period_ns, and the
 * program attached to it. cpu-clock is an hrtimer, so it fires on an idle
 * CPU too, which is what a timer probe means.
 */
static int rt_attach_cpu_clock(struct rt_session *s, int i, int cpu,
			       uint64_t period_ns)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = period_ns,
	};
	struct bpf_link *link;
	int fd, err;

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

/*
 * timer.hz(N) becomes a period of 1e9/N ns rather than a perf frequency:
 * the kernel turns a cpu-clock frequency into that very period anyway,
 * and a period is not capped by perf_event_max_sample_rate.
 */
static int rt_attach_timer(struct rt_session *s, int i)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	uint64_t period = a->hz ? 1000000000ULL / a->hz : a->period_ns;
	int *cpus = NULL;
	int n, err;

	if (!period)
		return -EINVAL;
	/* One CPU: the first online one (cpu 0 unless it is offline). */
	n = rt_online_cpus(&cpus);
	err = rt_attach_cpu_clock(s, i, n > 0 ? cpus[0] : 0, period);
	free(cpus);
	return err;
}

static int rt_attach_profile(struct rt_session *s, int i)
{
	uint64_t period = 1000000000ULL / rt_kernel_hz();
	int *cpus = NULL;
	int n, k, err = 0;

	n = rt_online_cpus(&cpus);
	if (n <= 0) {
		free(cpus);
		return -ENODEV;
	}
	for (k = 0; k < n && !err; k++)
		err = rt_attach_cpu_clock(s, i, cpus[k], period);
	free(cpus);
	return err;
}

/* libbpf finds tracepoint ids in tracefs: mount it where it belongs. */
static int rt_tracefs_ensure(void)
{
	struct statfs st;

	if (!statfs(RT_TRACEFS, &st) && st.f_type == RT_TRACEFS_MAGIC)
		return 0;
	if (mount("nodev", RT_TRACEFS, "tracefs", 0, NULL)) {
		int err = -errno;

		rt_error("cannot mount tracefs at %s: %s", RT_TRACEFS,
			 strerror(errno));
		return err;
	}
	return 0;
}

/* The tracepoint's perf id, from tracefs; negative errno if none. */
static int rt_tracepoint_id(const char *sys, const char *ev)
{
	char path[512];
	FILE *f;
	int id = -ENOENT;

	snprintf(path, sizeof(path), RT_TRACEFS "/events/%s/%s/id", sys, ev);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &id) != 1)
		id = -EINVAL;
	fclose(f);
	return id;
}

static int rt_keep_add(struct rt_session *s, int fd)
{
	if (s->nkeep == s->capkeep) {
		int cap = s->capkeep ? 2 * s->capkeep : 16;
		int *k = realloc(s->keep, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		s->keep = k;
		s->capkeep = cap;
	}
	s->keep[s->nkeep++] = fd;
	return 0;
}

/*
 * The perf event is opened here rather than by libbpf, so that a
 * duplicate of its fd outlives the link: detaching then only disables
 * the event and drops the program, and the slow close of the last
 * reference to a tracepoint's event is left to closer.c.
 */
static int rt_attach_tracepoint(struct rt_session *s, int i)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
		.wakeup_events = 1,
	};
	struct bpf_link *link;
	int err = rt_tracefs_ensure(), fd, keep, id;

	if (err)
		return err;
	if (!a->tp_system || !a->tp_event)
		return -EINVAL;
	id = rt_tracepoint_id(a->tp_system, a->tp_event);
	if (id < 0)
		return id;
	attr.config = id;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	keep = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (keep < 0 || (err = rt_keep_add(s, keep))) {
		err = keep < 0 ? -errno : err;
		if (keep >= 0)
			close(keep);
		close(fd);
		return err;
	}
	link = bpf_program__attach_perf_event(s->bprogs[i], fd);
	if (!link) {
		err = -errno;
		close(fd);
		return err;	/* keep is closed with the others */
	}
	return rt_link_add(s, link);
}

/* A probe that reads the tracepoint's arguments: attached by event name
 * (raw tracepoints have no system). */
static int rt_attach_raw_tracepoint(struct rt_session *s, int i)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	struct bpf_link *link;

	if (!a->tp_event)
		return -EINVAL;
	link = bpf_program__attach_raw_tracepoint(s->bprogs[i], a->tp_event);
	if (!link)
		return -errno;
	return rt_link_add(s, link);
}

static const char *rt_attach_strerror(const struct bt_objprog *p, int err)
{
	const char *why = NULL;

	if (p->attach.type == PT_PERF)
		why = rt_perf_strerror(&p->attach, err);
	return why ? why : strerror(-err);
}

int rt_attach_all(struct rt_session *s)
{
	int i, err;

	for (i = 0; i < s->obj->nprogs; i++) {
		const struct bt_objprog *p = &s->obj->progs[i];
		const struct rt_hook *h = rt_hook(p->attach.type);

		if (!h || h->run || !h->attach)
			continue;	/* run later, or optional: left out */
		err = h->attach(s, i);
		if (!err)
			continue;
		if (p->attach.optional) {
			if (s->opt->verbose)
				fprintf(stderr, "bpftap: skipping optional "
					"probe point %s: %s\n", rt_pp(p),
					strerror(-err));
			continue;
		}
		rt_error("cannot attach probe %s at %s: %s", rt_pp(p),
			 rt_loc_str(s, &p->loc), rt_attach_strerror(p, err));
		return -1;
	}
	return 0;
}

/*
 * Programs are detached (links destroyed by a pool of threads), then
 * the tracepoints' perf events disabled and left to closer.c, so no
 * probe runs once this returns and nothing waits for the kernel's
 * one-at-a-time freeing of tracepoints.
 */
void rt_detach_all(struct rt_session *s)
{
	int i;

	rt_links_destroy(s->links, s->nlinks);
	for (i = 0; i < s->nkeep; i++)
		ioctl(s->keep[i], PERF_EVENT_IOC_DISABLE, 0);
	free(s->links);
	s->links = NULL;
	s->nlinks = 0;
	s->caplinks = 0;
	rt_close_later(s->keep, s->nkeep);
	free(s->keep);
	s->keep = NULL;
	s->nkeep = 0;
	s->capkeep = 0;
	rt_uprobe_cleanup();
}
