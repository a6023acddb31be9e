/*# Codecs of this interface's types and messages, included by client.c,
    server.c and fuzz.c, which set codec_side to 'client', 'server' or
    'both'.
    Statement lists come from idlgen/cview.py, one line each. #*/
/*- for t in iface.types -*/
/*- if t.kind == 'enum' -*/

RIFT_IDL_FN bool /*? t.iname ?*/_valid(uint32_t v)
{
	switch (v) {
/*- for v in t.values -*/
	case /*? v.value ?*/u:
/*- endfor -*/
		return true;
	default:
		return false;
	}
}

/* enum: u32 on the wire, range-checked */
RIFT_IDL_FN /*? t.ctype ?*/ /*? t.iname ?*/_get(struct rift_idl_rd *rd)
{
	uint32_t v = rift_idl_get_u32(rd);

	if (!/*? t.iname ?*/_valid(v)) {
		rift_idl_rd_fail(rd, RIFT_ERANGE);
	}
	return (/*? t.ctype ?*/)v;
}

RIFT_IDL_FN void /*? t.iname ?*/_put(struct rift_idl_wr *wr, /*? t.ctype ?*/ v)
{
	if (!/*? t.iname ?*/_valid((uint32_t)v)) {
		rift_idl_wr_fail(wr, RIFT_ERANGE);
	}
	rift_idl_put_u32(wr, (uint32_t)v);
}
/*- else -*/

/* struct: fields in order, no padding */
RIFT_IDL_FN void /*? t.iname ?*/_get(struct rift_idl_rd *rd, /*? t.ctype ?*/ *v)
{
/*- for f in t.fields -*/
/*- for s in get_stmts(f.type, 'v->' ~ f.name) -*/
	/*? s ?*/
/*- endfor -*/
/*- endfor -*/
}

RIFT_IDL_FN void /*? t.iname ?*/_put(struct rift_idl_wr *wr,
		const /*? t.ctype ?*/ *v)
{
/*- for f in t.fields -*/
/*- for s in put_stmts(f.type, 'v->' ~ f.name) -*/
	/*? s ?*/
/*- endfor -*/
/*- endfor -*/
}
/*- endif -*/
/*- endfor -*/
/*- for m in iface.messages -*/
/*- for dir in (['in', 'out'] if m.has_reply else ['in']) -*/
/*- set params = m.side(dir) -*/
/*- set kind = 'event' if m.is_event else ('request' if dir == 'in' else 'reply') -*/
/*# A server decodes requests and encodes replies and events; a client
    does the opposite. #*/
/*- set incoming = (codec_side == 'server') == (dir == 'in' and not m.is_event) -*/
/*- set need_decode = codec_side == 'both' or incoming -*/
/*- set need_encode = codec_side == 'both' or not incoming -*/

/* /*? m.name ?*/ /*? kind ?*/ */
struct /*? m.iname ?*/_/*? dir ?*/ {
/*- for s in arg_fields(params) -*/
	/*? s ?*/
/*- endfor -*/
};
/*- if need_decode -*/

RIFT_IDL_FN int /*? m.iname ?*/_/*? dir ?*/_decode(const struct rift_msg *m,
		uint32_t shm_size, struct /*? m.iname ?*/_/*? dir ?*/ *a)
{
	struct rift_idl_rd rift_rd;
	struct rift_idl_rd *rd = &rift_rd;

/*- if not params | selectattr('type.kind', 'equalto', 'shmbytes') | list -*/
	(void)shm_size;
/*- endif -*/
/*- if not params -*/
	(void)a;
/*- endif -*/
	rift_idl_rd_init(rd, m);
/*- for p in payload(params) -*/
/*- for s in get_stmts(p.type, 'a->' ~ p.name) -*/
	/*? s ?*/
/*- endfor -*/
/*- endfor -*/
	rift_idl_rd_end(rd);
/*- for p in caps(params) -*/
	a->/*? p.name ?*/ = rift_idl_get_cap(rd, m, /*? loop.index0 ?*/u, /*? p.type.kind_const ?*/);
/*- endfor -*/
	return rift_idl_rd_finish(rd, m, /*? caps(params) | length ?*/u);
}
/*- endif -*/
/*- if need_encode -*/

RIFT_IDL_FN int /*? m.iname ?*/_/*? dir ?*/_encode(struct rift_msg *m,
		const struct /*? m.iname ?*/_/*? dir ?*/ *a, uint64_t label)
{
	struct rift_idl_wr rift_wr;
	struct rift_idl_wr *wr = &rift_wr;

/*- if not params -*/
	(void)a;
/*- endif -*/
	rift_idl_wr_init(wr, m);
/*- for p in payload(params) -*/
/*- for s in put_stmts(p.type, 'a->' ~ p.name) -*/
	/*? s ?*/
/*- endfor -*/
/*- endfor -*/
/*- for p in caps(params) -*/
	rift_idl_put_cap(m, /*? loop.index0 ?*/u, a->/*? p.name ?*/, /*? p.type.kind_const ?*/);
/*- endfor -*/
	return rift_idl_wr_finish(wr, m, label, /*? caps(params) | length ?*/u);
}
/*- endif -*/
/*- endfor -*/
/*- endfor -*/
