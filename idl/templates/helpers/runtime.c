/*# Shared encode/decode primitives, included into every generated .c file.
    Static inline, so each translation unit keeps only what it uses. #*/
/*
 * Wire primitives. A reader never reads past msg->len; a writer never writes
 * past RIFT_MSG_MAX_BYTES. Both keep the first error and ignore the rest, so
 * a decoder is straight-line code with one check at the end.
 */
#define RIFT_IDL_FN static inline __attribute__((unused))

struct rift_idl_rd {
	const uint8_t *p;
	uint32_t len; /* valid bytes, <= RIFT_MSG_MAX_BYTES */
	uint32_t pos; /* <= len */
	int err;      /* first error, or 0 */
};

struct rift_idl_wr {
	uint8_t *p;
	uint32_t pos; /* <= RIFT_MSG_MAX_BYTES */
	int err;
};

RIFT_IDL_FN void rift_idl_rd_fail(struct rift_idl_rd *rd, int err)
{
	if (rd->err == 0) {
		rd->err = err;
	}
}

RIFT_IDL_FN void rift_idl_rd_init(struct rift_idl_rd *rd,
				    const struct rift_msg *m)
{
	rd->p = m->data;
	rd->len = m->len;
	rd->pos = 0;
	rd->err = 0;
	if (m->len > RIFT_MSG_MAX_BYTES || m->cap_count > RIFT_MSG_CAPS) {
		rd->len = 0;
		rd->err = RIFT_EINVAL;
	}
}

/* Consume n bytes; NULL (and an error) if fewer remain. */
RIFT_IDL_FN const uint8_t *rift_idl_take(struct rift_idl_rd *rd, uint32_t n)
{
	const uint8_t *p;

	if (rd->err != 0 || rd->len - rd->pos < n) {
		rift_idl_rd_fail(rd, RIFT_EINVAL);
		return NULL;
	}
	p = rd->p + rd->pos;
	rd->pos += n;
	return p;
}

RIFT_IDL_FN uint8_t rift_idl_get_u8(struct rift_idl_rd *rd)
{
	const uint8_t *p = rift_idl_take(rd, 1);

	return p != NULL ? p[0] : 0;
}

RIFT_IDL_FN uint16_t rift_idl_get_u16(struct rift_idl_rd *rd)
{
	const uint8_t *p = rift_idl_take(rd, 2);

	if (p == NULL) {
		return 0;
	}
	return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

RIFT_IDL_FN uint32_t rift_idl_get_u32(struct rift_idl_rd *rd)
{
	const uint8_t *p = rift_idl_take(rd, 4);

	if (p == NULL) {
		return 0;
	}
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

RIFT_IDL_FN uint64_t rift_idl_get_u64(struct rift_idl_rd *rd)
{
	uint64_t lo = rift_idl_get_u32(rd);
	uint64_t hi = rift_idl_get_u32(rd);

	return lo | (hi << 32);
}

/* A bool is one byte, 0 or 1; anything else is malformed. */
RIFT_IDL_FN bool rift_idl_get_bool(struct rift_idl_rd *rd)
{
	uint8_t v = rift_idl_get_u8(rd);

	if (v > 1) {
		rift_idl_rd_fail(rd, RIFT_EINVAL);
	}
	return v == 1;
}

/* Length-checked view of a length-prefixed byte string inside the payload. */
RIFT_IDL_FN const uint8_t *rift_idl_get_bytes(struct rift_idl_rd *rd,
						uint32_t bound, uint32_t n)
{
	if (rd->err == 0 && n > bound) {
		rift_idl_rd_fail(rd, RIFT_ERANGE);
	}
	return rift_idl_take(rd, n);
}

RIFT_IDL_FN const uint8_t *rift_idl_get_bytes16(struct rift_idl_rd *rd,
						  uint32_t bound, uint16_t *len)
{
	uint16_t n = rift_idl_get_u16(rd);
	const uint8_t *p = rift_idl_get_bytes(rd, bound, n);

	*len = p != NULL ? n : 0;
	return p;
}

RIFT_IDL_FN const uint8_t *rift_idl_get_bytes32(struct rift_idl_rd *rd,
						  uint32_t bound, uint32_t *len)
{
	uint32_t n = rift_idl_get_u32(rd);
	const uint8_t *p = rift_idl_get_bytes(rd, bound, n);

	*len = p != NULL ? n : 0;
	return p;
}

/* A shared-memory region must lie inside [0, shm_size); no overflow. */
RIFT_IDL_FN void rift_idl_get_shm(struct rift_idl_rd *rd, uint32_t shm_size,
				    uint32_t *off, uint32_t *len)
{
	*off = rift_idl_get_u32(rd);
	*len = rift_idl_get_u32(rd);
	if (*len > shm_size || *off > shm_size - *len) {
		rift_idl_rd_fail(rd, RIFT_ERANGE);
	}
}

/* All payload consumed? Trailing bytes are malformed. */
RIFT_IDL_FN void rift_idl_rd_end(struct rift_idl_rd *rd)
{
	if (rd->pos != rd->len) {
		rift_idl_rd_fail(rd, RIFT_EINVAL);
	}
}

RIFT_IDL_FN uint64_t rift_idl_get_cap(struct rift_idl_rd *rd,
					const struct rift_msg *m, uint32_t i,
					uint32_t kind)
{
	if (rd->err != 0) {
		return 0;
	}
	if (i >= m->cap_count || m->cap_kinds[i] != kind) {
		rift_idl_rd_fail(rd, RIFT_ENOCAP);
		return 0;
	}
	return m->caps[i];
}

RIFT_IDL_FN int rift_idl_rd_finish(struct rift_idl_rd *rd,
				     const struct rift_msg *m, uint32_t ncaps)
{
	if (m->cap_count > ncaps) {
		rift_idl_rd_fail(rd, RIFT_EINVAL);
	}
	return rd->err;
}

RIFT_IDL_FN void rift_idl_wr_fail(struct rift_idl_wr *wr, int err)
{
	if (wr->err == 0) {
		wr->err = err;
	}
}

RIFT_IDL_FN void rift_idl_wr_init(struct rift_idl_wr *wr, struct rift_msg *m)
{
	wr->p = m->data;
	wr->pos = 0;
	wr->err = 0;
}

/* Reserve n bytes; NULL (and an error) if the payload would overflow. */
RIFT_IDL_FN uint8_t *rift_idl_put(struct rift_idl_wr *wr, uint32_t n)
{
	uint8_t *p;

	if (wr->err != 0 || RIFT_MSG_MAX_BYTES - wr->pos < n) {
		rift_idl_wr_fail(wr, RIFT_EOVERFLOW);
		return NULL;
	}
	p = wr->p + wr->pos;
	wr->pos += n;
	return p;
}

RIFT_IDL_FN void rift_idl_put_u8(struct rift_idl_wr *wr, uint8_t v)
{
	uint8_t *p = rift_idl_put(wr, 1);

	if (p != NULL) {
		p[0] = v;
	}
}

RIFT_IDL_FN void rift_idl_put_u16(struct rift_idl_wr *wr, uint16_t v)
{
	uint8_t *p = rift_idl_put(wr, 2);

	if (p != NULL) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

RIFT_IDL_FN void rift_idl_put_u32(struct rift_idl_wr *wr, uint32_t v)
{
	uint8_t *p = rift_idl_put(wr, 4);

	if (p != NULL) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
}

RIFT_IDL_FN void rift_idl_put_u64(struct rift_idl_wr *wr, uint64_t v)
{
	rift_idl_put_u32(wr, (uint32_t)v);
	rift_idl_put_u32(wr, (uint32_t)(v >> 32));
}

RIFT_IDL_FN void rift_idl_put_bool(struct rift_idl_wr *wr, bool v)
{
	rift_idl_put_u8(wr, v ? 1 : 0);
}

RIFT_IDL_FN void rift_idl_put_raw(struct rift_idl_wr *wr, const uint8_t *src,
				    uint32_t n)
{
	uint8_t *p = rift_idl_put(wr, n);

	if (p == NULL) {
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		p[i] = src[i];
	}
}

RIFT_IDL_FN void rift_idl_put_bytes16(struct rift_idl_wr *wr, uint32_t bound,
					const uint8_t *src, uint16_t n)
{
	if (n > bound) {
		rift_idl_wr_fail(wr, RIFT_ERANGE);
		return;
	}
	rift_idl_put_u16(wr, n);
	rift_idl_put_raw(wr, src, n);
}

RIFT_IDL_FN void rift_idl_put_bytes32(struct rift_idl_wr *wr, uint32_t bound,
					const uint8_t *src, uint32_t n)
{
	if (n > bound) {
		rift_idl_wr_fail(wr, RIFT_ERANGE);
		return;
	}
	rift_idl_put_u32(wr, n);
	rift_idl_put_raw(wr, src, n);
}

RIFT_IDL_FN void rift_idl_put_cap(struct rift_msg *m, uint32_t i, uint64_t cap,
				    uint32_t kind)
{
	m->caps[i] = cap;
	m->cap_kinds[i] = kind;
}

RIFT_IDL_FN int rift_idl_wr_finish(struct rift_idl_wr *wr, struct rift_msg *m,
				     uint64_t label, uint32_t ncaps)
{
	m->label = label;
	m->len = wr->err == 0 ? wr->pos : 0;
	m->cap_count = wr->err == 0 ? ncaps : 0;
	return wr->err;
}

/* Fill *reply with an error status; tells the dispatcher's caller to send it. */
RIFT_IDL_FN int rift_idl_reply_error(struct rift_msg *reply, uint32_t version,
				       int err)
{
	if (err > 0) {
		err = RIFT_EINVAL; /* a handler bug: statuses are negative */
	}
	reply->label = rift_msg_label(version, (uint32_t)err);
	reply->len = 0;
	reply->cap_count = 0;
	return RIFT_IDL_REPLY;
}

/* Check a reply's version and status; 0 if its payload should be decoded. */
RIFT_IDL_FN int rift_idl_reply_status(const struct rift_msg *reply,
					uint32_t version)
{
	int32_t status = (int32_t)rift_msg_method(reply->label);

	if (rift_msg_iface(reply->label) != version) {
		return RIFT_EVERSION;
	}
	if (status > 0) {
		return RIFT_EINVAL;
	}
	return status;
}
