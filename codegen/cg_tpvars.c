// SPDX-License-Identifier: GPL-2.0
/* $context variables: reads from the probe's context (see cg.h). */
#include "cg.h"

int cg_context_var(struct cg *c, const struct bt_expr *e)
{
	cg_error(c, &e->loc, "context variables are not supported yet");
	return cg_push(c, &e->loc);
}
