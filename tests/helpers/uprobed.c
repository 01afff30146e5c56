// SPDX-License-Identifier: GPL-2.0
/*
 * uprobed: a workload for the uprobe tests, with functions whose
 * arguments and results a script can predict.
 *   uprobed calls N    N rounds of: add(i, 1000 - i) (returns 1000),
 *                      neg(-i) (an int argument below zero), greet("hello"),
 *                      many(1, ..., 8) (two arguments on the stack),
 *                      wild_a(i), wild_b(i) (for wildcards),
 *                      bytes(uprobed_pattern) (16 bytes with high bits
 *                      set, for the signed and unsigned user_* reads),
 *                      strverscmp("a9", "a10") (a function of the shared
 *                      libc that libc itself does not call)
 *   uprobed fifo PATH N  waits for a byte on the FIFO PATH (the test's
 *                      go, once its probes are attached), then calls N
 *   uprobed exit N     exits with status N
 *   uprobed kill       is killed by SIGKILL
 * The functions are global, never inlined nor cloned, so their symbols
 * exist and are called with the values written here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strverscmp */
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBED __attribute__((noinline, noclone, used))
#define BARRIER() __asm__ volatile("" ::: "memory")

PROBED long add(long a, long b)
{
	BARRIER();
	return a + b;
}

PROBED int neg(int x)
{
	BARRIER();
	return x;
}

PROBED size_t greet(const char *s)
{
	BARRIER();
	return strlen(s);
}

PROBED long many(long a1, long a2, long a3, long a4, long a5, long a6,
		 long a7, long a8)
{
	BARRIER();
	return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
}

PROBED int wild_a(int i)
{
	BARRIER();
	return i;
}

PROBED int wild_b(int i)
{
	BARRIER();
	return -i;
}

PROBED long bytes(const unsigned char *p)
{
	BARRIER();
	return p[0];
}

const unsigned char uprobed_pattern[16] = {
	0xff, 0xfe, 0x80, 0x7f, 0x00, 0x80, 0xff, 0xff,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88,
};

static void calls(long n)
{
	volatile long sink = 0;

	for (long i = 0; i < n; i++) {
		sink += add(i, 1000 - i);
		sink += neg((int)-i);
		sink += greet("hello");
		sink += many(1, 2, 3, 4, 5, 6, 7, 8);
		sink += wild_a((int)i) + wild_b((int)i);
		sink += bytes(uprobed_pattern);
		sink += strverscmp("a9", "a10");
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "calls")) {
		calls(atol(argv[2]));
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "fifo")) {
		int fd = open(argv[2], O_RDONLY);
		char c;

		if (fd < 0 || read(fd, &c, 1) != 1)
			return 1;
		close(fd);
		calls(atol(argv[3]));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "kill")) {
		raise(SIGKILL);
		return 0;
	}
	fprintf(stderr, "usage: uprobed calls N | fifo PATH N | exit N | kill\n");
	return 2;
}
