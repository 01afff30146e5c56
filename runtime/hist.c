// SPDX-License-Identifier: GPL-2.0
/*
 * Histogram text, as SystemTap's runtime prints it (stat-common.c,
 * _stp_stat_print_histogram_buf), rule for rule, because scripts' output
 * is compared with stap's byte for byte:
 *  - rows run from the first non-empty bucket - 2 to the last + 2; a log
 *    histogram does not step below bucket 0 (the value 0) unless negative
 *    values exist; a linear one shows its under/overflow rows only when
 *    they are non-empty;
 *  - a row is left out when it and every row within 2 of it (inside that
 *    range) are zero; one "~" line stands for each run left out;
 *  - bars are '@' x count / scale, scale = ceil(max / 50) when max > 50;
 *  - the value column is max(5, width of the labels stap measures), which
 *    for linear histograms is the label of bucket high * interval (one
 *    step past what is printed; stap's quirk, kept).
 * Aggregates are also read here: a per-CPU map holds one bt_stats_val per
 * CPU, which readers sum (object.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/hist.h"

#define HIST_WIDTH	50	/* columns of the widest bar */
#define HIST_ELISION	2	/* zero rows kept on each side of data */

/* Characters of v in decimal, with its '-'. */
static int hist_space(int64_t v)
{
	uint64_t u;
	int n = 0;

	if (v == 0)
		return 1;
	if (v < 0) {
		n++;
		u = -(uint64_t)v;
	} else {
		u = v;
	}
	for (; u; u /= 10)
		n++;
	return n;
}

/*
 * The value a log bucket stands for. Only an empty histogram asks for
 * bucket -1: stap computes INT64_MIN >> -1 there, which x86 (where stap
 * runs) evaluates as a shift by 63, i.e. -1.
 */
static int64_t hist_log_val(int b)
{
	if (b == BT_HIST_LOG_BUCKET0)
		return 0;
	if (b < 0)
		return -1;
	if (b < BT_HIST_LOG_BUCKET0)
		return INT64_MIN >> b;
	return (int64_t)((uint64_t)1 << (b - BT_HIST_LOG_BUCKET0 - 1));
}

/*
 * The rendering state of one histogram. Buckets outside [0, n) read as 0:
 * stap reads bucket -1 of an empty histogram (out of bounds) and prints
 * nothing for it when that memory is 0; doing so always keeps the output
 * defined.
 */
struct hist_view {
	const struct bt_histdesc *h;
	const uint64_t *b;
	int n;
	int low, high;		/* rows considered */
	bool under, over;	/* linear: under/overflow rows shown */
	int64_t max;		/* largest count */
	int64_t scale;
	int val_space, cnt_space;
};

static int64_t hist_at(const struct hist_view *v, int i)
{
	return i >= 0 && i < v->n ? (int64_t)v->b[i] : 0;
}

/* First and last non-empty buckets, the margins, the largest count. */
static void hist_range(struct hist_view *v)
{
	bool is_log = v->h->kind == BT_HIST_LOG;
	int i;

	v->low = -1;
	v->high = 0;
	v->max = 0;
	for (i = 0; i < v->n; i++) {
		int64_t c = hist_at(v, i);

		if (c > 0 && v->low == -1)
			v->low = i;
		if (c > 0)
			v->high = i;
		if (c > v->max)
			v->max = c;
	}
	for (i = 0; i < HIST_ELISION; i++) {
		if (v->low > 0 && !(is_log && v->low == BT_HIST_LOG_BUCKET0))
			v->low--;
		if (v->high < v->n - 1)
			v->high++;
	}
	v->under = v->over = false;
	if (is_log)
		return;
	if (v->low == 0 && hist_at(v, 0) == 0)
		v->low++;
	if (v->high == v->n - 1 && hist_at(v, v->high) == 0)
		v->high--;
	v->under = v->low == 0;
	v->over = v->high == v->n - 1;
}

static void hist_widths(struct hist_view *v)
{
	const struct bt_histdesc *h = v->h;
	int a, b;

	v->scale = 1;
	if (v->max > HIST_WIDTH)
		v->scale = (v->max + HIST_WIDTH - 1) / HIST_WIDTH;
	v->cnt_space = hist_space(v->max);
	if (h->kind == BT_HIST_LINEAR) {
		a = hist_space(h->start) + v->under;
		b = hist_space(h->start + h->interval * v->high) + v->over;
	} else {
		a = hist_space(hist_log_val(v->high));
		b = hist_space(hist_log_val(v->low));
	}
	v->val_space = a > b ? a : b;
	if (v->val_space < 5)		/* strlen("value") */
		v->val_space = 5;
}

/* Row i and its neighbours within HIST_ELISION (inside low..high) are 0. */
static bool hist_elided(const struct hist_view *v, int i)
{
	int lo = v->low, hi = v->high, k;

	if (i - HIST_ELISION > lo)
		lo = i - HIST_ELISION;
	if (i + HIST_ELISION < hi)
		hi = i + HIST_ELISION;
	for (k = lo; k <= hi; k++)
		if (hist_at(v, k))
			return false;
	return true;
}

int64_t hist_bucket_value(const struct bt_histdesc *h, int i, int *edge)
{
	int n = (int)h->nbuckets;

	*edge = 0;
	if (h->kind == BT_HIST_LOG)
		return hist_log_val(i);
	if (i == 0) {
		*edge = -1;
		return h->start;
	}
	if (i == n - 1) {
		*edge = 1;
		return h->start + (int64_t)(i - 2) * h->interval;
	}
	return h->start + (int64_t)(i - 1) * h->interval;
}

static void hist_row(FILE *out, const struct hist_view *v, int i)
{
	const char *prefix = "";
	int64_t val, c = hist_at(v, i), bar, j;
	int edge;

	val = hist_bucket_value(v->h, i, &edge);
	if (edge)
		prefix = edge < 0 ? "<" : ">";
	fprintf(out, "%*s%" PRId64 " |", v->val_space - hist_space(val),
		prefix, val);
	bar = c / v->scale;
	for (j = 0; j < bar; j++)
		fputc('@', out);
	fprintf(out, "%*" PRId64 "\n",
		(int)(HIST_WIDTH - bar + 1 + v->cnt_space), c);
}

int hist_print(FILE *out, const struct bt_histdesc *h,
	       const uint64_t *buckets)
{
	struct hist_view v = { .h = h, .b = buckets, .n = h->nbuckets };
	bool eliding = false;
	int i;

	if ((h->kind != BT_HIST_LOG && h->kind != BT_HIST_LINEAR) ||
	    !h->nbuckets || (h->kind == BT_HIST_LINEAR && !h->interval)) {
		errno = EINVAL;
		return -1;
	}
	hist_range(&v);
	hist_widths(&v);
	fprintf(out, "%*s |", v.val_space, "value");
	for (i = 0; i < HIST_WIDTH; i++)
		fputc('-', out);
	fputs(" count\n", out);
	for (i = v.low; i <= v.high; i++) {
		if (hist_elided(&v, i)) {
			eliding = true;
			continue;
		}
		if (eliding)
			fprintf(out, "%*s ~\n", v.val_space, "");
		eliding = false;
		hist_row(out, &v, i);
	}
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

size_t hist_stats_size(const struct bt_histdesc *h)
{
	return sizeof(struct bt_stats_val) +
	       (size_t)h->nbuckets * sizeof(uint64_t);
}

int hist_stats_sum(struct hist_stats *st, const struct bt_histdesc *h,
		   const void *vals, int ncpus)
{
	size_t stride = (hist_stats_size(h) + 7) & ~(size_t)7;
	uint32_t b;
	int cpu;

	memset(st, 0, sizeof(*st));
	st->nbuckets = h->nbuckets;
	if (h->nbuckets) {
		st->buckets = calloc(h->nbuckets, sizeof(*st->buckets));
		if (!st->buckets)
			return -1;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		const uint8_t *p = (const uint8_t *)vals + cpu * stride;
		struct bt_stats_val one;

		memcpy(&one, p, sizeof(one));
		for (b = 0; b < h->nbuckets; b++) {
			uint64_t c;

			memcpy(&c, p + sizeof(one) + b * sizeof(c), sizeof(c));
			st->buckets[b] += c;
		}
		/* A CPU that never saw a value holds no min/max. */
		if (one.count <= 0)
			continue;
		if (!st->count || one.min < st->min)
			st->min = one.min;
		if (!st->count || one.max > st->max)
			st->max = one.max;
		st->count += one.count;
		st->sum += one.sum;
	}
	return 0;
}

int hist_stats_read(struct hist_stats *st, const struct bt_histdesc *h,
		    int fd, const void *key)
{
	size_t stride = (hist_stats_size(h) + 7) & ~(size_t)7;
	int ncpus = libbpf_num_possible_cpus();
	uint32_t zero = 0;
	void *vals;
	int err;

	memset(st, 0, sizeof(*st));
	if (ncpus <= 0) {
		errno = -ncpus;
		return -1;
	}
	vals = calloc(ncpus, stride);
	if (!vals)
		return -1;
	if (bpf_map_lookup_elem(fd, key ? key : &zero, vals)) {
		err = errno;
		free(vals);
		if (err != ENOENT) {
			errno = err;
			return -1;
		}
		/* No element: an empty aggregate, with its empty buckets. */
		return hist_stats_sum(st, h, NULL, 0) ? -1 : 1;
	}
	err = hist_stats_sum(st, h, vals, ncpus);
	free(vals);
	return err;
}

void hist_stats_free(struct hist_stats *st)
{
	free(st->buckets);
	st->buckets = NULL;
}
