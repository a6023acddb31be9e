/* SPDX-License-Identifier: MIT */
/*
 * An IPC message as generated IDL code sees it: a label, a byte payload in
 * explicit little-endian encoding, and capability slots. The runtime
 * (libs/) moves it through the kernel: the payload is packed into message
 * words (registers first, then the thread's IPC buffer), capabilities are
 * transferred by the kernel.
 *
 * Label layout (64 bits): bits 63..32 the interface version hash, bits 31..0
 * the method id on a request, or a status (0 = success, else a negative
 * RIFT_E* error as a two's-complement 32-bit value) on a reply.
 */
#ifndef RIFT_MSG_H
#define RIFT_MSG_H

#include <stdint.h>

#define RIFT_MSG_WORDS 64                      /**< message words per message */
#define RIFT_MSG_MAX_BYTES (RIFT_MSG_WORDS * 8) /**< 512 payload bytes */
#define RIFT_MSG_CAPS 4                        /**< capabilities per message */

/** Kind of a capability slot in a message, as the kernel reports it. */
enum rift_cap_kind {
	RIFT_CAP_NONE = 0,
	RIFT_CAP_FRAME = 1,
	RIFT_CAP_ENDPOINT = 2,
	RIFT_CAP_NOTIFICATION = 3,
};

/** Errors carried in reply labels and returned by stubs. */
enum rift_error {
	RIFT_OK = 0,
	RIFT_EINVAL = -1,     /**< malformed message or bad argument */
	RIFT_EVERSION = -2,   /**< interface version mismatch */
	RIFT_ENOSYS = -3,     /**< unknown method id */
	RIFT_ERANGE = -4,     /**< value out of range (enum, bound) */
	RIFT_ENOCAP = -5,     /**< a required capability is missing/wrong kind */
	RIFT_EIO = -6,        /**< transport failure: no peer, channel gone */
	RIFT_EPERM = -7,      /**< caller not allowed */
	RIFT_ENOMEM = -8,
	RIFT_EBUSY = -9,
	RIFT_ENOENT = -10,
	RIFT_EOVERFLOW = -11, /**< reply would not fit */
};

/**
 * What an error code means and what to check, for both error sets: enum
 * rift_error (stubs, channels, servers: -1..-11) and the kernel's
 * RIFT_KE* (rift/abi.h: -22, -38, -100..-109); they do not overlap. 0 is
 * "OK"; an unknown code gives "unknown error". Never NULL.
 */
const char *rift_strerror(long err);

struct rift_msg {
	uint64_t label;
	uint32_t len;       /**< valid bytes in data[] */
	uint32_t cap_count; /**< valid entries in caps[] / cap_kinds[] */
	uint64_t caps[RIFT_MSG_CAPS];     /**< capability slot numbers */
	uint32_t cap_kinds[RIFT_MSG_CAPS]; /**< enum rift_cap_kind, set on receive */
	uint8_t data[RIFT_MSG_MAX_BYTES];
};

static inline uint32_t rift_msg_iface(uint64_t label)
{
	return (uint32_t)(label >> 32);
}

static inline uint32_t rift_msg_method(uint64_t label)
{
	return (uint32_t)label;
}

static inline uint64_t rift_msg_label(uint32_t iface, uint32_t method)
{
	return ((uint64_t)iface << 32) | method;
}

#endif
