/*
 * The one place text becomes a knob's value, with Linux's rules: kstrto*()
 * (sysfs, debugfs and shell arguments: `echo 12abc > knob` is -EINVAL, an
 * overflow -ERANGE), proc_strto*() (/proc/sys numbers, as sysctl reads them)
 * and sysfs_streq/sysfs_match_string (knobs that take a name).
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

static unsigned int fixup_radix(const char **s, unsigned int base)
{
	const char *p = *s;
	bool hex_prefix = p[0] == '0' && (p[1] | 0x20) == 'x';

	if (base == 0) {
		if (hex_prefix && digit_value(p[2]) < 16)
			base = 16;
		else if (p[0] == '0')
			base = 8;
		else
			base = 10;
	}
	if (base == 16 && hex_prefix)
		*s = p + 2;
	return base;
}

/*
 * Parse digits of @base at *@s into @res, advancing *@s past them. Returns
 * the number of digits, or -ERANGE on overflow (all digits still consumed).
 */
static int parse_digits(const char **s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	int n = 0, d;

	while ((d = digit_value(**s)) < (int)base) {
		if (v > (~0ULL - (unsigned)d) / base)
			overflow = true;
		v = v * base + (unsigned)d;
		(*s)++;
		n++;
	}
	*res = v;
	return overflow ? -ERANGE : n;
}

/* Only "" or "\n" may follow a number. */
static bool at_end(const char *s)
{
	return s[0] == '\0' || (s[0] == '\n' && s[1] == '\0');
}

/* kstrtoull without the optional '+': what kstrtoll parses after a '-'. */
static int kstrtoull_unsigned(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	int n;

	if (base == 1 || base > 36)
		return -EINVAL;
	base = fixup_radix(&s, base);
	n = parse_digits(&s, base, &v);
	if (n == 0)
		return -EINVAL;
	if (n < 0)
		return n;
	if (!at_end(s))
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return kstrtoull_unsigned(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (s[0] == '-') {
		err = kstrtoull_unsigned(s + 1, base, &v); /* "-+5" is not a number */
		if (err)
			return err;
		if (v > (unsigned long long)__LONG_LONG_MAX__ + 1)
			return -ERANGE;
		*res = (long long)(0ULL - v);
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > (unsigned long long)__LONG_LONG_MAX__)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v != (unsigned long)v)
		return -ERANGE;
	*res = (unsigned long)v;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v != (long)v)
		return -ERANGE;
	*res = (long)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v != (unsigned int)v)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v != (int)v)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	char a = s[0] | 0x20, b = s[0] ? s[1] | 0x20 : 0;

	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
	case 't':
	case 'T':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
	case 'f':
	case 'F':
		*res = false;
		return 0;
	}
	if (a == 'o' && b == 'n') {
		*res = true;
		return 0;
	}
	if (a == 'o' && b == 'f') {
		*res = false;
		return 0;
	}
	return -EINVAL;
}

int parse_size(const char *s, unsigned long long *bytes)
{
	static const char suffixes[] = "kmgt";
	unsigned long long v;
	unsigned int base;
	int n, shift = 0;

	base = fixup_radix(&s, 0);
	n = parse_digits(&s, base, &v);
	if (n <= 0)
		return n == 0 ? -EINVAL : n;
	for (int i = 0; s[0] && suffixes[i]; i++) {
		if ((s[0] | 0x20) == suffixes[i]) {
			shift = 10 * (i + 1);
			s++;
			break;
		}
	}
	if (!at_end(s))
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}

/* ---- /proc/sys numbers: Linux's proc_get_long() rules ---- */

#define PROC_NUMBER_MAX 20 /* Linux's TMPBUFLEN - 2: "-" and 19 digits, or 20 digits */

static bool is_proc_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * One number between blanks: an optional '-' directly before a digit, then
 * digits in base 0. Sets the magnitude and sign; -EINVAL for anything else,
 * an overflow included (sysctl reports every bad write as -EINVAL).
 */
static int proc_parse(const char *s, unsigned long long *mag, bool *neg)
{
	const char *token;
	unsigned int base;

	while (is_proc_blank(*s))
		s++;
	token = s;
	*neg = *s == '-';
	if (*neg)
		s++;
	if (*s < '0' || *s > '9') /* no '+', no second sign, no empty value */
		return -EINVAL;
	base = fixup_radix(&s, 0);
	if (parse_digits(&s, base, mag) <= 0 || s - token > PROC_NUMBER_MAX)
		return -EINVAL;
	while (is_proc_blank(*s))
		s++;
	return *s ? -EINVAL : 0; /* a second value, or junk after the first */
}

int proc_strtoul(const char *s, unsigned long *res)
{
	unsigned long long v;
	bool neg;

	if (proc_parse(s, &v, &neg) || neg || v != (unsigned long)v)
		return -EINVAL;
	*res = (unsigned long)v;
	return 0;
}

int proc_strtoint(const char *s, int *res)
{
	unsigned long long v;
	bool neg;

	if (proc_parse(s, &v, &neg) || v > (neg ? 2147483648ULL : 2147483647ULL))
		return -EINVAL;
	*res = neg ? (int)(0 - v) : (int)v;
	return 0;
}

/* ---- names: Linux's sysfs_streq() ---- */

bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return true;
	return (!*a && b[0] == '\n' && !b[1]) || (!*b && a[0] == '\n' && !a[1]);
}

int sysfs_match_string(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++) {
		if (names[i] && sysfs_streq(names[i], s))
			return i;
	}
	return -EINVAL;
}
