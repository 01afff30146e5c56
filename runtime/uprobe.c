// SPDX-License-Identifier: GPL-2.0
/*
 * Function probes: uprobes on user-space functions and kprobes on kernel
 * functions. Elaboration checked that each function exists; the offset
 * of a uprobe is looked up again here, in the file as it is now, so an
 * object compiled earlier (-p4) follows a rebuilt binary.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "parser/elfsym.h"
#include "runtime/internal.h"

/* The last file whose symbols were read: wildcard probes attach many
 * functions of one binary in a row. */
static struct {
	char *path;
	struct elfsym_table t;
} rt_elf;

static int rt_uprobe_offset(const char *path, const char *func,
			    uint64_t *off)
{
	const struct elfsym_func *f;
	int err;

	if (!rt_elf.path || strcmp(rt_elf.path, path)) {
		free(rt_elf.path);
		elfsym_free(&rt_elf.t);
		rt_elf.path = NULL;
		err = elfsym_read(path, &rt_elf.t);
		if (err)
			return err;
		rt_elf.path = strdup(path);
		if (!rt_elf.path)
			return -ENOMEM;
	}
	f = elfsym_find(&rt_elf.t, func);
	if (!f)
		return -ENOENT;
	*off = f->offset;
	return 0;
}

void rt_uprobe_cleanup(void)
{
	free(rt_elf.path);
	elfsym_free(&rt_elf.t);
	rt_elf.path = NULL;
}

int rt_attach_uprobe(struct rt_session *s, int i)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	struct bpf_link *link;
	uint64_t off;
	int err;

	if (!a->path || !a->func)
		return -EINVAL;
	err = rt_uprobe_offset(a->path, a->func, &off);
	if (err)
		return err;
	link = bpf_program__attach_uprobe(s->bprogs[i],
					  a->type == PT_URETPROBE,
					  a->pid ? (pid_t)a->pid : -1,
					  a->path, off);
	if (!link)
		return -errno;
	return rt_link_add(s, link);
}

/*
 * Can this kernel attach kprobes at all? libbpf needs either the perf
 * "kprobe" PMU or tracefs's kprobe_events; a kernel built without
 * CONFIG_KPROBES has neither.
 */
bool rt_kprobes_available(void)
{
	static const char *const paths[] = {
		"/sys/bus/event_source/devices/kprobe/type",
		"/sys/kernel/tracing/kprobe_events",
		"/sys/kernel/debug/tracing/kprobe_events",
	};

	for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
		if (!access(paths[k], F_OK))
			return true;
	return false;
}

int rt_attach_kprobe(struct rt_session *s, int i)
{
	const struct bt_attach *a = &s->obj->progs[i].attach;
	struct bpf_link *link;

	if (!a->func)
		return -EINVAL;
	link = bpf_program__attach_kprobe(s->bprogs[i],
					  a->type == PT_KRETPROBE, a->func);
	if (!link)
		return -errno;
	return rt_link_add(s, link);
}
