/* tls_int.h - what dissectors/tls.c (records, handshake messages,
 * fields, Info) and tls_names.c (the registries' names, generated) share. */
#ifndef TAPIR_TLS_INT_H
#define TAPIR_TLS_INT_H

#include "tapir/dissector.h"

extern const tp_valstr tls_content_types[];
extern const tp_valstr tls_versions[];
extern const tp_valstr tls_handshake_types[];
extern const tp_valstr tls_cipher_suites[];
extern const tp_valstr tls_extension_types[];
extern const tp_valstr tls_groups[];
extern const tp_valstr tls_sig_schemes[];
extern const tp_valstr tls_ec_point_formats[];
extern const tp_valstr tls_alert_levels[];
extern const tp_valstr tls_alert_descs[];
extern const tp_valstr tls_comp_methods[];
extern const tp_valstr tls_curve_types[];
extern const tp_valstr tls_client_cert_types[];
extern const tp_valstr tls_status_types[];
extern const tp_valstr tls_heartbeat_modes[];
extern const tp_valstr tls_cert_compression[];
extern const tp_valstr tls_key_updates[];
extern const tp_valstr tls_psk_ke_modes[];


/* ---- tls_conn.c: one connection's handshake summed up for --tls ---- */

typedef struct tls_conn tls_conn;

/* What a hello says, read back from its fields by tls.c. */
typedef struct tls_hsum {
	bool server, hrr;
	uint16_t legacy;     /* legacy_version */
	uint16_t sv_chosen;  /* a ServerHello's supported_versions (0: none) */
	uint16_t cipher;     /* a ServerHello's */
	bool have_cipher;
	const uint8_t *sni;
	size_t sni_len;
	const uint8_t *alpn[8];
	size_t alpn_len[8];
	unsigned nalpn;
	uint16_t versions[8]; /* a ClientHello's supported_versions */
	unsigned nversions;
	uint16_t ks[8];       /* key_share groups (a ServerHello's: one) */
	unsigned nks;
	uint16_t ks_selected; /* a HelloRetryRequest's */
	const uint8_t *sid;
	size_t sid_len;
	bool ticket;          /* session_ticket with a ticket (ClientHello) */
	bool psk;             /* pre_shared_key */
	const uint8_t *ja3, *ja4; /* the hello's (JA3S for a ServerHello) */
	size_t ja3_len, ja4_len;
} tls_hsum;

/* A certificate as the summary shows it. */
typedef struct tls_certsum {
	bool parsed;
	const char *subject_cn, *issuer_cn, *key_type;
	int64_t not_after; /* seconds since the epoch */
	unsigned san_count, key_bits;
	const uint8_t *sha256; /* 32 bytes */
} tls_certsum;

/* NULL unless a report consumer wants TLS (and the memory cap allows). */
tls_conn *tls_conn_new(const tp_pkt *p);
void tls_conn_ref(tls_conn *c);
/* Drops a reference; the last reports what was not reported yet. */
void tls_conn_unref(tls_conn *c);
/* Not reported yet: its records still matter. */
bool tls_conn_pending(const tls_conn *c);
void tls_conn_hello(tls_conn *c, const tp_pkt *p, const tls_hsum *h);
void tls_conn_cert(tls_conn *c, size_t len, const tls_certsum *k);
void tls_conn_kx(tls_conn *c, uint16_t curve, unsigned dh_bits);
void tls_conn_msg(tls_conn *c, unsigned type);
void tls_conn_alert(tls_conn *c, const tp_pkt *p, int dir, unsigned level,
		    unsigned desc, bool enc);
void tls_conn_record(tls_conn *c, const tp_pkt *p, int dir, unsigned ct,
		     unsigned len, bool enc);

#endif
