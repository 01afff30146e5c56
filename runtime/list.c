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

static char *list_point_text(const struct bt_point *pt, bool vars)
{
	struct bt_point copy = *pt;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	/* what the point is, not how the pattern asked for it */
	copy.optional = copy.sufficient = false;
	ast_print_point(&copy, f);
	if (vars)
		list_fields(pt, f);
	fclose(f);
	return text;
}

/* Does the alias name (no wildcards) match the pattern's point? */
static bool list_alias_matches(const struct bt_point *pat,
			       const struct bt_point *name)
{
	const struct bt_component *a = pat->comps, *b = name->comps;

	for (; a && b; a = a->next, b = b->next) {
		if (fnmatch(a->name, b->name, 0) || !a->arg != !b->arg)
			return false;
		if (!a->arg || a->arg->kind != b->arg->kind)
			continue;
		if (a->arg->kind == E_STR &&
		    fnmatch(a->arg->str, b->arg->str, 0))
			return false;
		if (a->arg->kind == E_NUM && a->arg->num != b->arg->num)
			return false;
	}
	return !a && !b;
}

static void list_collect(const struct bt_script *s,
			 const struct bt_point *pats, bool vars,
			 struct list_lines *l)
{
	for (const struct bt_probe *p = s->probes; p; p = p->next) {
		if (!p->alias_names) {
			for (const struct bt_point *pt = p->points; pt;
			     pt = pt->next)
				if (!pt->alias_from)
					list_add(l, list_point_text(pt, vars));
			continue;
		}
		for (const struct bt_point *an = p->alias_names; an;
		     an = an->next)
			for (const struct bt_point *q = pats; q; q = q->next)
				if (list_alias_matches(q, an)) {
					list_add(l, list_point_text(an, false));
					break;
				}
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
	const struct bt_point *pats = NULL;
	char *text;
	int rc = 1;

	if (asprintf(&text, "probe %s {}\n", pattern) < 0)
		return 1;
	if (parse_string(s, "<pattern>", text, strlen(text)) || !s->probes)
		goto out;
	/* the written points (elaboration works on copies) */
	pats = s->probes->points;
	if (tapset_load(s, incdirs, nincdirs) || elab_script(s))
		goto out;
	list_collect(s, pats, vars, &l);
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
