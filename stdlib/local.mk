stdlib_libstdlib_a_SOURCES += stdlib/builtins.c stdlib/builtins.h
