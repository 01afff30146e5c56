// SPDX-License-Identifier: GPL-2.0
/*
 * tpdriver: workloads with known tracepoint fields, for the tracepoint
 * tests. Each runs its syscalls directly (syscall(2)), never through a
 * libc call that could cache or batch them.
 *
 *   tpdriver read N SIZE    N reads of SIZE bytes from /dev/zero
 *   tpdriver badread        one read(-1, buf, 5): returns -EBADF (-9); the
 *                           fd is passed as a long, so the register (and
 *                           the 8-byte tracepoint field) holds all ones
 *   tpdriver getpids N M    N getpid(), M getppid(), one getpgid(0)
 *   tpdriver exec PATH      execs PATH (no arguments)
 *   tpdriver oom ADJ        writes ADJ to /proc/self/oom_score_adj, then
 *                           forks a child that exits at once
 *   tpdriver tkill          sends itself SIGUSR1 with tgkill (si_code
 *                           SI_TKILL, -6) and handles it
 *   tpdriver sleep MS       sleeps MS milliseconds
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int tp_read(long n, long size)
{
	char *buf = malloc(size);
	int fd = open("/dev/zero", O_RDONLY);

	if (!buf || fd < 0)
		return 1;
	for (long i = 0; i < n; i++)
		if (syscall(SYS_read, fd, buf, size) != size)
			return 1;
	close(fd);
	free(buf);
	return 0;
}

static int tp_badread(void)
{
	char buf[5];

	return syscall(SYS_read, -1L, buf, sizeof(buf)) == -1 ? 0 : 1;
}

static int tp_getpids(long n, long m)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	for (long i = 0; i < m; i++)
		syscall(SYS_getppid);
	syscall(SYS_getpgid, 0L);
	return 0;
}

static int tp_oom(const char *adj)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	pid_t child;

	if (fd < 0 || write(fd, adj, strlen(adj)) != (ssize_t)strlen(adj))
		return 1;
	close(fd);
	child = fork();
	if (child < 0)
		return 1;
	if (!child)
		_exit(0);
	return waitpid(child, NULL, 0) == child ? 0 : 1;
}

static volatile sig_atomic_t tp_got;

static void tp_handler(int sig)
{
	tp_got = sig;
}

static int tp_tkill(void)
{
	signal(SIGUSR1, tp_handler);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	return tp_got == SIGUSR1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 0;
	long b = argc > 3 ? atol(argv[3]) : 0;

	if (!strcmp(w, "read") && argc == 4)
		return tp_read(a, b);
	if (!strcmp(w, "badread"))
		return tp_badread();
	if (!strcmp(w, "getpids") && argc == 4)
		return tp_getpids(a, b);
	if (!strcmp(w, "exec") && argc == 3) {
		execl(argv[2], argv[2], (char *)NULL);
		return 1;
	}
	if (!strcmp(w, "oom") && argc == 3)
		return tp_oom(argv[2]);
	if (!strcmp(w, "tkill"))
		return tp_tkill();
	if (!strcmp(w, "sleep") && argc == 3) {
		struct timespec ts = { a / 1000, (a % 1000) * 1000000L };

		return nanosleep(&ts, NULL) ? 1 : 0;
	}
	fprintf(stderr, "usage: tpdriver read N SIZE | badread | getpids N M "
		"| exec PATH | oom ADJ | tkill | sleep MS\n");
	return 2;
}
