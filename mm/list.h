/*
 * A minimal intrusive doubly linked list with Linux's names (list_head,
 * list_add, list_del, list_first_entry...), so struct page can carry its free
 * list links without a library. Not thread-safe: callers hold their own lock.
 */
#ifndef MM_LIST_H
#define MM_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

#ifndef container_of
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#endif

#define LIST_HEAD_INIT(name)                                                                       \
	{                                                                                          \
		&(name), &(name)                                                                   \
	}

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void __list_link(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/* Insert @n at the front of @h (a stack: the allocator's LIFO order). */
static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_link(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_link(n, h->prev, h);
}

/* Unlink @e and poison it so a second unlink faults instead of corrupting. */
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each(pos, h) for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
/* Each entry of @h, as @pos of its type, linked through @member. */
#define list_for_each_entry(pos, h, member)                                                        \
	for (pos = list_first_entry(h, __typeof__(*pos), member); &pos->member != (h);             \
	     pos = list_next_entry(pos, member))
/* The same, safe against removing @pos (@n holds the next entry). */
#define list_for_each_entry_safe(pos, n, h, member)                                                \
	for (pos = list_first_entry(h, __typeof__(*pos), member),                                  \
	    n = list_next_entry(pos, member);                                                      \
	     &pos->member != (h); pos = n, n = list_next_entry(n, member))

#endif
