// SPDX-License-Identifier: GPL-2.0
/* Freeing a struct bt_object (see object.h for who owns what). */
#include <stdlib.h>
#include "object.h"

static void obj_free_attach(struct bt_attach *a)
{
	free(a->tp_system);
	free(a->tp_event);
	free(a->path);
	free(a->func);
	free(a->pp);
}

static void obj_free_prog(struct bt_objprog *p)
{
	free(p->name);
	free(p->section);
	free(p->insns);
	free(p->relocs);
	/* lines[].loc.file is interned by diag.c: only the array is ours. */
	free(p->lines);
	obj_free_attach(&p->attach);
}

void obj_free(struct bt_object *obj)
{
	int i;

	if (!obj)
		return;
	for (i = 0; i < obj->nmaps; i++)
		free(obj->maps[i].name);
	free(obj->maps);
	for (i = 0; i < obj->nprogs; i++)
		obj_free_prog(&obj->progs[i]);
	free(obj->progs);
	free(obj->data);
	free(obj->rodata);
	for (i = 0; i < obj->nformats; i++) {
		free(obj->formats[i].fmt);
		free(obj->formats[i].argtypes);
	}
	free(obj->formats);
	for (i = 0; i < obj->nerrors; i++)
		free(obj->errors[i].msg);
	free(obj->errors);
	for (i = 0; i < obj->nglobals; i++)
		free(obj->globals[i].name);
	free(obj->globals);
	free(obj->source);
	free(obj);
}
