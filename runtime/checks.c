// SPDX-License-Identifier: GPL-2.0
/*
 * What is checked before anything is compiled or loaded: the files named
 * on the command line, the caller's capabilities, the output file, the
 * number of probes. Each failure is one "bpftap: error: ..." line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "runtime/internal.h"
#include "runtime/objfile.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

int rt_check_input(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		rt_error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		rt_error("%s: not a regular file", path);
		return -1;
	}
	if (st.st_size > RT_MAX_INPUT) {
		rt_error("%s: too large (%lld bytes; at most %d MiB)", path,
			 (long long)st.st_size, RT_MAX_INPUT >> 20);
		return -1;
	}
	return 0;
}

static bool rt_cap_has(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/*
 * Loading tracing programs takes CAP_BPF and CAP_PERFMON (or
 * CAP_SYS_ADMIN, which implies both); attaching tracepoints and reading
 * tracefs take the same. Checked up front, so that an unprivileged user
 * gets one sentence instead of the first EPERM libbpf happens to hit.
 */
int rt_check_privileges(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return 0;	/* let the kernel say no instead */
	if (rt_cap_has(d, CAP_SYS_ADMIN) ||
	    (rt_cap_has(d, CAP_BPF) && rt_cap_has(d, CAP_PERFMON)))
		return 0;
	rt_error("running scripts needs root (CAP_BPF and CAP_PERFMON, or "
		 "CAP_SYS_ADMIN); -p1 to -p4 work without");
	return -1;
}

/*
 * Open path for writing without ever truncating something that is not a
 * regular file: it is opened first without O_TRUNC and checked through
 * the descriptor, so a path swapped in between cannot fool the check.
 * With keep, the old contents stay, to be overwritten and cut to the new
 * length by rt_close_replace() (see rt_open_replace() for why).
 */
static FILE *rt_open_file(const char *path, bool keep)
{
	struct stat st;
	FILE *f;
	int fd;

	/* the clear message for the common case; fstat below closes the
	 * window */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		rt_error("%s: not a regular file: refusing to write to it",
			 path);
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0666);
	if (fd < 0) {
		rt_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rt_error("%s: not a regular file: refusing to write to it",
			 path);
		close(fd);
		return NULL;
	}
	if ((!keep && ftruncate(fd, 0)) || fcntl(fd, F_SETFL, 0)) {
		rt_error("%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		rt_error("%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

FILE *rt_open_output(const char *path)
{
	return rt_open_file(path, false);
}

/*
 * A file written whole (the -p4 object): overwritten in place, then cut
 * to what was written. Truncating an existing file to zero first makes
 * ext4 (auto_da_alloc) write its blocks out at close, which cost more
 * than compiling a small script (0.4 of 2 ms).
 */
FILE *rt_open_replace(const char *path)
{
	return rt_open_file(path, true);
}

/* Close a file from rt_open_replace(); 0, or -1 with errno. */
int rt_close_replace(FILE *f)
{
	long end = fflush(f) ? -1 : ftell(f);
	int rc = end < 0 || ftruncate(fileno(f), end) ? -1 : 0;

	return fclose(f) || rc ? -1 : 0;
}

int rt_check_probes(const struct bt_object *obj)
{
	int i, n = 0;

	for (i = 0; i < obj->nprogs; i++)
		n += !obj->progs[i].subprog;
	if (n > RT_MAX_PROBES) {
		rt_error("%d probe points: at most %d can be loaded", n,
			 RT_MAX_PROBES);
		return -1;
	}
	return 0;
}
