/* SPDX-License-Identifier: GPL-2.0 */
/* Pass 1: text to AST. */
#ifndef BPFTAP_PARSE_H
#define BPFTAP_PARSE_H

#include <stddef.h>
#include "ast.h"

/*
 * Parse one source into the script: its globals, functions and probes are
 * appended to those already there, so the user script and library files
 * share one bt_script. Returns 0, or -1 after printing diagnostics.
 * Never crashes or loops on any input; nesting deeper than
 * PARSE_MAX_DEPTH is an error.
 */
#define PARSE_MAX_DEPTH 1000
int parse_file(struct bt_script *s, const char *path);
int parse_string(struct bt_script *s, const char *name, const char *text,
		 size_t len);

#endif
