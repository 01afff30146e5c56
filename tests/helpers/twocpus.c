// SPDX-License-Identifier: GPL-2.0
/*
 * twocpus N: two children, pinned to CPU 0 and CPU 1 and running as uid
 * 4242, each make N getpid(2) calls at the
 * same time. Used to check that aggregates and counters stay exact under
 * concurrent updates from several CPUs.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int cpu, long n, int go)
{
	cpu_set_t set;
	char c;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || setuid(4242))
		_exit(1);
	if (read(go, &c, 1) != 1)	/* start together */
		_exit(1);
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	_exit(0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int fds[2], status, rc = 0;

	if (pipe(fds))
		return 1;
	for (int cpu = 0; cpu < 2; cpu++)
		if (fork() == 0)
			child(cpu, n, fds[0]);
	close(fds[0]);
	if (write(fds[1], "go", 2) != 2)
		rc = 1;
	close(fds[1]);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;
}
