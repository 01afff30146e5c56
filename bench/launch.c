// SPDX-License-Identifier: GPL-2.0
/*
 * Tools under test run in a session of their own (setsid), so every
 * process they start can be found and stopped. "Attached" means: some
 * process of the session holds a perf event or link fd that
 * BPF_TASK_FD_QUERY reports as a program on the tracepoint. The main
 * process is looked at every poll; for a tool whose probes live in a
 * child (stap's stapbpf), the rest of the session is found by a slower
 * scan of /proc. Polling costs the machine as little as it can: on two
 * CPUs it competes with the tool it times.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "bench.h"

#define POLL_US		250	/* attach polling */
#define RESCAN_MS	10	/* the whole session, not just its leader */
#define MAX_MEMBERS	64

static void child_setup(const struct tool *t, const char *out,
			const char *err, const char *cwd)
{
	int in = open("/dev/null", O_RDONLY);
	int o = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	int e = err ? open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;

	setsid();
	if (in >= 0)
		dup2(in, 0);
	if (o >= 0)
		dup2(o, 1);
	if (e >= 0)
		dup2(e, 2);
	for (int i = 0; t && t->env[i]; i++)
		putenv((char *)t->env[i]);
	if (cwd && chdir(cwd))
		_exit(126);
}

int proc_start(struct proc *p, const struct tool *t, char *const *argv,
	       const char *out, const char *err, const char *cwd)
{
	memset(p, 0, sizeof(*p));
	p->pidfd = -1;
	p->children = t && t->children;
	p->t_start = now_ns();
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		child_setup(t, out, err, cwd);
		execvp(argv[0], argv);
		_exit(127);
	}
	p->pidfd = syscall(SYS_pidfd_open, p->pid, 0);
	return 0;
}

/* The session's processes other than its leader (stap's children). */
static int session_members(pid_t sid, pid_t *m, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		char path[64], buf[512], *rp;
		pid_t pid = atoi(de->d_name);
		int fd, len, s;

		if (pid <= 0 || pid == sid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = 0;
		rp = strrchr(buf, ')');
		/* ") S ppid pgrp session" */
		if (rp && sscanf(rp + 2, "%*c %*d %*d %d", &s) == 1 && s == sid)
			m[n++] = pid;
	}
	closedir(d);
	return n;
}

static bool add_id(uint32_t *ids, int *n, int max, uint32_t id)
{
	for (int i = 0; i < *n; i++)
		if (ids[i] == id)
			return false;
	if (*n < max)
		ids[(*n)++] = id;
	return true;
}

/* Attachments of process pid to `event`; new program ids go to ids. */
static int pid_attached(pid_t pid, const char *event, uint32_t *ids,
			int *nids, int max)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char buf[256];
		uint32_t len = sizeof(buf), prog_id, fd_type;
		__u64 off, addr;
		int fd = atoi(de->d_name);

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (bpf_task_fd_query(pid, fd, 0, buf, &len, &prog_id,
				      &fd_type, &off, &addr))
			continue;
		if (fd_type != BPF_FD_TYPE_TRACEPOINT &&
		    fd_type != BPF_FD_TYPE_RAW_TRACEPOINT)
			continue;
		if (event && strcmp(buf, event))
			continue;
		n++;
		add_id(ids, nids, max, prog_id);
	}
	closedir(d);
	return n;
}

static bool proc_exited(struct proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	if (p->pidfd >= 0)
		return poll(&pfd, 1, 0) > 0;
	return kill(p->pid, 0) && errno == ESRCH;
}

int proc_wait_attached(struct proc *p, const char *event, int nprogs,
		       int timeout_ms, uint32_t *ids, double *ms)
{
	uint64_t limit = p->t_start + timeout_ms * 1000000ull, rescan = 0;
	pid_t m[MAX_MEMBERS];
	int nm = 0;

	for (;;) {
		struct timespec ts = { 0, POLL_US * 1000 };
		int nids = 0;
		uint64_t t = now_ns();

		if (p->children && t >= rescan) {
			nm = session_members(p->pid, m, MAX_MEMBERS);
			rescan = t + RESCAN_MS * 1000000ull;
		}
		pid_attached(p->pid, event, ids, &nids, BENCH_MAX_PROGS);
		for (int i = 0; i < nm; i++)
			pid_attached(m[i], event, ids, &nids, BENCH_MAX_PROGS);
		if (nids >= nprogs) {
			*ms = (now_ns() - p->t_start) / 1e6;
			return nids;
		}
		if (proc_exited(p) || now_ns() > limit)
			return -1;
		nanosleep(&ts, NULL);
	}
}

/* Up to ms for the leader to end. */
static bool proc_wait_exit(struct proc *p, int ms)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	uint64_t limit = now_ns() + ms * 1000000ull;

	while (now_ns() < limit) {
		int left = (limit - now_ns()) / 1000000 + 1;

		if (p->pidfd < 0) {
			struct timespec ts = { 0, 1000000 };

			if (proc_exited(p))
				return true;
			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&pfd, 1, left) > 0)
			return true;
	}
	return false;
}

static void proc_reap(struct proc *p)
{
	if (p->reaped)
		return;
	while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR)
		;
	p->reaped = true;
	/* what the tool left behind in its session */
	kill(-p->pid, SIGKILL);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

/*
 * Like `kill -INT tool`: the leader only (stap forwards to stapbpf).
 * After 30 s the whole session gets it again, after 35 s SIGKILL.
 * Returns 0 for a clean exit (status 0), 1 otherwise.
 */
int proc_stop(struct proc *p, int sig, double *ms)
{
	uint64_t t0 = now_ns();
	int esc = 0;

	kill(p->pid, sig);
	if (!proc_wait_exit(p, 30000)) {
		esc = 1;
		kill(-p->pid, sig);
		if (!proc_wait_exit(p, 5000)) {
			esc = 2;
			kill(-p->pid, SIGKILL);
		}
	}
	proc_reap(p);
	*ms = (now_ns() - t0) / 1e6;
	return esc || !WIFEXITED(p->status) || WEXITSTATUS(p->status);
}

int proc_wait(struct proc *p, int timeout_ms, double *ms)
{
	bool done = proc_wait_exit(p, timeout_ms);

	if (!done)
		kill(-p->pid, SIGKILL);
	proc_reap(p);
	*ms = (now_ns() - p->t_start) / 1e6;
	return !done || !WIFEXITED(p->status) || WEXITSTATUS(p->status);
}

void proc_kill(struct proc *p)
{
	if (p->pid > 0 && !p->reaped) {
		kill(-p->pid, SIGKILL);
		proc_reap(p);
	}
}

int run_cmd(const struct tool *t, char *const *argv, const char *cwd,
	    const char *out, double *wall_ms, double *cpu_ms, long *rss_kb)
{
	struct rusage ru;
	uint64_t t0 = now_ns();
	int st = -1;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_setup(t, out, out, cwd);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	*wall_ms = (now_ns() - t0) / 1e6;
	*cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
		  ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
