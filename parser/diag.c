// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics with a quoted source line and a caret.
 *
 * Every source text is copied when registered, so a pass can quote a line
 * long after the buffer it was parsed from is gone. File names are
 * interned here too: bt_loc.file points into this module, which is why
 * diag_reset() must come after the last use of any location.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"

/* Lines longer than this are quoted as a window around the column. */
#define DIAG_MAX_EXCERPT	160

struct diag_source {
	struct diag_source *next;
	const char *name;	/* interned */
	char *text;
	size_t len;
	size_t *line_starts;	/* computed on first quote */
	int nlines;
};

struct diag_name {
	struct diag_name *next;
	char name[];
};

static struct diag_name *diag_names;
static struct diag_source *diag_sources;
static int diag_errors;
static int diag_quiet_warnings;
static int diag_color = -1;	/* -1: not decided yet */

/* gcc's colours: bold locus, red/magenta/cyan kind, green caret. */
#define DIAG_BOLD	"\033[1m"
#define DIAG_RED	"\033[1;31m"
#define DIAG_MAGENTA	"\033[1;35m"
#define DIAG_CYAN	"\033[1;36m"
#define DIAG_GREEN	"\033[1;32m"
#define DIAG_RESET	"\033[m"

static void *diag_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p) {
		fputs("bpftap: error: out of memory\n", stderr);
		abort();
	}
	return p;
}

const char *diag_intern(const char *file)
{
	struct diag_name *n;
	size_t len;

	if (!file)
		return NULL;
	for (n = diag_names; n; n = n->next)
		if (!strcmp(n->name, file))
			return n->name;
	len = strlen(file);
	n = diag_xmalloc(sizeof(*n) + len + 1);
	memcpy(n->name, file, len + 1);
	n->next = diag_names;
	diag_names = n;
	return n->name;
}

static struct diag_source *diag_find(const char *file)
{
	struct diag_source *src;

	if (!file)
		return NULL;
	for (src = diag_sources; src; src = src->next)
		if (src->name == file || !strcmp(src->name, file))
			return src;
	return NULL;
}

const char *diag_add_source(const char *file, const char *text, size_t len)
{
	const char *name = diag_intern(file);
	struct diag_source *src = diag_find(name);

	/* The same name read twice: quote the newest text. */
	if (src) {
		free(src->text);
		free(src->line_starts);
	} else {
		src = diag_xmalloc(sizeof(*src));
		src->name = name;
		src->next = diag_sources;
		diag_sources = src;
	}
	src->text = diag_xmalloc(len + 1);
	if (len)
		memcpy(src->text, text, len);
	src->text[len] = 0;
	src->len = len;
	src->line_starts = NULL;
	src->nlines = 0;
	return name;
}

static void diag_index_lines(struct diag_source *src)
{
	size_t i, n = 1;

	for (i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			n++;
	src->line_starts = diag_xmalloc(n * sizeof(size_t));
	src->line_starts[0] = 0;
	n = 1;
	for (i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->line_starts[n++] = i + 1;
	src->nlines = n;
}

const char *diag_source_line(const char *file, int line, size_t *len)
{
	struct diag_source *src = diag_find(file);
	size_t start, end;

	if (!src || line < 1)
		return NULL;
	if (!src->line_starts)
		diag_index_lines(src);
	if (line > src->nlines)
		return NULL;
	start = src->line_starts[line - 1];
	end = line < src->nlines ? src->line_starts[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	if (len)
		*len = end - start;
	return src->text + start;
}

/*
 * Length of the valid UTF-8 sequence at text[i], or 0. Excerpts show
 * valid sequences as they are and every other byte that would upset a
 * terminal or the caret's alignment as '?'; either way one column each.
 */
size_t diag_utf8_len(const unsigned char *t, size_t i, size_t end)
{
	size_t n, k;

	if (t[i] < 0xc2 || t[i] > 0xf4)
		return 0;
	n = t[i] >= 0xf0 ? 4 : t[i] >= 0xe0 ? 3 : 2;
	if (i + n > end)
		return 0;
	for (k = 1; k < n; k++)
		if ((t[i + k] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Prints text[from, to) as the excerpt shows it. */
static void diag_show(const char *text, size_t from, size_t to, FILE *out)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from, n;

	while (i < to) {
		if (t[i] >= 0x80) {
			n = diag_utf8_len(t, i, to);
			if (n) {
				fwrite(t + i, 1, n, out);
				i += n;
				continue;
			}
			fputc('?', out);
		} else if (t[i] == '\t' || (t[i] >= 0x20 && t[i] != 0x7f)) {
			fputc(t[i], out);
		} else {
			fputc('?', out);
		}
		i++;
	}
}

/* Spaces (tabs copied) up to the column, one per shown character. */
static void diag_caret_pad(const char *text, size_t from, size_t to,
			   FILE *out)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from, n;

	while (i < to) {
		n = t[i] >= 0x80 ? diag_utf8_len(t, i, to) : 0;
		fputc(t[i] == '\t' ? '\t' : ' ', out);
		i += n ? n : 1;
	}
}

/*
 * Colours only for a person at a terminal: never in a file, a pipe or a
 * test's captured stderr, nor on a terminal that cannot show them, nor
 * for someone who asked for none (https://no-color.org).
 */
static int diag_use_color(void)
{
	const char *term, *no_color;

	if (diag_color < 0) {
		term = getenv("TERM");
		no_color = getenv("NO_COLOR");
		diag_color = isatty(STDERR_FILENO) && term && *term &&
			     strcmp(term, "dumb") &&
			     !(no_color && *no_color);
	}
	return diag_color;
}

void diag_set_color(int on)
{
	diag_color = on < 0 ? -1 : !!on;
}

/* Start colour c, or end it with c NULL; nothing without colours. */
static void diag_paint(FILE *out, const char *c)
{
	if (diag_use_color())
		fputs(c ? c : DIAG_RESET, out);
}

static void diag_excerpt(const struct bt_loc *loc, FILE *out)
{
	const char *text;
	size_t len, col, from, to;

	text = diag_source_line(loc->file, loc->line, &len);
	if (!text)
		return;
	col = loc->col > 0 ? (size_t)loc->col - 1 : 0;
	if (col > len)
		col = len;
	from = 0;
	to = len;
	if (len > DIAG_MAX_EXCERPT) {
		size_t half = DIAG_MAX_EXCERPT / 2;

		from = col > half ? col - half : 0;
		to = len - from > DIAG_MAX_EXCERPT ? from + DIAG_MAX_EXCERPT :
						     len;
	}
	if (from > 0)
		fputs("...", out);
	diag_show(text, from, to, out);
	if (to < len)
		fputs("...", out);
	fputc('\n', out);
	if (from > 0)
		fputs("   ", out);
	diag_caret_pad(text, from, col, out);
	diag_paint(out, DIAG_GREEN);
	fputc('^', out);
	diag_paint(out, NULL);
	fputc('\n', out);
}

/* "FILE:LINE:COL: KIND: ", coloured on a terminal. */
static void diag_prefix(const struct bt_loc *loc, const char *kind,
			FILE *out)
{
	const char *c = !strcmp(kind, "error") ? DIAG_RED :
			!strcmp(kind, "warning") ? DIAG_MAGENTA : DIAG_CYAN;

	diag_paint(out, DIAG_BOLD);
	if (loc && loc->file && loc->line > 0)
		fprintf(out, "%s:%d:%d:", loc->file, loc->line,
			loc->col > 0 ? loc->col : 1);
	else
		fprintf(out, "%s:", loc && loc->file ? loc->file : "bpftap");
	diag_paint(out, NULL);
	fputc(' ', out);
	diag_paint(out, c);
	fprintf(out, "%s:", kind);
	diag_paint(out, NULL);
	fputc(' ', out);
}

static void diag_emit(const struct bt_loc *loc, const char *kind,
		      const char *fmt, va_list ap)
{
	FILE *out = stderr;

	diag_prefix(loc, kind, out);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	if (loc && loc->file && loc->line > 0)
		diag_excerpt(loc, out);
	fflush(out);
}

void diag_verror(const struct bt_loc *loc, const char *fmt, va_list ap)
{
	diag_errors++;
	diag_emit(loc, "error", fmt, ap);
}

void diag_error(const struct bt_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(loc, fmt, ap);
	va_end(ap);
}

void diag_warning(const struct bt_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (diag_quiet_warnings)
		return;
	va_start(ap, fmt);
	diag_emit(loc, "warning", fmt, ap);
	va_end(ap);
}

void diag_note(const struct bt_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_emit(loc, "note", fmt, ap);
	va_end(ap);
}

int diag_error_count(void)
{
	return diag_errors;
}

void diag_set_quiet_warnings(int quiet)
{
	diag_quiet_warnings = quiet;
}

void diag_reset(void)
{
	struct diag_source *src, *snext;
	struct diag_name *n, *nnext;

	for (src = diag_sources; src; src = snext) {
		snext = src->next;
		free(src->text);
		free(src->line_starts);
		free(src);
	}
	for (n = diag_names; n; n = nnext) {
		nnext = n->next;
		free(n);
	}
	diag_sources = NULL;
	diag_names = NULL;
	diag_errors = 0;
}
