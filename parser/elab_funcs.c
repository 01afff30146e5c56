// SPDX-License-Identifier: GPL-2.0
/*
 * Function probe points: process("PATH").function("NAME") (uprobes, names
 * from the ELF file's symbols) and kernel.function("NAME") (kprobes,
 * names from /proc/kallsyms). The names are checked here, at compile
 * time, so a typo is an error at its token rather than a failure to
 * attach; a wildcard NAME becomes one point per matching function, each
 * spelling its own function so pp() names it.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "elab_internal.h"
#include "elfsym.h"

#define ELAB_KALLSYMS "/proc/kallsyms"
#define ELAB_MAX_SUGGEST 3

/* The last ELF read, since a script tends to probe one binary often. */
static struct {
	char *path;
	struct timespec mtime;
	struct elfsym_table t;
	bool valid;
} elab_elf_cache;

/* Text symbols of the kernel, sorted, read once. */
static struct {
	char **names;
	int n;
	bool loaded;
} elab_ksyms;

bool elab_is_func_point(const struct bt_point *pt)
{
	return pt->type == PT_UPROBE || pt->type == PT_URETPROBE ||
	       pt->type == PT_KPROBE || pt->type == PT_KRETPROBE;
}

static bool elab_has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* ---- closest names, for "did you mean" ---- */

struct elab_near {
	const char *name[ELAB_MAX_SUGGEST];
	int dist[ELAB_MAX_SUGGEST];
	int n, max;
};

static void elab_near_init(struct elab_near *nr, const char *want)
{
	size_t len = strlen(want);

	nr->n = 0;
	nr->max = len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

static void elab_near_add(struct elab_near *nr, const char *want,
			  const char *name)
{
	int d, i;

	/* cheap filter: the edit distance is at least the length gap */
	if (abs((int)strlen(name) - (int)strlen(want)) > nr->max)
		return;
	d = elab_edit_distance(want, name);
	if (d > nr->max || (nr->n == ELAB_MAX_SUGGEST &&
			    d >= nr->dist[nr->n - 1]))
		return;
	if (nr->n < ELAB_MAX_SUGGEST)
		nr->n++;
	for (i = nr->n - 1; i > 0 && nr->dist[i - 1] > d; i--) {
		nr->name[i] = nr->name[i - 1];
		nr->dist[i] = nr->dist[i - 1];
	}
	nr->name[i] = name;
	nr->dist[i] = d;
}

/* "; did you mean 'a', 'b' or 'c'?" or "" */
static void elab_near_text(const struct elab_near *nr, char *buf,
			   size_t size)
{
	size_t len;

	buf[0] = 0;
	if (!nr->n)
		return;
	len = snprintf(buf, size, "; did you mean");
	for (int i = 0; i < nr->n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s'%s'",
				i == 0 ? " " : i == nr->n - 1 ? " or " : ", ",
				nr->name[i]);
	if (len < size)
		snprintf(buf + len, size - len, "?");
}

/* ---- user-space binaries ---- */

static const struct elfsym_table *elab_elf_table(const char *path, int *err)
{
	struct stat st;

	*err = 0;
	if (stat(path, &st)) {
		*err = -errno;
		return NULL;
	}
	if (elab_elf_cache.valid && !strcmp(elab_elf_cache.path, path) &&
	    elab_elf_cache.mtime.tv_sec == st.st_mtim.tv_sec &&
	    elab_elf_cache.mtime.tv_nsec == st.st_mtim.tv_nsec)
		return &elab_elf_cache.t;
	if (elab_elf_cache.valid) {
		elfsym_free(&elab_elf_cache.t);
		free(elab_elf_cache.path);
		elab_elf_cache.valid = false;
	}
	*err = elfsym_read(path, &elab_elf_cache.t);
	if (*err)
		return NULL;
	elab_elf_cache.path = strdup(path);
	if (!elab_elf_cache.path) {
		elfsym_free(&elab_elf_cache.t);
		*err = -ENOMEM;
		return NULL;
	}
	elab_elf_cache.mtime = st.st_mtim;
	elab_elf_cache.valid = true;
	return &elab_elf_cache.t;
}

/* The component of pt called name (process, function), or its first. */
static const struct bt_component *elab_comp(const struct bt_point *pt,
					    const char *name)
{
	for (const struct bt_component *k = pt->comps; k; k = k->next)
		if (!strcmp(k->name, name))
			return k;
	return pt->comps;
}

/* pt->target_path from the written path or pid; false after an error. */
static bool elab_binary(struct elab_ctx *c, struct bt_point *pt)
{
	const struct bt_component *k = elab_comp(pt, "process");
	char *path;

	if (pt->target_pid) {
		path = elfsym_pid_path(pt->target_pid);
		if (!path && !pt->optional)
			elab_error(c, &k->loc, "cannot find the executable of "
				   "process %lld: %s", (long long)pt->target_pid,
				   errno == ENOENT ? "no such process" :
				   strerror(errno));
	} else {
		path = elfsym_resolve_path(pt->target_path);
		if (!path && !pt->optional)
			elab_error(c, &k->loc, "cannot find executable '%s'%s",
				   pt->target_path, strchr(pt->target_path, '/') ?
				   "" : " (searched $PATH and the library "
				   "directories)");
	}
	if (!path)
		return false;
	pt->target_path = ast_strdup(c->s, path);
	free(path);
	return true;
}

static void elab_no_user_func(struct elab_ctx *c, const struct bt_point *pt,
			      const struct elfsym_table *t)
{
	const struct bt_component *k = elab_comp(pt, "function");
	struct elab_near nr;
	char more[512];

	if (pt->optional)
		return;
	if (elab_has_wildcard(pt->func_name)) {
		elab_error(c, &k->loc, "no function in '%s' matches '%s'",
			   pt->target_path, pt->func_name);
		return;
	}
	if (elfsym_is_ifunc(t, pt->func_name)) {
		elab_error(c, &k->loc, "'%s' in '%s' is an indirect function "
			   "(STT_GNU_IFUNC) whose implementation is chosen at "
			   "load time: probe that implementation instead",
			   pt->func_name, pt->target_path);
		return;
	}
	elab_near_init(&nr, pt->func_name);
	for (int i = 0; i < t->n; i++)
		elab_near_add(&nr, pt->func_name, t->v[i].name);
	elab_near_text(&nr, more, sizeof(more));
	elab_error(c, &k->loc, "no function '%s' in '%s'%s", pt->func_name,
		   pt->target_path, t->nsyms ? more : " (it has no symbols)");
}

/* Names of the functions the point means, into *out (malloc'd). */
static int elab_user_funcs(struct elab_ctx *c, struct bt_point *pt,
			   const char ***out)
{
	const struct elfsym_table *t;
	const char **v;
	int err, n = 0;

	if (!elab_binary(c, pt))
		return pt->optional ? 0 : -1;
	t = elab_elf_table(pt->target_path, &err);
	if (!t) {
		if (!pt->optional)
			elab_error(c, &elab_comp(pt, "process")->loc,
				   "cannot read '%s': %s", pt->target_path,
				   err == -ENOEXEC ? "not an ELF file" :
				   strerror(-err));
		return pt->optional ? 0 : -1;
	}
	v = calloc(t->n ? t->n : 1, sizeof(*v));
	if (!v)
		abort();
	if (!elab_has_wildcard(pt->func_name)) {
		if (elfsym_find(t, pt->func_name))
			v[n++] = pt->func_name;
	} else {
		for (int i = 0; i < t->n; i++)
			if (!fnmatch(pt->func_name, t->v[i].name, 0))
				v[n++] = t->v[i].name;
	}
	if (!n)
		elab_no_user_func(c, pt, t);
	*out = v;
	return n ? n : pt->optional ? 0 : -1;
}

/* ---- the kernel ---- */

static int elab_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool elab_ksym_push(char *name, int *cap)
{
	char **v;

	if (elab_ksyms.n == *cap) {
		*cap = *cap ? 2 * *cap : 65536;
		v = realloc(elab_ksyms.names, *cap * sizeof(*v));
		if (!v)
			return false;
		elab_ksyms.names = v;
	}
	elab_ksyms.names[elab_ksyms.n] = strdup(name);
	return elab_ksyms.names[elab_ksyms.n++] != NULL;
}

/*
 * Functions of the kernel proper: text symbols ('t', 'T') that belong
 * to no module. Compiler clones (foo.isra.0, foo.cold) are left out:
 * nobody means those.
 */
static int elab_ksyms_load(void)
{
	char line[512], type, name[256], mod[2];
	int cap = 0;
	FILE *f;

	if (elab_ksyms.loaded)
		return 0;
	f = fopen(ELAB_KALLSYMS, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		int k = sscanf(line, "%*s %c %255s %1s", &type, name, mod);

		if (k != 2 || (type != 't' && type != 'T') ||
		    strchr(name, '.'))
			continue;
		if (!elab_ksym_push(name, &cap)) {
			fclose(f);
			return -ENOMEM;
		}
	}
	fclose(f);
	qsort(elab_ksyms.names, elab_ksyms.n, sizeof(char *), elab_str_cmp);
	elab_ksyms.loaded = true;
	return 0;
}

static bool elab_ksym_exists(const char *name)
{
	return bsearch(&name, elab_ksyms.names, elab_ksyms.n, sizeof(char *),
		       elab_str_cmp) != NULL;
}

static void elab_no_kernel_func(struct elab_ctx *c, const struct bt_point *pt)
{
	const struct bt_component *k = elab_comp(pt, "function");
	struct elab_near nr;
	char more[512];

	if (pt->optional)
		return;
	if (elab_has_wildcard(pt->func_name)) {
		elab_error(c, &k->loc, "no kernel function matches '%s'",
			   pt->func_name);
		return;
	}
	elab_near_init(&nr, pt->func_name);
	for (int i = 0; i < elab_ksyms.n; i++)
		elab_near_add(&nr, pt->func_name, elab_ksyms.names[i]);
	elab_near_text(&nr, more, sizeof(more));
	elab_error(c, &k->loc, "no kernel function '%s' (in %s)%s",
		   pt->func_name, ELAB_KALLSYMS, more);
}

static int elab_kernel_funcs(struct elab_ctx *c, struct bt_point *pt,
			     const char ***out)
{
	const char **v;
	int err = elab_ksyms_load(), n = 0;

	if (err) {
		elab_error(c, &pt->comps->loc, "cannot read %s: %s",
			   ELAB_KALLSYMS, strerror(-err));
		return -1;
	}
	v = calloc(elab_ksyms.n ? elab_ksyms.n : 1, sizeof(*v));
	if (!v)
		abort();
	if (!elab_has_wildcard(pt->func_name)) {
		if (elab_ksym_exists(pt->func_name))
			v[n++] = pt->func_name;
	} else {
		for (int i = 0; i < elab_ksyms.n; i++)
			if (!fnmatch(pt->func_name, elab_ksyms.names[i], 0))
				v[n++] = elab_ksyms.names[i];
	}
	if (!n)
		elab_no_kernel_func(c, pt);
	*out = v;
	return n ? n : pt->optional ? 0 : -1;
}

int elab_func_match(struct elab_ctx *c, struct bt_point *pt,
		    const char ***names)
{
	*names = NULL;
	if (pt->type == PT_UPROBE || pt->type == PT_URETPROBE)
		return elab_user_funcs(c, pt, names);
	return elab_kernel_funcs(c, pt, names);
}

/* A string argument for a component copy. */
static struct bt_expr *elab_str_arg(struct elab_ctx *c,
				    const struct bt_expr *like,
				    const char *s)
{
	struct bt_expr *e = ast_alloc(c->s, sizeof(*e));

	e->kind = E_STR;
	e->loc = like->loc;
	e->str = ast_strdup(c->s, s);
	e->len = strlen(s);
	return e;
}

struct bt_point *elab_func_point(struct elab_ctx *c,
				 const struct bt_point *pt, const char *name)
{
	struct bt_point *np = ast_alloc(c->s, sizeof(*np));
	struct bt_component **tail = &np->comps;

	*np = *pt;
	np->next = NULL;
	np->func_name = ast_strdup(c->s, name);
	/* Copies of the components, spelling the file and the function
	 * found, which is what pp() and -p2 show. */
	np->comps = NULL;
	for (const struct bt_component *k = pt->comps; k; k = k->next) {
		struct bt_component *nk = ast_alloc(c->s, sizeof(*nk));

		*nk = *k;
		nk->next = NULL;
		if (!strcmp(k->name, "function") && k->arg)
			nk->arg = elab_str_arg(c, k->arg, name);
		else if (!strcmp(k->name, "process") && k->arg &&
			 k->arg->kind == E_STR && np->target_path)
			nk->arg = elab_str_arg(c, k->arg, np->target_path);
		*tail = nk;
		tail = &nk->next;
	}
	return np;
}
