// SPDX-License-Identifier: GPL-2.0
/*
 * -p3 --dump-format=json: what obj_dump prints, as one JSON object for
 * tools (the layout is in docs/design.md). Instructions are the same
 * verifier-syntax text as the plain dump, so the two never disagree.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "config.h"
#include "../parser/diag.h"
#include "disasm.h"
#include "object.h"

static void dj_str(FILE *out, const char *s, size_t len)
{
	size_t i;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);	/* UTF-8 passes through */
	}
	fputc('"', out);
}

static void dj_cstr(FILE *out, const char *s)
{
	dj_str(out, s, s ? strlen(s) : 0);
}

static const char *dj_type(enum bt_type t)
{
	switch (t) {
	case BT_LONG: return "long";
	case BT_STRING: return "string";
	case BT_STATS: return "stats";
	default: return "unknown";
	}
}

static void dj_loc(FILE *out, const struct bt_loc *loc)
{
	fputs("{\"file\": ", out);
	dj_cstr(out, loc->file);
	fprintf(out, ", \"line\": %d, \"col\": %d}", loc->line, loc->col);
}

static void dj_attach(FILE *out, const struct bt_attach *a)
{
	fprintf(out, "{\"type\": %d, \"priority\": %" PRId64
		", \"period_ns\": %" PRIu64 ", \"hz\": %" PRIu64
		", \"tp_system\": ", a->type, a->priority, a->period_ns, a->hz);
	dj_cstr(out, a->tp_system);
	fputs(", \"tp_event\": ", out);
	dj_cstr(out, a->tp_event);
	fputs(", \"path\": ", out);
	dj_cstr(out, a->path);
	fputs(", \"func\": ", out);
	dj_cstr(out, a->func);
	fprintf(out, ", \"pid\": %" PRId64 ", \"perf_type\": %" PRIu64
		", \"perf_config\": %" PRIu64 ", \"perf_sample\": %" PRIu64
		", \"optional\": %s}", a->pid, a->perf_type, a->perf_config,
		a->perf_sample, a->optional ? "true" : "false");
}

/* Source marks: where each run of instructions comes from. */
static void dj_lines(FILE *out, const struct bt_objprog *p)
{
	uint32_t i;

	fputs("      \"lines\": [", out);
	for (i = 0; i < p->nlines; i++) {
		const struct bt_loc *loc = &p->lines[i].loc;
		const char *text = NULL;
		size_t len = 0;

		if (loc->file)
			text = diag_source_line(loc->file, loc->line, &len);
		while (text && len && (*text == ' ' || *text == '\t')) {
			text++;
			len--;
		}
		fprintf(out, "%s\n        {\"insn\": %u, \"loc\": ",
			i ? "," : "", p->lines[i].insn);
		dj_loc(out, loc);
		fputs(", \"text\": ", out);
		dj_str(out, text, len);
		fputc('}', out);
	}
	fputs(p->nlines ? "\n      ],\n" : "],\n", out);
}

static void dj_insns(FILE *out, const struct bt_objprog *p,
		     const struct bt_object *obj)
{
	char buf[160];
	uint32_t i;
	bool first = true;

	fputs("      \"insns\": [", out);
	for (i = 0; i < p->ninsns; i++) {
		bool wide = p->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW);

		if (wide && i + 1 >= p->ninsns)
			snprintf(buf, sizeof(buf), "(18) BUG_ld_imm64 truncated");
		else
			disasm_insn(p->insns, i, p, obj, buf, sizeof(buf));
		fprintf(out, "%s\n        {\"idx\": %u, \"text\": ",
			first ? "" : ",", i);
		dj_cstr(out, buf);
		fputc('}', out);
		first = false;
		if (wide)
			i++;
	}
	fputs(p->ninsns ? "\n      ]\n" : "]\n", out);
}

static void dj_prog(FILE *out, const struct bt_objprog *p,
		    const struct bt_object *obj)
{
	const char *type = libbpf_bpf_prog_type_str(p->prog_type);

	fputs("    {\"name\": ", out);
	dj_cstr(out, p->name);
	fprintf(out, ", \"subprog\": %s, \"section\": ",
		p->subprog ? "true" : "false");
	dj_cstr(out, p->subprog ? ".text" : p->section);
	fputs(", \"prog_type\": ", out);
	dj_cstr(out, type);
	fprintf(out, ", \"ninsns\": %u,\n      \"probe\": %d, \"pp\": ",
		p->ninsns, p->probe);
	dj_cstr(out, p->attach.pp);
	fputs(", \"loc\": ", out);
	dj_loc(out, &p->loc);
	fputs(",\n      \"attach\": ", out);
	dj_attach(out, &p->attach);
	fputs(",\n", out);
	dj_lines(out, p);
	dj_insns(out, p, obj);
	fputs("    }", out);
}

static void dj_maps(FILE *out, const struct bt_object *obj)
{
	int i;

	fputs("  \"maps\": [", out);
	for (i = 0; i < obj->nmaps; i++) {
		const struct bt_objmap *m = &obj->maps[i];

		fprintf(out, "%s\n    {\"index\": %d, \"name\": ", i ? "," : "",
			i);
		dj_cstr(out, m->name);
		fputs(", \"type\": ", out);
		dj_cstr(out, libbpf_bpf_map_type_str(m->type));
		fprintf(out, ", \"key_size\": %u, \"value_size\": %u, "
			"\"max_entries\": %u, \"flags\": %u}", m->key_size,
			m->value_size, m->max_entries, m->flags);
	}
	fputs(obj->nmaps ? "\n  ],\n" : "],\n", out);
}

static void dj_formats(FILE *out, const struct bt_object *obj)
{
	int i, j;

	fputs("  \"formats\": [", out);
	for (i = 0; i < obj->nformats; i++) {
		const struct bt_format *f = &obj->formats[i];

		fprintf(out, "%s\n    {\"index\": %d, \"format\": ",
			i ? "," : "", i);
		dj_str(out, f->fmt, f->fmt ? f->len : 0);
		fputs(", \"args\": [", out);
		for (j = 0; j < f->nargs; j++)
			fprintf(out, "%s\"%s\"", j ? ", " : "",
				dj_type(f->argtypes[j]));
		fputs("]}", out);
	}
	fputs(obj->nformats ? "\n  ],\n" : "],\n", out);
}

static void dj_errors(FILE *out, const struct bt_object *obj)
{
	int i;

	fputs("  \"errors\": [", out);
	for (i = 0; i < obj->nerrors; i++) {
		fprintf(out, "%s\n    {\"index\": %d, \"message\": ",
			i ? "," : "", i);
		dj_cstr(out, obj->errors[i].msg);
		fprintf(out, ", \"dynamic\": %s}",
			obj->errors[i].dynamic ? "true" : "false");
	}
	fputs(obj->nerrors ? "\n  ],\n" : "],\n", out);
}

static void dj_global(FILE *out, const struct bt_objglobal *g)
{
	static const char *const hist[] = { "none", "log", "linear" };
	int k;

	fputs("{\"name\": ", out);
	dj_cstr(out, g->name);
	fprintf(out, ", \"type\": \"%s\", \"keys\": [", dj_type(g->type));
	for (k = 0; k < g->nkeys; k++)
		fprintf(out, "%s\"%s\"", k ? ", " : "", dj_type(g->keys[k]));
	fprintf(out, "], \"autoprint\": %s, \"data_off\": %u, \"map\": %d, "
		"\"loc\": ", g->autoprint ? "true" : "false", g->data_off,
		g->map);
	dj_loc(out, &g->loc);
	fprintf(out, ", \"hist\": {\"kind\": \"%s\", \"start\": %" PRId64
		", \"stop\": %" PRId64 ", \"interval\": %" PRId64
		", \"nbuckets\": %u}}",
		g->hist.kind <= BT_HIST_LINEAR ? hist[g->hist.kind] : "?",
		g->hist.start, g->hist.stop, g->hist.interval,
		g->hist.nbuckets);
}

void obj_dump_json(const struct bt_object *obj, FILE *out)
{
	int i, n = 0;

	fputs("{\n  \"bpftap_version\": ", out);
	dj_cstr(out, PACKAGE_VERSION);
	fputs(",\n  \"source\": ", out);
	dj_cstr(out, obj->source);
	fprintf(out, ",\n  \"strfield\": %u, \"maxstringlen\": %u, "
		"\"ncpus\": %u, \"ringbuf_map\": %d,\n  \"data_size\": %u, "
		"\"rodata_size\": %u,\n  \"programs\": [\n", obj->strfield,
		obj->maxstringlen, obj->ncpus, obj->ringbuf_map,
		obj->data_size, obj->rodata_size);
	/* Entry programs first, then subprograms, as in the text dump. */
	for (i = 0; i < obj->nprogs; i++)
		if (!obj->progs[i].subprog) {
			fputs(n++ ? ",\n" : "", out);
			dj_prog(out, &obj->progs[i], obj);
		}
	for (i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].subprog) {
			fputs(n++ ? ",\n" : "", out);
			dj_prog(out, &obj->progs[i], obj);
		}
	fputs("\n  ],\n", out);
	dj_maps(out, obj);
	dj_formats(out, obj);
	dj_errors(out, obj);
	fputs("  \"globals\": [", out);
	for (i = 0; i < obj->nglobals; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		dj_global(out, &obj->globals[i]);
	}
	fputs(obj->nglobals ? "\n  ]\n}\n" : "]\n}\n", out);
}
