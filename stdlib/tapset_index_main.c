// SPDX-License-Identifier: GPL-2.0
/*
 * tapset-index FILE...: the built-in index of the stdlib (tapset_int.h),
 * as C, on stdout: for each file its base name, length, hash and the
 * names tapset_scan finds in it. At run time a stdlib file whose length
 * and hash match takes its names from the index instead of being read
 * through (tapset.c); any other is scanned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tapset_int.h"

/* The whole file, malloc'ed, or NULL after a message. */
static char *index_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (text = malloc(n + 1)) &&
	    fread(text, 1, n, f) == (size_t)n) {
		*len = n;
		fclose(f);
		return text;
	}
	perror(path);
	free(text);
	if (f)
		fclose(f);
	return NULL;
}

static int index_one(const char *path, int i)
{
	struct tapset_names defs = { 0 };
	const char *base = strrchr(path, '/');
	size_t len;
	char *text = index_read(path, &len);

	if (!text)
		return -1;
	tapset_scan(text, len, &defs);
	if (defs.oom) {
		fprintf(stderr, "tapset-index: out of memory\n");
		free(text);
		return -1;
	}
	printf("static const char *const tapset_names_%d[] = {", i);
	for (size_t k = 0; k < defs.cap; k++)
		if (defs.slot[k])
			printf(" \"%s\",", defs.slot[k]);
	printf(" NULL };\n");
	printf("#define TAPSET_ENTRY_%d { \"%s\", %zu, 0x%016llxull, "
	       "tapset_names_%d }\n", i, base ? base + 1 : path, len,
	       (unsigned long long)tapset_hash(text, len), i);
	tapset_names_free(&defs);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	printf("/* Made by tapset-index from the stdlib: do not edit. */\n"
	       "#include <stddef.h>\n#include \"stdlib/tapset_int.h\"\n\n");
	for (int i = 1; i < argc; i++)
		if (index_one(argv[i], i))
			return 1;
	printf("\nconst struct tapset_index_entry tapset_index[] = {\n");
	for (int i = 1; i < argc; i++)
		printf("\tTAPSET_ENTRY_%d,\n", i);
	printf("\t{ NULL, 0, 0, NULL }\n};\n"
	       "const size_t tapset_index_n = %d;\n", argc - 1);
	return 0;
}
