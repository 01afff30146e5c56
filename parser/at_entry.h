/* SPDX-License-Identifier: GPL-2.0 */
/* @entry(EXPR) in .return probes, rewritten into an entry probe that
 * saves EXPR per thread (at_entry.c). */
#ifndef BPFTAP_AT_ENTRY_H
#define BPFTAP_AT_ENTRY_H

#include "ast.h"

/* Rewrite every @entry of the script; 0, or -1 after diagnostics (an
 * @entry outside a .return probe, or nested). */
int at_entry_rewrite(struct bt_script *s);

#endif
