# End-to-end scripts and the shared conformance cases, through ./bpftap.
TESTS += tests/e2e-run.sh tests/errors-run.sh tests/badinput.sh \
	tests/conformance.sh
check_SCRIPTS = tests/e2e-run.sh tests/errors-run.sh
EXTRA_DIST += tests/helpers/shared.sh tests/e2e.sh tests/badinput.sh tests/conformance.sh tests/conformance.list \
	tests/e2e tests/errors examples
# Under --enable-sanitizers any report fails the test (exit status 86).
AM_TESTS_ENVIRONMENT = BPFTAP=$(abs_top_builddir)/bpftap; export BPFTAP; \
	BUILDDIR=$(abs_top_builddir); export BUILDDIR; \
	ASAN_OPTIONS="exitcode=86:$${ASAN_OPTIONS-}"; export ASAN_OPTIONS; \
	UBSAN_OPTIONS="halt_on_error=1:exitcode=86:print_stacktrace=1:$${UBSAN_OPTIONS-}"; \
	export UBSAN_OPTIONS;
# Workload programs the end-to-end scripts run with -c. They are never
# built with the sanitizers: their runtimes make syscalls and fork, and
# the tests count exactly those.
HELPER_CFLAGS = $(BASE_CFLAGS)
HELPER_LINK =
check_PROGRAMS += tests/helpers/twocpus
check_PROGRAMS += tests/helpers/sysloop
tests_helpers_sysloop_LDADD =
tests_helpers_sysloop_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_sysloop_LDFLAGS = $(HELPER_LINK)
check_PROGRAMS += tests/helpers/sysargs
tests_helpers_sysargs_LDADD =
tests_helpers_sysargs_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_sysargs_LDFLAGS = $(HELPER_LINK)
EXTRA_DIST += tests/tapset tests/tracefs-fake
tests_helpers_twocpus_LDADD =
tests_helpers_twocpus_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_twocpus_LDFLAGS = $(HELPER_LINK)
# tracepoint workloads with known fields
check_PROGRAMS += tests/helpers/tpdriver
tests_helpers_tpdriver_LDADD =
tests_helpers_tpdriver_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_tpdriver_LDFLAGS = $(HELPER_LINK)
# uprobe targets: the same functions in a PIE and a non-PIE executable
check_PROGRAMS += tests/helpers/uprobed tests/helpers/uprobed_nopie
tests_helpers_uprobed_LDADD =
tests_helpers_uprobed_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_uprobed_LDFLAGS = $(HELPER_LINK)
tests_helpers_uprobed_nopie_SOURCES = tests/helpers/uprobed.c
tests_helpers_uprobed_nopie_CFLAGS = $(HELPER_CFLAGS) -fno-pie
tests_helpers_uprobed_nopie_LDFLAGS = -no-pie
tests_helpers_uprobed_nopie_LDADD =
# and stripped: no symbol table, only the dynamic section's _init/_fini
check_PROGRAMS += tests/helpers/uprobed_stripped
tests_helpers_uprobed_stripped_SOURCES = tests/helpers/uprobed.c
tests_helpers_uprobed_stripped_CFLAGS = $(HELPER_CFLAGS)
tests_helpers_uprobed_stripped_LDFLAGS = -s
tests_helpers_uprobed_stripped_LDADD =
# lost output, clean shutdown, privileges and input bounds (issue 6)
TESTS += tests/lost.sh tests/shutdown.sh tests/privs.sh
EXTRA_DIST += tests/lost.sh tests/shutdown.sh tests/privs.sh
# 10 s of one array element and one aggregate from both CPUs, exact,
# with a timer printing while exit() ends the session (issue 6)
TESTS += tests/stress.sh
EXTRA_DIST += tests/stress.sh
# every example of docs/language.md runs and prints what the page shows;
# the man page covers every option; colours only on a terminal
TESTS += tests/docs.sh tests/manpage.sh tests/color.sh tests/json.sh
EXTRA_DIST += tests/docs.sh tests/manpage.sh tests/color.sh tests/json.sh
# kprobe programs this kernel cannot attach still pass the verifier
TESTS += tests/kprobe_load.sh
EXTRA_DIST += tests/kprobe_load.sh tests/kload
tests/e2e-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/e2e examples\n' > $@ && chmod +x $@
tests/errors-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/errors\n' > $@ && chmod +x $@
CLEANFILES += tests/e2e-run.sh tests/errors-run.sh
# process(PID), -x PID and -o with pids known only at run time
TESTS += tests/targets.sh
EXTRA_DIST += tests/targets.sh
