# docs/stdlib.md is generated from the library's sources by
# docs/gen-stdlib.sh; it is kept in the source tree (and the tarball) so
# the reference reads without a build. `make` refreshes it when a source
# changes: in the source tree when building there, else in the build
# directory (the source tree may be read-only, as under distcheck), and
# `make dist` takes the fresh copy.
STDLIB_DOC_SRCS = $(srcdir)/docs/gen-stdlib.sh $(srcdir)/stdlib/builtins.c \
	$(srcdir)/stdlib/syscalls.c $(dist_stdlib_DATA:%=$(srcdir)/%)
docs/stdlib.md: $(STDLIB_DOC_SRCS)
	$(AM_V_GEN)$(MKDIR_P) docs && \
	  $(SHELL) $(srcdir)/docs/gen-stdlib.sh $(srcdir) > $@.tmp && \
	  mv $@.tmp $@
all-local: docs/stdlib.md
EXTRA_DIST += docs/gen-stdlib.sh docs/stdlib.md docs/language.md \
	docs/design.md docs/performance.md
