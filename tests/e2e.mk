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
tests_helpers_twocpus_LDADD =
tests/e2e-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/e2e examples\n' > $@ && chmod +x $@
tests/errors-run.sh: Makefile
	$(AM_V_GEN)printf '#!/bin/sh\nexec "$${srcdir:-.}/tests/e2e.sh" tests/errors\n' > $@ && chmod +x $@
CLEANFILES += tests/e2e-run.sh tests/errors-run.sh
