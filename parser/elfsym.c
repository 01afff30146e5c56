// SPDX-License-Identifier: GPL-2.0
/* Functions of user-space ELF files and where they are (see elfsym.h). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "elfsym.h"

/* Where ld.so looks when neither LD_LIBRARY_PATH nor the cache says
 * otherwise, multiarch directories first (Debian and derivatives). */
static const char *const elfsym_lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib",
	"/usr/local/lib", NULL
};

static bool elfsym_is_file(const char *path, bool exec)
{
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	return !exec || !access(path, X_OK);
}

/* name in each directory of a ':'-separated list; the first file found. */
static char *elfsym_search(const char *name, const char *dirs, bool exec)
{
	char path[PATH_MAX];
	const char *p = dirs, *end;
	size_t len;

	while (p && *p) {
		end = strchrnul(p, ':');
		len = end - p;
		/* an empty entry means the current directory, as in execvp */
		if (snprintf(path, sizeof(path), "%.*s%s%s", (int)len, p,
			     len ? "/" : "", name) < (int)sizeof(path) &&
		    elfsym_is_file(path, exec))
			return realpath(path, NULL);
		p = *end ? end + 1 : NULL;
	}
	return NULL;
}

static char *elfsym_search_libs(const char *name)
{
	char *r = elfsym_search(name, getenv("LD_LIBRARY_PATH"), false);

	for (int i = 0; !r && elfsym_lib_dirs[i]; i++)
		r = elfsym_search(name, elfsym_lib_dirs[i], false);
	return r;
}

char *elfsym_resolve_path(const char *name)
{
	bool lib = strstr(name, ".so") != NULL;
	char *r;

	if (!*name) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/')) {
		if (!elfsym_is_file(name, false)) {
			if (!errno || errno == EACCES)
				errno = ENOENT;
			return NULL;
		}
		return realpath(name, NULL);
	}
	r = lib ? elfsym_search_libs(name) :
	    elfsym_search(name, getenv("PATH"), true);
	if (!r)
		r = lib ? elfsym_search(name, getenv("PATH"), true) :
		    elfsym_search_libs(name);
	if (!r)
		errno = ENOENT;
	return r;
}

char *elfsym_pid_path(pid_t pid)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	/* an executable replaced since the process started */
	if (n > 10 && !strcmp(buf + n - 10, " (deleted)")) {
		errno = ENOENT;
		return NULL;
	}
	return strdup(buf);
}

/* ---- symbols ---- */

struct elfsym_cand {
	const char *name;		/* in the ELF's string table */
	uint64_t offset;
	int rank;			/* lower wins among equal names */
};

static int elfsym_cand_cmp(const void *a, const void *b)
{
	const struct elfsym_cand *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	if (d)
		return d;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int elfsym_bind_rank(int bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

/* The section holding the symbols: .symtab, else .dynsym. */
static Elf_Scn *elfsym_symtab(Elf *e, GElf_Shdr *sh, Elf_Scn **versym)
{
	Elf_Scn *scn = NULL, *dyn = NULL, *tab = NULL, *ver = NULL;
	GElf_Shdr h, dynh, tabh;

	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &h))
			continue;
		if (h.sh_type == SHT_SYMTAB && !tab) {
			tab = scn;
			tabh = h;
		} else if (h.sh_type == SHT_DYNSYM && !dyn) {
			dyn = scn;
			dynh = h;
		} else if (h.sh_type == SHT_GNU_versym) {
			ver = scn;
		}
	}
	*versym = NULL;
	if (tab) {
		*sh = tabh;
		return tab;
	}
	if (dyn) {
		*sh = dynh;
		*versym = ver;
	}
	return dyn;
}

static int elfsym_push_ifunc(struct elfsym_table *t, const char *name)
{
	char **v = realloc(t->ifuncs, (t->nifunc + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->ifuncs = v;
	if (!(v[t->nifunc] = strdup(name)))
		return -ENOMEM;
	t->nifunc++;
	return 0;
}

/* The file offset of virtual address a, through the PT_LOAD segments. */
static bool elfsym_vaddr_offset(Elf *e, uint64_t a, uint64_t *off)
{
	size_t n;
	GElf_Phdr ph;

	if (elf_getphdrnum(e, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(e, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (a >= ph.p_vaddr && a - ph.p_vaddr < ph.p_filesz) {
			*off = a - ph.p_vaddr + ph.p_offset;
			return true;
		}
	}
	return false;
}

/*
 * _init and _fini from DT_INIT and DT_FINI: the linker puts those
 * functions there, so a stripped binary (no .symtab; .dynsym holds only
 * what it imports and exports) still tells where they are. They rank
 * below every symbol of the same name. Appends to v (room for 2 left).
 */
static void elfsym_dynamic(Elf *e, struct elfsym_cand *v, size_t *k)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Dyn dyn;
	Elf_Data *data;
	uint64_t off;

	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNAMIC)
			break;
	if (!scn || !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
		return;
	for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
		if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if ((dyn.d_tag != DT_INIT && dyn.d_tag != DT_FINI) ||
		    !dyn.d_un.d_ptr ||
		    !elfsym_vaddr_offset(e, dyn.d_un.d_ptr, &off))
			continue;
		v[*k].name = dyn.d_tag == DT_INIT ? "_init" : "_fini";
		v[*k].offset = off;
		v[*k].rank = 2 * 3;
		(*k)++;
	}
}

/* Candidates from every defined function symbol; *n set. */
static int elfsym_collect(Elf *e, struct elfsym_table *t,
			  struct elfsym_cand **out, size_t *n)
{
	Elf_Data *data = NULL, *vdata = NULL;
	Elf_Scn *scn, *vscn, *sec;
	struct elfsym_cand *v;
	GElf_Shdr sh, secsh;
	size_t count = 0, k = 0;
	GElf_Sym sym;
	GElf_Versym vs;

	scn = elfsym_symtab(e, &sh, &vscn);
	if (scn && sh.sh_entsize) {
		data = elf_getdata(scn, NULL);
		if (!data)
			return -EINVAL;
		count = sh.sh_size / sh.sh_entsize;
	}
	if (vscn)
		vdata = elf_getdata(vscn, NULL);
	v = calloc(count + 2, sizeof(*v));	/* + _init, _fini */
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const char *name;
		int type;

		if (!gelf_getsym(data, i, &sym))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE
		    || !sym.st_value)
			continue;
		name = elf_strptr(e, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (type == STT_GNU_IFUNC) {
			if (elfsym_push_ifunc(t, name)) {
				free(v);
				return -ENOMEM;
			}
			continue;
		}
		sec = elf_getscn(e, sym.st_shndx);
		if (!sec || !gelf_getshdr(sec, &secsh))
			continue;
		v[k].name = name;
		v[k].offset = sym.st_value - secsh.sh_addr + secsh.sh_offset;
		v[k].rank = 2 * elfsym_bind_rank(GELF_ST_BIND(sym.st_info));
		if (vdata && gelf_getversym(vdata, i, &vs) && (vs & 0x8000))
			v[k].rank++;	/* a hidden (non-default) version */
		k++;
	}
	t->nsyms = k;
	elfsym_dynamic(e, v, &k);
	*out = v;
	*n = k;
	return 0;
}

static int elfsym_build(Elf *e, struct elfsym_table *t)
{
	struct elfsym_cand *v;
	size_t n, i;
	int err = elfsym_collect(e, t, &v, &n);

	if (err)
		return err;
	qsort(v, n, sizeof(*v), elfsym_cand_cmp);
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (t->n && !strcmp(t->v[t->n - 1].name, v[i].name))
			continue;	/* the best of that name came first */
		t->v[t->n].name = strdup(v[i].name);
		if (!t->v[t->n].name) {
			free(v);
			return -ENOMEM;
		}
		t->v[t->n++].offset = v[i].offset;
	}
	free(v);
	return 0;
}

int elfsym_read(const char *path, struct elfsym_table *t)
{
	int fd, err;
	Elf *e;

	memset(t, 0, sizeof(*t));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		close(fd);
		return -ENOEXEC;
	}
	err = elfsym_build(e, t);
	elf_end(e);
	close(fd);
	if (err)
		elfsym_free(t);
	return err;
}

void elfsym_free(struct elfsym_table *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i].name);
	for (int i = 0; i < t->nifunc; i++)
		free(t->ifuncs[i]);
	free(t->v);
	free(t->ifuncs);
	memset(t, 0, sizeof(*t));
}

const struct elfsym_func *elfsym_find(const struct elfsym_table *t,
				      const char *name)
{
	int lo = 0, hi = t->n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int d = strcmp(name, t->v[mid].name);

		if (!d)
			return &t->v[mid];
		if (d < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool elfsym_is_ifunc(const struct elfsym_table *t, const char *name)
{
	for (int i = 0; i < t->nifunc; i++)
		if (!strcmp(t->ifuncs[i], name))
			return true;
	return false;
}

int elfsym_offset(const char *path, const char *name, uint64_t *off)
{
	struct elfsym_table t;
	const struct elfsym_func *f;
	int err = elfsym_read(path, &t);

	if (err)
		return err;
	f = elfsym_find(&t, name);
	if (f)
		*off = f->offset;
	elfsym_free(&t);
	return f ? 0 : -ENOENT;
}
