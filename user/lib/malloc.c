/*
 * malloc over mmap, simple and honest: power-of-two size classes from 32
 * bytes to 64 KiB carved out of 64 KiB anonymous mappings, a free list per
 * class, and a mapping of its own for anything larger (munmap'ed by free).
 * Small blocks are reused but never given back to the kernel: a workload that
 * measures munmap uses mmap directly. One spinlock makes it thread-safe.
 */
#include "ulib.h"

#define MIN_SHIFT 5 /* 32-byte blocks: 16 of header, 16 of payload */
#define MAX_SHIFT 16 /* 64 KiB: one refill mapping holds one such block */
#define NR_CLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define REFILL_BYTES (1UL << MAX_SHIFT)
#define HDR 16UL
#define BLOCK_MAGIC 0x6b6c6266UL /* "fblk" */
#define LARGE_CLASS 0xff

struct block {
	uint32_t magic;
	uint32_t klass; /* size class, or LARGE_CLASS */
	uint64_t map_len; /* large blocks: the mapping's length */
	struct block *next; /* free list link, overlays the payload */
};

static struct block *free_list[NR_CLASSES];
static int malloc_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&malloc_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&malloc_lock, __ATOMIC_RELAXED))
			;
}

static void unlock(void)
{
	__atomic_store_n(&malloc_lock, 0, __ATOMIC_RELEASE);
}

static int size_class(size_t n)
{
	int k = 0;

	while ((1UL << (k + MIN_SHIFT)) < n + HDR)
		k++;
	return k;
}

/* Carve a fresh 64 KiB mapping into blocks of class @k (lock held). */
static bool refill(int k)
{
	size_t bsize = 1UL << (k + MIN_SHIFT);
	char *p = mmap(NULL, REFILL_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	if (IS_ERR_PTR(p))
		return false;
	for (size_t off = 0; off + bsize <= REFILL_BYTES; off += bsize) {
		struct block *b = (struct block *)(p + off);

		b->next = free_list[k];
		free_list[k] = b;
	}
	return true;
}

static void *malloc_large(size_t n)
{
	size_t len = (n + HDR + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	struct block *b;

	if (n > (1UL << 46))
		return NULL;
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(b))
		return NULL;
	b->magic = BLOCK_MAGIC;
	b->klass = LARGE_CLASS;
	b->map_len = len;
	return (char *)b + HDR;
}

void *malloc(size_t n)
{
	struct block *b;
	int k;

	if (n + HDR > REFILL_BYTES || n + HDR < n)
		return malloc_large(n);
	k = size_class(n);
	lock();
	if (!free_list[k] && !refill(k)) {
		unlock();
		return NULL;
	}
	b = free_list[k];
	free_list[k] = b->next;
	unlock();
	b->magic = BLOCK_MAGIC;
	b->klass = (uint32_t)k;
	return (char *)b + HDR;
}

void *calloc(size_t nmemb, size_t size)
{
	size_t n = nmemb * size;
	void *p;

	if (size && n / size != nmemb)
		return NULL;
	p = malloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void free(void *p)
{
	struct block *b;

	if (!p)
		return;
	b = (struct block *)((char *)p - HDR);
	if (b->magic != BLOCK_MAGIC) {
		dprintf(2, "free(%p): not a malloc'ed block (magic %x)\n", p, b->magic);
		exit(134);
	}
	b->magic = 0; /* a second free of the same block is caught above */
	if (b->klass == LARGE_CLASS) {
		munmap(b, b->map_len);
		return;
	}
	lock();
	b->next = free_list[b->klass];
	free_list[b->klass] = b;
	unlock();
}
