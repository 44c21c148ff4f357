/* Host stand-in for mm/seq_buf_mem.c: counters a test can check. */
#ifndef TESTS_HOST_STUBS_SEQ_BUF_MEM_STUB_H
#define TESTS_HOST_STUBS_SEQ_BUF_MEM_STUB_H

#include <stddef.h>

extern int host_seq_buf_live;
extern size_t host_seq_buf_biggest;
extern size_t host_seq_buf_fail_above;

#endif
