// SPDX-License-Identifier: GPL-2.0
/*
 * The -p1 round trip: for each script given, parse it, print it, parse
 * the print, and require an equal AST; print again and require the same
 * bytes (the printer is idempotent). Exit status 1 if any file fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "stdlib/tapset.h"

static char *rt_print(const struct bt_script *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	ast_print(s, f);
	fclose(f);
	return buf;
}

/* Split s in place into words at blanks, as the shell does for
 * e2e.sh's eval: '...' quotes (and may make an empty word). */
static int rt_split(char *s, char **words, int max)
{
	char *out = s;
	int n = 0;

	while (n < max) {
		bool quoted = false;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		words[n++] = out;
		for (; *s && (quoted || !strchr(" \t\n", *s)); s++) {
			if (*s == '\'')
				quoted = !quoted;
			else
				*out++ = *s;
		}
		if (*s)
			s++;
		*out++ = 0;
	}
	return n;
}

/* A `# script-args: A B` line gives the script its $1 @1 ..., split as
 * e2e.sh's shell splits it. */
static void rt_script_args(const char *path)
{
	static char line[1024];
	static char *args[32];
	int n = 0;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "# script-args:", 14))
			continue;
		n = rt_split(line + 14, args, 32);
		break;
	}
	if (f)
		fclose(f);
	parse_set_args(args, n);
}

static int rt_check(const char *path)
{
	struct bt_script *a = ast_script_new(), *b = ast_script_new();
	char *p1 = NULL, *p2 = NULL;
	size_t n1 = 0, n2 = 0;
	char why[512];
	int rc = 1;

	rt_script_args(path);
	if (parse_file(a, path)) {
		fprintf(stderr, "FAIL %s: does not parse\n", path);
		goto out;
	}
	p1 = rt_print(a, &n1);
	if (!p1 || parse_string(b, "<printed>", p1, n1)) {
		fprintf(stderr, "FAIL %s: the printed script does not parse:"
			"\n%s\n", path, p1 ? p1 : "");
		goto out;
	}
	if (!ast_equal(a, b, why, sizeof(why))) {
		fprintf(stderr, "FAIL %s: printed script differs: %s\n%s\n",
			path, why, p1);
		goto out;
	}
	p2 = rt_print(b, &n2);
	if (!p2 || n1 != n2 || memcmp(p1, p2, n1)) {
		fprintf(stderr, "FAIL %s: printing is not idempotent\n"
			"--- first\n%s--- second\n%s", path, p1,
			p2 ? p2 : "");
		goto out;
	}
	rc = 0;
out:
	free(p1);
	free(p2);
	ast_script_free(a);
	ast_script_free(b);
	diag_reset();
	return rc;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: roundtrip FILE.stp...\n");
		return 2;
	}
	/* library macros (the .stpm files) are visible to every script */
	if (tapset_load_macros(NULL, 0))
		return 1;
	for (i = 1; i < argc; i++)
		failed += rt_check(argv[i]);
	return failed ? 1 : 0;
}
