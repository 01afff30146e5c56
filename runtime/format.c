// SPDX-License-Identifier: GPL-2.0
/*
 * The printf formatter (see format.h for the rules). One engine writes to
 * a sink that is either a stdio stream or a growing buffer, so printf in
 * the runtime and a future userspace sprintf share every conversion.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/format.h"

enum fmt_flag {
	FMT_LEFT = 1,		/* '-' */
	FMT_PLUS = 2,		/* '+' */
	FMT_SPACE = 4,		/* ' ' */
	FMT_SPECIAL = 8,	/* '#' */
	FMT_ZEROPAD = 16,	/* '0' */
	FMT_SIGN = 32,		/* the conversion is signed */
	FMT_LARGE = 64,		/* upper-case hex digits */
};

struct fmt_spec {
	unsigned int flags;
	int width;		/* -1: none */
	int prec;		/* -1: none */
	char conv;
};

/*
 * Where output goes. Stream output is staged in tmp so that padding and
 * digits do not cost one stdio call each.
 */
struct fmt_sink {
	FILE *f;
	struct fmt_buf *b;
	char tmp[512];
	size_t n;
	size_t total;
	bool err;
};

static void fmt_sink_flush(struct fmt_sink *k)
{
	if (k->f && k->n) {
		if (fwrite(k->tmp, 1, k->n, k->f) != k->n)
			k->err = true;
		k->n = 0;
	}
}

static bool fmt_buf_reserve(struct fmt_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (need <= b->cap)
		return true;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

static void fmt_put(struct fmt_sink *k, const char *s, size_t n)
{
	if (k->err || !n)
		return;
	k->total += n;
	if (k->b) {
		if (!fmt_buf_reserve(k->b, n)) {
			k->err = true;
			return;
		}
		memcpy(k->b->p + k->b->len, s, n);
		k->b->len += n;
		return;
	}
	while (n) {
		size_t room = sizeof(k->tmp) - k->n;
		size_t c = n < room ? n : room;

		memcpy(k->tmp + k->n, s, c);
		k->n += c;
		s += c;
		n -= c;
		if (k->n == sizeof(k->tmp))
			fmt_sink_flush(k);
	}
}

static void fmt_putc(struct fmt_sink *k, char c)
{
	fmt_put(k, &c, 1);
}

static void fmt_pad(struct fmt_sink *k, char c, int n)
{
	char run[64];

	memset(run, c, sizeof(run));
	while (n > 0) {
		int m = n < (int)sizeof(run) ? n : (int)sizeof(run);

		fmt_put(k, run, m);
		n -= m;
	}
}

/*
 * An integer the way stap's number() lays it out: spaces, sign, prefix,
 * zero padding (from '0' or the precision), digits, trailing spaces.
 */
static void fmt_number(struct fmt_sink *k, uint64_t num, int base,
		       int width, int prec, unsigned int flags)
{
	const char *digits = (flags & FMT_LARGE) ? "0123456789ABCDEF" :
						   "0123456789abcdef";
	char tmp[24];		/* 64 bits in octal: 22 digits */
	char sign = 0;
	int nd = 0;

	if (flags & FMT_LEFT)
		flags &= ~FMT_ZEROPAD;
	if (flags & FMT_SIGN) {
		if ((int64_t)num < 0) {
			sign = '-';
			num = -num;	/* unsigned: INT64_MIN stays exact */
		} else if (flags & FMT_PLUS) {
			sign = '+';
		} else if (flags & FMT_SPACE) {
			sign = ' ';
		}
		if (sign)
			width--;
	}
	if (flags & FMT_SPECIAL)
		width -= base == 16 ? 2 : base == 8 ? 1 : 0;
	do {
		tmp[nd++] = digits[num % base];
		num /= base;
	} while (num);
	if (prec < nd)
		prec = nd;
	width -= prec;
	if (!(flags & (FMT_ZEROPAD | FMT_LEFT)))
		fmt_pad(k, ' ', width);
	if (sign)
		fmt_putc(k, sign);
	if ((flags & FMT_SPECIAL) && base == 16)
		fmt_put(k, (flags & FMT_LARGE) ? "0X" : "0x", 2);
	else if ((flags & FMT_SPECIAL) && base == 8)
		fmt_putc(k, '0');
	if (flags & FMT_ZEROPAD)
		fmt_pad(k, '0', width);
	fmt_pad(k, '0', prec - nd);
	while (nd > 0)
		fmt_putc(k, tmp[--nd]);
	if (flags & FMT_LEFT)
		fmt_pad(k, ' ', width);
}

/* The C escape for c, or 0 when it needs octal. */
static char fmt_char_escape(unsigned char c)
{
	switch (c) {
	case '\a': return 'a';
	case '\b': return 'b';
	case '\f': return 'f';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\v': return 'v';
	case '\'': return '\'';
	case '\\': return '\\';
	}
	return 0;
}

static void fmt_char(struct fmt_sink *k, unsigned char c, int width,
		     unsigned int flags)
{
	char out[4] = { (char)c };
	int size = 1;

	/* '#' quotes what would not read back as the character itself. */
	if ((flags & FMT_SPECIAL) &&
	    (c >= 0x7f || !isprint(c) || c == '\'' || c == '\\')) {
		out[0] = '\\';
		out[1] = fmt_char_escape(c);
		size = 2;
		if (!out[1]) {
			out[1] = '0' + ((c >> 6) & 3);
			out[2] = '0' + ((c >> 3) & 7);
			out[3] = '0' + (c & 7);
			size = 4;
		}
	}
	if (!(flags & FMT_LEFT))
		fmt_pad(k, ' ', width - size);
	fmt_put(k, out, size);
	if (flags & FMT_LEFT)
		fmt_pad(k, ' ', width - size);
}

static void fmt_string(struct fmt_sink *k, const char *s, int width,
		       int prec, unsigned int flags)
{
	size_t len = prec < 0 ? strlen(s) : strnlen(s, prec);

	if (!(flags & FMT_LEFT))
		fmt_pad(k, ' ', width - (int)len);
	fmt_put(k, s, len);
	if (flags & FMT_LEFT)
		fmt_pad(k, ' ', width - (int)len);
	/* stap's %s with the '0' flag ends with a NUL byte
	 * (runtime/vsprintf.c, _stp_vsprint_memory) */
	if (flags & FMT_ZEROPAD)
		fmt_put(k, "", 1);
}

static int fmt_clamp(int64_t v)
{
	return v < 0 ? 0 : v > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : (int)v;
}

/* A '*' value; a string where a number belongs counts as 0. */
static int64_t fmt_star(const struct fmt_arg *a)
{
	return a->type == BT_STRING ? 0 : a->l;
}

/*
 * Parse the specification after a '%' at fmt[*pos] (just past the '%'),
 * taking '*' values from args. Returns false when the format ends first.
 */
static bool fmt_parse_spec(const char *fmt, size_t fmtlen, size_t *pos,
			   const struct fmt_arg *args, int nargs, int *argi,
			   struct fmt_spec *sp)
{
	size_t i = *pos;
	const char *fl;

	sp->flags = 0;
	sp->width = -1;
	sp->prec = -1;
	/* One flag character (bits in its order in "-+ #0"), as stap 4.8
	 * reads formats: a '0' after it is a digit of the width, so
	 * "%+05d" is '+' with width 5, not zero-padded. */
	if (i < fmtlen && fmt[i] && (fl = strchr("-+ #0", fmt[i]))) {
		sp->flags |= 1u << (fl - "-+ #0");
		i++;
	}
	if (i < fmtlen && fmt[i] == '*') {
		int64_t w = *argi < nargs ? fmt_star(&args[(*argi)++]) : 0;

		/* stap 4.8's compiled printers clamp a negative '*' width to
		 * 0; C (and stap's legacy printf) would left-justify. */
		i++;
		sp->width = fmt_clamp(w);
	} else {
		int64_t w = -1;

		while (i < fmtlen && isdigit((unsigned char)fmt[i])) {
			w = (w < 0 ? 0 : w) * 10 + fmt[i++] - '0';
			if (w > FMT_MAX_WIDTH)
				w = FMT_MAX_WIDTH;
		}
		sp->width = (int)w;
	}
	if (i < fmtlen && fmt[i] == '.') {
		int64_t p = 0;

		i++;
		if (i < fmtlen && fmt[i] == '*') {
			p = *argi < nargs ? fmt_star(&args[(*argi)++]) : 0;
			i++;
		} else {
			while (i < fmtlen && isdigit((unsigned char)fmt[i])) {
				p = p * 10 + fmt[i++] - '0';
				if (p > FMT_MAX_WIDTH)
					p = FMT_MAX_WIDTH;
			}
		}
		sp->prec = fmt_clamp(p);
	}
	/* Every value is 64-bit already: length modifiers change nothing. */
	while (i < fmtlen && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L'))
		i++;
	if (i >= fmtlen)
		return false;
	sp->conv = fmt[i];
	*pos = i + 1;
	return true;
}

static bool fmt_is_numeric(char conv)
{
	return conv && strchr("diuxXop", conv);
}

/* One conversion with its argument a. */
static void fmt_convert(struct fmt_sink *k, const struct fmt_spec *sp,
			const struct fmt_arg *a)
{
	unsigned int flags = sp->flags;
	int base = 10;

	if (sp->conv == 's' || (a->type == BT_STRING && sp->conv != 'c')) {
		/* A string where a number belongs is shown as the string. */
		if (a->type == BT_STRING)
			fmt_string(k, a->s ? a->s : "", sp->width, sp->prec,
				   flags);
		else
			fmt_number(k, a->l, 10, sp->width, -1,
				   (flags & ~FMT_SPECIAL) | FMT_SIGN);
		return;
	}
	if (sp->conv == 'c') {
		unsigned char c = a->type == BT_STRING ?
				  (a->s ? a->s[0] : 0) : (unsigned char)a->l;

		fmt_char(k, c, sp->width, flags);
		return;
	}
	switch (sp->conv) {
	case 'd':
	case 'i':
		flags |= FMT_SIGN;
		break;
	case 'X':
		flags |= FMT_LARGE;
		base = 16;
		break;
	case 'x':
		base = 16;
		break;
	case 'p':
		/* Since stap 1.3, %p is %#x. */
		flags |= FMT_SPECIAL;
		base = 16;
		break;
	case 'o':
		base = 8;
		break;
	}
	fmt_number(k, (uint64_t)a->l, base, sp->width, sp->prec, flags);
}

static void fmt_run(struct fmt_sink *k, const char *fmt, size_t fmtlen,
		    const struct fmt_arg *args, int nargs)
{
	size_t i = 0;
	int argi = 0;

	while (i < fmtlen && !k->err) {
		const char *pct = memchr(fmt + i, '%', fmtlen - i);
		struct fmt_spec sp;
		size_t start;

		if (!pct) {
			fmt_put(k, fmt + i, fmtlen - i);
			break;
		}
		fmt_put(k, fmt + i, pct - (fmt + i));
		start = pct - fmt;
		i = start + 1;
		if (!fmt_parse_spec(fmt, fmtlen, &i, args, nargs, &argi,
				    &sp)) {
			fmt_put(k, fmt + start, fmtlen - start);
			break;
		}
		if (sp.conv == '%') {
			fmt_putc(k, '%');
		} else if ((sp.conv == 'c' || sp.conv == 's' ||
			    fmt_is_numeric(sp.conv)) && argi < nargs) {
			fmt_convert(k, &sp, &args[argi++]);
		} else {
			/* Unknown, or no argument left: show it as written. */
			fmt_put(k, fmt + start, i - start);
		}
	}
}

int fmt_print(FILE *out, const char *fmt, size_t fmtlen,
	      const struct fmt_arg *args, int nargs)
{
	struct fmt_sink k = { .f = out };

	fmt_run(&k, fmt, fmtlen, args, nargs);
	fmt_sink_flush(&k);
	return k.err ? -1 : (int)k.total;
}

int fmt_sprint(struct fmt_buf *b, const char *fmt, size_t fmtlen,
	       const struct fmt_arg *args, int nargs)
{
	struct fmt_sink k = { .b = b };
	size_t len0 = b->len;

	if (!fmt_buf_reserve(b, 0)) {
		errno = ENOMEM;
		return -1;
	}
	fmt_run(&k, fmt, fmtlen, args, nargs);
	if (k.err) {
		b->len = len0;
		b->p[len0] = 0;
		errno = ENOMEM;
		return -1;
	}
	b->p[b->len] = 0;
	return (int)(b->len - len0);
}

void fmt_buf_free(struct fmt_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}
