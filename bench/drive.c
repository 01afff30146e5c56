// SPDX-License-Identifier: GPL-2.0
/*
 * The workload: N syscalls made by a fresh child process pinned to one
 * CPU, so the pid the probes see made exactly those calls, and named
 * "bpftap-drv" so string-keyed counts can be checked. The child times
 * its own loop and sends the result back through a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "bench.h"

#define DRIVE_COMM "bpftap-drv"

static void drive_pin(int cpu)
{
	cpu_set_t set;

	prctl(PR_SET_NAME, DRIVE_COMM);
	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Spin until CLOCK_MONOTONIC reaches t (vDSO: no syscall). */
static void drive_until(uint64_t t)
{
	while (now_ns() < t)
		;
}

static void drive_loop(enum drive_mode mode, long n, long rate,
		       struct drive_result *r)
{
	char buf[64];
	int fd = mode == DRIVE_READ ? open("/dev/zero", O_RDONLY) : -1;
	uint64_t t0, gap = rate > 0 ? 1000000000ull / rate : 0;

	r->pid = syscall(SYS_gettid);	/* not getpid: it is traced */
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (gap)
			drive_until(t0 + i * gap);
		if (mode == DRIVE_READ) {
			size_t len = i % 64 + 1;

			if (read(fd, buf, len) == (ssize_t)len)
				r->sum += len;
		} else {
			syscall(SYS_getpid);
		}
	}
	r->wall_ns = now_ns() - t0;
	if (fd >= 0)
		close(fd);
}

/* Lines of `file` that end in "pid=PID" (the tool's output for us). */
static int drive_lines(const char *file, const char *tag)
{
	static char buf[1 << 16];
	int fd = open(file, O_RDONLY), n = 0;
	ssize_t len;

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	for (char *p = buf; (p = strstr(p, tag)); p += strlen(tag))
		n++;
	return n;
}

static void drive_rare_loop(int n, int gap_ms, const char *file,
			    struct drive_result *r)
{
	char tag[32];

	r->pid = syscall(SYS_gettid);	/* not getpid: it is traced */
	snprintf(tag, sizeof(tag), "pid=%d\n", (int)r->pid);
	for (int i = 0; i < n && i < 64; i++) {
		struct timespec gap = { gap_ms / 1000,
					(gap_ms % 1000) * 1000000L };
		uint64_t t0 = now_ns(), limit = t0 + 1000000000ull;

		syscall(SYS_getpid);
		while (drive_lines(file, tag) <= i && now_ns() < limit)
			;
		r->lat_ms[r->nlat++] = (now_ns() - t0) / 1e6;
		nanosleep(&gap, NULL);
	}
}

/* Fork, run `body` in the child, bring back its result. */
static int drive_child(int cpu, enum drive_mode mode, long n, long rate,
		       int gap_ms, const char *file, struct drive_result *r)
{
	int pfd[2], st;
	pid_t pid;
	ssize_t got;

	memset(r, 0, sizeof(*r));
	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct drive_result res = { 0 };

		close(pfd[0]);
		drive_pin(cpu);
		if (file)
			drive_rare_loop(n, gap_ms, file, &res);
		else
			drive_loop(mode, n, rate, &res);
		_exit(write(pfd[1], &res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(pfd[1]);
	got = read(pfd[0], r, sizeof(*r));
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return got == sizeof(*r) && WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

int drive(enum drive_mode mode, long n, long rate, int cpu,
	  struct drive_result *r)
{
	return drive_child(cpu, mode, n, rate, 0, NULL, r);
}

int drive_rare(int n, int gap_ms, int cpu, const char *file,
	       struct drive_result *r)
{
	return drive_child(cpu, DRIVE_GETPID, n, 0, gap_ms, file, r);
}
