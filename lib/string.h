/*
 * The handful of <string.h> functions the kernel needs, with the C library's
 * names and contracts so the same mm/ code also builds against libc in the
 * host test tier.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stdbool.h>
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Is @word one of @list's space-separated words? (the kernel command line's) */
bool str_has_word(const char *list, const char *word);

#endif
