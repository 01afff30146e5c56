/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The printf formatter: SystemTap's printf semantics (its runtime's
 * vsprintf.c, stap >= 1.3), applied to already-decoded arguments.
 *
 * Conversions %d %i %u %x %X %o %c %s %p %%, flags - + 0 # space, width
 * and precision (also '*', which takes the next argument). Every numeric
 * conversion is 64-bit. Length modifiers (h l ll L) are accepted and
 * ignored. Where stap and C differ, stap wins:
 *  - %p is %#x of the 64-bit value ("0x1234");
 *  - '#' always prefixes: %#x of 0 is "0x0", %#o of 8 is "010";
 *  - '0' pads with zeros even when a precision is given;
 *  - a negative '*' precision counts as 0;
 *  - %#c escapes unprintable characters, quote and backslash C-style.
 * A conversion without an argument, an unknown conversion or a lone '%'
 * at the end is copied to the output as written.
 */
#ifndef BPFTAP_FORMAT_H
#define BPFTAP_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../parser/ast.h"

/* Bound on widths and precisions, so a wild '*' cannot exhaust memory. */
#define FMT_MAX_WIDTH	8192

struct fmt_arg {
	enum bt_type type;		/* BT_LONG or BT_STRING */
	int64_t l;
	const char *s;			/* BT_STRING: NUL-terminated */
};

/* A growing, NUL-terminated output buffer. Zero-initialise before use. */
struct fmt_buf {
	char *p;
	size_t len;
	size_t cap;
};

/*
 * Format fmt (fmtlen bytes; it may contain NULs) with args to out.
 * Returns the number of bytes written, or -1 if writing failed.
 */
int fmt_print(FILE *out, const char *fmt, size_t fmtlen,
	      const struct fmt_arg *args, int nargs);

/*
 * Append the formatted text to b (kept NUL-terminated). Returns the
 * number of bytes appended, or -1 (errno ENOMEM) with b unchanged in
 * length.
 */
int fmt_sprint(struct fmt_buf *b, const char *fmt, size_t fmtlen,
	       const struct fmt_arg *args, int nargs);

void fmt_buf_free(struct fmt_buf *b);

#endif
