# Tracepoints: the tracefs format parser and kernel.trace elaboration
# (unit tests on a fake tracefs tree), and -l / -L on the real one.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_tracefs
TESTS += tests/unit/test_tracefs
tests_unit_test_tracefs_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_tracefs_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(LIBELF_LIBS) $(LIBBPF_LIBS) $(TEST_LIBS)
endif
TESTS += tests/list.sh
EXTRA_DIST += tests/list.sh
