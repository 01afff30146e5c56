/* SPDX-License-Identifier: GPL-2.0 */
/* Pass 2: resolve symbols, infer types, resolve probe points and calls. */
#ifndef BPFTAP_ELABORATE_H
#define BPFTAP_ELABORATE_H

#include <stdio.h>
#include "ast.h"

/* Returns 0, or -1 after printing diagnostics. */
int elab_script(struct bt_script *s);

/* Keep every variable a library alias sets, read or not (for -L, which
 * lists them); by default the unread ones are dropped (elab_prune.c). */
void elab_keep_alias_locals(bool on);

/* -p2: the resolved probes, the globals with their types, the functions. */
void elab_print(const struct bt_script *s, FILE *out);

#endif
