/* SPDX-License-Identifier: MIT */
/* IDL transport over kernel IPC (see rift/chan.h). */
#include <rift/abi.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <rift/syscall.h>

static uint64_t load_word(const uint8_t *p, uint32_t n)
{
	uint64_t w = 0;

	for (uint32_t i = 0; i < n; i++) {
		w |= (uint64_t)p[i] << (8 * i);
	}
	return w;
}

static void store_word(uint8_t *p, uint32_t n, uint64_t w)
{
	for (uint32_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(w >> (8 * i));
	}
}

/** Pack @m into registers and the IPC buffer; returns 0 or RIFT_EINVAL. */
static int chan_pack(const struct rift_msg *m, struct rift_regs_msg *r)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint32_t words = (m->len + 7) / 8;
	uint32_t pad = words * 8 - m->len;

	if (m->len > RIFT_MSG_MAX_BYTES || m->cap_count > RIFT_MSG_CAPS ||
	    (!b && (words > RIFT_MSG_REG_WORDS || m->cap_count))) {
		return RIFT_EINVAL;
	}
	for (uint32_t w = 0; w < words; w++) {
		uint32_t n = m->len - w * 8 < 8 ? m->len - w * 8 : 8;
		uint64_t v = load_word(&m->data[w * 8], n);

		if (w < RIFT_MSG_REG_WORDS) {
			r->mr[w] = v;
		} else {
			b->mr[w] = v;
		}
	}
	for (uint32_t i = 0; i < m->cap_count; i++) {
		b->send_caps[i] = m->caps[i];
	}
	r->label = m->label;
	r->info = RIFT_INFO_WITH_PAD(RIFT_INFO(words, m->cap_count), pad);
	return RIFT_OK;
}

static uint32_t kind_of(uint64_t type)
{
	switch (type) {
	case RIFT_CAP_FRAME_T:
		return RIFT_CAP_FRAME;
	case RIFT_CAP_ENDPOINT_T:
		return RIFT_CAP_ENDPOINT;
	case RIFT_CAP_NOTIFICATION_T:
		return RIFT_CAP_NOTIFICATION;
	default:
		return RIFT_CAP_NONE;
	}
}

/** Unpack a received message; a malformed length gives RIFT_EINVAL. */
static int chan_unpack(const struct rift_regs_msg *r, struct rift_msg *m,
		       const uint64_t *recv_slots)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint32_t words = RIFT_INFO_WORDS(r->info);
	uint32_t pad = RIFT_INFO_PAD(r->info);

	if (words > RIFT_IPC_WORDS || (words == 0 && pad) ||
	    (words > RIFT_MSG_REG_WORDS && !b)) {
		return RIFT_EINVAL;
	}
	m->label = r->label;
	m->len = words * 8 - pad;
	for (uint32_t w = 0; w < words; w++) {
		uint64_t v = w < RIFT_MSG_REG_WORDS ? r->mr[w] : b->mr[w];

		store_word(&m->data[w * 8], 8, v);
	}
	m->cap_count = RIFT_INFO_CAPS(r->info);
	for (uint32_t i = 0; i < m->cap_count && i < RIFT_MSG_CAPS; i++) {
		m->caps[i] = recv_slots ? recv_slots[i] : 0;
		m->cap_kinds[i] = b ? kind_of(b->recv_types[i]) : RIFT_CAP_NONE;
	}
	return RIFT_OK;
}

static void chan_set_recv_slots(const uint64_t *recv_slots)
{
	struct rift_ipcbuf *b = rift_ipcbuf();

	for (uint32_t i = 0; b && i < RIFT_IPC_CAPS; i++) {
		b->recv_slots[i] = recv_slots ? recv_slots[i] : 0;
	}
}

static int chan_error(long kerr)
{
	return kerr == RIFT_KEINVAL ? RIFT_EINVAL : RIFT_EIO;
}

/** Give back the slots from @from on (their capabilities never came). */
static void chan_free_slots(uint64_t *slots, uint32_t from)
{
	for (uint32_t i = from; i < RIFT_MSG_CAPS; i++) {
		if (slots[i]) {
			rt_slot_free(slots[i]);
			slots[i] = 0;
		}
	}
}

int rift_chan_call(struct rift_chan *ch, struct rift_msg *req,
		   struct rift_msg *reply)
{
	struct rift_regs_msg r = { 0 };
	uint64_t slots[RIFT_MSG_CAPS] = { 0 };
	int err = chan_pack(req, &r);
	long kerr;

	if (err) {
		return err;
	}
	for (uint32_t i = 0; i < ch->recv_caps && i < RIFT_MSG_CAPS; i++) {
		slots[i] = rt_slot_alloc();
		if (!slots[i]) {
			chan_free_slots(slots, 0);
			return RIFT_ENOMEM;
		}
	}
	chan_set_recv_slots(slots);
	kerr = rift_call(ch->ep, &r);
	chan_set_recv_slots(NULL);
	if (kerr) {
		chan_free_slots(slots, 0);
		return chan_error(kerr);
	}
	err = chan_unpack(&r, reply, slots);
	chan_free_slots(slots, err ? 0 : reply->cap_count);
	return err;
}

int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg)
{
	struct rift_regs_msg r = { 0 };
	int err = chan_pack(msg, &r);
	long kerr;

	if (err) {
		return err;
	}
	kerr = rift_send(ch->ep, &r);
	return kerr ? chan_error(kerr) : RIFT_OK;
}

int rift_chan_recv(uint64_t ep, struct rift_msg *req, uint64_t *badge,
		   const uint64_t *recv_slots)
{
	struct rift_regs_msg r = { 0 };
	long kerr;

	chan_set_recv_slots(recv_slots);
	kerr = rift_recv(ep, &r);
	if (kerr) {
		return chan_error(kerr);
	}
	*badge = r.badge;
	return chan_unpack(&r, req, recv_slots);
}

int rift_chan_unpack(const struct rift_regs_msg *r, struct rift_msg *msg)
{
	return chan_unpack(r, msg, NULL);
}

int rift_chan_reply_recv(uint64_t ep, const struct rift_msg *reply,
			 struct rift_msg *req, uint64_t *badge,
			 const uint64_t *recv_slots)
{
	struct rift_regs_msg r = { 0 };
	int err = chan_pack(reply, &r);
	long kerr;

	if (err) {
		return err;
	}
	chan_set_recv_slots(recv_slots);
	kerr = rift_reply_recv(ep, &r);
	if (kerr) {
		return chan_error(kerr);
	}
	*badge = r.badge;
	return chan_unpack(&r, req, recv_slots);
}

struct rift_chan rift_chan_open(const char *name)
{
	struct rift_chan ch = { rt_cap(name), 0 };

	return ch;
}
