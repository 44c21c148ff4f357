/*
 * vsnprintf for the kernel: the subset of C's format language that kernel
 * code uses (%d %i %u %x %X %o %p %s %c %%, flags '-' '0' ' ' '+', width and
 * precision, '*', and the l/ll/z/h length modifiers). No floating point: the
 * kernel is built without SSE. Always NUL-terminates when size > 0 and
 * returns the length the full output would have had, like C's.
 */
#include "lib/kernel.h"
#include "lib/string.h"

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width, precision; /* precision < 0: none */
	int length;	      /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

struct out {
	char *buf;
	size_t size, len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct out *o, const char *s, const struct fmt_spec *f)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = f->precision >= 0 ? strnlen(s, (size_t)f->precision) : strlen(s);
	if (!f->left)
		out_pad(o, ' ', f->width - (int)n);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (f->left)
		out_pad(o, ' ', f->width - (int)n);
}

static void out_num(struct out *o, unsigned long long v, bool neg, unsigned base, bool upper,
		    const struct fmt_spec *f)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = 0;
	int n = 0, zeros = 0, prefix = 0;
	bool is_zero = v == 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (f->precision == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (neg)
		sign = '-';
	else if (f->plus)
		sign = '+';
	else if (f->space)
		sign = ' ';
	if (f->alt && base == 16 && !is_zero) /* C: "0x" only before a nonzero value */
		prefix = 2;
	if (f->precision > n)
		zeros = f->precision - n;
	else if (f->zero && !f->left && f->precision < 0)
		zeros = f->width - n - (sign != 0) - prefix;
	if (zeros < 0)
		zeros = 0;

	int total = n + zeros + (sign != 0) + prefix;
	if (!f->left)
		out_pad(o, ' ', f->width - total);
	if (sign)
		out_char(o, sign);
	if (prefix) {
		out_char(o, '0');
		out_char(o, upper ? 'X' : 'x');
	}
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (f->left)
		out_pad(o, ' ', f->width - total);
}

static const char *parse_spec(const char *p, struct fmt_spec *f, va_list *ap)
{
	memset(f, 0, sizeof(*f));
	f->precision = -1;
	for (;; p++) {
		if (*p == '-')
			f->left = true;
		else if (*p == '0')
			f->zero = true;
		else if (*p == '+')
			f->plus = true;
		else if (*p == ' ')
			f->space = true;
		else if (*p == '#')
			f->alt = true;
		else
			break;
	}
	if (*p == '*') {
		f->width = va_arg(*ap, int);
		if (f->width < 0) {
			f->left = true;
			f->width = -f->width;
		}
		p++;
	}
	while (*p >= '0' && *p <= '9')
		f->width = f->width * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		f->precision = 0;
		if (*p == '*') {
			f->precision = va_arg(*ap, int);
			p++;
		}
		while (*p >= '0' && *p <= '9')
			f->precision = f->precision * 10 + (*p++ - '0');
	}
	for (;; p++) {
		if (*p == 'l')
			f->length = f->length == 1 ? 2 : 1;
		else if (*p == 'h')
			f->length = f->length == -1 ? -2 : -1;
		else if (*p == 'z')
			f->length = 3;
		else
			break;
	}
	return p;
}

static unsigned long long arg_unsigned(const struct fmt_spec *f, va_list *ap)
{
	switch (f->length) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long arg_signed(const struct fmt_spec *f, va_list *ap)
{
	switch (f->length) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (long long)va_arg(*ap, size_t);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static void format_one(struct out *o, char conv, struct fmt_spec *f, va_list *ap)
{
	long long sv;

	switch (conv) {
	case 'd':
	case 'i':
		sv = arg_signed(f, ap);
		out_num(o, sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv, sv < 0,
			10, false, f);
		break;
	case 'u':
		out_num(o, arg_unsigned(f, ap), false, 10, false, f);
		break;
	case 'o':
		out_num(o, arg_unsigned(f, ap), false, 8, false, f);
		break;
	case 'x':
		out_num(o, arg_unsigned(f, ap), false, 16, false, f);
		break;
	case 'X':
		out_num(o, arg_unsigned(f, ap), false, 16, true, f);
		break;
	case 'p':
		f->alt = true;
		out_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, f);
		break;
	case 's':
		out_str(o, va_arg(*ap, const char *), f);
		break;
	case 'c': {
		char c[2] = {(char)va_arg(*ap, int), 0};
		f->precision = 1;
		out_str(o, c, f);
		break;
	}
	case '%':
		out_char(o, '%');
		break;
	default: /* unknown conversion: print it as is */
		out_char(o, '%');
		if (conv)
			out_char(o, conv);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	struct fmt_spec f;
	va_list aq;

	va_copy(aq, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p = parse_spec(p + 1, &f, &aq);
		format_one(&o, *p, &f, &aq);
		if (!*p)
			break;
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
