/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Histograms of aggregates (@hist_log, @hist_linear) as text, in the exact
 * layout of SystemTap's runtime (stat-common.c,
 * _stp_stat_print_histogram_buf), and the reading of aggregates out of
 * their per-CPU maps (object.h, "Arrays and aggregates").
 */
#ifndef BPFTAP_HIST_H
#define BPFTAP_HIST_H

#include <stdint.h>
#include <stdio.h>
#include "../codegen/object.h"

/*
 * Print the histogram described by h whose counters (summed over CPUs)
 * are buckets[0..h->nbuckets). Returns 0, or -1 if writing failed or h
 * has no histogram.
 */
int hist_print(FILE *out, const struct bt_histdesc *h,
	       const uint64_t *buckets);

/*
 * The value row i of h stands for, as hist_print labels it. *edge is -1
 * for a linear histogram's underflow row ("<start"), 1 for its overflow
 * row (">stop"), else 0.
 */
int64_t hist_bucket_value(const struct bt_histdesc *h, int i, int *edge);

/* An aggregate summed over CPUs; buckets has hist.nbuckets entries. */
struct hist_stats {
	int64_t count;
	int64_t sum;
	int64_t min;			/* meaningful when count > 0 */
	int64_t max;
	uint64_t *buckets;		/* malloc'ed; NULL without one */
	uint32_t nbuckets;
};

/* Bytes of one CPU's bt_stats_val for h, as the maps store it. */
size_t hist_stats_size(const struct bt_histdesc *h);

/*
 * Sum ncpus per-CPU values as libbpf returns them from a per-CPU map:
 * each CPU's bt_stats_val at vals + cpu * round_up(size, 8). st->buckets
 * is allocated here. Returns 0, or -1 (errno ENOMEM).
 */
int hist_stats_sum(struct hist_stats *st, const struct bt_histdesc *h,
		   const void *vals, int ncpus);

/*
 * Read one aggregate from the per-CPU map fd: key NULL for a scalar
 * aggregate (PERCPU_ARRAY, key u32 0), else the element's key in a
 * PERCPU_HASH. Returns 0, 1 when the element does not exist (st is then
 * empty), or -1 with errno set.
 */
int hist_stats_read(struct hist_stats *st, const struct bt_histdesc *h,
		    int fd, const void *key);

void hist_stats_free(struct hist_stats *st);

#endif
