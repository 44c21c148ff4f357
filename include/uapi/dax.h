/*
 * The pin ioctls of /dev/daxR.N: flushlab's own (Linux's device-dax has no
 * ioctls), modelled on pin_user_pages_fast()/unpin_user_pages() so that a
 * user program (user/pin_bench.c) can time what pinning device memory
 * costs per 4 KiB page and per compound page. Their one home, shared by
 * the kernel (mm/devdax_pin.c) and user/.
 */
#ifndef UAPI_DAX_H
#define UAPI_DAX_H

#include <stdint.h>

/*
 * How a pin takes its references (both end with the same refcounts):
 * DAX_PIN_PAGE: one refcount write per 4 KiB page, each on the head of the
 *   compound page it belongs to (Linux before 5.13: try_grab_compound_head
 *   once per subpage). A tail's struct page is never written.
 * DAX_PIN_HEAD: one refcount write per compound page, adding the number of
 *   its 4 KiB pages in the range (Linux 5.13+ folio_ref_add on the head).
 */
#define DAX_PIN_PAGE 0
#define DAX_PIN_HEAD 1

struct dax_pin {
	uint64_t addr;	   /* in: user address, page-aligned, inside one mapping of this device */
	uint64_t len;	   /* in: bytes, page multiple, > 0 */
	uint32_t mode;	   /* in: DAX_PIN_PAGE or DAX_PIN_HEAD (unpin: ignored) */
	uint32_t handle;   /* out of PIN, in to UNPIN */
	uint64_t nr_pages; /* out: 4 KiB pages pinned or unpinned */
	uint64_t refcount_writes; /* out: struct page refcount writes it made */
};

/* Linux's _IOWR('D', nr, struct dax_pin) encoding (size 40). */
#define DAX_IOC_PIN 0xc0284401UL
#define DAX_IOC_UNPIN 0xc0284402UL

#endif
