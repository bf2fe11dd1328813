/* x509.c - X.509 certificates (DER), as TLS's Certificate message
 * carries them, parsed by OpenSSL's libcrypto rather than by hand.
 *
 * Why libcrypto: the certificate is the most hostile-shaped input TLS
 * has (nested DER of any depth and length, a dozen string types, key
 * encodings per algorithm); libcrypto's d2i_X509 is the parser the
 * world's TLS stacks run and fuzz (OSS-Fuzz) every day, it names the
 * algorithms and key types itself, and it hashes (SHA-256).  GnuTLS
 * would share nettle with tapir's hashes but brings libtasn1 and p11-kit
 * for the same job; the issue names libcrypto.
 *
 * The bytes reach the library only through TLS's cursor (a bounds-
 * checked certificate of at most TLS_HS_MAX bytes); everything the
 * library allocates is freed before tp_x509_dissect returns.
 *
 * Fields are Wireshark's (x509af.*, x509if.*, x509sat.*, x509ce.*) in
 * tshark's tree shape: signedCertificate { version, serialNumber,
 * signature { Algorithm Id }, issuer { rdnSequence { RDNSequence item
 * { RelativeDistinguishedName item { Object Id, DirectoryString, the
 * string } } } }, validity { notBefore { utcTime } ... }, subject ...,
 * subjectPublicKeyInfo { algorithm { Algorithm Id }, subjectPublicKey },
 * extensions { Extension { Extension Id, critical, GeneralNames ... } } },
 * algorithmIdentifier, encrypted.  Differences: OIDs are strings (tapir
 * has no FT_OID; -T fields prints them as tshark does), and
 * x509af.generalizedTime is tshark's text rather than an absolute time.
 * Wireshark has no field for what the issue adds, so these are ours,
 * under "x509.": x509.subject and x509.issuer (the name on one line as
 * tshark appends it to the tree item), x509.public_key.type and .bits,
 * x509.signature_algorithm (OpenSSL's name), x509.fingerprint.sha256,
 * and x509.error (the library's reason with the event x509.malformed).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509.h"
#include "tapir/dissector.h"

enum {
	X_SIGNED,
	X_VERSION,
	X_SERIAL,
	X_SIGNATURE,
	X_ALG_ID,
	X_ISSUER,
	X_IF_RDNSEQ,
	X_SUBJECT,
	X_AF_RDNSEQ,
	X_RDN_ITEM,
	X_RDN_ATTR,
	X_OID,
	X_DIRSTR,
	X_TELETEX,
	X_PRINTABLE,
	X_UNIVERSAL,
	X_BMP,
	X_UTF8,
	X_IA5,
	X_COUNTRY,
	X_VALIDITY,
	X_NOT_BEFORE,
	X_NOT_AFTER,
	X_UTCTIME,
	X_GENTIME,
	X_SPKI,
	X_ALGORITHM,
	X_SPK,
	X_EXTENSIONS,
	X_EXTENSION,
	X_EXT_ID,
	X_CRITICAL,
	X_GENERAL_NAMES,
	X_GENERAL_NAME,
	X_RFC822,
	X_DNS,
	X_URI,
	X_IPV4,
	X_IPV6,
	X_IPADDR,
	X_REGISTERED,
	X_CRL_DPS,
	X_DP,
	X_DP_NAME,
	X_FULL_NAME,
	X_AIA,
	X_ACCESS,
	X_ACCESS_METHOD,
	X_ACCESS_LOCATION,
	X_ALG_IDENT,
	X_ENCRYPTED,
	/* ours: no Wireshark field says these */
	X_SUBJECT_STR,
	X_ISSUER_STR,
	X_KEY_TYPE,
	X_KEY_BITS,
	X_SIG_ALG,
	X_SHA256,
	X_ERROR,
	X_COUNT_
};

static const tp_valstr versions[] = {{0, "v1"}, {1, "v2"}, {2, "v3"},
				     {0, NULL}};
static const tp_valstr name_kinds[] = {{0, "rdnSequence"}, {0, NULL}};
static const tp_valstr dirstr_kinds[] = {
	{0, "teletexString"}, {1, "printableString"}, {2, "universalString"},
	{3, "bmpString"},     {4, "uTF8String"},      {0, NULL}};
static const tp_valstr time_kinds[] = {{0, "utcTime"},
				       {1, "generalizedTime"}, {0, NULL}};
/* GeneralName's CHOICE: the numbers are OpenSSL's GEN_* too */
static const tp_valstr gn_kinds[] = {
	{0, "otherName"},    {1, "rfc822Name"},
	{2, "dNSName"},      {3, "x400Address"},
	{4, "directoryName"}, {5, "ediPartyName"},
	{6, "uniformResourceIdentifier"}, {7, "iPAddress"},
	{8, "registeredID"}, {0, NULL}};
static const tp_valstr dpn_kinds[] = {{0, "fullName"},
				      {1, "nameRelativeToCRLIssuer"},
				      {0, NULL}};

#define FS(a, n) {a, n, TP_FT_STRING, TP_BASE_NONE, NULL, 0}
#define FB(a, n) {a, n, TP_FT_BYTES, TP_BASE_NONE, NULL, 0}
#define FN(a, n) {a, n, TP_FT_NONE, TP_BASE_NONE, NULL, 0}
#define FU(a, n) {a, n, TP_FT_UINT32, TP_BASE_DEC, NULL, 0}
#define FV(a, n, v) {a, n, TP_FT_UINT32, TP_BASE_DEC, v, 0}
static const tp_field_def fields[X_COUNT_] = {
	[X_SIGNED] = FN("x509af.signedCertificate_element", "signedCertificate"),
	[X_VERSION] = {"x509af.version", "version", TP_FT_INT32, TP_BASE_DEC,
		       versions, 0},
	[X_SERIAL] = FB("x509af.serialNumber", "serialNumber"),
	[X_SIGNATURE] = FN("x509af.signature_element", "signature"),
	[X_ALG_ID] = FS("x509af.algorithm.id", "Algorithm Id"),
	[X_ISSUER] = FV("x509af.issuer", "issuer", name_kinds),
	[X_IF_RDNSEQ] = FU("x509if.rdnSequence", "rdnSequence"),
	[X_SUBJECT] = FV("x509af.subject", "subject", name_kinds),
	/* tshark's subject is x509af's rdnSequence, its issuer x509if's */
	[X_AF_RDNSEQ] = FU("x509af.rdnSequence", "rdnSequence"),
	[X_RDN_ITEM] = FU("x509if.RDNSequence_item", "RDNSequence item"),
	[X_RDN_ATTR] = FN("x509if.RelativeDistinguishedName_item_element",
			  "RelativeDistinguishedName item"),
	[X_OID] = FS("x509if.oid", "Object Id"),
	[X_DIRSTR] = FV("x509sat.DirectoryString", "DirectoryString",
			dirstr_kinds),
	[X_TELETEX] = FS("x509sat.teletexString", "teletexString"),
	[X_PRINTABLE] = FS("x509sat.printableString", "printableString"),
	[X_UNIVERSAL] = FS("x509sat.universalString", "universalString"),
	[X_BMP] = FS("x509sat.bmpString", "bmpString"),
	[X_UTF8] = FS("x509sat.uTF8String", "uTF8String"),
	[X_IA5] = FS("x509sat.IA5String", "IA5String"),
	[X_COUNTRY] = FS("x509sat.CountryName", "CountryName"),
	[X_VALIDITY] = FN("x509af.validity_element", "validity"),
	[X_NOT_BEFORE] = FV("x509af.notBefore", "notBefore", time_kinds),
	[X_NOT_AFTER] = FV("x509af.notAfter", "notAfter", time_kinds),
	[X_UTCTIME] = FS("x509af.utcTime", "utcTime"),
	[X_GENTIME] = FS("x509af.generalizedTime", "generalizedTime"),
	[X_SPKI] = FN("x509af.subjectPublicKeyInfo_element",
		      "subjectPublicKeyInfo"),
	[X_ALGORITHM] = FN("x509af.algorithm_element", "algorithm"),
	[X_SPK] = FB("x509af.subjectPublicKey", "subjectPublicKey"),
	[X_EXTENSIONS] = FU("x509af.extensions", "extensions"),
	[X_EXTENSION] = FN("x509af.Extension_element", "Extension"),
	[X_EXT_ID] = FS("x509af.extension.id", "Extension Id"),
	[X_CRITICAL] = {"x509af.critical", "critical", TP_FT_BOOLEAN, 8, NULL,
			0},
	[X_GENERAL_NAMES] = FU("x509ce.GeneralNames", "GeneralNames"),
	[X_GENERAL_NAME] = FV("x509ce.GeneralName", "GeneralName", gn_kinds),
	[X_RFC822] = FS("x509ce.rfc822Name", "rfc822Name"),
	[X_DNS] = FS("x509ce.dNSName", "dNSName"),
	[X_URI] = FS("x509ce.uniformResourceIdentifier",
		     "uniformResourceIdentifier"),
	[X_IPV4] = {"x509ce.IPAddress.ipv4", "iPAddress", TP_FT_IPv4,
		    TP_BASE_NONE, NULL, 0},
	[X_IPV6] = {"x509ce.IPAddress.ipv6", "iPAddress", TP_FT_IPv6,
		    TP_BASE_NONE, NULL, 0},
	[X_IPADDR] = FB("x509ce.iPAddress", "iPAddress"),
	[X_REGISTERED] = FS("x509ce.registeredID", "registeredID"),
	[X_CRL_DPS] = FU("x509ce.CRLDistPointsSyntax", "CRLDistPointsSyntax"),
	[X_DP] = FN("x509ce.DistributionPoint_element", "DistributionPoint"),
	[X_DP_NAME] = FV("x509ce.distributionPoint", "distributionPoint",
			 dpn_kinds),
	[X_FULL_NAME] = FU("x509ce.fullName", "fullName"),
	[X_AIA] = FU("pkix1implicit.AuthorityInfoAccessSyntax",
		     "AuthorityInfoAccessSyntax"),
	[X_ACCESS] = FN("pkix1implicit.AccessDescription_element",
			"AccessDescription"),
	[X_ACCESS_METHOD] = FS("pkix1implicit.accessMethod", "accessMethod"),
	/* tshark shows the CHOICE's number alone here */
	[X_ACCESS_LOCATION] = FU("pkix1implicit.accessLocation",
				 "accessLocation"),
	[X_ALG_IDENT] = FN("x509af.algorithmIdentifier_element",
			   "algorithmIdentifier"),
	[X_ENCRYPTED] = FB("x509af.encrypted", "encrypted"),
	[X_SUBJECT_STR] = FS("x509.subject", "Subject"),
	[X_ISSUER_STR] = FS("x509.issuer", "Issuer"),
	[X_KEY_TYPE] = FS("x509.public_key.type", "Public Key Type"),
	[X_KEY_BITS] = FU("x509.public_key.bits", "Public Key Size (bits)"),
	[X_SIG_ALG] = FS("x509.signature_algorithm", "Signature Algorithm"),
	[X_SHA256] = FB("x509.fingerprint.sha256", "SHA-256 Fingerprint"),
	[X_ERROR] = FS("x509.error", "Certificate Parse Error"),
};
#undef FS
#undef FB
#undef FN
#undef FU
#undef FV

enum { E_MALFORMED, E_COUNT_ };
static const tp_event_def events[E_COUNT_] = {
	[E_MALFORMED] = {"x509.malformed", TP_EV_MALFORMED,
			 "Not an X.509 certificate (x509.error says why)"},
};

#define FD(i) (&fields[i])

/* ---- helpers ------------------------------------------------------- */

/* A copy of s[0..n) in the packet's arena, as field f (generated: the
 * library's copies have no offset in the certificate). */
static void put(tp_pkt *p, int f, size_t at, const void *s, size_t n)
{
	uint8_t *d = tp_arena_alloc(p, n ? n : 1);
	if (!d)
		return;
	memcpy(d, s, n);
	tp_add_bytes(p, FD(f), at, 0, d, n);
}

static void put_str(tp_pkt *p, int f, size_t at, const char *s)
{
	put(p, f, at, s, strlen(s));
}

/* s[0..n) into dst (cap bytes, NUL-ended), printable ASCII only. */
static void brief_copy(char *dst, size_t cap, const void *s, size_t n)
{
	const uint8_t *b = s;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '?';
	dst[n] = '\0';
}

static void oid_text(const ASN1_OBJECT *o, char *buf, size_t cap)
{
	if (OBJ_obj2txt(buf, (int)cap, o, 1) < 0)
		buf[0] = '\0';
}

/* An AlgorithmIdentifier: its element f with the OID under it. */
static void algorithm(tp_pkt *p, int f, size_t at, const X509_ALGOR *a)
{
	const ASN1_OBJECT *o = NULL;
	char buf[128];
	tp_add_uint(p, FD(f), at, 0, 0);
	if (!a)
		return;
	X509_ALGOR_get0(&o, NULL, NULL, a);
	oid_text(o, buf, sizeof buf);
	tp_push(p);
	put_str(p, X_ALG_ID, at, buf);
	tp_pop(p);
}

/* ---- names ----------------------------------------------------------- */

/* tshark's name of an attribute type: X.520's under id-at-, e-mail
 * under pkcs-9-at-, any other as its dotted OID. */
static void attr_name(const ASN1_OBJECT *o, char *buf, size_t cap)
{
	char dotted[128];
	oid_text(o, dotted, sizeof dotted);
	int nid = OBJ_obj2nid(o);
	const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
	if (ln && strncmp(dotted, "2.5.4.", 6) == 0)
		snprintf(buf, cap, "id-at-%s", ln);
	else if (nid == NID_pkcs9_emailAddress)
		snprintf(buf, cap, "pkcs-9-at-emailAddress");
	else
		snprintf(buf, cap, "%s", dotted);
}

/* One attribute's value: the DirectoryString CHOICE and its string, or
 * the string alone for the types whose syntax is not a DirectoryString
 * (countryName, an IA5String). */
static void attr_value(tp_pkt *p, size_t at, int nid, const ASN1_STRING *v,
		       const unsigned char *u, size_t un)
{
	int f, choice = -1;
	switch (ASN1_STRING_type(v)) {
	case V_ASN1_T61STRING: f = X_TELETEX, choice = 0; break;
	case V_ASN1_PRINTABLESTRING: f = X_PRINTABLE, choice = 1; break;
	case V_ASN1_UNIVERSALSTRING: f = X_UNIVERSAL, choice = 2; break;
	case V_ASN1_BMPSTRING: f = X_BMP, choice = 3; break;
	case V_ASN1_UTF8STRING: f = X_UTF8, choice = 4; break;
	default: f = X_IA5; break;
	}
	if (nid == NID_countryName) {
		f = X_COUNTRY;
		choice = -1;
	}
	if (choice >= 0) {
		tp_add_uint(p, FD(X_DIRSTR), at, 0, (unsigned)choice);
		tp_push(p);
	}
	put(p, f, at, u, un);
	if (choice >= 0)
		tp_pop(p);
}

/* A Name (issuer or subject) in tshark's tree, its one-line text
 * (last RDN first, as tshark appends it) into `line`, and the last
 * commonName into `cn`. */
static void name(tp_pkt *p, size_t at, const X509_NAME *nm, int kind,
		 int seq, char *line, size_t lcap, char *cn, size_t ccap)
{
	int n = nm ? X509_NAME_entry_count(nm) : 0;
	int rdns = n ? X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, n - 1)) + 1
		     : 0;
	size_t ll = 0;
	line[0] = '\0';
	tp_add_uint(p, FD(kind), at, 0, 0);
	tp_push(p);
	tp_add_uint(p, FD(seq), at, 0, (unsigned)rdns);
	tp_push(p);
	for (int i = 0; i < n;) {
		int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, i)), k = i;
		while (k < n &&
		       X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, k)) == set)
			k++;
		tp_add_uint(p, FD(X_RDN_ITEM), at, 0, (unsigned)(k - i));
		tp_push(p);
		for (int first = i; i < k; i++) {
			const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
			const ASN1_OBJECT *o = X509_NAME_ENTRY_get_object(e);
			const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
			unsigned char *u = NULL;
			int un = ASN1_STRING_to_UTF8(&u, v);
			int nid = OBJ_obj2nid(o);
			char oid[128], an[160];
			oid_text(o, oid, sizeof oid);
			tp_add_uint(p, FD(X_RDN_ATTR), at, 0, 0);
			tp_push(p);
			put_str(p, X_OID, at, oid);
			if (un >= 0)
				attr_value(p, at, nid, v, u, (size_t)un);
			tp_pop(p);
			if (nid == NID_commonName && un >= 0)
				brief_copy(cn, ccap, u, (size_t)un);
			/* the line: this attribute goes before those already
			 * there (tshark shows the last RDN first), "+" within
			 * an RDN */
			attr_name(o, an, sizeof an);
			char item[512];
			int il = snprintf(item, sizeof item, "%s=%.*s%s", an,
					  un > 0 ? (un > 300 ? 300 : un) : 0,
					  un > 0 ? (const char *)u : "",
					  !ll ? "" : i > first ? "+" : ",");
			OPENSSL_free(u);
			if (il > 0 && (size_t)il < sizeof item &&
			    ll + (size_t)il < lcap) {
				memmove(line + il, line, ll + 1);
				memcpy(line, item, (size_t)il);
				ll += (size_t)il;
			}
		}
		tp_pop(p);
	}
	tp_pop(p);
	tp_pop(p);
}

/* ---- validity -------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil): no timegm, no time zone file. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void one_time(tp_pkt *p, size_t at, int f, const ASN1_TIME *t,
		     int64_t *secs)
{
	struct tm tm;
	char buf[64];
	*secs = 0;
	if (!t)
		return;
	bool utc = ASN1_STRING_type(t) == V_ASN1_UTCTIME;
	tp_add_uint(p, FD(f), at, 0, utc ? 0 : 1);
	if (!ASN1_TIME_to_tm(t, &tm))
		return;
	*secs = days_from_civil((int64_t)tm.tm_year + 1900,
				(unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) *
			86400 +
		tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr",
					"May", "Jun", "Jul", "Aug",
					"Sep", "Oct", "Nov", "Dec"};
	if (utc) /* tshark's text of each */
		snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d (UTC)",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(buf, sizeof buf,
			 "%s %2d, %d %02d:%02d:%02d.000000000 UTC",
			 mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	tp_push(p);
	put_str(p, utc ? X_UTCTIME : X_GENTIME, at, buf);
	tp_pop(p);
}

/* ---- public key and extensions -------------------------------------- */

static const char *key_type(const EVP_PKEY *k)
{
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA: return "RSA";
	case EVP_PKEY_RSA_PSS: return "RSA-PSS";
	case EVP_PKEY_EC: return "EC";
	case EVP_PKEY_DSA: return "DSA";
	case EVP_PKEY_DH: return "DH";
	case EVP_PKEY_DHX: return "DHX";
	case EVP_PKEY_ED25519: return "Ed25519";
	case EVP_PKEY_ED448: return "Ed448";
	case EVP_PKEY_X25519: return "X25519";
	case EVP_PKEY_X448: return "X448";
	default: {
		const char *n = EVP_PKEY_get0_type_name(k);
		return n ? n : "unknown";
	}
	}
}

/* The key's type and size into kb (not yet fields: those come with ours
 * after the tree). */
static void public_key(tp_pkt *p, size_t at, X509 *x, tp_x509_brief *kb)
{
	const X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	const unsigned char *pk = NULL;
	int pklen = 0;
	X509_ALGOR *pa = NULL;
	tp_add_uint(p, FD(X_SPKI), at, 0, 0);
	tp_push(p);
	if (pub && X509_PUBKEY_get0_param(NULL, &pk, &pklen, &pa, pub)) {
		algorithm(p, X_ALGORITHM, at, pa);
		if (pk && pklen >= 0)
			put(p, X_SPK, at, pk, (size_t)pklen);
	}
	tp_pop(p);
	/* decoded by the provider's decoder: NULL for an algorithm it does
	 * not know, or a key that does not decode */
	EVP_PKEY *k = X509_get0_pubkey(x);
	if (!k)
		return;
	const char *t = key_type(k);
	int bits = EVP_PKEY_get_bits(k);
	brief_copy(kb->key_type, sizeof kb->key_type, t, strlen(t));
	kb->key_bits = bits > 0 ? (unsigned)bits : 0;
}

/* One GeneralName: its CHOICE (as field f) and the value under it; a
 * dNSName into dns (the first one) when dns is non-NULL. */
static void general_name(tp_pkt *p, size_t at, int f, const GENERAL_NAME *g,
			 tp_x509_brief *dns)
{
	int type = -1;
	const void *d = GENERAL_NAME_get0_value(g, &type);
	tp_add_uint(p, FD(f), at, 0, (unsigned)type);
	tp_push(p);
	const ASN1_STRING *s = d;
	int sf = type == GEN_EMAIL ? X_RFC822
		 : type == GEN_DNS ? X_DNS
		 : type == GEN_URI ? X_URI
				   : -1;
	if (sf >= 0 && s) {
		put(p, sf, at, ASN1_STRING_get0_data(s),
		    (size_t)ASN1_STRING_length(s));
		if (type == GEN_DNS && dns && !dns->san_first[0])
			brief_copy(dns->san_first, sizeof dns->san_first,
				   ASN1_STRING_get0_data(s),
				   (size_t)ASN1_STRING_length(s));
	} else if (type == GEN_IPADD && s) {
		int len = ASN1_STRING_length(s);
		put(p, len == 4 ? X_IPV4 : len == 16 ? X_IPV6 : X_IPADDR, at,
		    ASN1_STRING_get0_data(s), (size_t)len);
	} else if (type == GEN_RID && d) {
		char oid[128];
		oid_text(d, oid, sizeof oid);
		put_str(p, X_REGISTERED, at, oid);
	}
	tp_pop(p);
}

/* subjectAltName's GeneralNames (the first such extension fills the
 * brief's SAN count and first dNSName). */
static void general_names(tp_pkt *p, size_t at, const GENERAL_NAMES *gens,
			  tp_x509_brief *b)
{
	int n = sk_GENERAL_NAME_num(gens);
	tp_add_uint(p, FD(X_GENERAL_NAMES), at, 0, n > 0 ? (unsigned)n : 0);
	tp_push(p);
	for (int i = 0; i < n; i++)
		general_name(p, at, X_GENERAL_NAME,
			     sk_GENERAL_NAME_value(gens, i), b);
	tp_pop(p);
	if (b)
		b->san_count = n > 0 ? (unsigned)n : 0;
}

/* cRLDistributionPoints (each point's fullName) and authorityInfoAccess
 * (each access description), in tshark's tree. */
static void crl_points(tp_pkt *p, size_t at, const CRL_DIST_POINTS *dps)
{
	int n = sk_DIST_POINT_num(dps);
	tp_add_uint(p, FD(X_CRL_DPS), at, 0, (unsigned)n);
	tp_push(p);
	for (int i = 0; i < n; i++) {
		const DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		const DIST_POINT_NAME *dn = dp ? dp->distpoint : NULL;
		tp_add_uint(p, FD(X_DP), at, 0, 0);
		if (!dn)
			continue;
		tp_push(p);
		tp_add_uint(p, FD(X_DP_NAME), at, 0, (unsigned)dn->type);
		if (dn->type == 0) {
			const GENERAL_NAMES *g = dn->name.fullname;
			int k = sk_GENERAL_NAME_num(g);
			tp_push(p);
			tp_add_uint(p, FD(X_FULL_NAME), at, 0,
				    k > 0 ? (unsigned)k : 0);
			tp_push(p);
			for (int j = 0; j < k; j++)
				general_name(p, at, X_GENERAL_NAME,
					     sk_GENERAL_NAME_value(g, j), NULL);
			tp_pop(p);
			tp_pop(p);
		}
		tp_pop(p);
	}
	tp_pop(p);
}

static void info_access(tp_pkt *p, size_t at, const AUTHORITY_INFO_ACCESS *aia)
{
	int n = sk_ACCESS_DESCRIPTION_num(aia);
	tp_add_uint(p, FD(X_AIA), at, 0, (unsigned)n);
	tp_push(p);
	for (int i = 0; i < n; i++) {
		const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		tp_add_uint(p, FD(X_ACCESS), at, 0, 0);
		if (!ad)
			continue;
		char oid[128];
		oid_text(ad->method, oid, sizeof oid);
		tp_push(p);
		put_str(p, X_ACCESS_METHOD, at, oid);
		if (ad->location)
			general_name(p, at, X_ACCESS_LOCATION, ad->location,
				     NULL);
		tp_pop(p);
	}
	tp_pop(p);
}

static void other_names(tp_pkt *p, size_t at, int nid, X509_EXTENSION *e)
{
	void *v = X509V3_EXT_d2i(e);
	if (!v)
		return;
	if (nid == NID_crl_distribution_points) {
		crl_points(p, at, v);
		CRL_DIST_POINTS_free(v);
	} else {
		info_access(p, at, v);
		AUTHORITY_INFO_ACCESS_free(v);
	}
}

static void extensions(tp_pkt *p, size_t at, const X509 *x, tp_x509_brief *b)
{
	int n = X509_get_ext_count(x);
	bool san_seen = false;
	if (n <= 0)
		return;
	tp_add_uint(p, FD(X_EXTENSIONS), at, 0, (unsigned)n);
	tp_push(p);
	for (int i = 0; i < n; i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);
		const ASN1_OBJECT *o = X509_EXTENSION_get_object(e);
		char oid[128];
		oid_text(o, oid, sizeof oid);
		tp_add_uint(p, FD(X_EXTENSION), at, 0, 0);
		tp_push(p);
		put_str(p, X_EXT_ID, at, oid);
		if (X509_EXTENSION_get_critical(e) > 0) /* DEFAULT FALSE */
			tp_add_uint(p, FD(X_CRITICAL), at, 0, 1);
		int nid = OBJ_obj2nid(o);
		if (nid == NID_subject_alt_name) {
			GENERAL_NAMES *g = X509V3_EXT_d2i(e);
			if (g)
				general_names(p, at, g, san_seen ? NULL : b);
			san_seen = true;
			GENERAL_NAMES_free(g);
		} else if (nid == NID_crl_distribution_points ||
			   nid == NID_info_access) {
			other_names(p, at, nid, e);
		}
		tp_pop(p);
	}
	tp_pop(p);
}

/* ---- the certificate ------------------------------------------------- */

static void serial(tp_pkt *p, size_t at, const X509 *x, tp_x509_brief *b)
{
	/* the INTEGER's content octets as DER has them (a leading 00 kept,
	 * as tshark shows them), from the library's encoding of it */
	const ASN1_INTEGER *s = X509_get0_serialNumber(x);
	int len = s ? i2d_ASN1_INTEGER(s, NULL) : -1;
	if (len < 2)
		return;
	uint8_t *d = tp_arena_alloc(p, (size_t)len);
	if (!d)
		return;
	unsigned char *w = d;
	if (i2d_ASN1_INTEGER(s, &w) != len)
		return;
	size_t h = 2;
	if (d[1] & 0x80)
		h += d[1] & 0x7f;
	if (h > (size_t)len)
		return;
	tp_add_bytes(p, FD(X_SERIAL), at, 0, d + h, (size_t)len - h);
	if (b) {
		size_t k = 0;
		for (size_t i = h; i < (size_t)len && k + 3 <= sizeof b->serial;
		     i++)
			k += (size_t)snprintf(b->serial + k, 3, "%02x", d[i]);
		b->serial[k] = '\0';
	}
}

static void sig_alg_name(const X509_ALGOR *a, char *buf, size_t cap)
{
	const ASN1_OBJECT *o = NULL;
	X509_ALGOR_get0(&o, NULL, NULL, a);
	int nid = OBJ_obj2nid(o);
	const char *n = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
	if (!n && nid != NID_undef)
		n = OBJ_nid2sn(nid);
	if (n)
		snprintf(buf, cap, "%s", n);
	else
		oid_text(o, buf, cap);
}

static void certificate(tp_pkt *p, size_t at, size_t n, X509 *x,
			tp_x509_brief *b)
{
	char iline[1024], sline[1024], cn[256];
	char *icn = b ? b->issuer_cn : cn, *scn = b ? b->subject_cn : cn;
	size_t icap = b ? sizeof b->issuer_cn : sizeof cn;
	size_t scap = b ? sizeof b->subject_cn : sizeof cn;
	int64_t nb, na;
	tp_add_uint(p, FD(X_SIGNED), at, n, 0);
	tp_push(p);
	long v = X509_get_version(x);
	if (v != X509_VERSION_1) /* DEFAULT v1: absent */
		tp_add_uint(p, FD(X_VERSION), at, 0, (uint64_t)v);
	serial(p, at, x, b);
	algorithm(p, X_SIGNATURE, at, X509_get0_tbs_sigalg(x));
	name(p, at, X509_get_issuer_name(x), X_ISSUER, X_IF_RDNSEQ, iline,
	     sizeof iline, icn, icap);
	tp_add_uint(p, FD(X_VALIDITY), at, 0, 0);
	tp_push(p);
	one_time(p, at, X_NOT_BEFORE, X509_get0_notBefore(x), &nb);
	one_time(p, at, X_NOT_AFTER, X509_get0_notAfter(x), &na);
	tp_pop(p);
	name(p, at, X509_get_subject_name(x), X_SUBJECT, X_AF_RDNSEQ, sline,
	     sizeof sline, scn, scap);
	tp_x509_brief kb = {0};
	public_key(p, at, x, &kb);
	extensions(p, at, x, b);
	tp_pop(p);
	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *alg = NULL;
	X509_get0_signature(&sig, &alg, x);
	algorithm(p, X_ALG_IDENT, at, alg);
	if (sig)
		put(p, X_ENCRYPTED, at, ASN1_STRING_get0_data(sig),
		    (size_t)ASN1_STRING_length(sig));
	/* ours */
	put_str(p, X_SUBJECT_STR, at, sline);
	put_str(p, X_ISSUER_STR, at, iline);
	char sa[64];
	sig_alg_name(alg ? alg : X509_get0_tbs_sigalg(x), sa, sizeof sa);
	if (kb.key_type[0])
		put_str(p, X_KEY_TYPE, at, kb.key_type);
	if (kb.key_bits)
		tp_add_uint(p, FD(X_KEY_BITS), at, 0, kb.key_bits);
	put_str(p, X_SIG_ALG, at, sa);
	if (b) {
		memcpy(b->key_type, kb.key_type, sizeof b->key_type);
		b->key_bits = kb.key_bits;
		b->not_before = nb;
		b->not_after = na;
		brief_copy(b->sig_alg, sizeof b->sig_alg, sa, strlen(sa));
	}
}

/* ---- the parsed certificates kept --------------------------------------
 * OpenSSL 3.0's d2i_X509 costs some 300 us a certificate (its public
 * key goes through the provider decoders: locks and name lookups), and a
 * capture holds the same few server chains over and over (the bench's
 * nginx sends one chain ten thousand times).  So each thread keeps its
 * last CACHE_N certificates of at most CACHE_DER_MAX bytes parsed, with
 * their SHA-256, found by a hash of the DER and then compared whole:
 * 16 x (8 KiB + the parsed object) at most, freed when the thread ends
 * (the key's destructor; the main thread's at exit, by the system).  The
 * fields are made from the object every time; nothing points into it. */
#define CACHE_N 16
#define CACHE_DER_MAX 8192

typedef struct cache_ent {
	uint64_t h, used;
	size_t n;
	uint8_t *der;
	X509 *x;
	uint8_t sha256[32];
	bool has_sha;
} cache_ent;

typedef struct x509_cache {
	cache_ent e[CACHE_N];
	uint64_t tick;
} x509_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_ok;

static void cache_free(void *v)
{
	x509_cache *c = v;
	for (unsigned i = 0; i < CACHE_N; i++) {
		X509_free(c->e[i].x);
		free(c->e[i].der);
	}
	free(c);
}

static void cache_key_make(void)
{
	cache_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

static x509_cache *cache_get(void)
{
	pthread_once(&cache_once, cache_key_make);
	if (!cache_ok)
		return NULL;
	x509_cache *c = pthread_getspecific(cache_key);
	if (!c && (c = calloc(1, sizeof *c)) != NULL &&
	    pthread_setspecific(cache_key, c) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

static uint64_t fnv1a(const uint8_t *b, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* The entry holding der[0..n) parsed, made (the least recently used one
 * replaced) when it is not there; NULL when the library refuses the
 * bytes or there is no memory (then *x is a parse of its own, or NULL,
 * for the caller to free). */
static cache_ent *parsed(const uint8_t *der, size_t n, X509 **x)
{
	x509_cache *c = n <= CACHE_DER_MAX ? cache_get() : NULL;
	uint64_t h = c ? fnv1a(der, n) : 0;
	cache_ent *old = NULL;
	*x = NULL;
	if (c) {
		for (unsigned i = 0; i < CACHE_N; i++) {
			cache_ent *e = &c->e[i];
			if (e->x && e->h == h && e->n == n &&
			    memcmp(e->der, der, n) == 0) {
				e->used = ++c->tick;
				return e;
			}
			if (!old || e->used < old->used)
				old = e;
		}
	}
	const unsigned char *q = der;
	X509 *nx = n && n <= 0x7fffffff ? d2i_X509(NULL, &q, (long)n) : NULL;
	uint8_t *copy = nx && old ? malloc(n) : NULL;
	if (!copy) {
		*x = nx;
		return NULL;
	}
	memcpy(copy, der, n);
	X509_free(old->x);
	free(old->der);
	*old = (cache_ent){.h = h, .used = ++c->tick, .n = n, .der = copy,
			   .x = nx};
	unsigned len = 0;
	old->has_sha = EVP_Digest(der, n, old->sha256, &len, EVP_sha256(),
				  NULL) && len == 32;
	return old;
}

bool tp_x509_dissect(tp_pkt *p, size_t at, const uint8_t *der, size_t n,
		     tp_x509_brief *b)
{
	if (b)
		memset(b, 0, sizeof *b);
	tp_x509_init(); /* done already in tapir (main); the tests' first */
	X509 *own;
	cache_ent *e = parsed(der, n, &own);
	X509 *x = e ? e->x : own;
	if (!x) {
		/* the reasons' text (once: memory only) */
		OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
		unsigned long err = ERR_peek_last_error();
		const char *why = err ? ERR_reason_error_string(err) : NULL;
		ERR_clear_error();
		tp_add_event(p, &events[E_MALFORMED], at);
		put_str(p, X_ERROR, at, why ? why : n ? "not DER" : "empty");
		return false;
	}
	certificate(p, at, n, x, b);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	bool sha = e ? e->has_sha
		     : EVP_Digest(der, n, md, &mdlen, EVP_sha256(), NULL) &&
			       mdlen == 32;
	if (sha) {
		const uint8_t *d = e ? e->sha256 : md;
		put(p, X_SHA256, at, d, 32);
		if (b)
			memcpy(b->sha256, d, 32);
	}
	X509_free(own);
	ERR_clear_error(); /* what a bad key or extension left */
	if (b)
		b->parsed = true;
	return true;
}

/* libcrypto's start-up.  What the sandbox forbids is the configuration
 * file, which the library's implicit start-up reads (openssl.cnf): this
 * explicit one, first, reads none.  No atexit handler either (the
 * process's end frees it all; the handler's set-up alone costs 0.7 MiB
 * of RSS).  The rest is lazy and costs nothing until the first
 * certificate: the default provider (built in, no module loaded), the
 * key decoders, SHA-256 and the error strings make only brk, mmap and
 * futex calls, which the sandbox allows (strace -f of `tapir -V` on RSA,
 * EC and DSA chains and a malformed certificate, after the seccomp
 * filter: nothing else).  Warming them up here instead would cost every
 * run 1.5 MiB more, certificates or not. */
void tp_x509_init(void)
{
	/* idempotent and thread-safe (the library's own once) */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT,
			    NULL);
}

/* ---- the registry's entry -------------------------------------------- */

/* A DER certificate alone (decode-as, the fuzz harness): the cursor's
 * captured bytes. */
static tp_next x509_dissect(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off, n = tp_avail(c);
	const uint8_t *der = tp_bytes(c, n);
	if (der)
		tp_x509_dissect(p, at, der, n, NULL);
	return TP_STOP;
}

const tp_dissector tp_diss_x509 = {
	.name = "x509",
	.longname = "X.509 Certificate",
	.fields = fields,
	.nfields = X_COUNT_,
	.events = events,
	.nevents = E_COUNT_,
	.dissect = x509_dissect,
};
