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
 *   tpdriver clocks MS      read(-1, NULL, X) with X the CLOCK_REALTIME
 *                           then the CLOCK_MONOTONIC time in ns, sleeps MS
 *                           milliseconds, then X = CLOCK_MONOTONIC again
 *   tpdriver cpus           on CPU 0 then CPU 1: read(-1, NULL, 1000 + cpu)
 *   tpdriver thread         gettid() in the main thread and in a second
 *                           thread, which then exits (before the process)
 *   tpdriver tcp            read(-1, NULL, PORT), then a TCP connection
 *                           to PORT, a listening socket on 127.0.0.1
 *   tpdriver narrow TEXT    write(2) with all 64 bits of fd and count
 *                           chosen (EBADF), buf = TEXT, after
 *                           read(-1, NULL, TEXT's address)
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

/* A read that fails (EBADF) and carries x in its count argument. */
static void tp_mark(long x)
{
	syscall(SYS_read, -1L, NULL, x);
}

static long tp_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int tp_clocks(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	tp_mark(tp_ns(CLOCK_REALTIME));
	tp_mark(tp_ns(CLOCK_MONOTONIC));
	if (nanosleep(&ts, NULL))
		return 1;
	tp_mark(tp_ns(CLOCK_MONOTONIC));
	return 0;
}

static int tp_cpus(void)
{
	cpu_set_t set;

	for (int cpu = 0; cpu < 2; cpu++) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return 1;
		tp_mark(1000 + cpu);
	}
	return 0;
}

static void *tp_thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_gettid);
	return NULL;
}

static int tp_thread(void)
{
	pthread_t t;

	syscall(SYS_gettid);
	if (pthread_create(&t, NULL, tp_thread_main, NULL))
		return 1;
	return pthread_join(t, NULL) ? 1 : 0;
}

static int tp_tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &len))
		return 1;
	tp_mark(ntohs(a.sin_port));
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	s = accept(l, NULL, NULL);
	if (s < 0)
		return 1;
	close(c);
	close(s);
	close(l);
	return 0;
}

/* The bytes of fd and count are what tests/e2e/tp_narrow.stp reads
 * through its fake format file. */
static int tp_narrow(const char *text)
{
	tp_mark((long)text);
	return syscall(SYS_write, (long)0xff7f8001fff9fe80UL, text,
		       (long)0xfffffff0fffe1dc0UL) == -1 ? 0 : 1;
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
	if (!strcmp(w, "clocks") && argc == 3)
		return tp_clocks(a);
	if (!strcmp(w, "cpus"))
		return tp_cpus();
	if (!strcmp(w, "thread"))
		return tp_thread();
	if (!strcmp(w, "tcp"))
		return tp_tcp();
	if (!strcmp(w, "narrow") && argc == 3)
		return tp_narrow(argv[2]);
	fprintf(stderr, "usage: tpdriver read N SIZE | badread | getpids N M "
		"| exec PATH | oom ADJ | tkill | sleep MS | clocks MS | cpus "
		"| thread | tcp | narrow TEXT\n");
	return 2;
}
