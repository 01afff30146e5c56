// SPDX-License-Identifier: GPL-2.0
/*
 * Loading: the object goes through obj_write_elf and libbpf, exactly as a
 * -p4 file would, so what runs is what `bpftool prog loadall` accepts.
 * libbpf's messages are captured, so that a program the verifier rejects
 * is reported against its probe point with the verifier's own reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"

#define RT_PAGE	((size_t)sysconf(_SC_PAGESIZE))

/*
 * libbpf's print callback takes no context, so the capture is global;
 * rt_run is not reentrant anyway. WARN and INFO lines are kept (they hold
 * the verifier log); everything is echoed with -vv.
 */
static struct {
	FILE *f;
	char *text;
	size_t len;
	int verbose;
	libbpf_print_fn_t old;
} rt_log;

static int rt_log_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	va_list ap2;

	/* .bpftap.meta is ours: libbpf skipping it is no news. */
	if (strstr(fmt, "skipping unrecognized data section"))
		return 0;
	if (rt_log.verbose >= 2) {
		va_copy(ap2, ap);
		vfprintf(stderr, fmt, ap2);
		va_end(ap2);
	}
	if (level != LIBBPF_DEBUG && rt_log.f)
		vfprintf(rt_log.f, fmt, ap);
	return 0;
}

void rt_log_begin(int verbose)
{
	rt_log.verbose = verbose;
	rt_log.f = open_memstream(&rt_log.text, &rt_log.len);
	rt_log.old = libbpf_set_print(rt_log_print);
}

void rt_log_end(void)
{
	libbpf_set_print(rt_log.old);
	if (rt_log.f)
		fclose(rt_log.f);
	free(rt_log.text);
	memset(&rt_log, 0, sizeof(rt_log));
}

/* The captured text so far (valid until the next libbpf message). */
static const char *rt_log_text(void)
{
	if (!rt_log.f || fflush(rt_log.f))
		return "";
	return rt_log.text ? rt_log.text : "";
}

/* Show the captured libbpf warnings, one per line, as the cause. */
static void rt_log_show(void)
{
	const char *p = rt_log_text();

	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		if (!strncmp(p, "libbpf: ", 8)) {
			p += 8;
			n -= 8;
		}
		if (n > 0)
			fprintf(stderr, "  %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
}

/* A verifier log line that states no reason. */
static bool rt_log_line_is_noise(const char *p, int n)
{
	static const char *const noise[] = {
		"processed ", "verification time", "stack depth",
		"max_states_per_insn", "-- END PROG LOAD LOG", NULL,
	};
	int i;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n <= 0)
		return true;
	for (i = 0; noise[i]; i++)
		if (!strncmp(p, noise[i], strlen(noise[i])))
			return true;
	return false;
}

/*
 * Print the last `want` (at most 8) meaningful lines of log[0..len): the
 * verifier states the failing instruction, then the reason, last.
 */
static void rt_log_tail(const char *log, size_t len, int want)
{
	const char *end = log + len;
	const char *starts[8];
	int nstarts = 0, i;

	while (end > log && nstarts < want) {
		const char *e = end, *b;

		while (e > log && e[-1] == '\n')
			e--;
		b = e;
		while (b > log && b[-1] != '\n')
			b--;
		if (b == e)
			break;
		if (!rt_log_line_is_noise(b, e - b))
			starts[nstarts++] = b;
		end = b;
	}
	for (i = nstarts - 1; i >= 0; i--) {
		size_t left = log + len - starts[i];
		const char *nl = memchr(starts[i], '\n', left);
		int n = nl ? (int)(nl - starts[i]) : (int)left;

		fprintf(stderr, "  %.*s\n", n, starts[i]);
	}
}

static const struct bt_objprog *rt_prog_by_name(struct rt_session *s,
						const char *name, size_t n)
{
	int i;

	for (i = 0; i < s->obj->nprogs; i++) {
		const char *pn = s->obj->progs[i].name;

		if (pn && strlen(pn) == n && !strncmp(pn, name, n))
			return &s->obj->progs[i];
	}
	return NULL;
}

/*
 * libbpf says "prog 'NAME': BPF program load failed: ..." and then gives
 * the log between "prog 'NAME': -- BEGIN PROG LOAD LOG --" and
 * "-- END PROG LOAD LOG --". Returns false if no program failed.
 */
static bool rt_report_verifier(struct rt_session *s)
{
	static const char failed[] = "': BPF program load failed";
	static const char begin[] = "': -- BEGIN PROG LOAD LOG --\n";
	const char *text = rt_log_text();
	const char *f = strstr(text, failed), *name, *log, *end;
	const struct bt_objprog *p;
	char *mark;
	size_t n;

	if (!f)
		return false;
	name = f;
	while (name > text && name[-1] != '\'')
		name--;
	n = f - name;
	p = rt_prog_by_name(s, name, n);
	rt_error("the kernel's verifier rejected probe %s at %s",
		 p && p->attach.pp ? p->attach.pp : "?",
		 p ? rt_loc_str(s, &p->loc) : "?");
	if (asprintf(&mark, "%.*s%s", (int)n, name, begin) < 0)
		return true;
	log = strstr(text, mark);
	free(mark);
	if (!log) {
		fprintf(stderr, "  %.*s\n", (int)strcspn(f + 3, "\n"), f + 3);
		return true;
	}
	log = strchr(log, '\n') + 1;
	end = strstr(log, "-- END PROG LOAD LOG --");
	if (!end)
		end = log + strlen(log);
	rt_log_tail(log, end - log, 2);
	if (p)
		rt_verifier_explain(s, p, log, end - log);
	if (s->opt->verbose) {
		fprintf(stderr, "the verifier's log:\n");
		fwrite(log, 1, end - log, stderr);
	}
	return true;
}

static struct bpf_map *rt_find_data_map(struct bpf_object *bobj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, bobj) {
		const char *name = bpf_map__name(m);
		size_t n = strlen(name);

		if (n >= 5 && !strcmp(name + n - 5, ".data"))
			return m;
	}
	return NULL;
}

/* foreach's sort buffers are ARRAY maps indexed by CPU: one entry per
 * possible CPU of this machine, whatever the compiling one had. */
static void rt_size_cpu_maps(struct rt_session *s, int64_t ncpus)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, s->bobj)
		if (!strncmp(bpf_map__name(m), "bpftap_sort", 11))
			bpf_map__set_max_entries(m, ncpus);
}

/*
 * -s NUM: the ring holds NUM MB, rounded up to a power of two as the
 * kernel requires (any power of two from 1 MB on is a page multiple).
 */
static int rt_size_ringbuf(struct rt_session *s)
{
	const struct bt_object *obj = s->obj;
	uint32_t size = 1u << 20;
	struct bpf_map *m;
	int err;

	if (!s->opt->bufsize_mb || obj->ringbuf_map < 0 ||
	    obj->ringbuf_map >= obj->nmaps)
		return 0;
	while (size >> 20 < (uint32_t)s->opt->bufsize_mb)
		size <<= 1;
	m = bpf_object__find_map_by_name(s->bobj,
					 obj->maps[obj->ringbuf_map].name);
	if (!m)
		return 0;	/* rt_output_init reports it */
	err = bpf_map__set_max_entries(m, size);
	if (err) {
		rt_error("-s %d: %s", s->opt->bufsize_mb, strerror(-err));
		return -1;
	}
	return 0;
}

/*
 * The initial .data: the compiled one, plus target() (0 without -c/-x) and
 * the realtime clock's offset from the monotonic one (probes only have
 * the latter).
 */
static int rt_set_data(struct rt_session *s)
{
	const struct bt_object *obj = s->obj;
	uint64_t pid = s->target.pid;
	int64_t ncpus;
	size_t size;
	int err;

	s->data_map = rt_find_data_map(s->bobj);
	if (!s->data_map) {
		rt_error("the object has no .data section");
		return -1;
	}
	size = bpf_map__value_size(s->data_map);
	if (size != obj->data_size || size < BT_DATA_GLOBALS_OFF) {
		rt_error("the object's .data has %zu bytes, expected %u",
			 size, obj->data_size);
		return -1;
	}
	s->data = calloc(1, size);
	if (!s->data) {
		rt_error("out of memory");
		return -1;
	}
	s->data_size = size;
	if (obj->data)
		memcpy(s->data, obj->data, size);
	memcpy(s->data + BT_DATA_TARGET_OFF, &pid, sizeof(pid));
	memcpy(s->data + BT_DATA_TIMEOFF_OFF, &s->time_offset,
	       sizeof(s->time_offset));
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1)
		ncpus = 1;
	/* Per-CPU sums loop over at most the CPUs allowed at compile
	 * time (and stop at this machine's count, from .data). */
	if (obj->ncpus && obj->ncpus < ncpus) {
		rt_error("the object was compiled for at most %u possible "
			 "CPUs; this machine has %lld: recompile it",
			 obj->ncpus, (long long)ncpus);
		return -1;
	}
	memcpy(s->data + BT_DATA_NCPUS_OFF, &ncpus, sizeof(ncpus));
	rt_size_cpu_maps(s, ncpus);
	err = bpf_map__set_initial_value(s->data_map, s->data, size);
	if (err) {
		rt_error("cannot set the initial .data: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static int rt_find_progs(struct rt_session *s)
{
	int i;

	s->bprogs = calloc(s->obj->nprogs + 1, sizeof(*s->bprogs));
	if (!s->bprogs) {
		rt_error("out of memory");
		return -1;
	}
	for (i = 0; i < s->obj->nprogs; i++) {
		const char *name = s->obj->progs[i].name;

		if (s->obj->progs[i].subprog)	/* libbpf links it in */
			continue;
		s->bprogs[i] = bpf_object__find_program_by_name(s->bobj, name);
		if (!s->bprogs[i]) {
			rt_error("program %s is missing from the object",
				 name);
			return -1;
		}
	}
	return 0;
}

/*
 * libbpf makes .data mmapable when the kernel can, but 1.1 maps it over
 * the kernel's array only for skeletons: map it here. A store through
 * the mapping changes one word while probes keep updating the others (a
 * map update would write back the whole value, globals included).
 */
static void rt_data_map(struct rt_session *s)
{
	size_t len;
	void *mm;

	if (!(bpf_map__map_flags(s->data_map) & BPF_F_MMAPABLE))
		return;
	len = (s->data_size + RT_PAGE - 1) / RT_PAGE * RT_PAGE;
	mm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  s->data_fd, 0);
	if (mm == MAP_FAILED)
		return;		/* the fallbacks use map updates */
	s->data_mm = mm;
	s->data_mm_len = len;
}

int rt_load(struct rt_session *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "bpftap");
	int err;

	if (obj_write_elf(s->obj, &s->elf, &s->elf_len)) {
		rt_error("cannot build the object: %s", strerror(errno));
		return -1;
	}
	s->bobj = bpf_object__open_mem(s->elf, s->elf_len, &oo);
	if (!s->bobj) {
		rt_error("libbpf cannot open the object: %s", strerror(errno));
		rt_log_show();
		return -1;
	}
	if (rt_set_data(s) || rt_size_ringbuf(s) || rt_find_progs(s))
		return -1;
	err = bpf_object__load(s->bobj);
	if (err) {
		if (!rt_report_verifier(s)) {
			rt_error("cannot load the object: %s", strerror(-err));
			rt_log_show();
		}
		return -1;
	}
	s->data_fd = bpf_map__fd(s->data_map);
	rt_data_map(s);
	return rt_output_init(s);
}

/* Read .data (exit flag, globals) into s->data. */
int rt_data_read(struct rt_session *s)
{
	uint32_t key = 0;

	if (bpf_map_lookup_elem(s->data_fd, &key, s->data)) {
		rt_bug(s, "cannot read .data: %s", strerror(errno));
		return -1;
	}
	return 0;
}

bool rt_exit_flag(struct rt_session *s)
{
	uint64_t flag;

	if (rt_data_read(s))
		return false;
	memcpy(&flag, s->data + BT_DATA_EXIT_OFF, sizeof(flag));
	return flag != 0;
}

/*
 * Kernel-side probes do nothing once the flag is set; end and error probes
 * must run all the same, so the flag is cleared before each, once
 * everything is detached and nothing else can race with the write.
 */
int rt_exit_flag_clear(struct rt_session *s)
{
	uint64_t zero = 0;
	uint32_t key = 0;

	if (rt_data_read(s))
		return -1;
	memcpy(s->data + BT_DATA_EXIT_OFF, &zero, sizeof(zero));
	if (bpf_map_update_elem(s->data_fd, &key, s->data, BPF_ANY)) {
		rt_bug(s, "cannot write .data: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Too many runtime errors: probes stop as after exit(). Without the
 * mapping the flag goes in with a whole-value update, which may undo a
 * concurrent change to a scalar global; the session is ending anyway.
 */
void rt_exit_flag_set(struct rt_session *s)
{
	uint64_t one = 1;
	uint32_t key = 0;

	if (s->data_mm) {
		__atomic_store_n((uint64_t *)(s->data_mm + BT_DATA_EXIT_OFF),
				 one, __ATOMIC_SEQ_CST);
		return;
	}
	if (s->data_fd < 0 || rt_data_read(s))
		return;
	memcpy(s->data + BT_DATA_EXIT_OFF, &one, sizeof(one));
	if (bpf_map_update_elem(s->data_fd, &key, s->data, BPF_ANY))
		rt_bug(s, "cannot write .data: %s", strerror(errno));
}

/* Records the kernel side could not reserve (the ring was full). */
uint64_t rt_lost_records(struct rt_session *s)
{
	uint64_t n;

	if (s->data_mm)
		return __atomic_load_n((uint64_t *)(s->data_mm +
						    BT_DATA_LOST_OFF),
				       __ATOMIC_SEQ_CST);
	if (s->data_fd < 0 || rt_data_read(s))
		return 0;
	memcpy(&n, s->data + BT_DATA_LOST_OFF, sizeof(n));
	return n;
}

void rt_unload(struct rt_session *s)
{
	rt_output_free(s);
	bpf_object__close(s->bobj);
	s->bobj = NULL;
	free(s->bprogs);
	s->bprogs = NULL;
	free(s->data);
	s->data = NULL;
	if (s->data_mm)
		munmap(s->data_mm, s->data_mm_len);
	s->data_mm = NULL;
	free(s->elf);
	s->elf = NULL;
}
