codegen_libcodegen_a_SOURCES += codegen/object.h codegen/object.c \
	codegen/objwrite.c codegen/btf.c codegen/btf.h \
	codegen/disasm.c codegen/disasm.h \
	codegen/objmeta.c codegen/objmeta.h codegen/objread.c \
	codegen/dumpjson.c
