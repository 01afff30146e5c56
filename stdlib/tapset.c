// SPDX-License-Identifier: GPL-2.0
/* Finding and parsing the library files (see tapset.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tapset.h"
#include "tapset_int.h"
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

/* Every *.stp (or *.stpm: macros) of dir, in name order, as paths in
 * *out (n in *n); a missing dir is an error only when the user named it. */
static int tapset_list_dir(const char *dir, bool user, bool macros,
			   char ***out, int *n)
{
	struct dirent **list;
	int k = scandir(dir, &list, macros ? tapset_is_stpm : tapset_is_stp,
			alphasort), rc = 0;
	char **grown;

	if (k < 0) {
		if (!user && errno == ENOENT)
			return 0;
		fprintf(stderr, "bpftap: error: %s%s: %s\n",
			user ? "-I " : "", dir, strerror(errno));
		return -1;
	}
	grown = realloc(*out, (*n + k) * sizeof(**out));
	if (grown)
		*out = grown;
	for (int i = 0; i < k; i++) {
		if (!grown || asprintf(&grown[*n], "%s/%s", dir,
				       list[i]->d_name) < 0) {
			fprintf(stderr, "bpftap: error: out of memory\n");
			rc = -1;
		} else {
			(*n)++;
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

/* The library files of the -I directories, then of the stdlib. */
static int tapset_list(char *const *dirs, int ndirs, bool macros,
		       char ***out, int *n)
{
	int rc = 0;

	for (int i = 0; i < ndirs; i++)
		if (tapset_list_dir(dirs[i], true, macros, out, n))
			rc = -1;
	if (tapset_list_dir(tapset_stdlib_dir(), false, macros, out, n))
		rc = -1;
	return rc;
}

static void tapset_free_list(char **paths, int n)
{
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

int tapset_load_macros(char *const *dirs, int ndirs)
{
	char **paths = NULL;
	int n = 0, rc = tapset_list(dirs, ndirs, true, &paths, &n);

	for (int i = 0; i < n; i++)
		if (parse_macro_file(paths[i]))
			rc = -1;
	tapset_free_list(paths, n);
	return rc;
}

/* A library file: its text, what it defines, whether it is in. */
struct tapset_file {
	const char *path;
	char *text;
	size_t len;
	struct tapset_names defs;
	const struct tapset_index_entry *indexed;	/* or NULL */
	bool loaded;
};

static bool tapset_text(struct tapset_file *f);

static bool tapset_wanted(const struct tapset_file *f,
			  const struct tapset_names *uses, bool all)
{
	if (all)
		return true;
	for (size_t i = 0; i < f->defs.cap; i++)
		if (f->defs.slot[i] && tapset_names_has(uses, f->defs.slot[i]))
			return true;
	return false;
}

/*
 * Parse, in their order, the files that define something the script
 * uses, until no more are needed (a file's own calls may need another).
 * Returns 0, or -1 after a diagnostic.
 */
static int tapset_pull(struct bt_script *s, struct tapset_file *files,
		       int n)
{
	bool more = true;

	while (more) {
		struct tapset_names uses = { 0 };
		bool all = tapset_uses(s, &uses);
		int rc = 0;

		more = false;
		if (uses.oom) {
			fprintf(stderr, "bpftap: error: out of memory\n");
			rc = -1;
		}
		for (int i = 0; !rc && i < n; i++) {
			struct tapset_file *f = &files[i];

			if (f->loaded || !tapset_wanted(f, &uses, all))
				continue;
			f->loaded = more = true;
			rc = tapset_text(f) ?
			     parse_string(s, f->path, f->text, f->len) : -1;
		}
		tapset_names_free(&uses);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * The built-in index's entry for a stdlib file that still has the
 * length the index was made from (a stat, not a read), or NULL. Its
 * names are then taken from the index, and its text is read only when
 * the script needs the file: reading and hashing every stdlib file on
 * each compile cost more than the rest of reading a small script. A
 * file edited in place is caught by its length, or by its hash when
 * it is read; `make` rebuilds the index from the build tree's files.
 */
static const struct tapset_index_entry *tapset_indexed(const char *path)
{
	const char *dir = tapset_stdlib_dir(), *base;
	size_t n = strlen(dir);
	struct stat st;

	if (strncmp(path, dir, n) || path[n] != '/')
		return NULL;
	base = path + n + 1;
	for (size_t i = 0; i < tapset_index_n; i++) {
		const struct tapset_index_entry *e = &tapset_index[i];

		if (strcmp(e->file, base))
			continue;
		if (stat(path, &st) || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_size != e->len)
			return NULL;
		return e;
	}
	return NULL;
}

/* The text of f, read (and for an indexed file, its names checked by
 * its hash, else scanned) if it was not yet; false after a message. */
static bool tapset_text(struct tapset_file *f)
{
	if (f->text)
		return true;
	f->text = parse_read(f->path, &f->len);
	if (!f->text)
		return false;
	if (f->indexed && f->indexed->len == f->len &&
	    f->indexed->hash == tapset_hash(f->text, f->len))
		return true;
	tapset_names_free(&f->defs);
	tapset_scan(f->text, f->len, &f->defs);
	return true;
}

/* What every library file defines; false after a diagnostic. */
static bool tapset_read(struct tapset_file *files, char **paths, int n)
{
	for (int i = 0; i < n; i++) {
		struct tapset_file *f = &files[i];

		f->path = paths[i];
		f->indexed = tapset_indexed(f->path);
		if (f->indexed) {
			for (const char *const *name = f->indexed->names;
			     *name; name++)
				tapset_names_add(&f->defs, *name,
						 strlen(*name));
		} else if (!tapset_text(f)) {
			return false;
		}
		if (f->defs.oom) {
			fprintf(stderr, "bpftap: error: out of memory\n");
			return false;
		}
	}
	return true;
}

/*
 * As stap, a library file is part of the program only when it defines
 * something the program uses (a function, a global, a probe alias);
 * parsing all of them would cost more than compiling most scripts.
 */
int tapset_load(struct bt_script *s, char *const *dirs, int ndirs)
{
	char **paths = NULL;
	int n = 0, rc = tapset_list(dirs, ndirs, false, &paths, &n);
	struct tapset_file *files = calloc(n ? n : 1, sizeof(*files));

	if (!files) {
		fprintf(stderr, "bpftap: error: out of memory\n");
		rc = -1;
	}
	if (!rc && !tapset_read(files, paths, n))
		rc = -1;
	/* the syscall aliases written on demand use library functions */
	if (!rc)
		rc = tapset_pull(s, files, n) || tapset_syscalls(s) ||
		     tapset_pull(s, files, n) ? -1 : 0;
	for (int i = 0; files && i < n; i++) {
		free(files[i].text);
		tapset_names_free(&files[i].defs);
	}
	free(files);
	tapset_free_list(paths, n);
	return rc;
}
