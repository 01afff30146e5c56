// SPDX-License-Identifier: GPL-2.0
/*
 * syscall.NAME and syscall.NAME.return, written as script text on demand.
 *
 * The kernel has a tracepoint pair per syscall (syscalls:sys_enter_NAME
 * with one field per argument, sys_exit_NAME with `ret`), ~350 of them,
 * and which exist depends on the kernel. So the aliases are not a file
 * shipped with bpftap: before elaboration, the probe points of the script
 * that start with `syscall` are matched (wildcards and all) against the
 * events in tracefs, and only those syscalls get an alias, e.g.
 *
 *	probe syscall.getcwd, nd_syscall.getcwd =
 *		kernel.trace("syscalls:sys_enter_getcwd") {
 *		name = "getcwd"
 *		buf_uaddr = $buf
 *		size = $size
 *	}
 *	probe syscall.getcwd.return, nd_syscall.getcwd.return =
 *		kernel.trace("syscalls:sys_exit_getcwd") {
 *		name = "getcwd"
 *		retval = $ret
 *	}
 *
 * The common calls (open, openat, read, write, execve, socket, mmap,
 * ...) are not written here: stdlib/syscalls.stp defines them as stap
 * does, with stap's variable names and argstr decodings, and a call
 * a library file defines is skipped. For the others the variables
 * follow stap's conventions: a `const char *` argument is a quoted
 * user string (user_string_quoted), another pointer is NAME_uaddr, an
 * int is sign-extended from 32 bits (__int32); argstr joins them
 * ("%d, %s, %p"), retstr is stap's return_str ("-2 (ENOENT)"). Every
 * alias is also nd_syscall.NAME.
 *
 * An alias assigns only the variables the script mentions somewhere:
 * each assignment costs a read of the event at every hit, and stap's own
 * optimiser drops the unused ones too (elab_prune.c does the same for
 * the aliases of stdlib/syscalls.stp).
 *
 * syscall_name(nr) (for syscall_any) is a function written here too: a
 * binary search over the C library's syscall numbers (<sys/syscall.h>,
 * turned into stdlib/sysnames.h at build time).
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tapset.h"
#include "../parser/diag.h"
#include "../parser/parse.h"

struct sc_sysname {
	int nr;
	const char *name;
};

static struct sc_sysname sc_sysnames[] = {
#include "stdlib/sysnames.h"
};

#define SC_NSYSNAMES (sizeof(sc_sysnames) / sizeof(*sc_sysnames))
#define SC_MAX_DEPTH 4000
#define SC_MAX_FIELDS 8

/* A set of names (variables the script mentions, syscalls wanted). */
struct sc_set {
	const char **v;
	int n, cap;
};

struct sc_ctx {
	struct bt_script *s;
	struct sc_set vars;
	struct sc_set calls;
	bool any;			/* a point names syscall_any */
	int depth;
	const char *events;		/* tracefs events/syscalls, or NULL */
	FILE *out;
};

static bool sc_set_has(const struct sc_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (!strcmp(set->v[i], name))
			return true;
	return false;
}

static void sc_set_add(struct sc_set *set, const char *name)
{
	const char **v;

	if (sc_set_has(set, name))
		return;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 32;
		v = realloc(set->v, set->cap * sizeof(*v));
		if (!v)
			abort();
		set->v = v;
	}
	set->v[set->n++] = name;
}

/* -L lists every variable an alias offers, mentioned or not. */
static bool sc_all_vars;

void tapset_syscalls_all_vars(bool on)
{
	sc_all_vars = on;
}

/* Does the alias assign var? */
static bool sc_var(const struct sc_ctx *c, const char *var)
{
	return sc_all_vars || sc_set_has(&c->vars, var);
}

/* ---- the variables a script mentions ---- */

static void sc_vars_stmt(struct sc_ctx *c, const struct bt_stmt *st);

static void sc_vars_expr(struct sc_ctx *c, const struct bt_expr *e)
{
	for (; e && c->depth < SC_MAX_DEPTH; e = e->next) {
		c->depth++;
		if (e->kind == E_VAR)
			sc_set_add(&c->vars, e->name);
		if (e->kind == E_CALL)
			sc_set_add(&c->calls, e->name);
		sc_vars_expr(c, e->left);
		sc_vars_expr(c, e->right);
		sc_vars_expr(c, e->cond);
		sc_vars_expr(c, e->keys);
		sc_vars_expr(c, e->args);
		c->depth--;
	}
}

static void sc_vars_stmt(struct sc_ctx *c, const struct bt_stmt *st)
{
	for (; st && c->depth < SC_MAX_DEPTH; st = st->next) {
		c->depth++;
		sc_vars_expr(c, st->expr);
		sc_vars_expr(c, st->cond);
		sc_vars_expr(c, st->step);
		sc_vars_expr(c, st->value_var);
		sc_vars_expr(c, st->keys);
		sc_vars_expr(c, st->limit);
		sc_vars_stmt(c, st->init);
		sc_vars_stmt(c, st->body);
		sc_vars_stmt(c, st->else_body);
		c->depth--;
	}
}

/* bpftap's own files do not count: their aliases set name, retval, ...
 * for whoever uses them, as the syscall aliases do. */
static bool sc_is_stdlib(const struct bt_loc *loc)
{
	const char *dir = tapset_stdlib_dir();
	size_t n = strlen(dir);

	return loc->file && !strncmp(loc->file, dir, n) &&
	       loc->file[n] == '/';
}

/* ---- which syscalls the points name ---- */

/* 1: entry, 2: return, 0: not a syscall point; syscall_any: 4, 8. */
static int sc_point_kind(const struct bt_point *pt)
{
	const struct bt_component *k = pt->comps;
	int n = 0;

	for (const struct bt_component *q = k; q; q = q->next)
		n++;
	if (n && n <= 2 && !k->arg && !fnmatch(k->name, "syscall_any", 0) &&
	    (n == 1 || (!k->next->arg &&
			!fnmatch(k->next->name, "return", 0))))
		return n == 1 ? 4 : 8;
	if (n < 2 || n > 3 || k->arg || k->next->arg ||
	    (fnmatch(k->name, "syscall", 0) &&
	     fnmatch(k->name, "nd_syscall", 0)))
		return 0;
	if (n == 2)
		return 1;
	if (k->next->next->arg || fnmatch(k->next->next->name, "return", 0))
		return 0;
	return 2;
}

static const char *sc_events_dir(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events/syscalls",
		"/sys/kernel/debug/tracing/events/syscalls",
	};
	DIR *d;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		d = opendir(dirs[i]);
		if (d) {
			closedir(d);
			return dirs[i];
		}
	}
	return NULL;
}

static int sc_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The syscalls with an entry tracepoint, sorted; *n of them. */
static char **sc_syscalls(const char *events, int *n)
{
	DIR *d = opendir(events);
	struct dirent *de;
	char **v = NULL, **nv;
	int cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "sys_enter_", 10))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 512;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				abort();
			v = nv;
		}
		if (!(v[(*n)++] = strdup(de->d_name + 10)))
			abort();
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), sc_cmp_str);
	return v;
}

/* ---- writing the aliases ---- */

/* How a tracefs field becomes a variable, as stap's tapset names them. */
enum sc_kind {
	SC_LONG,			/* 64-bit or unknown: as is */
	SC_INT,				/* int, pid_t, ...: __int32() */
	SC_UINT,			/* unsigned int, u32, ...: __uint32() */
	SC_ULONG,			/* size_t, unsigned long: %u */
	SC_STR,				/* char *: a quoted user string */
	SC_PTR,				/* other pointers: NAME_uaddr */
};

struct sc_field {
	char name[64];
	enum sc_kind kind;
};

/* The kind of a field from its C type (the declaration without the
 * name): the syscall tracepoints store every argument in 8 bytes. */
static enum sc_kind sc_kind_of(const char *type)
{
	static const char *const ints[] = {
		"int", "pid_t", "clockid_t", "key_serial_t", "mqd_t",
		"rwf_t", "timer_t", "key_t", "int32_t", "s32",
	};
	static const char *const uints[] = {
		"unsigned int", "unsigned", "u32", "uid_t", "gid_t", "umode_t",
		"qid_t", "old_uid_t", "old_gid_t", "uint32_t", "__u32",
		"unsigned short",
	};
	static const char *const ulongs[] = {
		"size_t", "unsigned long", "u64", "__u64", "uint64_t",
		"aio_context_t",
	};
	char t[128];
	size_t n;

	/* const char *: a string the call reads (a path, a name); a
	 * plain char * is a buffer it fills, an address to stap */
	if (strchr(type, '*'))
		return strstr(type, "const char *") &&
		       strchr(type, '*') == strrchr(type, '*') ?
		       SC_STR : SC_PTR;
	while (*type == ' ')
		type++;
	if (!strncmp(type, "const ", 6))
		type += 6;
	snprintf(t, sizeof(t), "%s", type);
	n = strlen(t);
	while (n && t[n - 1] == ' ')
		t[--n] = 0;
	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
		if (!strcmp(t, ints[i]))
			return SC_INT;
	for (size_t i = 0; i < sizeof(uints) / sizeof(*uints); i++)
		if (!strcmp(t, uints[i]))
			return SC_UINT;
	for (size_t i = 0; i < sizeof(ulongs) / sizeof(*ulongs); i++)
		if (!strcmp(t, ulongs[i]))
			return SC_ULONG;
	return SC_LONG;
}

/* The argument fields of sys_enter_NAME, from its format file. */
static int sc_fields(const char *events, const char *name,
		     struct sc_field *f, int max)
{
	char path[512], line[512], *p, *end;
	FILE *in;
	int n = 0;

	snprintf(path, sizeof(path), "%s/sys_enter_%s/format", events, name);
	in = fopen(path, "r");
	if (!in)
		return 0;
	while (n < max && fgets(line, sizeof(line), in)) {
		p = strstr(line, "field:");
		end = p ? strchr(p, ';') : NULL;
		if (!end)
			continue;
		p += 6;
		*end = 0;
		while (end > p && end[-1] != ' ' && end[-1] != '*')
			end--;
		if (!strncmp(end, "common_", 7) || !strcmp(end, "__syscall_nr")
		    || strlen(end) >= sizeof(f->name) || !*end)
			continue;
		snprintf(f[n].name, sizeof(f[n].name), "%s", end);
		*end = 0;
		f[n].kind = sc_kind_of(p);
		n++;
	}
	fclose(in);
	return n;
}

/* The value of field f, as its variable holds it. */
static void sc_value(FILE *out, const struct sc_field *f)
{
	static const char *const wrap[] = {
		[SC_LONG] = "$%s", [SC_INT] = "__int32($%s)",
		[SC_UINT] = "__uint32($%s)", [SC_ULONG] = "$%s",
		[SC_STR] = "user_string_quoted($%s)", [SC_PTR] = "$%s",
	};

	fprintf(out, wrap[f->kind], f->name);
}

/* stap's name for the variable of field f: pointers that are not
 * strings get the _uaddr suffix. */
static const char *sc_var_name(const struct sc_field *f, char *buf,
			       size_t size)
{
	snprintf(buf, size, "%.63s%s", f->name, f->kind == SC_PTR ? "_uaddr" :
		 "");
	return buf;
}

static void sc_argstr(struct sc_ctx *c, const struct sc_field *f, int n)
{
	static const char *const conv[] = {
		[SC_LONG] = "%d", [SC_INT] = "%d", [SC_UINT] = "%u",
		[SC_ULONG] = "%u", [SC_STR] = "%s", [SC_PTR] = "%p",
	};

	fputs("\targstr = sprintf(\"", c->out);
	for (int i = 0; i < n; i++)
		fprintf(c->out, "%s%s", i ? ", " : "", conv[f[i].kind]);
	fputc('"', c->out);
	for (int i = 0; i < n; i++) {
		fputs(", ", c->out);
		sc_value(c->out, &f[i]);
	}
	fputs(")\n", c->out);
}

static void sc_entry(struct sc_ctx *c, const char *name)
{
	struct sc_field f[SC_MAX_FIELDS];
	int n = sc_fields(c->events, name, f, SC_MAX_FIELDS);
	char var[80];

	fprintf(c->out, "probe syscall.%s, nd_syscall.%s = kernel.trace(\""
		"syscalls:sys_enter_%s\") {\n", name, name, name);
	if (sc_var(c, "name"))
		fprintf(c->out, "\tname = \"%s\"\n", name);
	for (int i = 0; i < n; i++) {
		sc_var_name(&f[i], var, sizeof(var));
		if (strcmp(var, "name") && strcmp(var, "argstr") &&
		    sc_var(c, var)) {
			fprintf(c->out, "\t%s = ", var);
			sc_value(c->out, &f[i]);
			fputc('\n', c->out);
		}
	}
	if (sc_var(c, "argstr"))
		sc_argstr(c, f, n);
	fputs("}\n", c->out);
}

static void sc_return(struct sc_ctx *c, const char *name)
{
	fprintf(c->out, "probe syscall.%s.return, nd_syscall.%s.return = "
		"kernel.trace(\"syscalls:sys_exit_%s\") {\n", name, name,
		name);
	if (sc_var(c, "name"))
		fprintf(c->out, "\tname = \"%s\"\n", name);
	if (sc_var(c, "retval"))
		fputs("\tretval = $ret\n", c->out);
	if (sc_var(c, "retstr"))
		fputs("\tretstr = return_str(1, $ret)\n", c->out);
	fputs("}\n", c->out);
}

/* Does a library file define syscall.NAME (the entry, or with ret, the
 * return) itself? Then its alias, in stap's terms, wins over the one
 * written from tracefs. */
static bool sc_defined(const struct bt_script *s, const char *name,
		       bool ret)
{
	for (const struct bt_probe *p = s->probes; p; p = p->next)
		for (const struct bt_point *an = p->alias_names; an;
		     an = an->next) {
			const struct bt_component *k = an->comps;

			if (k && !strcmp(k->name, "syscall") && k->next &&
			    !strcmp(k->next->name, name) &&
			    (ret ? k->next->next &&
				   !strcmp(k->next->next->name, "return") &&
				   !k->next->next->next :
				   !k->next->next))
				return true;
		}
	return false;
}

/* For every syscall: is it wanted (entry 1, return 2)? */
static void sc_want(struct sc_ctx *c, char **names, int n, int *want)
{
	for (const struct bt_probe *p = c->s->probes; p; p = p->next)
		for (const struct bt_point *pt = p->points; pt; pt = pt->next) {
			int kind = sc_point_kind(pt);

			c->any |= kind > 2;
			for (int i = 0; kind && kind <= 2 && i < n; i++)
				if (!fnmatch(pt->comps->next->name, names[i],
					     0))
					want[i] |= kind;
		}
}

/* The first point that names syscalls, for an error without tracefs. */
static const struct bt_point *sc_first_point(const struct bt_script *s)
{
	for (const struct bt_probe *p = s->probes; p; p = p->next)
		for (const struct bt_point *pt = p->points; pt; pt = pt->next)
			if (sc_point_kind(pt))
				return pt;
	return NULL;
}

static int sc_cmp_nr(const void *a, const void *b)
{
	const struct sc_sysname *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

/* if/else on the number down to runs of four, then equality tests. */
static void sc_name_tree(FILE *f, int lo, int hi, int indent)
{
	int mid = lo + (hi - lo) / 2;

	if (hi - lo <= 4) {
		for (int i = lo; i < hi; i++)
			fprintf(f, "%*sif (nr == %d) return \"%s\"\n",
				indent, "", sc_sysnames[i].nr,
				sc_sysnames[i].name);
		return;
	}
	fprintf(f, "%*sif (nr < %d) {\n", indent, "", sc_sysnames[mid].nr);
	sc_name_tree(f, lo, mid, indent + 1);
	fprintf(f, "%*s} else {\n", indent, "");
	sc_name_tree(f, mid, hi, indent + 1);
	fprintf(f, "%*s}\n", indent, "");
}

static void sc_syscall_name(struct sc_ctx *c)
{
	static bool sorted;

	if (!sorted)
		qsort(sc_sysnames, SC_NSYSNAMES, sizeof(*sc_sysnames),
		      sc_cmp_nr);
	sorted = true;
	fputs("function syscall_name:string(nr:long) {\n", c->out);
	sc_name_tree(c->out, 0, SC_NSYSNAMES, 1);
	fputs("\treturn \"\"\n}\n", c->out);
}

/* Every syscall through raw_syscalls: what stap's syscall_any gives. */
static void sc_any(struct sc_ctx *c)
{
	static const char *const ends[] = { "", "enter", ".return", "exit" };

	for (int i = 0; i < 4; i += 2) {
		fprintf(c->out, "probe syscall_any%s = kernel.trace(\""
			"raw_syscalls:sys_%s\") {\n", ends[i], ends[i + 1]);
		if (sc_var(c, "syscall_nr"))
			fputs("\tsyscall_nr = $id\n", c->out);
		if (sc_var(c, "name"))
			fputs("\tname = syscall_name($id)\n", c->out);
		if (i && sc_var(c, "retval"))
			fputs("\tretval = $ret\n", c->out);
		fputs("}\n", c->out);
	}
}

static void sc_aliases(struct sc_ctx *c)
{
	char **names;
	int *want, n;

	names = sc_syscalls(c->events, &n);
	want = calloc(n ? n : 1, sizeof(*want));
	if (!want)
		abort();
	sc_want(c, names, n, want);
	for (int i = 0; i < n; i++) {
		if ((want[i] & 1) && !sc_defined(c->s, names[i], false))
			sc_entry(c, names[i]);
		if ((want[i] & 2) && !sc_defined(c->s, names[i], true))
			sc_return(c, names[i]);
		free(names[i]);
	}
	free(want);
	free(names);
	if (c->any)
		sc_any(c);
}

int tapset_syscalls(struct bt_script *s)
{
	struct sc_ctx c = { .s = s };
	const struct bt_point *pt = sc_first_point(s);
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	if (pt) {
		c.events = sc_events_dir();
		if (!c.events) {
			diag_error(&pt->loc, "syscall probes need the syscalls "
				   "tracepoints of tracefs; mount it: mount -t "
				   "tracefs nodev /sys/kernel/tracing");
			return -1;
		}
	}
	for (const struct bt_probe *p = s->probes; p; p = p->next)
		if (!sc_is_stdlib(&p->loc))
			sc_vars_stmt(&c, p->body);
	for (const struct bt_func *f = s->funcs; f; f = f->next)
		if (!sc_is_stdlib(&f->loc))
			sc_vars_stmt(&c, f->body);
	c.out = open_memstream(&text, &len);
	if (!c.out)
		abort();
	if (pt)
		sc_aliases(&c);
	if (sc_set_has(&c.calls, "syscall_name") ||
	    (c.any && sc_var(&c, "name")))
		sc_syscall_name(&c);
	fclose(c.out);
	if (len)
		rc = parse_string(s, "<syscalls>", text, len);
	free(text);
	free(c.vars.v);
	free(c.calls.v);
	return rc;
}
