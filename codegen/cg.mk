# The code generator proper (the object writer and printer are in local.mk).
codegen_libcodegen_a_SOURCES += codegen/cg.h codegen/codegen.h \
	codegen/emit.h codegen/emit.c codegen/emit_opt.c \
	codegen/cg_main.c codegen/cg_temp.c codegen/cg_expr.c \
	codegen/cg_fold.c \
	codegen/cg_stmt.c codegen/cg_call.c codegen/cg_print.c \
	codegen/cg_string.c codegen/cg_str.h codegen/cg_strfn.c \
	codegen/cg_sprintf.c \
	codegen/cg_layout.c codegen/cg_array.c \
	codegen/cg_stats.c codegen/cg_foreach.c codegen/cg_slice.c \
	codegen/cg_tpvars.c codegen/cg_regs.c codegen/cg_task.c codegen/cg_cast.c \
	codegen/cg_regex.c codegen/regex.c codegen/regex.h
