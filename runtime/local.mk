runtime_libruntime_a_SOURCES += runtime/runtime.h runtime/internal.h \
	runtime/run.c runtime/load.c runtime/attach.c runtime/closer.c \
	runtime/output.c \
	runtime/globals.c runtime/target.c runtime/uprobe.c runtime/perf.c \
	runtime/format.c runtime/format.h \
	runtime/objfile.c runtime/objfile.h runtime/checks.c \
	runtime/hist.c runtime/hist.h \
	runtime/list.c runtime/list.h \
	runtime/json.c runtime/json.h
