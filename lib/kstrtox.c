/*
 * kstrto*(): Linux's strict string-to-integer helpers (lib/kstrtox.c there),
 * used by pseudo-file stores and shell commands so `echo 12abc > knob` is
 * rejected with -EINVAL exactly as on Linux, and overflow with -ERANGE.
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

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	int n;

	if (base == 1 || base > 36)
		return -EINVAL;
	if (s[0] == '+')
		s++;
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

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (s[0] == '-') {
		err = kstrtoull(s + 1, base, &v);
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
	case 'y': case 'Y': case '1': case 't': case 'T':
		*res = true;
		return 0;
	case 'n': case 'N': case '0': case 'f': case 'F':
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
