// SPDX-License-Identifier: GPL-2.0
/* Tracepoint arguments from the kernel's BTF (see tpargs.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "tpargs.h"

struct btf *tpargs_vmlinux_btf(int *err)
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

/* The prototype of kernel function func, or NULL (*err set). */
static const struct btf_type *tpargs_proto(const char *func,
					   const struct btf **btf, int *err)
{
	const struct btf_type *t;
	int id;

	*btf = tpargs_vmlinux_btf(err);
	if (!*btf)
		return NULL;
	id = btf__find_by_name_kind(*btf, func, BTF_KIND_FUNC);
	t = id > 0 ? btf__type_by_id(*btf, id) : NULL;
	t = t ? btf__type_by_id(*btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t)) {
		*err = ENOENT;
		return NULL;
	}
	return t;
}

/* __bpf_trace_EVENT into buf; false when it does not fit. */
static bool tpargs_probe_func(const char *event, char *buf, size_t size)
{
	return snprintf(buf, size, "__bpf_trace_%s", event) < (int)size;
}

/* Parameter name of func after the first skip ones. */
static int tpargs_param(const char *func, int skip, const char *name,
			int *index, uint32_t *type)
{
	const struct btf *btf;
	const struct btf_type *t;
	const struct btf_param *p;
	int err;

	t = tpargs_proto(func, &btf, &err);
	if (!t)
		return -err;
	p = btf_params(t);
	for (int i = skip; i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, p[i].name_off), name)) {
			*index = i - skip;
			*type = p[i].type;
			return 0;
		}
	return -ENOENT;
}

static int tpargs_list(const char *func, int skip, char *buf, size_t size)
{
	const struct btf *btf;
	const struct btf_type *t;
	const struct btf_param *p;
	size_t len = 0;
	int err;

	buf[0] = 0;
	t = tpargs_proto(func, &btf, &err);
	if (!t)
		return -err;
	p = btf_params(t);
	for (int i = skip; i < btf_vlen(t) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s$%s",
				i > skip ? ", " : "",
				btf__name_by_offset(btf, p[i].name_off));
	return 0;
}

/* A tracepoint's probe function gets its own data first: not an
 * argument. */
int tpargs_find(const char *event, const char *name, int *index,
		uint32_t *type)
{
	char func[256];

	if (!tpargs_probe_func(event, func, sizeof(func)))
		return -ENOENT;
	return tpargs_param(func, 1, name, index, type);
}

int tpargs_names(const char *event, char *buf, size_t size)
{
	char func[256];

	buf[0] = 0;
	if (!tpargs_probe_func(event, func, sizeof(func)))
		return -ENOENT;
	return tpargs_list(func, 1, buf, size);
}

int tpargs_func_param(const char *func, const char *name, int *index,
		      uint32_t *type)
{
	return tpargs_param(func, 0, name, index, type);
}

int tpargs_func_names(const char *func, char *buf, size_t size)
{
	return tpargs_list(func, 0, buf, size);
}

int tpargs_func_ret(const char *func, uint32_t *type)
{
	const struct btf *btf;
	const struct btf_type *t;
	int err;

	t = tpargs_proto(func, &btf, &err);
	if (!t)
		return -err;
	*type = t->type;
	return 0;
}
