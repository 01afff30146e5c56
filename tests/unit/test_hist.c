// SPDX-License-Identifier: GPL-2.0
/*
 * Histogram text and aggregate sums. Buckets are filled from values by
 * object.h's rules; expected text is the conformance cases 09 and 10, or
 * derived by hand from stap's stat-common.c (_stp_stat_print_histogram_buf),
 * never from this implementation.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/hist.h"

/* Most significant bit of v, counting from 1. */
static int t_msb(uint64_t v)
{
	int n = 0;

	for (; v; v >>= 1)
		n++;
	return n;
}

static void t_add_log(uint64_t *b, int64_t v, uint64_t times)
{
	int i = BT_HIST_LOG_BUCKET0;

	if (v > 0)
		i += t_msb(v);
	else if (v < 0)
		i -= t_msb(-(uint64_t)v);
	b[i] += times;
}

static void t_add_linear(uint64_t *b, const struct bt_histdesc *h,
			 int64_t v, uint64_t times)
{
	int64_t i = 0;

	if (v >= h->start)
		i = (v - h->start) / h->interval + 1;
	if (i > (int64_t)h->nbuckets - 1)
		i = h->nbuckets - 1;
	b[i] += times;
}

static struct bt_histdesc t_log(void)
{
	return (struct bt_histdesc){ .kind = BT_HIST_LOG,
				     .nbuckets = BT_HIST_LOG_BUCKETS };
}

static struct bt_histdesc t_linear(int64_t start, int64_t stop, int64_t step)
{
	return (struct bt_histdesc){ .kind = BT_HIST_LINEAR, .start = start,
		.stop = stop, .interval = step,
		.nbuckets = (stop - start) / step + 3 };
}

static void t_check(const struct bt_histdesc *h, const uint64_t *b,
		    const char *want)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(hist_print(f, h, b), 0);
	fclose(f);
	ck_assert_str_eq(text, want);
	free(text);
}

START_TEST(test_conformance_09)
{
	struct bt_histdesc h = t_log();
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };
	int i;

	for (i = 1; i <= 10; i++)
		t_add_log(b, i, 1);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"    0 |                                                   0\n"
		"    1 |@                                                  1\n"
		"    2 |@@                                                 2\n"
		"    4 |@@@@                                               4\n"
		"    8 |@@@                                                3\n"
		"   16 |                                                   0\n"
		"   32 |                                                   0\n"
		"\n");
}
END_TEST

START_TEST(test_conformance_10)
{
	struct bt_histdesc h = t_linear(0, 100, 10);
	uint64_t b[13] = { 0 };
	int i;

	ck_assert_int_eq(h.nbuckets, 13);
	for (i = 0; i < 50; i++)
		t_add_linear(b, &h, i, 1);
	t_add_linear(b, &h, -3, 1);
	t_add_linear(b, &h, 250, 1);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"   <0 |@                                                   1\n"
		"    0 |@@@@@@@@@@                                         10\n"
		"   10 |@@@@@@@@@@                                         10\n"
		"   20 |@@@@@@@@@@                                         10\n"
		"   30 |@@@@@@@@@@                                         10\n"
		"   40 |@@@@@@@@@@                                         10\n"
		"   50 |                                                    0\n"
		"   60 |                                                    0\n"
		"      ~\n"
		"   90 |                                                    0\n"
		"  100 |                                                    0\n"
		" >100 |@                                                   1\n"
		"\n");
}
END_TEST

/*
 * -5 goes to bucket 61, -1 to 63, 3 to 66. Rows 59..68: negative values
 * exist, so the margin goes below 0. Bucket b < 64 is labelled
 * INT64_MIN >> b: 59 is -16, 61 (where -5 lies) is -4.
 */
START_TEST(test_log_negative)
{
	struct bt_histdesc h = t_log();
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };

	t_add_log(b, -5, 1);
	t_add_log(b, -1, 1);
	t_add_log(b, 3, 2);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"  -16 |                                                   0\n"
		"   -8 |                                                   0\n"
		"   -4 |@                                                  1\n"
		"   -2 |                                                   0\n"
		"   -1 |@                                                  1\n"
		"    0 |                                                   0\n"
		"    1 |                                                   0\n"
		"    2 |@@                                                 2\n"
		"    4 |                                                   0\n"
		"    8 |                                                   0\n"
		"\n");
}
END_TEST

/* max 120 > 50: scale ceil(120/50) = 3, counts 3 digits wide. */
START_TEST(test_log_scaled)
{
	struct bt_histdesc h = t_log();
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };

	t_add_log(b, 1, 120);
	t_add_log(b, 2, 3);
	t_add_log(b, 5, 60);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"    0 |                                                     0\n"
		"    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           120\n"
		"    2 |@                                                    3\n"
		"    4 |@@@@@@@@@@@@@@@@@@@@                                60\n"
		"    8 |                                                     0\n"
		"   16 |                                                     0\n"
		"\n");
}
END_TEST

/*
 * 1 and 1 << 20 (buckets 65 and 85): rows 68..82 are zero with zero
 * neighbours, one '~' for the run; the value column grows to 7.
 */
START_TEST(test_log_long_elision)
{
	struct bt_histdesc h = t_log();
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };

	t_add_log(b, 1, 1);
	t_add_log(b, 1 << 20, 1);
	t_check(&h, b,
		"  value |-------------------------------------------------- count\n"
		"      0 |                                                   0\n"
		"      1 |@                                                  1\n"
		"      2 |                                                   0\n"
		"      4 |                                                   0\n"
		"        ~\n"
		" 262144 |                                                   0\n"
		" 524288 |                                                   0\n"
		"1048576 |@                                                  1\n"
		"2097152 |                                                   0\n"
		"4194304 |                                                   0\n"
		"\n");
}
END_TEST

/* A single 0: the margin never goes below bucket 0 without negatives. */
START_TEST(test_log_single_zero)
{
	struct bt_histdesc h = t_log();
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };

	t_add_log(b, 0, 1);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"\n");
}
END_TEST

/* Only overflow: no underflow row, the margin shows two buckets. */
START_TEST(test_linear_only_overflow)
{
	struct bt_histdesc h = t_linear(0, 10, 1);
	uint64_t b[13] = { 0 };

	t_add_linear(b, &h, 50, 2);
	ck_assert_uint_eq(b[12], 2);
	t_check(&h, b,
		"value |-------------------------------------------------- count\n"
		"    9 |                                                   0\n"
		"   10 |                                                   0\n"
		"  >10 |@@                                                 2\n"
		"\n");
}
END_TEST

/*
 * stap sizes the value column of a linear histogram from
 * start + interval * high_bucket (+1 for '>'), here 11000 -> 6, although
 * the widest label printed, ">9000", has 5.
 */
START_TEST(test_linear_width_quirk)
{
	struct bt_histdesc h = t_linear(0, 9000, 1000);
	uint64_t b[12] = { 0 };

	t_add_linear(b, &h, 20000, 1);
	t_check(&h, b,
		" value |-------------------------------------------------- count\n"
		"  8000 |                                                   0\n"
		"  9000 |                                                   0\n"
		" >9000 |@                                                  1\n"
		"\n");
}
END_TEST

/*
 * Empty: stap leaves low_bucket at -1 and high_bucket at 2; every row is
 * elided (no '~' follows, as no row is printed after the run). The log
 * value column is sized from bucket 2's label, INT64_MIN >> 2 (20 chars).
 */
START_TEST(test_empty)
{
	struct bt_histdesc log = t_log(), lin = t_linear(0, 100, 10);
	uint64_t b[BT_HIST_LOG_BUCKETS] = { 0 };

	t_check(&log, b,
		"               value |"
		"-------------------------------------------------- count\n"
		"\n");
	t_check(&lin, b,
		"value |-------------------------------------------------- count\n"
		"\n");
}
END_TEST

START_TEST(test_no_hist)
{
	struct bt_histdesc h = { 0 };
	uint64_t b[1] = { 0 };

	ck_assert_int_eq(hist_print(stdout, &h, b), -1);
}
END_TEST

/*
 * Three CPUs of a linear(0, 10, 5) aggregate (5 buckets, 80 bytes a CPU:
 * no padding). CPU 1 saw nothing: its min/max (garbage here) must not
 * count.
 */
START_TEST(test_stats_sum)
{
	struct bt_histdesc h = t_linear(0, 10, 5);
	size_t size = hist_stats_size(&h);
	uint8_t vals[3][88];
	struct hist_stats st;
	int cpu, i;

	ck_assert_uint_eq(size, 88);
	memset(vals, 0, sizeof(vals));
	for (cpu = 0; cpu < 3; cpu++) {
		struct bt_stats_val v = { 0 };
		uint64_t bk[5] = { cpu, 0, 1, 0, cpu * 2 };

		if (cpu == 0)
			v = (struct bt_stats_val){ 2, 10, 4, 6, 5, 2 };
		else if (cpu == 1)
			v = (struct bt_stats_val){ 0, 0, -100, 100, 0, 0 };
		else
			v = (struct bt_stats_val){ 3, -3, -7, 5, -1, 78 };
		memcpy(vals[cpu], &v, sizeof(v));
		memcpy(vals[cpu] + sizeof(v), bk, sizeof(bk));
	}
	ck_assert_int_eq(hist_stats_sum(&st, &h, vals, 3), 0);
	ck_assert_int_eq(st.count, 5);
	ck_assert_int_eq(st.sum, 7);
	ck_assert_int_eq(st.min, -7);
	ck_assert_int_eq(st.max, 6);
	ck_assert_uint_eq(st.nbuckets, 5);
	for (i = 0; i < 5; i++) {
		static const uint64_t want[5] = { 3, 0, 3, 0, 6 };

		ck_assert_uint_eq(st.buckets[i], want[i]);
	}
	hist_stats_free(&st);
}
END_TEST

/* Values are rounded up to 8 bytes per CPU; without buckets: 48 bytes. */
START_TEST(test_stats_sum_plain)
{
	struct bt_histdesc h = { 0 };
	struct bt_stats_val v[2] = {
		{ 1, 4, 4, 4, 4, 0 }, { 1, 6, 6, 6, 6, 0 },
	};
	struct hist_stats st;

	ck_assert_uint_eq(hist_stats_size(&h), 48);
	ck_assert_int_eq(hist_stats_sum(&st, &h, v, 2), 0);
	ck_assert_int_eq(st.count, 2);
	ck_assert_int_eq(st.sum, 10);
	ck_assert_int_eq(st.min, 4);
	ck_assert_int_eq(st.max, 6);
	ck_assert_ptr_null(st.buckets);
	hist_stats_free(&st);
}
END_TEST

static Suite *hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("hist");

	tcase_add_test(tc, test_conformance_09);
	tcase_add_test(tc, test_conformance_10);
	tcase_add_test(tc, test_log_negative);
	tcase_add_test(tc, test_log_scaled);
	tcase_add_test(tc, test_log_long_elision);
	tcase_add_test(tc, test_log_single_zero);
	tcase_add_test(tc, test_linear_only_overflow);
	tcase_add_test(tc, test_linear_width_quirk);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_no_hist);
	tcase_add_test(tc, test_stats_sum);
	tcase_add_test(tc, test_stats_sum_plain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hist_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
