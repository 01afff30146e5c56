# The regex compiler (codegen/regex.c) against glibc's regexec (Check).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_regex
TESTS += tests/unit/test_regex
tests_unit_test_regex_SOURCES = tests/unit/test_regex.c
tests_unit_test_regex_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_regex_LDADD = codegen/libcodegen.a $(TEST_LIBS)
endif
