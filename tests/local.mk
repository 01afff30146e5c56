# Unit tests (Check) per pass, each in its own fragment, then the
# end-to-end and conformance scripts.
if HAVE_CHECK
TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
TEST_LIBS = $(CHECK_LIBS)
endif
include tests/parser.mk
include tests/elab.mk
include tests/codegen.mk
include tests/cg.mk
include tests/runtime.mk
include tests/e2e.mk
include tests/obj.mk
include tests/tracefs.mk
include tests/fuzz.mk
include tests/regex.mk
include tests/preproc.mk
