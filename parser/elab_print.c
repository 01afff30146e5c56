// SPDX-License-Identifier: GPL-2.0
/*
 * -p2: the elaborated script, laid out like `stap -p2`: the globals with
 * their types, the functions that are used, then every probe with the
 * points it resolved to, its locals and its body (aliases expanded).
 * Tests compare this text, so it depends on nothing but the script.
 */
#include <stdio.h>
#include "elaborate.h"
#include "elab_internal.h"

static const char *type_text(enum bt_type t)
{
	switch (t) {
	case BT_LONG: return "long";
	case BT_STRING: return "string";
	case BT_STATS: return "stats";
	case BT_VOID: return "void";
	default: return "unknown";
	}
}

/* `a:long [long, string]` */
static void print_sym(const struct bt_sym *sym, FILE *out)
{
	fprintf(out, "%s:%s", sym->name, type_text(sym->type));
	if (sym->nkeys) {
		fputs(" [", out);
		for (int i = 0; i < sym->nkeys && i < BT_MAX_KEYS; i++)
			fprintf(out, "%s%s", i ? ", " : "",
				type_text(sym->keys[i]));
		fputc(']', out);
	}
	fputc('\n', out);
}

static void print_locals(const struct bt_sym *l, FILE *out)
{
	bool any = false;

	for (; l; l = l->next) {
		if (l->kind == SYM_PARAM)
			continue;
		if (!any)
			fputs("# locals\n", out);
		any = true;
		print_sym(l, out);
	}
}

static void print_func(const struct bt_func *f, FILE *out)
{
	fprintf(out, "%s:%s (", f->name, type_text(f->ret_type));
	for (const struct bt_param *p = f->params; p; p = p->next)
		fprintf(out, "%s%s:%s", p == f->params ? "" : ", ", p->name,
			type_text(p->sym ? p->sym->type : p->type));
	fputs(")\n", out);
	print_locals(f->locals, out);
	ast_print_stmt(f->body, 0, out);
}

static void print_point(const struct bt_point *pt, bool last, FILE *out)
{
	char buf[512];

	ast_print_point(pt, out);
	elab_point_describe(pt, buf, sizeof(buf));
	fprintf(out, " /* <- %s", buf);
	if (pt->alias_from) {
		fputs(" <- ", out);
		ast_print_point(pt->alias_from, out);
	}
	fprintf(out, " */%s\n", last ? "" : ",");
}

static void print_probe(const struct bt_probe *p, FILE *out)
{
	for (const struct bt_point *pt = p->points; pt; pt = pt->next)
		print_point(pt, !pt->next, out);
	print_locals(p->locals, out);
	ast_print_stmt(p->body, 0, out);
}

void elab_print(const struct bt_script *s, FILE *out)
{
	fputs("# globals\n", out);
	for (const struct bt_sym *g = s->global_syms; g; g = g->next)
		if (g->read || g->written)
			print_sym(g, out);
	fputs("# functions\n", out);
	for (const struct bt_func *f = s->funcs; f; f = f->next)
		if (f->used)
			print_func(f, out);
	fputs("# probes\n", out);
	for (const struct bt_probe *p = s->probes; p; p = p->next)
		if (!p->alias_names)
			print_probe(p, out);
}
