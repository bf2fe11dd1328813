/* x509.h - one X.509 certificate (DER) into the record's fields, parsed
 * by OpenSSL's libcrypto (x509.c).  TLS's Certificate message calls it
 * for each certificate; the "x509" entry of the registry only carries
 * the field table (and takes a DER certificate alone, for decode-as and
 * its fuzz harness).
 */
#ifndef TAPIR_X509_H
#define TAPIR_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tapir/record.h"

typedef struct tp_x509_brief {
	bool parsed;             /* the library took the DER */
	char subject_cn[256];    /* "" when none; printable, NUL-ended */
	char issuer_cn[256];
	char serial[80];         /* hex, as tshark prints it */
	int64_t not_before, not_after; /* seconds since the epoch (UTC) */
	unsigned san_count;      /* every GeneralName in subjectAltName */
	char san_first[256];     /* the first dNSName, "" when none */
	char key_type[16];       /* "RSA", "EC", "Ed25519", "DSA", ... */
	unsigned key_bits;
	char sig_alg[64];        /* "sha256WithRSAEncryption", as OpenSSL's short/long name */
	uint8_t sha256[32];
} tp_x509_brief;

/* One DER certificate der[0..n), lying at offset `at` of the record's
 * current data source: its fields added (in a subtree under the caller's
 * tls.handshake.certificate field), *b filled when b is non-NULL.
 * false: not a certificate (an event "x509.malformed" with the
 * library's reason is added; no crash, no leak, whatever the bytes).
 * The strings of *b hold printable ASCII only (other bytes are '?'). */
bool tp_x509_dissect(tp_pkt *p, size_t at, const uint8_t *der, size_t n,
		     tp_x509_brief *b);

/* libcrypto's lazy start-up (its providers, the decoders a public key
 * needs, the SHA-256 implementation) done now: called once by main()
 * before the seccomp sandbox, which would kill the process at the first
 * certificate otherwise.  Reads no configuration file.  Idempotent. */
void tp_x509_init(void);

#endif
