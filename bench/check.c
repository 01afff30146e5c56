// SPDX-License-Identifier: GPL-2.0
/*
 * Does a tool's output account for the run? Each workload prints in
 * stap's form (the .stp scripts and the hand loader) or bpftrace's; a
 * count must cover the driver's N events and agree with the program's
 * own run count at the moment the tool was stopped (other processes'
 * events included, plus the few that come in while it shuts down).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#define CHECK_SLACK 2000	/* events during the shutdown */

static char check_why[256];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (len + 65536 + 1 > cap) {
			char *p = realloc(buf, cap = 2 * cap + 65536 + 1);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf ? buf : calloc(1, 1);
}

static const char *fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static const char *fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_why, sizeof(check_why), fmt, ap);
	va_end(ap);
	return check_why;
}

/* The number after the first occurrence of any of the keys. */
static bool find_num(const char *text, const char *const *keys, int64_t *v)
{
	for (int i = 0; keys[i]; i++) {
		const char *p = strstr(text, keys[i]);

		if (p) {
			*v = strtoll(p + strlen(keys[i]), NULL, 10);
			return true;
		}
	}
	return false;
}

static const char *check_count(const char *text, long n, uint64_t cnt)
{
	static const char *const keys[] = { "count=", "@c: ", NULL };
	int64_t v;

	if (!find_num(text, keys, &v))
		return fail("no count in the output");
	if (v < n)
		return fail("count=%" PRId64 " < N=%ld", v, n);
	if ((uint64_t)v < cnt || (uint64_t)v > cnt + CHECK_SLACK)
		return fail("count=%" PRId64 " but the program ran %" PRIu64
			    " times", v, cnt);
	return "";
}

static const char *check_perkey(const char *text, long n, pid_t pid)
{
	char k1[64], k2[64];
	const char *keys[] = { k1, k2, NULL };
	int64_t v;

	snprintf(k1, sizeof(k1), "pid=%d count=", (int)pid);
	snprintf(k2, sizeof(k2), "@m[%d]: ", (int)pid);
	if (!find_num(text, keys, &v))
		return fail("no count for the driver's pid %d", (int)pid);
	return v == n ? "" : fail("pid %d counted %" PRId64 " times, not %ld",
				  (int)pid, v, n);
}

static const char *check_stats(const char *text, long n, uint64_t cnt,
			       uint64_t dsum)
{
	static const char *const kc[] = { "count=", "@s: count ", NULL };
	static const char *const ka[] = { "avg=", "average ", NULL };
	static const char *const ks[] = { "sum=", "total ", NULL };
	int64_t c, a, s;

	if (!find_num(text, kc, &c) || !find_num(text, ka, &a) ||
	    !find_num(text, ks, &s))
		return fail("no count/avg/sum in the output");
	if (c < n || (uint64_t)c < cnt || (uint64_t)c > cnt + CHECK_SLACK)
		return fail("count=%" PRId64 ", N=%ld, program ran %" PRIu64
			    " times", c, n, cnt);
	if ((uint64_t)s < dsum)
		return fail("sum=%" PRId64 " < the driver's %" PRIu64, s, dsum);
	if (a < s / c - 1 || a > s / c + 1)
		return fail("avg=%" PRId64 " but sum/count=%" PRId64, a, s / c);
	return "";
}

static uint64_t count_lines(const char *text, pid_t pid)
{
	char tag[64];
	uint64_t n = 0;

	snprintf(tag, sizeof(tag), "getpid pid=%d\n", (int)pid);
	for (const char *p = text; (p = strstr(p, tag)); p += strlen(tag))
		n++;
	return n;
}

static const char *check_strkey(const char *text, long n)
{
	static const char *const keys[] = { "a[\"bpftap-drv\"]=",
					    "@a[bpftap-drv]: ", NULL };
	int64_t v;

	if (!find_num(text, keys, &v))
		return fail("no count for the driver's name");
	return v == n ? "" : fail("bpftap-drv counted %" PRId64 " times, "
				  "not %ld", v, n);
}

/*
 * Histogram rows: stap's "value |@@@@ count" or bpftrace's
 * "[lo, hi)   count |@@@@|".
 */
static uint64_t hist_total(const char *text)
{
	uint64_t total = 0;

	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n')
		     + 1 : p + strlen(p)) {
		const char *bar = strchr(p, '|'), *nl = strchr(p, '\n');

		if (!bar || (nl && bar > nl))
			continue;
		if (*p == '[') {
			const char *q = strpbrk(p, ")]");

			if (q && q < bar)
				total += strtoull(q + 1, NULL, 10);
			continue;
		}
		while (*p == ' ')
			p++;
		if ((*p == '-' || (*p >= '0' && *p <= '9')) && bar[1] != '-') {
			const char *q = nl ? nl : bar + strlen(bar);

			while (q > bar && q[-1] >= '0' && q[-1] <= '9')
				q--;
			total += strtoull(q, NULL, 10);
		}
	}
	return total;
}

static const char *check_hist(const char *text, long n, uint64_t cnt)
{
	uint64_t t = hist_total(text);

	if (t < (uint64_t)n || t < cnt || t > cnt + CHECK_SLACK)
		return fail("histogram holds %" PRIu64 " values, N=%ld, "
			    "program ran %" PRIu64 " times", t, n, cnt);
	return "";
}

const char *check_output(const struct workload *w, const char *out_path,
			 const struct drive_result *d, uint64_t run_cnt,
			 uint64_t *lines)
{
	char *text = slurp(out_path);
	const char *why = "";

	if (!text)
		return fail("no output file");
	switch (w->check) {
	case CHECK_NONE:
		break;
	case CHECK_COUNT:
		why = check_count(text, w->n, run_cnt);
		break;
	case CHECK_PERKEY:
		why = check_perkey(text, w->n, d->pid);
		break;
	case CHECK_STATS:
		why = check_stats(text, w->n, run_cnt, d->sum);
		break;
	case CHECK_LINES:
		*lines = count_lines(text, d->pid);
		if (*lines != (uint64_t)w->n)
			why = fail("%" PRIu64 " of %ld lines", *lines, w->n);
		break;
	case CHECK_STRKEY:
		why = check_strkey(text, w->n);
		break;
	case CHECK_HIST:
		why = check_hist(text, w->n, run_cnt);
		break;
	}
	free(text);
	return why;
}
