/* dns.c - Domain Name System over UDP (53), mDNS (5353), LLMNR (5355)
 * and TCP (53, each message after a 2-byte length).
 *
 * RFC 1035 (header, sections, names and their compression), RFC 6891
 * (EDNS0: the OPT record, extended RCODE, options), RFC 7766 (TCP),
 * RFC 6762 (mDNS: the QU and cache-flush bits), RFC 4795 (LLMNR's
 * conflict and tentative flags).  A name's compression pointer must
 * point strictly before every byte of the name read so far (BIND's and
 * tcpdump's rule): a loop or a forward pointer is MALFORMED at once, and
 * a name never takes more than DNS_HOPS_MAX pointers.  Record data by
 * type in dns_rr.c; tcpdump's text in dns_print.c.
 *
 * Pairing and --stats dns are in dns_session.c.  tapir reads a
 * capture once: dns.response_in on a query (tshark fills it in its
 * second pass) is not given.
 */
#include <stdlib.h>
#include <string.h>

#include "dns_int.h"
#include "tapir/flow.h"
#include "tapir/layerfields.h"
#include "tapir/registry.h"

extern const tp_dissector tp_diss_mdns, tp_diss_llmnr,
	tp_diss_tcp, tp_diss_udp;
static tp_sum dns_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o);

/* tshark's names (packet-dns.c) for the -V tree. */
const tp_valstr dns_type_vals[] = {
	{1, "A (Host Address)"},
	{2, "NS (authoritative Name Server)"},
	{5, "CNAME (Canonical NAME for an alias)"},
	{6, "SOA (Start Of a zone of Authority)"},
	{12, "PTR (domain name PoinTeR)"},
	{13, "HINFO (host information)"},
	{15, "MX (Mail eXchange)"},
	{16, "TXT (Text strings)"},
	{28, "AAAA (IPv6 Address)"},
	{33, "SRV (Server Selection)"},
	{35, "NAPTR (Naming Authority PoinTeR)"},
	{39, "DNAME"},
	{41, "OPT"},
	{43, "DS (Delegation Signer)"},
	{46, "RRSIG (Resource Record Signature)"},
	{47, "NSEC (Next Secure)"},
	{44, "SSHFP (SSH Key Fingerprint)"},
	{48, "DNSKEY (DNS Public Key)"},
	{50, "NSEC3 (Next Secure v. 3)"},
	{51, "NSEC3PARAM (Nsec3 parameters)"},
	{52, "TLSA (Transport Layer Security Authentication)"},
	{64, "SVCB (General Purpose Service Endpoints)"},
	{65, "HTTPS (HTTPS Specific Service Endpoints)"},
	{250, "TSIG (Transaction Signature)"},
	{251, "IXFR (incremental transfer)"},
	{252, "AXFR (transfer of an entire zone)"},
	{255, "* (A request for all records the server/cache has available)"},
	{256, "URI"},
	{257, "CAA (Certification Authority Restriction)"},
	{0, NULL}};

static const struct {
	uint16_t t;
	const char *s;
} short_names[] = {
	{1, "A"},	  {2, "NS"},	     {5, "CNAME"},   {6, "SOA"},
	{12, "PTR"},	  {13, "HINFO"},     {15, "MX"},     {16, "TXT"},
	{28, "AAAA"},	  {33, "SRV"},	     {35, "NAPTR"},  {39, "DNAME"},
	{41, "OPT"},	  {43, "DS"},	     {46, "RRSIG"},  {47, "NSEC"},
	{48, "DNSKEY"},	  {50, "NSEC3"},     {51, "NSEC3PARAM"},
	{52, "TLSA"},	  {64, "SVCB"},	     {65, "HTTPS"},  {250, "TSIG"},
	{251, "IXFR"},	  {252, "AXFR"},     {255, "ANY"},   {256, "URI"},
	{257, "CAA"},	  {3, "MD"},	     {4, "MF"},	     {7, "MB"},
	{8, "MG"},	  {9, "MR"},	     {10, "NULL"},   {11, "WKS"},
	{14, "MINFO"},	  {17, "RP"},	     {18, "AFSDB"},  {19, "X25"},
	{20, "ISDN"},	  {21, "RT"},	     {22, "NSAP"},   {23, "NSAP-PTR"},
	{24, "SIG"},	  {25, "KEY"},	     {26, "PX"},     {27, "GPOS"},
	{29, "LOC"},	  {30, "NXT"},	     {31, "EID"},    {32, "NIMLOC"},
	{34, "ATMA"},	  {36, "KX"},	     {37, "CERT"},   {38, "A6"},
	{40, "SINK"},	  {42, "APL"},	     {44, "SSHFP"},  {45, "IPSECKEY"},
	{49, "DHCID"},	  {53, "SMIMEA"},    {55, "HIP"},    {59, "CDS"},
	{60, "CDNSKEY"},  {61, "OPENPGPKEY"}, {62, "CSYNC"}, {63, "ZONEMD"},
	{99, "SPF"},	  {249, "TKEY"},     {253, "MAILB"}, {254, "MAILA"},
	{32768, "TA"},	  {32769, "DLV"},
};

const char *dns_type_name(unsigned type)
{
	for (size_t i = 0; i < TP_COUNT(short_names); i++)
		if (short_names[i].t == type)
			return short_names[i].s;
	return NULL;
}

static const tp_valstr class_vals[] = {
	{1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"}, {0, NULL}};
static const tp_valstr opcode_vals[] = {
	{0, "Standard query"},
	{1, "Inverse query"},
	{2, "Server status request"},
	{4, "Zone change notification"},
	{5, "Dynamic update"},
	{6, "DNS Stateful operations (DSO)"},
	{0, NULL}};
const tp_valstr dns_rcode_vals[] = {
	{0, "No error"},
	{1, "Format error"},
	{2, "Server failure"},
	{3, "No such name"},
	{4, "Not implemented"},
	{5, "Refused"},
	{6, "Name exists"},
	{7, "RRset exists"},
	{8, "RRset does not exist"},
	{9, "Not authoritative"},
	{10, "Name out of zone"},
	{11, "DSO-Type not implemented"},
	{16, "Bad OPT Version OR TSIG Signature Failure"},
	{17, "Key not recognized"},
	{18, "Signature out of time window"},
	{19, "Bad TKEY mode"},
	{20, "Duplicate key name"},
	{21, "Algorithm not supported"},
	{22, "Bad truncation"},
	{23, "Bad/missing server cookie"},
	{0, NULL}};
static const tp_valstr opt_vals[] = {
	{3, "NSID"},   {5, "DAU"},     {6, "DHU"},	  {7, "N3U"},
	{8, "CSUBNET - Client subnet"}, {9, "EDNS EXPIRE"},
	{10, "COOKIE"}, {11, "EDNS TCP KEEPALIVE"}, {12, "PADDING"},
	{13, "CHAIN"}, {14, "EDNS KEY TAG"}, {15, "Extended DNS Error"},
	{0, NULL}};

#define FB(a, n, m) {a, n, TP_FT_BOOLEAN, 16, NULL, m}
#define U8(a, n) {a, n, TP_FT_UINT8, TP_BASE_DEC, NULL, 0}
#define U16(a, n) {a, n, TP_FT_UINT16, TP_BASE_DEC, NULL, 0}
#define U32(a, n) {a, n, TP_FT_UINT32, TP_BASE_DEC, NULL, 0}
#define STR(a, n) {a, n, TP_FT_STRING, TP_BASE_NONE, NULL, 0}
#define BYT(a, n) {a, n, TP_FT_BYTES, TP_BASE_NONE, NULL, 0}

const tp_field_def tp_dns_fields[F_COUNT_] = {
	[F_LENGTH] = U16("dns.length", "Length"),
	[F_ID] = {"dns.id", "Transaction ID", TP_FT_UINT16, TP_BASE_HEX, NULL,
		  0},
	[F_FLAGS] = {"dns.flags", "Flags", TP_FT_UINT16, TP_BASE_HEX, NULL, 0},
	[F_FL_RESPONSE] = FB("dns.flags.response", "Response", 0x8000),
	[F_FL_OPCODE] = {"dns.flags.opcode", "Opcode", TP_FT_UINT16,
			 TP_BASE_DEC, opcode_vals, 0x7800},
	[F_FL_AUTH] = FB("dns.flags.authoritative", "Authoritative", 0x400),
	[F_FL_CONFLICT] = FB("dns.flags.conflict", "Conflict", 0x400),
	[F_FL_TRUNC] = FB("dns.flags.truncated", "Truncated", 0x200),
	[F_FL_RD] = FB("dns.flags.recdesired", "Recursion desired", 0x100),
	[F_FL_TENTATIVE] = FB("dns.flags.tentative", "Tentative", 0x100),
	[F_FL_RA] = FB("dns.flags.recavail", "Recursion available", 0x80),
	[F_FL_Z] = FB("dns.flags.z", "Z", 0x40),
	[F_FL_AD] = FB("dns.flags.authenticated", "Answer authenticated",
		       0x20),
	[F_FL_CD] = FB("dns.flags.checkdisable", "Non-authenticated data",
		       0x10),
	[F_FL_RCODE] = {"dns.flags.rcode", "Reply code", TP_FT_UINT16,
			TP_BASE_DEC, dns_rcode_vals, 0xf},
	[F_CNT_Q] = U16("dns.count.queries", "Questions"),
	[F_CNT_ZONES] = U16("dns.count.zones", "Zones"),
	[F_CNT_AN] = U16("dns.count.answers", "Answer RRs"),
	[F_CNT_PREREQ] = U16("dns.count.prerequisites", "Prerequisites"),
	[F_CNT_NS] = U16("dns.count.auth_rr", "Authority RRs"),
	[F_CNT_UPD] = U16("dns.count.updates", "Updates"),
	[F_CNT_AR] = U16("dns.count.add_rr", "Additional RRs"),
	[F_QRY_NAME] = STR("dns.qry.name", "Name"),
	[F_QRY_NAME_LEN] = U16("dns.qry.name.len", "Name Length"),
	[F_CNT_LABELS] = U16("dns.count.labels", "Label Count"),
	[F_QRY_TYPE] = {"dns.qry.type", "Type", TP_FT_UINT16, TP_BASE_DEC,
			dns_type_vals, 0},
	[F_QRY_CLASS] = {"dns.qry.class", "Class", TP_FT_UINT16, TP_BASE_HEX,
			 class_vals, 0},
	[F_QRY_QU] = FB("dns.qry.qu", "\"QU\" question", 0x8000),
	[F_RESP_NAME] = STR("dns.resp.name", "Name"),
	[F_RESP_TYPE] = {"dns.resp.type", "Type", TP_FT_UINT16, TP_BASE_DEC,
			 dns_type_vals, 0},
	[F_RESP_CLASS] = {"dns.resp.class", "Class", TP_FT_UINT16,
			  TP_BASE_HEX, class_vals, 0},
	[F_RESP_CACHE_FLUSH] = FB("dns.resp.cache_flush", "Cache flush",
				  0x8000),
	[F_RESP_TTL] = U32("dns.resp.ttl", "Time to live"),
	[F_RESP_LEN] = U16("dns.resp.len", "Data length"),
	[F_RR_UDP_SIZE] = U16("dns.rr.udp_payload_size", "UDP payload size"),
	[F_RESP_EXT_RCODE] = {"dns.resp.ext_rcode",
			      "Higher bits in extended RCODE", TP_FT_UINT8,
			      TP_BASE_HEX, NULL, 0},
	[F_RESP_EDNS_VER] = U8("dns.resp.edns0_version", "EDNS0 version"),
	[F_RESP_Z] = {"dns.resp.z", "Z", TP_FT_UINT16, TP_BASE_HEX, NULL, 0},
	[F_RESP_Z_DO] = FB("dns.resp.z.do", "DO bit", 0x8000),
	[F_RESP_Z_RES] = {"dns.resp.z.reserved", "Reserved", TP_FT_UINT16,
			  TP_BASE_HEX, NULL, 0x7fff},
	[F_OPT] = {"dns.opt", "Option", TP_FT_NONE, TP_BASE_NONE, NULL, 0},
	[F_OPT_CODE] = {"dns.opt.code", "Option Code", TP_FT_UINT16,
			TP_BASE_DEC, opt_vals, 0},
	[F_OPT_LEN] = U16("dns.opt.len", "Option Length"),
	[F_OPT_DATA] = BYT("dns.opt.data", "Option Data"),
	[F_OPT_CLIENT_FAMILY] = U16("dns.opt.client.family", "Family"),
	[F_OPT_CLIENT_NETMASK] = U8("dns.opt.client.netmask",
				    "Source Netmask"),
	[F_OPT_CLIENT_SCOPE] = U8("dns.opt.client.scope", "Scope Netmask"),
	[F_OPT_CLIENT_ADDR] = BYT("dns.opt.client.addr", "Client Subnet"),
	[F_OPT_CLIENT_ADDR4] = {"dns.opt.client.addr4", "Client Subnet",
				TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	[F_OPT_CLIENT_ADDR6] = {"dns.opt.client.addr6", "Client Subnet",
				TP_FT_IPv6, TP_BASE_NONE, NULL, 0},
	[F_OPT_COOKIE_CLIENT] = BYT("dns.opt.cookie.client", "Client Cookie"),
	[F_OPT_COOKIE_SERVER] = BYT("dns.opt.cookie.server", "Server Cookie"),
	[F_OPT_PADDING] = BYT("dns.opt.padding", "Padding"),
	[F_OPT_EDE_CODE] = U16("dns.opt.ext_error.info_code", "Info Code"),
	[F_OPT_EDE_TEXT] = STR("dns.opt.ext_error.extra_text", "Extra Text"),
	[F_A] = {"dns.a", "Address", TP_FT_IPv4, TP_BASE_NONE, NULL, 0},
	[F_AAAA] = {"dns.aaaa", "AAAA Address", TP_FT_IPv6, TP_BASE_NONE, NULL,
		    0},
	[F_CNAME] = STR("dns.cname", "CNAME"),
	[F_NS] = STR("dns.ns", "Name Server"),
	[F_PTR] = STR("dns.ptr.domain_name", "Domain Name"),
	[F_MX_PREF] = U16("dns.mx.preference", "Preference"),
	[F_MX_NAME] = STR("dns.mx.mail_exchange", "Mail Exchange"),
	[F_TXT_LEN] = U8("dns.txt.length", "TXT Length"),
	[F_TXT] = STR("dns.txt", "TXT"),
	[F_SOA_MNAME] = STR("dns.soa.mname", "Primary name server"),
	[F_SOA_RNAME] = STR("dns.soa.rname",
			    "Responsible authority's mailbox"),
	[F_SOA_SERIAL] = U32("dns.soa.serial_number", "Serial Number"),
	[F_SOA_REFRESH] = U32("dns.soa.refresh_interval", "Refresh Interval"),
	[F_SOA_RETRY] = U32("dns.soa.retry_interval", "Retry Interval"),
	[F_SOA_EXPIRE] = U32("dns.soa.expire_limit", "Expire limit"),
	[F_SOA_MIN] = U32("dns.soa.minimum_ttl", "Minimum TTL"),
	[F_SRV_SERVICE] = STR("dns.srv.service", "Service"),
	[F_SRV_PROTO] = STR("dns.srv.proto", "Protocol"),
	[F_SRV_NAME] = STR("dns.srv.name", "Name"),
	[F_SRV_PRIO] = U16("dns.srv.priority", "Priority"),
	[F_SRV_WEIGHT] = U16("dns.srv.weight", "Weight"),
	[F_SRV_PORT] = U16("dns.srv.port", "Port"),
	[F_SRV_TARGET] = STR("dns.srv.target", "Target"),
	[F_CAA_FLAGS] = {"dns.caa.flags", "CAA Flags", TP_FT_UINT8,
			 TP_BASE_HEX, NULL, 0},
	[F_CAA_CRIT] = {"dns.caa.flags.issuer_critical", "Issuer Critical",
			TP_FT_BOOLEAN, 8, NULL, 0x80},
	[F_CAA_TAG_LEN] = U8("dns.caa.tag_length", "Tag length"),
	[F_CAA_TAG] = STR("dns.caa.tag", "Tag"),
	[F_CAA_VALUE] = STR("dns.caa.value", "Value"),
	[F_CAA_ISSUE] = STR("dns.caa.issue", "Issue"),
	[F_CAA_ISSUEWILD] = STR("dns.caa.issuewild", "Issue Wildcard"),
	[F_CAA_IODEF] = STR("dns.caa.iodef", "Report URL"),
	[F_NAPTR_ORDER] = U16("dns.naptr.order", "Order"),
	[F_NAPTR_PREF] = U16("dns.naptr.preference", "Preference"),
	[F_NAPTR_FLAGS_LEN] = U8("dns.naptr.flags_length", "Flags Length"),
	[F_NAPTR_FLAGS] = STR("dns.naptr.flags", "Flags"),
	[F_NAPTR_SERVICE_LEN] = U8("dns.naptr.service_length",
				   "Service Length"),
	[F_NAPTR_SERVICE] = STR("dns.naptr.service", "Service"),
	[F_NAPTR_REGEX_LEN] = U8("dns.naptr.regex_length", "Regex Length"),
	[F_NAPTR_REGEX] = STR("dns.naptr.regex", "Regex"),
	[F_NAPTR_REPL_LEN] = U8("dns.naptr.replacement_length",
				"Replacement Length"),
	[F_NAPTR_REPL] = STR("dns.naptr.replacement", "Replacement"),
	[F_HINFO_CPU_LEN] = U8("dns.hinfo.cpu_length", "CPU Length"),
	[F_HINFO_CPU] = STR("dns.hinfo.cpu", "CPU"),
	[F_HINFO_OS_LEN] = U8("dns.hinfo.os_length", "OS Length"),
	[F_HINFO_OS] = STR("dns.hinfo.os", "OS"),
	[F_DS_KEYID] = {"dns.ds.key_id", "Key id", TP_FT_UINT16, TP_BASE_HEX,
			NULL, 0},
	[F_DS_ALG] = U8("dns.ds.algorithm", "Algorithm"),
	[F_DS_DIGEST_TYPE] = U8("dns.ds.digest_type", "Digest Type"),
	[F_DS_DIGEST] = BYT("dns.ds.digest", "Digest"),
	[F_DNSKEY_FLAGS] = {"dns.dnskey.flags", "Flags", TP_FT_UINT16,
			    TP_BASE_HEX, NULL, 0},
	[F_DNSKEY_ZONE] = FB("dns.dnskey.flags.zone_key", "Zone Key", 0x100),
	[F_DNSKEY_REVOKED] = FB("dns.dnskey.flags.key_revoked", "Key Revoked",
				0x80),
	[F_DNSKEY_SEP] = FB("dns.dnskey.flags.secure_entry_point",
			    "Key Signing Key", 0x1),
	[F_DNSKEY_RES] = {"dns.dnskey.flags.reserved", "Key Signing Key",
			  TP_FT_UINT16, TP_BASE_HEX, NULL, 0xfe7e},
	[F_DNSKEY_PROTO] = U8("dns.dnskey.protocol", "Protocol"),
	[F_DNSKEY_ALG] = U8("dns.dnskey.algorithm", "Algorithm"),
	[F_DNSKEY_KEYID] = U16("dns.dnskey.key_id", "Key id"),
	[F_DNSKEY_KEY] = BYT("dns.dnskey.public_key", "Public Key"),
	[F_RRSIG_TYPE] = {"dns.rrsig.type_covered", "Type Covered",
			  TP_FT_UINT16, TP_BASE_DEC, dns_type_vals, 0},
	[F_RRSIG_ALG] = U8("dns.rrsig.algorithm", "Algorithm"),
	[F_RRSIG_LABELS] = U8("dns.rrsig.labels", "Labels"),
	[F_RRSIG_OTTL] = U32("dns.rrsig.original_ttl", "Original TTL"),
	[F_RRSIG_EXP] = {"dns.rrsig.signature_expiration",
			 "Signature Expiration", TP_FT_ABSOLUTE_TIME,
			 TP_BASE_NONE, NULL, 0},
	[F_RRSIG_INC] = {"dns.rrsig.signature_inception",
			 "Signature Inception", TP_FT_ABSOLUTE_TIME,
			 TP_BASE_NONE, NULL, 0},
	[F_RRSIG_KEYTAG] = U16("dns.rrsig.key_tag", "Key Tag"),
	[F_RRSIG_SIGNER] = STR("dns.rrsig.signers_name", "Signer's name"),
	[F_RRSIG_SIG] = BYT("dns.rrsig.signature", "Signature"),
	[F_NSEC_NEXT] = STR("dns.nsec.next_domain_name", "Next Domain Name"),
	[F_SSHFP_ALG] = U8("dns.sshfp.algorithm", "Algorithm"),
	[F_SSHFP_TYPE] = U8("dns.sshfp.fingerprint.type", "Fingerprint type"),
	[F_SSHFP_FP] = BYT("dns.sshfp.fingerprint", "Fingerprint"),
	[F_NSEC3_ALG] = U8("dns.nsec3.algo", "Hash algorithm"),
	[F_NSEC3_FLAGS] = U8("dns.nsec3.flags", "NSEC3 flags"),
	[F_NSEC3_OPTOUT] = {"dns.nsec3.flags.opt_out", "NSEC3 Opt-out flag",
			    TP_FT_BOOLEAN, 8, NULL, 0x1},
	[F_NSEC3_ITER] = U16("dns.nsec3.iterations", "NSEC3 iterations"),
	[F_NSEC3_SALT_LEN] = U8("dns.nsec3.salt_length", "Salt length"),
	[F_NSEC3_SALT] = BYT("dns.nsec3.salt_value", "Salt value"),
	[F_NSEC3_HASH_LEN] = U8("dns.nsec3.hash_length", "Hash length"),
	[F_NSEC3_HASH] = STR("dns.nsec3.hash_value", "Next hashed owner"),
	[F_SVCB_PRIO] = U16("dns.svcb.svcpriority", "SvcPriority"),
	[F_SVCB_TARGET] = STR("dns.svcb.targetname", "TargetName"),
	[F_SVCB_PARAM] = {"dns.svcb.svcparam", "SvcParam", TP_FT_NONE,
			  TP_BASE_NONE, NULL, 0},
	[F_SVCB_KEY] = U16("dns.svcb.svcparam.key", "SvcParamKey"),
	[F_SVCB_VLEN] = U16("dns.svcb.svcparam.value.length",
			    "SvcParamValue length"),
	[F_SVCB_VALUE] = BYT("dns.svcb.svcparam.value", "SvcParamValue"),
	[F_SVCB_MANDATORY] = U16("dns.svcb.svcparam.mandatory.key",
				 "Mandatory key"),
	[F_SVCB_ALPN_LEN] = U8("dns.svcb.svcparam.alpn.length", "ALPN length"),
	[F_SVCB_ALPN] = STR("dns.svcb.svcparam.alpn", "ALPN"),
	[F_SVCB_PORT] = U16("dns.svcb.svcparam.port", "Port"),
	[F_SVCB_IPV4] = {"dns.svcb.svcparam.ipv4hint.ip", "IP", TP_FT_IPv4,
			 TP_BASE_NONE, NULL, 0},
	[F_SVCB_ECH] = BYT("dns.svcb.svcparam.echconfig", "ECHConfig"),
	[F_SVCB_IPV6] = {"dns.svcb.svcparam.ipv6hint.ip", "IP", TP_FT_IPv6,
			 TP_BASE_NONE, NULL, 0},
	[F_DATA] = BYT("dns.data", "Data"),
	[F_RESPONSE_TO] = {"dns.response_to", "Request In", TP_FT_FRAMENUM,
			   TP_BASE_NONE, NULL, 0},
	[F_TIME] = {"dns.time", "Time", TP_FT_RELATIVE_TIME, TP_BASE_NONE,
		    NULL, 0},
	[F_RETRANS] = {"dns.retransmission", "Retransmission", TP_FT_BOOLEAN,
		       0, NULL, 0},
	[F_RETRANS_REQ_IN] = {"dns.retransmit_request_in",
			      "Retransmitted request. Original request in",
			      TP_FT_FRAMENUM, TP_BASE_NONE, NULL, 0},
	[F_RETRANS_RESP_IN] = {"dns.retransmit_response_in",
			       "Retransmitted response. Original response in",
			       TP_FT_FRAMENUM, TP_BASE_NONE, NULL, 0},
	[F_UNSOLICITED] = {"dns.unsolicited", "Unsolicited", TP_FT_BOOLEAN, 0,
			   NULL, 0},
};

const tp_event_def tp_dns_events[E_COUNT_] = {
	[E_NAME_PTR] = {"dns.name.bad_pointer", TP_EV_MALFORMED,
			"Name compression pointer loops or points forward"},
	[E_NAME_LABEL] = {"dns.name.bad_label", TP_EV_MALFORMED,
			  "Name label of a reserved or unknown type"},
	[E_NAME_LONG] = {"dns.name.too_long", TP_EV_MALFORMED,
			 "Name longer than 255 bytes"},
	[E_RDATA_LEN] = {"dns.rr.bad_length", TP_EV_MALFORMED,
			 "Record data length does not fit its type"},
	[E_COUNT_BIG] = {"dns.count.bad", TP_EV_MALFORMED,
			 "Section counts claim more records than the message "
			 "holds"},
	[E_PREFIX] = {"dns.length.bad", TP_EV_MALFORMED,
		      "Message length less than the 12-byte header"},
	[E_SHORT] = {"dns.short", TP_EV_MALFORMED,
		     "Message shorter than the 12-byte header"},
	[E_RETRANS] = {"dns.retransmit_request", TP_EV_NOTE,
		       "DNS query retransmission"},
	[E_DUP_RESP] = {"dns.retransmit_response", TP_EV_NOTE,
			"DNS response retransmission"},
	[E_UNSOLICITED] = {"dns.unsolicited", TP_EV_NOTE,
			   "Response with no query seen"},
};

#define FD(i) (&tp_dns_fields[(i)])

/* ---- names ----------------------------------------------------------- */

bool dns_read_name(const tp_cursor *msg, size_t mb, size_t at, dns_name *n)
{
	tp_cursor r = *msg;
	r.status = TP_OK;
	r.off = at;
	size_t limit = at; /* a pointer must point before this */
	unsigned hops = 0;
	bool jumped = false;
	n->len = 0;
	n->wire = 0;
	n->labels = 0;
	n->err = 0;
	n->st = msg->status;
	if (msg->status != TP_OK)
		return false; /* the record stopped before it */
	for (;;) {
		int b = tp_u8(&r);
		if (!tp_ok(&r))
			break;
		if (b == 0)
			break;
		if ((b & 0xc0) == 0xc0) {
			unsigned lo = tp_u8(&r);
			if (!tp_ok(&r))
				break;
			size_t target = mb + ((unsigned)(b & 0x3f) << 8 | lo);
			if (!jumped)
				n->wire = r.off - at;
			jumped = true;
			if (target >= limit || ++hops > DNS_HOPS_MAX) {
				n->err = 1 + E_NAME_PTR;
				return false;
			}
			limit = target;
			r.off = target;
			continue;
		}
		if (b & 0xc0) {
			n->err = 1 + E_NAME_LABEL;
			if (!jumped)
				n->wire = r.off - at;
			return false;
		}
		const uint8_t *lab = tp_bytes(&r, (size_t)b);
		if (!lab)
			break;
		n->labels++;
		size_t need = n->len + (n->len ? 1u : 0u) + (size_t)b;
		if (need > DNS_NAME_MAX || n->err) {
			/* too long: read on to its end (tshark goes on after
			 * it), keep no more of it */
			n->err = 1 + E_NAME_LONG;
			continue;
		}
		if (n->len)
			n->txt[n->len++] = '.';
		memcpy(n->txt + n->len, lab, (size_t)b);
		n->len += (size_t)b;
	}
	if (!jumped)
		n->wire = r.off - at;
	if (!tp_ok(&r)) {
		n->st = r.status;
		n->err = 0;
		return false;
	}
	return !n->err;
}

/* The length of a valid UTF-8 sequence at b[0..n), or 0. */
static size_t utf8_len(const uint8_t *b, size_t n)
{
	size_t k = b[0] >= 0xf0 && b[0] < 0xf5 ? 4
		   : b[0] >= 0xe0		 ? 3
		   : b[0] >= 0xc2 && b[0] < 0xe0 ? 2
						 : 0;
	if (!k || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((b[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* A name's text as tshark keeps it: bytes that are not UTF-8 become
 * U+FFFD (the outputs escape control characters).  `out` has room for
 * 3 * n bytes; returns the length. */
static size_t utf8_clean(uint8_t *out, const uint8_t *b, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = b[i] < 0x80 ? 1 : utf8_len(b + i, n - i);
		if (k) {
			memcpy(out + o, b + i, k);
			o += k;
			i += k;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	return o;
}

bool dns_add_name(tp_pkt *p, tp_cursor *c, size_t mb, const tp_field_def *f,
		  dns_name *n)
{
	size_t at = c->off;
	bool ok = dns_read_name(c, mb, at, n);
	if (ok || n->err == 1 + E_NAME_PTR || n->err == 1 + E_NAME_LONG) {
		const uint8_t *txt = (const uint8_t *)"<Root>";
		size_t len = 6;
		if (n->err == 1 + E_NAME_LONG) {
			txt = (const uint8_t *)"<Name too long>";
			len = 15;
		} else if (n->len) {
			uint8_t *a = tp_arena_alloc(p, 3 * n->len);
			len = a ? utf8_clean(a, n->txt, n->len) : 0;
			txt = a;
		}
		if (txt)
			tp_add_bytes(p, f, at, n->wire, txt, len);
	}
	if (n->err == 1 + E_NAME_LONG) {
		/* malformed, but its end is known: the record goes on */
		tp_add_event(p, &tp_dns_events[E_NAME_LONG], at);
		tp_skip(c, n->wire);
		return tp_ok(c);
	}
	if (n->err) {
		tp_add_event(p, &tp_dns_events[n->err - 1], at);
		tp_fail(c, TP_MALFORMED);
		return false;
	}
	if (!ok) {
		tp_fail(c, n->st);
		return false;
	}
	tp_skip(c, n->wire);
	return true;
}

/* ---- header and sections --------------------------------------------- */

static void add_flags(tp_pkt *p, size_t at, uint16_t fl, bool llmnr)
{
	tp_add_uint(p, FD(F_FLAGS), at, 2, fl);
	tp_push(p);
	bool resp = fl & 0x8000;
	tp_add_uint(p, FD(F_FL_RESPONSE), at, 2, resp);
	tp_add_uint(p, FD(F_FL_OPCODE), at, 2, (fl >> 11) & 0xf);
	if (llmnr) {
		tp_add_uint(p, FD(F_FL_CONFLICT), at, 2, (fl & 0x400) != 0);
		tp_add_uint(p, FD(F_FL_TRUNC), at, 2, (fl & 0x200) != 0);
		tp_add_uint(p, FD(F_FL_TENTATIVE), at, 2, (fl & 0x100) != 0);
	} else {
		if (resp)
			tp_add_uint(p, FD(F_FL_AUTH), at, 2,
				    (fl & 0x400) != 0);
		tp_add_uint(p, FD(F_FL_TRUNC), at, 2, (fl & 0x200) != 0);
		tp_add_uint(p, FD(F_FL_RD), at, 2, (fl & 0x100) != 0);
		if (resp)
			tp_add_uint(p, FD(F_FL_RA), at, 2, (fl & 0x80) != 0);
		tp_add_uint(p, FD(F_FL_Z), at, 2, (fl & 0x40) != 0);
		if (resp || (fl & 0x20)) /* tshark: on a query when set */
			tp_add_uint(p, FD(F_FL_AD), at, 2, (fl & 0x20) != 0);
		tp_add_uint(p, FD(F_FL_CD), at, 2, (fl & 0x10) != 0);
	}
	if (resp)
		tp_add_uint(p, FD(F_FL_RCODE), at, 2, fl & 0xf);
	tp_pop(p);
}

/* One question; false when the message ends. */
static bool question(tp_pkt *p, tp_cursor *c, size_t mb, bool mdns)
{
	dns_name n;
	size_t at = c->off;
	bool ok = dns_add_name(p, c, mb, FD(F_QRY_NAME), &n);
	if (!ok && (n.err == 0 || n.err == 1 + E_NAME_LABEL))
		return false; /* no name field: nothing about it */
	/* tshark counts its text: "<Root>" and "<Name too long>" are one
	 * label of 6 and 15 */
	bool text = !n.len || n.err == 1 + E_NAME_LONG;
	tp_push(p);
	tp_add_uint(p, FD(F_QRY_NAME_LEN), at, 0,
		    !text ? n.len : n.len ? 15 : 6);
	tp_add_uint(p, FD(F_CNT_LABELS), at, 0, text ? 1 : n.labels);
	tp_pop(p);
	if (!ok)
		return false;
	tp_push(p);
	tp_get_be16(p, c, FD(F_QRY_TYPE));
	size_t cat = c->off;
	uint16_t cl = tp_be16(c);
	if (tp_ok(c)) {
		tp_add_uint(p, FD(F_QRY_CLASS), cat, 2, mdns ? cl & 0x7fff : cl);
		if (mdns)
			tp_add_uint(p, FD(F_QRY_QU), cat, 2, (cl & 0x8000) != 0);
	}
	tp_pop(p);
	return tp_ok(c);
}

static void opt_header(tp_pkt *p, size_t at, uint16_t cls, uint32_t ttl)
{
	tp_add_uint(p, FD(F_RR_UDP_SIZE), at + 2, 2, cls);
	tp_add_uint(p, FD(F_RESP_EXT_RCODE), at + 4, 1, ttl >> 24);
	tp_add_uint(p, FD(F_RESP_EDNS_VER), at + 5, 1, (ttl >> 16) & 0xff);
	tp_add_uint(p, FD(F_RESP_Z), at + 6, 2, ttl & 0xffff);
	tp_push(p);
	tp_add_uint(p, FD(F_RESP_Z_DO), at + 6, 2, (ttl & 0x8000) != 0);
	tp_add_uint(p, FD(F_RESP_Z_RES), at + 6, 2, ttl & 0x7fff);
	tp_pop(p);
}

/* One resource record; false when the message ends. */
/* An SRV record's owner "_service._proto.name" as tshark shows it: three
 * fields instead of dns.resp.name.  False when the name is not so. */
static bool srv_owner(tp_pkt *p, tp_cursor *c, size_t mb)
{
	dns_name n;
	size_t at = c->off;
	if (!dns_read_name(c, mb, at, &n) || n.labels < 3 || n.txt[0] != '_')
		return false;
	tp_cursor t = *c;
	t.off = at + n.wire;
	if (tp_be16(&t) != T_SRV || !tp_ok(&t))
		return false;
	const uint8_t *dot1 = memchr(n.txt, '.', n.len);
	const uint8_t *dot2 =
		memchr(dot1 + 1, '.', n.len - (size_t)(dot1 + 1 - n.txt));
	if (!dot2 || dot1[1] != '_')
		return false;
	uint8_t *a = tp_arena_alloc(p, n.len);
	if (!a)
		return false;
	memcpy(a, n.txt, n.len);
	size_t l1 = (size_t)(dot1 - n.txt), l2 = (size_t)(dot2 - dot1 - 1);
	tp_add_bytes(p, FD(F_SRV_SERVICE), at, n.wire, a, l1);
	tp_add_bytes(p, FD(F_SRV_PROTO), at, n.wire, a + l1 + 1, l2);
	tp_add_bytes(p, FD(F_SRV_NAME), at, n.wire, a + l1 + l2 + 2,
		     n.len - l1 - l2 - 2);
	tp_skip(c, n.wire);
	return true;
}

static bool record(tp_pkt *p, tp_cursor *c, size_t mb, bool mdns)
{
	dns_name n;
	/* a record whose fixed part is cut shows nothing, not even its
	 * name (tshark's exception comes first) */
	if (dns_read_name(c, mb, c->off, &n)) {
		tp_cursor t = *c;
		if (!tp_skip(&t, n.wire) || !tp_skip(&t, 10)) {
			tp_fail(c, t.status);
			return false;
		}
	}
	if (!srv_owner(p, c, mb) &&
	    !dns_add_name(p, c, mb, FD(F_RESP_NAME), &n))
		return false;
	size_t at = c->off;
	uint16_t type = tp_be16(c);
	uint16_t cls = tp_be16(c);
	uint32_t ttl = tp_be32(c);
	uint16_t rdlen = tp_be16(c);
	if (!tp_ok(c))
		return false; /* the fixed part cut: nothing of it, as tshark */
	tp_push(p);
	tp_add_uint(p, FD(F_RESP_TYPE), at, 2, type);
	if (type == T_OPT) {
		opt_header(p, at, cls, ttl);
	} else {
		tp_add_uint(p, FD(F_RESP_CLASS), at + 2, 2,
			    mdns ? cls & 0x7fff : cls);
		if (mdns)
			tp_add_uint(p, FD(F_RESP_CACHE_FLUSH), at + 2, 2,
				    (cls & 0x8000) != 0);
		tp_add_uint(p, FD(F_RESP_TTL), at + 4, 4, ttl);
	}
	tp_add_uint(p, FD(F_RESP_LEN), at + 8, 2, rdlen);
	tp_cursor rd = tp_sub(c, rdlen);
	dns_rdata(p, &rd, mb, type, rdlen);
	if (rd.status != TP_OK)
		tp_fail(c, rd.status);
	tp_pop(p);
	return tp_ok(c);
}

/* ---- the message ------------------------------------------------------ */

static void message(tp_pkt *p, tp_cursor *c)
{
	size_t mb = c->off;
	const tp_dissector *d = p->nlayers ? p->layers[p->nlayers - 1].d : NULL;
	bool mdns = d == &tp_diss_mdns, llmnr = d == &tp_diss_llmnr;
	if (!tp_has(c, 12)) {
		/* what there is of the header, then the event */
		tp_get_be16(p, c, FD(F_ID));
		if (tp_reported(c) < 12 - (c->off - mb))
			tp_add_event(p, &tp_dns_events[E_SHORT], mb);
		tp_need(c, 12 - (c->off - mb));
		return;
	}
	unsigned events_before = p->nevents;
	uint16_t id = tp_get_be16(p, c, FD(F_ID));
	size_t fat = c->off;
	uint16_t fl = tp_be16(c);
	add_flags(p, fat, fl, llmnr);
	bool update = ((fl >> 11) & 0xf) == 5;
	uint16_t cnt[4];
	static const int cf[2][4] = {
		{F_CNT_Q, F_CNT_AN, F_CNT_NS, F_CNT_AR},
		{F_CNT_ZONES, F_CNT_PREREQ, F_CNT_UPD, F_CNT_AR}};
	for (int i = 0; i < 4; i++)
		cnt[i] = tp_get_be16(p, c, FD(cf[update][i]));
	/* a record takes at least 11 bytes, a question 5: counts past what
	 * the message holds are noted, and the reading stops at its end */
	uint64_t min = 5ull * cnt[0] + 11ull * (cnt[1] + cnt[2] + cnt[3]);
	if (min > tp_reported(c))
		tp_add_event(p, &tp_dns_events[E_COUNT_BIG], mb + 4);
	qinfo q = {0};
	unsigned ext = 0;
	for (unsigned i = 0; i < cnt[0] && tp_ok(c); i++) {
		unsigned nf = p->nfields;
		if (!question(p, c, mb, mdns))
			break;
		if (i == 0 && p->nfields > nf &&
		    p->fields[nf].def == FD(F_QRY_NAME)) {
			const tp_field *nm = &p->fields[nf];
			q.name = nm->v.p;
			q.len = nm->vlen;
			tp_cursor t = *c;
			t.off = c->off - 4;
			q.type = tp_be16(&t);
			q.have = true;
		}
	}
	for (int sec = 1; sec < 4; sec++)
		for (unsigned i = 0; i < cnt[sec] && tp_ok(c); i++) {
			unsigned nf = p->nfields;
			if (!record(p, c, mb, mdns))
				break;
			/* the OPT record's high rcode bits (additional
			 * section) */
			for (unsigned k = nf; sec == 3 && k < p->nfields; k++)
				if (p->fields[k].def == FD(F_RESP_EXT_RCODE))
					ext = (unsigned)p->fields[k].v.u;
		}
	unsigned rcode = (fl & 0xf) | ext << 4;
	/* tshark pairs a message it read to its end */
	dns_pair(p, mb, id, fl, rcode, &q,
		 tp_ok(c) && p->nevents == events_before);
}

static tp_next dns_dissect(tp_pkt *p, tp_cursor *c)
{
	if (p->app_proto == 6) {
		/* one whole PDU: the length, then the message */
		size_t at = c->off;
		uint16_t len = tp_get_be16(p, c, FD(F_LENGTH));
		if (!tp_ok(c))
			return TP_STOP;
		if (len < 12)
			tp_add_event(p, &tp_dns_events[E_PREFIX], at);
		tp_cursor m = tp_sub(c, len);
		message(p, &m);
		if (m.status != TP_OK)
			tp_fail(c, m.status);
		return TP_STOP;
	}
	message(p, c);
	return TP_STOP;
}

/* TCP: the 2-byte length and the message it counts. */
static size_t dns_pdu_len(void *st, const uint8_t *b, size_t n)
{
	(void)st;
	if (n < 2)
		return 0;
	return 2 + ((size_t)b[0] << 8 | b[1]);
}

/* ---- Info (tshark's column) -------------------------------------------- */

static void put_type(tp_sbuf *s, unsigned type)
{
	const char *n = dns_type_name(type);
	if (n) {
		tp_sb_puts(s, n);
	} else {
		tp_sb_puts(s, "Unknown (");
		tp_sb_dec(s, type);
		tp_sb_putc(s, ')');
	}
}

static void put_name(tp_sbuf *s, const tp_pkt *p, const tp_field *f)
{
	tp_format_field_text(s, p, f); /* as -T fields shows it, as tshark */
}

static void dns_info(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	const tp_layer *l = &p->layers[li];
	const tp_field *f0 = &p->fields[l->first_field];
	uint64_t id = 0, fl = 0;
	if (!tp_layer_u64(p, li, FD(F_ID), &id) ||
	    !tp_layer_u64(p, li, FD(F_FLAGS), &fl)) {
		tp_sb_puts(s, "Malformed DNS message");
		return;
	}
	const char *op = tp_valstr_find(opcode_vals, (fl >> 11) & 0xf);
	if (op) {
		tp_sb_puts(s, op);
	} else {
		tp_sb_puts(s, "Unknown operation (");
		tp_sb_dec(s, (fl >> 11) & 0xf);
		tp_sb_putc(s, ')');
	}
	if (fl & 0x8000)
		tp_sb_puts(s, " response");
	tp_sb_puts(s, " 0x");
	tp_sb_hex(s, id, 4);
	/* tshark's Info names the header's 4 bits only (its tree has the
	 * extended rcode) */
	unsigned rcode = (unsigned)(fl & 0xf);
	if ((fl & 0x8000) && rcode) {
		const char *rs = tp_valstr_find(dns_rcode_vals, rcode);
		tp_sb_putc(s, ' ');
		if (rs) {
			tp_sb_puts(s, rs);
		} else {
			tp_sb_puts(s, "Unknown error (");
			tp_sb_dec(s, rcode);
			tp_sb_putc(s, ')');
		}
	}
	/* questions: " TYPE name"; records: " TYPE[ data]" */
	const tp_field *qname = NULL;
	unsigned rtype = 0;
	for (unsigned i = 0; i < l->nfields; i++) {
		const tp_field *f = &f0[i];
		unsigned k = (unsigned)(f->def - tp_dns_fields);
		if (f->def < tp_dns_fields || k >= F_COUNT_)
			continue;
		switch (k) {
		case F_QRY_NAME: qname = f; break;
		case F_QRY_TYPE:
			tp_sb_putc(s, ' ');
			put_type(s, (unsigned)f->v.u);
			if (qname) {
				tp_sb_putc(s, ' ');
				put_name(s, p, qname);
			}
			break;
		case F_QRY_QU: /* mDNS */
			tp_sb_puts(s, f->v.u ? ", \"QU\" question"
					     : ", \"QM\" question");
			break;
		case F_RESP_TYPE:
			if (f->level > 1)
				break; /* a type in an NSEC bit map */
			rtype = (unsigned)f->v.u;
			tp_sb_putc(s, ' ');
			put_type(s, rtype);
			break;
		case F_RESP_CACHE_FLUSH: /* mDNS */
			if (f->v.u)
				tp_sb_puts(s, ", cache flush");
			break;
		case F_A:
		case F_AAAA:
			tp_sb_putc(s, ' ');
			if (k == F_A && f->vlen == 4)
				tp_sb_ipv4(s, f->v.p);
			else if (f->vlen == 16)
				tp_sb_ipv6(s, f->v.p);
			break;
		case F_CNAME:
		case F_NS:
		case F_PTR:
		case F_MX_NAME:
		case F_SOA_MNAME:
		case F_SRV_TARGET:
		case F_HINFO_CPU:
		case F_HINFO_OS:
		case F_NAPTR_FLAGS:
		case F_NSEC_NEXT:
			tp_sb_putc(s, ' ');
			put_name(s, p, f);
			break;
		case F_MX_PREF:
		case F_NAPTR_ORDER:
		case F_NAPTR_PREF:
		case F_SRV_PRIO:
		case F_SRV_WEIGHT:
		case F_SRV_PORT:
			tp_sb_putc(s, ' ');
			tp_sb_dec(s, f->v.u);
			break;
		default: break;
		}
	}
	/* tshark's note when its dissection ran out of bytes */
	for (unsigned i = 0; i < p->nevents; i++) {
		if (p->events[i].layer != li)
			continue;
		if (p->events[i].def->kind == TP_EV_TRUNCATED) {
			tp_sb_puts(s, "[Packet size limited during capture]");
			break;
		}
	}
}

/* ---- the line ----------------------------------------------------------- */

/* tapir's own note after tcpdump's text, after " | " (the line still
 * begins with tcpdump's): what the pairing found.  tests/compare-
 * tcpdump-v.sh knows these four forms. */
static void put_pairing(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	/* the pairing's fields are the layer's last: one look from the end */
	const tp_layer *l = &p->layers[li];
	const tp_field *f0 = &p->fields[l->first_field];
	const tp_field *t = NULL, *to = NULL, *rq = NULL, *rs = NULL,
		       *un = NULL;
	for (unsigned i = l->nfields; i-- > 0;) {
		const tp_field *f = &f0[i];
		if (f->def == FD(F_TIME))
			t = f;
		else if (f->def == FD(F_RESPONSE_TO))
			to = f;
		else if (f->def == FD(F_RETRANS_REQ_IN))
			rq = f;
		else if (f->def == FD(F_RETRANS_RESP_IN))
			rs = f;
		else if (f->def == FD(F_UNSOLICITED))
			un = f;
		else if (f->def != FD(F_RETRANS))
			break;
	}
	if (rq) {
		tp_sb_puts(s, " | retransmission of #");
		tp_sb_dec(s, rq->v.u);
	} else if (rs) {
		tp_sb_puts(s, " | duplicate reply, first #");
		tp_sb_dec(s, rs->v.u);
	} else if (t && to) {
		tp_sb_reply_note(s, to->v.u, t->v.i);
	} else if (un) {
		tp_sb_puts(s, " | no query seen");
	}
}

static tp_sum dns_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	/* the transport below: tcpdump's printer reads its payload as the
	 * frame holds it (over TCP: the segment's, from its first byte,
	 * whatever PDU this layer is) */
	unsigned t = li;
	while (t-- > 0)
		if (p->layers[t].d == &tp_diss_tcp ||
		    p->layers[t].d == &tp_diss_udp)
			break;
	if (t >= li)
		return TP_SUM_STOP;
	const tp_layer *tl = &p->layers[t];
	bool tcp = tl->d == &tp_diss_tcp;
	tp_cursor c = tp_layer_cursor(p, t);
	uint32_t length = tl->payload_len;
	if (!tp_skip(&c, tl->len))
		return TP_SUM_STOP;
	tp_clamp(&c, length);
	const tp_dissector *d = p->layers[li].d;
	if (tcp && tp_tcp_seg_printer(p, t) == &tp_diss_dns) {
		/* TCP's line printed the segment's text (dns_seg_text) */
		put_pairing(p, li, s);
		return TP_SUM_STOP;
	}
	if (d == &tp_diss_llmnr) {
		/* tcpdump has no LLMNR printer: UDP's own text */
		tp_sb_puts(s, "UDP, length ");
		tp_sb_dec(s, length);
		return TP_SUM_STOP;
	}
	dns_tcpdump(s, c, length, tcp, d == &tp_diss_mdns, o->vflag);
	put_pairing(p, li, s);
	return TP_SUM_STOP;
}

/* tcpdump's domain_print on TCP port 53: each segment on its own, the
 * message's length first (a segment that completes no DNS message is
 * printed too). */
static void dns_seg_text(const tp_pkt *p, unsigned li, tp_cursor c,
			 uint32_t length, tp_sbuf *s, const tp_outopts *o)
{
	(void)p;
	(void)li;
	dns_tcpdump(s, c, length, true, false, o->vflag);
}

static const tp_key dns_keys[] = {{TP_TAB_UDP_PORT, DNS_PORT},
				  {TP_TAB_TCP_PORT, DNS_PORT},
				  {TP_TAB_TCP_TEXT, DNS_PORT},
				  {0, 0}};
static const tp_key mdns_keys[] = {{TP_TAB_UDP_PORT, MDNS_PORT}, {0, 0}};
static const tp_key llmnr_keys[] = {{TP_TAB_UDP_PORT, LLMNR_PORT}, {0, 0}};

/* mDNS and LLMNR: the same message under tshark's own names for the
 * Protocol column (their fields are dns.*, as tshark's). */
#define DNS_COMMON                                                           \
	.fields = tp_dns_fields, .nfields = F_COUNT_,                        \
	.events = tp_dns_events, .nevents = E_COUNT_,                        \
	.dissect = dns_dissect, .summarize = dns_summarize,                  \
	.info = dns_info

const tp_dissector tp_diss_dns = {
	.name = "dns",
	.longname = "Domain Name System",
	DNS_COMMON,
	.keys = dns_keys,
	.seg_summarize = dns_seg_text,
	.pdu_len = dns_pdu_len,
	.pdu_max = 65537,
	.colname = "DNS",
	.session_new = dns_session_new,
	.session_free = dns_session_free,
	.stats_print = dns_stats_print,
};

const tp_dissector tp_diss_mdns = {
	.name = "mdns",
	.longname = "Multicast Domain Name System",
	DNS_COMMON,
	.keys = mdns_keys,
	.colname = "MDNS",
};

const tp_dissector tp_diss_llmnr = {
	.name = "llmnr",
	.longname = "Link-local Multicast Name Resolution",
	DNS_COMMON,
	.keys = llmnr_keys,
	.colname = "LLMNR",
};
