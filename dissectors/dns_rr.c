/* dns_rr.c - DNS record data, field by field, by type (RFC 1035 3.3,
 * RFC 3596 AAAA, RFC 2782 SRV, RFC 3403 NAPTR, RFC 8659 CAA, RFC 6891
 * OPT and its options (RFC 7871 client subnet, RFC 7873 cookie, RFC 7830
 * padding, RFC 8914 extended error), RFC 4034 DS DNSKEY RRSIG NSEC,
 * RFC 5155 NSEC3, RFC 9460 SVCB/HTTPS).  Every read goes through the
 * record's own cursor (its rdlength): a field that runs past it is
 * MALFORMED, past the capture TRUNCATED; any other type is dns.data. */
#include <string.h>

#include "dns_int.h"

#define FD(i) (&tp_dns_fields[(i)])

/* A <character-string>: length byte, then that many bytes. */
static const uint8_t *cstring(tp_pkt *p, tp_cursor *c, int flen, int fstr,
			      size_t *n)
{
	uint8_t len = flen >= 0 ? tp_get_u8(p, c, FD(flen)) : tp_u8(c);
	*n = len;
	if (!tp_ok(c))
		return NULL;
	return tp_get_bytes(p, c, FD(fstr), len);
}

static void name_field(tp_pkt *p, tp_cursor *c, size_t mb, int f)
{
	dns_name n;
	dns_add_name(p, c, mb, FD(f), &n);
}

/* An absolute time field (RRSIG's), seconds since the epoch. */
static void abs_time(tp_pkt *p, tp_cursor *c, int f)
{
	size_t at = c->off;
	uint32_t v = tp_be32(c);
	if (!tp_ok(c))
		return;
	tp_field *x = tp_field_append(p, FD(f), at, 4);
	if (x)
		x->v.i = (int64_t)v * 1000000000ll;
}

/* A code-length-value item (an EDNS option, an SvcParam): its node,
 * code and length fields, one level down (the caller pops), and a
 * cursor over its value; false when the message ends first. */
static bool tlv(tp_pkt *p, tp_cursor *c, int node, int fcode, int flen,
		uint16_t *code, uint16_t *len, tp_cursor *v)
{
	size_t at = c->off;
	*code = tp_be16(c);
	*len = tp_be16(c);
	if (!tp_ok(c))
		return false;
	tp_add_uint(p, FD(node), at, 4u + *len, 0);
	tp_push(p);
	tp_add_uint(p, FD(fcode), at, 2, *code);
	tp_add_uint(p, FD(flen), at + 2, 2, *len);
	*v = tp_sub(c, *len);
	return true;
}

static void opt_options(tp_pkt *p, tp_cursor *c)
{
	while (tp_reported(c)) {
		uint16_t code, len;
		tp_cursor o;
		if (!tlv(p, c, F_OPT, F_OPT_CODE, F_OPT_LEN, &code, &len, &o))
			return;
		{ /* tshark: the raw data (of none: "<MISSING>"), then
		   * what it holds */
			tp_cursor raw = o;
			tp_get_bytes(p, &raw, FD(F_OPT_DATA), len);
		}
		switch (code) {
		case 8: { /* client subnet */
			uint16_t fam = tp_get_be16(p, &o, FD(F_OPT_CLIENT_FAMILY));
			tp_get_u8(p, &o, FD(F_OPT_CLIENT_NETMASK));
			tp_get_u8(p, &o, FD(F_OPT_CLIENT_SCOPE));
			size_t al = tp_reported(&o);
			size_t aat = o.off;
			const uint8_t *a = tp_has(&o, al) ? tp_bytes(&o, al) : NULL;
			if (!a)
				break;
			size_t w = fam == 1 ? 4 : fam == 2 ? 16 : 0;
			if (w && al <= w) {
				uint8_t *pad = tp_arena_alloc(p, w);
				if (pad) {
					memset(pad, 0, w);
					memcpy(pad, a, al);
					tp_add_bytes(p,
						     FD(w == 4 ? F_OPT_CLIENT_ADDR4
							       : F_OPT_CLIENT_ADDR6),
						     aat, al, pad, w);
				}
			} else {
				tp_add_bytes(p, FD(F_OPT_CLIENT_ADDR), aat, al, a,
					     al);
			}
			break;
		}
		case 10: /* cookie: client 8, server 8..32 */
			tp_get_bytes(p, &o, FD(F_OPT_COOKIE_CLIENT),
				     len < 8 ? len : 8);
			/* no server cookie: tshark still has the field, of
			 * no bytes ("<MISSING>") */
			tp_get_bytes(p, &o, FD(F_OPT_COOKIE_SERVER),
				     len > 8 ? len - 8u : 0);
			break;
		case 12:
			tp_get_bytes(p, &o, FD(F_OPT_PADDING), len);
			break;
		case 15: /* extended DNS error */
			tp_get_be16(p, &o, FD(F_OPT_EDE_CODE));
			tp_get_bytes(p, &o, FD(F_OPT_EDE_TEXT), tp_reported(&o));
			break;
		default:
			break;
		}
		tp_pop(p);
		if (o.status != TP_OK)
			tp_fail(c, o.status);
		if (!tp_ok(c))
			return;
	}
}

/* NSEC/NSEC3 type bit maps (RFC 4034 4.1.2): each type present, as
 * dns.resp.type one level down (tshark's "RR type in bit map" items are
 * that field too). */
static void bitmap_types(tp_pkt *p, tp_cursor *c)
{
	while (tp_reported(c)) {
		size_t at = c->off;
		uint8_t win = tp_u8(c);
		uint8_t len = tp_u8(c);
		if (!tp_ok(c))
			return;
		if (len == 0 || len > 32) {
			tp_add_event(p, &tp_dns_events[E_RDATA_LEN], at);
			tp_fail(c, TP_MALFORMED);
			return;
		}
		const uint8_t *bm = tp_bytes(c, len);
		if (!bm)
			return;
		for (unsigned i = 0; i < len; i++)
			for (unsigned b = 0; b < 8; b++)
				if (bm[i] & (0x80u >> b))
					tp_add_uint(p, FD(F_RESP_TYPE), at + 2 + i,
						    1, (unsigned)win << 8 |
							       (i * 8 + b));
	}
}

static void type_bitmaps(tp_pkt *p, tp_cursor *c)
{
	tp_push(p);
	bitmap_types(p, c);
	tp_pop(p);
}

/* NSEC3's next hashed owner: tshark shows it in base32hex (RFC 4648
 * section 7), without padding. */
static void nsec3_hash(tp_pkt *p, tp_cursor *c)
{
	static const char b32[] = "0123456789abcdefghijklmnopqrstuv";
	uint8_t len = tp_get_u8(p, c, FD(F_NSEC3_HASH_LEN));
	size_t at = c->off;
	const uint8_t *h = tp_ok(c) ? tp_bytes(c, len) : NULL;
	if (!h)
		return;
	size_t out = ((size_t)len * 8 + 4) / 5;
	uint8_t *a = tp_arena_alloc(p, out ? out : 1);
	if (!a)
		return;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8 | h[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			a[k++] = (uint8_t)b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		a[k++] = (uint8_t)b32[(acc << (5 - bits)) & 31];
	tp_add_bytes(p, FD(F_NSEC3_HASH), at, len, a, k);
}

static void svcb(tp_pkt *p, tp_cursor *c, size_t mb)
{
	tp_get_be16(p, c, FD(F_SVCB_PRIO));
	name_field(p, c, mb, F_SVCB_TARGET);
	while (tp_ok(c) && tp_reported(c)) {
		uint16_t key, len;
		tp_cursor v;
		if (!tlv(p, c, F_SVCB_PARAM, F_SVCB_KEY, F_SVCB_VLEN, &key, &len,
			 &v))
			return;
		switch (key) {
		case 0:
			while (tp_ok(&v) && tp_reported(&v))
				tp_get_be16(p, &v, FD(F_SVCB_MANDATORY));
			break;
		case 1:
			while (tp_ok(&v) && tp_reported(&v)) {
				size_t n;
				cstring(p, &v, F_SVCB_ALPN_LEN, F_SVCB_ALPN, &n);
			}
			break;
		case 3:
			tp_get_be16(p, &v, FD(F_SVCB_PORT));
			break;
		case 4:
			while (tp_ok(&v) && tp_reported(&v))
				tp_get_bytes(p, &v, FD(F_SVCB_IPV4), 4);
			break;
		case 5:
			tp_get_bytes(p, &v, FD(F_SVCB_ECH), len);
			break;
		case 6:
			while (tp_ok(&v) && tp_reported(&v))
				tp_get_bytes(p, &v, FD(F_SVCB_IPV6), 16);
			break;
		default:
			tp_get_bytes(p, &v, FD(F_SVCB_VALUE), len);
			break;
		}
		tp_pop(p);
		if (v.status != TP_OK)
			tp_fail(c, v.status);
	}
}

/* The record data (an SRV owner's "_service._proto.name" is split by
 * dns.c, where the owner name is read). */
void dns_rdata(tp_pkt *p, tp_cursor *c, size_t mb, uint16_t type,
	       size_t rdlen)
{
	size_t n;
	switch (type) {
	case T_A:
		if (rdlen != 4)
			break;
		tp_get_bytes(p, c, FD(F_A), 4);
		return;
	case T_AAAA:
		if (rdlen != 16)
			break;
		tp_get_bytes(p, c, FD(F_AAAA), 16);
		return;
	case T_CNAME:
		name_field(p, c, mb, F_CNAME);
		return;
	case T_NS:
		name_field(p, c, mb, F_NS);
		return;
	case T_PTR:
		name_field(p, c, mb, F_PTR);
		return;
	case T_MX:
		tp_get_be16(p, c, FD(F_MX_PREF));
		name_field(p, c, mb, F_MX_NAME);
		return;
	case T_TXT:
		while (tp_ok(c) && tp_reported(c))
			cstring(p, c, F_TXT_LEN, F_TXT, &n);
		return;
	case T_SOA:
		name_field(p, c, mb, F_SOA_MNAME);
		name_field(p, c, mb, F_SOA_RNAME);
		tp_get_be32(p, c, FD(F_SOA_SERIAL));
		tp_get_be32(p, c, FD(F_SOA_REFRESH));
		tp_get_be32(p, c, FD(F_SOA_RETRY));
		tp_get_be32(p, c, FD(F_SOA_EXPIRE));
		tp_get_be32(p, c, FD(F_SOA_MIN));
		return;
	case T_SRV:
		tp_get_be16(p, c, FD(F_SRV_PRIO));
		tp_get_be16(p, c, FD(F_SRV_WEIGHT));
		tp_get_be16(p, c, FD(F_SRV_PORT));
		name_field(p, c, mb, F_SRV_TARGET);
		return;
	case T_HINFO:
		cstring(p, c, F_HINFO_CPU_LEN, F_HINFO_CPU, &n);
		cstring(p, c, F_HINFO_OS_LEN, F_HINFO_OS, &n);
		return;
	case T_NAPTR: {
		tp_get_be16(p, c, FD(F_NAPTR_ORDER));
		tp_get_be16(p, c, FD(F_NAPTR_PREF));
		cstring(p, c, F_NAPTR_FLAGS_LEN, F_NAPTR_FLAGS, &n);
		cstring(p, c, F_NAPTR_SERVICE_LEN, F_NAPTR_SERVICE, &n);
		cstring(p, c, F_NAPTR_REGEX_LEN, F_NAPTR_REGEX, &n);
		dns_name nm;
		size_t at = c->off;
		if (dns_read_name(c, mb, at, &nm))
			tp_add_uint(p, FD(F_NAPTR_REPL_LEN), at, 0,
				    nm.len ? nm.len : 6);
		name_field(p, c, mb, F_NAPTR_REPL);
		return;
	}
	case T_CAA: {
		uint8_t fl = tp_get_u8(p, c, FD(F_CAA_FLAGS));
		if (!tp_ok(c))
			return;
		tp_push(p);
		tp_add_uint(p, FD(F_CAA_CRIT), c->off - 1, 1, (fl & 0x80) != 0);
		tp_pop(p);
		const uint8_t *tag = cstring(p, c, F_CAA_TAG_LEN, F_CAA_TAG, &n);
		if (!tag)
			return;
		/* tshark: the value by its tag, and as dns.caa.value */
		int vf = -1;
		if (n == 5 && memcmp(tag, "issue", 5) == 0)
			vf = F_CAA_ISSUE;
		else if (n == 9 && memcmp(tag, "issuewild", 9) == 0)
			vf = F_CAA_ISSUEWILD;
		else if (n == 5 && memcmp(tag, "iodef", 5) == 0)
			vf = F_CAA_IODEF;
		if (vf >= 0) {
			tp_cursor v = *c;
			tp_get_bytes(p, &v, FD(vf), tp_reported(&v));
		}
		tp_get_bytes(p, c, FD(F_CAA_VALUE), tp_reported(c));
		return;
	}
	case T_OPT:
		opt_options(p, c);
		return;
	case T_DS:
		tp_get_be16(p, c, FD(F_DS_KEYID));
		tp_get_u8(p, c, FD(F_DS_ALG));
		tp_get_u8(p, c, FD(F_DS_DIGEST_TYPE));
		tp_get_bytes(p, c, FD(F_DS_DIGEST), tp_reported(c));
		return;
	case T_DNSKEY: {
		size_t at = c->off;
		uint16_t fl = tp_get_be16(p, c, FD(F_DNSKEY_FLAGS));
		if (!tp_ok(c))
			return;
		tp_push(p);
		tp_add_uint(p, FD(F_DNSKEY_ZONE), at, 2, (fl & 0x100) != 0);
		tp_add_uint(p, FD(F_DNSKEY_REVOKED), at, 2, (fl & 0x80) != 0);
		tp_add_uint(p, FD(F_DNSKEY_SEP), at, 2, fl & 1);
		tp_add_uint(p, FD(F_DNSKEY_RES), at, 2, fl & 0xfe7e);
		tp_pop(p);
		tp_get_u8(p, c, FD(F_DNSKEY_PROTO));
		tp_get_u8(p, c, FD(F_DNSKEY_ALG));
		/* the key tag (RFC 4034 appendix B) over the whole rdata */
		tp_cursor w = *c;
		w.off = at;
		const uint8_t *all = tp_has(&w, rdlen) ? tp_bytes(&w, rdlen) : NULL;
		if (all) {
			uint32_t ac = 0;
			for (size_t i = 0; i < rdlen; i++)
				ac += (i & 1) ? all[i] : (uint32_t)all[i] << 8;
			ac += ac >> 16;
			tp_add_uint(p, FD(F_DNSKEY_KEYID), at, 0, ac & 0xffff);
		}
		tp_get_bytes(p, c, FD(F_DNSKEY_KEY), tp_reported(c));
		return;
	}
	case T_RRSIG:
		tp_get_be16(p, c, FD(F_RRSIG_TYPE));
		tp_get_u8(p, c, FD(F_RRSIG_ALG));
		tp_get_u8(p, c, FD(F_RRSIG_LABELS));
		tp_get_be32(p, c, FD(F_RRSIG_OTTL));
		abs_time(p, c, F_RRSIG_EXP);
		abs_time(p, c, F_RRSIG_INC);
		tp_get_be16(p, c, FD(F_RRSIG_KEYTAG));
		name_field(p, c, mb, F_RRSIG_SIGNER);
		tp_get_bytes(p, c, FD(F_RRSIG_SIG), tp_reported(c));
		return;
	case T_NSEC:
		name_field(p, c, mb, F_NSEC_NEXT);
		type_bitmaps(p, c);
		return;
	case T_NSEC3: {
		tp_get_u8(p, c, FD(F_NSEC3_ALG));
		size_t at = c->off;
		uint8_t fl = tp_get_u8(p, c, FD(F_NSEC3_FLAGS));
		if (tp_ok(c)) {
			tp_push(p);
			tp_add_uint(p, FD(F_NSEC3_OPTOUT), at, 1, fl & 1);
			tp_pop(p);
		}
		tp_get_be16(p, c, FD(F_NSEC3_ITER));
		cstring(p, c, F_NSEC3_SALT_LEN, F_NSEC3_SALT, &n);
		nsec3_hash(p, c);
		type_bitmaps(p, c);
		return;
	}
	case T_SSHFP:
		tp_get_u8(p, c, FD(F_SSHFP_ALG));
		tp_get_u8(p, c, FD(F_SSHFP_TYPE));
		tp_get_bytes(p, c, FD(F_SSHFP_FP), tp_reported(c));
		return;
	case T_SVCB:
	case T_HTTPS:
		svcb(p, c, mb);
		return;
	default:
		if (rdlen)
			tp_get_bytes(p, c, FD(F_DATA), rdlen);
		return;
	}
	/* A or AAAA of the wrong length */
	tp_add_event(p, &tp_dns_events[E_RDATA_LEN], c->off);
	if (rdlen)
		tp_get_bytes(p, c, FD(F_DATA), rdlen);
}
