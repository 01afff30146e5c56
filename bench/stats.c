// SPDX-License-Identifier: GPL-2.0
/*
 * Samples by (metric, workload, tool), their medians, and the table:
 * one row per metric and workload, one column per tool, then bpftap's
 * ratio against every other column (below 1: bpftap is better, for
 * every metric here lower is better except the rates).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

struct series {
	const char *metric, *wl, *tool;
	double *v;
	int n, cap;
};

static struct series *all;
static int nall, capall;

/* Metrics in table order; what ratios mean for each. */
static const struct {
	const char *name;
	bool ratio;
	const char *unit;
} metric_list[] = {
	{ "ns/event", true, "ns per probe run (bpf_stats)" },
	{ "xlated insns", true, "instructions after the verifier" },
	{ "compile ms", true, "compile only, wall" },
	{ "compile cpu ms", true, "compile only, user+sys" },
	{ "launch->attached ms", true, "launch until the probe is attached" },
	{ "SIGINT->exit ms", true, "SIGINT until the tool was reaped" },
	{ "begin-exit ms", true, "`probe begin { exit() }` launch->exit" },
	{ "events/s generated", false, "driver's rate, printf per event" },
	{ "lines/s delivered", false, "lines written / (run + drain)" },
	{ "lost", false, "events without their line" },
	{ "lost at 100k/s", false, "driver paced at 100 000 events/s" },
	{ "rare latency ms", true, "one event every 20 ms -> its line" },
	{ "scale compile ms", true, "generated script, -p4" },
	{ "scale compile cpu ms", true, "generated script, -p4" },
	{ "scale max RSS KB", true, "generated script, -p4" },
	{ "scale attach ms", true, "launch -> every probe attached" },
	{ "scale SIGINT->exit ms", true, "SIGINT -> reaped" },
	{ "scale progs released ms", true, "SIGINT -> programs freed" },
	{ "scale events freed ms", true,
	  "SIGINT -> the kernel freed the perf events (in the background)" },
};
#define NMETRICS (int)(sizeof(metric_list) / sizeof(metric_list[0]))

static struct series *series_of(const char *m, const char *w, const char *t,
				bool create)
{
	struct series *s;

	for (int i = 0; i < nall; i++)
		if (!strcmp(all[i].metric, m) && !strcmp(all[i].wl, w) &&
		    !strcmp(all[i].tool, t))
			return &all[i];
	if (!create)
		return NULL;
	if (nall == capall) {
		int cap = capall ? 2 * capall : 64;
		struct series *p = realloc(all, cap * sizeof(*p));

		if (!p)
			return NULL;
		all = p;
		capall = cap;
	}
	s = &all[nall++];
	memset(s, 0, sizeof(*s));
	s->metric = strdup(m);
	s->wl = strdup(w);
	s->tool = strdup(t);
	return s;
}

void sample_add(const char *metric, const char *wl, const char *tool,
		double v)
{
	struct series *s = series_of(metric, wl, tool, true);

	if (!s || isnan(v))
		return;
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 8;
		double *p = realloc(s->v, cap * sizeof(*p));

		if (!p)
			return;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double sample_median(const char *metric, const char *wl, const char *tool)
{
	struct series *s = series_of(metric, wl, tool, false);

	if (!s || !s->n)
		return NAN;
	qsort(s->v, s->n, sizeof(double), cmp_double);
	return s->n % 2 ? s->v[s->n / 2] :
	       (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

static void cell(FILE *f, double v)
{
	if (isnan(v))
		fputs(" n/a |", f);
	else if (fabs(v) >= 1000 || v == floor(v))
		fprintf(f, " %.0f |", v);
	else
		fprintf(f, " %.2f |", v);
}

static bool row_exists(const char *m, const char *w)
{
	for (int i = 0; i < nall; i++)
		if (!strcmp(all[i].metric, m) && !strcmp(all[i].wl, w) &&
		    all[i].n)
			return true;
	return false;
}

static void table_rows(FILE *f, const struct bench *b, int mi,
		       const char **wls, int nw)
{
	const char *m = metric_list[mi].name;

	for (int w = 0; w < nw; w++) {
		double mine;

		if (!row_exists(m, wls[w]))
			continue;
		fprintf(f, "| %s | %s |", m, wls[w]);
		for (int t = 0; t < b->ntools; t++)
			cell(f, sample_median(m, wls[w], b->tools[t].name));
		mine = sample_median(m, wls[w], "bpftap");
		for (int t = 0; t < b->ntools; t++) {
			double o = sample_median(m, wls[w], b->tools[t].name);

			if (!strcmp(b->tools[t].name, "bpftap"))
				continue;
			if (!metric_list[mi].ratio || isnan(o) || isnan(mine) ||
			    o == 0)
				fputs(" |", f);
			else
				fprintf(f, " x%.2f |", mine / o);
		}
		fputc('\n', f);
	}
}

/* Every workload name that has a sample, in first-seen order. */
static int wl_names(const char **wls, int max)
{
	int n = 0;

	for (int i = 0; i < nall; i++) {
		int j;

		for (j = 0; j < n && strcmp(wls[j], all[i].wl); j++)
			;
		if (j == n && n < max)
			wls[n++] = all[i].wl;
	}
	return n;
}

void table_print(FILE *f, const struct bench *b)
{
	const char *wls[64];
	int nw = wl_names(wls, 64);

	fputs("| metric | workload |", f);
	for (int t = 0; t < b->ntools; t++)
		fprintf(f, " %s |", b->tools[t].name);
	for (int t = 0; t < b->ntools; t++)
		if (strcmp(b->tools[t].name, "bpftap"))
			fprintf(f, " bpftap/%s |", b->tools[t].name);
	fputs("\n|---|---|", f);
	for (int t = 0; t < 2 * b->ntools - 1; t++)
		fputs("---|", f);
	fputc('\n', f);
	for (int m = 0; m < NMETRICS; m++)
		table_rows(f, b, m, wls, nw);
	fputs("\nMedians over the repetitions. Metrics:\n", f);
	for (int m = 0; m < NMETRICS; m++)
		fprintf(f, "- %s: %s\n", metric_list[m].name,
			metric_list[m].unit);
}

void samples_free(void)
{
	for (int i = 0; i < nall; i++) {
		free(all[i].v);
		free((char *)all[i].metric);
		free((char *)all[i].wl);
		free((char *)all[i].tool);
	}
	free(all);
	all = NULL;
	nall = capall = 0;
}
