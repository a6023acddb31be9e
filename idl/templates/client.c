/*# Client end: request stubs and the event dispatcher. #*/
/* SPDX-License-Identifier: MIT */
/*- include 'helpers/banner.c' -*/
#include "/*? p ?*/.h"

/*- include 'helpers/runtime.c' -*/
/*- set codec_side = 'client' -*/
/*- include 'helpers/codec.c' -*/
/*- for m in iface.methods -*/

/*? proto('int', m.cname, ['struct rift_chan *ch'], m.params, '') ?*/
{
	struct /*? m.iname ?*/_in rift_in;
/*- if m.has_reply -*/
	struct /*? m.iname ?*/_out rift_out;
	struct rift_msg rift_rep;
/*- endif -*/
	struct rift_msg rift_req;
	int rift_err;

/*- for s in fill_stmts(m.ins) -*/
	/*? s ?*/
/*- endfor -*/
	rift_err = /*? m.iname ?*/_in_encode(&rift_req, &rift_in,
			rift_msg_label(/*? P ?*/_VERSION, /*? P ?*/_METHOD_/*? m.name | upper ?*/));
	if (rift_err != 0) {
		return rift_err;
	}
/*- if m.has_reply -*/
	rift_err = rift_chan_call(ch, &rift_req, &rift_rep);
	if (rift_err != 0) {
		return rift_err < 0 ? rift_err : RIFT_EIO;
	}
	rift_err = rift_idl_reply_status(&rift_rep, /*? P ?*/_VERSION);
	if (rift_err != 0) {
		return rift_err;
	}
	rift_err = /*? m.iname ?*/_out_decode(&rift_rep, 0, &rift_out);
	if (rift_err != 0) {
		return rift_err;
	}
/*- for s in copy_out_stmts(m.outs) -*/
	/*? s ?*/
/*- endfor -*/
	return RIFT_OK;
/*- else -*/
	rift_err = rift_chan_send(ch, &rift_req);
	return rift_err > 0 ? RIFT_EIO : rift_err;
/*- endif -*/
}
/*- endfor -*/
/*- for m in iface.events -*/

static int /*? m.iname ?*/_on(struct /*? p ?*/_client *cli, uint64_t badge,
		const struct rift_msg *msg)
{
	struct /*? m.iname ?*/_in rift_in;
	int rift_err = /*? m.iname ?*/_in_decode(msg, cli->shm_size, &rift_in);

	if (rift_err != 0) {
		return rift_err;
	}
	/*? wrap('return ' ~ p ~ '_on_' ~ m.name, ['cli', 'badge'] + call_args(m.params), ';', '\t') ?*/
}
/*- endfor -*/

int /*? p ?*/_event_dispatch(struct /*? p ?*/_client *cli, uint64_t badge,
		const struct rift_msg *msg)
{
/*- if not iface.events -*/
	(void)cli;
	(void)badge;
/*- endif -*/
	if (rift_msg_iface(msg->label) != /*? P ?*/_VERSION) {
		return RIFT_EVERSION;
	}
	switch (rift_msg_method(msg->label)) {
/*- for m in iface.events -*/
	case /*? P ?*/_EVENT_/*? m.name | upper ?*/:
		return /*? m.iname ?*/_on(cli, badge, msg);
/*- endfor -*/
	default:
		return RIFT_ENOSYS;
	}
}
