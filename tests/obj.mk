# Object files (issue 5): the reader's unit test, and obj.sh, which runs
# every e2e and conformance script from its -p4 object, checks bpftool
# accepts the objects, and verifies every script.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_objread
TESTS += tests/unit/test_objread
tests_unit_test_objread_SOURCES = tests/unit/test_objread.c
tests_unit_test_objread_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_objread_LDADD = codegen/libcodegen.a parser/libparser.a \
	stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) -lz $(TEST_LIBS)
endif
TESTS += tests/obj.sh
EXTRA_DIST += tests/obj.sh
EXTRA_DIST += tests/helpers/objcheck.py
