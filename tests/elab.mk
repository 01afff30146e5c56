# Unit tests of elaboration (pass 2).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_elab
TESTS += tests/unit/test_elab
tests_unit_test_elab_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_elab_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(LIBELF_LIBS) $(LIBBPF_LIBS) $(TEST_LIBS)
endif
