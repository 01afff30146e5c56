// SPDX-License-Identifier: GPL-2.0
/*
 * A workload with known syscalls for the syscall alias tests: N
 * getppid() calls (argv[1], default 3), then one read of 7 bytes from
 * /dev/zero (a count nothing else in the process uses).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3, fd;
	char buf[7];

	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);	/* not a libc call: never cached */
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf))
		return 1;
	close(fd);
	return 0;
}
