// SPDX-License-Identifier: GPL-2.0
/*
 * twocpus N: two children, pinned to CPU 0 and CPU 1 and running as uid
 * 4242, each make N getpid(2) calls at the
 * same time. Used to check that aggregates and counters stay exact under
 * concurrent updates from several CPUs.
 *
 * twocpus -t SECONDS FILE: the same for SECONDS seconds; each child then
 * appends "CPU CALLS" to FILE, the number of getpid calls it made.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Calls until secs have passed; checks the clock every 1024 calls. */
static long run_for(double secs)
{
	double end = now() + secs;
	long n = 0;

	do {
		for (int i = 0; i < 1024; i++)
			syscall(SYS_getpid);
		n += 1024;
	} while (now() < end);
	return n;
}

static void report(const char *file, int cpu, long n)
{
	char line[64];
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
	int len = snprintf(line, sizeof(line), "%d %ld\n", cpu, n);

	if (fd < 0 || write(fd, line, len) != len)
		_exit(1);
	close(fd);
}

static void child(int cpu, long n, double secs, const char *file, int go)
{
	cpu_set_t set;
	char c;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || setuid(4242))
		_exit(1);
	if (read(go, &c, 1) != 1)	/* start together */
		_exit(1);
	if (file) {
		report(file, cpu, run_for(secs));
		_exit(0);
	}
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	_exit(0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	const char *file = NULL;
	double secs = 0;
	int fds[2], status, rc = 0;

	if (argc == 4 && !strcmp(argv[1], "-t")) {
		secs = atof(argv[2]);
		file = argv[3];
	}
	if (pipe(fds))
		return 1;
	for (int cpu = 0; cpu < 2; cpu++)
		if (fork() == 0)
			child(cpu, n, secs, file, fds[0]);
	close(fds[0]);
	if (write(fds[1], "go", 2) != 2)
		rc = 1;
	close(fds[1]);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;
}
