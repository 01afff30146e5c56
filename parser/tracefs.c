// SPDX-License-Identifier: GPL-2.0
/*
 * Reading tracefs: the event list and the format files (see tracefs.h).
 *
 * A format file looks like
 *
 *	name: sched_process_exec
 *	ID: 365
 *	format:
 *	 field:unsigned short common_type; offset:0; size:2; signed:0;
 *	 ...
 *	 field:__data_loc char[] filename; offset:8; size:4; signed:0;
 *	 field:pid_t pid; offset:12; size:4; signed:1;
 *
 *	print fmt: "filename=%s pid=%d ...", ...
 *
 * (tabs, not spaces, between the parts). Only the field lines matter. The declaration before the first ';' is C
 * as the kernel's TP_STRUCT__entry spelled it: a type (typedef names we
 * cannot resolve, but offset/size/signed say all a load needs), a name,
 * maybe an array suffix. Pointers are told by their '*'.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "tracefs.h"

#define TRACEFS_DEFAULT	"/sys/kernel/tracing"
#define TRACEFS_DEBUG	"/sys/kernel/debug/tracing"

/* The cache: events read so far (also the ones that do not exist, so a
 * wildcard probe that misses does not retry), and the event list. */
struct tracefs_entry {
	struct tracefs_event ev;
	int err;			/* 0, or the errno of the failure */
	struct tracefs_entry *next;
};

static char *tracefs_dir;		/* set by tracefs_set_root */
static const char *tracefs_found;	/* resolved root, or NULL */
static bool tracefs_looked;
static struct tracefs_entry *tracefs_cache;
static char **tracefs_names;
static int tracefs_nnames = -1;

static void tracefs_clear(void)
{
	struct tracefs_entry *e, *next;

	for (e = tracefs_cache; e; e = next) {
		next = e->next;
		tracefs_event_free(&e->ev);
		free(e);
	}
	tracefs_cache = NULL;
	for (int i = 0; i < tracefs_nnames; i++)
		free(tracefs_names[i]);
	free(tracefs_names);
	tracefs_names = NULL;
	tracefs_nnames = -1;
	tracefs_found = NULL;
	tracefs_looked = false;
}

void tracefs_set_root(const char *dir)
{
	tracefs_clear();
	free(tracefs_dir);
	tracefs_dir = dir ? strdup(dir) : NULL;
}

static bool tracefs_has_events(const char *dir)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

const char *tracefs_root(void)
{
	if (tracefs_looked)
		return tracefs_found;
	tracefs_looked = true;
	if (tracefs_dir) {
		tracefs_found = tracefs_dir;
		return tracefs_found;
	}
	if (tracefs_has_events(TRACEFS_DEFAULT))
		tracefs_found = TRACEFS_DEFAULT;
	else if (tracefs_has_events(TRACEFS_DEBUG))
		tracefs_found = TRACEFS_DEBUG;
	/* Not mounted: mount it where it belongs, as the runtime would
	 * (fails harmlessly without the privilege). */
	else if (!mount("nodev", TRACEFS_DEFAULT, "tracefs", 0, NULL) &&
		 tracefs_has_events(TRACEFS_DEFAULT))
		tracefs_found = TRACEFS_DEFAULT;
	if (!tracefs_found)
		errno = ENOENT;
	return tracefs_found;
}

/* The whole of a (small, procfs-like) file, NUL-terminated; NULL with
 * errno. tracefs files report size 0, so read until EOF. */
static char *tracefs_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 4096, n;
	char *buf, *p;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len > 1)
			continue;
		p = realloc(buf, cap * 2);
		if (!p) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = p;
		cap *= 2;
	}
	fclose(f);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

/* ---- the format file ---- */

static char *tracefs_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/* "const char *" -> "char const*", "char * " -> "char*": the spelling of
 * stap -L (debuginfo type names), from the kernel's source spelling. */
static char *tracefs_type_text(const char *type, const char *suffix)
{
	char buf[256], out[300];
	size_t n = 0;
	const char *star;

	for (const char *p = type; *p && n < sizeof(buf) - 1; p++) {
		if (*p == ' ' && (p[1] == '*' || p[1] == ' ' || !p[1]))
			continue;
		buf[n++] = *p;
	}
	buf[n] = 0;
	star = strchr(buf, '*');
	if (star && !strncmp(buf, "const ", 6))
		snprintf(out, sizeof(out), "%.*s const%s%s",
			 (int)(star - buf - 6), buf + 6, star, suffix);
	else
		snprintf(out, sizeof(out), "%s%s", buf, suffix);
	return strdup(out);
}

/* The element of a string type: char, with or without const/signedness. */
static bool tracefs_char_type(const char *t)
{
	static const char *const prefixes[] = { "const ", "unsigned ",
						"signed " };

	for (size_t i = 0; i < 3; i++)
		if (!strncmp(t, prefixes[i], strlen(prefixes[i])))
			t += strlen(prefixes[i]);
	return !strcmp(t, "char");
}

/*
 * Is an integer type (by its name) signed? The kernel builds with
 * -funsigned-char (6.2 on), so a plain char is unsigned; u8, __u32,
 * uint16_t, bool, unsigned ... are; the rest (int, long, s64, pid_t)
 * are signed.
 */
static bool tracefs_signed_name(const char *t)
{
	if (!strncmp(t, "const ", 6))
		t += 6;
	if (!strncmp(t, "signed", 6))
		return true;
	if (!strncmp(t, "unsigned", 8) || !strcmp(t, "char") ||
	    !strcmp(t, "bool") || !strcmp(t, "_Bool"))
		return false;
	while (*t == '_')
		t++;
	return !(t[0] == 'u' && (isdigit((unsigned char)t[1]) ||
				 !strncmp(t, "uint", 4)));
}

/* An array of integers: TYPE name[N] with N elements of 1, 2, 4 or 8
 * bytes, TYPE neither a pointer nor a struct. */
static bool tracefs_int_array(struct tracefs_field *f, const char *type,
			      const char *suffix)
{
	char *end;
	unsigned long n = strtoul(suffix + 1, &end, 10);
	unsigned int es;

	if (strcmp(end, "]") || !n || f->size % n || strchr(type, '*') ||
	    strstr(type, "struct ") || strstr(type, "union "))
		return false;
	es = f->size / n;
	if (es != 1 && es != 2 && es != 4 && es != 8)
		return false;
	f->count = n;
	f->elem_size = es;
	f->elem_signed = tracefs_signed_name(type);
	return true;
}

static enum tracefs_kind tracefs_kind_of(const char *type, bool array,
					 unsigned int size)
{
	char elem[256];
	size_t n;

	if (!strncmp(type, "__data_loc ", 11) ||
	    !strncmp(type, "__rel_loc ", 10)) {
		snprintf(elem, sizeof(elem), "%s", strchr(type, ' ') + 1);
		n = strlen(elem);
		if (n > 2 && !strcmp(elem + n - 2, "[]"))
			elem[n - 2] = 0;
		if (!tracefs_char_type(tracefs_trim(elem)) || size != 4)
			return TRACEFS_OTHER;
		return type[2] == 'd' ? TRACEFS_STR_LOC : TRACEFS_STR_REL;
	}
	if (array)
		return tracefs_char_type(type) ? TRACEFS_CHARS : TRACEFS_OTHER;
	if (strchr(type, '*'))
		return size == 8 || size == 4 ? TRACEFS_PTR : TRACEFS_OTHER;
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return TRACEFS_INT;
	return TRACEFS_OTHER;
}

/* "TYPE NAME" or "TYPE NAME[N]" into f's name, type and kind. */
static int tracefs_parse_decl(char *decl, struct tracefs_field *f)
{
	char *name, *br = NULL, suffix[32] = "";
	bool array = false;

	decl = tracefs_trim(decl);
	if (*decl && decl[strlen(decl) - 1] == ']') {
		br = strrchr(decl, '[');
		if (!br)
			return -1;
		snprintf(suffix, sizeof(suffix), "%s", br);
		*br = 0;
		decl = tracefs_trim(decl);
		array = true;
	}
	name = decl + strlen(decl);
	while (name > decl && (isalnum((unsigned char)name[-1]) ||
			       name[-1] == '_'))
		name--;
	if (!*name || name == decl)
		return -1;
	f->name = strdup(name);
	*name = 0;
	f->type = tracefs_type_text(tracefs_trim(decl), suffix);
	if (!f->name || !f->type)
		return -1;
	decl = tracefs_trim(decl);
	f->kind = tracefs_kind_of(decl, array, f->size);
	/* an array of integers reads by element; of chars, also whole */
	if (array && tracefs_int_array(f, decl, suffix) &&
	    f->kind == TRACEFS_OTHER)
		f->kind = TRACEFS_ARRAY;
	f->common = !strncmp(f->name, "common_", 7);
	return 0;
}

/* The number after `key` in line, or -1. */
static long tracefs_num(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static int tracefs_parse_field(char *line, struct tracefs_field *f)
{
	char *decl = strstr(line, "field:"), *semi;
	long off, size, sign;

	if (!decl)
		return -1;
	decl += 6;
	semi = strchr(decl, ';');
	if (!semi)
		return -1;
	*semi = 0;
	off = tracefs_num(semi + 1, "offset:");
	size = tracefs_num(semi + 1, "size:");
	sign = tracefs_num(semi + 1, "signed:");
	if (off < 0 || size <= 0 || off > 65535 || size > 65535)
		return -1;
	f->offset = off;
	f->size = size;
	f->is_signed = sign > 0;
	return tracefs_parse_decl(decl, f);
}

void tracefs_event_free(struct tracefs_event *ev)
{
	for (int i = 0; i < ev->nfields; i++) {
		free(ev->fields[i].name);
		free(ev->fields[i].type);
	}
	free(ev->fields);
	free(ev->system);
	free(ev->name);
	memset(ev, 0, sizeof(*ev));
}

int tracefs_parse_format(const char *text, struct tracefs_event *ev)
{
	char *copy = strdup(text), *line, *save = NULL;
	struct tracefs_field *f;
	bool in_format = false;
	int rc = 0;

	ev->id = -1;
	if (!copy)
		return -1;
	for (line = strtok_r(copy, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "ID:", 3))
			ev->id = atoi(line + 3);
		else if (!strncmp(line, "format:", 7))
			in_format = true;
		else if (!strncmp(line, "print fmt:", 10))
			break;
		if (!in_format || !strstr(line, "field:"))
			continue;
		f = realloc(ev->fields, (ev->nfields + 1) * sizeof(*f));
		if (!f) {
			rc = -1;
			break;
		}
		ev->fields = f;
		f = &ev->fields[ev->nfields++];
		memset(f, 0, sizeof(*f));
		rc = tracefs_parse_field(line, f);
	}
	free(copy);
	return in_format ? rc : -1;
}

/* ---- events ---- */

static int tracefs_load(const char *system, const char *event,
			struct tracefs_entry *e)
{
	const char *root = tracefs_root();
	char path[1024], *text;

	if (!root)
		return errno;
	/* names come from scripts: no path tricks */
	if (strchr(system, '/') || strchr(event, '/') || !*system ||
	    !*event || !strcmp(system, "..") || !strcmp(event, ".."))
		return ENOENT;
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, system,
		 event);
	text = tracefs_slurp(path);
	if (!text)
		return errno ? errno : EIO;
	if (tracefs_parse_format(text, &e->ev)) {
		free(text);
		return EINVAL;
	}
	free(text);
	return 0;
}

const struct tracefs_event *tracefs_event(const char *system,
					  const char *event)
{
	struct tracefs_entry *e;

	for (e = tracefs_cache; e; e = e->next)
		if (!strcmp(e->ev.system, system) &&
		    !strcmp(e->ev.name, event))
			goto found;
	e = calloc(1, sizeof(*e));
	if (!e) {
		errno = ENOMEM;
		return NULL;
	}
	e->err = tracefs_load(system, event, e);
	if (e->err)
		tracefs_event_free(&e->ev);
	e->ev.system = strdup(system);
	e->ev.name = strdup(event);
	if (!e->ev.system || !e->ev.name) {
		tracefs_event_free(&e->ev);
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->next = tracefs_cache;
	tracefs_cache = e;
found:
	if (e->err) {
		errno = e->err;
		return NULL;
	}
	return &e->ev;
}

const struct tracefs_field *tracefs_field(const struct tracefs_event *ev,
					  const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return &ev->fields[i];
	return NULL;
}

static int tracefs_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int tracefs_add_name(char ***v, int *n, int *cap, const char *name)
{
	char **p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 512;
		p = realloc(*v, *cap * sizeof(*p));
		if (!p)
			return -1;
		*v = p;
	}
	(*v)[*n] = strdup(name);
	return (*v)[(*n)++] ? 0 : -1;
}

/* events/SYSTEM/EVENT/format for every pair: when available_events is
 * not there (old kernels keep it, but a fake tree may not). */
static int tracefs_walk(const char *root, char ***v, int *n, int *cap)
{
	char path[1024], name[600];
	struct dirent *sd, *ed;
	DIR *sdir, *edir;
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", root);
	sdir = opendir(path);
	if (!sdir)
		return -1;
	while ((sd = readdir(sdir))) {
		if (sd->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", root, sd->d_name);
		edir = opendir(path);
		while (edir && (ed = readdir(edir))) {
			snprintf(path, sizeof(path), "%s/events/%s/%s/format",
				 root, sd->d_name, ed->d_name);
			if (ed->d_name[0] == '.' || stat(path, &st))
				continue;
			snprintf(name, sizeof(name), "%s:%s", sd->d_name,
				 ed->d_name);
			if (tracefs_add_name(v, n, cap, name))
				break;
		}
		if (edir)
			closedir(edir);
	}
	closedir(sdir);
	return 0;
}

static int tracefs_read_list(const char *root, char ***v, int *n, int *cap)
{
	char path[512], *text, *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/available_events", root);
	text = tracefs_slurp(path);
	if (!text)
		return tracefs_walk(root, v, n, cap);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strchr(line, ':') && tracefs_add_name(v, n, cap, line))
			break;
	free(text);
	return 0;
}

int tracefs_events(const char *const **names)
{
	const char *root = tracefs_root();
	char **v = NULL;
	int n = 0, cap = 0;

	if (tracefs_nnames >= 0)
		goto done;
	if (!root || tracefs_read_list(root, &v, &n, &cap)) {
		for (int i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return -1;
	}
	qsort(v, n, sizeof(*v), tracefs_name_cmp);
	tracefs_names = v;
	tracefs_nnames = n;
done:
	*names = (const char *const *)tracefs_names;
	return tracefs_nnames;
}
