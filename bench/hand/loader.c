// SPDX-License-Identifier: GPL-2.0
/*
 * hand-loader [-p POLL_US] OBJ: loads a hand-written reference program
 * with libbpf, attaches it by its section name, prints ring buffer
 * records as "getpid pid=P" lines while it runs and, after SIGINT, the
 * results in the form the .stp scripts print (maps found by name: c, m,
 * st, a, h). -p: no waiting for wakeups, the ring is drained every
 * POLL_US microseconds instead.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_LINKS 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	unsigned int pid;

	if (size < sizeof(pid))
		return 0;
	memcpy(&pid, data, sizeof(pid));
	printf("getpid pid=%u\n", pid);
	return 0;
}

static int ncpus;

/* The sum over CPUs of the u64 at `off` in a per-CPU value. */
static unsigned long long percpu_sum(const void *vals, size_t vsize,
				     size_t off)
{
	unsigned long long s = 0, v;

	for (int i = 0; i < ncpus; i++) {
		memcpy(&v, (const char *)vals + i * ((vsize + 7) & ~7ul) + off,
		       sizeof(v));
		s += v;
	}
	return s;
}

static void *percpu_buf(const struct bpf_map *m)
{
	return calloc(ncpus, (bpf_map__value_size(m) + 7) & ~7ul);
}

static void print_c(const struct bpf_map *m)
{
	void *v = percpu_buf(m);
	unsigned int k = 0;

	if (v && !bpf_map__lookup_elem(m, &k, sizeof(k), v,
				       ncpus * 8ul, 0))
		printf("count=%llu\n", percpu_sum(v, 8, 0));
	free(v);
}

static void print_st(const struct bpf_map *m)
{
	void *v = percpu_buf(m);
	unsigned int k = 0;
	unsigned long long n, s;

	if (v && !bpf_map__lookup_elem(m, &k, sizeof(k), v, ncpus * 16ul,
				       0)) {
		n = percpu_sum(v, 16, 0);
		s = percpu_sum(v, 16, 8);
		printf("count=%llu avg=%llu sum=%llu\n", n, n ? s / n : 0, s);
	}
	free(v);
}

/* Every element of a per-CPU hash: pid=K count=V, or a["K"]=V. */
static void print_hash(const struct bpf_map *m, bool strkey)
{
	size_t ks = bpf_map__key_size(m);
	char key[64], next[64];
	void *v = percpu_buf(m), *prev = NULL;

	while (v && ks <= sizeof(key) &&
	       !bpf_map__get_next_key(m, prev, next, ks)) {
		memcpy(key, next, ks);
		prev = key;
		if (bpf_map__lookup_elem(m, key, ks, v, ncpus * 8ul, 0))
			continue;
		if (strkey)
			printf("a[\"%.*s\"]=%llu\n", (int)strnlen(key, ks), key,
			       percpu_sum(v, 8, 0));
		else
			printf("pid=%u count=%llu\n", *(unsigned int *)key,
			       percpu_sum(v, 8, 0));
	}
	free(v);
}

/* Non-empty buckets as "value |@ count" rows. */
static void print_hist(const struct bpf_map *m)
{
	void *v = percpu_buf(m);

	for (unsigned int k = 0; v && k < bpf_map__max_entries(m); k++) {
		unsigned long long n;

		if (bpf_map__lookup_elem(m, &k, sizeof(k), v, ncpus * 8ul, 0))
			continue;
		n = percpu_sum(v, 8, 0);
		if (n)
			printf("%llu |@ %llu\n", k ? 1ull << (k - 1) : 0, n);
	}
	free(v);
}

static void print_drops(const struct bpf_map *m)
{
	void *v = percpu_buf(m);
	unsigned int k = 0;

	if (v && !bpf_map__lookup_elem(m, &k, sizeof(k), v, ncpus * 8ul, 0))
		fprintf(stderr, "lost=%llu\n", percpu_sum(v, 8, 0));
	free(v);
}

static void print_results(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *n = bpf_map__name(m);

		if (!strcmp(n, "c"))
			print_c(m);
		else if (!strcmp(n, "st"))
			print_st(m);
		else if (!strcmp(n, "m"))
			print_hash(m, false);
		else if (!strcmp(n, "a"))
			print_hash(m, true);
		else if (!strcmp(n, "h"))
			print_hist(m);
		else if (!strcmp(n, "drops"))
			print_drops(m);
	}
}

static void run(struct ring_buffer *rb, long poll_us)
{
	while (!stop) {
		if (!rb) {
			pause();
		} else if (poll_us) {
			ring_buffer__consume(rb);
			fflush(stdout);
			usleep(poll_us);
		} else {
			ring_buffer__poll(rb, 100);
			fflush(stdout);
		}
	}
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	struct bpf_program *p;
	struct bpf_map *m;
	long poll_us = 0;
	int nlinks = 0, c;

	while ((c = getopt(argc, argv, "p:")) != -1)
		if (c == 'p')
			poll_us = atol(optarg);
	if (optind != argc - 1) {
		fprintf(stderr, "usage: hand-loader [-p POLL_US] OBJ\n");
		return 2;
	}
	ncpus = libbpf_num_possible_cpus();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "hand-loader: cannot load %s\n", argv[optind]);
		return 1;
	}
	m = bpf_object__find_map_by_name(obj, "rb");
	if (m)
		rb = ring_buffer__new(bpf_map__fd(m), on_record, NULL, NULL);
	bpf_object__for_each_program(p, obj) {
		if (nlinks == MAX_LINKS ||
		    !(links[nlinks++] = bpf_program__attach(p))) {
			fprintf(stderr, "hand-loader: cannot attach\n");
			return 1;
		}
	}
	run(rb, poll_us);
	while (nlinks)
		bpf_link__destroy(links[--nlinks]);
	if (rb) {
		ring_buffer__consume(rb);
		ring_buffer__free(rb);
	}
	print_results(obj);
	bpf_object__close(obj);
	return 0;
}
