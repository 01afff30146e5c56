// SPDX-License-Identifier: GPL-2.0
/*
 * Code generation driver: lays out .data and the maps, then compiles one
 * program per probe point: the body first, then the prologue it turned out
 * to need (exit-flag check, scratch lookup, zeroed locals), prepended.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cg.h"
#include "cg_str.h"
#include <bpf/libbpf.h>
#include "../parser/diag.h"

#define CG_RINGBUF_SIZE (4u << 20)

void cg_default_options(struct cg_options *o)
{
	o->maxstringlen = 128;
	o->maxmapentries = 2048;
	o->maxaction = 1000;
}

void cg_error(struct cg *c, const struct bt_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(loc, fmt, ap);
	va_end(ap);
	c->errors++;
}

/* Grow an array of the object by one element; NULL when out of memory. */
static void *cg_grow(void **arr, int *n, size_t size)
{
	char *p = realloc(*arr, (*n + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

int cg_add_error(struct cg *c, const char *msg, bool dynamic)
{
	struct bt_objerror *e = cg_grow((void **)&c->obj->errors,
					&c->obj->nerrors, sizeof(*e));

	if (!e || !(e->msg = strdup(msg))) {
		c->b.oom = true;
		return 0;
	}
	e->dynamic = dynamic;
	return c->obj->nerrors - 1;
}

int cg_add_format(struct cg *c, const char *fmt, size_t len,
		  const enum bt_type *types, int nargs)
{
	struct bt_object *o = c->obj;
	struct bt_format *f;

	/* identical formats share one entry */
	for (int i = 0; i < o->nformats; i++) {
		f = &o->formats[i];
		if (f->len == len && f->nargs == nargs &&
		    !memcmp(f->fmt, fmt, len) &&
		    (!nargs || !memcmp(f->argtypes, types,
				       nargs * sizeof(*types))))
			return i;
	}
	f = cg_grow((void **)&o->formats, &o->nformats, sizeof(*f));
	if (!f)
		goto oom;
	f->fmt = malloc(len + 1);
	f->argtypes = malloc((nargs ? nargs : 1) * sizeof(*types));
	if (!f->fmt || !f->argtypes)
		goto oom;
	memcpy(f->fmt, fmt, len);
	f->fmt[len] = 0;
	f->len = len;
	f->nargs = nargs;
	if (nargs)
		memcpy(f->argtypes, types, nargs * sizeof(*types));
	return o->nformats - 1;
oom:
	c->b.oom = true;
	return -1;
}

const struct cg_global *cg_global_of(struct cg *c, const struct bt_sym *s)
{
	for (int i = 0; i < c->nglobals; i++)
		if (c->globals[i].sym == s)
			return &c->globals[i];
	cg_error(c, &s->loc, "global '%s' has no storage", s->name);
	return NULL;
}

int cg_add_map(struct cg *c, const char *name, uint32_t type,
		      uint32_t key, uint32_t value, uint32_t entries)
{
	struct bt_objmap *m = cg_grow((void **)&c->obj->maps, &c->obj->nmaps,
				      sizeof(*m));

	if (!m || !(m->name = strdup(name))) {
		c->b.oom = true;
		return 0;
	}
	m->type = type;
	m->key_size = key;
	m->value_size = value;
	m->max_entries = entries;
	return c->obj->nmaps - 1;
}

struct cg_ptype {
	enum bt_probe_type type;
	const char *section;
	uint32_t prog_type;
	bool checks_exit;	/* skipped once exit() was called */
};

/* How each kind of probe point is compiled (attaching is the runtime's). */
static const struct cg_ptype cg_ptypes[] = {
	{ PT_BEGIN, "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, true },
	{ PT_END, "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, false },
	{ PT_ERROR, "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, false },
	{ PT_TIMER, "perf_event", BPF_PROG_TYPE_PERF_EVENT, true },
	{ PT_TIMER_PROFILE, "perf_event", BPF_PROG_TYPE_PERF_EVENT, true },
	{ PT_TRACEPOINT, NULL, BPF_PROG_TYPE_TRACEPOINT, true },
	{ PT_RAW_TRACEPOINT, NULL, BPF_PROG_TYPE_RAW_TRACEPOINT, true },
	{ PT_PERF, "perf_event", BPF_PROG_TYPE_PERF_EVENT, true },
	/* the runtime attaches uprobes itself (the offset, the pid):
	 * libbpf takes a bare "uprobe" for manual attachment */
	{ PT_UPROBE, "uprobe", BPF_PROG_TYPE_KPROBE, true },
	{ PT_URETPROBE, "uretprobe", BPF_PROG_TYPE_KPROBE, true },
	{ PT_KPROBE, NULL, BPF_PROG_TYPE_KPROBE, true },
	{ PT_KRETPROBE, NULL, BPF_PROG_TYPE_KPROBE, true },
};

static const struct cg_ptype *cg_ptype_of(enum bt_probe_type t)
{
	for (size_t i = 0; i < sizeof(cg_ptypes) / sizeof(*cg_ptypes); i++)
		if (cg_ptypes[i].type == t)
			return &cg_ptypes[i];
	return NULL;
}

static bool cg_is_probe_local(const struct bt_probe *p, const struct bt_sym *s)
{
	for (const struct bt_sym *l = p->locals; l; l = l->next)
		if (l == s)
			return true;
	return false;
}

/*
 * Look up this CPU's scratch value and keep the pointer at r10-8. Returns
 * the index of the NULL-check jump, for the caller to aim at its exit.
 */
uint32_t cg_scratch_lookup(struct cg *c)
{
	uint32_t j;

	if (c->map_scratch < 0)
		c->map_scratch = cg_add_map(c, "bpftap_scratch",
					    BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1);
	emit(&c->b, insn_st(BPF_W, BPF_REG_10, CG_FP_SCRATCH, 0));
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, CG_FP_SCRATCH));
	emit_ld_map(&c->b, BPF_REG_1, c->map_scratch, 0);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
	j = c->b.n;
	emit(&c->b, (struct bpf_insn){ .code = BPF_JMP | BPF_JEQ | BPF_K,
				       .dst_reg = BPF_REG_0 });
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_0, CG_FP_SCRATCH));
	return j;
}

bool cg_ctx_addr(struct cg *c, int reg)
{
	c->uses_ctx = true;
	if (!c->cb_depth) {
		emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_FP_CTX));
		return true;
	}
	if (c->ctx_off < 0)
		c->ctx_off = cg_scratch_alloc(c, 8);
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_ldx(BPF_DW, reg, reg, c->ctx_off));
	return false;
}

/* The prologue; jumps to `exit` are recorded for patching in *jumps. */
static void cg_prologue(struct cg *c, struct emit_buf *p,
			const struct cg_ptype *pt, uint32_t *jumps, int *nj)
{
	struct emit_buf body = c->b;

	c->b = *p;
	emit_line(&c->b, &c->probe->loc);
	if (c->uses_ctx)
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_1, CG_FP_CTX));
	if (pt->checks_exit) {
		emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_EXIT_OFF);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
		jumps[(*nj)++] = c->b.n;
		emit(&c->b, (struct bpf_insn){ .code = BPF_JMP | BPF_JNE |
					       BPF_K, .dst_reg = BPF_REG_1 });
	}
	if (c->scratch_used)
		jumps[(*nj)++] = cg_scratch_lookup(c);
	for (int i = 0; i < c->nlocals; i++)
		if (cg_is_probe_local(c->probe, c->locals[i].sym))
			cg_local_zero(c, &c->locals[i], BPF_REG_1);
	if (c->unwind_off >= 0 || c->action_off >= 0 || c->ctx_off >= 0)
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
				     CG_FP_SCRATCH));
	if (c->ctx_off >= 0) {
		/* for callbacks: the verifier lets a privileged program
		 * store a pointer in a map value, as a plain number */
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_10, CG_FP_CTX));
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, c->ctx_off));
	}
	if (c->unwind_off >= 0)
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, c->unwind_off, 0));
	if (c->action_off >= 0) {
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, c->action_off, 0));
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_ACTION, 0));
	}
	*p = c->b;
	c->b = body;
}

/* An error inside try: the catch variable gets the message, then the
 * catch block runs. */
static void cg_error_catch(struct cg *c, struct cg_errpath *st)
{
	const struct cg_local *l;
	size_t n;

	if (st->catch_var && st->text && (l = cg_local_of(c, st->catch_var))) {
		n = strlen(st->text);
		if (n > c->opt->maxstringlen - 1)
			n = c->opt->maxstringlen - 1;
		cg_scratch_ptr(c, BPF_REG_1, l->off);
		cg_str_store_bytes(c, BPF_REG_1, 0, st->text, n);
	}
	free(st->text);
	st->text = NULL;
	if (st->catch_label == CG_CATCH_OUTER)
		cg_unwind_to_catch(c);
	else
		emit_ja(&c->b, st->catch_label);
}

/* Error errpaths after the exit: report, leave. The runtime counts the
 * errors and raises the exit flag past MAXERRORS. */
void cg_error_paths(struct cg *c)
{
	for (int i = 0; i < c->nerrpaths; i++) {
		struct cg_errpath *st = &c->errpaths[i];
		int skip = emit_new_label(&c->b);

		emit_place_label(&c->b, st->label);
		if (st->catch_label != -1) {
			cg_error_catch(c, st);
			continue;
		}
		c->depth = 0;
		cg_record_begin(c, REC_ERROR, c->errpaths[i].error,
				sizeof(struct bt_rec_hdr), 0, skip);
		cg_record_end(c, 0);
		emit_place_label(&c->b, skip);
		emit_ja(&c->b, c->exit_label);
	}
}

/* emit_optimize on the program's own arrays (it only shrinks them). */
static void cg_optimize(struct bt_objprog *prog)
{
	struct emit_buf b = {
		.insns = prog->insns, .n = prog->ninsns, .cap = prog->ninsns,
		.relocs = prog->relocs, .nrelocs = prog->nrelocs,
		.relocs_cap = prog->nrelocs, .lines = prog->lines,
		.nlines = prog->nlines, .lines_cap = prog->nlines,
	};

	emit_optimize(&b);
	prog->ninsns = b.n;
	prog->nrelocs = b.nrelocs;
	prog->nlines = b.nlines;
}

/* Glue prologue and body into the program's arrays, and clean up. */
bool cg_link(struct cg *c, struct emit_buf *p, uint32_t *jumps,
		    int nj, struct bt_objprog *prog)
{
	struct emit_buf *b = &c->b;
	uint32_t n = p->n + b->n, exit_at = p->n + b->labels[c->exit_label];

	for (int i = 0; i < nj; i++)
		p->insns[jumps[i]].off = exit_at - jumps[i] - 1;
	prog->insns = malloc(n * sizeof(*prog->insns));
	prog->relocs = malloc((p->nrelocs + b->nrelocs + 1) *
			      sizeof(*prog->relocs));
	prog->lines = malloc((p->nlines + b->nlines + 1) *
			     sizeof(*prog->lines));
	if (!prog->insns || !prog->relocs || !prog->lines)
		return false;
	if (p->n)
		memcpy(prog->insns, p->insns, p->n * sizeof(*p->insns));
	if (b->n)
		memcpy(prog->insns + p->n, b->insns, b->n * sizeof(*b->insns));
	prog->ninsns = n;
	for (uint32_t i = 0; i < p->nrelocs; i++)
		prog->relocs[prog->nrelocs++] = p->relocs[i];
	for (uint32_t i = 0; i < b->nrelocs; i++) {
		prog->relocs[prog->nrelocs] = b->relocs[i];
		prog->relocs[prog->nrelocs++].insn += p->n;
	}
	for (uint32_t i = 0; i < p->nlines; i++)
		prog->lines[prog->nlines++] = p->lines[i];
	for (uint32_t i = 0; i < b->nlines; i++) {
		prog->lines[prog->nlines] = b->lines[i];
		prog->lines[prog->nlines++].insn += p->n;
	}
	cg_optimize(prog);
	return true;
}

static char *cg_point_text(const struct bt_point *pt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	ast_print_point(pt, f);
	fclose(f);
	return text;
}

static bool cg_attach_info(const struct bt_point *pt, struct bt_attach *a)
{
	a->type = pt->type;
	a->priority = pt->priority;
	a->period_ns = pt->period_ns;
	a->hz = pt->hz;
	a->optional = pt->optional;
	a->pid = pt->target_pid;
	a->perf_type = pt->perf_type;
	a->perf_config = pt->perf_config;
	a->perf_sample = pt->perf_sample;
	a->pp = cg_point_text(pt);
	if (pt->tp_system && !(a->tp_system = strdup(pt->tp_system)))
		return false;
	if (pt->tp_event && !(a->tp_event = strdup(pt->tp_event)))
		return false;
	if (pt->target_path && !(a->path = strdup(pt->target_path)))
		return false;
	if (pt->func_name && !(a->func = strdup(pt->func_name)))
		return false;
	return a->pp != NULL;
}

static char *cg_section(const struct cg_ptype *pt, const struct bt_point *p)
{
	char *s;

	if (pt->section)
		return strdup(pt->section);
	if (p->type == PT_KPROBE || p->type == PT_KRETPROBE)
		return asprintf(&s, "%s/%s", p->type == PT_KPROBE ? "kprobe" :
				"kretprobe", p->func_name) < 0 ? NULL : s;
	if (p->type == PT_RAW_TRACEPOINT)
		return asprintf(&s, "raw_tp/%s", p->tp_event ? p->tp_event :
				"") < 0 ? NULL : s;
	if (asprintf(&s, "tracepoint/%s/%s", p->tp_system ? p->tp_system : "",
		     p->tp_event ? p->tp_event : "") < 0)
		return NULL;
	return s;
}

static void cg_reset_program(struct cg *c)
{
	emit_release(&c->b);
	emit_init(&c->b);
	c->depth = 0;
	c->nlocals = 0;
	c->nstack_locals = 0;
	c->scratch_used = 0;
	c->uses_ctx = false;
	c->nloops = 0;
	c->ninl = 0;
	c->nerrpaths = 0;
	c->ntries = 0;
	c->try_base = 0;
	c->key_scratch = -1;
	c->unwind_off = -1;
	c->action_off = -1;
	c->ctx_off = -1;
	/* callbacks are named per probe: the programs of its points
	 * (probeN_0, probeN_1) each have theirs, and names must not repeat
	 * in the object's symbol table */
	if (c->point == c->probe->points)
		c->ncallbacks = 0;
	c->all_scratch = cg_probe_iterates(c->script, c->probe);
}

static bool cg_program(struct cg *c, const struct bt_probe *probe,
		       const struct bt_point *point, int idx)
{
	const struct cg_ptype *pt = cg_ptype_of(point->type);
	struct bt_objprog *prog;
	struct emit_buf p;
	uint32_t jumps[4];
	int nj = 0;
	bool ok;

	if (!pt) {
		cg_error(c, &point->loc, "this kind of probe point is not "
			 "supported yet");
		return true;
	}
	prog = cg_grow((void **)&c->obj->progs, &c->obj->nprogs,
		       sizeof(*prog));
	if (!prog)
		return false;
	c->probe = probe;
	c->point = point;
	cg_reset_program(c);
	c->exit_label = emit_new_label(&c->b);
	cg_stmt(c, probe->body);
	emit_place_label(&c->b, c->exit_label);
	emit(&c->b, insn_alu64_imm(BPF_MOV, BPF_REG_0, 0));
	emit(&c->b, insn_exit());
	cg_error_paths(c);
	if (emit_resolve(&c->b) || emit_dce(&c->b)) {
		cg_error(c, &probe->loc, "probe too large to compile "
			 "(jump out of range)");
		return true;
	}
	if (c->scratch_used > CG_MAX_SCRATCH) {
		cg_error(c, &probe->loc, "probe too large: %u bytes of per-CPU "
			 "scratch space needed, the kernel allows %u",
			 c->scratch_used, CG_MAX_SCRATCH);
		return true;
	}
	emit_init(&p);
	cg_prologue(c, &p, pt, jumps, &nj);
	if (c->map_scratch >= 0 &&
	    c->scratch_used > c->obj->maps[c->map_scratch].value_size)
		c->obj->maps[c->map_scratch].value_size = c->scratch_used;
	ok = !p.oom && cg_link(c, &p, jumps, nj, prog);
	emit_release(&p);
	if (!ok)
		return false;
	prog->probe = probe->index;
	prog->loc = point->loc;
	prog->prog_type = pt->prog_type;
	prog->section = cg_section(pt, point);
	if (asprintf(&prog->name, "probe%d_%d", probe->index, idx) < 0)
		prog->name = NULL;
	return prog->section && prog->name &&
	       cg_attach_info(point, &prog->attach);
}

static bool cg_programs(struct cg *c)
{
	for (const struct bt_probe *p = c->script->probes; p; p = p->next) {
		int idx = 0;

		if (p->alias_names)
			continue;
		for (const struct bt_point *pt = p->points; pt; pt = pt->next)
			if (pt->type != PT_NEVER && !cg_program(c, p, pt, idx++))
				return false;
	}
	return true;
}

struct bt_object *cg_compile(const struct bt_script *s,
			     const struct cg_options *o)
{
	struct cg c = { .script = s, .opt = o, .map_scratch = -1 };
	bool ok;

	c.obj = calloc(1, sizeof(*c.obj));
	if (!c.obj)
		return NULL;
	c.strfield = (o->maxstringlen + 7) & ~7u;
	if (c.strfield < 16)
		c.strfield = 16;
	c.obj->strfield = c.strfield;
	c.obj->maxstringlen = o->maxstringlen;
	c.obj->source = s->main_file ? strdup(s->main_file) : NULL;
	c.ncpus = libbpf_num_possible_cpus() > CG_MIN_CPUS ?
		  libbpf_num_possible_cpus() : CG_MIN_CPUS;
	c.obj->ncpus = c.ncpus;
	c.map_ringbuf = cg_add_map(&c, "bpftap_ringbuf", BPF_MAP_TYPE_RINGBUF,
				   0, 0, CG_RINGBUF_SIZE);
	c.obj->ringbuf_map = c.map_ringbuf;
	ok = cg_layout(&c) && cg_programs(&c);
	/* always: obj_free then owns the callbacks too */
	ok = cg_subprogs_append(&c) && ok && !c.b.oom;
	emit_release(&c.b);
	free(c.locals);
	free(c.errpaths);
	free(c.globals);
	free(c.subs);
	if (!ok)
		fprintf(stderr, "bpftap: error: out of memory\n");
	if (!ok || c.errors) {
		obj_free(c.obj);
		return NULL;
	}
	return c.obj;
}
