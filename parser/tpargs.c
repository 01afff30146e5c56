// SPDX-License-Identifier: GPL-2.0
/* Tracepoint arguments from the kernel's BTF (see tpargs.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "tpargs.h"

/* The kernel's BTF, loaded once per process (compiles are few). */
static const struct btf *tpargs_btf(int *err)
{
	static struct btf *vmlinux;
	static int load_err;

	if (!vmlinux && !load_err) {
		vmlinux = btf__load_vmlinux_btf();
		if (!vmlinux)
			load_err = errno ? errno : ENOENT;
	}
	*err = load_err;
	return vmlinux;
}

/* The prototype of __bpf_trace_EVENT, or NULL (*err set). */
static const struct btf_type *tpargs_proto(const char *event,
					   const struct btf **btf, int *err)
{
	char name[256];
	const struct btf_type *t;
	int id;

	*btf = tpargs_btf(err);
	if (!*btf)
		return NULL;
	if (snprintf(name, sizeof(name), "__bpf_trace_%s", event) >=
	    (int)sizeof(name)) {
		*err = ENOENT;
		return NULL;
	}
	id = btf__find_by_name_kind(*btf, name, BTF_KIND_FUNC);
	t = id > 0 ? btf__type_by_id(*btf, id) : NULL;
	t = t ? btf__type_by_id(*btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1) {
		*err = ENOENT;
		return NULL;
	}
	return t;
}

int tpargs_find(const char *event, const char *name, int *index,
		uint32_t *type)
{
	const struct btf *btf;
	const struct btf_type *t;
	const struct btf_param *p;
	int err;

	t = tpargs_proto(event, &btf, &err);
	if (!t)
		return -err;
	p = btf_params(t);
	/* the first parameter is the probe's own data, not an argument */
	for (int i = 1; i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, p[i].name_off), name)) {
			*index = i - 1;
			*type = p[i].type;
			return 0;
		}
	return -ENOENT;
}

int tpargs_names(const char *event, char *buf, size_t size)
{
	const struct btf *btf;
	const struct btf_type *t;
	const struct btf_param *p;
	size_t len = 0;
	int err;

	buf[0] = 0;
	t = tpargs_proto(event, &btf, &err);
	if (!t)
		return -err;
	p = btf_params(t);
	for (int i = 1; i < btf_vlen(t) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s$%s", i > 1 ? ", " :
				"", btf__name_by_offset(btf, p[i].name_off));
	return 0;
}
