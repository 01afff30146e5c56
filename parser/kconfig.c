// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's configuration for CONFIG_x conditionals, from
 * /proc/config.gz (CONFIG_IKCONFIG_PROC). Kept apart from preproc.c so
 * that only programs which register it (bpftap) link zlib.
 */
#include <stdlib.h>
#include <zlib.h>
#include "parse.h"

#define KCONFIG_MAX	(16 << 20)

char *kconfig_read_proc(size_t *len)
{
	gzFile f = gzopen("/proc/config.gz", "rb");
	size_t cap = 0, n = 0;
	char *buf = NULL, *nb;
	int got;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= KCONFIG_MAX)
				break;
			cap = cap ? cap * 2 : 256 * 1024;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		got = gzread(f, buf + n, (unsigned)(cap - n - 1));
		if (got <= 0)
			break;
		n += got;
	}
	gzclose(f);
	if (!buf)
		return NULL;
	buf[n] = 0;
	*len = n;
	return buf;
}
