/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics: "FILE:LINE:COL: error: message", then the source line and a
 * caret under the column, on stderr. Sources are registered as they are
 * read so that any pass can quote them later.
 */
#ifndef BPFTAP_DIAG_H
#define BPFTAP_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include "ast.h"

/* Keep a copy of a source text so diagnostics can quote its lines.
 * Returns the interned file name to store in bt_loc.file. */
const char *diag_add_source(const char *file, const char *text, size_t len);

/* Interned file name without registering text (e.g. "<command line>"). */
const char *diag_intern(const char *file);

void diag_error(const struct bt_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warning(const struct bt_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A secondary site of the previous error ("note: first declared here"). */
void diag_note(const struct bt_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_verror(const struct bt_loc *loc, const char *fmt, va_list ap);

int diag_error_count(void);
/* Warnings off (-w). */
void diag_set_quiet_warnings(int quiet);
/* Colours: 1 on, 0 off, -1 (the default) only when stderr is a
 * terminal, TERM is not "dumb" and NO_COLOR is unset or empty. */
void diag_set_color(int on);
/* Forget counts and sources (tests; the end of a compile). */
void diag_reset(void);

/* Length of the valid UTF-8 sequence at t[i] (before end), or 0: the one
 * check the excerpts, -p1 strings and JSON output share. */
size_t diag_utf8_len(const unsigned char *t, size_t i, size_t end);

/* The text of line `line` of `file` (without newline) or NULL. */
const char *diag_source_line(const char *file, int line, size_t *len);

#endif
