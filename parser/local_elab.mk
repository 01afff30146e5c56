# Elaboration (pass 2): included from parser/local.mk.
parser_libparser_a_SOURCES += parser/elaborate.c parser/elaborate.h \
	parser/elab_internal.h parser/elab_resolve.c parser/elab_points.c \
	parser/elab_types.c parser/elab_print.c \
	parser/elab_funcs.c parser/elfsym.c parser/elfsym.h \
	parser/elab_trace.c parser/tracefs.c parser/tracefs.h \
	parser/tpargs.c parser/tpargs.h parser/elab_kvars.c \
	parser/elab_prune.c
