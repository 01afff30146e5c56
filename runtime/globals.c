// SPDX-License-Identifier: GPL-2.0
/*
 * Auto-print at shutdown: every global written but never read, in
 * declaration order, after the end probes. stap does this by adding one
 * synthetic `probe end` per global (elaborate.cxx, add_global_var_display)
 * whose printf formats are reproduced here and go through the same
 * formatter as the script's printf:
 *   long        x=%d                 (stap >= 4: %d; older stap used %#x)
 *   string      s="%#s"
 *   aggregate   st @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d, or
 *               st @count=0x0 when empty
 *   arrays      name[%#d,"%#s"]=...  one line per element, from
 *               `foreach (v = [k...] in name-)`: by value, descending
 * Histograms are never part of it (stap prints only the five numbers).
 *
 * With --format=json each global is one object instead, with the same
 * values in the same order (see docs/design.md, "JSON output").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"
#include "runtime/hist.h"
#include "runtime/json.h"

/* name + BT_MAX_KEYS keys + 5 statistics */
#define RT_GLOBAL_MAXARGS	(1 + BT_MAX_KEYS + 5)

/* --format=json: the start of a global's object, up to its name. */
static void rt_json_head(FILE *out, const char *name)
{
	fputs("{\"type\":\"global\",\"name\":", out);
	json_string(out, name, strlen(name));
}

/* The statistics as members; an empty aggregate has only its count,
 * as stap prints only @count for it. */
static void rt_json_stats(FILE *out, const struct hist_stats *st)
{
	fprintf(out, "\"count\":%" PRId64, st->count);
	if (!st->count)
		return;
	fprintf(out, ",\"sum\":%" PRId64 ",\"min\":%" PRId64
		",\"max\":%" PRId64 ",\"avg\":%" PRId64, st->sum, st->min,
		st->max, st->sum / st->count);
}

static void rt_global_scalar(struct rt_session *s,
			     const struct bt_objglobal *g)
{
	FILE *out = s->opt->out;
	uint32_t off = g->data_off;
	int64_t v;

	if (g->type == BT_LONG) {
		if (off > s->data_size || s->data_size - off < sizeof(v)) {
			rt_bug(s, "global %s lies outside .data", g->name);
			return;
		}
		memcpy(&v, s->data + off, sizeof(v));
		if (s->opt->json) {
			rt_json_head(out, g->name);
			fprintf(out, ",\"value\":%" PRId64 "}\n", v);
		} else {
			fprintf(out, "%s=%" PRId64 "\n", g->name, v);
		}
	} else if (g->type == BT_STRING) {
		size_t field = s->obj->strfield;
		const char *p = (const char *)s->data + off;

		if (off > s->data_size || s->data_size - off < field) {
			rt_bug(s, "global %s lies outside .data", g->name);
			return;
		}
		if (s->opt->json) {
			rt_json_head(out, g->name);
			fputs(",\"value\":", out);
			json_string(out, p, strnlen(p, field));
			fputs("}\n", out);
		} else {
			fprintf(out, "%s=\"%.*s\"\n", g->name,
				(int)strnlen(p, field), p);
		}
	}
}

/* The fd of global g's map, or -1 (reported). */
static int rt_global_fd(struct rt_session *s, const struct bt_objglobal *g)
{
	const struct bt_object *obj = s->obj;
	struct bpf_map *m;

	if (g->map < 0 || g->map >= obj->nmaps) {
		rt_bug(s, "global %s names map %d of %d", g->name, g->map,
		       obj->nmaps);
		return -1;
	}
	m = bpf_object__find_map_by_name(s->bobj, obj->maps[g->map].name);
	if (!m) {
		rt_bug(s, "the map %s of global %s is missing",
		       obj->maps[g->map].name, g->name);
		return -1;
	}
	return bpf_map__fd(m);
}

/* The five statistics, as the arguments args[0..5) of a printf. */
static void rt_stats_args(struct fmt_arg *args, const struct hist_stats *st)
{
	/* @avg: C division truncates toward zero, as stap's does. */
	int64_t v[5] = { st->count, st->min, st->max, st->sum,
			 st->sum / st->count };
	int i;

	for (i = 0; i < 5; i++)
		args[i] = (struct fmt_arg){ .type = BT_LONG, .l = v[i] };
}

static const char rt_stats_fmt[] =
	" @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d\n";

static void rt_global_stats(struct rt_session *s,
			    const struct bt_objglobal *g)
{
	struct fmt_arg args[6] = { { .type = BT_STRING, .s = g->name } };
	struct hist_stats st;
	int fd = rt_global_fd(s, g), rc;

	if (fd < 0)
		return;
	if (s->obj->maps[g->map].value_size != hist_stats_size(&g->hist)) {
		rt_bug(s, "the map of aggregate %s has values of %u bytes, "
		       "expected %zu", g->name, s->obj->maps[g->map].value_size,
		       hist_stats_size(&g->hist));
		return;
	}
	rc = hist_stats_read(&st, &g->hist, fd, NULL);
	if (rc < 0) {
		rt_bug(s, "cannot read the aggregate %s: %s", g->name,
		       strerror(errno));
		return;
	}
	if (s->opt->json) {
		rt_json_head(s->opt->out, g->name);
		fputc(',', s->opt->out);
		rt_json_stats(s->opt->out, &st);
		fputs("}\n", s->opt->out);
	} else if (!st.count) {
		fprintf(s->opt->out, "%s @count=0x0\n", g->name);
	} else {
		char fmt[sizeof(rt_stats_fmt) + 2] = "%s";

		strcat(fmt, rt_stats_fmt);
		rt_stats_args(args + 1, &st);
		fmt_print(s->opt->out, fmt, strlen(fmt), args, 6);
	}
	hist_stats_free(&st);
}

/* One array and its elements, read from its map. */
struct rt_array {
	const struct bt_objglobal *g;
	uint32_t strfield;
	uint32_t key_size;
	uint32_t value_size;		/* 0 for aggregates (per-CPU) */
	struct rt_elem *elems;
	int n;
};

struct rt_elem {
	const struct rt_array *a;
	uint8_t *key;			/* key_size bytes, then value */
	struct hist_stats st;		/* aggregates */
};

static uint32_t rt_key_size(const struct bt_objglobal *g)
{
	uint32_t size = 0;
	int i;

	for (i = 0; i < g->nkeys; i++)
		size += g->key_width[i];
	return size;
}

static int64_t rt_get_long(const uint8_t *p)
{
	int64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int rt_cmp_long(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Keys in ascending order, column by column. */
static int rt_cmp_keys(const struct rt_array *a, const uint8_t *x,
		       const uint8_t *y)
{
	int i, c;

	for (i = 0; i < a->g->nkeys; i++) {
		if (a->g->keys[i] == BT_STRING) {
			c = strncmp((const char *)x, (const char *)y,
				    a->g->key_width[i]);
			x += a->g->key_width[i];
			y += a->g->key_width[i];
		} else {
			c = rt_cmp_long(rt_get_long(x), rt_get_long(y));
			x += sizeof(int64_t);
			y += sizeof(int64_t);
		}
		if (c)
			return c;
	}
	return 0;
}

/*
 * stap's `foreach (... in a-)`: by value, descending (an aggregate by its
 * @count, stap's default for sorting aggregates). Equal values: stap's
 * order then depends on its hash table; ours is by key, ascending, so
 * that the output is the same on every run.
 */
static int rt_cmp_elems(const void *p, const void *q)
{
	const struct rt_elem *x = p, *y = q;
	const struct rt_array *a = x->a;
	const uint8_t *vx = x->key + a->key_size, *vy = y->key + a->key_size;
	int c;

	if (a->g->type == BT_STATS)
		c = rt_cmp_long(x->st.count, y->st.count);
	else if (a->g->type == BT_STRING)
		c = strncmp((const char *)vx, (const char *)vy, a->strfield);
	else
		c = rt_cmp_long(rt_get_long(vx), rt_get_long(vy));
	if (c)
		return -c;
	return rt_cmp_keys(a, x->key, y->key);
}

/* Read element `key` into e (the key is copied). 1: it went away. */
static int rt_elem_read(struct rt_array *a, int fd, const uint8_t *key,
			struct rt_elem *e)
{
	int rc = 0;

	memset(e, 0, sizeof(*e));
	e->a = a;
	e->key = calloc(1, a->key_size + a->value_size + 1);
	if (!e->key)
		return -1;
	memcpy(e->key, key, a->key_size);
	if (a->g->type == BT_STATS) {
		rc = hist_stats_read(&e->st, &a->g->hist, fd, key);
		/* stap has no element that was never added to. */
		if (rc == 0 && !e->st.count)
			rc = 1;
	} else if (bpf_map_lookup_elem(fd, key, e->key + a->key_size)) {
		rc = errno == ENOENT ? 1 : -1;
	}
	if (rc) {
		hist_stats_free(&e->st);
		free(e->key);
		e->key = NULL;
	}
	return rc;
}

static void rt_array_free(struct rt_array *a)
{
	int i;

	for (i = 0; i < a->n; i++) {
		hist_stats_free(&a->elems[i].st);
		free(a->elems[i].key);
	}
	free(a->elems);
	a->elems = NULL;
	a->n = 0;
}

/* Every element of the map, at most max of them. */
static int rt_array_read(struct rt_array *a, int fd, uint32_t max)
{
	uint8_t *cur = calloc(2, a->key_size ? a->key_size : 1);
	uint8_t *next = cur + (a->key_size ? a->key_size : 1);
	bool first = true;
	int rc = 0;

	a->elems = calloc(max + 1, sizeof(*a->elems));
	if (!cur || !a->elems) {
		free(cur);
		errno = ENOMEM;
		return -1;
	}
	while ((uint32_t)a->n < max) {
		if (bpf_map_get_next_key(fd, first ? NULL : cur, next)) {
			rc = errno == ENOENT ? 0 : -1;
			break;
		}
		first = false;
		memcpy(cur, next, a->key_size);
		rc = rt_elem_read(a, fd, cur, &a->elems[a->n]);
		if (rc < 0)
			break;
		if (rc == 0)
			a->n++;
		rc = 0;
	}
	free(cur);
	return rc;
}

/* printf format of one element, as stap's synthetic probe has it. */
static void rt_elem_format(const struct rt_array *a, char *fmt, size_t size)
{
	const struct bt_objglobal *g = a->g;
	int i;

	snprintf(fmt, size, "%%s[");
	for (i = 0; i < g->nkeys; i++) {
		if (i)
			strncat(fmt, ",", size - strlen(fmt) - 1);
		strncat(fmt, g->keys[i] == BT_STRING ? "\"%#s\"" : "%#d",
			size - strlen(fmt) - 1);
	}
	strncat(fmt, "]", size - strlen(fmt) - 1);
	if (g->type == BT_STATS)
		strncat(fmt, rt_stats_fmt, size - strlen(fmt) - 1);
	else if (g->type == BT_STRING)
		strncat(fmt, "=\"%#s\"\n", size - strlen(fmt) - 1);
	else
		strncat(fmt, "=%d\n", size - strlen(fmt) - 1);
}

/*
 * Print element e with format fmt. Strings that fill their field have no
 * NUL: they are copied, cut at the field's end, into strs.
 */
static void rt_elem_print(struct rt_session *s, const struct rt_elem *e,
			  const char *fmt, char *strs)
{
	const struct rt_array *a = e->a;
	const struct bt_objglobal *g = a->g;
	struct fmt_arg args[RT_GLOBAL_MAXARGS];
	const uint8_t *p = e->key;
	int n = 0, i;

	args[n++] = (struct fmt_arg){ .type = BT_STRING, .s = g->name };
	for (i = 0; i <= g->nkeys; i++) {
		enum bt_type t = i < g->nkeys ? g->keys[i] : g->type;
		size_t field = i < g->nkeys ? g->key_width[i] : a->strfield;
		char *str = strs + (size_t)i * (a->strfield + 1);

		if (t == BT_STATS) {
			rt_stats_args(args + n, &e->st);
			n += 5;
		} else if (t == BT_STRING) {
			memcpy(str, p, field);
			str[field] = 0;
			args[n++] = (struct fmt_arg){ .type = BT_STRING,
						      .s = str };
			p += field;
		} else {
			args[n++] = (struct fmt_arg){ .type = BT_LONG,
						      .l = rt_get_long(p) };
			p += sizeof(int64_t);
		}
	}
	fmt_print(s->opt->out, fmt, strlen(fmt), args, n);
}

/*
 * --format=json: element e as {"key":[...],"value":...}; an aggregate's
 * statistics are members of the element instead of a value.
 */
static void rt_elem_json(FILE *out, const struct rt_elem *e, bool first)
{
	const struct rt_array *a = e->a;
	const struct bt_objglobal *g = a->g;
	const uint8_t *p = e->key;
	int i;

	fputs(first ? "{\"key\":[" : ",{\"key\":[", out);
	for (i = 0; i <= g->nkeys; i++) {
		enum bt_type t = i < g->nkeys ? g->keys[i] : g->type;

		if (i == g->nkeys)
			fputs(t == BT_STATS ? "]," : "],\"value\":", out);
		else if (i)
			fputc(',', out);
		if (t == BT_STATS) {
			rt_json_stats(out, &e->st);
		} else if (t == BT_STRING) {
			size_t field = i < g->nkeys ? g->key_width[i] :
				       a->strfield;

			json_string(out, (const char *)p,
				    strnlen((const char *)p, field));
			p += field;
		} else {
			fprintf(out, "%" PRId64, rt_get_long(p));
			p += sizeof(int64_t);
		}
	}
	fputc('}', out);
}

static void rt_array_json(struct rt_session *s, const struct rt_array *a)
{
	int i;

	rt_json_head(s->opt->out, a->g->name);
	fputs(",\"elements\":[", s->opt->out);
	for (i = 0; i < a->n; i++)
		rt_elem_json(s->opt->out, &a->elems[i], i == 0);
	fputs("]}\n", s->opt->out);
}

static int rt_array_setup(struct rt_session *s, struct rt_array *a,
			  const struct bt_objglobal *g)
{
	const struct bt_objmap *m = &s->obj->maps[g->map];

	a->g = g;
	a->strfield = s->obj->strfield;
	a->key_size = rt_key_size(g);
	if (g->type == BT_STATS)
		a->value_size = 0;
	else if (g->type == BT_STRING)
		a->value_size = a->strfield;
	else
		a->value_size = sizeof(int64_t);
	if (g->nkeys > BT_MAX_KEYS || m->key_size != a->key_size ||
	    (g->type != BT_STATS && m->value_size != a->value_size) ||
	    (g->type == BT_STATS &&
	     m->value_size != hist_stats_size(&g->hist))) {
		rt_bug(s, "the map of array %s has keys of %u bytes and "
		       "values of %u, expected %u and %zu", g->name,
		       m->key_size, m->value_size, a->key_size,
		       g->type == BT_STATS ? hist_stats_size(&g->hist) :
		       (size_t)a->value_size);
		return -1;
	}
	return 0;
}

static void rt_global_array(struct rt_session *s,
			    const struct bt_objglobal *g)
{
	struct rt_array a = { 0 };
	char fmt[64 + BT_MAX_KEYS * 8];
	char *strs;
	int fd, i;

	fd = rt_global_fd(s, g);
	if (fd < 0 || rt_array_setup(s, &a, g))
		return;
	if (rt_array_read(&a, fd, s->obj->maps[g->map].max_entries)) {
		rt_bug(s, "cannot read the array %s: %s", g->name,
		       strerror(errno));
		rt_array_free(&a);
		return;
	}
	qsort(a.elems, a.n, sizeof(*a.elems), rt_cmp_elems);
	if (s->opt->json) {
		rt_array_json(s, &a);
		rt_array_free(&a);
		return;
	}
	rt_elem_format(&a, fmt, sizeof(fmt));
	strs = malloc((size_t)(BT_MAX_KEYS + 1) * (a.strfield + 1));
	for (i = 0; strs && i < a.n; i++)
		rt_elem_print(s, &a.elems[i], fmt, strs);
	if (!strs)
		rt_error("out of memory");
	free(strs);
	rt_array_free(&a);
}

void rt_globals_print(struct rt_session *s)
{
	const struct bt_object *obj = s->obj;
	int i;

	if (s->opt->no_global_display || rt_data_read(s))
		return;
	for (i = 0; i < obj->nglobals; i++) {
		const struct bt_objglobal *g = &obj->globals[i];

		if (!g->autoprint)
			continue;
		if (g->nkeys)
			rt_global_array(s, g);
		else if (g->type == BT_STATS)
			rt_global_stats(s, g);
		else
			rt_global_scalar(s, g);
	}
	fflush(s->opt->out);
}
