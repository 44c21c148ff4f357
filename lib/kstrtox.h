/*
 * String to integer conversion with Linux's names and contracts
 * (lib/kstrtox.c): the whole string must be a number, optionally followed by
 * one '\n' (what `echo N > file` writes). Returns 0, -EINVAL or -ERANGE.
 */
#ifndef LIB_KSTRTOX_H
#define LIB_KSTRTOX_H

#include <stdbool.h>

/* @base 0: "0x" prefix means 16, a leading '0' means 8, otherwise 10. */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/* "0", "1", "y", "n", "on", "off" (any case), as Linux's kstrtobool. */
int kstrtobool(const char *s, bool *res);

/*
 * A size in bytes with an optional binary suffix, either case: "4096", "4K",
 * "2M", "1G", "1T"; digits as kstrtoull base 0; one trailing '\n' allowed.
 */
int parse_size(const char *s, unsigned long long *bytes);

#endif
