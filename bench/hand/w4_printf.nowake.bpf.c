// SPDX-License-Identifier: GPL-2.0
/* W4 without a wakeup per record: the loader (-p) drains every 1 ms. */
#define W4_SUBMIT_FLAGS BPF_RB_NO_WAKEUP
#include "w4_printf.bpf.c"
