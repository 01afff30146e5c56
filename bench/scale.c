// SPDX-License-Identifier: GPL-2.0
/*
 * Scale, bpftap only: compile time and memory of generated scripts with
 * 10, 100 and 1000 probes (time per probe should stay flat), and a
 * script with one probe on each of 500 syscall tracepoints: how long
 * until all are attached, how long SIGINT takes to end the session and
 * until the kernel has freed every program.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include "bench.h"

#define SCALE_TPS	500
#define EVENTS_DIR	"/sys/kernel/tracing/events/syscalls"

static const struct tool *bpftap_tool(struct bench *b)
{
	for (int i = 0; i < b->ntools; i++)
		if (!strcmp(b->tools[i].name, "bpftap"))
			return &b->tools[i];
	return NULL;
}

/* n probes, each with its own counter and an occasional printf. */
static char *gen_probes(struct bench *b, int n)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/scratch/gen%d.stp", b->out, n) < 0)
		return NULL;
	f = fopen(path, "w");
	if (!f) {
		free(path);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "global c%d\nprobe kernel.trace(\"syscalls:"
			"sys_enter_getpid\") {\n\tc%d++\n\tif (c%d %% 1000 == "
			"0)\n\t\tprintf(\"%%s %%d: %%d\\n\", execname(), pid(), "
			"c%d)\n}\n", i, i, i, i);
	fclose(f);
	return path;
}

/* Processes named bpftap-closer (runtime/closer.c): the kernel is
 * still freeing a session's tracepoints. */
static int closers(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) &&
		    !strcmp(comm, "bpftap-closer\n"))
			n++;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* ms until no closer is left (at most limit_ms), from t0. */
static double closers_gone(uint64_t t0, int limit_ms)
{
	uint64_t limit = now_ns() + limit_ms * 1000000ull;

	while (closers() && now_ns() < limit) {
		struct timespec ts = { 0, 20000000 };

		nanosleep(&ts, NULL);
	}
	return closers() ? NAN : (now_ns() - t0) / 1e6;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One probe on each of the first 500 syscall tracepoints, by name. */
static char *gen_tracepoints(struct bench *b)
{
	DIR *d = opendir(EVENTS_DIR);
	struct dirent *de;
	char *names[1024], *path = NULL;
	int n = 0;
	FILE *f;

	if (!d)
		return NULL;
	while ((de = readdir(d)) && n < 1024)
		if (!strncmp(de->d_name, "sys_e", 5))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	if (n >= SCALE_TPS && asprintf(&path, "%s/scratch/tp%d.stp", b->out,
				       SCALE_TPS) >= 0 &&
	    (f = fopen(path, "w"))) {
		fputs("global hits\n", f);
		for (int i = 0; i < SCALE_TPS; i++)
			fprintf(f, "probe kernel.trace(\"syscalls:%s\") "
				"{ hits++ }\n", names[i]);
		fclose(f);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	return path;
}

static void scale_compile(struct bench *b, const struct tool *t, int n)
{
	char *s = gen_probes(b, n), *o, *log, label[32];
	const char *const tmpl[] = { t->compile[0], "-p4", "-o", "%o", "%s",
				     NULL };

	if (!s)
		return;
	snprintf(label, sizeof(label), "%d probes", n);
	if (asprintf(&o, "%s/scratch/gen%d.bo", b->out, n) < 0 ||
	    asprintf(&log, "%s/logs/scale.gen%d", b->out, n) < 0)
		exit(2);
	for (int r = 0; r <= b->reps; r++) {
		char **argv = bench_argv(tmpl, s, o);
		double wall, cpu;
		long rss;
		int rc = run_cmd(t, argv, NULL, log, &wall, &cpu, &rss);

		bench_argv_free(argv);
		fprintf(b->raw, "phase=scale_compile probes=%d rep=%d rc=%d "
			"wall_ms=%.3f cpu_ms=%.3f rss_kb=%ld\n", n, r, rc,
			wall, cpu, rss);
		if (rc) {
			bench_log("scale: compiling %d probes failed, see %s",
				  n, log);
			break;
		}
		if (!r)
			continue;
		sample_add("scale compile ms", label, t->name, wall);
		sample_add("scale compile cpu ms", label, t->name, cpu);
		sample_add("scale max RSS KB", label, t->name, rss);
	}
	free(s);
	free(o);
	free(log);
}

static void scale_attach(struct bench *b, const struct tool *t, int rep,
			 const char *script)
{
	static uint32_t ids[BENCH_MAX_PROGS];
	const char *label = "500 tracepoints";
	char **argv = bench_argv(t->run, script, NULL);
	char *out, *err;
	struct proc p;
	double attach_ms, stop_ms = NAN, gone_ms = NAN, freed_ms = NAN;
	uint64_t t0 = 0;
	int nids;

	if (asprintf(&out, "%s/logs/scale.tp.%d.out", b->out, rep) < 0 ||
	    asprintf(&err, "%s/logs/scale.tp.%d.err", b->out, rep) < 0)
		exit(2);
	if (proc_start(&p, t, argv, out, err, NULL))
		goto out;
	nids = proc_wait_attached(&p, NULL, SCALE_TPS, 120000, ids,
				  &attach_ms);
	if (nids < SCALE_TPS) {
		proc_kill(&p);
		bench_log("scale: the %d probes were not all attached, see %s",
			  SCALE_TPS, err);
		goto out;
	}
	t0 = now_ns();
	{
		uint64_t limit;
		int left = nids;

		proc_stop(&p, SIGINT, &stop_ms);
		limit = now_ns() + 120000000000ull;
		while (left && now_ns() < limit) {
			struct timespec ts = { 0, 1000000 };

			left = 0;
			for (int i = 0; i < nids; i++)
				left += prog_exists(ids[i]);
			if (left)
				nanosleep(&ts, NULL);
		}
		if (!left)
			gone_ms = (now_ns() - t0) / 1e6;
	}
	/* the next session would wait for the kernel's event_mutex */
	freed_ms = closers_gone(t0, 120000);
	bench_log("  500 tracepoints: attached in %.1f ms, SIGINT->exit %.1f "
		  "ms, programs freed after %.1f ms, perf events after %.1f "
		  "ms", attach_ms, stop_ms, gone_ms, freed_ms);
	fprintf(b->raw, "phase=scale_attach rep=%d attach_ms=%.3f stop_ms=%.3f "
		"gone_ms=%.3f freed_ms=%.3f\n", rep, attach_ms, stop_ms,
		gone_ms, freed_ms);
	sample_add("scale attach ms", label, t->name, attach_ms);
	sample_add("scale SIGINT->exit ms", label, t->name, stop_ms);
	sample_add("scale progs released ms", label, t->name, gone_ms);
	sample_add("scale events freed ms", label, t->name, freed_ms);
out:
	bench_argv_free(argv);
	free(out);
	free(err);
}

void scale_run(struct bench *b)
{
	const struct tool *t = bpftap_tool(b);
	static const int sizes[] = { 10, 100, 1000 };
	char *tp;

	if (!t)
		return;
	bench_log("scale: generated scripts of 10, 100, 1000 probes");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		scale_compile(b, t, sizes[i]);
	tp = gen_tracepoints(b);
	if (!tp) {
		bench_log("scale: fewer than %d syscall tracepoints here",
			  SCALE_TPS);
		return;
	}
	for (int r = 1; r <= (b->reps < 3 ? b->reps : 3); r++) {
		bench_log("scale: %d tracepoints, rep %d", SCALE_TPS, r);
		scale_attach(b, t, r, tp);
	}
	free(tp);
}
