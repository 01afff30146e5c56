/* SPDX-License-Identifier: GPL-2.0 */
/*
 * POSIX extended regular expressions compiled to a DFA over bytes, for
 * `=~` and `!~`: the kernel only walks a table, one byte per step.
 *
 * The string is NUL-terminated and holds no NUL, so byte 0 of the table
 * stands for the end of the string: the transition on 0 is where `$`
 * is decided. A walk feeds every byte of the string, then the 0.
 */
#ifndef BPFTAP_REGEX_H
#define BPFTAP_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RX_MAX_STATES	256	/* states of the minimal DFA (u8 entries) */

enum rx_mode {
	/* search like regexec: a match anywhere; the accepting state is
	 * absorbing, so the walk may stop as soon as it is reached */
	RX_SEARCH,
	/* anchored at the walk's start; accepting states say "a match ends
	 * here", for leftmost-longest spans (matched(0)) */
	RX_ANCHORED,
};

struct rx_dfa {
	int nstates;
	uint8_t *trans;		/* nstates * 256 */
	uint8_t *accept;	/* nstates: 1 when accepting */
	int start;		/* the state at the string's start */
	int start_mid;		/* RX_ANCHORED: at a later start (no ^) */
	int dead;		/* no match can follow, or -1 */
};

/*
 * Compile pattern to d; 0 on success, else -1 with a message in err
 * (unsupported syntax, too many states).
 */
int rx_compile(const char *pattern, enum rx_mode mode, struct rx_dfa *d,
	       char *err, size_t errlen);
void rx_free(struct rx_dfa *d);

/* The walks the generated code performs, for tests. */
bool rx_search(const struct rx_dfa *d, const char *s);
/* RX_ANCHORED: the leftmost-longest match of s; false if none. */
bool rx_span(const struct rx_dfa *d, const char *s, size_t *so, size_t *eo);

#endif
