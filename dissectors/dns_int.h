/* dns_int.h - what the DNS files share (dns.c: header, sections,
 * pairing, Info, --stats; dns_rr.c: record data by type; dns_print.c:
 * tcpdump's text).  Private to dissectors/dns*.c. */
#ifndef TAPIR_DNS_INT_H
#define TAPIR_DNS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapir/dissector.h"
#include "tapir/output.h"

#define DNS_PORT 53
#define MDNS_PORT 5353
#define LLMNR_PORT 5355
#define DNS_NAME_MAX 255 /* RFC 1035 3.1: octets of a name, wire form */
#define DNS_HOPS_MAX 64  /* compression pointers followed in one name */

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_HINFO = 13,
	T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_NAPTR = 35,
	T_OPT = 41, T_DS = 43, T_RRSIG = 46, T_NSEC = 47, T_DNSKEY = 48,
	T_NSEC3 = 50, T_SSHFP = 44, T_SVCB = 64, T_HTTPS = 65, T_CAA = 257,
};

/* The field table (dns.c): one enum, shared. */
enum {
	F_LENGTH, F_ID, F_FLAGS, F_FL_RESPONSE, F_FL_OPCODE, F_FL_AUTH,
	F_FL_CONFLICT, F_FL_TRUNC, F_FL_RD, F_FL_TENTATIVE, F_FL_RA, F_FL_Z,
	F_FL_AD, F_FL_CD, F_FL_RCODE,
	F_CNT_Q, F_CNT_ZONES, F_CNT_AN, F_CNT_PREREQ, F_CNT_NS, F_CNT_UPD,
	F_CNT_AR,
	F_QRY_NAME, F_QRY_NAME_LEN, F_CNT_LABELS, F_QRY_TYPE, F_QRY_CLASS,
	F_QRY_QU,
	F_RESP_NAME, F_RESP_TYPE, F_RESP_CLASS, F_RESP_CACHE_FLUSH,
	F_RESP_TTL, F_RESP_LEN,
	F_RR_UDP_SIZE, F_RESP_EXT_RCODE, F_RESP_EDNS_VER, F_RESP_Z,
	F_RESP_Z_DO, F_RESP_Z_RES,
	F_OPT, F_OPT_CODE, F_OPT_LEN, F_OPT_DATA, F_OPT_CLIENT_FAMILY,
	F_OPT_CLIENT_NETMASK, F_OPT_CLIENT_SCOPE, F_OPT_CLIENT_ADDR,
	F_OPT_CLIENT_ADDR4, F_OPT_CLIENT_ADDR6, F_OPT_COOKIE_CLIENT,
	F_OPT_COOKIE_SERVER, F_OPT_PADDING, F_OPT_EDE_CODE, F_OPT_EDE_TEXT,
	F_A, F_AAAA, F_CNAME, F_NS, F_PTR, F_MX_PREF, F_MX_NAME, F_TXT_LEN,
	F_TXT, F_SOA_MNAME, F_SOA_RNAME, F_SOA_SERIAL, F_SOA_REFRESH,
	F_SOA_RETRY, F_SOA_EXPIRE, F_SOA_MIN,
	F_SRV_SERVICE, F_SRV_PROTO, F_SRV_NAME, F_SRV_PRIO, F_SRV_WEIGHT,
	F_SRV_PORT, F_SRV_TARGET,
	F_CAA_FLAGS, F_CAA_CRIT, F_CAA_TAG_LEN, F_CAA_TAG, F_CAA_VALUE,
	F_CAA_ISSUE, F_CAA_ISSUEWILD, F_CAA_IODEF,
	F_NAPTR_ORDER, F_NAPTR_PREF, F_NAPTR_FLAGS_LEN, F_NAPTR_FLAGS,
	F_NAPTR_SERVICE_LEN, F_NAPTR_SERVICE, F_NAPTR_REGEX_LEN,
	F_NAPTR_REGEX, F_NAPTR_REPL_LEN, F_NAPTR_REPL,
	F_HINFO_CPU_LEN, F_HINFO_CPU, F_HINFO_OS_LEN, F_HINFO_OS,
	F_DS_KEYID, F_DS_ALG, F_DS_DIGEST_TYPE, F_DS_DIGEST,
	F_DNSKEY_FLAGS, F_DNSKEY_ZONE, F_DNSKEY_REVOKED, F_DNSKEY_SEP,
	F_DNSKEY_RES, F_DNSKEY_PROTO, F_DNSKEY_ALG, F_DNSKEY_KEYID,
	F_DNSKEY_KEY,
	F_RRSIG_TYPE, F_RRSIG_ALG, F_RRSIG_LABELS, F_RRSIG_OTTL,
	F_RRSIG_EXP, F_RRSIG_INC, F_RRSIG_KEYTAG, F_RRSIG_SIGNER,
	F_RRSIG_SIG,
	F_NSEC_NEXT,
	F_SSHFP_ALG, F_SSHFP_TYPE, F_SSHFP_FP,
	F_NSEC3_ALG, F_NSEC3_FLAGS, F_NSEC3_OPTOUT, F_NSEC3_ITER,
	F_NSEC3_SALT_LEN, F_NSEC3_SALT, F_NSEC3_HASH_LEN, F_NSEC3_HASH,
	F_SVCB_PRIO, F_SVCB_TARGET, F_SVCB_PARAM, F_SVCB_KEY, F_SVCB_VLEN,
	F_SVCB_VALUE, F_SVCB_MANDATORY, F_SVCB_ALPN_LEN, F_SVCB_ALPN,
	F_SVCB_PORT, F_SVCB_IPV4, F_SVCB_ECH, F_SVCB_IPV6,
	F_DATA,
	F_RESPONSE_TO, F_TIME, F_RETRANS, F_RETRANS_REQ_IN, F_RETRANS_RESP_IN,
	F_UNSOLICITED,
	F_COUNT_
};
extern const tp_field_def tp_dns_fields[F_COUNT_];

enum {
	E_NAME_PTR, E_NAME_LABEL, E_NAME_LONG, E_RDATA_LEN, E_COUNT_BIG,
	E_PREFIX, E_SHORT, E_RETRANS, E_DUP_RESP, E_UNSOLICITED, E_COUNT_
};
extern const tp_event_def tp_dns_events[E_COUNT_];

/* A name read from the message: decompressed, as text ("a.b.c", no
 * trailing dot; "" for the root), its wire length where it stands, its
 * label count, and what stopped it. */
typedef struct dns_name {
	uint8_t txt[DNS_NAME_MAX + 1];
	size_t len;
	size_t wire;   /* bytes it takes at its place (up to the pointer) */
	unsigned labels;
	int err;       /* 0, or 1 + E_NAME_PTR / E_NAME_LABEL / E_NAME_LONG */
	tp_status st;  /* the read's cursor status when it ran out */
} dns_name;

/* Read the name at `at` of the message whose header starts at `mb` in
 * the window `msg` (a pointer must point strictly before every byte of
 * the name read so far: loops and forward pointers stop it). */
bool dns_read_name(const tp_cursor *msg, size_t mb, size_t at, dns_name *n);
/* Add a name field (its text in the arena; "<Root>" for the root, as
 * tshark) and, when the read failed, its event.  The cursor moves past
 * the name's wire form; false when the read failed. */
bool dns_add_name(tp_pkt *p, tp_cursor *c, size_t mb, const tp_field_def *f,
		  dns_name *n);

/* dns_rr.c: the record data of type `type`, `rdlen` bytes at c. */
void dns_rdata(tp_pkt *p, tp_cursor *c, size_t mb, uint16_t type,
	       size_t rdlen);

/* Type names: tshark's short ("AAAA") or NULL. */
const char *dns_type_name(unsigned type);
extern const tp_valstr dns_type_vals[];

/* dns_print.c: tcpdump's domain_print over `length` bytes of a message
 * at c (captured bytes what the cursor has). */
void dns_tcpdump(tp_sbuf *s, tp_cursor c, uint32_t length, bool over_tcp,
		 bool mdns, int vflag);

extern const tp_valstr dns_rcode_vals[];
extern const tp_dissector tp_diss_dns;

/* The question of a message, for the key: the first name and type. */
typedef struct qinfo {
	const uint8_t *name;
	size_t len;
	uint16_t type;
	bool have;
} qinfo;

/* dns_session.c: the run's state (pairing, counters), the pairing of one
 * message (`whole`: it was read to its end; only such are paired), and
 * --stats dns. */
void *dns_session_new(void);
void dns_session_free(void *st);
void dns_pair(tp_pkt *p, size_t at, uint16_t id, uint16_t flags,
	      unsigned rcode, const qinfo *q, bool whole);
void dns_stats_print(void *session_state, FILE *fp);

#endif
