/* tls.c - TLS (and SSL 3.0) over TCP streams: records, the handshake
 * messages in the clear, alerts, ChangeCipherSpec, and encrypted records
 * counted, never read as plaintext.
 *
 * Finding it.  TCP ports 443, 465, 636, 853, 989-995, 5061, 8443; on
 * any other port the probe takes a record header (content type 20-23,
 * version 0x0300-0x0304, a sane length) or an SSLv2-compatible
 * ClientHello.
 *
 * Framing.  pdu_len cuts each direction into records (5-byte header and
 * up to 2^14 + 2048 bytes); a direction's first PDU may be an SSLv2
 * ClientHello (two-byte header, top bit set).  After a gap, or when the
 * capture starts inside a record, bytes are passed over up to one that
 * heads a plausible record.
 *
 * Handshake messages.  A record's handshake messages are dissected in
 * place; one that runs past its record is gathered (per direction, up
 * to TLS_HS_MAX bytes) and dissected, from a "Reassembled TLS Handshake"
 * data source, in the record that completes it.  After a direction's
 * ChangeCipherSpec (TLS 1.2 and below) or once TLS 1.3 was negotiated,
 * its handshake records are "Encrypted Handshake Message".
 *
 * Fields are Wireshark's tls.* (tls.record.content_type, .version,
 * .length; tls.handshake.type, .version, .random, .session_id,
 * .ciphersuite, .comp_method, .extension.type/.len, the extensions' own
 * fields: .extensions_server_name, .extensions_alpn_str,
 * .extensions_supported_group, .sig_hash_alg,
 * .extensions.supported_version, .extensions_key_share_group ...;
 * tls.alert_message.level/.desc; tls.app_data); names from the IANA
 * registries (tls_names.c).  Info is tshark's ("Client Hello", "Server
 * Hello, Change Cipher Spec, Application Data").
 *
 * After the hellos.  ServerKeyExchange and ClientKeyExchange are read by
 * the key exchange of the suite the ServerHello chose (kept in both
 * directions' states), as tshark reads them: ECDHE's curve and point,
 * DHE's p, g and Ys, RSA export's modulus and exponent, PSK's hint and
 * identity, the signature (its algorithm from TLS 1.2 on).  For the
 * --tls summary (tls_conn_kx): the ECDHE curve
 * (tls.handshake.server_named_curve) or the DHE group's bits (of
 * tls.handshake.p).  CertificateRequest, CertificateVerify,
 * CertificateStatus, and Finished and KeyUpdate when in the clear.
 */
#include <stdlib.h>
#include <string.h>

#include "nametab.h"
#include "tls_fp.h"
#include "tls_int.h"
#include "x509.h"
#include "tapir/flow.h"
#include "tapir/output.h"
#include "tapir/record.h"
#include "tapir/registry.h"
#include "tapir/report.h"

#define TLS_REC_MAX (16384u + 2048u) /* TLSCiphertext, RFC 5246 6.2.3 */
#define TLS_HS_MAX (256u << 10)      /* a handshake message gathered */

enum {
	F_RECORD,
	F_CT,
	F_RVERSION,
	F_RLENGTH,
	F_HS_TYPE,
	F_HS_LENGTH,
	F_HS_VERSION,
	F_RANDOM,
	F_SID_LEN,
	F_SID,
	F_CS_LEN,
	F_CIPHERSUITES,
	F_CIPHERSUITE,
	F_COMP_LEN,
	F_COMP,
	F_EXTS_LEN,
	F_EXT_TYPE,
	F_EXT_LEN,
	F_EXT_DATA,
	F_SNI_LIST_LEN,
	F_SNI_TYPE,
	F_SNI_LEN,
	F_SNI,
	F_ALPN_LEN,
	F_ALPN_STR_LEN,
	F_ALPN_STR,
	F_GROUPS_LEN,
	F_GROUP,
	F_ECPF_LEN,
	F_ECPF,
	F_SIG_LEN,
	F_SIG,
	F_SV_LEN,
	F_SV,
	F_KS_LEN,
	F_KS_GROUP,
	F_KS_KEY_LEN,
	F_KS_KEY,
	F_KS_SELECTED,
	F_PSK_MODES_LEN,
	F_PSK_MODE,
	F_PSK_SELECTED,
	F_RENEG_LEN,
	F_RENEG,
	F_PADDING,
	F_CERTS_LEN,
	F_CERT_LEN,
	F_CERT,
	F_SERVER_CURVE,
	/* ServerKeyExchange, ClientKeyExchange (by the chosen cipher's key
	 * exchange), CertificateRequest, CertificateVerify,
	 * CertificateStatus, Finished, KeyUpdate */
	F_CURVE_TYPE,
	F_SPOINT_LEN,
	F_SPOINT,
	F_P_LEN,
	F_P,
	F_G_LEN,
	F_G,
	F_YS_LEN,
	F_YS,
	F_MOD_LEN,
	F_MOD,
	F_EXP_LEN,
	F_EXP,
	F_HINT_LEN,
	F_HINT,
	F_SKE_SIG_LEN,
	F_SKE_SIG,
	F_EPMS_LEN,
	F_EPMS,
	F_YC_LEN,
	F_YC,
	F_CPOINT_LEN,
	F_CPOINT,
	F_IDENT_LEN,
	F_IDENT,
	F_CV_SIG_LEN,
	F_CV_SIG,
	F_CTYPES_COUNT,
	F_CTYPES,
	F_CTYPE,
	F_DNAMES_LEN,
	F_DNAMES,
	F_DNAME_LEN,
	F_DNAME,
	F_CR_CTX_LEN,
	F_CR_CTX,
	F_STATUS_TYPE,
	F_OCSP_LIST_LEN,
	F_OCSP_LEN,
	F_VERIFY,
	F_KEY_UPDATE,
	/* extensions */
	F_SR_LIST_LEN,
	F_SR_LEN,
	F_SR_RIDS_LEN,
	F_SR_EXTS_LEN,
	F_HB_MODE,
	F_CC_LEN,
	F_CC_ALG,
	F_RSL,
	F_PSK_IDS_LEN,
	F_PSK_ID_LEN,
	F_PSK_ID,
	F_PSK_AGE,
	F_PSK_BINDERS_LEN,
	F_PSK_BINDERS,
	F_ALPS_LEN,
	F_ALPS_LIST,
	F_ALPS_STR_LEN,
	F_ALPS_STR,
	F_TICKET_LIFETIME,
	F_TICKET_LEN,
	F_ALERT,
	F_ALERT_LEVEL,
	F_ALERT_DESC,
	F_CCS,
	F_APP_DATA,
	F_ENC_HS,
	F_CIPHERSPEC,
	F_HRR,
	F_CONT,
	F_SESSION_VER,
	F_OPAQUE,
	F_JA3_FULL,
	F_JA3,
	F_JA3S_FULL,
	F_JA3S,
	F_JA4,
	F_JA4_R,
	F_COUNT_
};

enum {
	E_RECORD_LONG,
	E_BAD_VERSION,
	E_HS_LONG,
	E_EXT_BAD,
	E_VECTOR,
	E_COUNT_
};

#define FS(a, n) {a, n, TP_FT_STRING, TP_BASE_NONE, NULL, 0}
#define FB(a, n) {a, n, TP_FT_BYTES, TP_BASE_NONE, NULL, 0}
#define FN(a, n) {a, n, TP_FT_NONE, TP_BASE_NONE, NULL, 0}
#define FU(a, n, t) {a, n, t, TP_BASE_DEC, NULL, 0}
#define FV(a, n, t, b, v) {a, n, t, b, v, 0}
static const tp_field_def fields[F_COUNT_] = {
	[F_RECORD] = FN("tls.record", "Record Layer"),
	[F_CT] = FV("tls.record.content_type", "Content Type", TP_FT_UINT8,
		    TP_BASE_DEC, tls_content_types),
	[F_RVERSION] = FV("tls.record.version", "Version", TP_FT_UINT16,
			  TP_BASE_HEX, tls_versions),
	[F_RLENGTH] = FU("tls.record.length", "Length", TP_FT_UINT16),
	[F_HS_TYPE] = FV("tls.handshake.type", "Handshake Type", TP_FT_UINT8,
			 TP_BASE_DEC, tls_handshake_types),
	[F_HS_LENGTH] = FU("tls.handshake.length", "Length", TP_FT_UINT24),
	[F_HS_VERSION] = FV("tls.handshake.version", "Version", TP_FT_UINT16,
			    TP_BASE_HEX, tls_versions),
	[F_RANDOM] = FB("tls.handshake.random", "Random"),
	[F_SID_LEN] = FU("tls.handshake.session_id_length", "Session ID Length",
			 TP_FT_UINT8),
	[F_SID] = FB("tls.handshake.session_id", "Session ID"),
	[F_CS_LEN] = FU("tls.handshake.cipher_suites_length",
			"Cipher Suites Length", TP_FT_UINT16),
	[F_CIPHERSUITES] = FN("tls.handshake.ciphersuites", "Cipher Suites"),
	[F_CIPHERSUITE] = FV("tls.handshake.ciphersuite", "Cipher Suite",
			     TP_FT_UINT16, TP_BASE_HEX, tls_cipher_suites),
	[F_COMP_LEN] = FU("tls.handshake.comp_methods_length",
			  "Compression Methods Length", TP_FT_UINT8),
	[F_COMP] = FV("tls.handshake.comp_method", "Compression Method",
		      TP_FT_UINT8, TP_BASE_DEC, tls_comp_methods),
	[F_EXTS_LEN] = FU("tls.handshake.extensions_length",
			  "Extensions Length", TP_FT_UINT16),
	[F_EXT_TYPE] = FV("tls.handshake.extension.type", "Type", TP_FT_UINT16,
			  TP_BASE_DEC, tls_extension_types),
	[F_EXT_LEN] = FU("tls.handshake.extension.len", "Length", TP_FT_UINT16),
	[F_EXT_DATA] = FB("tls.handshake.extension.data", "Data"),
	[F_SNI_LIST_LEN] = FU("tls.handshake.extensions_server_name_list_len",
			      "Server Name list length", TP_FT_UINT16),
	[F_SNI_TYPE] = FU("tls.handshake.extensions_server_name_type",
			  "Server Name Type", TP_FT_UINT8),
	[F_SNI_LEN] = FU("tls.handshake.extensions_server_name_len",
			 "Server Name length", TP_FT_UINT16),
	[F_SNI] = FS("tls.handshake.extensions_server_name", "Server Name"),
	[F_ALPN_LEN] = FU("tls.handshake.extensions_alpn_len",
			  "ALPN Extension Length", TP_FT_UINT16),
	[F_ALPN_STR_LEN] = FU("tls.handshake.extensions_alpn_str_len",
			      "ALPN string length", TP_FT_UINT8),
	[F_ALPN_STR] = FS("tls.handshake.extensions_alpn_str",
			  "ALPN Next Protocol"),
	[F_GROUPS_LEN] = FU("tls.handshake.extensions_supported_groups_length",
			    "Supported Groups List Length", TP_FT_UINT16),
	[F_GROUP] = FV("tls.handshake.extensions_supported_group",
		       "Supported Group", TP_FT_UINT16, TP_BASE_HEX, tls_groups),
	[F_ECPF_LEN] = FU("tls.handshake.extensions_ec_point_formats_length",
			  "EC point formats Length", TP_FT_UINT8),
	[F_ECPF] = FV("tls.handshake.extensions_ec_point_format",
		      "EC point format", TP_FT_UINT8, TP_BASE_DEC,
		      tls_ec_point_formats),
	[F_SIG_LEN] = FU("tls.handshake.sig_hash_alg_len",
			 "Signature Hash Algorithms Length", TP_FT_UINT16),
	[F_SIG] = FV("tls.handshake.sig_hash_alg", "Signature Algorithm",
		     TP_FT_UINT16, TP_BASE_HEX, tls_sig_schemes),
	[F_SV_LEN] = FU("tls.handshake.extensions.supported_versions_len",
			"Supported Versions length", TP_FT_UINT8),
	[F_SV] = FV("tls.handshake.extensions.supported_version",
		    "Supported Version", TP_FT_UINT16, TP_BASE_HEX, tls_versions),
	[F_KS_LEN] = FU("tls.handshake.extensions_key_share_client_length",
			"Client Key Share Length", TP_FT_UINT16),
	[F_KS_GROUP] = FV("tls.handshake.extensions_key_share_group", "Group",
			  TP_FT_UINT16, TP_BASE_DEC, tls_groups),
	[F_KS_KEY_LEN] = FU("tls.handshake.extensions_key_share_key_exchange_length",
			    "Key Exchange Length", TP_FT_UINT16),
	[F_KS_KEY] = FB("tls.handshake.extensions_key_share_key_exchange",
			"Key Exchange"),
	[F_KS_SELECTED] = FV("tls.handshake.extensions_key_share_selected_group",
			     "Selected Group", TP_FT_UINT16, TP_BASE_DEC,
			     tls_groups),
	[F_PSK_MODES_LEN] = FU("tls.extension.psk_ke_modes_length",
			       "PSK Key Exchange Modes Length", TP_FT_UINT8),
	[F_PSK_MODE] = FV("tls.extension.psk_ke_mode",
			  "PSK Key Exchange Mode", TP_FT_UINT8, TP_BASE_DEC,
			  tls_psk_ke_modes),
	[F_PSK_SELECTED] = FU("tls.handshake.extensions.psk.identity.selected",
			      "Selected Identity", TP_FT_UINT16),
	[F_RENEG_LEN] = FU("tls.handshake.extensions_reneg_info_len",
			   "Renegotiation info extension length", TP_FT_UINT8),
	[F_RENEG] = FB("tls.handshake.extensions_reneg_info",
		       "Renegotiation info"),
	[F_PADDING] = FB("tls.handshake.extensions_padding_data",
			 "Padding Data"),
	[F_CERTS_LEN] = FU("tls.handshake.certificates_length",
			   "Certificates Length", TP_FT_UINT24),
	[F_CERT_LEN] = FU("tls.handshake.certificate_length",
			  "Certificate Length", TP_FT_UINT24),
	[F_CERT] = FB("tls.handshake.certificate", "Certificate"),
	[F_SERVER_CURVE] = FV("tls.handshake.server_named_curve", "Named Curve",
			      TP_FT_UINT16, TP_BASE_HEX, tls_groups),
	[F_CURVE_TYPE] = FV("tls.handshake.server_curve_type", "Curve Type",
			    TP_FT_UINT8, TP_BASE_HEX, tls_curve_types),
	[F_SPOINT_LEN] = FU("tls.handshake.server_point_len", "Pubkey Length",
			    TP_FT_UINT8),
	[F_SPOINT] = FB("tls.handshake.server_point", "Pubkey"),
	[F_P_LEN] = FU("tls.handshake.p_len", "p Length", TP_FT_UINT16),
	[F_P] = FB("tls.handshake.p", "p"),
	[F_G_LEN] = FU("tls.handshake.g_len", "g Length", TP_FT_UINT16),
	[F_G] = FB("tls.handshake.g", "g"),
	[F_YS_LEN] = FU("tls.handshake.ys_len", "Pubkey Length", TP_FT_UINT16),
	[F_YS] = FB("tls.handshake.ys", "Pubkey"),
	[F_MOD_LEN] = FU("tls.handshake.modulus_len", "Modulus Length",
			 TP_FT_UINT16),
	[F_MOD] = FB("tls.handshake.modulus", "Modulus"),
	[F_EXP_LEN] = FU("tls.handshake.exponent_len", "Exponent Length",
			 TP_FT_UINT16),
	[F_EXP] = FB("tls.handshake.exponent", "Exponent"),
	[F_HINT_LEN] = FU("tls.handshake.hint_len", "Hint Length", TP_FT_UINT16),
	[F_HINT] = FB("tls.handshake.hint", "Hint"),
	[F_SKE_SIG_LEN] = FU("tls.handshake.sig_len", "Signature Length",
			     TP_FT_UINT16),
	[F_SKE_SIG] = FB("tls.handshake.sig", "Signature"),
	[F_EPMS_LEN] = FU("tls.handshake.epms_len", "Encrypted PreMaster length",
			  TP_FT_UINT16),
	[F_EPMS] = FB("tls.handshake.epms", "Encrypted PreMaster"),
	[F_YC_LEN] = FU("tls.handshake.yc_len", "Pubkey Length", TP_FT_UINT16),
	[F_YC] = FB("tls.handshake.yc", "Pubkey"),
	[F_CPOINT_LEN] = FU("tls.handshake.client_point_len", "Pubkey Length",
			    TP_FT_UINT8),
	[F_CPOINT] = FB("tls.handshake.client_point", "Pubkey"),
	[F_IDENT_LEN] = FU("tls.handshake.identity_len", "Identity Length",
			   TP_FT_UINT16),
	[F_IDENT] = FB("tls.handshake.identity", "Identity"),
	[F_CV_SIG_LEN] = FU("tls.handshake.client_cert_vrfy.sig_len",
			    "Signature length", TP_FT_UINT16),
	[F_CV_SIG] = FB("tls.handshake.client_cert_vrfy.sig", "Signature"),
	[F_CTYPES_COUNT] = FU("tls.handshake.cert_types_count",
			      "Certificate types count", TP_FT_UINT8),
	[F_CTYPES] = FN("tls.handshake.cert_types", "Certificate types"),
	[F_CTYPE] = FV("tls.handshake.cert_type", "Certificate type",
		       TP_FT_UINT8, TP_BASE_DEC, tls_client_cert_types),
	[F_DNAMES_LEN] = FU("tls.handshake.dnames_len",
			    "Distinguished Names Length", TP_FT_UINT16),
	[F_DNAMES] = FN("tls.handshake.dnames", "Distinguished Names"),
	[F_DNAME_LEN] = FU("tls.handshake.dname_len",
			   "Distinguished Name Length", TP_FT_UINT16),
	[F_DNAME] = FN("tls.handshake.dname", "Distinguished Name"),
	[F_CR_CTX_LEN] = FU("tls.handshake.certificate_request_context_length",
			    "Certificate Request Context Length", TP_FT_UINT8),
	[F_CR_CTX] = FB("tls.handshake.certificate_request_context",
			"Certificate Request Context"),
	[F_STATUS_TYPE] = FV("tls.handshake.extensions_status_request_type",
			     "Certificate Status Type", TP_FT_UINT8, TP_BASE_DEC,
			     tls_status_types),
	[F_OCSP_LIST_LEN] = FU("tls.handshake.ocsp_response_list_len",
			       "OCSP Response List Length", TP_FT_UINT24),
	[F_OCSP_LEN] = FU("tls.handshake.ocsp_response_len",
			  "OCSP Response Length", TP_FT_UINT24),
	[F_VERIFY] = FN("tls.handshake.verify_data", "Verify Data"),
	[F_KEY_UPDATE] = FV("tls.handshake.key_update.request_update",
			    "KeyUpdateRequest", TP_FT_UINT8, TP_BASE_DEC,
			    tls_key_updates),
	[F_SR_LIST_LEN] = FU("tls.handshake.extensions_status_request_list_len",
			     "Certificate Status List Length", TP_FT_UINT16),
	[F_SR_LEN] = FU("tls.handshake.extensions_status_request_len",
			"Certificate Status Length", TP_FT_UINT16),
	[F_SR_RIDS_LEN] = FU(
		"tls.handshake.extensions_status_request_responder_ids_len",
		"Responder ID list Length", TP_FT_UINT16),
	[F_SR_EXTS_LEN] = FU("tls.handshake.extensions_status_request_exts_len",
			     "Request Extensions Length", TP_FT_UINT16),
	[F_HB_MODE] = FV("tls.handshake.extension.heartbeat.mode", "Mode",
			 TP_FT_UINT8, TP_BASE_DEC, tls_heartbeat_modes),
	[F_CC_LEN] = FU("tls.compress_certificate.algorithms_length",
			"Algorithms Length", TP_FT_UINT8),
	[F_CC_ALG] = FV("tls.compress_certificate.algorithm", "Algorithm",
			TP_FT_UINT16, TP_BASE_DEC, tls_cert_compression),
	[F_RSL] = FU("tls.record_size_limit", "Record Size Limit",
		     TP_FT_UINT16),
	[F_PSK_IDS_LEN] = FU("tls.handshake.extensions.psk.identities.length",
			     "Identities Length", TP_FT_UINT16),
	[F_PSK_ID_LEN] = FU(
		"tls.handshake.extensions.psk.identity.identity_length",
		"Identity Length", TP_FT_UINT16),
	[F_PSK_ID] = FB("tls.handshake.extensions.psk.identity.identity",
			"Identity"),
	[F_PSK_AGE] = FU(
		"tls.handshake.extensions.psk.identity.obfuscated_ticket_age",
		"Obfuscated Ticket Age", TP_FT_UINT32),
	[F_PSK_BINDERS_LEN] = FU("tls.handshake.extensions.psk.binders_len",
				 "PSK Binders length", TP_FT_UINT16),
	[F_PSK_BINDERS] = FN("tls.handshake.extensions.psk.binders",
			     "PSK Binders"),
	[F_ALPS_LEN] = FU("tls.handshake.extensions_alps_len",
			  "ALPS Extension Length", TP_FT_UINT16),
	[F_ALPS_LIST] = FN("tls.handshake.extensions_alps_alpn_list",
			   "Supported ALPN List"),
	[F_ALPS_STR_LEN] = FU("tls.handshake.extensions_alps_alpn_str_len",
			      "Supported ALPN Length", TP_FT_UINT8),
	[F_ALPS_STR] = FS("tls.handshake.extensions_alps_alpn_str",
			  "Supported ALPN"),
	[F_TICKET_LIFETIME] = FU("tls.handshake.session_ticket_lifetime_hint",
				 "Session Ticket Lifetime Hint", TP_FT_UINT32),
	[F_TICKET_LEN] = FU("tls.handshake.session_ticket_length",
			    "Session Ticket Length", TP_FT_UINT16),
	[F_ALERT] = FN("tls.alert_message", "Alert Message"),
	[F_ALERT_LEVEL] = FV("tls.alert_message.level", "Level", TP_FT_UINT8,
			     TP_BASE_DEC, tls_alert_levels),
	[F_ALERT_DESC] = FV("tls.alert_message.desc", "Description",
			    TP_FT_UINT8, TP_BASE_DEC, tls_alert_descs),
	[F_CCS] = FN("tls.change_cipher_spec", "Change Cipher Spec Message"),
	[F_APP_DATA] = FB("tls.app_data", "Encrypted Application Data"),
	[F_ENC_HS] = FB("tls.handshake.encrypted", "Encrypted Handshake Message"),
	[F_CIPHERSPEC] = FV("tls.handshake.cipherspec", "Cipher Spec",
			    TP_FT_UINT24, TP_BASE_HEX, NULL),
	[F_HRR] = {"tls.handshake.hello_retry_request", "HelloRetryRequest",
		   TP_FT_BOOLEAN, 8, NULL, 0},
	[F_CONT] = FB("tls.continuation_data", "Continuation Data"),
	[F_SESSION_VER] = FV("tls.session_version", "Negotiated Version",
			     TP_FT_UINT16, TP_BASE_HEX, tls_versions),
	[F_OPAQUE] = FV("tls.record.opaque_type", "Opaque Type", TP_FT_UINT8,
			TP_BASE_DEC, tls_content_types),
	[F_JA3_FULL] = FS("tls.handshake.ja3_full", "JA3 Fullstring"),
	[F_JA3] = FS("tls.handshake.ja3", "JA3"),
	[F_JA3S_FULL] = FS("tls.handshake.ja3s_full", "JA3S Fullstring"),
	[F_JA3S] = FS("tls.handshake.ja3s", "JA3S"),
	[F_JA4] = FS("tls.handshake.ja4", "JA4"),
	[F_JA4_R] = FS("tls.handshake.ja4_r", "JA4 Raw"),
};
#undef FS
#undef FB
#undef FN
#undef FU
#undef FV

static const tp_event_def events[E_COUNT_] = {
	[E_RECORD_LONG] = {"tls.record.length.invalid", TP_EV_MALFORMED,
			   "Record longer than 2^14 + 2048 bytes"},
	[E_BAD_VERSION] = {"tls.record.version.bad", TP_EV_MALFORMED,
			   "Not a TLS record (content type or version)"},
	[E_HS_LONG] = {"tls.handshake.too_long", TP_EV_WARN,
		       "Handshake message longer than 256 KiB: not gathered"},
	[E_EXT_BAD] = {"tls.handshake.extension.bad", TP_EV_MALFORMED,
		       "Extension length past its message, or its lists past "
		       "the extension"},
	[E_VECTOR] = {"tls.malformed.vector_length", TP_EV_MALFORMED,
		      "A length in a handshake message past its end"},
};

#define FD(i) (&fields[i])

extern const tp_dissector tp_diss_tls;

/* ---- state ------------------------------------------------------------ */

typedef struct tls_dir {
	struct tls_dir *peer;
	tp_session *s;   /* whose memory cap the gathered message is charged to */
	bool begun;      /* a PDU was cut */
	bool sync;       /* framing lost: wait for a plausible header */
	bool sslv2;      /* the PDU last cut is an SSLv2 ClientHello */
	bool junk;       /* ... is bytes passed over */
	/* encrypted records (application data, and everything after
	 * ChangeCipherSpec) are never gathered: the PDU last cut is a
	 * record's head with the payload bytes there (`head`), or more of
	 * its payload (`cont`); `rem` bytes of it are still to come */
	bool head, cont;
	uint8_t lhdr[5]; /* that record's header */
	bool enc;        /* the PDU last cut is (part of) an encrypted record */
	bool enc_seen;   /* this direction sent one after its handshake */
	uint64_t rem;
	bool ccs;        /* this direction sent ChangeCipherSpec */
	bool tls13;      /* TLS 1.3 negotiated (both directions' flag) */
	bool server;     /* sent a ServerHello */
	uint16_t version; /* negotiated (both directions' copy), 0 before */
	uint16_t cipher;  /* chosen by the ServerHello (both directions'), */
	bool has_cipher;  /* for the key exchange messages' shape */
	/* a handshake message gathered over records */
	uint8_t *hs;
	size_t hs_len, hs_cap, hs_want;
	bool hs_skip;    /* one over TLS_HS_MAX: its bytes passed over */
	uint64_t hs_skip_left;
	tls_conn *conn;  /* --tls: the connection's summary (both states') */
} tls_dir;

static void *tls_state_new(uint8_t proto, int dir)
{
	(void)proto;
	(void)dir;
	return calloc(1, sizeof(tls_dir));
}

static void hs_release(tls_dir *t)
{
	if (t->s && t->hs_cap)
		tp_reasm_mem_give(&t->s->mem, t->hs_cap);
	free(t->hs);
	t->hs = NULL;
	t->hs_cap = 0;
}

static void tls_state_free(void *st)
{
	tls_dir *t = st;
	if (t) {
		hs_release(t);
		tls_conn_unref(t->conn);
	}
	free(t);
}

static void tls_state_pair(void *a, void *b)
{
	tls_dir *x = a, *y = b;
	x->peer = y;
	y->peer = x;
}

/* ---- framing ------------------------------------------------------------ */

static bool plausible(const uint8_t *b)
{
	unsigned len = (unsigned)b[3] << 8 | b[4];
	return b[0] >= 20 && b[0] <= 23 && b[1] == 3 && b[2] <= 4 &&
	       len > 0 && len <= TLS_REC_MAX;
}

/* An SSLv2-compatible ClientHello's two-byte header (RFC 5246 E.2)? */
static bool sslv2_hello(const uint8_t *b, size_t n)
{
	return n >= 5 && (b[0] & 0x80) && b[2] == 1 && b[3] == 3 && b[4] <= 4 &&
	       ((b[0] & 0x7f) << 8 | b[1]) >= 9;
}

static tp_probe tls_probe(const uint8_t *b, size_t n, uint8_t proto)
{
	if (proto != 6)
		return TP_PROBE_NO;
	if (n < 5)
		return (b[0] == 22 || (b[0] & 0x80)) ? TP_PROBE_MORE : TP_PROBE_NO;
	/* a handshake record first (a ClientHello or a ServerHello) */
	if (b[0] == 22 && plausible(b) && (n < 6 || b[5] == 1 || b[5] == 2))
		return TP_PROBE_YES;
	return sslv2_hello(b, n) ? TP_PROBE_YES : TP_PROBE_NO;
}

/* Is a record of content type ct from this direction encrypted? */
static bool encrypted(const tls_dir *t, unsigned ct)
{
	return ct == 23 || (t && t->ccs && (ct == 22 || ct == 21));
}

static size_t tls_pdu_len(void *st, const uint8_t *b, size_t n)
{
	tls_dir *t = st;
	bool first = t && !t->begun;
	if (t) {
		t->begun = true;
		t->sslv2 = t->junk = t->head = t->cont = t->enc = false;
		if (t->rem) { /* an encrypted record's payload goes on */
			size_t k = t->rem < n ? (size_t)t->rem : n;
			t->rem -= k;
			t->cont = t->enc = true;
			return k;
		}
	}
	if (n < 5)
		return 5;
	if (first && sslv2_hello(b, n)) {
		if (t)
			t->sslv2 = true;
		return 2 + ((size_t)(b[0] & 0x7f) << 8 | b[1]);
	}
	if (t && (t->sync || first) && !plausible(b)) {
		/* up to the next plausible record header */
		size_t i = 1;
		while (i + 5 <= n && !plausible(b + i))
			i++;
		t->junk = true;
		t->sync = true;
		return i + 5 <= n ? i : n - 4;
	}
	size_t len = (size_t)b[3] << 8 | b[4];
	if (t) {
		t->sync = false;
		t->enc = encrypted(t, b[0]);
		/* both sides encrypted: the one-line text has nothing more
		 * to say of this connection */
		if (t->enc && (t->enc_seen = true) && t->peer &&
		    t->peer->enc_seen && !tls_conn_pending(t->conn))
			tp_app_lean_done();
		if (t->enc && 5 + len > n) {
			/* its head and the payload bytes here */
			t->head = true;
			memcpy(t->lhdr, b, 5);
			t->rem = 5 + len - n;
			return n;
		}
	}
	return 5 + len;
}

/* The pieces of an encrypted record before its last show nothing: the
 * record is shown where it ends, as tshark shows it. */
static bool tls_pdu_hidden(const void *st)
{
	const tls_dir *t = st;
	return t && (t->head || (t->cont && t->rem));
}

/* A lean run (the one-line text) shows the records that say something
 * of the handshake: not encrypted ones (application data, and all after
 * ChangeCipherSpec), which tcpdump's text already counts in bytes. */
static bool tls_pdu_shown(const void *st)
{
	const tls_dir *t = st;
	/* (--tls: every record until the connection is reported) */
	return !t || !t->enc || tls_conn_pending(t->conn);
}

static void tls_gap(void *st, uint64_t n)
{
	tls_dir *t = st;
	(void)n;
	if (!t)
		return;
	if (n < t->rem) { /* inside an encrypted record: it holds */
		t->rem -= n;
		return;
	}
	t->rem = 0;
	t->sync = true;
	t->hs_len = t->hs_want = 0; /* the message gathered is lost */
	t->hs_skip = false;
}

/* ---- handshake messages --------------------------------------------- */

typedef struct hsctx {
	tp_pkt *p;
	tls_dir *t;
	/* the one-line text only (p->lean), and no --tls report wanted:
	 * a hello's SNI and version, nothing gathered */
	bool lean;
} hsctx;

/* The connection's summary, made at its first hello when --tls wants
 * one, shared by both directions' states. */
static tls_conn *conn_of(tp_pkt *p, tls_dir *t)
{
	if (!t || t->conn)
		return t ? t->conn : NULL;
	if (!(t->conn = tls_conn_new(p)))
		return NULL;
	if (t->peer) {
		t->peer->conn = t->conn;
		tls_conn_ref(t->conn);
	}
	return t->conn;
}

static void u16_list(tp_pkt *p, tp_cursor *c, size_t n, int f)
{
	for (size_t i = 0; i + 2 <= n; i += 2)
		tp_get_be16(p, c, FD(f));
}

/* A vector: its length (w = 1, 2 or 3 bytes) as field fl, then its
 * bytes as field fb (none when empty).  Its length. */
static size_t vec(tp_pkt *p, tp_cursor *c, int fl, int w, int fb)
{
	size_t n = w == 1   ? tp_get_u8(p, c, FD(fl))
		   : w == 2 ? tp_get_be16(p, c, FD(fl))
			    : tp_get_be24(p, c, FD(fl));
	if (n && tp_ok(c))
		tp_get_bytes(p, c, FD(fb), n);
	return n;
}

/* A list of n bytes at c shown as one field f (Wireshark's FT_NONE
 * subtree heads: cert_types, dnames, binders), cut to what is there. */
static void span(tp_pkt *p, const tp_cursor *c, int f, size_t n)
{
	if (tp_ok(c))
		tp_add_uint(p, FD(f), c->off, n < tp_avail(c) ? n : tp_avail(c),
			    0);
}

/* DistinguishedName certificate_authorities<0..2^16-1> (a
 * CertificateRequest's, the certificate_authorities extension's). */
static void dnames(tp_pkt *p, tp_cursor *c)
{
	size_t n = tp_get_be16(p, c, FD(F_DNAMES_LEN));
	span(p, c, F_DNAMES, n);
	tp_cursor l = tp_sub(c, n);
	tp_push(p);
	while (tp_avail(&l) >= 2) {
		unsigned k = tp_get_be16(p, &l, FD(F_DNAME_LEN));
		span(p, &l, F_DNAME, k);
		if (!tp_skip(&l, k))
			break;
	}
	tp_pop(p);
	if (l.status != TP_OK)
		tp_fail(c, l.status);
}

/* A CertificateStatusRequest (status_request; an item of
 * status_request_v2 has its request's length after the type).  False
 * when it could not be read whole. */
static bool status_request(tp_pkt *p, tp_cursor *c, bool v2)
{
	unsigned type = tp_get_u8(p, c, FD(F_STATUS_TYPE));
	tp_cursor r = *c;
	if (v2)
		r = tp_sub(c, tp_get_be16(p, c, FD(F_SR_LEN)));
	if (type == 1 || type == 2) { /* ocsp, ocsp_multi */
		tp_skip(&r, tp_get_be16(p, &r, FD(F_SR_RIDS_LEN)));
		tp_skip(&r, tp_get_be16(p, &r, FD(F_SR_EXTS_LEN)));
	}
	if (r.status != TP_OK)
		tp_fail(c, r.status);
	return tp_ok(c);
}

/* pre_shared_key in a ClientHello: the identities, the binders. */
static void ext_psk(tp_pkt *p, tp_cursor *c)
{
	tp_cursor l = tp_sub(c, tp_get_be16(p, c, FD(F_PSK_IDS_LEN)));
	while (tp_avail(&l) >= 2) {
		vec(p, &l, F_PSK_ID_LEN, 2, F_PSK_ID);
		tp_get_be32(p, &l, FD(F_PSK_AGE));
		if (!tp_ok(&l))
			break;
	}
	size_t n = tp_get_be16(p, c, FD(F_PSK_BINDERS_LEN));
	span(p, c, F_PSK_BINDERS, n);
	tp_skip(c, n);
	if (l.status != TP_OK)
		tp_fail(c, l.status);
}

/* application_settings (ALPS) in a ClientHello: the protocols it has
 * settings for. */
static void ext_alps(tp_pkt *p, tp_cursor *c)
{
	size_t n = tp_get_be16(p, c, FD(F_ALPS_LEN));
	span(p, c, F_ALPS_LIST, n);
	tp_cursor l = tp_sub(c, n);
	tp_push(p);
	while (tp_avail(&l)) {
		unsigned k = tp_get_u8(p, &l, FD(F_ALPS_STR_LEN));
		size_t at = l.off;
		const uint8_t *b = tp_bytes(&l, k);
		if (!b)
			break;
		tp_add_bytes(p, FD(F_ALPS_STR), at, k, b, k);
	}
	tp_pop(p);
	if (l.status != TP_OK)
		tp_fail(c, l.status);
}

/* The 32 bytes a HelloRetryRequest's random is (RFC 8446 4.1.3). */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/* One extension's data (n bytes at c), by type. */
static void extension(hsctx *x, tp_cursor *c, unsigned type, size_t n,
		      bool server, bool hrr)
{
	tp_pkt *p = x->p;
	tp_cursor e = *c;
	e.cap_end = e.rep_end = c->off + n < c->cap_end ? c->off + n
							: c->cap_end;
	switch (type) {
	case 0: { /* server_name */
		if (!n)
			break;
		size_t ll = tp_get_be16(p, &e, FD(F_SNI_LIST_LEN)), used = 0;
		while (used + 3 <= ll && tp_avail(&e) >= 3) {
			tp_get_u8(p, &e, FD(F_SNI_TYPE));
			unsigned sl = tp_get_be16(p, &e, FD(F_SNI_LEN));
			size_t at = e.off;
			const uint8_t *s = tp_bytes(&e, sl);
			if (!s)
				break;
			tp_add_bytes(p, FD(F_SNI), at, sl, s, sl);
			used += 3 + sl;
		}
		break;
	}
	case 16: { /* ALPN */
		size_t ll = tp_get_be16(p, &e, FD(F_ALPN_LEN)), used = 0;
		while (used + 1 <= ll && tp_avail(&e) >= 1) {
			unsigned sl = tp_get_u8(p, &e, FD(F_ALPN_STR_LEN));
			size_t at = e.off;
			const uint8_t *s = tp_bytes(&e, sl);
			if (!s)
				break;
			tp_add_bytes(p, FD(F_ALPN_STR), at, sl, s, sl);
			used += 1 + sl;
		}
		break;
	}
	case 10: /* supported_groups */
		u16_list(p, &e, tp_get_be16(p, &e, FD(F_GROUPS_LEN)), F_GROUP);
		break;
	case 11: { /* ec_point_formats */
		unsigned k = tp_get_u8(p, &e, FD(F_ECPF_LEN));
		for (unsigned i = 0; i < k; i++)
			tp_get_u8(p, &e, FD(F_ECPF));
		break;
	}
	case 13: /* signature_algorithms */
		u16_list(p, &e, tp_get_be16(p, &e, FD(F_SIG_LEN)), F_SIG);
		break;
	case 43: /* supported_versions */
		if (server)
			tp_get_be16(p, &e, FD(F_SV));
		else
			u16_list(p, &e, tp_get_u8(p, &e, FD(F_SV_LEN)), F_SV);
		break;
	case 51: /* key_share */
		if (hrr) {
			tp_get_be16(p, &e, FD(F_KS_SELECTED));
			break;
		}
		if (!server)
			tp_get_be16(p, &e, FD(F_KS_LEN));
		while (tp_avail(&e) >= 4) {
			tp_get_be16(p, &e, FD(F_KS_GROUP));
			unsigned kl = tp_get_be16(p, &e, FD(F_KS_KEY_LEN));
			if (!tp_get_bytes(p, &e, FD(F_KS_KEY), kl) || server)
				break;
		}
		break;
	case 45: { /* psk_key_exchange_modes */
		unsigned k = tp_get_u8(p, &e, FD(F_PSK_MODES_LEN));
		for (unsigned i = 0; i < k; i++)
			tp_get_u8(p, &e, FD(F_PSK_MODE));
		break;
	}
	case 41: /* pre_shared_key: the server's selection */
		if (server)
			tp_get_be16(p, &e, FD(F_PSK_SELECTED));
		else
			ext_psk(p, &e);
		break;
	case 5: /* status_request: the client's (the server's is empty) */
		if (!server && n)
			status_request(p, &e, false);
		break;
	case 17: /* status_request_v2 */
		if (!server && n) {
			size_t ll = tp_get_be16(p, &e, FD(F_SR_LIST_LEN));
			tp_cursor l = tp_sub(&e, ll);
			while (tp_avail(&l) && status_request(p, &l, true))
				;
		}
		break;
	case 15: /* heartbeat */
		tp_get_u8(p, &e, FD(F_HB_MODE));
		break;
	case 27: /* compress_certificate */
		if (!server) {
			unsigned k = tp_get_u8(p, &e, FD(F_CC_LEN));
			u16_list(p, &e, k, F_CC_ALG);
		}
		break;
	case 28: /* record_size_limit */
		tp_get_be16(p, &e, FD(F_RSL));
		break;
	case 50: /* signature_algorithms_cert: as signature_algorithms */
		u16_list(p, &e, tp_get_be16(p, &e, FD(F_SIG_LEN)), F_SIG);
		break;
	case 47: /* certificate_authorities */
		dnames(p, &e);
		break;
	case 17513: /* application_settings (ALPS): the client's protocols */
		if (!server)
			ext_alps(p, &e);
		else if (n)
			tp_get_bytes(p, &e, FD(F_EXT_DATA), n);
		break;
	/* extended_master_secret (23), encrypt_then_mac (22),
	 * post_handshake_auth (49), early_data (42) in a hello: empty,
	 * their type says it all; encrypted_client_hello (0xfe0d), real or
	 * GREASE, and the rest: their bytes */
	case 65281: { /* renegotiation_info */
		unsigned k = tp_get_u8(p, &e, FD(F_RENEG_LEN));
		if (k)
			tp_get_bytes(p, &e, FD(F_RENEG), k);
		break;
	}
	case 21: /* padding */
		if (n)
			tp_get_bytes(p, &e, FD(F_PADDING), n);
		break;
	default:
		if (n)
			tp_get_bytes(p, &e, FD(F_EXT_DATA), n);
		break;
	}
	if (e.status != TP_OK && tp_ok(c))
		tp_add_event(p, &events[E_EXT_BAD], c->off);
}

/* The version a ServerHello (or a HelloRetryRequest) chose: the
 * connection's, in both directions' states. */
static void chosen_version(tls_dir *t, uint16_t v)
{
	for (int k = 0; k < 2 && t; k++, t = t->peer) {
		t->version = v;
		if (v == 0x0304)
			t->tls13 = true;
	}
}

static void extensions(hsctx *x, tp_cursor *c, bool server, bool hrr)
{
	tp_pkt *p = x->p;
	if (!tp_avail(c))
		return; /* none (SSL 3.0, a bare hello) */
	size_t total = tp_get_be16(p, c, FD(F_EXTS_LEN)), used = 0;
	while (used + 4 <= total && tp_avail(c) >= 4) {
		unsigned type = tp_get_be16(p, c, FD(F_EXT_TYPE));
		unsigned n = tp_get_be16(p, c, FD(F_EXT_LEN));
		tp_push(p);
		extension(x, c, type, n, server, hrr);
		tp_pop(p);
		if (server && type == 43 && n == 2 && x->t) {
			tp_cursor vc = *c; /* what the connection's state needs */
			chosen_version(x->t, tp_be16(&vc));
		}
		if (!tp_skip(c, n)) {
			tp_add_event(p, &events[E_EXT_BAD], c->off);
			return;
		}
		used += 4 + n;
	}
}

/* A string into the packet's arena, as a field at `at`. */
static void add_text(tp_pkt *p, int f, size_t at, const char *str)
{
	size_t n = strlen(str);
	uint8_t *d = tp_arena_alloc(p, n ? n : 1);
	if (d) {
		memcpy(d, str, n);
		tp_add_bytes(p, FD(f), at, 0, d, n);
	}
}

/* JA3/JA3S and JA4 of the hello whose fields are the layer's from
 * field `from` on (tls_fp.c), read back from the fields just added. */
static void fingerprints(tp_pkt *p, unsigned from, size_t at, bool server,
			 uint16_t legacy)
{
	enum { L_CS, L_EXT, L_GRP, L_SIG, L_SV, L_N };
	uint16_t v[L_N][TLS_FP_MAX];
	size_t nv[L_N] = {0};
	uint8_t ecpf[TLS_FP_MAX];
	size_t nec = 0;
	tls_hello h = {.server = server, .legacy_version = legacy};
	static const int map[L_N] = {F_CIPHERSUITE, F_EXT_TYPE, F_GROUP, F_SIG,
				     F_SV};
	uint64_t ext = 0; /* the extension the field is in */
	for (unsigned i = from; i < p->nfields; i++) {
		const tp_field *f = &p->fields[i];
		if (f->def == FD(F_EXT_TYPE))
			ext = f->v.u;
		/* signature_algorithms_cert's are not JA4's */
		if (f->def == FD(F_SIG) && ext != 13)
			continue;
		for (int k = 0; k < L_N; k++)
			if (f->def == FD(map[k]) && nv[k] < TLS_FP_MAX)
				v[k][nv[k]++] = (uint16_t)f->v.u;
		if (f->def == FD(F_ECPF) && nec < TLS_FP_MAX)
			ecpf[nec++] = (uint8_t)f->v.u;
		if (f->def == FD(F_EXT_TYPE) && f->v.u == 0)
			h.has_sni = true;
		if (f->def == FD(F_ALPN_STR) && !h.alpn0) {
			h.alpn0 = f->v.p;
			h.alpn0_len = f->vlen;
		}
	}
	h.ciphers = v[L_CS], h.nciphers = nv[L_CS];
	h.exts = v[L_EXT], h.nexts = nv[L_EXT];
	h.groups = v[L_GRP], h.ngroups = nv[L_GRP];
	h.sigalgs = v[L_SIG], h.nsig = nv[L_SIG];
	h.versions = v[L_SV], h.nversions = nv[L_SV];
	h.ec_formats = ecpf, h.nec = nec;
	char str[4096], md5[TLS_JA3_MD5_LEN];
	tls_ja3(&h, str, sizeof str, md5);
	add_text(p, server ? F_JA3S_FULL : F_JA3_FULL, at, str);
	add_text(p, server ? F_JA3S : F_JA3, at, md5);
	if (server)
		return;
	char ja4[TLS_JA4_LEN];
	tls_ja4(&h, ja4, str, sizeof str);
	add_text(p, F_JA4, at, ja4);
	add_text(p, F_JA4_R, at, str);
}

/* ---- --stats tls ---------------------------------------------------- */

typedef struct tls_session {
	uint64_t client_hellos, server_hellos, hrr, alerts;
	nametab versions, ciphers, snis, ja4s, alpns, failures;
} tls_session;

static void *tls_session_new(void)
{
	tls_session *s = calloc(1, sizeof *s);
	if (s && (!nt_init(&s->versions, 16) || !nt_init(&s->ciphers, 256) ||
		  !nt_init(&s->snis, 1024) || !nt_init(&s->ja4s, 1024) ||
		  !nt_init(&s->alpns, 64) || !nt_init(&s->failures, 64))) {
		nametab *t[] = {&s->versions, &s->ciphers, &s->snis,
				&s->ja4s, &s->alpns, &s->failures};
		for (size_t i = 0; i < TP_COUNT(t); i++)
			nt_free(t[i]);
		free(s);
		return NULL;
	}
	return s;
}

static void tls_session_free(void *st)
{
	tls_session *s = st;
	if (!s)
		return;
	nametab *t[] = {&s->versions, &s->ciphers, &s->snis,
			&s->ja4s, &s->alpns, &s->failures};
	for (size_t i = 0; i < TP_COUNT(t); i++)
		nt_free(t[i]);
	free(s);
}

static void count_str(nametab *t, const char *str)
{
	nt_count(t, (const uint8_t *)str, strlen(str));
}

static void count_field(nametab *t, const tp_field *f, const char *none)
{
	if (f)
		nt_count(t, f->v.p, f->vlen);
	else
		count_str(t, none);
}

/* The hello whose fields are the layer's from `from` on, counted. */
static void stats_hello(tp_pkt *p, unsigned from, bool server, bool hrr)
{
	tls_session *s = tp_app_session(p, &tp_diss_tls);
	if (!s)
		return;
	const tp_field *sni = NULL, *alpn = NULL, *ja4 = NULL;
	uint64_t cs = 0, ver = 0, sv = 0;
	bool have_cs = false;
	for (unsigned i = from; i < p->nfields; i++) {
		const tp_field *f = &p->fields[i];
		if (f->def == FD(F_SNI) && !sni)
			sni = f;
		else if (f->def == FD(F_ALPN_STR) && !alpn)
			alpn = f;
		else if (f->def == FD(F_JA4))
			ja4 = f;
		else if (f->def == FD(F_CIPHERSUITE) && server)
			cs = f->v.u, have_cs = true;
		else if (f->def == FD(F_HS_VERSION) && !ver)
			ver = f->v.u;
		else if (f->def == FD(F_SV) && server)
			sv = f->v.u;
	}
	if (!server) {
		s->client_hellos++;
		count_field(&s->snis, sni, "(no SNI)");
		count_field(&s->ja4s, ja4, "(none)");
		return;
	}
	if (hrr) {
		s->hrr++;
		return;
	}
	s->server_hellos++;
	const char *vn = tp_valstr_find(tls_versions, (uint32_t)(sv ? sv : ver));
	count_str(&s->versions, vn ? vn : "(unknown)");
	const char *cn = have_cs ? tp_valstr_find(tls_cipher_suites, (uint32_t)cs)
				 : NULL;
	count_str(&s->ciphers, cn ? cn : "(unknown)");
	/* TLS 1.3 sends its choice in EncryptedExtensions */
	count_field(&s->alpns, alpn,
		    sv == 0x0304 ? "(encrypted: TLS 1.3)" : "(none)");
}

static void stats_alert(tp_pkt *p, unsigned level, unsigned desc)
{
	tls_session *s = tp_app_session(p, &tp_diss_tls);
	if (!s)
		return;
	s->alerts++;
	const char *lv = tp_valstr_find(tls_alert_levels, level);
	const char *d = tp_valstr_find(tls_alert_descs, desc);
	char buf[96];
	snprintf(buf, sizeof buf, "%s: %s", lv ? lv : "?", d ? d : "?");
	count_str(&s->failures, buf);
}

static void tls_stats_print(void *st, FILE *fp)
{
	static const tls_session none;
	const tls_session *s = st ? st : &none;
	fprintf(fp, "================================================"
		    "================================\n");
	fprintf(fp, "TLS statistics\n");
	fprintf(fp, "ClientHellos: %llu   ServerHellos: %llu   "
		    "HelloRetryRequests: %llu   Alerts in the clear: %llu\n",
		(unsigned long long)s->client_hellos,
		(unsigned long long)s->server_hellos,
		(unsigned long long)s->hrr, (unsigned long long)s->alerts);
	if (st) {
		nt_print(&s->versions, "Negotiated versions", false, fp);
		nt_print(&s->ciphers, "Cipher suites chosen", false, fp);
		nt_print(&s->alpns, "ALPN chosen", false, fp);
		nt_print(&s->snis, "Server names asked (SNI)", false, fp);
		nt_print(&s->ja4s, "Client fingerprints (JA4)", false, fp);
		nt_print(&s->failures, "Alerts (level: description)", false, fp);
	}
	fprintf(fp, "================================================"
		    "================================\n");
}

/* The hello whose fields are the layer's from `from` on, to the
 * connection's summary. */
static void conn_hello(tp_pkt *p, tls_conn *conn, unsigned from, bool server,
		       bool hrr, uint16_t legacy)
{
	tls_hsum h = {.server = server, .hrr = hrr, .legacy = legacy};
	unsigned ext = 0; /* the extension whose fields these are */
	for (unsigned i = from; i < p->nfields; i++) {
		const tp_field *f = &p->fields[i];
		const tp_field_def *d = f->def;
		if (d == FD(F_EXT_TYPE)) {
			ext = (unsigned)f->v.u;
			if (ext == 41)
				h.psk = true;
		} else if (d == FD(F_EXT_LEN) && ext == 35 && f->v.u) {
			h.ticket = true;
		} else if (d == FD(F_SNI) && !h.sni) {
			h.sni = f->v.p, h.sni_len = f->vlen;
		} else if (d == FD(F_ALPN_STR) && h.nalpn < 8) {
			h.alpn[h.nalpn] = f->v.p;
			h.alpn_len[h.nalpn++] = f->vlen;
		} else if (d == FD(F_SV)) {
			if (server)
				h.sv_chosen = (uint16_t)f->v.u;
			else if (h.nversions < 8)
				h.versions[h.nversions++] = (uint16_t)f->v.u;
		} else if (d == FD(F_KS_GROUP) && h.nks < 8) {
			h.ks[h.nks++] = (uint16_t)f->v.u;
		} else if (d == FD(F_KS_SELECTED)) {
			h.ks_selected = (uint16_t)f->v.u;
		} else if (d == FD(F_CIPHERSUITE) && server) {
			h.cipher = (uint16_t)f->v.u, h.have_cipher = true;
		} else if (d == FD(F_SID)) {
			h.sid = f->v.p, h.sid_len = f->vlen;
		} else if (d == FD(server ? F_JA3S : F_JA3)) {
			h.ja3 = f->v.p, h.ja3_len = f->vlen;
		} else if (d == FD(F_JA4)) {
			h.ja4 = f->v.p, h.ja4_len = f->vlen;
		}
	}
	tls_conn_hello(conn, p, &h);
}

static void hello(hsctx *x, tp_cursor *c, bool server)
{
	tp_pkt *p = x->p;
	unsigned from = p->nfields;
	size_t at = c->off;
	tp_cursor lc = *c;
	uint16_t legacy = tp_be16(&lc); /* 0 when cut */
	tp_get_be16(p, c, FD(F_HS_VERSION));
	const uint8_t *r = tp_get_bytes(p, c, FD(F_RANDOM), 32);
	bool hrr = server && r && memcmp(r, hrr_random, 32) == 0;
	if (hrr)
		tp_add_uint(p, FD(F_HRR), c->off - 32, 32, 1);
	unsigned sl = tp_get_u8(p, c, FD(F_SID_LEN));
	if (sl)
		tp_get_bytes(p, c, FD(F_SID), sl);
	if (server) {
		tp_get_be16(p, c, FD(F_CIPHERSUITE));
		tp_get_u8(p, c, FD(F_COMP));
	} else {
		size_t cat = c->off;
		unsigned cl = tp_get_be16(p, c, FD(F_CS_LEN));
		if (tp_ok(c))
			tp_add_uint(p, FD(F_CIPHERSUITES), cat + 2,
				    cl < tp_avail(c) ? cl : tp_avail(c), 0);
		tp_push(p);
		u16_list(p, c, cl, F_CIPHERSUITE);
		tp_pop(p);
		unsigned ml = tp_get_u8(p, c, FD(F_COMP_LEN));
		for (unsigned i = 0; i < ml; i++)
			tp_get_u8(p, c, FD(F_COMP));
	}
	if (tp_ok(c))
		extensions(x, c, server, hrr);
	/* the fingerprints: not on the one-line text, not from a record
	 * that lost fields at its cap */
	if (!x->lean && !p->full && tp_ok(c)) {
		fingerprints(p, from, at, server, legacy);
		stats_hello(p, from, server, hrr);
		tls_conn *conn = conn_of(p, x->t);
		if (conn)
			conn_hello(p, conn, from, server, hrr, legacy);
	}
	if (server && x->t) {
		x->t->server = true;
		if (!x->t->version) /* no supported_versions: the hello's */
			chosen_version(x->t, legacy);
	}
}

/* Certificate (TLS 1.2 and below): each certificate's X.509 fields in
 * a subtree under it (x509.c; full runs only, lean ones never come),
 * and its summary to the connection's report (--tls). */
static void certificates(tp_pkt *p, tp_cursor *c, tls_conn *conn)
{
	size_t total = tp_get_be24(p, c, FD(F_CERTS_LEN)), used = 0;
	while (used + 3 <= total && tp_avail(c) >= 3) {
		unsigned n = tp_get_be24(p, c, FD(F_CERT_LEN));
		size_t at = c->off;
		const uint8_t *der = tp_get_bytes(p, c, FD(F_CERT), n);
		if (!der)
			break;
		/* (not for a run whose outputs show no certificate: --stats) */
		if (p->app_sess && !p->app_sess->cfg.certs && !conn) {
			used += 3 + n;
			continue;
		}
		tp_x509_brief b;
		tp_push(p);
		tp_x509_dissect(p, at, der, n, conn ? &b : NULL);
		tp_pop(p);
		if (conn) {
			tls_certsum k = {b.parsed, b.subject_cn, b.issuer_cn,
					 b.key_type, b.not_after, b.san_count,
					 b.key_bits, b.sha256};
			tls_conn_cert(conn, n, &k);
		}
		used += 3 + n;
	}
}

/* ---- the key exchange and the other messages after the hellos ------ */

enum kex {
	KEX_UNKNOWN, /* no ServerHello seen, or a suite without these */
	KEX_RSA,     /* RSA (export: the SKE's modulus); EPMS */
	KEX_DHE,     /* DHE_RSA, DHE_DSS: signed params; Yc */
	KEX_DH_ANON, /* unsigned params; Yc */
	KEX_DH,      /* DH_RSA, DH_DSS: no SKE; Yc */
	KEX_ECDHE,   /* ECDHE_*, ECDH_*: signed params; the client's point */
	KEX_ECDH_ANON,
	KEX_PSK,     /* hint; identity */
	KEX_RSA_PSK, /* hint; identity, EPMS */
};

static bool starts(const char *s, const char *with)
{
	return strncmp(s, with, strlen(with)) == 0;
}

/* The key exchange of a cipher suite, from its IANA name (Wireshark's
 * ssl_get_keyex_alg, for the kinds it dissects: DHE_PSK, ECDHE_PSK,
 * SRP, KRB5 and TLS 1.3's suites have none). */
static enum kex kex_of(uint16_t cs)
{
	const char *n = tp_valstr_find(tls_cipher_suites, cs);
	if (!n)
		return KEX_UNKNOWN;
	if (strstr(n, "_PSK"))
		return starts(n, "TLS_PSK_WITH_")	? KEX_PSK
		       : starts(n, "TLS_RSA_PSK_") ? KEX_RSA_PSK
						   : KEX_UNKNOWN;
	if (strstr(n, "_ECDH_anon_"))
		return KEX_ECDH_ANON;
	if (strstr(n, "_ECDHE_") || strstr(n, "_ECDH_"))
		return KEX_ECDHE;
	if (strstr(n, "_DH_anon_"))
		return KEX_DH_ANON;
	if (strstr(n, "_DHE_"))
		return KEX_DHE;
	if (strstr(n, "_DH_DSS_") || strstr(n, "_DH_RSA_"))
		return KEX_DH;
	if (starts(n, "TLS_RSA_") || starts(n, "SSL_RSA_"))
		return KEX_RSA;
	return KEX_UNKNOWN;
}

/* The connection's negotiated version (0 unknown) and key exchange. */
static uint16_t conn_version(const hsctx *x)
{
	return x->t ? x->t->version : 0;
}

static enum kex conn_kex(const hsctx *x)
{
	return x->t && x->t->has_cipher ? kex_of(x->t->cipher) : KEX_UNKNOWN;
}

/* A ServerHello's cipher suite (its bytes at c, read ahead): the
 * connection's, in both directions' states. */
static void note_cipher(tls_dir *t, tp_cursor c)
{
	tp_skip(&c, 2 + 32);
	tp_skip(&c, tp_u8(&c));
	uint16_t cs = tp_be16(&c);
	for (int k = 0; k < 2 && t && tp_ok(&c); k++, t = t->peer) {
		t->cipher = cs;
		t->has_cipher = true;
	}
}

/* digitally-signed (RFC 5246 4.7): the algorithm from TLS 1.2 on, then
 * the signature's length (field fl) and bytes (fb). */
static void signed_part(tp_pkt *p, tp_cursor *c, uint16_t version, int fl,
			int fb)
{
	if (version == 0x0303 || version == 0x0304)
		tp_get_be16(p, c, FD(F_SIG));
	vec(p, c, fl, 2, fb);
}

/* The bits of a DH prime p (n bytes at b, big-endian). */
static unsigned dh_bits(const uint8_t *b, size_t n)
{
	while (n && !*b)
		b++, n--;
	if (!n)
		return 0;
	unsigned bits = (unsigned)(n - 1) * 8;
	for (unsigned v = *b; v; v >>= 1)
		bits++;
	return bits;
}

/* ServerKeyExchange by the chosen suite's key exchange.  Without a
 * ServerHello seen tshark shows nothing; the curve of an ECDHE one is
 * still read when the message starts as one (named_curve).  The curve
 * or the DH group's bits go to --tls's summary. */
static void server_kex(hsctx *x, tp_cursor *c)
{
	tp_pkt *p = x->p;
	tls_conn *conn = x->t ? x->t->conn : NULL;
	uint16_t ver = conn_version(x);
	enum kex k = conn_kex(x);
	switch (k) {
	case KEX_ECDHE:
	case KEX_ECDH_ANON:
		if (tp_get_u8(p, c, FD(F_CURVE_TYPE)) != 3)
			return; /* explicit curves: not read (tshark's) */
		tls_conn_kx(conn, tp_get_be16(p, c, FD(F_SERVER_CURVE)), 0);
		vec(p, c, F_SPOINT_LEN, 1, F_SPOINT);
		if (k == KEX_ECDHE)
			signed_part(p, c, ver, F_SKE_SIG_LEN, F_SKE_SIG);
		return;
	case KEX_DHE:
	case KEX_DH_ANON: {
		tp_cursor pc = *c; /* p, read again for its bits */
		size_t pn = vec(p, c, F_P_LEN, 2, F_P);
		tp_skip(&pc, 2);
		const uint8_t *pb = tp_ok(c) ? tp_bytes(&pc, pn) : NULL;
		if (pb)
			tls_conn_kx(conn, 0, dh_bits(pb, pn));
		vec(p, c, F_G_LEN, 2, F_G);
		vec(p, c, F_YS_LEN, 2, F_YS);
		if (k == KEX_DHE)
			signed_part(p, c, ver, F_SKE_SIG_LEN, F_SKE_SIG);
		return;
	}
	case KEX_RSA:
		vec(p, c, F_MOD_LEN, 2, F_MOD);
		vec(p, c, F_EXP_LEN, 2, F_EXP);
		signed_part(p, c, ver, F_SKE_SIG_LEN, F_SKE_SIG);
		return;
	case KEX_PSK:
	case KEX_RSA_PSK: { /* a hint that fills the message, else none */
		tp_cursor h = *c;
		if (tp_be16(&h) + 2u == tp_reported(c))
			vec(p, c, F_HINT_LEN, 2, F_HINT);
		return;
	}
	case KEX_DH:
		return;
	case KEX_UNKNOWN:
		if (!(x->t && x->t->has_cipher) && tp_peek(c, 0) == 3) {
			tp_get_u8(p, c, FD(F_CURVE_TYPE));
			tls_conn_kx(conn, tp_get_be16(p, c, FD(F_SERVER_CURVE)),
				    0);
		}
		return;
	}
}

/* ClientKeyExchange by the chosen suite's key exchange (nothing when
 * it is not known, as tshark). */
static void client_kex(hsctx *x, tp_cursor *c)
{
	tp_pkt *p = x->p;
	switch (conn_kex(x)) {
	case KEX_DHE:
	case KEX_DH_ANON:
	case KEX_DH:
		vec(p, c, F_YC_LEN, 2, F_YC);
		return;
	case KEX_ECDHE:
	case KEX_ECDH_ANON:
		vec(p, c, F_CPOINT_LEN, 1, F_CPOINT);
		return;
	case KEX_RSA_PSK:
		vec(p, c, F_IDENT_LEN, 2, F_IDENT);
		vec(p, c, F_EPMS_LEN, 2, F_EPMS);
		return;
	case KEX_PSK:
		vec(p, c, F_IDENT_LEN, 2, F_IDENT);
		return;
	case KEX_RSA:
		if (conn_version(x) == 0x0300) /* SSL 3.0: no length */
			tp_get_bytes(p, c, FD(F_EPMS), tp_reported(c));
		else
			vec(p, c, F_EPMS_LEN, 2, F_EPMS);
		return;
	case KEX_UNKNOWN:
		return;
	}
}

/* CertificateRequest: TLS 1.2 and below (certificate types, TLS 1.2's
 * signature algorithms, the CAs' names); TLS 1.3's context (its
 * extensions, encrypted in practice, are not read). */
static void cert_request(hsctx *x, tp_cursor *c)
{
	tp_pkt *p = x->p;
	uint16_t ver = conn_version(x);
	if (ver == 0x0304) {
		vec(p, c, F_CR_CTX_LEN, 1, F_CR_CTX);
		return;
	}
	unsigned n = tp_get_u8(p, c, FD(F_CTYPES_COUNT));
	span(p, c, F_CTYPES, n);
	tp_push(p);
	for (unsigned i = 0; i < n && tp_ok(c); i++)
		tp_get_u8(p, c, FD(F_CTYPE));
	tp_pop(p);
	/* TLS 1.2's algorithms (a version not known: by the shape, a
	 * list whose length leaves room for the names' length) */
	tp_cursor h = *c;
	size_t sl = tp_be16(&h);
	if (ver == 0x0303 ||
	    (!ver && tp_ok(&h) && sl % 2 == 0 && sl + 4 <= tp_reported(c)))
		u16_list(p, c, tp_get_be16(p, c, FD(F_SIG_LEN)), F_SIG);
	dnames(p, c);
}

/* CertificateStatus (RFC 6066 8, RFC 6961): the OCSP responses'
 * lengths (their DER is not read). */
static void cert_status(tp_pkt *p, tp_cursor *c)
{
	unsigned type = tp_get_u8(p, c, FD(F_STATUS_TYPE));
	if (type == 1) {
		tp_skip(c, tp_get_be24(p, c, FD(F_OCSP_LEN)));
	} else if (type == 2) {
		tp_cursor l = tp_sub(c, tp_get_be24(p, c, FD(F_OCSP_LIST_LEN)));
		while (tp_avail(&l) && tp_skip(&l, tp_get_be24(p, &l,
							       FD(F_OCSP_LEN))))
			;
		if (l.status != TP_OK)
			tp_fail(c, l.status);
	}
}

/* The message types after the hellos (message()'s full switch). */
static void other_message(hsctx *x, unsigned type, tp_cursor *m)
{
	tp_pkt *p = x->p;
	switch (type) {
	case 12:
		server_kex(x, m);
		break;
	case 16:
		client_kex(x, m);
		break;
	case 13:
		cert_request(x, m);
		break;
	case 15: /* CertificateVerify */
		signed_part(p, m, conn_version(x), F_CV_SIG_LEN, F_CV_SIG);
		break;
	case 22:
		cert_status(p, m);
		break;
	case 20: /* Finished, when in the clear (SSL 3.0's two hashes not) */
		if (conn_version(x) != 0x0300)
			span(p, m, F_VERIFY, tp_reported(m));
		break;
	case 24: /* KeyUpdate */
		tp_get_u8(p, m, FD(F_KEY_UPDATE));
		break;
	default:
		return;
	}
	/* a vector longer than its message (tshark's
	 * tls.malformed.vector_length) */
	if (m->status == TP_MALFORMED)
		tp_add_event(p, &events[E_VECTOR], m->off);
}

/* One whole handshake message (type, length, body) at c. */
/* A lean run's hello: only what the line reads (the SNI) and what the
 * connection's state needs (a ServerHello's chosen version, an HRR),
 * read through the cursor with no other field: the one-line text of a
 * TLS connection costs a handful of reads, not a hundred fields. */
static void lean_hello(hsctx *x, tp_cursor *c, bool server)
{
	tp_pkt *p = x->p;
	tp_skip(c, 2);
	const uint8_t *r = tp_bytes(c, 32);
	bool hrr = server && r && memcmp(r, hrr_random, 32) == 0;
	if (hrr)
		tp_add_uint(p, FD(F_HRR), c->off - 32, 32, 1);
	tp_skip(c, tp_u8(c)); /* session id */
	if (server)
		tp_skip(c, 3);
	else {
		tp_skip(c, tp_be16(c));
		tp_skip(c, tp_u8(c));
	}
	/* (a skip past the message stops the cursor where it was, its
	 * status no longer OK: nothing more is read) */
	if (!tp_ok(c) || tp_avail(c) < 2)
		goto done;
	tp_skip(c, 2);
	while (tp_ok(c) && tp_avail(c) >= 4) {
		unsigned type = tp_be16(c), n = tp_be16(c);
		if (tp_avail(c) < n)
			break;
		tp_cursor e = *c; /* the extension's bytes */
		e.cap_end = e.rep_end = c->off + n;
		if (!server && type == 0 && n >= 5) {
			tp_skip(&e, 2); /* the list's length */
			unsigned kind = tp_u8(&e), sl = tp_be16(&e);
			size_t sat = e.off;
			const uint8_t *sb = kind == 0 ? tp_bytes(&e, sl) : NULL;
			if (sb)
				tp_add_bytes(p, FD(F_SNI), sat, sl, sb, sl);
		}
		if (server && type == 43 && n == 2 && x->t)
			chosen_version(x->t, tp_be16(&e));
		tp_skip(c, n);
	}
done:
	if (server && x->t)
		x->t->server = true;
}

static void message(hsctx *x, tp_cursor *c)
{
	tp_pkt *p = x->p;
	unsigned type = tp_get_u8(p, c, FD(F_HS_TYPE));
	uint32_t len = x->lean ? tp_be24(c) : tp_get_be24(p, c, FD(F_HS_LENGTH));
	if (!tp_ok(c))
		return;
	tp_cursor m = *c;
	size_t end = c->off + len;
	if (end < m.cap_end)
		m.cap_end = end;
	if (end < m.rep_end)
		m.rep_end = end;
	if (x->lean) { /* the line's: the message's name, a hello's SNI */
		if (type == 1 || type == 2)
			lean_hello(x, &m, type == 2);
		tp_skip(c, len);
		return;
	}
	switch (type) {
	case 1:
		hello(x, &m, false);
		break;
	case 2:
		if (x->t)
			note_cipher(x->t, m);
		hello(x, &m, true);
		break;
	case 11:
		if (!(x->t && x->t->tls13))
			certificates(p, &m, x->t ? x->t->conn : NULL);
		break;
	case 4: /* NewSessionTicket (TLS 1.2) */
		tp_get_be32(p, &m, FD(F_TICKET_LIFETIME));
		tp_get_be16(p, &m, FD(F_TICKET_LEN));
		break;
	default:
		other_message(x, type, &m);
		break;
	}
	if (x->t)
		tls_conn_msg(x->t->conn, type);
	tp_skip(c, len);
}

/* The message gathered over records is whole: dissected from its own
 * data source, the buffer given back when it was a big one. */
static void gathered(hsctx *x)
{
	tp_pkt *p = x->p;
	tls_dir *t = x->t;
	int src = tp_src_copy(p, "Reassembled TLS Handshake", TP_SRC_DERIVED,
			      t->hs, t->hs_len);
	size_t sn = 0;
	const uint8_t *sb = src >= 0 ? tp_src_bytes(p, (unsigned)src, &sn)
				     : NULL;
	t->hs_want = t->hs_len = 0;
	if (sb) {
		uint8_t was = p->src_cur;
		p->src_cur = (uint8_t)src;
		tp_meta_sync(p);
		tp_cursor m = tp_cursor_make(sb, sn, sn);
		message(x, &m);
		p->src_cur = was;
		tp_meta_sync(p);
	}
	if (t->hs_cap > 16384)
		hs_release(t);
}

/* A handshake record's payload b (its cursor c): whole messages in
 * place, one that goes on past the record gathered in the state. */
static void handshake(tp_pkt *p, tls_dir *t, tp_cursor *c)
{
	hsctx x = {p, t, p->lean && !tp_report_wanted(p->app_sess, "tls")};
	if (t && (t->hs_want || t->hs_skip)) { /* a message in progress */
		size_t n = tp_avail(c), off0 = c->off;
		const uint8_t *b = tp_bytes(c, n);
		if (!b)
			return;
		size_t k;
		if (t->hs_skip) {
			k = n < t->hs_skip_left ? n : (size_t)t->hs_skip_left;
			t->hs_skip_left -= k;
			t->hs_skip = t->hs_skip_left > 0;
		} else {
			k = t->hs_want - t->hs_len < n ? t->hs_want - t->hs_len
							 : n;
			memcpy(t->hs + t->hs_len, b, k);
			t->hs_len += k;
			if (t->hs_len == t->hs_want)
				gathered(&x);
		}
		if (n > k) { /* messages after it in this record */
			tp_cursor r = *c;
			r.off = off0 + k;
			handshake(p, t, &r);
		}
		return;
	}
	while (tp_avail(c) >= 4) {
		tp_cursor hc = *c; /* the message's header, read ahead */
		unsigned htype = tp_u8(&hc);
		size_t need = 4 + (size_t)tp_be24(&hc);
		if (need <= tp_avail(c) || !t) {
			message(&x, c);
			if (!t && !tp_ok(c))
				return;
			continue;
		}
		/* it goes on in the next records */
		size_t n = tp_avail(c);
		if (x.lean && need > 4) { /* the line wants its name only */
			tp_add_uint(p, FD(F_HS_TYPE), c->off, 1, htype);
			t->hs_skip = true;
			t->hs_skip_left = need - n;
			tp_skip(c, n);
			return;
		}
		if (need > TLS_HS_MAX) {
			tp_add_event(p, &events[E_HS_LONG], c->off);
			tp_get_u8(p, c, FD(F_HS_TYPE));
			tp_get_be24(p, c, FD(F_HS_LENGTH));
			t->hs_skip = true;
			t->hs_skip_left = need - n;
			tp_skip(c, tp_avail(c));
			return;
		}
		if (t->hs_cap < need) {
			/* charged to the reassembly memory cap */
			if (!t->s)
				t->s = p->app_sess;
			size_t more = need - t->hs_cap;
			if (t->s && !tp_reasm_mem_take(&t->s->mem, more)) {
				tp_add_event(p, &events[E_HS_LONG], c->off);
				t->hs_skip = true;
				t->hs_skip_left = need - n;
				tp_skip(c, n);
				return;
			}
			uint8_t *nb = realloc(t->hs, need);
			if (!nb) {
				if (t->s)
					tp_reasm_mem_give(&t->s->mem, more);
				return;
			}
			t->hs = nb;
			t->hs_cap = need;
		}
		tp_add_uint(p, FD(F_HS_TYPE), c->off, 1, htype);
		const uint8_t *h = tp_bytes(c, n);
		if (h)
			memcpy(t->hs, h, n);
		t->hs_len = h ? n : 0;
		t->hs_want = h ? need : 0;
		return;
	}
	if (tp_avail(c)) /* a message header cut by the record: stateless */
		tp_skip(c, tp_avail(c));
}

/* ---- dissect ---------------------------------------------------------- */

static tp_next tls_dissect(tp_pkt *p, tp_cursor *c)
{
	tls_dir *t = tp_app_state(p);
	size_t at = c->off;
	if (t && t->junk) {
		size_t n = tp_avail(c);
		tp_get_bytes(p, c, FD(F_EXT_DATA), n);
		return TP_STOP;
	}
	if (t && t->cont) { /* an encrypted record ends: its header (from
			    * the frame that began it) and its last bytes */
		const uint8_t *h = t->lhdr;
		tp_add_uint(p, FD(F_RECORD), at, 0, 0);
		tp_push(p);
		tp_add_uint(p, FD(h[0] == 23 && t->tls13 ? F_OPAQUE : F_CT), at,
			    0, h[0]);
		tp_add_uint(p, FD(F_RVERSION), at, 0, (unsigned)h[1] << 8 | h[2]);
		tp_add_uint(p, FD(F_RLENGTH), at, 0, (unsigned)h[3] << 8 | h[4]);
		if (t->version && !p->lean)
			tp_add_uint(p, FD(F_SESSION_VER), at, 0, t->version);
		tp_get_bytes(p, c, FD(F_CONT), tp_avail(c));
		tp_pop(p);
		tls_conn_record(t->conn, p, p->app_dir, h[0],
				(unsigned)h[3] << 8 | h[4], true);
		return TP_STOP;
	}
	if ((t && t->sslv2) || (!t && sslv2_hello(c->base + c->off, tp_avail(c)))) {
		unsigned len = tp_be16(c) & 0x7fff;
		if (!tp_ok(c))
			return TP_STOP;
		tp_add_uint(p, FD(F_RLENGTH), at, 2, len);
		/* tshark's record version for SSLv2 */
		tp_add_uint(p, FD(F_RVERSION), at, 0, 0x0002);
		tp_get_u8(p, c, FD(F_HS_TYPE));
		unsigned hv = tp_get_be16(p, c, FD(F_HS_VERSION));
		if (tp_ok(c)) { /* --tls: a ClientHello with no extensions */
			tls_hsum h = {.legacy = (uint16_t)hv};
			tls_conn_hello(conn_of(p, t), p, &h);
		}
		unsigned csl = tp_get_be16(p, c, FD(F_CS_LEN));
		unsigned sl = tp_be16(c), chl = tp_be16(c);
		for (unsigned i = 0; i + 3 <= csl; i += 3)
			tp_get_be24(p, c, FD(F_CIPHERSPEC));
		if (sl)
			tp_get_bytes(p, c, FD(F_SID), sl);
		tp_skip(c, chl);
		return TP_STOP;
	}
	unsigned ct = tp_u8(c), ver = tp_be16(c), len = tp_be16(c);
	if (!tp_ok(c)) {
		return TP_STOP;
	}
	tp_add_uint(p, FD(F_RECORD), at,
		    5 + (len < tp_avail(c) ? len : tp_avail(c)), 0);
	tp_push(p);
	/* TLS 1.3's encrypted records: their type is only the outer,
	 * opaque one (tshark's tls.record.opaque_type) */
	tp_add_uint(p, FD(ct == 23 && t && t->tls13 ? F_OPAQUE : F_CT), at, 1,
		    ct);
	tp_add_uint(p, FD(F_RVERSION), at + 1, 2, ver);
	tp_add_uint(p, FD(F_RLENGTH), at + 3, 2, len);
	if (t && t->version && !p->lean)
		tp_add_uint(p, FD(F_SESSION_VER), at + 1, 0, t->version);
	if (len > TLS_REC_MAX)
		tp_add_event(p, &events[E_RECORD_LONG], at + 3);
	if (ct < 20 || ct > 25 || (ver >> 8) != 3)
		tp_add_event(p, &events[E_BAD_VERSION], at);
	tp_cursor r = *c;
	size_t end = c->off + len;
	if (end < r.cap_end)
		r.cap_end = end;
	if (end < r.rep_end)
		r.rep_end = end;
	bool enc = t && t->ccs;
	switch (ct) {
	case 22:
		if (enc) {
			tp_get_bytes(p, &r, FD(F_ENC_HS), tp_avail(&r));
			break;
		}
		handshake(p, t, &r);
		break;
	case 21:
		if (enc || len != 2) {
			tp_get_bytes(p, &r, FD(F_APP_DATA), tp_avail(&r));
			if (t)
				tls_conn_alert(t->conn, p, p->app_dir, 0, 0, true);
			break;
		}
		if (tp_avail(&r) >= 2) {
			tp_add_uint(p, FD(F_ALERT), r.off, 2, 0);
			tp_cursor ac = r;
			unsigned lv = tp_u8(&ac), ds = tp_u8(&ac);
			if (!p->lean)
				stats_alert(p, lv, ds);
			if (t)
				tls_conn_alert(t->conn, p, p->app_dir, lv, ds,
					       false);
		}
		tp_push(p);
		tp_get_u8(p, &r, FD(F_ALERT_LEVEL));
		tp_get_u8(p, &r, FD(F_ALERT_DESC));
		tp_pop(p);
		break;
	case 20:
		tp_add_uint(p, FD(F_CCS), r.off, tp_avail(&r), 0);
		if (t && !t->tls13)
			t->ccs = true;
		break;
	case 23:
		if (tp_avail(&r))
			tp_get_bytes(p, &r, FD(F_APP_DATA), tp_avail(&r));
		break;
	default:
		break;
	}
	tp_pop(p);
	if (t && !t->head)
		tls_conn_record(t->conn, p, p->app_dir, ct, len, enc || ct == 23);
	if (len > tp_avail(c)) {
		tp_skip(c, tp_avail(c));
		if (!(t && t->head)) /* a head's payload goes on: no cut */
			tp_fail(c, TP_TRUNCATED);
		return TP_STOP;
	}
	tp_skip(c, len);
	/* without state: more records in these bytes */
	if (!t && tp_avail(c) >= 5)
		return tp_next_key(TP_TAB_NAME, tp_registry_index(&tp_diss_tls));
	return TP_STOP;
}

/* ---- Info and the line -------------------------------------------------- */

/* tshark's text for the record of layer k. */
static void record_info(const tp_pkt *p, unsigned k, tp_sbuf *s, bool *any)
{
	const tp_layer *l = &p->layers[k];
	bool alert = false;
	uint64_t lvl = 0;
	for (uint32_t i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		const char *txt = NULL;
		if (f->def == FD(F_HS_TYPE)) {
			txt = f->v.u == 2 && tp_layer_find(p, k, FD(F_HRR))
				      ? "Hello Retry Request"
				      : tp_valstr_find(tls_handshake_types,
						       (uint32_t)f->v.u);
		} else if (f->def == FD(F_ENC_HS)) {
			txt = "Encrypted Handshake Message";
		} else if (f->def == FD(F_CCS)) {
			txt = "Change Cipher Spec";
		} else if (f->def == FD(F_APP_DATA) || f->def == FD(F_CONT)) {
			uint64_t ct = 0;
			if (!tp_layer_u64(p, k, FD(F_CT), &ct))
				tp_layer_u64(p, k, FD(F_OPAQUE), &ct);
			txt = ct == 21   ? "Encrypted Alert"
			      : ct == 22 ? "Encrypted Handshake Message"
					 : "Application Data";
		} else if (f->def == FD(F_ALERT_LEVEL)) {
			alert = true;
			lvl = f->v.u;
			continue;
		} else if (f->def == FD(F_ALERT_DESC) && alert) {
			if (*any)
				tp_sb_puts(s, ", ");
			*any = true;
			const char *lv = tp_valstr_find(tls_alert_levels, (uint32_t)lvl);
			const char *d = tp_valstr_find(tls_alert_descs, (uint32_t)f->v.u);
			tp_sb_puts(s, "Alert (Level: ");
			tp_sb_puts(s, lv ? lv : "Unknown");
			tp_sb_puts(s, ", Description: ");
			tp_sb_puts(s, d ? d : "Unknown");
			tp_sb_putc(s, ')');
			continue;
		}
		if (!txt)
			continue;
		if (*any)
			tp_sb_puts(s, ", ");
		*any = true;
		tp_sb_puts(s, txt);
	}
}

static void tls_info(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	bool any = false;
	for (unsigned k = 0; k <= li && k < p->nlayers; k++)
		if (p->layers[k].d == &tp_diss_tls)
			record_info(p, k, s, &any);
	if (!any)
		tp_sb_puts(s, "Continuation Data");
}

static tp_sum tls_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	(void)o;
	size_t mark = s->len;
	tp_sb_puts(s, " | TLS ");
	size_t head = s->len;
	bool any = false;
	for (unsigned k = li; k < p->nlayers; k++) {
		if (p->layers[k].d != &tp_diss_tls)
			continue;
		record_info(p, k, s, &any);
		const tp_field *sni = tp_layer_find(p, k, FD(F_SNI));
		if (sni) {
			tp_sb_puts(s, " (SNI=");
			tp_sb_escaped(s, sni->v.p, sni->vlen);
			tp_sb_putc(s, ')');
		}
	}
	if (s->len == head)
		s->len = mark; /* nothing to say */
	return TP_SUM_STOP;
}

/* tshark's Protocol column: the connection's version once a
 * ServerHello chose it, else the record's. */
static const char *tls_colname(const tp_pkt *p, unsigned li)
{
	uint64_t v = 0;
	if (!tp_layer_u64(p, li, FD(F_SESSION_VER), &v) &&
	    !tp_layer_u64(p, li, FD(F_RVERSION), &v))
		return NULL;
	switch (v) {
	case 0x0002: return "SSLv2";
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1";
	case 0x0302: return "TLSv1.1";
	case 0x0303: return "TLSv1.2";
	case 0x0304: return "TLSv1.3";
	default: return NULL;
	}
}

static const tp_key tls_keys[] = {
	{TP_TAB_TCP_PORT, 443},	 {TP_TAB_TCP_PORT, 465}, {TP_TAB_TCP_PORT, 636},
	{TP_TAB_TCP_PORT, 853},	 {TP_TAB_TCP_PORT, 989}, {TP_TAB_TCP_PORT, 990},
	{TP_TAB_TCP_PORT, 992},	 {TP_TAB_TCP_PORT, 993}, {TP_TAB_TCP_PORT, 994},
	{TP_TAB_TCP_PORT, 995},	 {TP_TAB_TCP_PORT, 5061},
	{TP_TAB_TCP_PORT, 8443}, {0, 0}};

const tp_dissector tp_diss_tls = {
	.name = "tls",
	.longname = "Transport Layer Security",
	.fields = fields,
	.nfields = F_COUNT_,
	.events = events,
	.nevents = E_COUNT_,
	.keys = tls_keys,
	.dissect = tls_dissect,
	.summarize = tls_summarize,
	.probe = tls_probe,
	.state_new = tls_state_new,
	.state_free = tls_state_free,
	/* a message gathered over records is charged as it grows */
	.state_size = sizeof(tls_dir),
	.state_pair = tls_state_pair,
	.pdu_len = tls_pdu_len,
	.gap = tls_gap,
	.pdu_shown = tls_pdu_shown,
	.pdu_hidden = tls_pdu_hidden,
	.pdu_max = 5 + 65535,
	.colname = "TLS",
	.colname_of = tls_colname,
	.info = tls_info,
	.session_new = tls_session_new,
	.session_free = tls_session_free,
	.stats_print = tls_stats_print,
};
