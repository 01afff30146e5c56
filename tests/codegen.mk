if HAVE_CHECK
check_PROGRAMS += tests/unit/test_objwrite tests/unit/test_disasm
TESTS += tests/unit/test_objwrite tests/unit/test_disasm
tests_unit_test_objwrite_SOURCES = tests/unit/test_objwrite.c \
	tests/unit/bpf_insns.h
tests_unit_test_objwrite_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_objwrite_LDADD = codegen/libcodegen.a parser/libparser.a \
	stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) -lz $(TEST_LIBS)
# parser/diag.c is compiled in until parser/local.mk puts it in
# libparser.a; the test's own copy then keeps the archive's unused.
tests_unit_test_disasm_SOURCES = tests/unit/test_disasm.c \
	tests/unit/bpf_insns.h parser/diag.c
tests_unit_test_disasm_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_disasm_LDADD = codegen/libcodegen.a parser/libparser.a \
	stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) -lz $(TEST_LIBS)
endif
EXTRA_DIST += tests/unit/valgrind.supp
