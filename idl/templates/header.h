/*# Public header of one interface: types, ids, version, prototypes. #*/
/* SPDX-License-Identifier: MIT */
/*- include 'helpers/banner.c' -*/
/*- for line in doc_block(iface.doc) -*/
/*? line ?*/
/*- endfor -*/
#ifndef RIFT_GEN_/*? P ?*/_H
#define RIFT_GEN_/*? P ?*/_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rift/msg.h>

/*
 * The version hash covers this canonical form of the interface:
/*- for line in iface.canonical.splitlines() -*/
 *   /*? line ?*/
/*- endfor -*/
 */
#define /*? P ?*/_VERSION /*? '0x%08xu' % iface.version ?*/

/*- for m in iface.methods -*/
#define /*? P ?*/_METHOD_/*? m.name | upper ?*/ /*? m.id ?*/u
/*- endfor -*/
/*- for m in iface.events -*/
#define /*? P ?*/_EVENT_/*? m.name | upper ?*/ /*? m.id ?*/u
/*- endfor -*/
/*- for m in iface.messages -*/
/*- for prm in m.params if prm.type.kind == 'bytes' -*/
#define /*? P ?*/_/*? m.name | upper ?*/_/*? prm.name | upper ?*/_MAX /*? prm.type.bound ?*/u
/*- endfor -*/
/*- endfor -*/

#ifndef RIFT_IDL_REPLY
#define RIFT_IDL_REPLY 1    /**< dispatcher filled *reply: send it */
#define RIFT_IDL_NO_REPLY 0 /**< oneway request handled: send nothing */
#endif
/*- for t in iface.types -*/

/*- for line in doc_block(t.doc) -*/
/*? line ?*/
/*- endfor -*/
/*- if t.kind == 'enum' -*/
enum /*? t.cname ?*/ {
/*- for v in t.values -*/
/*- for line in doc_block(v.doc, '\t') -*/
/*? line ?*/
/*- endfor -*/
	/*? v.cname ?*/ = /*? v.value ?*/,
/*- endfor -*/
};
/*- else -*/
struct /*? t.cname ?*/ {
/*- for f in t.fields -*/
/*- if f.type.kind == 'array' -*/
	/*? f.type.ctype ?*/ /*? f.name ?*/[/*? f.type.count ?*/];
/*- else -*/
	/*? f.type.ctype ?*/ /*? f.name ?*/;
/*- endif -*/
/*- endfor -*/
};
/*- endif -*/
/*- endfor -*/

/* Transport, provided by the runtime: 0 or a negative enum rift_error. */
struct rift_chan;
int rift_chan_call(struct rift_chan *ch, struct rift_msg *req, struct rift_msg *reply);
int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg);

/** Server state handed to every handler. */
struct /*? p ?*/_server {
	void *ctx;         /**< the server program's own state */
	uint32_t shm_size; /**< size of the shared buffer; shmbytes are checked against it */
};

/** Client state handed to every event handler. */
struct /*? p ?*/_client {
	void *ctx;         /**< the client program's own state */
	uint32_t shm_size; /**< size of the shared buffer; shmbytes are checked against it */
};

/*
 * Client stubs. Each encodes a request, calls the server through *ch and
 * decodes the reply. Returns 0, the server's negative status, or a negative
 * enum rift_error (RIFT_EVERSION if the server speaks another version).
 * "out" pointers may be NULL; they are written only on success. An out
 * bytes<N> buffer must hold N bytes (the <IFACE>_<METHOD>_<ARG>_MAX macro).
 */
/*- for m in iface.methods -*/

/*- for line in doc_block(m.doc) -*/
/*? line ?*/
/*- endfor -*/
/*? proto('int', m.cname, ['struct rift_chan *ch'], m.params) ?*/
/*- endfor -*/

/*
 * Server side. The server program implements one handler per method;
 * <iface>_dispatch() checks a request completely, calls the handler and
 * encodes its reply. In-arguments point into the request and are valid only
 * during the call; out-arguments start zeroed. A handler returns 0 or a
 * negative enum rift_error, which becomes the reply status.
 *
 * <iface>_dispatch() returns RIFT_IDL_REPLY when *reply is to be sent (also
 * for rejected requests, with an error status), RIFT_IDL_NO_REPLY after a
 * oneway method, or a negative error for a rejected oneway request (nothing
 * to send). req and reply may be the same message.
 */
/*- for m in iface.methods -*/
/*? proto('int', p ~ '_handle_' ~ m.name, ['struct ' ~ p ~ '_server *srv', 'uint64_t badge'], m.params) ?*/
/*- endfor -*/
int /*? p ?*/_dispatch(struct /*? p ?*/_server *srv, uint64_t badge,
		const struct rift_msg *req, struct rift_msg *reply);

/*
 * Events (server -> client, no reply). The server sends them with
 * <iface>_event_<name>(); the client passes every message it receives from
 * the server to <iface>_event_dispatch(), which checks it and calls the
 * client's <iface>_on_<name>() handler. It returns the handler's result or a
 * negative enum rift_error for a rejected message.
 */
/*- for m in iface.events -*/

/*- for line in doc_block(m.doc) -*/
/*? line ?*/
/*- endfor -*/
/*? proto('int', p ~ '_event_' ~ m.name, ['struct rift_chan *ch'], m.params) ?*/
/*? proto('int', p ~ '_on_' ~ m.name, ['struct ' ~ p ~ '_client *cli', 'uint64_t badge'], m.params) ?*/
/*- endfor -*/
int /*? p ?*/_event_dispatch(struct /*? p ?*/_client *cli, uint64_t badge,
		const struct rift_msg *msg);

#endif /* RIFT_GEN_/*? P ?*/_H */
