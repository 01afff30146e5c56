# Code generation pattern tests (Check).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_codegen
TESTS += tests/unit/test_codegen
tests_unit_test_codegen_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_codegen_LDADD = codegen/libcodegen.a parser/libparser.a \
	stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) -lz $(TEST_LIBS)
endif
# emit_optimize on hand-written programs (no kernel needed).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_emitopt
TESTS += tests/unit/test_emitopt
tests_unit_test_emitopt_SOURCES = tests/unit/test_emitopt.c \
	tests/unit/bpf_insns.h
tests_unit_test_emitopt_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_emitopt_LDADD = codegen/libcodegen.a parser/libparser.a \
	stdlib/libstdlib.a $(LIBBPF_LIBS) $(LIBELF_LIBS) -lz $(TEST_LIBS)
endif
