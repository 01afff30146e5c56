# Pass 1: the flex scanner, the bison grammar, the AST and diagnostics.
parser_libparser_a_SOURCES += parser/grammar.y parser/lexer.l \
	parser/lexer.h parser/parse_int.h parser/parse.c parser/parse.h \
	parser/ast.c parser/ast.h parser/ast_print.c parser/ast_equal.c \
	parser/diag.c parser/diag.h \
	parser/preproc.c parser/preproc.h parser/kconfig.c \
	parser/at_entry.c parser/at_entry.h
# Everything that includes the generated grammar.h waits for it, also in
# a first parallel build of a single target.
BUILT_SOURCES += parser/grammar.h
parser/lexer.$(OBJEXT) parser/parse.$(OBJEXT) parser/preproc.$(OBJEXT): \
	parser/grammar.h
# automake runs `bison -y`, which warns about every bison extension the
# grammar relies on (%define, %code, %empty, ...).
AM_YFLAGS += -Wno-yacc
include parser/local_elab.mk
