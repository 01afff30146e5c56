# make bench: the side-by-side benchmark (bench/README.md). Not part of
# make check: it takes minutes, needs a quiet machine to mean much, and
# its numbers are measurements, not pass/fail tests.
EXTRA_PROGRAMS += bench/bpftap-bench bench/hand-loader
bench_bpftap_bench_SOURCES = bench/bench.c bench/bench.h bench/launch.c \
	bench/drive.c bench/bpfinfo.c bench/check.c bench/stats.c \
	bench/scale.c
bench_bpftap_bench_LDADD = $(LIBBPF_LIBS) -lm
bench_hand_loader_SOURCES = bench/hand/loader.c
bench_hand_loader_LDADD = $(LIBBPF_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS) bench/nolimit.so
EXTRA_DIST += bench/run bench/README.md bench/nolimit.c bench/hand \
	bench/workloads

bench/nolimit.so: bench/nolimit.c
	$(AM_V_CC)$(CC) -shared -fPIC -O2 -o $@ $(srcdir)/bench/nolimit.c

# BENCH_ARGS: e.g. "-r 7", "-T bpftap,hand -w w1_count", "--quick"
bench: bpftap$(EXEEXT) $(EXTRA_PROGRAMS) bench/nolimit.so
	BENCH_BUILD=$(abs_builddir)/bench BPFTAP=$(abs_builddir)/bpftap$(EXEEXT) \
		$(srcdir)/bench/run $(BENCH_ARGS)
.PHONY: bench
