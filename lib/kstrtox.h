/*
 * Text to values, the one parser of every knob and command argument, with
 * Linux's names and contracts (docs/knobs.md says which knob uses which):
 *
 *   kstrto*()           /sys, debugfs, shell arguments: the whole string is
 *                       the number, optionally followed by one '\n' (what
 *                       `echo N > file` writes). 0, -EINVAL or -ERANGE.
 *   proc_strto*()       /proc/sys numbers, as Linux's sysctl reads them.
 *   sysfs_match_string  knobs that take a name.
 */
#ifndef LIB_KSTRTOX_H
#define LIB_KSTRTOX_H

#include <stdbool.h>

/*
 * @base 0: "0x" prefix means 16, a leading '0' means 8, otherwise 10. One
 * leading '+' is allowed; signed versions take one '-' ("-+5" is -EINVAL).
 */
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

/*
 * A number written to a /proc/sys knob, read as Linux's proc_doulongvec_minmax
 * and proc_dointvec do: blanks (space, tab, newline) before and after it,
 * base 0, a '-' only right before a digit (never a '+'), at most 20
 * characters. Anything else is -EINVAL: a second value (Linux takes the
 * first and ignores the rest, a short write; we refuse it), junk, a '-'
 * for an unsigned knob, a value that does not fit.
 */
int proc_strtoul(const char *s, unsigned long *res);
int proc_strtoint(const char *s, int *res);

/*
 * Linux's sysfs_streq: equal strings, where either may end in one '\n' the
 * other lacks. No other blanks: "batch " is not "batch" (sysfs and proc_dostring
 * knobs on Linux alike).
 */
bool sysfs_streq(const char *a, const char *b);

/* The index of the name in @names[0..n) that sysfs_streq matches @s, or -EINVAL. */
int sysfs_match_string(const char *const *names, int n, const char *s);

#endif
