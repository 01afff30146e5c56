# Runtime unit tests: the printf formatter and histograms (pure), and a
# session run on a hand-built object (needs root and a BPF-capable kernel;
# skips otherwise).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_format tests/unit/test_runtime \
	tests/unit/test_hist
TESTS += tests/unit/test_format tests/unit/test_runtime tests/unit/test_hist
tests_unit_test_format_SOURCES = tests/unit/test_format.c
tests_unit_test_format_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_format_LDADD = runtime/libruntime.a $(TEST_LIBS)
tests_unit_test_runtime_SOURCES = tests/unit/test_runtime.c
tests_unit_test_runtime_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_runtime_LDADD = runtime/libruntime.a codegen/libcodegen.a \
	parser/libparser.a stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) \
	-lz $(TEST_LIBS)
tests_unit_test_hist_SOURCES = tests/unit/test_hist.c
tests_unit_test_hist_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_hist_LDADD = runtime/libruntime.a $(LIBBPF_LIBS) \
	$(LIBELF_LIBS) -lz $(TEST_LIBS)
endif
