# Fuzzing and memory checking (issue 6).
# The inputs that once crashed a fuzz harness run in every check.
TESTS += tests/fuzz/regress.sh
EXTRA_DIST += tests/fuzz/regress.sh tests/fuzz/run.sh tests/fuzz/regressions \
	tests/fuzz/fuzz_frontend.c tests/fuzz/fuzz_objread.c \
	tests/fuzz/frontend.dict

# `make fuzz`: build the libFuzzer harnesses with clang (in FUZZ_BUILD,
# not here: this tree is built with $(CC)) and run each for FUZZ_SECONDS.
FUZZ_SECONDS = 60
FUZZ_BUILD = /tmp/bpftap-fuzz
fuzz: bpftap$(EXEEXT)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) \
	BPFTAP=$(abs_top_builddir)/bpftap $(top_srcdir)/tests/fuzz/run.sh

# `make valgrind-check`: every unit test under valgrind; any error or
# leak fails. CK_FORK=no keeps the tests in the process valgrind watches.
VALGRIND = valgrind
VALGRIND_FLAGS = --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
	--suppressions=$(top_srcdir)/tests/unit/valgrind.supp --quiet
valgrind-check: $(check_PROGRAMS)
	@pass=0; fail=0; \
	for t in $(check_PROGRAMS); do \
		case $$t in tests/unit/test_*) ;; *) continue;; esac; \
		if CK_FORK=no $(VALGRIND) $(VALGRIND_FLAGS) --log-file=$$t.vg.log \
		   ./$$t >$$t.vg.out 2>&1; then \
			pass=$$((pass + 1)); echo "PASS: $$t"; \
		else \
			fail=$$((fail + 1)); echo "FAIL: $$t (see $$t.vg.log)"; \
			tail -n 5 $$t.vg.out; sed -n '1,60p' $$t.vg.log; \
		fi; \
	done; \
	echo "valgrind-check: $$pass passed, $$fail failed"; \
	test $$fail = 0
CLEANFILES += tests/unit/*.vg.log tests/unit/*.vg.out
.PHONY: fuzz valgrind-check
