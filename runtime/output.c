// SPDX-License-Identifier: GPL-2.0
/*
 * The output ring: every record is a bt_rec_hdr and a payload (object.h).
 * One ring serves all CPUs, so record order is the order in which probes
 * reserved them, and printing in that order is all that ordering takes.
 * Records come from the kernel and are checked like input: a short one is
 * reported as a bug and skipped, never read past its end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"
#include "runtime/hist.h"
#include "runtime/json.h"

#define RT_BATCH_US	1000	/* see rt_output_poll */
#define RT_BUSY_MS	5

/* Once: the reader went away (a closed pipe) or the disk is full. */
static void rt_output_failed(struct rt_session *s)
{
	if (!s->out_failed)
		rt_error("cannot write the output: %s", strerror(errno));
	s->out_failed = true;
}

/*
 * A string field of the record at p (avail bytes left). The text is used
 * in place when it ends inside the field; otherwise it is copied, cut at
 * the field's end, into scratch slot i.
 */
static const char *rt_rec_string(struct rt_session *s, const char *p,
				 size_t field, int i)
{
	size_t n = strnlen(p, field);
	char *copy;

	if (n < field)
		return p;
	copy = s->strs + (size_t)i * (field + 1);
	memcpy(copy, p, n);
	copy[n] = 0;
	return copy;
}

/* --format=json: the record's text, formatted first, as one object. */
static void rt_rec_printf_json(struct rt_session *s, const struct bt_format *f,
			       const struct fmt_arg *args)
{
	struct fmt_buf b = { 0 };

	if (fmt_sprint(&b, f->fmt, f->len, args, f->nargs) < 0) {
		rt_error("out of memory");
	} else {
		json_printf(s->opt->out, b.p ? b.p : "", b.len);
		if (ferror(s->opt->out))
			rt_output_failed(s);
	}
	fmt_buf_free(&b);
}

static void rt_rec_printf(struct rt_session *s, uint32_t id, const char *p,
			  size_t size)
{
	const struct bt_format *f;
	size_t field = s->obj->strfield, need = 0;
	int i;

	if (id >= (uint32_t)s->obj->nformats) {
		rt_bug(s, "printf record names format %u of %d", id,
		       s->obj->nformats);
		return;
	}
	f = &s->obj->formats[id];
	for (i = 0; i < f->nargs; i++)
		need += f->argtypes[i] == BT_STRING ? field : sizeof(int64_t);
	if (size < need) {
		rt_bug(s, "printf record for format %u has %zu bytes, needs "
		       "%zu", id, size, need);
		return;
	}
	for (i = 0; i < f->nargs; i++) {
		struct fmt_arg *a = &s->args[i];

		a->type = f->argtypes[i];
		if (a->type == BT_STRING) {
			a->s = rt_rec_string(s, p, field, i);
			p += field;
		} else {
			memcpy(&a->l, p, sizeof(a->l));
			p += sizeof(a->l);
		}
	}
	if (s->opt->json)
		rt_rec_printf_json(s, f, s->args);
	else if (fmt_print(s->opt->out, f->fmt, f->len, s->args, f->nargs) < 0)
		rt_output_failed(s);
}

static void rt_rec_error(struct rt_session *s, uint32_t id, const char *p,
			 size_t size)
{
	const struct bt_objerror *e;
	const char *text = "";

	if (id >= (uint32_t)s->obj->nerrors) {
		rt_bug(s, "error record names error %u of %d", id,
		       s->obj->nerrors);
		return;
	}
	/*
	 * Past MAXERRORS the session is stopping: what probes already in
	 * flight report is dropped, as stap skips probes once it exits.
	 * end and error probes still report theirs.
	 */
	if (s->nerrors > s->opt->maxerrors && !s->final_probes)
		return;
	e = &s->obj->errors[id];
	if (e->dynamic) {
		if (size < s->obj->strfield) {
			rt_bug(s, "error record %u has %zu bytes, needs %u",
			       id, size, s->obj->strfield);
			return;
		}
		text = rt_rec_string(s, p, s->obj->strfield, 0);
	}
	/* Whatever the script printed before the error shows first. */
	fflush(s->opt->out);
	fprintf(stderr, "ERROR: %s%s\n", text, e->msg ? e->msg : "");
	/* The kernel side only reports; stopping is decided here. */
	if (++s->nerrors > s->opt->maxerrors && !s->final_probes)
		rt_exit_flag_set(s);
}

/* warn(msg): on stderr, after what the script printed before it; stap
 * adds the newline only when the message has none. */
static void rt_rec_warn(struct rt_session *s, const char *p, size_t size)
{
	const char *text;
	size_t n;

	if (size < s->obj->strfield) {
		rt_bug(s, "warning record has %zu bytes, needs %u", size,
		       s->obj->strfield);
		return;
	}
	text = rt_rec_string(s, p, s->obj->strfield, 0);
	n = strlen(text);
	fflush(s->opt->out);
	fprintf(stderr, "WARNING: %s%s", text,
		n && text[n - 1] == '\n' ? "" : "\n");
}

/*
 * print(@hist_*(x)): the program summed the CPUs' buckets of global id.
 * Samples in the ring are 8-byte aligned, so the counters are read in
 * place.
 */
static void rt_rec_hist(struct rt_session *s, uint32_t id, const char *p,
			size_t size)
{
	const struct bt_objglobal *g;
	size_t need;

	if (id >= (uint32_t)s->obj->nglobals) {
		rt_bug(s, "histogram record names global %u of %d", id,
		       s->obj->nglobals);
		return;
	}
	g = &s->obj->globals[id];
	if (g->hist.kind == BT_HIST_NONE || !g->hist.nbuckets) {
		rt_bug(s, "histogram record for %s, which has no histogram",
		       g->name);
		return;
	}
	need = (size_t)g->hist.nbuckets * sizeof(uint64_t);
	if (size < need) {
		rt_bug(s, "histogram record for %s has %zu bytes, needs %zu",
		       g->name, size, need);
		return;
	}
	if (s->opt->json) {
		json_hist(s->opt->out, g->name, &g->hist, (const uint64_t *)p);
		if (ferror(s->opt->out))
			rt_output_failed(s);
	} else if (hist_print(s->opt->out, &g->hist, (const uint64_t *)p)) {
		rt_output_failed(s);
	}
}

static int rt_rec(void *ctx, void *data, size_t size)
{
	struct rt_session *s = ctx;
	struct bt_rec_hdr h;
	const char *payload = (const char *)data + sizeof(h);

	if (size < sizeof(h)) {
		rt_bug(s, "output record of %zu bytes", size);
		return 0;
	}
	memcpy(&h, data, sizeof(h));
	size -= sizeof(h);
	switch (h.kind) {
	case REC_PRINTF:
		rt_rec_printf(s, h.id, payload, size);
		break;
	case REC_EXIT:
		s->exit_seen = true;
		break;
	case REC_ERROR:
		rt_rec_error(s, h.id, payload, size);
		break;
	case REC_HIST:
		rt_rec_hist(s, h.id, payload, size);
		break;
	case REC_WARN:
		rt_rec_warn(s, payload, size);
		break;
	default:
		rt_bug(s, "output record of unknown kind %u", h.kind);
		break;
	}
	return 0;
}

int rt_output_init(struct rt_session *s)
{
	const struct bt_object *obj = s->obj;
	struct bpf_map *m;
	int i;

	for (i = 0; i < obj->nformats; i++)
		if (obj->formats[i].nargs > s->maxargs)
			s->maxargs = obj->formats[i].nargs;
	s->args = calloc(s->maxargs + 1, sizeof(*s->args));
	s->strs = calloc(s->maxargs + 1, (size_t)obj->strfield + 1);
	if (!s->args || !s->strs) {
		rt_error("out of memory");
		return -1;
	}
	if (obj->ringbuf_map < 0 || obj->ringbuf_map >= obj->nmaps)
		return 0;	/* a script that never prints */
	m = bpf_object__find_map_by_name(s->bobj,
					 obj->maps[obj->ringbuf_map].name);
	if (!m) {
		rt_error("the output map %s is missing from the object",
			 obj->maps[obj->ringbuf_map].name);
		return -1;
	}
	s->rb = ring_buffer__new(bpf_map__fd(m), rt_rec, s, NULL);
	if (!s->rb) {
		rt_error("cannot open the output ring: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Wait up to timeout_ms for records and print them. Returns the number
 * handled, or a negative errno (-EINTR when a signal came).
 *
 * Wakeups are batched. Probes submit with the kernel's default policy,
 * which wakes the reader only for a record submitted while the reader
 * had read everything before it: a lone event is printed at once. But a
 * reader that drains each record as it comes makes every record of a
 * stream such a record, and each wakeup costs the probe about a
 * microsecond (an interrupt raised in its context). So when records
 * come often (a poll found several, or the last records came less than
 * RT_BUSY_MS ago), the reader waits RT_BATCH_US before the next poll:
 * records pile up meanwhile and only the first of each batch wakes
 * anyone. Output is then at most that late; a record after a quiet spell
 * is printed at once; a signal cuts the wait short.
 */
int rt_output_poll(struct rt_session *s, int timeout_ms)
{
	struct timespec batch = { 0, RT_BATCH_US * 1000L }, now;
	int64_t t;
	int n;

	if (!s->rb) {
		struct timespec ts = { 0, timeout_ms * 1000000L };

		return nanosleep(&ts, NULL) ? -errno : 0;
	}
	n = ring_buffer__poll(s->rb, timeout_ms);
	if (fflush(s->opt->out))
		rt_output_failed(s);
	if (n <= 0)
		return n;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t = now.tv_sec * 1000000000LL + now.tv_nsec;
	if ((n > 1 || t - s->last_records_ns < RT_BUSY_MS * 1000000LL) &&
	    nanosleep(&batch, NULL)) {
		s->last_records_ns = t;
		return -errno;
	}
	s->last_records_ns = t;
	return n;
}

/* Print every record already in the ring, without waiting. */
int rt_output_drain(struct rt_session *s)
{
	int n = 0;

	if (s->rb)
		n = ring_buffer__consume(s->rb);
	if (fflush(s->opt->out))
		rt_output_failed(s);
	return n;
}

void rt_output_free(struct rt_session *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
	free(s->args);
	s->args = NULL;
	free(s->strs);
	s->strs = NULL;
}
