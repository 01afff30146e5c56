// SPDX-License-Identifier: GPL-2.0
/*
 * What a library file defines, without parsing it: the names of its
 * functions and globals, and the first component of each probe alias
 * (`syscall` for `probe syscall.open, nd_syscall.open = ...`). A light
 * scan over the text that skips comments, strings and embedded code is
 * a few microseconds for a file whose parse takes a millisecond, and
 * tells which files a script needs (tapset.c). The keywords are found
 * among the words of the text outside comments, strings and embedded
 * code, and what follows each is read token by token. A name may be
 * found that is not really defined (a `function` in a %( %) branch not
 * taken): that only loads a file more, never changes what a script
 * means; a real definition is never missed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "tapset_int.h"

struct ts_scan {
	const char *p, *end;
	struct tapset_names *defs;
};

/* Character classes: a table, as isalnum() costs a call per byte. */
enum { TS_START = 1, TS_WORD = 2 };
static unsigned char ts_class[256];

static void ts_init_classes(void)
{
	for (int ch = 0; ch < 256; ch++)
		ts_class[ch] = (isalpha(ch) || ch == '_' ? TS_START : 0) |
			       (isalnum(ch) || ch == '_' ? TS_WORD : 0);
}

static bool ts_ident_start(int ch)
{
	return ts_class[ch] & TS_START;
}

static bool ts_ident_char(int ch)
{
	return ts_class[ch] & TS_WORD;
}

/* Skip blanks, newlines, comments, strings and %{ %}; stops at the next
 * character that is none of these. Strings are skipped whole: what is in
 * them is never a name. */
static void ts_skip(struct ts_scan *sc)
{
	const char *p = sc->p, *e = sc->end;

	while (p < e) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (*p == '#' || (*p == '/' && p + 1 < e && p[1] == '/')) {
			while (p < e && *p != '\n')
				p++;
		} else if (*p == '/' && p + 1 < e && p[1] == '*') {
			for (p += 2; p + 1 < e && !(p[0] == '*' && p[1] == '/');)
				p++;
			p = p + 2 < e ? p + 2 : e;
		} else if (*p == '%' && p + 1 < e && p[1] == '{') {
			for (p += 2; p + 1 < e && !(p[0] == '%' && p[1] == '}');)
				p++;
			p = p + 2 < e ? p + 2 : e;
		} else {
			break;
		}
	}
	sc->p = p;
}

/* At a word of a keyword's length: is it that keyword? */
static bool ts_is(const char *w, size_t n, const char *kw, size_t kn)
{
	return n == kn && !memcmp(w, kw, kn);
}

static bool ts_keyword(const char *w, size_t n)
{
	return ts_is(w, n, "function", 8) || ts_is(w, n, "global", 6) ||
	       ts_is(w, n, "probe", 5);
}

/* At a string literal: past it. */
static void ts_skip_string(struct ts_scan *sc)
{
	const char *p = sc->p + 1;

	while (p < sc->end && *p != '"') {
		if (*p == '\\' && p + 1 < sc->end)
			p++;
		p++;
	}
	sc->p = p < sc->end ? p + 1 : p;
}

/* The identifier at p (after ts_skip), or length 0. */
static size_t ts_ident(struct ts_scan *sc, const char **name)
{
	const char *p = sc->p;

	if (p >= sc->end || !ts_ident_start((unsigned char)*p))
		return 0;
	while (p < sc->end && ts_ident_char((unsigned char)*p))
		p++;
	*name = sc->p;
	return p - sc->p;
}

/* One token, not looked at (an identifier, a string, one character). */
static void ts_step(struct ts_scan *sc)
{
	const char *name;
	size_t n = ts_ident(sc, &name);

	if (n)
		sc->p += n;
	else if (sc->p < sc->end && *sc->p == '"')
		ts_skip_string(sc);
	else if (sc->p < sc->end)
		sc->p++;
}

static void ts_add_ident(struct ts_scan *sc)
{
	const char *name;
	size_t n;

	ts_skip(sc);
	n = ts_ident(sc, &name);
	if (n) {
		tapset_names_add(sc->defs, name, n);
		sc->p += n;
	}
}

/* After `global`: a, b[10], c% = 5, ... */
static void ts_globals(struct ts_scan *sc)
{
	for (;;) {
		ts_add_ident(sc);
		/* the rest of this one: [N], %, = literal */
		for (;;) {
			ts_skip(sc);
			if (sc->p >= sc->end || *sc->p == ',')
				break;
			if (*sc->p == ';' || *sc->p == '{' || *sc->p == '}')
				return;
			if (ts_ident_start((unsigned char)*sc->p))
				return;	/* the next declaration or statement */
			ts_step(sc);
		}
		if (sc->p >= sc->end || *sc->p != ',')
			return;
		sc->p++;
	}
}

/*
 * After `probe`: a list of points, and, for an alias, `=` (or `+=`) and
 * the points it stands for, then the body. Each point of the list before
 * the last `=` names an alias: its first component is recorded. Commas
 * and `=` inside parentheses (point arguments) do not count.
 */
static void ts_probe(struct ts_scan *sc)
{
	const char *firsts[64];
	size_t lens[64];
	int n = 0, depth = 0;
	bool want = true;

	for (;;) {
		const char *name;
		size_t len;

		ts_skip(sc);
		if (sc->p >= sc->end || (*sc->p == '{' && !depth))
			return;
		len = ts_ident(sc, &name);
		if (len && !depth && ts_keyword(name, len))
			return;	/* not an alias after all: the caller goes on */
		if (len && want && !depth && n < 64) {
			firsts[n] = name;
			lens[n++] = len;
		}
		want = false;
		if (*sc->p == '(')
			depth++;
		else if (*sc->p == ')' && depth)
			depth--;
		else if (!depth && *sc->p == ',')
			want = true;
		else if (!depth && *sc->p == '=') {
			for (int i = 0; i < n; i++)
				tapset_names_add(sc->defs, firsts[i], lens[i]);
			n = 0;
			want = true;
		}
		ts_step(sc);
	}
}

void tapset_scan(const char *text, size_t len, struct tapset_names *defs)
{
	struct ts_scan sc = { text, text + len, defs };
	const char *end = text + len;

	if (!ts_class['a'])
		ts_init_classes();
	while (sc.p < end) {
		const char *w = sc.p;
		size_t n;

		if (!ts_ident_char((unsigned char)*w)) {
			if (*w == '"')
				ts_skip_string(&sc);
			else if (strchr("#/%", *w) && (ts_skip(&sc), sc.p != w))
				;	/* a comment or %{ %} */
			else
				sc.p++;
			continue;
		}
		while (sc.p < end && ts_ident_char((unsigned char)*sc.p))
			sc.p++;
		n = sc.p - w;
		if (ts_is(w, n, "function", 8))
			ts_add_ident(&sc);
		else if (ts_is(w, n, "global", 6))
			ts_globals(&sc);
		else if (ts_is(w, n, "probe", 5))
			ts_probe(&sc);
	}
}
