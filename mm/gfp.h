/*
 * gfp_t: how a page allocation is made (zeroed, compound, allowed to fail)
 * and for whom. The low bits carry the page's purpose so the allocator can
 * account every frame by who owns it (kernel image, page tables, vmemmap...).
 */
#ifndef MM_GFP_H
#define MM_GFP_H

/* Who owns a frame. Allocated and boot-reserved frames are counted per purpose. */
enum page_purpose {
	PURPOSE_KERNEL_IMAGE,
	PURPOSE_PAGE_TABLE,
	PURPOSE_VMEMMAP,
	PURPOSE_BOOT_DATA,
	PURPOSE_HUGETLB,
	PURPOSE_OTHER,
	PURPOSE_ANON,  /* anonymous pages of user address spaces */
	PURPOSE_TRACE, /* the trace ring buffers (trace/trace_ring.c) */
	PURPOSE_SHMEM, /* tmpfs and memfd page caches and their index (fs/page_cache.c) */
	NR_PURPOSES
};

typedef unsigned int gfp_t;

/* Bits 0-3: purpose + 1 (0 means PURPOSE_OTHER, so a bare flag set works). */
#define __GFP_PURPOSE_MASK 0xfu
#define __GFP_PURPOSE(p) ((gfp_t)(p) + 1)

#define __GFP_ZERO 0x100u   /* zero the frames (through the direct map) */
#define __GFP_COMP 0x200u   /* compound page: head + tails, Linux semantics */
#define __GFP_NOFAIL 0x400u /* never injected failures (boot paths); may still fail on OOM */
#define __GFP_NOWARN 0x800u /* no console line when the allocation fails */

#define GFP_KERNEL __GFP_PURPOSE(PURPOSE_OTHER)
#define GFP_PGTABLE (__GFP_PURPOSE(PURPOSE_PAGE_TABLE) | __GFP_ZERO)
#define GFP_VMEMMAP __GFP_PURPOSE(PURPOSE_VMEMMAP)
#define GFP_TRACE __GFP_PURPOSE(PURPOSE_TRACE)
#define GFP_SHMEM (__GFP_PURPOSE(PURPOSE_SHMEM) | __GFP_ZERO | __GFP_NOWARN)
#define GFP_HUGETLB (__GFP_PURPOSE(PURPOSE_HUGETLB) | __GFP_COMP)
/* A user's anonymous page (Linux's GFP_HIGHUSER_MOVABLE | __GFP_ZERO for demand-zero). */
#define GFP_USER_ANON (__GFP_PURPOSE(PURPOSE_ANON) | __GFP_ZERO | __GFP_NOWARN)

static inline enum page_purpose gfp_purpose(gfp_t gfp)
{
	unsigned int p = gfp & __GFP_PURPOSE_MASK;

	return (p == 0 || p > NR_PURPOSES) ? PURPOSE_OTHER : (enum page_purpose)(p - 1);
}

#endif
