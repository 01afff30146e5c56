// SPDX-License-Identifier: GPL-2.0
/* Finding and parsing the library files (see tapset.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tapset.h"
#include "../parser/parse.h"

/* The directory of this bpftap binary, with room for more after it, in
 * buf; false when /proc/self/exe does not tell. */
static bool tapset_exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 64);
	char *slash;

	if (n <= 0)
		return false;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	slash[1] = 0;
	return true;
}

/*
 * Is this bpftap the one in a build directory? configure leaves
 * config.status next to the binary there, never next to an installed
 * one. Then the stdlib is the source tree's, which may be newer than an
 * installed copy (and there may be none).
 */
static bool tapset_in_build_tree(void)
{
	char exe[PATH_MAX];

	if (!tapset_exe_dir(exe, sizeof(exe)))
		return false;
	strcat(exe, "config.status");
	return access(exe, F_OK) == 0;
}

/*
 * The installed stdlib: $(pkgdatadir)/stdlib; else, for a tree installed
 * with DESTDIR or moved since, BINDIR/../share/bpftap/stdlib; else the
 * source tree's (a build directory's binary run from elsewhere).
 */
static const char *tapset_find_stdlib(void)
{
	static char moved[PATH_MAX];

	if (tapset_in_build_tree())
		return BPFTAP_SRC_STDLIB_DIR;
	if (!access(BPFTAP_STDLIB_DIR, F_OK))
		return BPFTAP_STDLIB_DIR;
	if (!moved[0] && tapset_exe_dir(moved, sizeof(moved)))
		strcat(moved, "../share/bpftap/stdlib");
	if (moved[0] && !access(moved, F_OK))
		return moved;
	return BPFTAP_SRC_STDLIB_DIR;
}

/* Looked for once: every built-in file and macro lookup asks. */
const char *tapset_stdlib_dir(void)
{
	static const char *dir;

	if (!dir)
		dir = tapset_find_stdlib();
	return dir;
}

static int tapset_is_stp(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       !strcmp(d->d_name + n - 4, ".stp");
}

static int tapset_is_stpm(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	       !strcmp(d->d_name + n - 5, ".stpm");
}

/* Every *.stp (or *.stpm: macros) of dir, in name order; a missing dir
 * is an error only when the user named it. */
static int tapset_load_dir(struct bt_script *s, const char *dir, bool user)
{
	struct dirent **list;
	int n = scandir(dir, &list, s ? tapset_is_stp : tapset_is_stpm,
			alphasort), rc = 0;
	char *path;

	if (n < 0) {
		if (!user && errno == ENOENT)
			return 0;
		fprintf(stderr, "bpftap: error: %s%s: %s\n",
			user ? "-I " : "", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, list[i]->d_name) < 0) {
			fprintf(stderr, "bpftap: error: out of memory\n");
			rc = -1;
		} else {
			if (s ? parse_file(s, path) : parse_macro_file(path))
				rc = -1;
			free(path);
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

int tapset_load_macros(char *const *dirs, int ndirs)
{
	int rc = 0;

	for (int i = 0; i < ndirs; i++)
		if (tapset_load_dir(NULL, dirs[i], true))
			rc = -1;
	if (tapset_load_dir(NULL, tapset_stdlib_dir(), false))
		rc = -1;
	return rc;
}

int tapset_load(struct bt_script *s, char *const *dirs, int ndirs)
{
	int rc = 0;

	for (int i = 0; i < ndirs; i++)
		if (tapset_load_dir(s, dirs[i], true))
			rc = -1;
	if (tapset_load_dir(s, tapset_stdlib_dir(), false))
		rc = -1;
	if (rc)
		return rc;
	return tapset_syscalls(s);
}
