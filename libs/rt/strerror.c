/* SPDX-License-Identifier: MIT */
/* rift_strerror(): one name and one hint for every error code (rift/msg.h). */
#include <rift/abi.h>
#include <rift/msg.h>

struct err_name {
	long code;
	const char *text;
};

static const struct err_name err_names[] = {
	{ RIFT_OK, "OK" },
	{ RIFT_EINVAL, "RIFT_EINVAL: malformed message or bad argument" },
	{ RIFT_EVERSION, "RIFT_EVERSION: the peer speaks another version of "
			 "the interface (rebuild both from the same .idl)" },
	{ RIFT_ENOSYS, "RIFT_ENOSYS: the server does not know this method" },
	{ RIFT_ERANGE, "RIFT_ERANGE: a value is out of range (enum, bound)" },
	{ RIFT_ENOCAP, "RIFT_ENOCAP: a required capability is missing or of "
		       "the wrong kind" },
	{ RIFT_EIO, "RIFT_EIO: transport failed: no such channel in this "
		    "domain (check its name in the system description) or "
		    "the server is gone" },
	{ RIFT_EPERM, "RIFT_EPERM: not allowed (the server refused this "
		      "client)" },
	{ RIFT_ENOMEM, "RIFT_ENOMEM: out of memory" },
	{ RIFT_EBUSY, "RIFT_EBUSY: busy (in use by someone else)" },
	{ RIFT_ENOENT, "RIFT_ENOENT: not found" },
	{ RIFT_EOVERFLOW, "RIFT_EOVERFLOW: the reply would not fit" },
	{ RIFT_KEINVAL, "RIFT_KEINVAL: the kernel refused an argument" },
	{ RIFT_KENOSYS, "RIFT_KENOSYS: unknown system call" },
	{ RIFT_KECAP, "RIFT_KECAP: empty slot or slot out of range (is the "
		      "capability named in the system description?)" },
	{ RIFT_KETYPE, "RIFT_KETYPE: capability of the wrong type" },
	{ RIFT_KERIGHTS, "RIFT_KERIGHTS: the capability lacks a right" },
	{ RIFT_KEFULL, "RIFT_KEFULL: destination slot not empty" },
	{ RIFT_KENOMEM, "RIFT_KENOMEM: the domain's memory quota (the "
			"description's 'memory') or physical memory is "
			"exhausted" },
	{ RIFT_KEBUSY, "RIFT_KEBUSY: already mapped, bound or started" },
	{ RIFT_KEAGAIN, "RIFT_KEAGAIN: would block" },
	{ RIFT_KEGONE, "RIFT_KEGONE: the peer or object was destroyed" },
	{ RIFT_KERANGE, "RIFT_KERANGE: address or size out of range" },
	{ RIFT_KEDEADLK, "RIFT_KEDEADLK: Linux system call inside the upcall "
			 "handler" },
};

const char *rift_strerror(long err)
{
	for (unsigned i = 0; i < sizeof(err_names) / sizeof(err_names[0]);
	     i++) {
		if (err_names[i].code == err) {
			return err_names[i].text;
		}
	}
	return "unknown error";
}
