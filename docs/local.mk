# docs/stdlib.md is generated from the library's sources by
# docs/gen-stdlib.sh; it is kept in the source tree (and the tarball) so
# the reference reads without a build. `make` refreshes it when a source
# changes.
STDLIB_DOC_SRCS = $(srcdir)/docs/gen-stdlib.sh $(srcdir)/stdlib/builtins.c \
	$(srcdir)/stdlib/syscalls.c $(dist_stdlib_DATA:%=$(srcdir)/%)
$(srcdir)/docs/stdlib.md: $(STDLIB_DOC_SRCS)
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/gen-stdlib.sh $(srcdir) > $@.tmp && \
	  mv $@.tmp $@
all-local: $(srcdir)/docs/stdlib.md
EXTRA_DIST += docs/gen-stdlib.sh docs/stdlib.md docs/language.md \
	docs/design.md
