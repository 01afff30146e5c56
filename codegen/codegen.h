/* SPDX-License-Identifier: GPL-2.0 */
/* Pass 3: lower the elaborated AST to BPF programs (struct bt_object). */
#ifndef BPFTAP_CODEGEN_H
#define BPFTAP_CODEGEN_H

#include "../parser/ast.h"
#include "object.h"

struct cg_options {
	uint32_t maxstringlen;		/* -D MAXSTRINGLEN, default 128 */
	uint32_t maxmapentries;		/* -D MAXMAPENTRIES, default 2048 */
	uint32_t maxaction;		/* -D MAXACTION */
};

void cg_default_options(struct cg_options *o);

/* Returns the object, or NULL after printing diagnostics. */
struct bt_object *cg_compile(const struct bt_script *s,
			     const struct cg_options *o);

#endif
