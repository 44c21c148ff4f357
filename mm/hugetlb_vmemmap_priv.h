/*
 * HVO's building blocks (hugetlb_vmemmap.c), shared with the flush
 * strategies that sequence them (hugetlb_vmemmap_flush.c).
 */
#ifndef MM_HUGETLB_VMEMMAP_PRIV_H
#define MM_HUGETLB_VMEMMAP_PRIV_H

#include <stdint.h>
#include "mm/list.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page.h"

#define NR_HVO_ORDERS 2
/*
 * A flush request lists at most this many pages (2048 x 2 MiB pages remap
 * 14336); more means a full flush whatever the ceiling says.
 */
#define HVO_MAX_LISTED_VAS 16384

struct hvo_flush_ops;

/* The work one batch accumulates between flushes. */
struct hvo_work {
	struct list_head old_frames; /* vmemmap frames to free after the flush */
	unsigned long nr_old;
	uintptr_t vas[HVO_MAX_LISTED_VAS]; /* pages whose PTE changed, for the flush */
	unsigned long nr_vas;		   /* may exceed HVO_MAX_LISTED_VAS: then only counted */
	unsigned long splits;		   /* PMDs split in this batch */
	const struct hvo_flush_ops *ops;   /* the batch's flush strategy */
};

uint64_t hvo_shared_tail_page(unsigned int order);
void hvo_prep_compound_full(struct page *head, unsigned int order);
void hvo_prep_compound_head_page(struct page *head, unsigned int order);
void hvo_vmemmap_range(struct page *head, unsigned int order, uintptr_t *start, uintptr_t *end);
int hvo_split(uintptr_t start, uintptr_t end);
bool hvo_is_split(uintptr_t start, uintptr_t end);
void hvo_remap_tails(uintptr_t start, uintptr_t end, uint64_t tail_pa, struct hvo_work *w);
void hvo_restore_tails(uintptr_t start, uintptr_t end, uint64_t tail_pa, bool dissolve,
		       struct list_head *frames, struct hvo_work *w);
void hvo_dissolve_head_page(struct page *head);
void hvo_free_old_frames(struct hvo_work *w);
int hvo_alloc_frames(unsigned long nr, struct list_head *frames);
void hvo_free_frame_list(struct list_head *frames);
void hvo_work_note_va(struct hvo_work *w, uintptr_t va);

#endif
