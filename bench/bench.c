// SPDX-License-Identifier: GPL-2.0
/*
 * bpftap-bench: the side-by-side benchmark (bench/README.md). Phases:
 * compile-only timings, then per repetition every workload under every
 * tool (the order of the tools rotates), then `begin { exit() }`, the
 * printf extras (a paced run, rare events) and the scale runs; then the
 * table and the targets of issue 7.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "bench.h"

#define SETTLE_MS	200	/* attached -> traced run */
#define ATTACH_TIMEOUT	120000

static const struct workload workloads[] = {
	{ "w0_null", "W0 empty probe (floor)", "sys_enter_getpid",
	  DRIVE_GETPID, 1000000, CHECK_NONE },
	{ "w1_count", "W1 one global counter", "sys_enter_getpid",
	  DRIVE_GETPID, 1000000, CHECK_COUNT },
	{ "w2_perpid", "W2 count per pid", "sys_enter_getpid",
	  DRIVE_GETPID, 1000000, CHECK_PERKEY },
	{ "w3_stats", "W3 <<< of a field", "sys_enter_read",
	  DRIVE_READ, 1000000, CHECK_STATS },
	{ "w4_printf", "W4 printf per event", "sys_enter_getpid",
	  DRIVE_GETPID, 100000, CHECK_LINES },
	{ "w5_strkey", "W5 a[execname()]++", "sys_enter_getpid",
	  DRIVE_GETPID, 1000000, CHECK_STRKEY },
	{ "w6_hist", "W6 @hist_log", "sys_enter_read",
	  DRIVE_READ, 1000000, CHECK_HIST },
};
#define NWORKLOADS (int)(sizeof(workloads) / sizeof(workloads[0]))

uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

void bench_log(const char *fmt, ...)
{
	va_list ap;
	time_t t = time(NULL);
	char ts[16];

	strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
	fprintf(stderr, "[%s] ", ts);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("bpftap-bench");
		exit(2);
	}
	va_end(ap);
	return s;
}

/* Substitute %s and %o in one template word. */
static char *subst(const char *w, const char *a, const char *o)
{
	size_t cap = strlen(w) + (a ? strlen(a) : 0) + (o ? strlen(o) : 0) + 1;
	char *r = malloc(cap), *p = r;

	if (!r)
		exit(2);
	for (; *w; w++) {
		if (w[0] == '%' && (w[1] == 's' || w[1] == 'o')) {
			const char *v = w[1] == 's' ? a : o;

			p = stpcpy(p, v ? v : "");
			w++;
		} else {
			*p++ = *w;
		}
	}
	*p = 0;
	return r;
}

char **bench_argv(const char *const *tmpl, const char *a, const char *o)
{
	char **argv = calloc(BENCH_MAX_ARGS + 1, sizeof(*argv));

	if (!argv)
		exit(2);
	for (int i = 0; i < BENCH_MAX_ARGS && tmpl[i]; i++)
		argv[i] = subst(tmpl[i], a, o);
	return argv;
}

void bench_argv_free(char **argv)
{
	for (int i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static bool file_exists(const char *p)
{
	return !access(p, F_OK);
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save;
	bool found = false;

	if (!path)
		return false;
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", dir, prog);

		found = !access(p, X_OK);
		free(p);
	}
	free(copy);
	return found;
}

static bool selected(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return true;
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* The columns; paths come from the build directory. */
static void tools_setup(struct bench *b)
{
	static struct tool t[5];
	const char *bld = b->build;
	char *nolimit = xasprintf("LD_PRELOAD=%s/nolimit.so", bld);
	char *loader = xasprintf("%s/hand-loader", bld);
	char *clang_inc = xasprintf("-I%s/hand", b->src);
	char *tree = xasprintf("%s/stap-tree", bld);
	int n = 0;

	t[n] = (struct tool){
		.name = "bpftap", .ext = "stp",
		.run = { b->bpftap, "%s" },
		.compile = { b->bpftap, "-p4", "-o", "%o", "%s" },
		.begin_exit = { b->bpftap, "-e", "probe begin { exit() }" },
		.available = file_exists(b->bpftap),
	};
	snprintf(t[n++].why, sizeof(t[0].why), "%s is missing", b->bpftap);
	t[n] = (struct tool){
		.name = "hand", .ext = "bpf.o",
		.run = { loader, "%s" },
		.compile = { "clang", "-O2", "-g", "-target", "bpf",
			     "-I/usr/include/x86_64-linux-gnu", clang_inc,
			     "-c", "%s", "-o", "%o" },
		.available = file_exists(loader) && in_path("clang"),
	};
	snprintf(t[n++].why, sizeof(t[0].why), "needs clang (BPF target) "
		 "and libbpf");
	t[n] = (struct tool){
		.name = "hand-nowake", .ext = "bpf.o",
		.run = { loader, "-p", "1000", "%s" },
		.only = "w4_printf",
		.available = t[1].available,
	};
	snprintf(t[n++].why, sizeof(t[0].why), "%s", t[1].why);
	t[n] = (struct tool){
		.name = "bpftrace", .ext = "bt",
		.run = { "bpftrace", "-B", "full", "%s" },
		.run_lines = { "bpftrace", "-B", "line", "%s" },
		.compile = { "bpftrace", "--emit-elf", "%o", "%s" },
		.begin_exit = { "bpftrace", "-e", "BEGIN { exit(); }" },
		.env = { nolimit, xasprintf("BPFTRACE_KERNEL_SOURCE=%s/bt-ksrc",
					    bld) },
		.available = in_path("bpftrace"),
	};
	snprintf(t[n++].why, sizeof(t[0].why), "bpftrace is not installed");
	t[n] = (struct tool){
		.name = "stapbpf", .ext = "stp",
		.run = { "stap", "--runtime=bpf", "--compatible=4.1", "-r",
			 tree, "-w", "%s" },
		.compile = { "stap", "--runtime=bpf", "--compatible=4.1", "-r",
			     tree, "-w", "-p4", "-m", "bench_compile", "%s" },
		.begin_exit = { "stap", "--runtime=bpf", "--compatible=4.1",
				"-r", tree, "-w", "-e",
				"probe begin { exit() }" },
		.env = { nolimit, xasprintf("SYSTEMTAP_DIR=%s/systemtap", bld),
			 xasprintf("TMPDIR=%s/tmp", bld) },
		.children = true,
		.available = in_path("stap") && in_path("stapbpf") &&
			     file_exists(tree),
	};
	snprintf(t[n++].why, sizeof(t[0].why), "needs stap, stapbpf and the "
		 "fake build tree %s (bench/run makes it)", tree);
	b->tools = t;
	b->ntools = 0;
	for (int i = 0; i < n; i++) {
		if (!selected(b->only_tools, t[i].name))
			continue;
		if (!t[i].available) {
			bench_log("column %s: n/a: %s", t[i].name, t[i].why);
			continue;
		}
		b->tools[b->ntools++] = t[i];
	}
}

/* The script (or object) of workload w for tool t, or NULL. */
static char *script_for(const struct bench *b, const struct workload *w,
			const struct tool *t, bool source)
{
	char *p;

	if (t->only && strcmp(t->only, w->name))
		return NULL;
	if (!strcmp(t->ext, "bpf.o")) {
		const char *v = strcmp(t->name, "hand-nowake") ? "" :
				".nowake";

		p = source ? xasprintf("%s/hand/%s%s.bpf.c", b->src, w->name, v)
			   : xasprintf("%s/hand/%s%s.bpf.o", b->build, w->name,
				       v);
	} else {
		p = xasprintf("%s/workloads/%s.%s", b->src, w->name, t->ext);
	}
	if (file_exists(p))
		return p;
	free(p);
	return NULL;
}

static void compile_phase(struct bench *b)
{
	bench_log("compile-only timings (%d reps + 1 warm-up)", b->reps);
	for (int wi = 0; wi < b->nwls; wi++) {
		const struct workload *w = &b->wls[wi];

		for (int ti = 0; ti < b->ntools; ti++) {
			const struct tool *t = &b->tools[ti];
			char *s = script_for(b, w, t, true);
			char *o = xasprintf("%s/scratch/%s.%s.o", b->out,
					    w->name, t->name);
			char *log = xasprintf("%s/logs/compile.%s.%s", b->out,
					      w->name, t->name);
			char *dir = xasprintf("%s/scratch", b->out);

			if (!s || !t->compile[0]) {
				free(s);
				free(o);
				free(log);
				free(dir);
				continue;
			}
			for (int r = 0; r <= b->reps; r++) {
				char **argv = bench_argv(t->compile, s, o);
				double wall, cpu;
				long rss;
				int rc = run_cmd(t, argv, dir, log, &wall, &cpu,
						 &rss);

				bench_argv_free(argv);
				fprintf(b->raw, "phase=compile workload=%s "
					"tool=%s rep=%d rc=%d wall_ms=%.3f "
					"cpu_ms=%.3f rss_kb=%ld\n", w->name,
					t->name, r, rc, wall, cpu, rss);
				if (rc) {
					bench_log("compile %s %s failed (%d), "
						  "see %s", t->name, w->name,
						  rc, log);
					break;
				}
				if (r == 0)
					continue;	/* warm-up */
				sample_add("compile ms", w->name, t->name,
					   wall);
				sample_add("compile cpu ms", w->name, t->name,
					   cpu);
			}
			free(s);
			free(o);
			free(log);
			free(dir);
		}
	}
}

/*
 * Until `file` holds n lines "getpid pid=PID" (other processes' lines
 * may keep coming), or it has not grown for quiet_ms, or limit_ms.
 * Returns the ms it took.
 */
static double wait_lines(const char *file, pid_t pid, long n, int quiet_ms,
			 int limit_ms)
{
	uint64_t t0 = now_ns(), last_change = t0;
	char tag[64], buf[65536 + 64];
	size_t tl, keep = 0;
	long seen = 0;
	FILE *f = fopen(file, "r");

	tl = snprintf(tag, sizeof(tag), "getpid pid=%d\n", (int)pid);
	while (f && seen < n) {
		struct timespec ts = { 0, 2000000 };
		size_t got = fread(buf + keep, 1, sizeof(buf) - keep - 1, f);
		uint64_t t = now_ns();

		if (got) {
			size_t len = keep + got;

			buf[len] = 0;
			for (char *p = buf; (p = strstr(p, tag)); p += tl)
				seen++;
			/* a tag cut by the read: keep what may be its start */
			keep = len < tl - 1 ? len : tl - 1;
			memmove(buf, buf + len - keep, keep);
			last_change = t;
			continue;
		}
		clearerr(f);
		if (t - last_change >= quiet_ms * 1000000ull ||
		    t - t0 >= limit_ms * 1000000ull)
			break;
		nanosleep(&ts, NULL);
	}
	if (f)
		fclose(f);
	return (last_change - t0) / 1e6;
}

/* The kernel frees a program shortly after its last link (RCU). */
static bool progs_gone(const uint32_t *ids, int n, int limit_ms)
{
	uint64_t limit = now_ns() + limit_ms * 1000000ull;

	for (;;) {
		bool any = false;
		struct timespec ts = { 0, 5000000 };

		for (int i = 0; i < n && !any; i++)
			any = prog_exists(ids[i]);
		if (!any)
			return true;
		if (now_ns() > limit)
			return false;
		nanosleep(&ts, NULL);
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void measure_fail(struct bench *b, const struct workload *w,
			 const struct tool *t, int rep, const char *why,
			 const char *err)
{
	bench_log("  %s/%s rep %d: FAILED: %s (see %s)", t->name, w->name,
		  rep, why, err);
	fprintf(b->raw, "phase=run workload=%s tool=%s rep=%d status=failed "
		"why=\"%s\"\n", w->name, t->name, rep, why);
	sample_add("failed", w->name, t->name, 1);
}

/* Everything but the W4 extras, for one tool and workload. */
static void measure(struct bench *b, const struct workload *w,
		    const struct tool *t, int rep)
{
	char *s = script_for(b, w, t, false), **argv;
	char *out, *err;
	uint32_t ids[BENCH_MAX_PROGS];
	struct progstat s0, s1, s2;
	struct drive_result d;
	struct proc p;
	double attach_ms, stop_ms, drain_ms = 0, ns;
	uint64_t lines = 0;
	const char *why;
	int nids, bad;

	if (!s)
		return;
	out = xasprintf("%s/logs/%s.%s.%d.out", b->out, w->name, t->name, rep);
	err = xasprintf("%s/logs/%s.%s.%d.err", b->out, w->name, t->name, rep);
	argv = bench_argv(t->run, s, NULL);
	if (proc_start(&p, t, argv, out, err, NULL)) {
		measure_fail(b, w, t, rep, "cannot start", err);
		goto out;
	}
	nids = proc_wait_attached(&p, w->event, 1, ATTACH_TIMEOUT, ids,
				  &attach_ms);
	if (nids <= 0) {
		proc_kill(&p);
		measure_fail(b, w, t, rep, "no program attached", err);
		goto out;
	}
	sleep_ms(SETTLE_MS);
	if (progstat_get(ids, nids, &s0) ||
	    drive(w->mode, w->n, 0, b->driver_cpu, &d) ||
	    progstat_get(ids, nids, &s1)) {
		proc_kill(&p);
		measure_fail(b, w, t, rep, "driver or bpf_stats failed", err);
		goto out;
	}
	if (w->check == CHECK_LINES)
		drain_ms = wait_lines(out, d.pid, w->n, 1000, 20000);
	progstat_get(ids, nids, &s2);
	bad = proc_stop(&p, SIGINT, &stop_ms);
	ns = s1.run_cnt > s0.run_cnt ? (double)(s1.run_time_ns -
		s0.run_time_ns) / (s1.run_cnt - s0.run_cnt) : NAN;
	why = bad ? "did not exit cleanly after SIGINT" :
	      check_output(w, out, &d, s2.run_cnt, &lines);
	if (!*why && !progs_gone(ids, nids, 5000))
		why = "a program is still loaded 5 s after the exit";
	fprintf(b->raw, "phase=run workload=%s tool=%s rep=%d ns=%.2f "
		"xlated=%u attach_ms=%.3f stop_ms=%.3f run_cnt=%llu "
		"driver_ns=%llu lines=%llu drain_ms=%.1f check=\"%s\"\n",
		w->name, t->name, rep, ns, s1.xlated_insns, attach_ms, stop_ms,
		(unsigned long long)(s2.run_cnt),
		(unsigned long long)d.wall_ns, (unsigned long long)lines,
		drain_ms, why);
	bench_log("  %s/%s: %.1f ns/event, %u insns, attached %.1f ms, "
		  "SIGINT->exit %.1f ms%s%s", t->name, w->name, ns,
		  s1.xlated_insns, attach_ms, stop_ms, *why ? ": " : "", why);
	if (*why)
		sample_add("failed", w->name, t->name, 1);
	sample_add("ns/event", w->name, t->name, ns);
	sample_add("xlated insns", w->name, t->name, s1.xlated_insns);
	sample_add("launch->attached ms", w->name, t->name, attach_ms);
	sample_add("SIGINT->exit ms", w->name, t->name, stop_ms);
	if (w->check == CHECK_LINES) {
		sample_add("events/s generated", w->name, t->name,
			   w->n / (d.wall_ns / 1e9));
		sample_add("lines/s delivered", w->name, t->name,
			   lines / ((d.wall_ns / 1e6 + drain_ms) / 1e3));
		sample_add("lost", w->name, t->name, (double)w->n - lines);
	}
out:
	bench_argv_free(argv);
	free(s);
	free(out);
	free(err);
}

/* W4 at a paced 100k events/s, and rare events' latency. */
static void measure_printf_extras(struct bench *b, const struct workload *w,
				  const struct tool *t, int rep)
{
	char *s = script_for(b, w, t, false), **argv;
	char *out, *err;
	uint32_t ids[BENCH_MAX_PROGS];
	struct drive_result d;
	struct proc p;
	double ms;
	uint64_t lines = 0;

	if (!s)
		return;
	out = xasprintf("%s/logs/%s.%s.%d.paced.out", b->out, w->name, t->name,
			rep);
	err = xasprintf("%s/logs/%s.%s.%d.paced.err", b->out, w->name, t->name,
			rep);
	argv = bench_argv(t->run, s, NULL);
	if (proc_start(&p, t, argv, out, err, NULL) ||
	    proc_wait_attached(&p, w->event, 1, ATTACH_TIMEOUT, ids, &ms) <= 0) {
		proc_kill(&p);
		measure_fail(b, w, t, rep, "paced run: no program attached",
			     err);
		goto out;
	}
	sleep_ms(SETTLE_MS);
	drive(w->mode, w->n, 100000, b->driver_cpu, &d);
	wait_lines(out, d.pid, w->n, 1000, 20000);
	proc_stop(&p, SIGINT, &ms);
	check_output(w, out, &d, 0, &lines);
	sample_add("lost at 100k/s", w->name, t->name, (double)w->n - lines);
	fprintf(b->raw, "phase=paced workload=%s tool=%s rep=%d lines=%llu "
		"driver_ns=%llu\n", w->name, t->name, rep,
		(unsigned long long)lines, (unsigned long long)d.wall_ns);
	/* rare events: the tool's output must reach the file promptly
	 * (bpftrace runs with -B line for this one) */
	free(out);
	out = xasprintf("%s/logs/%s.%s.%d.rare.out", b->out, w->name, t->name,
			rep);
	if (t->run_lines[0]) {
		bench_argv_free(argv);
		argv = bench_argv(t->run_lines, s, NULL);
	}
	if (proc_start(&p, t, argv, out, err, NULL) ||
	    proc_wait_attached(&p, w->event, 1, ATTACH_TIMEOUT, ids, &ms) <= 0) {
		proc_kill(&p);
		goto out;
	}
	sleep_ms(SETTLE_MS);
	drive_rare(10, 20, b->driver_cpu, out, &d);
	proc_stop(&p, SIGINT, &ms);
	for (int i = 0; i < d.nlat; i++)
		sample_add("rare latency ms", w->name, t->name, d.lat_ms[i]);
out:
	bench_argv_free(argv);
	free(s);
	free(out);
	free(err);
}

static void begin_exit(struct bench *b, const struct tool *t, int rep)
{
	char **argv = bench_argv(t->begin_exit, NULL, NULL);
	char *out = xasprintf("%s/logs/begin-exit.%s.%d.out", b->out, t->name,
			      rep);
	struct proc p;
	double ms;
	int bad;

	if (proc_start(&p, t, argv, out, out, NULL)) {
		bench_argv_free(argv);
		free(out);
		return;
	}
	bad = proc_wait(&p, 30000, &ms);
	fprintf(b->raw, "phase=begin_exit tool=%s rep=%d ms=%.3f bad=%d\n",
		t->name, rep, ms, bad);
	if (bad)
		bench_log("  %s: begin { exit() } failed, see %s", t->name, out);
	else
		sample_add("begin-exit ms", "-", t->name, ms);
	bench_argv_free(argv);
	free(out);
}

static void runtime_phase(struct bench *b)
{
	for (int rep = 1; rep <= b->reps; rep++) {
		for (int wi = 0; wi < b->nwls; wi++) {
			for (int i = 0; i < b->ntools; i++) {
				const struct tool *t =
					&b->tools[(i + rep) % b->ntools];

				bench_log("rep %d/%d %s %s", rep, b->reps,
					  b->wls[wi].name, t->name);
				measure(b, &b->wls[wi], t, rep);
				if (b->wls[wi].check == CHECK_LINES)
					measure_printf_extras(b, &b->wls[wi],
							      t, rep);
			}
		}
		for (int i = 0; i < b->ntools; i++)
			if (b->tools[i].begin_exit[0])
				begin_exit(b, &b->tools[i], rep);
	}
}

/* One target line: measured value against the bound. */
static void target(FILE *f, const char *what, double v, double bound,
		   const char *unit)
{
	if (isnan(v))
		fprintf(f, "- [n/a] %s: not measured\n", what);
	else
		fprintf(f, "- [%s] %s: %.2f%s (target < %.2f%s)\n",
			v < bound ? "met" : "NOT MET", what, v, unit, bound,
			unit);
}

static double ratio(const char *m, const char *w, const char *other)
{
	return sample_median(m, w, "bpftap") / sample_median(m, w, other);
}

/* One target line per workload: bpftap's median of metric < bound ms. */
static void targets_ms(FILE *f, const struct bench *b, const char *metric,
		       const char *label, double bound)
{
	char what[160];

	for (int i = 0; i < b->nwls; i++) {
		snprintf(what, sizeof(what), "%s %s", b->wls[i].name, label);
		target(f, what, sample_median(metric, b->wls[i].name,
					      "bpftap"), bound, " ms");
	}
}

static void targets_print(FILE *f, struct bench *b)
{
	static const struct {
		const char *wl;
		double bound;
	} vs_hand[] = {
		{ "w1_count", 1.1 }, { "w2_perpid", 1.1 }, { "w3_stats", 1.2 },
		{ "w5_strkey", 1.2 }, { "w6_hist", 1.2 },
	};
	char what[160];

	fputs("\n### Targets (issue 7)\n\n", f);
	for (size_t i = 0; i < sizeof(vs_hand) / sizeof(vs_hand[0]); i++) {
		snprintf(what, sizeof(what), "%s ns/event, bpftap/hand",
			 vs_hand[i].wl);
		target(f, what, ratio("ns/event", vs_hand[i].wl, "hand"),
		       vs_hand[i].bound + 1e-9, "x");
	}
	snprintf(what, sizeof(what), "w4_printf ns/event, bpftap/hand-nowake");
	target(f, what, ratio("ns/event", "w4_printf", "hand-nowake"), 1.25,
	       "x");
	/* w0_null is the floor every tool pays, not a workload */
	for (int i = 0; i < b->nwls; i++)
		for (int t = 0; t < b->ntools; t++) {
			const char *o = b->tools[t].name;

			if ((strcmp(o, "bpftrace") && strcmp(o, "stapbpf")) ||
			    !strcmp(b->wls[i].name, "w0_null"))
				continue;
			snprintf(what, sizeof(what), "%s ns/event, bpftap/%s",
				 b->wls[i].name, o);
			target(f, what, ratio("ns/event", b->wls[i].name, o),
			       1, "x");
		}
	target(f, "w4_printf lines lost at 100k events/s",
	       sample_median("lost at 100k/s", "w4_printf", "bpftap"), 0.5, "");
	targets_ms(f, b, "compile ms", "compile (-p4)", 2);
	targets_ms(f, b, "compile cpu ms", "compile (-p4), CPU time", 2);
	targets_ms(f, b, "launch->attached ms", "launch->attached", 10);
	target(f, "begin { exit() } launch->exit",
	       sample_median("begin-exit ms", "-", "bpftap"), 20, " ms");
	targets_ms(f, b, "SIGINT->exit ms", "SIGINT->exit", 50);
	target(f, "500 tracepoints attached",
	       sample_median("scale attach ms", "500 tracepoints", "bpftap"),
	       2000, " ms");
	target(f, "500 tracepoints SIGINT->exit",
	       sample_median("scale SIGINT->exit ms", "500 tracepoints",
			     "bpftap"), 2000, " ms");
}

static void failures_print(FILE *f, struct bench *b)
{
	bool any = false;

	for (int i = 0; i < b->nwls; i++)
		for (int t = 0; t < b->ntools; t++) {
			double n = sample_median("failed", b->wls[i].name,
						 b->tools[t].name);

			if (isnan(n))
				continue;
			if (!any)
				fputs("\n### Failed runs (see runs.txt)\n\n", f);
			any = true;
			fprintf(f, "- %s under %s\n", b->wls[i].name,
				b->tools[t].name);
		}
}

static void env_print(FILE *f, struct bench *b)
{
	char host[256] = "", model[256] = "?";
	FILE *c = fopen("/proc/cpuinfo", "r");
	char line[512];

	gethostname(host, sizeof(host) - 1);
	while (c && fgets(line, sizeof(line), c))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s",
				 strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (c)
		fclose(c);
	fprintf(f, "## bpftap bench\n\n- machine: %ld CPUs, %s; load average "
		"at the start: ", sysconf(_SC_NPROCESSORS_ONLN), model);
	c = fopen("/proc/loadavg", "r");
	if (c && fgets(line, sizeof(line), c))
		fprintf(f, "%.*s", (int)strcspn(line, "\n"), line);
	if (c)
		fclose(c);
	fprintf(f, "\n- repetitions: %d; driver pinned to CPU %d\n- columns:",
		b->reps, b->driver_cpu);
	for (int t = 0; t < b->ntools; t++)
		fprintf(f, " %s", b->tools[t].name);
	fputs("\n\n", f);
}

static void usage(void)
{
	fputs("usage: bpftap-bench -s SRCDIR -b BUILDDIR --bpftap PATH "
	      "[-r REPS] [-T tools] [-w workloads] [-o OUTDIR] [--quick] "
	      "[--no-scale] [--cpu N]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bpftap", required_argument, NULL, 'B' },
		{ "quick", no_argument, NULL, 'q' },
		{ "no-scale", no_argument, NULL, 'S' },
		{ "no-runtime", no_argument, NULL, 'R' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .reps = 5, .driver_cpu = 1 };
	struct workload wls[NWORKLOADS];
	bool scale = true, runtime = true;
	char *path;
	FILE *tf;
	int c;

	while ((c = getopt_long(argc, argv, "s:b:r:T:w:o:", opts, NULL)) != -1) {
		switch (c) {
		case 's': b.src = optarg; break;
		case 'b': b.build = optarg; break;
		case 'B': b.bpftap = optarg; break;
		case 'r': b.reps = atoi(optarg); break;
		case 'T': b.only_tools = optarg; break;
		case 'w': b.only_wls = optarg; break;
		case 'o': b.out = optarg; break;
		case 'q': b.quick = true; break;
		case 'S': scale = false; break;
		case 'R': runtime = false; break;
		case 'c': b.driver_cpu = atoi(optarg); break;
		default: usage();
		}
	}
	if (!b.src || !b.build || !b.bpftap || b.reps < 1)
		usage();
	if (sysconf(_SC_NPROCESSORS_ONLN) <= b.driver_cpu)
		b.driver_cpu = -1;
	if (!b.out) {
		char ts[32];
		time_t t = time(NULL);

		strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", localtime(&t));
		b.out = xasprintf("%s/results/%s", b.build, ts);
	}
	path = xasprintf("mkdir -p '%s/logs' '%s/scratch'", b.out, b.out);
	if (system(path))
		return 2;
	free(path);
	if (geteuid() || bpf_stats_on()) {
		fputs("bpftap-bench: must run as root (bpf_stats, loading "
		      "programs)\n", stderr);
		return 2;
	}
	b.nwls = 0;
	for (int i = 0; i < NWORKLOADS; i++)
		if (selected(b.only_wls, workloads[i].name)) {
			wls[b.nwls] = workloads[i];
			if (b.quick)
				wls[b.nwls].n /= 10;
			b.nwls++;
		}
	b.wls = wls;
	tools_setup(&b);
	path = xasprintf("%s/runs.txt", b.out);
	b.raw = fopen(path, "w");
	free(path);
	if (!b.raw || !b.ntools)
		return 2;
	compile_phase(&b);
	if (runtime)
		runtime_phase(&b);
	if (scale && selected(b.only_tools, "bpftap"))
		scale_run(&b);
	path = xasprintf("%s/table.md", b.out);
	tf = fopen(path, "w");
	free(path);
	for (int i = 0; i < 2; i++) {
		FILE *f = i ? tf : stdout;

		if (!f)
			continue;
		env_print(f, &b);
		table_print(f, &b);
		targets_print(f, &b);
		failures_print(f, &b);
	}
	if (tf)
		fclose(tf);
	fclose(b.raw);
	bench_log("raw data and logs: %s", b.out);
	samples_free();
	return 0;
}
