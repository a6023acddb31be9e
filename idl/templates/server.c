/*# Server end: the request dispatcher and the event senders. #*/
/* SPDX-License-Identifier: MIT */
/*- include 'helpers/banner.c' -*/
#include "/*? p ?*/.h"

/*- include 'helpers/runtime.c' -*/
/*- set codec_side = 'server' -*/
/*- include 'helpers/codec.c' -*/
/*- for m in iface.methods -*/

/* Decode (checks everything), invoke the handler, encode the reply. */
static int /*? m.iname ?*/_do(struct /*? p ?*/_server *srv, uint64_t badge,
		const struct rift_msg *req, struct rift_msg *reply)
{
	struct /*? m.iname ?*/_in rift_in;
/*- if m.has_reply -*/
	struct /*? m.iname ?*/_out rift_out = { 0 };
/*- for prm in m.outs if prm.type.kind == 'bytes' -*/
	uint8_t rift_buf_/*? prm.name ?*/[/*? prm.type.bound ?*/] = { 0 };
/*- endfor -*/
/*- endif -*/
	int rift_err = /*? m.iname ?*/_in_decode(req, srv->shm_size, &rift_in);

/*- if m.has_reply -*/
	if (rift_err != 0) {
		return rift_idl_reply_error(reply, /*? P ?*/_VERSION, rift_err);
	}
	/*? wrap('rift_err = ' ~ p ~ '_handle_' ~ m.name, ['srv', 'badge'] + call_args(m.params), ';', '\t') ?*/
	if (rift_err != 0) {
		return rift_idl_reply_error(reply, /*? P ?*/_VERSION, rift_err);
	}
/*- for prm in m.outs if prm.type.kind == 'bytes' -*/
	rift_out./*? prm.name ?*/ = rift_buf_/*? prm.name ?*/;
/*- endfor -*/
	rift_err = /*? m.iname ?*/_out_encode(reply, &rift_out,
			rift_msg_label(/*? P ?*/_VERSION, 0));
	if (rift_err != 0) {
		return rift_idl_reply_error(reply, /*? P ?*/_VERSION, rift_err);
	}
	return RIFT_IDL_REPLY;
/*- else -*/
	(void)reply;
	if (rift_err != 0) {
		return rift_err;
	}
	/*? wrap('rift_err = ' ~ p ~ '_handle_' ~ m.name, ['srv', 'badge'] + call_args(m.params), ';', '\t') ?*/
	return rift_err < 0 ? rift_err : RIFT_IDL_NO_REPLY;
/*- endif -*/
}
/*- endfor -*/

int /*? p ?*/_dispatch(struct /*? p ?*/_server *srv, uint64_t badge,
		const struct rift_msg *req, struct rift_msg *reply)
{
/*- if not iface.methods -*/
	(void)srv;
	(void)badge;
/*- endif -*/
	if (rift_msg_iface(req->label) != /*? P ?*/_VERSION) {
		return rift_idl_reply_error(reply, /*? P ?*/_VERSION, RIFT_EVERSION);
	}
	switch (rift_msg_method(req->label)) {
/*- for m in iface.methods -*/
	case /*? P ?*/_METHOD_/*? m.name | upper ?*/:
		return /*? m.iname ?*/_do(srv, badge, req, reply);
/*- endfor -*/
	default:
		return rift_idl_reply_error(reply, /*? P ?*/_VERSION, RIFT_ENOSYS);
	}
}
/*- for m in iface.events -*/

/*? proto('int', p ~ '_event_' ~ m.name, ['struct rift_chan *ch'], m.params, '') ?*/
{
	struct /*? m.iname ?*/_in rift_in;
	struct rift_msg rift_req;
	int rift_err;

/*- for s in fill_stmts(m.ins) -*/
	/*? s ?*/
/*- endfor -*/
	rift_err = /*? m.iname ?*/_in_encode(&rift_req, &rift_in,
			rift_msg_label(/*? P ?*/_VERSION, /*? P ?*/_EVENT_/*? m.name | upper ?*/));
	if (rift_err != 0) {
		return rift_err;
	}
	rift_err = rift_chan_send(ch, &rift_req);
	return rift_err > 0 ? RIFT_EIO : rift_err;
}
/*- endfor -*/
