# The preprocessor: script arguments, conditionals, macros, @include.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_preproc
TESTS += tests/unit/test_preproc
tests_unit_test_preproc_SOURCES = tests/unit/test_preproc.c
tests_unit_test_preproc_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_preproc_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(TEST_LIBS)
endif
# The library loader: what a file defines, and loading only what is used.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_tapset
TESTS += tests/unit/test_tapset
tests_unit_test_tapset_SOURCES = tests/unit/test_tapset.c
tests_unit_test_tapset_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_tapset_LDADD = stdlib/libstdlib.a parser/libparser.a \
	stdlib/libstdlib.a $(TEST_LIBS)
endif
