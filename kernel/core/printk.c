/* SPDX-License-Identifier: MIT */
/* printk and a small freestanding vsnprintf. */
#include <rift/printk.h>
#include <rift/spinlock.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_c(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

/** Conversion flags: width, '0' padding, '-' left justification. */
struct fmt_spec {
	int width;
	char pad;
	bool left;
};

static void out_num(struct fmt_out *o, uint64_t v, unsigned base, bool neg,
		    struct fmt_spec sp, bool upper)
{
	int width = sp.width;
	char pad = sp.pad;
	size_t start = o->len;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (pad == '0') {
			out_c(o, '-');
		} else {
			tmp[n++] = '-';
		}
		width--;
	}
	for (int i = n; i < width && !sp.left; i++) {
		out_c(o, pad);
	}
	while (n) {
		out_c(o, tmp[--n]);
	}
	while (sp.left && o->len - start < (size_t)sp.width) {
		out_c(o, ' ');
	}
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 2) {
		return va_arg(*ap, unsigned long long);
	}
	if (lng == 1) {
		return va_arg(*ap, unsigned long);
	}
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	if (lng >= 2) {
		return va_arg(*ap, long long);
	}
	if (lng == 1) {
		return va_arg(*ap, long);
	}
	return va_arg(*ap, int);
}

static void out_str(struct fmt_out *o, const char *s, int width)
{
	int n = 0;

	if (!s) {
		s = "(null)";
	}
	while (s[n]) {
		n++;
	}
	for (int i = n; i < width; i++) {
		out_c(o, ' ');
	}
	while (*s) {
		out_c(o, *s++);
	}
}

/** Handle one conversion at *@f (just past '%'); returns the next char. */
static const char *out_conv(struct fmt_out *o, const char *f, va_list *ap)
{
	struct fmt_spec sp = { 0, ' ', false };
	int lng = 0;

	for (; *f == '0' || *f == '-'; f++) {
		if (*f == '0') {
			sp.pad = '0';
		} else {
			sp.left = true;
		}
	}
	if (sp.left) {
		sp.pad = ' ';
	}
	while (*f >= '0' && *f <= '9') {
		sp.width = sp.width * 10 + (*f++ - '0');
	}
	while (*f == 'l' || *f == 'z') {
		lng += *f == 'z' ? 2 : 1;
		f++;
	}
	switch (*f) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, lng);

		out_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, sp,
			false);
		break;
	}
	case 'u':
		out_num(o, arg_unsigned(ap, lng), 10, false, sp, false);
		break;
	case 'x':
	case 'X':
		out_num(o, arg_unsigned(ap, lng), 16, false, sp, *f == 'X');
		break;
	case 'p':
		out_c(o, '0');
		out_c(o, 'x');
		out_num(o, (uintptr_t)va_arg(*ap, void *), 16, false,
			(struct fmt_spec){ 16, '0', false }, false);
		break;
	case 's':
		out_str(o, va_arg(*ap, const char *), sp.width);
		break;
	case 'c':
		out_c(o, (char)va_arg(*ap, int));
		break;
	case '%':
		out_c(o, '%');
		break;
	default:
		out_c(o, '?');
		return *f ? f + 1 : f;
	}
	return f + 1;
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_c(&o, *fmt++);
			continue;
		}
		fmt = out_conv(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void printk(const char *fmt, ...)
{
	char line[320]; /* a 223-byte domain line with a 31-byte tag fits */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line)) {
		n = sizeof(line) - 1;
	}
	klog_write(line, (size_t)n);
}
