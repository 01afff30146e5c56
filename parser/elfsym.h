/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Functions of user-space ELF files, for uprobes: which binary a
 * process("...") point names, which functions it defines, and the file
 * offset of each (what the kernel's uprobe interface wants). Used by
 * elaboration (existence checks, wildcards, suggestions) and by the
 * runtime (the offset to attach at), so a .bo run elsewhere resolves the
 * offsets of the binary it finds there.
 */
#ifndef BPFTAP_ELFSYM_H
#define BPFTAP_ELFSYM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct elfsym_func {
	char *name;
	uint64_t offset;		/* in the file */
};

struct elfsym_table {
	struct elfsym_func *v;		/* sorted by name, one per name */
	int n;
	int nsyms;			/* functions from symbol tables (the
					 * others: _init, _fini from the
					 * dynamic section) */
	int nifunc;			/* STT_GNU_IFUNC symbols left out */
	char **ifuncs;			/* their names, for messages */
};

/*
 * The file process("name") means, as a malloc'd canonical path: a name
 * with a '/' is taken from the current directory; a bare name is looked
 * up in $PATH and, for a shared library ("libc.so.6"), in
 * $LD_LIBRARY_PATH and the usual library directories. NULL with errno
 * set when nothing is found.
 */
char *elfsym_resolve_path(const char *name);

/* The executable of a running process (/proc/PID/exe), malloc'd. */
char *elfsym_pid_path(pid_t pid);

/*
 * Read the function symbols of an ELF file: .symtab when present, else
 * .dynsym; defined STT_FUNC symbols only, plus _init and _fini where
 * DT_INIT and DT_FINI put them (so stripped binaries have them too).
 * Of several symbols with one
 * name, a global one wins over a weak one over a local one, and a
 * default symbol version over a hidden one. Returns 0, or -errno (with
 * -ENOEXEC for a file that is not ELF).
 */
int elfsym_read(const char *path, struct elfsym_table *t);
void elfsym_free(struct elfsym_table *t);

/* The function called name, or NULL. */
const struct elfsym_func *elfsym_find(const struct elfsym_table *t,
				      const char *name);
bool elfsym_is_ifunc(const struct elfsym_table *t, const char *name);

/* One-shot lookup of the offset of name in path: 0, or -errno
 * (-ENOENT when there is no such function). */
int elfsym_offset(const char *path, const char *name, uint64_t *off);

#endif
