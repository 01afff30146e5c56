// SPDX-License-Identifier: GPL-2.0
/*
 * Precompiled objects, verify mode and the -v pass reports.
 *
 * Verify mode goes through rt_load, the very path a run takes, and stops
 * before anything is attached or run: what it accepts, a run loads.
 * When the verifier rejects a program, rt_verifier_explain turns the
 * instruction index the log ends at back into bpftap terms: the program
 * (or subprogram) it lies in, the source line and the instruction.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/libbpf.h>
#include "codegen/disasm.h"
#include "parser/diag.h"
#include "runtime/internal.h"
#include "runtime/objfile.h"

/* Objects larger than this are not ours (a -p4 file is kilobytes). */
#define RT_MAX_OBJECT	((size_t)RT_MAX_INPUT * 2)	/* the buffer */

bool rt_is_object_file(const char *path)
{
	unsigned char magic[4];
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return false;
	elf = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
	fclose(f);
	return elf;
}

static void *rt_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = cap <= RT_MAX_OBJECT ? realloc(buf, cap) : NULL;
			if (!nb) {
				free(buf);
				fclose(f);
				errno = cap > RT_MAX_OBJECT ? EFBIG : ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

struct bt_object *rt_object_read(const char *path)
{
	struct bt_object *obj;
	char err[256];
	size_t len = 0;
	void *buf;

	if (rt_check_input(path))
		return NULL;
	buf = rt_slurp(path, &len);
	if (!buf) {
		rt_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	obj = obj_read_elf(buf, len, err, sizeof(err));
	free(buf);
	if (!obj)
		rt_error("%s %s", path, err);
	return obj;
}

/* ---- verify ----------------------------------------------------------- */

int rt_verify(const struct bt_object *obj, const struct rt_options *opt)
{
	struct rt_session s = {
		.obj = obj,
		.opt = opt,
		.data_fd = -1,
		.target = { .go_fd = -1, .exec_fd = -1 },
	};
	int i, n = 0, rc = 1;

	if (rt_check_probes(obj))
		return 1;
	rt_log_begin(opt->verbose);
	if (!rt_load(&s)) {
		for (i = 0; i < obj->nprogs; i++)
			n += !obj->progs[i].subprog;
		printf("%d program%s verified\n", n, n == 1 ? "" : "s");
		rc = 0;
	}
	rt_unload(&s);
	rt_log_end();
	return rc;
}

/*
 * Where libbpf puts the subprograms a program uses: after its own code,
 * each on first reference, walking instructions in order and descending
 * into a subprogram as soon as it is appended (bpf_object__reloc_code).
 * start[i] is the index program i starts at (-1: not linked in).
 */
static void rt_layout(const struct bt_object *obj, int prog, long *start,
		      long *end)
{
	const struct bt_objprog *p = &obj->progs[prog];
	uint32_t i, j;

	for (i = 0; i < p->ninsns; i++) {
		for (j = 0; j < p->nrelocs; j++) {
			int t = BT_RELOC_PROG_INDEX(p->relocs[j].map);

			if (p->relocs[j].insn != i ||
			    p->relocs[j].map > BT_RELOC_PROG(0) ||
			    t >= obj->nprogs || start[t] >= 0)
				continue;
			start[t] = *end;
			*end += obj->progs[t].ninsns;
			rt_layout(obj, t, start, end);
		}
	}
}

/* The index in "N: (xx) ..." of the last instruction line of the log. */
static long rt_log_insn(const char *log, size_t len)
{
	const char *p = log, *end = log + len;
	long last = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *q = p;
		long v = 0;

		while (q < end && isdigit((unsigned char)*q) && v < 1 << 24)
			v = v * 10 + (*q++ - '0');
		if (q > p && q + 3 < end && !strncmp(q, ": (", 3))
			last = v;
		p = nl ? nl + 1 : end;
	}
	return last;
}

static void rt_show_srcline(const struct bt_objprog *p, uint32_t idx)
{
	const struct bt_loc *loc = &p->loc;
	const char *text;
	size_t len = 0;
	uint32_t l;

	/* The last mark at or before idx is the line in effect. */
	for (l = 0; l < p->nlines && p->lines[l].insn <= idx; l++)
		loc = &p->lines[l].loc;
	text = loc->file ? diag_source_line(loc->file, loc->line, &len) : NULL;
	while (text && len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	fprintf(stderr, "  source: %s:%d: %.*s\n",
		loc->file ? loc->file : "?", loc->line, text ? (int)len : 0,
		text ? text : "");
}

void rt_verifier_explain(struct rt_session *s, const struct bt_objprog *p,
			 const char *log, size_t len)
{
	const struct bt_object *obj = s->obj;
	long idx = rt_log_insn(log, len), end, *start;
	char buf[160];
	int prog = p - obj->progs, i, in = -1;

	if (idx < 0 || prog < 0 || prog >= obj->nprogs)
		return;
	start = malloc((obj->nprogs + 1) * sizeof(*start));
	if (!start)
		return;
	for (i = 0; i < obj->nprogs; i++)
		start[i] = -1;
	start[prog] = 0;
	end = p->ninsns;
	rt_layout(obj, prog, start, &end);
	for (i = 0; i < obj->nprogs; i++)
		if (start[i] >= 0 && idx >= start[i] &&
		    idx < start[i] + (long)obj->progs[i].ninsns)
			in = i;
	if (in >= 0) {
		const struct bt_objprog *q = &obj->progs[in];
		uint32_t at = idx - start[in];

		if (in != prog)
			fprintf(stderr, "  in subprogram %s\n", q->name);
		rt_show_srcline(q, at);
		if (q->insns[at].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    at + 1 >= q->ninsns)
			snprintf(buf, sizeof(buf), "(18) ld_imm64 cut short");
		else
			disasm_insn(q->insns, at, q, obj, buf, sizeof(buf));
		fprintf(stderr, "  failing instruction: %ld: %s\n", idx, buf);
	}
	free(start);
}

/* ---- -v --------------------------------------------------------------- */

double rt_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void rt_pass_start(struct rt_pass_time *t)
{
	struct rusage ru;

	t->real = rt_clock_ms();
	getrusage(RUSAGE_SELF, &ru);
	t->usr = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
	t->sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

/* Like stap: /proc/self/statm's size, resident, shared and data pages,
 * in kB, then the CPU and wall-clock time the pass took. */
const char *rt_pass_usage(const struct rt_pass_time *t, bool mem,
			  char *buf, size_t size)
{
	unsigned long virt = 0, res = 0, shr = 0, text, lib, data = 0;
	long kb = sysconf(_SC_PAGESIZE) / 1024;
	struct rt_pass_time now;
	int n = 0;
	FILE *f;

	rt_pass_start(&now);
	if (mem) {
		f = fopen("/proc/self/statm", "r");
		if (!f || fscanf(f, "%lu %lu %lu %lu %lu %lu", &virt, &res,
				 &shr, &text, &lib, &data) != 6)
			virt = res = shr = data = 0;
		if (f)
			fclose(f);
		n = snprintf(buf, size, " using %luvirt/%lures/%lushr/%ludata "
			     "kb,", virt * kb, res * kb, shr * kb, data * kb);
		if (n < 0 || (size_t)n >= size)
			n = 0;
	}
	snprintf(buf + n, size - n, " in %.0fusr/%.0fsys/%.0freal ms",
		 now.usr - t->usr, now.sys - t->sys, now.real - t->real);
	return buf;
}

static bool rt_file_seen(const char **files, int n, const char *f)
{
	int i;

	for (i = 0; i < n; i++)
		if (files[i] == f || !strcmp(files[i], f))
			return true;
	return false;
}

static void rt_add_file(const char **files, int *n, int max, const char *f,
			const char *main_file)
{
	if (!f || *n >= max || rt_file_seen(files, *n, f))
		return;
	if (main_file && !strcmp(f, main_file))
		return;
	files[(*n)++] = f;
}

/* Library files: every file other than the user's that defines a probe,
 * alias, function or global. */
static int rt_library_files(const struct bt_script *s)
{
	const char *files[1024];
	const struct bt_probe *p;
	const struct bt_func *f;
	const struct bt_global *g;
	const char *main_file = s->main_file;
	int n = 0, max = sizeof(files) / sizeof(files[0]);

	if (!main_file && s->probes)
		main_file = s->probes->loc.file;
	for (p = s->probes; p; p = p->next)
		rt_add_file(files, &n, max, p->loc.file, main_file);
	for (f = s->funcs; f; f = f->next)
		rt_add_file(files, &n, max, f->loc.file, main_file);
	for (g = s->globals; g; g = g->next)
		rt_add_file(files, &n, max, g->loc.file, main_file);
	return n;
}

static const char *rt_plural(long n)
{
	return n == 1 ? "" : "s";
}

void rt_report_pass1(const struct bt_script *s, const struct rt_pass_time *t)
{
	int n = rt_library_files(s);
	char use[160];

	fprintf(stderr, "Pass 1: parsed user script and %d library script%s"
		"%s.\n", n, rt_plural(n),
		rt_pass_usage(t, true, use, sizeof(use)));
}

/* stap also counts "embeds" (embedded C), which bpftap refuses. */
void rt_report_pass2(const struct bt_script *s, const struct rt_pass_time *t)
{
	char use[160];
	const struct bt_func *f;
	const struct bt_sym *g;
	int nf = 0, ng = 0;

	for (f = s->funcs; f; f = f->next)
		nf += f->used;
	for (g = s->global_syms; g; g = g->next)
		ng++;
	fprintf(stderr, "Pass 2: analyzed script: %d probe%s, %d function%s, "
		"0 embeds, %d global%s%s.\n", s->nprobes,
		rt_plural(s->nprobes), nf, rt_plural(nf), ng, rt_plural(ng),
		rt_pass_usage(t, true, use, sizeof(use)));
}

void rt_report_pass3(const struct bt_object *obj,
		     const struct rt_pass_time *t)
{
	char use[160];
	long insns = 0;
	int i, n = 0;

	for (i = 0; i < obj->nprogs; i++) {
		insns += obj->progs[i].ninsns;
		n += !obj->progs[i].subprog;
	}
	fprintf(stderr, "Pass 3: translated to BPF: %d program%s, %ld "
		"instruction%s%s.\n", n, rt_plural(n), insns,
		rt_plural(insns), rt_pass_usage(t, true, use, sizeof(use)));
	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		fprintf(stderr, "  %s %s: %u instruction%s\n", p->name,
			p->subprog ? "(subprogram)" :
			p->attach.pp ? p->attach.pp : "?", p->ninsns,
			rt_plural(p->ninsns));
	}
	for (i = 0; i < obj->nmaps; i++) {
		const struct bt_objmap *m = &obj->maps[i];
		const char *type = libbpf_bpf_map_type_str(m->type);

		fprintf(stderr, "  map %s: %s, key %u, value %u, %u entries\n",
			m->name, type ? type : "?", m->key_size, m->value_size,
			m->max_entries);
	}
}
