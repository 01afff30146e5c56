// SPDX-License-Identifier: GPL-2.0
/*
 * The `.bpftap.meta` section: encoder and decoder side by side, so the
 * format has one definition (described in docs/design.md).
 *
 * Everything is little-endian, byte by byte, whatever the host. Counts
 * are u32 and checked against the bytes left before anything is
 * allocated, so a corrupt count fails cleanly instead of asking for
 * gigabytes. Strings are a u32 length and the bytes (no NUL); length
 * 0xffffffff is a NULL pointer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "../parser/diag.h"
#include "objmeta.h"

#define OM_NULL_STR	0xffffffffu
#define OM_NO_FILE	0xffffffffu
/* Limits a sane object stays far below; beyond them it is corrupt. */
#define OM_MAX_FORMAT_ARGS	64
#define OM_MAX_LINE		(1 << 24)

/* ---- encoder ---------------------------------------------------------- */

struct om_w {
	uint8_t *p;
	size_t len, cap;
	int err;
	const char **files;	/* interned names, index = file number */
	uint32_t nfiles;
};

static void om_put(struct om_w *w, const void *src, size_t n)
{
	if (w->err || !n)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		uint8_t *np;

		while (cap < w->len + n)
			cap *= 2;
		np = realloc(w->p, cap);
		if (!np) {
			w->err = ENOMEM;
			return;
		}
		w->p = np;
		w->cap = cap;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void om_u8(struct om_w *w, uint8_t v)
{
	om_put(w, &v, 1);
}

static void om_u32(struct om_w *w, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	om_put(w, b, 4);
}

static void om_u64(struct om_w *w, uint64_t v)
{
	om_u32(w, (uint32_t)v);
	om_u32(w, (uint32_t)(v >> 32));
}

static void om_bytes(struct om_w *w, const char *s, size_t n)
{
	if (!s) {
		om_u32(w, OM_NULL_STR);
		return;
	}
	if (n >= OM_NULL_STR) {
		w->err = EOVERFLOW;
		return;
	}
	om_u32(w, n);
	om_put(w, s, n);
}

static void om_str(struct om_w *w, const char *s)
{
	om_bytes(w, s, s ? strlen(s) : 0);
}

/* The number of file name f in the table, adding it on first sight. */
static uint32_t om_file(struct om_w *w, const char *f)
{
	const char **nf;
	uint32_t i;

	if (!f)
		return OM_NO_FILE;
	for (i = 0; i < w->nfiles; i++)
		if (w->files[i] == f || !strcmp(w->files[i], f))
			return i;
	nf = realloc(w->files, (w->nfiles + 1) * sizeof(*nf));
	if (!nf) {
		w->err = ENOMEM;
		return OM_NO_FILE;
	}
	w->files = nf;
	w->files[w->nfiles] = f;
	return w->nfiles++;
}

static void om_loc(struct om_w *w, const struct bt_loc *loc)
{
	om_u32(w, om_file(w, loc->file));
	om_u32(w, (uint32_t)loc->line);
	om_u32(w, (uint32_t)loc->col);
}

/* Every field of struct bt_attach, in declaration order. */
static void om_attach(struct om_w *w, const struct bt_attach *a)
{
	om_u32(w, a->type);
	om_u64(w, (uint64_t)a->priority);
	om_u64(w, a->period_ns);
	om_u64(w, a->hz);
	om_str(w, a->tp_system);
	om_str(w, a->tp_event);
	om_str(w, a->path);
	om_str(w, a->func);
	om_u64(w, (uint64_t)a->pid);
	om_u64(w, a->perf_type);
	om_u64(w, a->perf_config);
	om_u64(w, a->perf_sample);
	om_u8(w, a->optional);
	om_str(w, a->pp);
}

static void om_prog(struct om_w *w, const struct bt_objprog *p)
{
	uint32_t i;

	om_str(w, p->name);
	om_u8(w, p->subprog);
	om_str(w, p->section);
	om_u32(w, p->prog_type);
	om_u32(w, p->ninsns);
	om_u32(w, (uint32_t)p->probe);
	om_loc(w, &p->loc);
	om_attach(w, &p->attach);
	om_u32(w, p->nlines);
	for (i = 0; i < p->nlines; i++) {
		om_u32(w, p->lines[i].insn);
		om_loc(w, &p->lines[i].loc);
	}
}

static void om_map(struct om_w *w, const struct bt_objmap *m)
{
	om_str(w, m->name);
	om_u32(w, m->type);
	om_u32(w, m->key_size);
	om_u32(w, m->value_size);
	om_u32(w, m->max_entries);
	om_u32(w, m->flags);
}

static void om_format(struct om_w *w, const struct bt_format *f)
{
	int i;

	om_bytes(w, f->fmt, f->fmt ? f->len : 0);
	om_u32(w, f->nargs);
	for (i = 0; i < f->nargs; i++)
		om_u8(w, f->argtypes[i]);
}

static void om_global(struct om_w *w, const struct bt_objglobal *g)
{
	int i;

	om_str(w, g->name);
	om_u8(w, g->type);
	om_u8(w, g->nkeys);
	for (i = 0; i < g->nkeys && i < BT_MAX_KEYS; i++)
		om_u8(w, g->keys[i]);
	for (i = 0; i < g->nkeys && i < BT_MAX_KEYS; i++)
		om_u32(w, g->key_width[i]);
	om_u8(w, g->autoprint);
	om_u32(w, g->data_off);
	om_u32(w, (uint32_t)g->map);
	om_loc(w, &g->loc);
	om_u8(w, g->hist.kind);
	om_u64(w, (uint64_t)g->hist.start);
	om_u64(w, (uint64_t)g->hist.stop);
	om_u64(w, (uint64_t)g->hist.interval);
	om_u32(w, g->hist.nbuckets);
}

struct om_line {
	uint32_t file;
	uint32_t line;
};

static int om_line_cmp(const void *a, const void *b)
{
	const struct om_line *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int om_collect_lines(struct om_w *w, const struct bt_object *obj,
			    struct om_line *out)
{
	int n = 0, i;
	uint32_t j;

	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		out[n++] = (struct om_line){ om_file(w, p->loc.file),
					     p->loc.line };
		for (j = 0; j < p->nlines; j++)
			out[n++] = (struct om_line){
				om_file(w, p->lines[j].loc.file),
				p->lines[j].loc.line };
	}
	return n;
}

/*
 * The text of each source line a program points at, once each, for -p3
 * and BTF line info of an object whose script is not at hand.
 */
static void om_source_lines(struct om_w *w, const struct bt_object *obj)
{
	struct om_line *lines;
	size_t total = 0;
	int i, n, kept = 0;

	for (i = 0; i < obj->nprogs; i++)
		total += 1 + obj->progs[i].nlines;
	lines = calloc(total + 1, sizeof(*lines));
	if (!lines) {
		w->err = ENOMEM;
		return;
	}
	n = om_collect_lines(w, obj, lines);
	qsort(lines, n, sizeof(*lines), om_line_cmp);
	for (i = 0; i < n; i++) {
		const char *text;

		if (lines[i].file == OM_NO_FILE ||
		    (i && !om_line_cmp(&lines[i], &lines[i - 1])))
			continue;
		text = diag_source_line(w->files[lines[i].file],
					lines[i].line, NULL);
		if (text)
			lines[kept++] = lines[i];
	}
	om_u32(w, kept);
	for (i = 0; i < kept; i++) {
		size_t len = 0;
		const char *text = diag_source_line(w->files[lines[i].file],
						    lines[i].line, &len);

		om_u32(w, lines[i].file);
		om_u32(w, lines[i].line);
		om_bytes(w, text, len);
	}
	free(lines);
}

static void om_header(struct om_w *w)
{
	char version[OBJMETA_VERSION_LEN] = { 0 };

	snprintf(version, sizeof(version), "%s", PACKAGE_VERSION);
	om_put(w, OBJMETA_MAGIC, 8);
	om_u32(w, OBJMETA_FORMAT);
	om_u32(w, OBJMETA_HDR_LEN);
	om_put(w, version, sizeof(version));
}

/*
 * The body references files by number; the table goes last so that
 * every location has been seen when it is written.
 */
static void om_body(struct om_w *w, const struct bt_object *obj)
{
	int i;

	om_str(w, obj->source);
	om_u32(w, obj->strfield);
	om_u32(w, obj->maxstringlen);
	om_u32(w, obj->ncpus);
	om_u32(w, (uint32_t)obj->ringbuf_map);
	om_u32(w, obj->data_size);
	om_u32(w, obj->rodata_size);
	om_u32(w, obj->nmaps);
	for (i = 0; i < obj->nmaps; i++)
		om_map(w, &obj->maps[i]);
	om_u32(w, obj->nprogs);
	for (i = 0; i < obj->nprogs; i++)
		om_prog(w, &obj->progs[i]);
	om_u32(w, obj->nformats);
	for (i = 0; i < obj->nformats; i++)
		om_format(w, &obj->formats[i]);
	om_u32(w, obj->nerrors);
	for (i = 0; i < obj->nerrors; i++) {
		om_str(w, obj->errors[i].msg);
		om_u8(w, obj->errors[i].dynamic);
	}
	om_u32(w, obj->nglobals);
	for (i = 0; i < obj->nglobals; i++)
		om_global(w, &obj->globals[i]);
	om_source_lines(w, obj);
}

int objmeta_encode(const struct bt_object *obj, void **buf, size_t *len)
{
	struct om_w w = { 0 };
	uint32_t i;

	om_header(&w);
	om_body(&w, obj);
	/* The file table, after the body that filled it. */
	om_u32(&w, w.nfiles);
	for (i = 0; i < w.nfiles; i++)
		om_str(&w, w.files[i]);
	free(w.files);
	if (w.err) {
		free(w.p);
		errno = w.err;
		return -1;
	}
	*buf = w.p;
	*len = w.len;
	return 0;
}

/* ---- decoder ---------------------------------------------------------- */

struct om_r {
	const uint8_t *p;
	size_t len, off;
	bool bad;
	char *err;
	size_t errlen;
	/* Locations refer to files by number before the table is read:
	 * they are collected and resolved at the end. */
	struct bt_loc **locs;
	uint32_t *loc_files;
	size_t nlocs, caplocs;
};

__attribute__((format(printf, 2, 3)))
static void om_fail(struct om_r *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad)
		return;
	r->bad = true;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
}

static const uint8_t *om_get(struct om_r *r, size_t n)
{
	const uint8_t *p;

	if (r->bad)
		return NULL;
	if (n > r->len - r->off) {
		om_fail(r, "is truncated or corrupt: metadata ends early "
			"(at byte %zu of %zu)", r->off, r->len);
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint32_t om_r32(struct om_r *r)
{
	const uint8_t *b = om_get(r, 4);

	if (!b)
		return 0;
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint8_t om_r8(struct om_r *r)
{
	const uint8_t *b = om_get(r, 1);

	return b ? *b : 0;
}

static uint64_t om_r64(struct om_r *r)
{
	uint64_t lo = om_r32(r);

	return lo | (uint64_t)om_r32(r) << 32;
}

static bool om_rbool(struct om_r *r)
{
	uint8_t v = om_r8(r);

	if (v > 1)
		om_fail(r, "is truncated or corrupt: bad flag at byte %zu",
			r->off - 1);
	return v;
}

/* A count of elements of at least `min` bytes each that must fit. */
static uint32_t om_count(struct om_r *r, size_t min, const char *what)
{
	uint32_t n = om_r32(r);

	if (!r->bad && (uint64_t)n * min > r->len - r->off) {
		om_fail(r, "is truncated or corrupt: %u %s do not fit", n,
			what);
		return 0;
	}
	return r->bad ? 0 : n;
}

/* A string, NUL-terminated in a malloc'ed copy; *len its length. */
static char *om_rbytes(struct om_r *r, size_t *lenp)
{
	uint32_t n = om_r32(r);
	const uint8_t *b;
	char *s;

	if (r->bad || n == OM_NULL_STR)
		return NULL;
	b = om_get(r, n);
	if (!b)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s) {
		om_fail(r, "cannot be read: out of memory");
		return NULL;
	}
	memcpy(s, b, n);
	s[n] = 0;
	if (lenp)
		*lenp = n;
	return s;
}

/* A name: no NUL inside, as C code will treat it as a C string. */
static char *om_rstr(struct om_r *r)
{
	size_t len = 0;
	char *s = om_rbytes(r, &len);

	if (s && strlen(s) != len) {
		om_fail(r, "is truncated or corrupt: a name holds a NUL");
		free(s);
		return NULL;
	}
	return s;
}

static void om_rloc(struct om_r *r, struct bt_loc *loc)
{
	uint32_t file = om_r32(r);

	loc->file = NULL;
	loc->line = (int)om_r32(r);
	loc->col = (int)om_r32(r);
	if (r->bad || file == OM_NO_FILE)
		return;
	if (r->nlocs == r->caplocs) {
		size_t cap = r->caplocs ? r->caplocs * 2 : 64;
		struct bt_loc **nl = realloc(r->locs, cap * sizeof(*nl));
		uint32_t *nf = realloc(r->loc_files, cap * sizeof(*nf));

		if (nl)
			r->locs = nl;
		if (nf)
			r->loc_files = nf;
		if (!nl || !nf) {
			om_fail(r, "cannot be read: out of memory");
			return;
		}
		r->caplocs = cap;
	}
	r->locs[r->nlocs] = loc;
	r->loc_files[r->nlocs++] = file;
}

static void om_rattach(struct om_r *r, struct bt_attach *a)
{
	a->type = om_r32(r);
	a->priority = (int64_t)om_r64(r);
	a->period_ns = om_r64(r);
	a->hz = om_r64(r);
	a->tp_system = om_rstr(r);
	a->tp_event = om_rstr(r);
	a->path = om_rstr(r);
	a->func = om_rstr(r);
	a->pid = (int64_t)om_r64(r);
	a->perf_type = om_r64(r);
	a->perf_config = om_r64(r);
	a->perf_sample = om_r64(r);
	a->optional = om_rbool(r);
	a->pp = om_rstr(r);
}

static void om_rprog(struct om_r *r, struct bt_objprog *p)
{
	uint32_t i;

	p->name = om_rstr(r);
	p->subprog = om_rbool(r);
	p->section = om_rstr(r);
	p->prog_type = om_r32(r);
	p->ninsns = om_r32(r);
	p->probe = (int)om_r32(r);
	om_rloc(r, &p->loc);
	om_rattach(r, &p->attach);
	p->nlines = om_count(r, 16, "source lines");
	if (!p->nlines)
		return;
	p->lines = calloc(p->nlines, sizeof(*p->lines));
	if (!p->lines) {
		p->nlines = 0;
		om_fail(r, "cannot be read: out of memory");
		return;
	}
	for (i = 0; i < p->nlines && !r->bad; i++) {
		p->lines[i].insn = om_r32(r);
		om_rloc(r, &p->lines[i].loc);
	}
}

static void om_rmap(struct om_r *r, struct bt_objmap *m)
{
	m->name = om_rstr(r);
	m->type = om_r32(r);
	m->key_size = om_r32(r);
	m->value_size = om_r32(r);
	m->max_entries = om_r32(r);
	m->flags = om_r32(r);
}

static void om_rformat(struct om_r *r, struct bt_format *f)
{
	uint32_t n;
	int i;

	f->fmt = om_rbytes(r, &f->len);
	n = om_count(r, 1, "format arguments");
	if (n > OM_MAX_FORMAT_ARGS)
		om_fail(r, "is truncated or corrupt: a format with %u "
			"arguments", n);
	if (r->bad || !n)
		return;
	f->argtypes = calloc(n, sizeof(*f->argtypes));
	if (!f->argtypes) {
		om_fail(r, "cannot be read: out of memory");
		return;
	}
	f->nargs = n;
	for (i = 0; i < f->nargs; i++)
		f->argtypes[i] = om_r8(r);
}

static void om_rglobal(struct om_r *r, struct bt_objglobal *g)
{
	int i;

	g->name = om_rstr(r);
	g->type = om_r8(r);
	g->nkeys = om_r8(r);
	if (g->nkeys > BT_MAX_KEYS) {
		om_fail(r, "is truncated or corrupt: global with %d keys",
			g->nkeys);
		g->nkeys = 0;
	}
	for (i = 0; i < g->nkeys; i++)
		g->keys[i] = om_r8(r);
	for (i = 0; i < g->nkeys; i++)
		g->key_width[i] = om_r32(r);
	g->autoprint = om_rbool(r);
	g->data_off = om_r32(r);
	g->map = (int)om_r32(r);
	om_rloc(r, &g->loc);
	g->hist.kind = om_r8(r);
	g->hist.start = (int64_t)om_r64(r);
	g->hist.stop = (int64_t)om_r64(r);
	g->hist.interval = (int64_t)om_r64(r);
	g->hist.nbuckets = om_r32(r);
}

/* calloc'ed array of n elements of size sz, failing r on no memory. */
static void *om_array(struct om_r *r, uint32_t n, size_t sz)
{
	void *p;

	if (r->bad || !n)
		return NULL;
	p = calloc(n, sz);
	if (!p)
		om_fail(r, "cannot be read: out of memory");
	return p;
}

static void om_rtables(struct om_r *r, struct bt_object *obj)
{
	int i;

	obj->nmaps = om_count(r, 24, "maps");
	obj->maps = om_array(r, obj->nmaps, sizeof(*obj->maps));
	if (!obj->maps)
		obj->nmaps = 0;
	for (i = 0; i < obj->nmaps && !r->bad; i++)
		om_rmap(r, &obj->maps[i]);
	obj->nprogs = om_count(r, 64, "programs");
	obj->progs = om_array(r, obj->nprogs, sizeof(*obj->progs));
	if (!obj->progs)
		obj->nprogs = 0;
	for (i = 0; i < obj->nprogs && !r->bad; i++)
		om_rprog(r, &obj->progs[i]);
	obj->nformats = om_count(r, 8, "formats");
	obj->formats = om_array(r, obj->nformats, sizeof(*obj->formats));
	if (!obj->formats)
		obj->nformats = 0;
	for (i = 0; i < obj->nformats && !r->bad; i++)
		om_rformat(r, &obj->formats[i]);
	obj->nerrors = om_count(r, 5, "error messages");
	obj->errors = om_array(r, obj->nerrors, sizeof(*obj->errors));
	if (!obj->errors)
		obj->nerrors = 0;
	for (i = 0; i < obj->nerrors && !r->bad; i++) {
		obj->errors[i].msg = om_rstr(r);
		obj->errors[i].dynamic = om_rbool(r);
	}
	obj->nglobals = om_count(r, 48, "globals");
	obj->globals = om_array(r, obj->nglobals, sizeof(*obj->globals));
	if (!obj->globals)
		obj->nglobals = 0;
	for (i = 0; i < obj->nglobals && !r->bad; i++)
		om_rglobal(r, &obj->globals[i]);
}

struct om_text {
	uint32_t file, line;
	char *text;
	size_t len;
};

/* Register a synthetic source per file holding just the recorded lines
 * (at their numbers), unless diag already knows the real one. */
static void om_register_sources(struct om_r *r, struct om_text *t, uint32_t n,
				const char *const *files, uint32_t nfiles)
{
	uint32_t f, i, line;

	for (f = 0; f < nfiles && !r->bad; f++) {
		char *buf = NULL;
		size_t blen = 0;
		FILE *m;

		if (diag_source_line(files[f], 1, NULL))
			continue;
		m = open_memstream(&buf, &blen);
		if (!m) {
			om_fail(r, "cannot be read: out of memory");
			return;
		}
		line = 1;
		for (i = 0; i < n; i++) {
			if (t[i].file != f)
				continue;
			for (; line < t[i].line; line++)
				fputc('\n', m);
			fwrite(t[i].text, 1, t[i].len, m);
		}
		fclose(m);
		if (line > 1 || blen)
			diag_add_source(files[f], buf, blen);
		free(buf);
	}
}

static int om_text_cmp(const void *a, const void *b)
{
	const struct om_text *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static struct om_text *om_rtexts(struct om_r *r, uint32_t *np)
{
	uint32_t n = om_count(r, 12, "source lines"), i;
	struct om_text *t = om_array(r, n, sizeof(*t));

	for (i = 0; t && i < n && !r->bad; i++) {
		t[i].file = om_r32(r);
		t[i].line = om_r32(r);
		t[i].text = om_rbytes(r, &t[i].len);
		if (!r->bad && (!t[i].text || t[i].line < 1 ||
				t[i].line > OM_MAX_LINE ||
				memchr(t[i].text, '\n', t[i].len)))
			om_fail(r, "is truncated or corrupt: bad source "
				"line");
	}
	*np = t ? n : 0;
	return t;
}

/* The file table; then every location and source line gets its name. */
static void om_rfiles(struct om_r *r, struct om_text *t, uint32_t nt)
{
	uint32_t n = om_count(r, 4, "file names"), i;
	const char **files = om_array(r, n, sizeof(*files));
	size_t k;

	for (i = 0; files && i < n && !r->bad; i++) {
		char *s = om_rstr(r);

		if (!r->bad && !s)
			om_fail(r, "is truncated or corrupt: no file name");
		files[i] = s ? diag_intern(s) : NULL;
		free(s);
	}
	for (k = 0; k < r->nlocs && !r->bad; k++) {
		if (r->loc_files[k] >= n)
			om_fail(r, "is truncated or corrupt: location in "
				"file %u of %u", r->loc_files[k], n);
		else
			r->locs[k]->file = files[r->loc_files[k]];
	}
	for (i = 0; i < nt && !r->bad; i++)
		if (t[i].file >= n)
			om_fail(r, "is truncated or corrupt: source line in "
				"file %u of %u", t[i].file, n);
	if (!r->bad) {
		if (nt)		/* t is NULL when there are none */
			qsort(t, nt, sizeof(*t), om_text_cmp);
		om_register_sources(r, t, nt, files, n);
	}
	free(files);
}

static void om_rbody(struct om_r *r, struct bt_object *obj)
{
	struct om_text *t;
	uint32_t nt = 0, i;

	obj->source = om_rstr(r);
	obj->strfield = om_r32(r);
	obj->maxstringlen = om_r32(r);
	obj->ncpus = om_r32(r);
	obj->ringbuf_map = (int)om_r32(r);
	obj->data_size = om_r32(r);
	obj->rodata_size = om_r32(r);
	om_rtables(r, obj);
	t = om_rtexts(r, &nt);
	om_rfiles(r, t, nt);
	for (i = 0; i < nt; i++)
		free(t[i].text);
	free(t);
	if (!r->bad && r->off != r->len)
		om_fail(r, "is truncated or corrupt: %zu stray bytes after "
			"the metadata", r->len - r->off);
}

/* Magic, then the bpftap version (before anything that may change with
 * it), then the encoding's own version. */
static int om_rheader(struct om_r *r)
{
	const uint8_t *h = om_get(r, OBJMETA_HDR_LEN);
	char version[OBJMETA_VERSION_LEN + 1];
	uint32_t format, hdr_len;

	if (!h || memcmp(h, OBJMETA_MAGIC, 8)) {
		r->bad = false;
		om_fail(r, "is not a bpftap object (bad metadata header)");
		return -1;
	}
	memcpy(version, h + OBJMETA_VERSION_OFF, OBJMETA_VERSION_LEN);
	version[OBJMETA_VERSION_LEN] = 0;
	if (strcmp(version, PACKAGE_VERSION)) {
		om_fail(r, "was compiled by bpftap %.32s; this is bpftap %s: "
			"recompile it", version, PACKAGE_VERSION);
		return -1;
	}
	r->off = 8;
	format = om_r32(r);
	hdr_len = om_r32(r);
	r->off = OBJMETA_HDR_LEN;
	if (format != OBJMETA_FORMAT || hdr_len != OBJMETA_HDR_LEN) {
		om_fail(r, "is truncated or corrupt: metadata format %u, "
			"expected %u", format, OBJMETA_FORMAT);
		return -1;
	}
	return 0;
}

int objmeta_decode(const void *buf, size_t len, struct bt_object *obj,
		   char *err, size_t errlen)
{
	struct om_r r = { .p = buf, .len = len, .err = err,
			  .errlen = errlen };

	if (!om_rheader(&r))
		om_rbody(&r, obj);
	free(r.locs);
	free(r.loc_files);
	return r.bad ? -1 : 0;
}
