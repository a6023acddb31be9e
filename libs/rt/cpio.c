/* SPDX-License-Identifier: MIT */
/*
 * Validating cpio newc reader (see rift/cpio.h). Shared by the kernel,
 * librift and the host tests: freestanding C.
 */
#include <rift/cpio.h>

#define CPIO_HDR_SIZE 110
#define CPIO_FIELD_INO 0
#define CPIO_FIELD_MODE 1
#define CPIO_FIELD_FILESIZE 6
#define CPIO_FIELD_NAMESIZE 11
#define CPIO_FIELDS 13

static const char cpio_magic[6] = { '0', '7', '0', '7', '0', '1' };
static const char cpio_trailer[] = "TRAILER!!!";

/** Parses 8 hex digits at p; false if any is not a hex digit. */
static bool cpio_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (c >= 'a' && c <= 'f') {
			d = c - 'a' + 10;
		} else if (c >= 'A' && c <= 'F') {
			d = c - 'A' + 10;
		} else {
			return false;
		}
		v = (v << 4) | d;
	}
	*out = v;
	return true;
}

/** Rounds an offset up to 4; saturates instead of wrapping. */
static size_t cpio_pad4(size_t v)
{
	return v > SIZE_MAX - 3 ? SIZE_MAX : (v + 3) & ~(size_t)3;
}

/** True if the strings a[0..n) and b are equal (b NUL-terminated). */
static bool cpio_name_eq(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] != a[i] || b[i] == '\0') {
			return false;
		}
	}
	return b[i] == '\0';
}

/** Decodes the 13 header fields at the iterator's position. */
static int cpio_read_header(const struct cpio_iter *it, uint32_t f[CPIO_FIELDS])
{
	const uint8_t *h = it->buf + it->pos;

	if (it->pos >= it->size) {
		return CPIO_E_NO_TRAILER;
	}
	if (it->size - it->pos < CPIO_HDR_SIZE) {
		return CPIO_E_TRUNCATED;
	}
	for (int i = 0; i < 6; i++) {
		if (h[i] != (uint8_t)cpio_magic[i]) {
			return CPIO_E_MAGIC;
		}
	}
	for (int i = 0; i < CPIO_FIELDS; i++) {
		if (!cpio_hex8(h + 6 + 8 * i, &f[i])) {
			return CPIO_E_HEX;
		}
	}
	return CPIO_OK;
}

/** Checks the name: namesize bytes inside the buffer, one NUL at the end. */
static int cpio_read_name(const struct cpio_iter *it, uint32_t namesize, struct cpio_entry *e)
{
	size_t at = it->pos + CPIO_HDR_SIZE;
	const char *name = (const char *)it->buf + at;

	if (namesize == 0) {
		return CPIO_E_NAME;
	}
	if (namesize > it->size - at) {
		return CPIO_E_TRUNCATED;
	}
	for (uint32_t i = 0; i + 1 < namesize; i++) {
		if (name[i] == '\0') {
			return CPIO_E_NAME;
		}
	}
	if (name[namesize - 1] != '\0') {
		return CPIO_E_NAME;
	}
	e->name = name;
	e->name_len = namesize - 1;
	return CPIO_OK;
}

/** Starts iterating; see rift/cpio.h. */
void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t size)
{
	it->buf = buf;
	it->size = size;
	it->pos = 0;
	it->err = CPIO_OK;
}

/**
 * Decodes the entry at the iterator's position into *e and returns where
 * the next one starts (0 with *err set on failure or at the trailer).
 */
static size_t cpio_read_entry(const struct cpio_iter *it, struct cpio_entry *e, int *err)
{
	uint32_t f[CPIO_FIELDS];
	size_t data;

	*err = cpio_read_header(it, f);
	if (*err == CPIO_OK) {
		*err = cpio_read_name(it, f[CPIO_FIELD_NAMESIZE], e);
	}
	if (*err != CPIO_OK) {
		return 0;
	}
	if (cpio_name_eq(e->name, e->name_len, cpio_trailer)) {
		*err = CPIO_E_NOT_FOUND;
		return 0;
	}
	/* Header and name are inside the buffer, so this cannot overflow. */
	data = cpio_pad4(it->pos + CPIO_HDR_SIZE + f[CPIO_FIELD_NAMESIZE]);
	if (data > it->size || f[CPIO_FIELD_FILESIZE] > it->size - data) {
		*err = CPIO_E_SIZE;
		return 0;
	}
	e->data = it->buf + data;
	e->size = f[CPIO_FIELD_FILESIZE];
	e->mode = f[CPIO_FIELD_MODE];
	e->ino = f[CPIO_FIELD_INO];
	return cpio_pad4(data + e->size);
}

/** Reads the next entry; see rift/cpio.h. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	int err;
	size_t next;

	if (it->err != CPIO_OK) {
		return it->err;
	}
	next = cpio_read_entry(it, e, &err);
	if (err != CPIO_OK) {
		it->err = err;
		return err;
	}
	it->pos = next;
	return CPIO_OK;
}

/** Skips a leading "./" (any number of them). */
static const char *cpio_strip(const char *s, size_t *len)
{
	while (*len >= 2 && s[0] == '.' && s[1] == '/') {
		s += 2;
		*len -= 2;
	}
	return s;
}

/** Finds an entry by name; see rift/cpio.h. */
int cpio_find(const void *buf, size_t size, const char *name, const void **data,
	      size_t *len)
{
	struct cpio_iter it;
	struct cpio_entry e;
	size_t want_len = 0;
	int err;

	while (name[want_len] != '\0') {
		want_len++;
	}
	name = cpio_strip(name, &want_len);
	cpio_iter_init(&it, buf, size);
	while ((err = cpio_next(&it, &e)) == CPIO_OK) {
		size_t n = e.name_len;
		const char *s = cpio_strip(e.name, &n);

		if (n == want_len && cpio_name_eq(s, n, name)) {
			*data = e.data;
			*len = e.size;
			return CPIO_OK;
		}
	}
	return err;
}

/** Checks the whole archive; see rift/cpio.h. */
int cpio_validate(const void *buf, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int err;

	cpio_iter_init(&it, buf, size);
	while ((err = cpio_next(&it, &e)) == CPIO_OK) {
	}
	return err == CPIO_E_NOT_FOUND ? CPIO_OK : err;
}

/** A sentence describing an error code. */
const char *cpio_strerror(int err)
{
	static const char *const msgs[CPIO_E_COUNT] = {
		[CPIO_OK] = "valid archive",
		[CPIO_E_TRUNCATED] = "archive truncated inside an entry header or name",
		[CPIO_E_MAGIC] = "not a cpio newc (070701) header",
		[CPIO_E_HEX] = "cpio header field is not 8 hex digits",
		[CPIO_E_NAME] = "cpio entry name empty or not NUL-terminated",
		[CPIO_E_SIZE] = "cpio file data runs past the end of the archive",
		[CPIO_E_NO_TRAILER] = "cpio archive ends without TRAILER!!!",
		[CPIO_E_NOT_FOUND] = "no such file in the archive",
	};

	if (err < 0 || err >= CPIO_E_COUNT) {
		return "unknown cpio error";
	}
	return msgs[err];
}
