# End-to-end scripts and the shared conformance cases, through ./bpftap.
TESTS += tests/e2e-run.sh tests/errors-run.sh tests/badinput.sh \
	tests/conformance.sh
check_SCRIPTS = tests/e2e-run.sh tests/errors-run.sh
EXTRA_DIST += tests/e2e.sh tests/badinput.sh tests/conformance.sh tests/conformance.list \
	tests/e2e tests/errors examples
AM_TESTS_ENVIRONMENT = BPFTAP=$(abs_top_builddir)/bpftap; export BPFTAP; \
	BUILDDIR=$(abs_top_builddir); export BUILDDIR;
# Workload programs the end-to-end scripts run with -c.
check_PROGRAMS += tests/helpers/twocpus
check_PROGRAMS += tests/helpers/sysloop
tests_helpers_sysloop_LDADD =
EXTRA_DIST += tests/tapset
tests_helpers_twocpus_LDADD =
# tracepoint workloads with known fields
check_PROGRAMS += tests/helpers/tpdriver
tests_helpers_tpdriver_LDADD =
# uprobe targets: the same functions in a PIE and a non-PIE executable
check_PROGRAMS += tests/helpers/uprobed tests/helpers/uprobed_nopie
tests_helpers_uprobed_LDADD =
tests_helpers_uprobed_nopie_SOURCES = tests/helpers/uprobed.c
tests_helpers_uprobed_nopie_CFLAGS = $(AM_CFLAGS) -fno-pie
tests_helpers_uprobed_nopie_LDFLAGS = -no-pie
tests_helpers_uprobed_nopie_LDADD =
# kprobe programs this kernel cannot attach still pass the verifier
TESTS += tests/kprobe_load.sh
EXTRA_DIST += tests/kprobe_load.sh tests/kload
tests/e2e-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/e2e examples\n' > $@ && chmod +x $@
tests/errors-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/errors\n' > $@ && chmod +x $@
CLEANFILES += tests/e2e-run.sh tests/errors-run.sh
