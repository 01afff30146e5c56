stdlib_libstdlib_a_SOURCES += stdlib/builtins.c stdlib/builtins.h
# The script-language library: -I directories, then stdlib/*.stp (installed
# in $(stdlibdir)), each parsed only when the script uses what it defines
# (tapset_scan.c, tapset_uses.c), then syscall aliases written on demand
# (syscalls.c).
stdlib_libstdlib_a_SOURCES += stdlib/tapset.c stdlib/tapset.h \
	stdlib/tapset_int.h stdlib/tapset_names.c stdlib/tapset_scan.c \
	stdlib/tapset_uses.c stdlib/syscalls.c
stdlibdir = $(pkgdatadir)/stdlib
dist_stdlib_DATA = stdlib/ansi.stp stdlib/aux_syscalls.stp stdlib/errno.stp \
	stdlib/macros.stpm stdlib/oneshot.stp stdlib/syscalls.stp \
	stdlib/uconversions.stp
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
