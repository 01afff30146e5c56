// SPDX-License-Identifier: GPL-2.0
/*
 * bpftap: the command line. Runs the passes in order and stops after the
 * one -p names: 1 parse, 2 elaborate, 3 translate (dump), 4 write the
 * object, 5 run (the default).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "parser/at_entry.h"
#include "parser/preproc.h"
#include "parser/elaborate.h"
#include "codegen/codegen.h"
#include "codegen/object.h"
#include "runtime/runtime.h"
#include "stdlib/tapset.h"
#include "runtime/objfile.h"
#include "runtime/list.h"
#include "parser/tracefs.h"

struct main_opts {
	int pass;
	const char *script_text;	/* -e */
	const char *script_file;
	const char *out_file;		/* -o */
	char **incdirs;			/* -I: library directories */
	int nincdirs;
	bool verify;			/* --verify: load, do not run */
	bool json;			/* --dump-format=json */
	const char *list_pattern;	/* -l, -L: list probe points */
	char **script_args;		/* after the script: $1 @1 ... */
	int nscript_args;
	bool list_vars;			/* -L: with their context variables */
	struct cg_options cg;
	struct rt_options rt;
};

static void main_usage(FILE *f)
{
	fprintf(f,
"Usage: bpftap [OPTIONS] SCRIPT.stp [ARGUMENTS]\n"
"       bpftap [OPTIONS] -e 'SCRIPT' [ARGUMENTS]\n"
"       bpftap [OPTIONS] FILE.bo    (an object written by -p4)\n"
"Compile a SystemTap script to BPF and run it in the kernel.\n\n"
"  -e SCRIPT        run SCRIPT given on the command line\n"
"  -p NUM           stop after pass NUM: 1 parse, 2 elaborate,\n"
"                   3 translate (print the BPF programs), 4 write the\n"
"                   object file, 5 run (default)\n"
"  -o FILE          -p4: object file (default SCRIPT.bo); else: output\n"
"  -c CMD           run CMD, trace it (target()), stop when it exits\n"
"  -x PID           target() is PID\n"
"  -D NAME=VALUE    set a limit: MAXSTRINGLEN, MAXMAPENTRIES, MAXACTION,\n"
"                   MAXERRORS\n"
"  -s NUM           output buffer of NUM MB (rounded up to a power of 2)\n"
"  -v               more messages (repeat for more)\n"
"  -w               no warnings\n"
"  -I DIR           also load the library files (*.stp) of DIR\n"
"  -l PATTERN       list the probe points PATTERN names\n"
"  -L PATTERN       the same, with their context variables\n"
"  --no-global-var-display  do not print unread globals at the end\n"
"  --runtime=bpf    accepted as stap's: bpf is the only runtime\n"
"  --compatible=V   %%( systemtap_v %%) conditionals see V (default 4.8)\n"
"  --verify         load every program through the kernel's verifier\n"
"                   and stop (after writing the object with -p4)\n"
"  --dump-format=json  -p3 prints JSON\n"
"  --format=json    script output as JSON, one object per line\n"
"  -h, --help       this text\n"
"  -V, --version    the version\n");
}

static int main_define(struct main_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;
	unsigned long v;

	if (!eq) {
		fprintf(stderr, "bpftap: error: -D %s: expected NAME=VALUE\n",
			arg);
		return -1;
	}
	errno = 0;
	v = strtoul(eq + 1, &end, 0);
	/* MAXERRORS=0 is meaningful (stop at the first error); 0 is not
	 * a limit for the others. */
	if (errno || *end || eq[1] == 0 || v > 1UL << 24 ||
	    (v == 0 && strncmp(arg, "MAXERRORS=", 10))) {
		fprintf(stderr, "bpftap: error: -D %s: bad value\n", arg);
		return -1;
	}
	if (!strncmp(arg, "MAXSTRINGLEN=", 13)) {
		if (v < 8 || v > 4096) {
			fprintf(stderr, "bpftap: error: -D MAXSTRINGLEN must "
				"be between 8 and 4096\n");
			return -1;
		}
		o->cg.maxstringlen = v;
	} else if (!strncmp(arg, "MAXMAPENTRIES=", 14)) {
		o->cg.maxmapentries = v;
	} else if (!strncmp(arg, "MAXACTION=", 10)) {
		o->cg.maxaction = v;
	} else if (!strncmp(arg, "MAXERRORS=", 10)) {
		o->rt.maxerrors = v;
	}
	/* Other names (MAXTRYLOCK, ...) are accepted as stap does. */
	return 0;
}

/* -I DIR, repeatable: searched in the order given, before the stdlib. */
static int main_incdir(struct main_opts *o, char *dir)
{
	char **v = realloc(o->incdirs, (o->nincdirs + 1) * sizeof(*v));

	if (!v) {
		fprintf(stderr, "bpftap: error: out of memory\n");
		return -1;
	}
	o->incdirs = v;
	o->incdirs[o->nincdirs++] = dir;
	return 0;
}

static int main_parse_args(struct main_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "no-global-var-display", no_argument, NULL, 'G' },
		{ "verify", no_argument, NULL, 'Y' },
		{ "dump-format", required_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'F' },
		{ "runtime", required_argument, NULL, 'R' },
		{ "compatible", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+e:p:o:c:x:D:I:l:L:s:vwhVg", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'e': o->script_text = optarg; break;
		case 'p':
			o->pass = atoi(optarg);
			if (o->pass < 1 || o->pass > 5) {
				fprintf(stderr, "bpftap: error: -p takes 1 "
					"to 5\n");
				return -1;
			}
			break;
		case 'o': o->out_file = optarg; break;
		case 'c': o->rt.target_cmd = optarg; break;
		case 'x':
			o->rt.target_pid = atoi(optarg);
			if (o->rt.target_pid <= 0) {
				fprintf(stderr, "bpftap: error: -x takes a "
					"process id\n");
				return -1;
			}
			break;
		case 'D':
			if (main_define(o, optarg))
				return -1;
			break;
		case 's':
			o->rt.bufsize_mb = atoi(optarg);
			if (o->rt.bufsize_mb < 1 || o->rt.bufsize_mb > 4095) {
				fprintf(stderr, "bpftap: error: -s takes a "
					"size in MB, 1 to 4095\n");
				return -1;
			}
			break;
		case 'v': o->rt.verbose++; break;
		case 'w': diag_set_quiet_warnings(1); break;
		case 'G': o->rt.no_global_display = true; break;
		case 'I':
			if (main_incdir(o, optarg))
				return -1;
			break;
		case 'Y': o->verify = true; break;
		case 'l':
		case 'L':
			o->list_pattern = optarg;
			o->list_vars = c == 'L';
			break;
		case 'J':
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				fprintf(stderr, "bpftap: error: --dump-format "
					"takes text or json\n");
				return -1;
			}
			o->json = !strcmp(optarg, "json");
			break;
		case 'F':
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				fprintf(stderr, "bpftap: error: --format "
					"takes text or json\n");
				return -1;
			}
			o->rt.json = !strcmp(optarg, "json");
			break;
		case 'R':
			/* stap's --runtime=bpf is the only one there is */
			if (strcmp(optarg, "bpf")) {
				fprintf(stderr, "bpftap: error: --runtime=%s: "
					"bpftap has only the bpf runtime\n",
					optarg);
				return -1;
			}
			break;
		case 'C':
			if (pp_set_compatible(optarg)) {
				fprintf(stderr, "bpftap: error: --compatible "
					"takes a version (4.1)\n");
				return -1;
			}
			break;
		case 'g':
			fprintf(stderr, "bpftap: error: -g (guru mode) is not "
				"available: BPF cannot run embedded C\n");
			return -1;
		case 'h': main_usage(stdout); exit(0);
		case 'V':
			printf("bpftap %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			main_usage(stderr);
			return -1;
		}
	}
	if (!o->script_text && !o->list_pattern) {
		if (optind >= argc) {
			fprintf(stderr, "bpftap: error: no script given\n");
			main_usage(stderr);
			return -1;
		}
		o->script_file = argv[optind++];
	}
	o->script_args = argv + optind;
	o->nscript_args = argc - optind;
	return 0;
}

/* The -p4 output path: -o, else the script's name with .bo. */
static char *main_object_path(const struct main_opts *o)
{
	const char *base = o->script_file ? o->script_file : "stdin.stp";
	const char *slash = strrchr(base, '/');
	size_t n;
	char *p;

	if (o->out_file)
		return strdup(o->out_file);
	base = slash ? slash + 1 : base;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".stp"))
		n -= 4;
	p = malloc(n + 4);
	if (p) {
		memcpy(p, base, n);
		strcpy(p + n, ".bo");
	}
	return p;
}

static int main_write_object(const struct main_opts *o,
			     const struct bt_object *obj,
			     const struct rt_pass_time *t)
{
	char use[160];
	char *path = main_object_path(o);
	void *buf = NULL;
	size_t len = 0;
	bool short_write;
	FILE *f;
	int rc = -1;

	if (!path || obj_write_elf(obj, &buf, &len)) {
		fprintf(stderr, "bpftap: error: cannot build the object: %s\n",
			strerror(errno));
		goto out;
	}
	f = rt_open_replace(path);
	if (!f)
		goto out;
	short_write = fwrite(buf, 1, len, f) != len;
	if (rt_close_replace(f) || short_write) {
		fprintf(stderr, "bpftap: error: %s: write failed\n", path);
		goto out;
	}
	printf("%s\n", path);
	if (o->rt.verbose)
		fprintf(stderr, "Pass 4: compiled BPF into \"%s\"%s.\n", path,
			rt_pass_usage(t, false, use, sizeof(use)));
	rc = 0;
out:
	free(buf);
	free(path);
	return rc;
}

/* Passes 3 to 5 on an object, compiled or read from a file. */
static int main_use_object(struct main_opts *o, const struct bt_object *obj)
{
	struct rt_pass_time t;
	char use[160];
	int rc;

	rt_pass_start(&t);
	if (o->pass == 3) {
		if (o->json)
			obj_dump_json(obj, stdout);
		else
			obj_dump(obj, stdout);
		return 0;
	}
	if (o->pass == 4) {
		if (main_write_object(o, obj, &t))
			return 1;
	}
	if (o->verify)
		return rt_verify(obj, &o->rt);
	if (o->pass == 4)
		return 0;
	if (o->rt.verbose)
		fprintf(stderr, "Pass 5: starting run.\n");
	rt_pass_start(&t);
	rc = rt_run(obj, &o->rt);
	if (o->rt.verbose)
		fprintf(stderr, "Pass 5: run completed%s.\n",
			rt_pass_usage(&t, false, use, sizeof(use)));
	return rc;
}

/* `bpftap FILE.bo`: a -p4 object, run (or dumped, or verified). */
static int main_run_object(struct main_opts *o)
{
	struct bt_object *obj;
	int rc;

	if (o->pass < 3) {
		fprintf(stderr, "bpftap: error: %s is a compiled object: -p%d "
			"needs a script\n", o->script_file, o->pass);
		return 1;
	}
	obj = rt_object_read(o->script_file);
	if (!obj)
		return 1;
	rc = main_use_object(o, obj);
	obj_free(obj);
	return rc;
}

static int main_compile_and_run(struct main_opts *o, struct bt_script *s)
{
	struct bt_object *obj;
	struct rt_pass_time t;
	int rc;

	rt_pass_start(&t);
	parse_set_args(o->script_args, o->nscript_args);
	parse_set_incdirs(o->incdirs, o->nincdirs);
	parse_set_config_reader(kconfig_read_proc);
	if (tapset_load_macros(o->incdirs, o->nincdirs))
		return 1;
	if (o->script_text)
		rc = parse_string(s, "<input>", o->script_text,
				  strlen(o->script_text));
	else
		rc = parse_file(s, o->script_file);
	if (rc)
		return 1;
	if (o->pass == 1) {
		if (o->rt.verbose)
			rt_report_pass1(s, &t);
		ast_print(s, stdout);
		return 0;
	}
	/* the library scripts are parsed in pass 1, as stap's tapsets;
	 * first the entry probes of @entry, whose points need them too */
	if (at_entry_rewrite(s) || tapset_load(s, o->incdirs, o->nincdirs))
		return 1;
	if (o->rt.verbose)
		rt_report_pass1(s, &t);
	rt_pass_start(&t);
	if (elab_script(s))
		return 1;
	if (o->rt.verbose)
		rt_report_pass2(s, &t);
	if (o->pass == 2) {
		elab_print(s, stdout);
		return 0;
	}
	rt_pass_start(&t);
	obj = cg_compile(s, &o->cg);
	if (!obj)
		return 1;
	if (o->rt.verbose)
		rt_report_pass3(obj, &t);
	rc = main_use_object(o, obj);
	obj_free(obj);
	return rc;
}

int main(int argc, char **argv)
{
	struct main_opts o = { .pass = 5 };
	struct bt_script *s;
	FILE *out = NULL;
	int rc;

	cg_default_options(&o.cg);
	o.rt.out = stdout;
	if (main_parse_args(&o, argc, argv))
		return 1;
	/* A testing hook, not documented for users: compile against the
	 * format files of another tree (the tests describe real records
	 * with fields of sizes no kernel event offers). Attaching still
	 * goes by event name to the real tracefs. */
	if (getenv("BPFTAP_TRACEFS"))
		tracefs_set_root(getenv("BPFTAP_TRACEFS"));
	if (o.script_file && !o.list_pattern &&
	    rt_check_input(o.script_file))
		return 1;
	/* before compiling: tracefs, for one, is root's too */
	if ((o.pass == 5 || o.verify) && !o.list_pattern &&
	    rt_check_privileges())
		return 1;
	if (o.pass == 5 && o.out_file) {
		out = rt_open_output(o.out_file);
		if (!out)
			return 1;
		o.rt.out = out;
	}
	s = ast_script_new();
	if (!s) {
		fprintf(stderr, "bpftap: error: out of memory\n");
		return 1;
	}
	if (o.list_pattern)
		rc = rt_list(s, o.list_pattern, o.list_vars, o.incdirs,
			     o.nincdirs, stdout);
	else if (!o.script_text && rt_is_object_file(o.script_file))
		rc = main_run_object(&o);
	else
		rc = main_compile_and_run(&o, s);
	ast_script_free(s);
	free(o.incdirs);
	diag_reset();
	if (out)
		fclose(out);
	return rc;
}
