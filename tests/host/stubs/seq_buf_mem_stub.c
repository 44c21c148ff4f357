/* Host seq_buf_alloc/free (kernel/pseudofs.h): malloc, counted, failing on request. */
#include <stdlib.h>

#include "seq_buf_mem_stub.h"
#include "kernel/pseudofs.h"

int host_seq_buf_live;		/* buffers allocated and not yet freed */
size_t host_seq_buf_biggest;	/* largest size asked for */
size_t host_seq_buf_fail_above; /* allocations bigger than this fail; 0: none fail */

void *seq_buf_alloc(size_t size)
{
	void *p;

	if (size > host_seq_buf_biggest)
		host_seq_buf_biggest = size;
	if (host_seq_buf_fail_above && size > host_seq_buf_fail_above)
		return NULL;
	p = malloc(size);
	if (p)
		host_seq_buf_live++;
	return p;
}

void seq_buf_free(void *buf, size_t size)
{
	host_seq_buf_live--;
	free(buf);
}
