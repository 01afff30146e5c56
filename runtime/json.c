// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines output (--format=json). Only the encoding lives here; what
 * is encoded is decided where the text output is (output.c, globals.c),
 * so that both formats always describe the same records.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include "runtime/json.h"
#include "runtime/hist.h"
#include "parser/diag.h"


static void json_escape_byte(FILE *out, unsigned char c)
{
	switch (c) {
	case '"':  fputs("\\\"", out); break;
	case '\\': fputs("\\\\", out); break;
	case '\n': fputs("\\n", out); break;
	case '\t': fputs("\\t", out); break;
	case '\r': fputs("\\r", out); break;
	case '\b': fputs("\\b", out); break;
	case '\f': fputs("\\f", out); break;
	default:
		if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
		break;
	}
}

void json_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *t = (const unsigned char *)s;
	size_t i = 0, n;

	fputc('"', out);
	while (i < len) {
		n = t[i] >= 0x80 ? diag_utf8_len(t, i, len) : 0;
		if (n) {
			fwrite(t + i, 1, n, out);
			i += n;
			continue;
		}
		json_escape_byte(out, t[i++]);
	}
	fputc('"', out);
}

void json_printf(FILE *out, const char *text, size_t len)
{
	fputs("{\"type\":\"printf\",\"text\":", out);
	json_string(out, text, len);
	fputs("}\n", out);
}

/*
 * Only non-empty buckets: the text form's elision of empty rows has no
 * meaning for a program, and a log histogram has 128 rows. A linear
 * histogram's underflow and overflow rows say so with "under"/"over".
 */
void json_hist(FILE *out, const char *name, const struct bt_histdesc *h,
	       const uint64_t *buckets)
{
	bool first = true;
	uint32_t i;
	int edge;

	fputs("{\"type\":\"hist\",\"name\":", out);
	json_string(out, name, strlen(name));
	fputs(",\"buckets\":[", out);
	for (i = 0; i < h->nbuckets; i++) {
		int64_t v = hist_bucket_value(h, (int)i, &edge);

		if (!buckets[i])
			continue;
		fprintf(out, "%s{\"value\":%" PRId64 ",\"count\":%" PRIu64 "%s}",
			first ? "" : ",", v, buckets[i],
			edge < 0 ? ",\"under\":true" :
			edge > 0 ? ",\"over\":true" : "");
		first = false;
	}
	fputs("]}\n", out);
}
