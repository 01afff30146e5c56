# Pass 1 tests: lexer and parser unit tests (Check), and the -p1 round
# trip over every script in the tree and in the conformance cases.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_lexer tests/unit/test_parser \
	tests/unit/test_at_entry
TESTS += tests/unit/test_lexer tests/unit/test_parser \
	tests/unit/test_at_entry
tests_unit_test_lexer_SOURCES = tests/unit/test_lexer.c
tests_unit_test_lexer_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lexer_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(TEST_LIBS)
tests/unit/tests_unit_test_lexer-test_lexer.$(OBJEXT): parser/grammar.h
tests_unit_test_parser_SOURCES = tests/unit/test_parser.c
tests_unit_test_parser_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_parser_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(TEST_LIBS)
tests_unit_test_at_entry_SOURCES = tests/unit/test_at_entry.c
tests_unit_test_at_entry_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_at_entry_LDADD = parser/libparser.a stdlib/libstdlib.a \
	$(TEST_LIBS)
endif
check_PROGRAMS += tests/roundtrip
tests_roundtrip_SOURCES = tests/roundtrip.c
tests_roundtrip_LDADD = parser/libparser.a stdlib/libstdlib.a
TESTS += tests/roundtrip.sh tests/stap_p1.sh
EXTRA_DIST += tests/roundtrip.sh tests/stap_p1.sh tests/parse
