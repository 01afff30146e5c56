stdlib_libstdlib_a_SOURCES += stdlib/builtins.c stdlib/builtins.h
# The script-language library: -I directories, then stdlib/*.stp (installed
# in $(stdlibdir)), each parsed only when the script uses what it defines
# (tapset_scan.c, tapset_uses.c), then syscall aliases written on demand
# (syscalls.c).
stdlib_libstdlib_a_SOURCES += stdlib/tapset.c stdlib/tapset.h \
	stdlib/tapset_int.h stdlib/tapset_names.c stdlib/tapset_scan.c \
	stdlib/tapset_uses.c stdlib/syscalls.c
# The stdlib's definitions, scanned at build time into a table that spares
# each run the scan of the files (tapset_index_main.c).
nodist_stdlib_libstdlib_a_SOURCES = stdlib/tapset_index.c
EXTRA_PROGRAMS += stdlib/tapset-index
stdlib_tapset_index_SOURCES = stdlib/tapset_index_main.c \
	stdlib/tapset_scan.c stdlib/tapset_names.c
stdlib_tapset_index_LDADD =
stdlib/tapset_index.c: stdlib/tapset-index$(EXEEXT) $(BT_STDLIB_STP)
	$(AM_V_GEN)set -- ; for f in $(BT_STDLIB_STP); do \
	  set -- "$$@" "$(srcdir)/$$f"; done; \
	  ./stdlib/tapset-index$(EXEEXT) "$$@" > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += stdlib/tapset_index.c
CLEANFILES += stdlib/tapset_index.c
stdlibdir = $(pkgdatadir)/stdlib
BT_STDLIB_STP = stdlib/ansi.stp stdlib/aux_syscalls.stp stdlib/ctime.stp \
	stdlib/errno.stp stdlib/indent.stp stdlib/kprocess.stp \
	stdlib/oneshot.stp stdlib/scheduler.stp stdlib/signal.stp \
	stdlib/syscalls.stp stdlib/task.stp stdlib/uconversions.stp
dist_stdlib_DATA = $(BT_STDLIB_STP) stdlib/macros.stpm
# syscall_name(): the syscall numbers of the C library's <sys/syscall.h>
# (the ABI's, not the kernel build's), as C initialisers.
stdlib/sysnames.h: Makefile
	$(AM_V_GEN)$(MKDIR_P) stdlib && \
	echo '#include <sys/syscall.h>' | $(CC) -E -dM - | LC_ALL=C sed -n \
	  's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$$/{ \2, "\1" },/p' \
	  > $@.tmp && test -s $@.tmp && mv $@.tmp $@
stdlib/syscalls.$(OBJEXT): stdlib/sysnames.h
BUILT_SOURCES += stdlib/sysnames.h
CLEANFILES += stdlib/sysnames.h
