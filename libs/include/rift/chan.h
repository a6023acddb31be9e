/* SPDX-License-Identifier: MIT */
/*
 * IDL transport: moves a struct rift_msg (bytes + capabilities, see
 * rift/msg.h) through kernel IPC. The payload is packed little-endian into
 * message words (MR0..MR4 in registers, the rest in the IPC buffer); the
 * unused bytes of the last word travel in the info word (RIFT_INFO_PAD), so
 * the receiver sees the exact byte length. Capabilities go through the IPC
 * buffer's send_caps / recv_slots.
 *
 * Client side: rift_chan_call() / rift_chan_send() (what generated stubs
 * call). Server side: rift_chan_recv() and rift_chan_reply_recv(), a loop
 * around a generated <iface>_dispatch().
 *
 * Errors: RIFT_EIO when the peer is gone or the channel capability is not
 * usable (empty slot, wrong type): a writer never hangs on a dead server
 * once the supervisor has revoked the channel.
 */
#ifndef RIFT_CHAN_H
#define RIFT_CHAN_H

#include <rift/msg.h>
#include <stdint.h>

/**
 * One end of a channel: an endpoint capability slot of this domain, and how
 * many capabilities a reply may bring (0, the default, accepts none; for
 * interfaces with `out cap<...>` set it to the most any method returns).
 * Received capabilities land in fresh slots (rt_slot_alloc) named in
 * reply->caps[]; the caller owns them. Unused slots are given back.
 */
struct rift_chan {
	uint64_t ep;
	uint32_t recv_caps;
};

/**
 * The end of the channel the system description named @name in this
 * domain (rt_cap()). A name the domain was not given yields an end with
 * ep = 0: calls on it fail with RIFT_EIO, like calls on a closed channel.
 */
struct rift_chan rift_chan_open(const char *name);

int rift_chan_call(struct rift_chan *ch, struct rift_msg *req,
		   struct rift_msg *reply);
int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg);

/**
 * Receive the next request on @ep into @req (badge of the sender in
 * *@badge). Received capabilities go to @recv_slots[0..3] (empty slots of
 * this domain; NULL = accept none).
 */
int rift_chan_recv(uint64_t ep, struct rift_msg *req, uint64_t *badge,
		   const uint64_t *recv_slots);
/** Reply @reply to the last caller, then receive as rift_chan_recv(). */
int rift_chan_reply_recv(uint64_t ep, const struct rift_msg *reply,
			 struct rift_msg *req, uint64_t *badge,
			 const uint64_t *recv_slots);

/**
 * Decode a message already received with rift_recv() (@r, whose words past
 * the registers are still in the IPC buffer) into @msg, accepting no
 * capabilities. For a receiver that takes kernel messages and IDL messages
 * on one endpoint (the supervisor: faults and power events).
 */
struct rift_regs_msg;
int rift_chan_unpack(const struct rift_regs_msg *r, struct rift_msg *msg);

#endif
