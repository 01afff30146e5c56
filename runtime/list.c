// SPDX-License-Identifier: GPL-2.0
/*
 * -l PATTERN and -L PATTERN, like stap's: the probe points PATTERN names,
 * one a line, sorted, without duplicates.
 *
 * The pattern is compiled as the script `probe PATTERN {}` up to
 * elaboration, so it expands exactly as it would in a script: wildcards
 * over tracefs events and ELF symbols, the library's aliases, the same
 * errors (with the closest names) when nothing matches. Points reached
 * through an alias are listed under the alias's name (`syscall.read`).
 *
 * -L adds the context variables of each point as stap does,
 * ` $name:type`. For tracepoints they are the event's fields after the
 * common header, typed as the tracefs format file spells them (pointer
 * types in stap's debuginfo spelling, `char const*`; `__data_loc char[]`
 * for the variable-length strings, which scripts read as strings).
 * An alias first gets the variables its body sets, ` name:type`, in the
 * order the body first mentions them, as stap -L prints them.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"
#include "parser/diag.h"
#include "parser/elaborate.h"
#include "parser/parse.h"
#include "parser/tracefs.h"
#include "stdlib/tapset.h"

struct list_lines {
	char **v;
	int n, cap;
};

static void list_add(struct list_lines *l, char *line)
{
	if (!line)
		return;
	if (l->n == l->cap) {
		char **v;

		l->cap = l->cap ? l->cap * 2 : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v) {
			free(line);
			return;
		}
		l->v = v;
	}
	l->v[l->n++] = line;
}

static void list_fields(const struct bt_point *pt, FILE *f)
{
	const struct tracefs_event *ev;

	if (pt->type != PT_TRACEPOINT || !pt->tp_system)
		return;
	ev = tracefs_event(pt->tp_system, pt->tp_event);
	for (int i = 0; ev && i < ev->nfields; i++) {
		const struct tracefs_field *fl = &ev->fields[i];

		/* only what a script can read */
		if (!fl->common && fl->kind != TRACEFS_OTHER)
			fprintf(f, " $%s:%s", fl->name, fl->type);
	}
}

/* Is word one of the space-separated words of text? */
static bool list_has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
	return false;
}

/* The fields of pt that every point of p has too (stap lists what the
 * probe can use wherever it fires). */
static void list_common_fields(const struct bt_probe *p,
			       const struct bt_point *pt, FILE *f)
{
	char *mine = NULL, *tok, *save, *other;
	size_t len = 0;
	FILE *m = open_memstream(&mine, &len);

	if (!m)
		return;
	list_fields(pt, m);
	fclose(m);
	for (tok = strtok_r(mine, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		bool all = true;

		for (const struct bt_point *q = p->points; q && all;
		     q = q->next) {
			if (q == pt)
				continue;
			other = NULL;
			len = 0;
			m = open_memstream(&other, &len);
			if (!m)
				break;
			list_fields(q, m);
			fclose(m);
			all = other && list_has_word(other, tok);
			free(other);
		}
		if (all)
			fprintf(f, " %s", tok);
	}
	free(mine);
}

static char *list_point_text(const struct bt_probe *p,
			     const struct bt_point *pt, bool vars)
{
	struct bt_point copy = *(pt->alias_name ? pt->alias_name : pt);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	/* what the point is, not how the pattern asked for it */
	copy.optional = copy.sufficient = false;
	ast_print_point(&copy, f);
	if (vars && pt->alias_name) {
		/* an alias: the variables its body sets, then the context
		 * variables, as stap -L prints them */
		for (const struct bt_sym *l = p->locals; l; l = l->next)
			fprintf(f, " %s:%s", l->name, ast_type_str(l->type));
		list_common_fields(p, pt, f);
	} else if (vars) {
		list_fields(pt, f);
	}
	fclose(f);
	return text;
}

static void list_collect(const struct bt_script *s, bool vars,
			 struct list_lines *l)
{
	for (const struct bt_probe *p = s->probes; p; p = p->next) {
		if (p->alias_names)
			continue;
		for (const struct bt_point *pt = p->points; pt; pt = pt->next)
			list_add(l, list_point_text(p, pt, vars));
	}
}

static int list_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rt_list(struct bt_script *s, const char *pattern, bool vars,
	    char *const *incdirs, int nincdirs, FILE *out)
{
	struct list_lines l = { 0 };
	char *text;
	int rc = 1;

	if (asprintf(&text, "probe %s {}\n", pattern) < 0)
		return 1;
	if (parse_string(s, "<pattern>", text, strlen(text)) || !s->probes)
		goto out;
	tapset_syscalls_all_vars(vars);
	elab_keep_alias_locals(vars);
	rc = tapset_load(s, incdirs, nincdirs) || elab_script(s);
	tapset_syscalls_all_vars(false);
	elab_keep_alias_locals(false);
	if (rc) {
		rc = 1;
		goto out;
	}
	rc = 1;
	list_collect(s, vars, &l);
	qsort(l.v, l.n, sizeof(*l.v), list_cmp);
	for (int i = 0; i < l.n; i++)
		if (!i || strcmp(l.v[i], l.v[i - 1]))
			fprintf(out, "%s\n", l.v[i]);
	if (l.n)
		rc = 0;
	else
		fprintf(stderr, "bpftap: no probe point matches '%s'\n",
			pattern);
out:
	for (int i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(text);
	return rc;
}
