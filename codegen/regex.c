// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX EREs to DFAs: the pattern is parsed to a tree, the tree built
 * into a Thompson NFA (so {m,n} copies its operand), the NFA turned into
 * a DFA by subset construction and the DFA minimised (Moore's partition
 * refinement). Classes are those of the C locale, as the kernel has no
 * other.
 *
 * Anchors are assertions on NFA edges: ^ is followed only in the closure
 * of the state at the string's start, $ only in the closure taken on the
 * end of the string (byte 0). A DFA state is therefore a set of NFA
 * states plus whether it is the start one.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "regex.h"

#define RX_MAX_NFA	20000	/* NFA states: bounds {m,n} blow-up */
#define RX_MAX_DUP	255	/* RE_DUP_MAX */
#define RX_MAX_DEPTH	200	/* nesting of groups */
#define RX_MAX_SUBSET	4096	/* DFA states before minimisation */

enum rx_kind { RN_SET, RN_BOL, RN_EOL, RN_CAT, RN_ALT, RN_REP, RN_EMPTY };

struct rx_node {
	enum rx_kind kind;
	int a, b;		/* operands (CAT, ALT; REP uses a) */
	int min, max;		/* REP: max -1 is unbounded */
	uint32_t set[8];	/* SET: the bytes it matches */
};

struct rx_parse {
	const char *p;
	struct rx_node *n;
	int nn, cap;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

static void rx_fail(struct rx_parse *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rx_fail(struct rx_parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
}

static int rx_node(struct rx_parse *ps, enum rx_kind kind, int a, int b)
{
	struct rx_node *n;

	if (ps->nn == ps->cap) {
		int ncap = ps->cap ? ps->cap * 2 : 32;
		void *p = realloc(ps->n, ncap * sizeof(*ps->n));

		if (!p) {
			rx_fail(ps, "out of memory");
			return 0;
		}
		ps->n = p;
		ps->cap = ncap;
	}
	n = &ps->n[ps->nn];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->a = a;
	n->b = b;
	return ps->nn++;
}

static void rx_set_add(uint32_t *set, unsigned c)
{
	set[c >> 5] |= 1u << (c & 31);
}

static bool rx_set_has(const uint32_t *set, unsigned c)
{
	return set[c >> 5] >> (c & 31) & 1;
}

static int rx_char(struct rx_parse *ps, unsigned c)
{
	int i = rx_node(ps, RN_SET, -1, -1);

	if (!ps->failed)
		rx_set_add(ps->n[i].set, c);
	return i;
}

/* The C locale's classes, by name; false if unknown. */
static bool rx_class(const char *name, size_t len, uint32_t *set)
{
	static const struct {
		const char *name;
		int (*is)(int);
	} classes[] = {
		{ "alnum", isalnum }, { "alpha", isalpha },
		{ "blank", isblank }, { "cntrl", iscntrl },
		{ "digit", isdigit }, { "graph", isgraph },
		{ "lower", islower }, { "print", isprint },
		{ "punct", ispunct }, { "space", isspace },
		{ "upper", isupper }, { "xdigit", isxdigit },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) != len ||
		    memcmp(classes[i].name, name, len))
			continue;
		/* ctype of the C locale is plain ASCII */
		for (unsigned c = 1; c < 128; c++)
			if (classes[i].is((int)c))
				rx_set_add(set, c);
		return true;
	}
	return false;
}

/*
 * One element of a bracket expression at ps->p: a class, a collating
 * element of one character ([.x.] [=x=]) or a character. Returns the
 * character, or -1 after adding a class.
 */
static int rx_bracket_elem(struct rx_parse *ps, uint32_t *set)
{
	const char *p = ps->p, *end;
	char kind;

	if (p[0] != '[' || (p[1] != ':' && p[1] != '.' && p[1] != '='))
		goto plain;
	kind = p[1];
	end = strchr(p + 2, kind);
	while (end && end[1] != ']')
		end = strchr(end + 1, kind);
	if (!end) {
		rx_fail(ps, "unterminated [%c in a bracket expression", kind);
		return -1;
	}
	ps->p = end + 2;
	if (kind == ':') {
		if (!rx_class(p + 2, end - (p + 2), set))
			rx_fail(ps, "unknown character class '[:%.*s:]'",
				(int)(end - (p + 2)), p + 2);
		return -1;
	}
	if (end - (p + 2) != 1) {
		rx_fail(ps, "multi-character collating elements are not "
			"supported");
		return -1;
	}
	return (unsigned char)p[2];
plain:
	if (!*p) {
		rx_fail(ps, "unmatched [ in regular expression");
		return -1;
	}
	ps->p++;
	return (unsigned char)*p;
}

/* A bracket expression; ps->p is past the '['. */
static int rx_bracket(struct rx_parse *ps)
{
	uint32_t set[8] = { 0 };
	bool neg = false, first = true;
	int lo, hi, i;

	if (*ps->p == '^') {
		neg = true;
		ps->p++;
	}
	while (!ps->failed && (first || *ps->p != ']')) {
		first = false;
		lo = rx_bracket_elem(ps, set);
		if (lo < 0)
			continue;
		if (ps->p[0] != '-' || ps->p[1] == ']' || !ps->p[1]) {
			rx_set_add(set, lo);
			continue;
		}
		ps->p++;
		hi = rx_bracket_elem(ps, set);
		if (hi < 0) {
			rx_fail(ps, "a class cannot end a range");
			break;
		}
		if (hi < lo)
			rx_fail(ps, "invalid range end in bracket expression");
		for (int c = lo; c <= hi; c++)
			rx_set_add(set, c);
	}
	if (ps->failed)
		return 0;
	ps->p++;
	if (neg)
		for (int w = 0; w < 8; w++)
			set[w] = ~set[w];
	set[0] &= ~1u;		/* NUL is the end of the string */
	i = rx_node(ps, RN_SET, -1, -1);
	if (!ps->failed)
		memcpy(ps->n[i].set, set, sizeof(set));
	return i;
}

/* GNU's \w \W \s \S, which glibc's regcomp accepts too. */
static int rx_gnu_class(struct rx_parse *ps, char e)
{
	uint32_t set[8] = { 0 };
	int i;

	if (e == 'w' || e == 'W') {
		rx_class("alnum", 5, set);
		rx_set_add(set, '_');
	} else {
		rx_class("space", 5, set);
	}
	if (e == 'W' || e == 'S')
		for (int w = 0; w < 8; w++)
			set[w] = ~set[w];
	set[0] &= ~1u;
	i = rx_node(ps, RN_SET, -1, -1);
	if (!ps->failed)
		memcpy(ps->n[i].set, set, sizeof(set));
	return i;
}

static int rx_escape(struct rx_parse *ps)
{
	char e = *ps->p;

	if (!e) {
		rx_fail(ps, "trailing backslash in regular expression");
		return 0;
	}
	ps->p++;
	if (e >= '1' && e <= '9') {
		rx_fail(ps, "backreferences (\\%c) are not supported", e);
		return 0;
	}
	if (strchr("wWsS", e))
		return rx_gnu_class(ps, e);
	if (strchr("bB<>`'", e)) {
		rx_fail(ps, "the word and buffer assertion \\%c is not "
			"supported", e);
		return 0;
	}
	return rx_char(ps, (unsigned char)e);
}

static int rx_alt(struct rx_parse *ps);

static int rx_atom(struct rx_parse *ps)
{
	char ch = *ps->p++;
	int i;

	switch (ch) {
	case '(':
		if (++ps->depth > RX_MAX_DEPTH) {
			rx_fail(ps, "regular expression nested too deeply");
			return 0;
		}
		if (*ps->p == ')')
			i = rx_node(ps, RN_EMPTY, -1, -1);
		else
			i = rx_alt(ps);
		if (*ps->p != ')')
			rx_fail(ps, "unmatched ( in regular expression");
		ps->p++;
		ps->depth--;
		return i;
	case '.':
		i = rx_node(ps, RN_SET, -1, -1);
		if (!ps->failed) {
			memset(ps->n[i].set, 0xff, sizeof(ps->n[i].set));
			ps->n[i].set[0] &= ~1u;
		}
		return i;
	case '[':
		return rx_bracket(ps);
	case '^':
		return rx_node(ps, RN_BOL, -1, -1);
	case '$':
		return rx_node(ps, RN_EOL, -1, -1);
	case '\\':
		return rx_escape(ps);
	case '*': case '+': case '?': case '{':
		rx_fail(ps, "'%c' has nothing to repeat", ch);
		return 0;
	default:
		return rx_char(ps, (unsigned char)ch);
	}
}

static int rx_number(struct rx_parse *ps)
{
	int v = 0;

	if (!isdigit((unsigned char)*ps->p))
		return -1;
	while (isdigit((unsigned char)*ps->p)) {
		v = v * 10 + (*ps->p++ - '0');
		if (v > RX_MAX_DUP) {
			rx_fail(ps, "repetition count larger than %d",
				RX_MAX_DUP);
			return -1;
		}
	}
	return v;
}

/* {m} {m,} {m,n}; ps->p is past the '{'. */
static void rx_interval(struct rx_parse *ps, int *min, int *max)
{
	*min = rx_number(ps);
	*max = *min;
	if (*ps->p == ',') {
		ps->p++;
		*max = isdigit((unsigned char)*ps->p) ? rx_number(ps) : -1;
	}
	if (ps->failed)
		return;
	if (*min < 0 || *ps->p != '}') {
		rx_fail(ps, "invalid repetition count {...}");
		return;
	}
	ps->p++;
	if (*max >= 0 && *max < *min)
		rx_fail(ps, "invalid repetition count: {%d,%d}", *min, *max);
}

static int rx_piece(struct rx_parse *ps)
{
	int i = rx_atom(ps), min, max;

	while (!ps->failed && *ps->p && strchr("*+?{", *ps->p)) {
		char q = *ps->p++;

		switch (q) {
		case '*': min = 0; max = -1; break;
		case '+': min = 1; max = -1; break;
		case '?': min = 0; max = 1; break;
		default: rx_interval(ps, &min, &max); break;
		}
		i = rx_node(ps, RN_REP, i, -1);
		if (!ps->failed) {
			ps->n[i].min = min;
			ps->n[i].max = max;
		}
	}
	return i;
}

static int rx_branch(struct rx_parse *ps)
{
	int i = -1, p;

	while (!ps->failed && *ps->p && *ps->p != '|' && *ps->p != ')') {
		p = rx_piece(ps);
		i = i < 0 ? p : rx_node(ps, RN_CAT, i, p);
	}
	return i < 0 ? rx_node(ps, RN_EMPTY, -1, -1) : i;
}

static int rx_alt(struct rx_parse *ps)
{
	int i = rx_branch(ps);

	while (!ps->failed && *ps->p == '|') {
		ps->p++;
		i = rx_node(ps, RN_ALT, i, rx_branch(ps));
	}
	return i;
}

/* ---- Thompson NFA ---- */

enum { NS_SET, NS_EPS, NS_SPLIT, NS_BOL, NS_EOL, NS_MATCH };

struct rx_nst {
	uint8_t kind;
	int out, out1;
	const uint32_t *set;	/* NS_SET: in the tree */
};

struct rx_nfa {
	struct rx_nst *s;
	int n, cap;
	bool failed;
};

/* A fragment: from start to end, an NS_EPS whose out is unset. */
struct rx_frag {
	int start, end;
};

static int rx_nst(struct rx_nfa *f, uint8_t kind, int out, int out1)
{
	if (f->failed)
		return 0;
	if (f->n == RX_MAX_NFA) {
		f->failed = true;
		return 0;
	}
	if (f->n == f->cap) {
		int ncap = f->cap ? f->cap * 2 : 64;
		void *p = realloc(f->s, ncap * sizeof(*f->s));

		if (!p) {
			f->failed = true;
			return 0;
		}
		f->s = p;
		f->cap = ncap;
	}
	f->s[f->n] = (struct rx_nst){ .kind = kind, .out = out, .out1 = out1 };
	return f->n++;
}

static void rx_patch(struct rx_nfa *f, int st, int to)
{
	if (!f->failed)
		f->s[st].out = to;
}

static struct rx_frag rx_build(struct rx_nfa *f, const struct rx_node *t,
			       int i);

/* e{min,max} */
static struct rx_frag rx_build_rep(struct rx_nfa *f, const struct rx_node *t,
				   int i)
{
	const struct rx_node *n = &t[i];
	struct rx_frag fr, x;
	int end = rx_nst(f, NS_EPS, -1, -1), s, cur;

	fr.start = cur = rx_nst(f, NS_EPS, -1, -1);
	fr.end = end;
	for (int k = 0; k < n->min && !f->failed; k++) {
		x = rx_build(f, t, n->a);
		rx_patch(f, cur, x.start);
		cur = x.end;
	}
	if (n->max < 0) {
		/* cur -> split(e -> back to split, end) */
		s = rx_nst(f, NS_SPLIT, -1, end);
		x = rx_build(f, t, n->a);
		if (!f->failed)
			f->s[s].out = x.start;
		rx_patch(f, x.end, s);
		rx_patch(f, cur, s);
		return fr;
	}
	for (int k = n->min; k < n->max && !f->failed; k++) {
		s = rx_nst(f, NS_SPLIT, -1, end);
		x = rx_build(f, t, n->a);
		if (!f->failed)
			f->s[s].out = x.start;
		rx_patch(f, cur, s);
		cur = x.end;
	}
	rx_patch(f, cur, end);
	return fr;
}

static struct rx_frag rx_build(struct rx_nfa *f, const struct rx_node *t,
			       int i)
{
	const struct rx_node *n = &t[i];
	struct rx_frag fr = { 0, 0 }, a, b;
	int s;

	switch (n->kind) {
	case RN_SET:
	case RN_BOL:
	case RN_EOL:
	case RN_EMPTY:
		fr.end = rx_nst(f, NS_EPS, -1, -1);
		fr.start = rx_nst(f, n->kind == RN_SET ? NS_SET :
				  n->kind == RN_BOL ? NS_BOL :
				  n->kind == RN_EOL ? NS_EOL : NS_EPS,
				  fr.end, -1);
		if (!f->failed)
			f->s[fr.start].set = n->set;
		return fr;
	case RN_CAT:
		a = rx_build(f, t, n->a);
		b = rx_build(f, t, n->b);
		rx_patch(f, a.end, b.start);
		return (struct rx_frag){ a.start, b.end };
	case RN_ALT:
		a = rx_build(f, t, n->a);
		b = rx_build(f, t, n->b);
		s = rx_nst(f, NS_SPLIT, a.start, b.start);
		fr.end = rx_nst(f, NS_EPS, -1, -1);
		rx_patch(f, a.end, fr.end);
		rx_patch(f, b.end, fr.end);
		fr.start = s;
		return fr;
	case RN_REP:
		return rx_build_rep(f, t, i);
	}
	return fr;
}

/* ---- subset construction ---- */

struct rx_sub {
	const struct rx_nfa *nfa;
	int *mark, gen;		/* per NFA state: in the set being built */
	int *stack;
	int *pool;		/* the sets, sorted, one after another */
	size_t npool, pool_cap;
	struct { size_t off; int len; bool bol; } *st;
	int nst, st_cap;
	int *hash;		/* open addressing: DFA state + 1 */
	int hash_cap;
	int *trans;		/* nst * 256 */
	bool *acc;
	int trans_cap;
	bool failed;
	uint8_t cls[256];	/* bytes 1..255 no NS_SET tells apart share
				 * a class, and so every transition */
	int ncls;
};

static int rx_int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Close the states of in[0..n) over epsilons (^ when bol, $ when eol)
 * into out (sorted); returns its size. */
static int rx_closure(struct rx_sub *u, const int *in, int n, bool bol,
		      bool eol, int *out)
{
	const struct rx_nst *s = u->nfa->s;
	int sp = 0, m = 0, x, next[2];

	u->gen++;
	for (int i = 0; i < n; i++) {
		if (u->mark[in[i]] == u->gen)
			continue;
		u->mark[in[i]] = u->gen;
		u->stack[sp++] = in[i];
	}
	while (sp) {
		x = u->stack[--sp];
		out[m++] = x;
		next[0] = next[1] = -1;

		switch (s[x].kind) {
		case NS_EPS: next[0] = s[x].out; break;
		case NS_SPLIT: next[0] = s[x].out; next[1] = s[x].out1; break;
		case NS_BOL: if (bol) next[0] = s[x].out; break;
		case NS_EOL: if (eol) next[0] = s[x].out; break;
		}
		for (int k = 0; k < 2; k++) {
			if (next[k] < 0 || u->mark[next[k]] == u->gen)
				continue;
			u->mark[next[k]] = u->gen;
			u->stack[sp++] = next[k];
		}
	}
	if (m > 32) {	/* e.g. (||||...|a): hundreds of states */
		qsort(out, m, sizeof(*out), rx_int_cmp);
		return m;
	}
	for (int i = 1; i < m; i++)	/* insertion sort: sets are small */
		for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
			x = out[j];
			out[j] = out[j - 1];
			out[j - 1] = x;
		}
	return m;
}

static bool rx_has_match(const struct rx_sub *u, const int *set, int n)
{
	for (int i = 0; i < n; i++)
		if (u->nfa->s[set[i]].kind == NS_MATCH)
			return true;
	return false;
}

static uint32_t rx_hash(const int *set, int n, bool bol)
{
	uint32_t h = 2166136261u ^ bol;

	for (int i = 0; i < n; i++)
		h = (h ^ (uint32_t)set[i]) * 16777619u;
	return h;
}

static bool rx_grow_hash(struct rx_sub *u);

/* The DFA state of a set (added when new), or -1. */
static int rx_state(struct rx_sub *u, const int *set, int n, bool bol)
{
	uint32_t h;
	int i, k;

	if (u->nst * 2 >= u->hash_cap && !rx_grow_hash(u))
		return -1;
	h = rx_hash(set, n, bol);
	for (i = h & (u->hash_cap - 1); u->hash[i];
	     i = (i + 1) & (u->hash_cap - 1)) {
		k = u->hash[i] - 1;
		if (u->st[k].len == n && u->st[k].bol == bol &&
		    !memcmp(u->pool + u->st[k].off, set, n * sizeof(int)))
			return k;
	}
	if (u->nst == RX_MAX_SUBSET)
		return -1;
	if (u->nst == u->st_cap) {
		int ncap = u->st_cap ? u->st_cap * 2 : 64;
		void *p = realloc(u->st, ncap * sizeof(*u->st));

		if (!p)
			return -1;
		u->st = p;
		u->st_cap = ncap;
	}
	if (u->npool + n > u->pool_cap) {
		size_t ncap = (u->pool_cap + n) * 2;
		void *p = realloc(u->pool, ncap * sizeof(int));

		if (!p)
			return -1;
		u->pool = p;
		u->pool_cap = ncap;
	}
	memcpy(u->pool + u->npool, set, n * sizeof(int));
	u->st[u->nst].off = u->npool;
	u->st[u->nst].len = n;
	u->st[u->nst].bol = bol;
	u->npool += n;
	u->hash[i] = u->nst + 1;
	return u->nst++;
}

static bool rx_grow_hash(struct rx_sub *u)
{
	int ncap = u->hash_cap ? u->hash_cap * 2 : 256, *nh, i;
	uint32_t h;

	nh = calloc(ncap, sizeof(int));
	if (!nh)
		return false;
	for (int k = 0; k < u->nst; k++) {
		h = rx_hash(u->pool + u->st[k].off, u->st[k].len, u->st[k].bol);
		for (i = h & (ncap - 1); nh[i]; i = (i + 1) & (ncap - 1))
			;
		nh[i] = k + 1;
	}
	free(u->hash);
	u->hash = nh;
	u->hash_cap = ncap;
	return true;
}

/*
 * Byte classes: split 1..255 by every NS_SET's membership, so that
 * bytes in one class move every set of states alike. A regex of many
 * alternatives has big state sets, and its transitions are then
 * computed once per class instead of once per byte.
 */
static void rx_byte_classes(struct rx_sub *u)
{
	const struct rx_nfa *f = u->nfa;
	int map[512], n;

	memset(u->cls, 0, sizeof(u->cls));
	u->ncls = 1;
	for (int i = 0; i < f->n; i++) {
		if (f->s[i].kind != NS_SET)
			continue;
		for (int j = 0; j < 2 * u->ncls; j++)
			map[j] = -1;
		n = 0;
		for (int c = 1; c < 256; c++) {
			int key = 2 * u->cls[c] + rx_set_has(f->s[i].set, c);

			if (map[key] < 0)
				map[key] = n++;
			u->cls[c] = map[key];
		}
		u->ncls = n;
	}
}

/*
 * Transitions of DFA state k: on each byte, the states its NS_SET states
 * lead to (plus the NFA's start again when searching: the implicit .*
 * prefix), closed; on 0, to ACCEPT or DEAD by the closure with $.
 */
static bool rx_expand(struct rx_sub *u, int k, bool search, int nfa_start,
		      int acc_end, int dead, int *buf, int *set)
{
	const struct rx_nst *s = u->nfa->s;
	int len = u->st[k].len, n, m, to, done[256];
	bool bol = u->st[k].bol;

	memcpy(buf, u->pool + u->st[k].off, len * sizeof(int));
	m = rx_closure(u, buf, len, bol, true, set);
	u->trans[k * 256] = rx_has_match(u, set, m) ? acc_end : dead;
	for (int i = 0; i < u->ncls; i++)
		done[i] = -1;
	for (int c = 1; c < 256; c++) {
		const int *cur = u->pool + u->st[k].off;

		if (done[u->cls[c]] >= 0) {
			u->trans[k * 256 + c] = done[u->cls[c]];
			continue;
		}
		n = 0;
		for (int i = 0; i < len; i++)
			if (s[cur[i]].kind == NS_SET &&
			    rx_set_has(s[cur[i]].set, c))
				buf[n++] = s[cur[i]].out;
		if (search)
			buf[n++] = nfa_start;
		m = rx_closure(u, buf, n, false, false, set);
		if (search && rx_has_match(u, set, m))
			to = acc_end;
		else
			to = rx_state(u, set, m, false);
		if (to < 0)
			return false;
		u->trans[k * 256 + c] = to;
		done[u->cls[c]] = to;
	}
	return true;
}

static bool rx_grow_trans(struct rx_sub *u, int need)
{
	int ncap = u->trans_cap ? u->trans_cap : 64, *t;
	bool *a;

	if (need <= u->trans_cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	t = realloc(u->trans, (size_t)ncap * 256 * sizeof(int));
	if (!t)
		return false;
	u->trans = t;
	a = realloc(u->acc, ncap * sizeof(bool));
	if (!a)
		return false;
	u->acc = a;
	u->trans_cap = ncap;
	return true;
}

/*
 * The raw DFA in u: state 0 ACCEPT (absorbing, reached on a match when
 * searching or on the end of the string), 1 DEAD, then the start
 * states. Returns the start state, -1 on overflow.
 */
static int rx_subset(struct rx_sub *u, int nfa_start, bool search,
		     int *start_mid)
{
	int nn = u->nfa->n, *buf, *set, acc, dead, start, m, k;
	bool ok = true;

	rx_byte_classes(u);
	buf = malloc((nn + 1) * sizeof(int));
	set = malloc((nn + 1) * sizeof(int));
	if (!buf || !set) {
		free(buf);
		free(set);
		return -1;
	}
	/* sentinels: sets no closure produces (a lone -1 would not do, so
	 * they differ by the flag and the length) */
	acc = rx_state(u, (int[]){ -1 }, 1, true);
	dead = rx_state(u, (int[]){ -1 }, 1, false);
	m = rx_closure(u, &nfa_start, 1, true, false, set);
	start = rx_state(u, set, m, true);
	m = rx_closure(u, &nfa_start, 1, false, false, set);
	*start_mid = rx_state(u, set, m, false);
	if (acc < 0 || dead < 0 || start < 0 || *start_mid < 0)
		ok = false;
	for (k = 0; ok && k < u->nst; k++) {
		if (!rx_grow_trans(u, u->nst + 256)) {
			ok = false;
			break;
		}
		if (k == acc || k == dead) {
			for (int c = 0; c < 256; c++)
				u->trans[k * 256 + c] = k;
			u->acc[k] = k == acc;
			continue;
		}
		m = u->st[k].len;
		u->acc[k] = rx_has_match(u, u->pool + u->st[k].off, m);
		if (search && u->acc[k]) {
			/* only the start can be accepting here: absorb */
			for (int c = 0; c < 256; c++)
				u->trans[k * 256 + c] = k;
			continue;
		}
		ok = rx_expand(u, k, search, nfa_start, acc, dead, buf, set);
	}
	free(buf);
	free(set);
	return ok ? start : -1;
}

/* ---- minimisation ---- */

static uint32_t rx_sig_hash(const int *sig)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 257; i++)
		h = (h ^ (uint32_t)sig[i]) * 16777619u;
	return h;
}

/* Renumber the states by signature (own class, successors' classes) in
 * order of first occurrence; returns the number of classes. */
static int rx_refine(const int *sig, int n, int *ncls, int *tab, int cap)
{
	int nc = 0, i, j;

	memset(tab, 0, cap * sizeof(int));
	for (int k = 0; k < n; k++) {
		for (i = rx_sig_hash(sig + k * 257) & (cap - 1); tab[i];
		     i = (i + 1) & (cap - 1)) {
			j = tab[i] - 1;
			if (!memcmp(sig + j * 257, sig + k * 257,
				    257 * sizeof(int)))
				break;
		}
		if (tab[i]) {
			ncls[k] = ncls[tab[i] - 1];
			continue;
		}
		tab[i] = k + 1;
		ncls[k] = nc++;
	}
	return nc;
}

/*
 * Moore's refinement: states start split by acceptance; a class splits
 * while its states disagree on the class of some successor. Returns the
 * number of classes, cls[k] the class of state k.
 */
static int rx_minimise(const int *trans, const bool *acc, int n, int *cls)
{
	int *sig = malloc((size_t)n * 257 * sizeof(int)), *ncls, *tab;
	int nc = 2, prev = -1, cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	ncls = malloc(n * sizeof(int));
	tab = malloc(cap * sizeof(int));
	if (!sig || !ncls || !tab) {
		nc = -1;
		goto out;
	}
	for (int k = 0; k < n; k++)
		cls[k] = acc[k];
	while (nc != prev) {
		prev = nc;
		for (int k = 0; k < n; k++) {
			sig[k * 257] = cls[k];
			for (int c = 0; c < 256; c++)
				sig[k * 257 + 1 + c] = cls[trans[k * 256 + c]];
		}
		nc = rx_refine(sig, n, ncls, tab, cap);
		memcpy(cls, ncls, n * sizeof(int));
	}
out:
	free(sig);
	free(ncls);
	free(tab);
	return nc;
}

static void rx_sub_free(struct rx_sub *u)
{
	free(u->mark);
	free(u->stack);
	free(u->pool);
	free(u->st);
	free(u->hash);
	free(u->trans);
	free(u->acc);
}

/*
 * Renumber the classes reachable from the starts first, in order of
 * discovery (so the start is 0); the unreachable ones (often the dead
 * state of an unanchored search) get numbers from the count returned.
 */
static int rx_prune(struct rx_sub *u, int *cls, int nc, int start,
		    int start_mid)
{
	int *rep = malloc(nc * sizeof(int)), *num = malloc(nc * sizeof(int));
	int *queue = malloc(nc * sizeof(int)), head = 0, tail = 0, k, n;

	if (!rep || !num || !queue) {
		free(rep);
		free(num);
		free(queue);
		return nc;
	}
	for (k = 0; k < nc; k++)
		num[k] = -1;
	for (k = u->nst - 1; k >= 0; k--)
		rep[cls[k]] = k;		/* a raw state per class */
	num[cls[start]] = tail;
	queue[tail++] = cls[start];
	if (num[cls[start_mid]] < 0) {
		num[cls[start_mid]] = tail;
		queue[tail++] = cls[start_mid];
	}
	while (head < tail) {
		k = rep[queue[head++]];
		for (int c = 0; c < 256; c++) {
			int to = cls[u->trans[k * 256 + c]];

			if (num[to] < 0) {
				num[to] = tail;
				queue[tail++] = to;
			}
		}
	}
	n = tail;
	for (k = 0; k < nc; k++)
		if (num[k] < 0)
			num[k] = tail++;
	for (k = 0; k < u->nst; k++)
		cls[k] = num[cls[k]];
	free(rep);
	free(num);
	free(queue);
	return n;
}

/* The minimal DFA from the raw one (states reachable from the starts
 * are all the raw DFA has). */
static int rx_finish(struct rx_sub *u, int start, int start_mid,
		     struct rx_dfa *d, char *err, size_t errlen)
{
	int *cls = malloc(u->nst * sizeof(int)), nc;

	if (!cls) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	nc = rx_minimise(u->trans, u->acc, u->nst, cls);
	if (nc > 0)
		nc = rx_prune(u, cls, nc, start, start_mid);
	if (nc < 0 || nc > RX_MAX_STATES) {
		snprintf(err, errlen, nc < 0 ? "out of memory" :
			 "regular expression too complex: its automaton has "
			 "%d states, at most %d are supported", nc,
			 RX_MAX_STATES);
		free(cls);
		return -1;
	}
	d->nstates = nc;
	d->trans = malloc((size_t)nc * 256);
	d->accept = calloc(nc, 1);
	if (!d->trans || !d->accept) {
		free(cls);
		rx_free(d);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int k = 0; k < u->nst; k++) {
		if (cls[k] >= nc)
			continue;
		for (int c = 0; c < 256; c++)
			d->trans[cls[k] * 256 + c] = cls[u->trans[k * 256 + c]];
		d->accept[cls[k]] = u->acc[k];
	}
	d->start = cls[start];
	d->start_mid = cls[start_mid];
	if (d->start_mid >= nc)
		d->start_mid = d->start;
	d->dead = cls[1];	/* state 1 is DEAD (see rx_subset) */
	if (d->dead >= nc)
		d->dead = -1;	/* unreachable */
	free(cls);
	return 0;
}

int rx_compile(const char *pattern, enum rx_mode mode, struct rx_dfa *d,
	       char *err, size_t errlen)
{
	struct rx_parse ps = { .p = pattern, .err = err, .errlen = errlen };
	struct rx_nfa f = { 0 };
	struct rx_sub u = { .nfa = &f };
	struct rx_frag fr;
	int root, match, start, start_mid, ret = -1;

	memset(d, 0, sizeof(*d));
	d->dead = -1;
	root = rx_alt(&ps);
	if (!ps.failed && *ps.p == ')')
		rx_fail(&ps, "unmatched ) in regular expression");
	if (ps.failed)
		goto out;
	fr = rx_build(&f, ps.n, root);
	match = rx_nst(&f, NS_MATCH, -1, -1);
	rx_patch(&f, fr.end, match);
	if (f.failed) {
		snprintf(err, errlen, "regular expression too large (its "
			 "repetitions make more than %d NFA states)",
			 RX_MAX_NFA);
		goto out;
	}
	u.mark = calloc(f.n, sizeof(int));
	u.stack = malloc(f.n * sizeof(int));
	if (!u.mark || !u.stack) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	start = rx_subset(&u, fr.start, mode == RX_SEARCH, &start_mid);
	if (start < 0) {
		snprintf(err, errlen, "regular expression too complex: its "
			 "automaton has more than %d states before "
			 "minimisation", RX_MAX_SUBSET);
		goto out;
	}
	/* a search never restarts the walk: its second start is unused */
	if (mode == RX_SEARCH)
		start_mid = start;
	ret = rx_finish(&u, start, start_mid, d, err, errlen);
out:
	rx_sub_free(&u);
	free(f.s);
	free(ps.n);
	return ret;
}

void rx_free(struct rx_dfa *d)
{
	free(d->trans);
	free(d->accept);
	d->trans = NULL;
	d->accept = NULL;
	d->nstates = 0;
}

bool rx_search(const struct rx_dfa *d, const char *s)
{
	int st = d->start;
	size_t i = 0;

	for (;;) {
		if (d->accept[st])
			return true;
		if (st == d->dead)
			return false;
		st = d->trans[st * 256 + (unsigned char)s[i]];
		if (!s[i++])
			return d->accept[st];
	}
}

bool rx_span(const struct rx_dfa *d, const char *s, size_t *so, size_t *eo)
{
	size_t len = strlen(s);

	for (size_t i = 0; i <= len; i++) {
		int st = i ? d->start_mid : d->start;
		long last = -1;

		for (size_t j = i;; j++) {
			if (st == d->dead)
				break;
			/* accepting before byte j: a match [i, j) */
			if (d->accept[st])
				last = j;
			st = d->trans[st * 256 + (unsigned char)s[j]];
			if (!s[j]) {
				if (d->accept[st])
					last = j;
				break;
			}
		}
		if (last >= 0) {
			*so = i;
			*eo = last;
			return true;
		}
	}
	return false;
}
