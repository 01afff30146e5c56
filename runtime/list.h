/* SPDX-License-Identifier: GPL-2.0 */
/* -l / -L: the probe points a pattern names (see list.c). */
#ifndef BPFTAP_LIST_H
#define BPFTAP_LIST_H

#include <stdbool.h>
#include <stdio.h>
#include "parser/ast.h"

/* Print the points pattern resolves to, one a line, sorted; with vars
 * (-L) each followed by its context variables. Library files come from
 * the -I directories as for a script. Returns the exit status: 0, or 1
 * when nothing matches (after saying why on stderr). */
int rt_list(struct bt_script *s, const char *pattern, bool vars,
	    char *const *incdirs, int nincdirs, FILE *out);

#endif
