/*
 * A small vsnprintf and printf to a file descriptor: integers, strings,
 * characters and pointers, which is all a `# bench key=value` line and a KTAP
 * line need. No floating point (user/ builds with -mgeneral-regs-only).
 */
#include "ulib.h"

struct out {
	char *buf;
	size_t size, len; /* len counts every byte, also those that did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	int width, prec;
	bool left, zero;
};

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
		    const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = (int)strlen(prefix) + (neg ? 1 : 0), fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	fill = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		pad(o, fill, ' ');
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		pad(o, fill, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, fill, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->width = 0, sp->prec = -1, sp->left = false, sp->zero = false;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int), f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*')
			sp->prec = va_arg(*ap, int), f++;
		else
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	return f;
}

/* One conversion after its flags: @f points at the length modifier. */
static const char *convert(struct out *o, const char *f, const struct spec *sp, va_list *ap)
{
	int lng = 0;
	int64_t sv;
	uint64_t uv;

	while (*f == 'l' || *f == 'z' || *f == 'h')
		lng += (*f++ != 'h');
	switch (*f) {
	case 'd':
	case 'i':
		sv = lng ? va_arg(*ap, long) : va_arg(*ap, int);
		put_num(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, "", sp);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		uv = lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
		put_num(o, uv, false, *f == 'u' ? 10 : *f == 'o' ? 8 : 16, *f == 'X', "", sp);
		break;
	case 'p':
		put_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x", sp);
		break;
	case 's':
		put_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case '%':
		put(o, '%');
		break;
	default: /* unknown: print it as written, so the bug shows */
		put(o, '%');
		if (*f)
			put(o, *f);
		break;
	}
	return *f ? f + 1 : f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		fmt = convert(&o, fmt, &sp, &args);
	}
	va_end(args);
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

/* Write all of @buf, going on after short writes; the first error stops it. */
static int write_all(int fd, const char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, buf + done, n - done);

		if (w <= 0)
			return w < 0 ? (int)w : -EINVAL;
		done += (size_t)w;
	}
	return (int)done;
}

static int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024]; /* longer lines are cut here, with "..." to say so */
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf)) {
		memcpy(buf + sizeof(buf) - 5, "...\n", 4);
		n = sizeof(buf) - 1;
	}
	return write_all(fd, buf, (size_t)n);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
