/* tls_fp.h - TLS client/server fingerprints: JA3 and JA3S (Salesforce's
 * definition: decimal fields joined by ',' and '-', GREASE values
 * (0x?a?a) left out everywhere, MD5 of the string) and JA4 (FoxIO's
 * BSD-3 definition, TLS client part only: "t13d1516h2_8daaf6152771_
 * 02713d6af862", with its raw form "t13d1516h2_<ciphers>_<exts>_<sigalgs>"
 * and the original-order variants ja4_o / ja4_ro).
 *
 * The caller (the TLS dissector) fills a tls_hello from a reassembled
 * ClientHello or ServerHello, its lists as they came on the wire (GREASE
 * values in: they are left out here).  Nothing here reads packet bytes or
 * allocates: every list is read up to TLS_FP_MAX entries (the rest is
 * ignored; a NULL list counts as empty), sorted copies live on the stack,
 * and every string is written cut at its capacity.  A JA3 MD5 is always
 * the hash of the whole string, even when the copy in `s` was cut.
 *
 * JA4's details (FoxIO's technical_details/JA4.md): the version is the
 * highest non-GREASE value of supported_versions, else legacy_version
 * (0x0304 "13" ... 0x0300 "s3", 0x0002 "s2", DTLS 0xfeff "d1", 0xfefd
 * "d2", 0xfefc "d3", anything else "00"); "d" when has_sni, else "i"; the
 * non-GREASE cipher and extension counts (SNI and ALPN counted) as two
 * digits, 99 at most; the first and last character of the first ALPN
 * protocol ("00" when none or empty; when either end byte is not ASCII
 * alphanumeric, the first and last hex digit of the whole value); then
 * the first 12 hex digits of the SHA-256 of the ciphers as 4-digit hex
 * sorted, comma-joined; then of the extensions sorted without SNI (0000)
 * and ALPN (0010), followed by "_" and the signature algorithms in wire
 * order (no "_" when there are none).  An empty list hashes to
 * "000000000000".  The raw form is the same text before hashing.  The
 * original-order variant keeps the wire order of ciphers and extensions
 * and keeps SNI and ALPN in the extension list.
 */
#ifndef TAPIR_TLS_FP_H
#define TAPIR_TLS_FP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLS_FP_MAX 512u     /* entries of a list looked at */
#define TLS_JA4_LEN 37u     /* "t13d1516h2_8daaf6152771_02713d6af862" + NUL */
#define TLS_JA3_MD5_LEN 33u /* 32 hex digits + NUL */

typedef struct tls_hello {
	bool server;                 /* a ServerHello (JA3S) */
	uint16_t legacy_version;     /* the hello's legacy_version */
	const uint16_t *ciphers; size_t nciphers;  /* wire order, GREASE in */
	const uint16_t *exts; size_t nexts;        /* extension types, order */
	const uint16_t *groups; size_t ngroups;    /* supported_groups */
	const uint8_t *ec_formats; size_t nec;     /* ec_point_formats */
	const uint16_t *sigalgs; size_t nsig;      /* signature_algorithms */
	const uint16_t *versions; size_t nversions;/* supported_versions */
	bool has_sni;                /* server_name with a host name */
	const uint8_t *alpn0; size_t alpn0_len;    /* first ALPN protocol */
	bool quic;                   /* JA4 'q' (else 't'); DTLS 'd' not needed */
} tls_hello;

/* A GREASE value (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
bool tls_grease(uint16_t v);

/* JA3 (client) or JA3S (server): the string into s (NUL-terminated,
 * cut at cap), the MD5 in hex into md5[33].  JA3 is
 * "version,ciphers,extensions,groups,ec_formats", JA3S
 * "version,ciphers,extensions" (the ServerHello's one cipher). */
void tls_ja3(const tls_hello *h, char *s, size_t cap, char md5[33]);

/* JA4 of a ClientHello into out[37] ("t13d1516h2_8daaf6152771_02713d6af862")
 * and its raw form into raw (cap bytes; raw may be NULL with cap 0).
 * For a ServerHello (h->server) both are left empty: JA4S is not ours. */
void tls_ja4(const tls_hello *h, char out[37], char *raw, size_t cap);

/* The original-order variant: ja4_o into out[37], ja4_ro into raw. */
void tls_ja4_o(const tls_hello *h, char out[37], char *raw, size_t cap);

#endif
