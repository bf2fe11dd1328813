/* test_tls_fp.c - JA3, JA3S and JA4 (dissectors/tls_fp.c) held to values
 * computed elsewhere, never by this code:
 *  - the salesforce/ja3 README's example (string and MD5 ada70206...);
 *  - a Chrome ClientHello as published by tls.browserleaks.com (JA3 text
 *    and MD5 98487aa1..., ja4 t13d1516h2_8daaf6152771_d8a2da3f94cd, ja4_r,
 *    ja4_o, ja4_ro), its MD5 rechecked with Python's hashlib, GREASE
 *    values put back in every list the way Chrome sends them;
 *  - FoxIO's technical_details/JA4.md example (ja4 ..._e5627efa2ab1, ja4_r,
 *    ja4_o ..._18f69afefd3d, ja4_ro, ..._6d807ffa2a79 without signature
 *    algorithms, the ALPN examples), and Chrome 120's widely published
 *    t13d1516h2_8daaf6152771_02713d6af862 (ALPS 0x4469 where later
 *    Chrome sends 0x44cd; the raw form is the one that hashes to it);
 *  - tshark 4.0's tls.handshake.ja3_full/ja3 and ja3s_full/ja3s on eight
 *    hellos of ../shared/corpus (fq/tls_ciphers_*, retina/tls_ciphers.pcap,
 *    fq/tls_testtls.com..., fq/inet_tls12..., tcpdump/quic_handshake.pcap
 *    with GREASE in four lists) and on a TLS 1.3 OpenSSL 3.0.19 handshake
 *    captured on loopback: the lists below are tshark's decoded
 *    fields (tshark -T fields -e tls.handshake.ciphersuite -e
 *    tls.handshake.extension.type -e ..._supported_group -e
 *    ..._ec_point_format -e tls.handshake.sig_hash_alg -e
 *    tls.handshake.extensions.supported_version ...), turned into C by a
 *    throwaway Python script.  tshark 4.0 has no JA4: their ja4/ja4_r are
 *    from an independent Python implementation written from JA4.md,
 *    itself checked against FoxIO's example above.
 * Hostile inputs: lists past TLS_FP_MAX read from buffers that end before
 * an unmapped page, NULL lists with counts, every output capacity from 0
 * up (the MD5 stays the whole string's), counts past 99.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "../../dissectors/tls_fp.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A list field and its count: L(ciphers, nciphers, a). */
#define L(f, nf, a) .f = (a), .nf = ARRAY_LEN(a)
/* A TLS 1.2 ServerHello. */
#define SH12(c, e)                                                   \
	{.server = true, .legacy_version = 0x0303, L(ciphers, nciphers, c), \
	 L(exts, nexts, e)}

typedef struct vec {
	tls_hello h;
	const char *ja3, *ja3_md5; /* JA3 or JA3S */
	const char *ja4, *ja4_r;   /* NULL for a ServerHello */
	const char *ja4_o, *ja4_ro; /* NULL when not published */
} vec;

/* RSA_WITH_AES_128_GCM_SHA256.pcap #4: tshark ja3_full/ja3 */
static const uint16_t gcm_c_ciphers[] = {
	0x009c, 0x00ff};
static const uint16_t gcm_c_exts[] = {
	0x0023, 0x000d, 0x000f};
static const uint16_t gcm_c_sig[] = {
	0x0601, 0x0602, 0x0603, 0x0501, 0x0502, 0x0503, 0x0401, 0x0402,
	0x0403, 0x0301, 0x0302, 0x0303, 0x0201, 0x0202, 0x0203, 0x0101};
static const vec gcm_c = {
	.h = {.legacy_version = 0x0303,
	      L(ciphers, nciphers, gcm_c_ciphers),
	      L(exts, nexts, gcm_c_exts),
	      L(sigalgs, nsig, gcm_c_sig),
	      .has_sni = false},
	.ja3 = "771,156-255,35-13-15,,",
	.ja3_md5 = "05b0b229680da642ba9cd0c3efb3abeb",
	.ja4 = "t12i020300_798dd72d0aaa_f2e2d55eb938",
	.ja4_r = "t12i020300_009c,00ff_000d,000f,0023_0601,0602,0603,0501,0502"
		",0503,0401,0402,0403,0301,0302,0303,0201,0202,0203,0101",
};
/* RSA_WITH_AES_128_GCM_SHA256.pcap #6: tshark ja3s_full/ja3s */
static const uint16_t gcm_s_ciphers[] = {
	0x009c};
static const uint16_t gcm_s_exts[] = {
	0xff01, 0x0023, 0x000f};
static const vec gcm_s = {
	.h = SH12(gcm_s_ciphers, gcm_s_exts),
	.ja3 = "771,156,65281-35-15",
	.ja3_md5 = "20e0bd1c4d36e08a1f31656fb48b99a0",
};
/* tls_testtls.com.http1.1-tls1.2.pcap #6: tshark ja3_full/ja3 */
static const uint16_t ttl_c_ciphers[] = {
	0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f,
	0x009e, 0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a,
	0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d,
	0x003c, 0x0035, 0x002f, 0x00ff};
static const uint16_t ttl_c_exts[] = {
	0x0000, 0x000b, 0x000a, 0x0010, 0x0016, 0x0017, 0x000d};
static const uint16_t ttl_c_groups[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018};
static const uint8_t ttl_c_ec[] = {
	0, 1, 2};
static const uint16_t ttl_c_sig[] = {
	0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b,
	0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203,
	0x0301, 0x0201, 0x0302, 0x0202, 0x0402, 0x0502, 0x0602};
/* The lists this OpenSSL client also sent in inet_tls12 below. */
#define OSSL_CLIENT                                                    \
	.legacy_version = 0x0303, L(ciphers, nciphers, ttl_c_ciphers), \
	L(groups, ngroups, ttl_c_groups), L(ec_formats, nec, ttl_c_ec), \
	L(sigalgs, nsig, ttl_c_sig), .has_sni = true,                  \
	.alpn0 = (const uint8_t *)"http/1.1", .alpn0_len = 8
static const vec ttl_c = {
	.h = {OSSL_CLIENT, L(exts, nexts, ttl_c_exts)},
	.ja3 = "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-"
		"49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-"
		"156-61-60-53-47-255,0-11-10-16-22-23-13,29-23-30-25-24,0-1-2",
	.ja3_md5 = "87b9bfc7da97115ed2276737b09f8d74",
	.ja4 = "t12d2807h1_d943125447b4_ed727256b201",
	.ja4_r = "t12d2807h1_002f,0033,0035,0039,003c,003d,0067,006b,009c,009d"
		",009e,009f,00ff,c009,c00a,c013,c014,c023,c024,c027,c028,c02b"
		",c02c,c02f,c030,cca8,cca9,ccaa_000a,000b,000d,0016,0017_0403"
		",0503,0603,0807,0808,0809,080a,080b,0804,0805,0806,0401,0501"
		",0601,0303,0203,0301,0201,0302,0202,0402,0502,0602",
};
/* tls_testtls.com.http1.1-tls1.2.pcap #8: tshark ja3s_full/ja3s */
static const uint16_t ttl_s_ciphers[] = {
	0xc02f};
static const uint16_t ttl_s_exts[] = {
	0xff01, 0x0000, 0x000b, 0x0010, 0x0017};
static const vec ttl_s = {
	.h = SH12(ttl_s_ciphers, ttl_s_exts),
	.ja3 = "771,49199,65281-0-11-16-23",
	.ja3_md5 = "5d79edf64e03689ff559a54e9d9487bc",
};
/* tls_ciphers.pcap #4: tshark ja3_full/ja3 (the signature algorithms
 * of RSA_WITH_AES_128_GCM_SHA256.pcap #4) */
static const uint16_t ret_c_ciphers[] = {
	0xc030, 0x00ff};
static const uint16_t ret_c_exts[] = {
	0x000b, 0x000a, 0x0023, 0x000d, 0x000f};
static const uint16_t ret_c_groups[] = {
	0x000e, 0x000d, 0x0019, 0x000b, 0x000c, 0x0018, 0x0009, 0x000a,
	0x0016, 0x0017, 0x0008, 0x0006, 0x0007, 0x0014, 0x0015, 0x0004,
	0x0005, 0x0012, 0x0013, 0x0001, 0x0002, 0x0003, 0x000f, 0x0010,
	0x0011};
static const vec ret_c = {
	.h = {.legacy_version = 0x0303,
	      L(ciphers, nciphers, ret_c_ciphers),
	      L(exts, nexts, ret_c_exts),
	      L(groups, ngroups, ret_c_groups),
	      L(ec_formats, nec, ttl_c_ec),
	      L(sigalgs, nsig, gcm_c_sig),
	      .has_sni = false},
	.ja3 = "771,49200-255,11-10-35-13-15,14-13-25-11-12-24-9-10-22-23-8-"
		"6-7-20-21-4-5-18-19-1-2-3-15-16-17,0-1-2",
	.ja3_md5 = "d092a941ea714ee8a125b386f788d07a",
	.ja4 = "t12i020500_f09d9ff7e6fc_3eafcbe19126",
	.ja4_r = "t12i020500_00ff,c030_000a,000b,000d,000f,0023_0601,0602,0603"
		",0501,0502,0503,0401,0402,0403,0301,0302,0303,0201,0202,0203"
		",0101",
};
/* tls_ciphers.pcap #6: tshark ja3s_full/ja3s */
static const uint16_t ret_s_ciphers[] = {
	0xc030};
static const uint16_t ret_s_exts[] = {
	0xff01, 0x000b, 0x0023, 0x000f};
static const vec ret_s = {
	.h = SH12(ret_s_ciphers, ret_s_exts),
	.ja3 = "771,49200,65281-11-35-15",
	.ja3_md5 = "f6e234011390444c303f74d09d87322d",
};
/* inet_tls12-ipv4-linkframe-keylog.pcapng #1: tshark ja3_full/ja3; the
 * same client as tls_testtls.com (its lists) but for extension 13172. */
static const uint16_t inet_c_exts[] = {
	0x0000, 0x000b, 0x000a, 0x3374, 0x0010, 0x0016, 0x0017, 0x000d};
static const vec inet_c = {
	.h = {OSSL_CLIENT, L(exts, nexts, inet_c_exts)},
	.ja3 = "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-"
		"49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-"
		"156-61-60-53-47-255,0-11-10-13172-16-22-23-13,29-23-30-25-24"
		",0-1-2",
	.ja3_md5 = "00bcd759cb8ad485fdbf1e7a0c5b94b4",
	.ja4 = "t12d2808h1_d943125447b4_9c532f40afb6",
	.ja4_r = "t12d2808h1_002f,0033,0035,0039,003c,003d,0067,006b,009c,009d"
		",009e,009f,00ff,c009,c00a,c013,c014,c023,c024,c027,c028,c02b"
		",c02c,c02f,c030,cca8,cca9,ccaa_000a,000b,000d,0016,0017,3374"
		"_0403,0503,0603,0807,0808,0809,080a,080b,0804,0805,0806,0401"
		",0501,0601,0303,0203,0301,0201,0302,0202,0402,0502,0602",
};
/* quic_handshake.pcap #1: tshark ja3_full/ja3 */
static const uint16_t quic_c_ciphers[] = {
	0x7a7a, 0x1301, 0x1302, 0x1303};
static const uint16_t quic_c_exts[] = {
	0x1a1a, 0x0000, 0x000a, 0x0010, 0x0005, 0x000d, 0x0012, 0x0033,
	0x002d, 0x002b, 0x0039, 0x001b, 0xcaca};
static const uint16_t quic_c_groups[] = {
	0x5a5a, 0x001d, 0x0017, 0x0018, 0x0019};
static const uint16_t quic_c_sig[] = {
	0x0403, 0x0804, 0x0401, 0x0503, 0x0203, 0x0805, 0x0805, 0x0501,
	0x0806, 0x0601, 0x0201};
static const uint16_t quic_c_vers[] = {
	0xdada, 0x0304};
static const vec quic_c = {
	.h = {.legacy_version = 0x0303,
	      L(ciphers, nciphers, quic_c_ciphers),
	      L(exts, nexts, quic_c_exts),
	      L(groups, ngroups, quic_c_groups),
	      L(sigalgs, nsig, quic_c_sig),
	      L(versions, nversions, quic_c_vers),
	      .has_sni = true,
	      .quic = true,
	      .alpn0 = (const uint8_t *)"h3", .alpn0_len = 2},
	.ja3 = "771,4865-4866-4867,0-10-16-5-13-18-51-45-43-57-27,29-23-24-2"
		"5,",
	.ja3_md5 = "9a78264e64e221797705e75a3c55df01",
	.ja4 = "q13d0311h3_55b375c5d22e_0e9637bee5d3",
	.ja4_r = "q13d0311h3_1301,1302,1303_0005,000a,000d,0012,001b,002b,002d"
		",0033,0039_0403,0804,0401,0503,0203,0805,0805,0501,0806,0601"
		",0201",
};
/* OpenSSL 3.0.19 s_client -alpn h2,http/1.1 to s_server, TLS 1.3, captured
 * on loopback: tshark ja3_full/ja3 */
static const uint16_t o13_c_ciphers[] = {
	0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8,
	0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b, 0xc023,
	0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
	0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff};
static const uint16_t o13_c_exts[] = {
	0x0000, 0x000b, 0x000a, 0x0023, 0x0010, 0x0016, 0x0017, 0x000d,
	0x002b, 0x002d, 0x0033};
static const uint16_t o13_c_groups[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102,
	0x0103, 0x0104};
static const uint16_t o13_c_sig[] = {
	0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b,
	0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
	0x0302, 0x0402, 0x0502, 0x0602};
static const uint16_t o13_c_vers[] = {
	0x0304, 0x0303, 0x0302, 0x0301};
static const vec o13_c = {
	.h = {.legacy_version = 0x0303,
	      L(ciphers, nciphers, o13_c_ciphers),
	      L(exts, nexts, o13_c_exts),
	      L(groups, ngroups, o13_c_groups),
	      L(ec_formats, nec, ttl_c_ec),
	      L(sigalgs, nsig, o13_c_sig),
	      L(versions, nversions, o13_c_vers),
	      .has_sni = true,
	      .alpn0 = (const uint8_t *)"h2", .alpn0_len = 2},
	.ja3 = "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-4"
		"9199-158-49188-49192-107-49187-49191-103-49162-49172-57-4916"
		"1-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13-43"
		"-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2",
	.ja3_md5 = "5a1edc7f170af1014fc65c994878e63c",
	.ja4 = "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4",
	.ja4_r = "t13d3111h2_002f,0033,0035,0039,003c,003d,0067,006b,009c,009d"
		",009e,009f,00ff,1301,1302,1303,c009,c00a,c013,c014,c023,c024"
		",c027,c028,c02b,c02c,c02f,c030,cca8,cca9,ccaa_000a,000b,000d"
		",0016,0017,0023,002b,002d,0033_0403,0503,0603,0807,0808,0809"
		",080a,080b,0804,0805,0806,0401,0501,0601,0303,0301,0302,0402"
		",0502,0602",
};
/* Its ServerHello (TLS 1.3: JA3S takes legacy_version): tshark ja3s */
static const uint16_t o13_s_ciphers[] = {
	0x1302};
static const uint16_t o13_s_exts[] = {
	0x002b, 0x0033};
static const vec o13_s = {
	.h = SH12(o13_s_ciphers, o13_s_exts),
	.ja3 = "771,4866,43-51",
	.ja3_md5 = "15af977ce25de452b96affa2addb1036",
};

/* Chrome (tls.browserleaks.com's published record), GREASE put back;
 * its cipher suites, signature algorithms and versions are also those
 * of FoxIO's example and of Chrome 120 below (CHROME). */
static const uint16_t chr_ciphers[] = {
	0x3a3a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
	0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t chr_exts[] = {
	0x8a8a, 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000,
	0x000b, 0x000a, 0x002b, 0xff01, 0x0023, 0x0012, 0x0005, 0x000d,
	0x001b, 0x1a1a};
static const uint16_t chr_groups[] = {0xdada, 0x11ec, 0x001d, 0x0017,
				      0x0018};
static const uint8_t chr_ec[] = {0};
static const uint16_t chr_sig[] = {0x0403, 0x0804, 0x0401, 0x0503,
				   0x0805, 0x0501, 0x0806, 0x0601};
static const uint16_t chr_vers[] = {0x4a4a, 0x0304, 0x0303};
/* Their raw forms' common parts: section a and the sorted ciphers, the
 * same in wire order, and the signature algorithms. */
#define CHR_R                                                              \
	"t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c," \
	"c02f,c030,cca8,cca9_"
#define CHR_RO                                                             \
	"t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014," \
	"009c,009d,002f,0035_"
#define CHR_SIGS "0403,0804,0401,0503,0805,0501,0806,0601"
#define CHROME                                                        \
	.legacy_version = 0x0303, L(ciphers, nciphers, chr_ciphers),  \
	L(sigalgs, nsig, chr_sig), L(versions, nversions, chr_vers),  \
	.has_sni = true, .alpn0 = (const uint8_t *)"h2", .alpn0_len = 2
static const vec chr_c = {
	.h = {CHROME, L(exts, nexts, chr_exts),
	      L(groups, ngroups, chr_groups), L(ec_formats, nec, chr_ec)},
	.ja3 = "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-"
	       "49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-"
	       "35-18-5-13-27,4588-29-23-24,0",
	.ja3_md5 = "98487aa16281980e7d1120d399efb6a4",
	.ja4 = "t13d1516h2_8daaf6152771_d8a2da3f94cd",
	.ja4_r = CHR_R "0005,000a,000b,000d,0012,0017,001b,0023,002b,"
		 "002d,0033,44cd,fe0d,ff01_" CHR_SIGS,
	.ja4_o = "t13d1516h2_acb858a92679_f96a17c57971",
	.ja4_ro = CHR_RO "002d,0033,0010,fe0d,0017,44cd,0000,000b,000a,"
		  "002b,ff01,0023,0012,0005,000d,001b_" CHR_SIGS,
};

/* FoxIO's JA4.md example (with GREASE: it must change nothing). */
static const uint16_t fox_exts[] = {
	0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
	0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a,
	0x0015, 0x3a3a};
#define FOX_HELLO CHROME, L(exts, nexts, fox_exts)
static const vec fox_c = {
	.h = {FOX_HELLO},
	.ja4 = "t13d1516h2_8daaf6152771_e5627efa2ab1",
	.ja4_r = CHR_R "0005,000a,000b,000d,0012,0015,0017,001b,0023,"
		 "002b,002d,0033,4469,ff01_" CHR_SIGS,
	.ja4_o = "t13d1516h2_acb858a92679_18f69afefd3d",
	.ja4_ro = CHR_RO "001b,0000,0033,0010,4469,0017,002d,000d,0005,"
		  "0023,0012,002b,ff01,000b,000a,0015_" CHR_SIGS,
};

/* Chrome 120: FoxIO's extensions with ECH (0xfe0d) for padding (0x0015),
 * shuffled as Chrome does (JA4 sorts them). */
static const uint16_t c120_exts[] = {
	0x0a0a, 0x0012, 0x4469, 0x0033, 0x002b, 0x000a, 0xfe0d, 0x0023,
	0x000d, 0x0017, 0x0010, 0x0005, 0x000b, 0x0000, 0x002d, 0xff01,
	0x001b, 0x9a9a};
static const vec c120_c = {
	.h = {CHROME, L(exts, nexts, c120_exts)},
	.ja4 = "t13d1516h2_8daaf6152771_02713d6af862",
	.ja4_r = CHR_R "0005,000a,000b,000d,0012,0017,001b,0023,002b,"
		 "002d,0033,4469,fe0d,ff01_" CHR_SIGS,
};

static const vec *const tshark_vecs[] = {
	&gcm_c, &gcm_s, &ttl_c, &ttl_s, &ret_c, &ret_s, &inet_c, &quic_c,
	&o13_c, &o13_s,
};

/* One vector: JA3/JA3S string and MD5, JA4 and its raw form, and the
 * original-order pair when known; every output from a guarded buffer
 * exactly its size, so a byte written too far faults. */
static void check_vec(const vec *v)
{
	char md5[33];
	if (v->ja3) {
		size_t n = strlen(v->ja3) + 1;
		uint8_t *g = th_guarded((const uint8_t *)v->ja3, n);
		memset(g, 'X', n);
		tls_ja3(&v->h, (char *)g, n, md5);
		assert_string_equal((char *)g, v->ja3);
		assert_string_equal(md5, v->ja3_md5);
		th_guarded_free(g, n);
	}
	if (!v->ja4)
		return;
	char out[TLS_JA4_LEN], raw[4096];
	tls_ja4(&v->h, out, raw, sizeof raw);
	assert_string_equal(out, v->ja4);
	assert_string_equal(raw, v->ja4_r);
	assert_int_equal(strlen(out), 36);
	if (v->ja4_o) {
		tls_ja4_o(&v->h, out, raw, sizeof raw);
		assert_string_equal(out, v->ja4_o);
		assert_string_equal(raw, v->ja4_ro);
	}
}

static void test_grease(void **state)
{
	(void)state;
	unsigned n = 0;
	for (uint32_t v = 0; v <= 0xffff; v++)
		if (tls_grease((uint16_t)v)) {
			assert_int_equal(v & 0xff, v >> 8);
			assert_int_equal(v & 0x0f, 0x0a);
			n++;
		}
	assert_int_equal(n, 16); /* RFC 8701: 0x0a0a ... 0xfafa */
	assert_true(tls_grease(0x0a0a));
	assert_true(tls_grease(0xfafa));
	assert_false(tls_grease(0x0a1a));
	assert_false(tls_grease(0x1a0a));
	assert_false(tls_grease(0x0b0b));
	assert_false(tls_grease(0x0000));
}

/* salesforce/ja3 README: "769,47-53-5-10-49161-49162-49171-49172-50-56-
 * 19-4,0-10-11,23-24-25,0" = ada70206e40642a3e4461f35503241d5; then the
 * same hello with GREASE in the cipher, extension and group lists. */
static void test_ja3_readme(void **state)
{
	(void)state;
	static const char want[] =
		"769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,"
		"23-24-25,0";
	static const uint16_t c[] = {47, 53, 5, 10, 49161, 49162, 49171,
				     49172, 50, 56, 19, 4};
	static const uint16_t cg[] = {0x1a1a, 47, 53, 5, 10, 49161, 49162,
				      49171, 49172, 50, 56, 0x2a2a, 19, 4};
	static const uint16_t e[] = {0, 10, 11}, eg[] = {0xeaea, 0, 10, 11,
							 0xfafa};
	static const uint16_t g[] = {23, 24, 25}, gg[] = {0x6a6a, 23, 24, 25};
	static const uint8_t ec[] = {0};
	tls_hello h = {.legacy_version = 769, .ciphers = c,
		       .nciphers = ARRAY_LEN(c), .exts = e,
		       .nexts = ARRAY_LEN(e), .groups = g,
		       .ngroups = ARRAY_LEN(g), .ec_formats = ec, .nec = 1};
	char s[256], md5[33];
	tls_ja3(&h, s, sizeof s, md5);
	assert_string_equal(s, want);
	assert_string_equal(md5, "ada70206e40642a3e4461f35503241d5");

	h.ciphers = cg;
	h.nciphers = ARRAY_LEN(cg);
	h.exts = eg;
	h.nexts = ARRAY_LEN(eg);
	h.groups = gg;
	h.ngroups = ARRAY_LEN(gg);
	memset(s, 0, sizeof s);
	tls_ja3(&h, s, sizeof s, md5);
	assert_string_equal(s, want);
	assert_string_equal(md5, "ada70206e40642a3e4461f35503241d5");

	/* The same lists as a ServerHello: JA3S has three fields. */
	h.server = true;
	tls_ja3(&h, s, sizeof s, md5);
	assert_string_equal(s, "769,47-53-5-10-49161-49162-49171-49172-50-56-"
			       "19-4,0-10-11");
}

static void test_published(void **state)
{
	(void)state;
	check_vec(&chr_c);
	check_vec(&fox_c);
	check_vec(&c120_c);
}

static void test_tshark(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tshark_vecs); i++)
		check_vec(tshark_vecs[i]);
}

/* JA4.md: "If there are no signature algorithms in the hello packet, then
 * the string ends without an underscore" = 6d807ffa2a79. */
static void test_ja4_no_sigalgs(void **state)
{
	(void)state;
	tls_hello h = {FOX_HELLO};
	h.sigalgs = NULL;
	h.nsig = 0;
	char out[TLS_JA4_LEN], raw[512];
	tls_ja4(&h, out, raw, sizeof raw);
	assert_string_equal(out, "t13d1516h2_8daaf6152771_6d807ffa2a79");
	const char *tail = "0033,4469,ff01";
	assert_string_equal(raw + strlen(raw) - strlen(tail), tail);
	/* Only GREASE signature algorithms: the same. */
	static const uint16_t gs[] = {0x0a0a, 0xbaba};
	h.sigalgs = gs;
	h.nsig = 2;
	tls_ja4(&h, out, NULL, 0);
	assert_string_equal(out, "t13d1516h2_8daaf6152771_6d807ffa2a79");
}

/* JA4.md's ALPN rules and examples. */
static void test_ja4_alpn(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		size_t n;
		const char *want;
	} t[] = {
		{"h2", 2, "h2"},
		{"http/1.1", 8, "h1"},
		{"x", 1, "xx"},
		{"\xab", 1, "ab"},
		{"\xab\xcd", 2, "ad"},
		{"\x30\xab", 2, "3b"},
		{"\x30\x31\xab\xcd", 4, "3d"},
		{"\x30\xab\xcd\x31", 4, "01"},
		{"h3-29", 5, "h9"},
		{"/x", 2, "28"},   /* '/' is 0x2f, 'x' 0x78 */
		{"\xc3\xa9", 2, "c9"}, /* UTF-8: bytes, not characters */
		{"", 0, "00"},
		{NULL, 5, "00"},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		tls_hello h = {FOX_HELLO};
		h.alpn0 = (const uint8_t *)t[i].v;
		h.alpn0_len = t[i].n;
		uint8_t *g = NULL;
		if (t[i].v) { /* the value from a guarded buffer */
			g = th_guarded((const uint8_t *)t[i].v, t[i].n);
			h.alpn0 = g;
		}
		char out[TLS_JA4_LEN];
		tls_ja4(&h, out, NULL, 0);
		assert_memory_equal(out + 8, t[i].want, 2);
		assert_string_equal(out + 10, "_8daaf6152771_e5627efa2ab1");
		if (g)
			th_guarded_free(g, t[i].n);
	}
}

/* Version: supported_versions' highest non-GREASE value, else
 * legacy_version; the protocol and SNI flags. */
static void test_ja4_version_flags(void **state)
{
	(void)state;
	static const uint16_t only_grease[] = {0x0a0a, 0x7a7a};
	static const uint16_t v13[] = {0x0303, 0x0304, 0x0302};
	static const uint16_t draft[] = {0x7f1c, 0x0304};
	static const struct {
		uint16_t legacy;
		const uint16_t *v;
		size_t n;
		const char *want;
	} t[] = {
		{0x0303, NULL, 0, "12"},
		{0x0302, NULL, 0, "11"},
		{0x0301, NULL, 0, "10"},
		{0x0300, NULL, 0, "s3"},
		{0x0002, NULL, 0, "s2"},
		{0xfefd, NULL, 0, "d2"},
		{0xfeff, NULL, 0, "d1"},
		{0xfefc, NULL, 0, "d3"},
		{0x0305, NULL, 0, "00"},
		{0x0303, only_grease, 2, "12"},
		{0x0301, v13, 3, "13"},
		{0x0303, draft, 2, "00"}, /* highest is 0x7f1c: unknown */
		{0x0303, v13, 0, "12"},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		tls_hello h = {FOX_HELLO};
		h.legacy_version = t[i].legacy;
		h.versions = t[i].v;
		h.nversions = t[i].n;
		char out[TLS_JA4_LEN];
		tls_ja4(&h, out, NULL, 0);
		assert_memory_equal(out + 1, t[i].want, 2);
	}
	tls_hello h = {FOX_HELLO};
	h.quic = true;
	h.has_sni = false;
	char out[TLS_JA4_LEN];
	tls_ja4(&h, out, NULL, 0);
	assert_string_equal(out, "q13i1516h2_8daaf6152771_e5627efa2ab1");
	/* A ServerHello has no JA4 here. */
	h.server = true;
	char raw[8] = "junk";
	tls_ja4(&h, out, raw, sizeof raw);
	assert_string_equal(out, "");
	assert_string_equal(raw, "");
}

/* Empty lists hash to twelve zeros; SNI and ALPN alone leave the
 * extension hash empty but are counted; counts stop at 99. */
static void test_ja4_empty_and_counts(void **state)
{
	(void)state;
	char out[TLS_JA4_LEN], raw[8192];
	tls_hello h = {.legacy_version = 0x0303};
	tls_ja4(&h, out, raw, sizeof raw);
	assert_string_equal(out, "t12i000000_000000000000_000000000000");
	assert_string_equal(raw, "t12i000000__");

	static const uint16_t sni_alpn[] = {0x0000, 0x0a0a, 0x0010};
	h.exts = sni_alpn;
	h.nexts = ARRAY_LEN(sni_alpn);
	h.has_sni = true;
	tls_ja4(&h, out, raw, sizeof raw);
	assert_string_equal(out, "t12d000200_000000000000_000000000000");
	tls_ja4_o(&h, out, raw, sizeof raw);
	assert_string_equal(raw, "t12d000200__0000,0010");
	assert_string_equal(out + 24, "a2cf1a00988d"); /* sha256("0000,0010") */

	/* 150 ciphers (GREASE in between does not count) and 120
	 * extensions: "99" both; the hash still covers all of them. */
	uint16_t c[160], e[120];
	size_t nc = 0;
	for (unsigned i = 0; i < 150; i++) {
		c[nc++] = (uint16_t)(0x0100 + i);
		if (i % 15 == 0)
			c[nc++] = 0x2a2a;
	}
	for (unsigned i = 0; i < 120; i++)
		e[i] = (uint16_t)(0x1000 + i);
	h.ciphers = c;
	h.nciphers = nc;
	h.exts = e;
	h.nexts = ARRAY_LEN(e);
	tls_ja4(&h, out, raw, sizeof raw);
	assert_memory_equal(out, "t12d9999", 8);
	/* sha256("0100,0101,...,0195")[:12], by Python's hashlib */
	assert_memory_equal(out + 11, "a3abd2455589", 12);
	assert_int_equal(strlen(raw), 10 + 1 + 150 * 5 - 1 + 1 + 120 * 5 - 1);
}

/* A copy of a list in a guarded buffer, so a read one entry too far
 * faults. */
static const uint16_t *guard16(const uint16_t *v, size_t n)
{
	return v ? (const uint16_t *)th_guarded((const uint8_t *)v,
						n * sizeof *v)
		 : NULL;
}

static void unguard16(const uint16_t *v, size_t n)
{
	if (v)
		th_guarded_free((uint8_t *)(uintptr_t)v, n * sizeof *v);
}

/* Every vector again with each list in a buffer exactly its size. */
static void test_guarded_lists(void **state)
{
	(void)state;
	const vec *all[ARRAY_LEN(tshark_vecs) + 3];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(tshark_vecs); i++)
		all[n++] = tshark_vecs[i];
	all[n++] = &chr_c;
	all[n++] = &fox_c;
	all[n++] = &c120_c;
	for (size_t i = 0; i < n; i++) {
		vec v = *all[i];
		tls_hello *h = &v.h;
		h->ciphers = guard16(h->ciphers, h->nciphers);
		h->exts = guard16(h->exts, h->nexts);
		h->groups = guard16(h->groups, h->ngroups);
		h->sigalgs = guard16(h->sigalgs, h->nsig);
		h->versions = guard16(h->versions, h->nversions);
		uint8_t *ec = h->ec_formats
			? th_guarded(h->ec_formats, h->nec) : NULL;
		h->ec_formats = ec;
		check_vec(&v);
		unguard16(h->ciphers, h->nciphers);
		unguard16(h->exts, h->nexts);
		unguard16(h->groups, h->ngroups);
		unguard16(h->sigalgs, h->nsig);
		unguard16(h->versions, h->nversions);
		if (ec)
			th_guarded_free(ec, h->nec);
	}
}

/* Lists of 100000 entries: only the first TLS_FP_MAX are read, whatever
 * the counts say past that; NULL lists with counts are empty. */
static void test_long_and_null_lists(void **state)
{
	(void)state;
	enum { N = 100000 };
	uint16_t *big = malloc(N * sizeof *big);
	uint8_t *big8 = malloc(N);
	assert_non_null(big);
	assert_non_null(big8);
	for (size_t i = 0; i < N; i++) {
		big[i] = (uint16_t)(60000 - i); /* descending, no GREASE */
		big8[i] = (uint8_t)i;
	}
	const uint16_t *g = guard16(big, N);
	uint8_t *g8 = th_guarded(big8, N);
	tls_hello h = {.legacy_version = 0x0303, .ciphers = g, .nciphers = N,
		       .exts = g, .nexts = N, .groups = g, .ngroups = N,
		       .ec_formats = g8, .nec = N, .sigalgs = g, .nsig = N,
		       .versions = g, .nversions = N};
	static char s[1 << 16];
	char md5[33];
	tls_ja3(&h, s, sizeof s, md5);
	/* "771," then four lists of TLS_FP_MAX entries, 3 commas */
	size_t dashes = 0;
	for (const char *p = s; *p; p++)
		dashes += *p == '-';
	assert_int_equal(dashes, 4 * (TLS_FP_MAX - 1));
	assert_non_null(strstr(s, "771,60000-59999-"));
	assert_null(strstr(s, "-59488")); /* entry 513 */
	assert_non_null(strstr(s, "-59489,60000-")); /* entry 512 ends it */
	assert_non_null(strstr(s, ",0-1-2-"));

	char out[TLS_JA4_LEN];
	tls_ja4(&h, out, s, sizeof s);
	assert_memory_equal(out, "t00i999900_", 11); /* version 60000: "00" */
	/* Sorted, the ciphers start at entry 512 (59489 = 0xe861); in wire
	 * order at entry 1 (60000 = 0xea60). */
	assert_memory_equal(s + 10, "_e861,e862,", 11);
	assert_non_null(strstr(s, ",ea60_e861,"));
	tls_ja4_o(&h, out, s, sizeof s);
	assert_memory_equal(s + 10, "_ea60,ea5f,", 11);
	unguard16(g, N);
	th_guarded_free(g8, N);
	free(big);
	free(big8);

	tls_hello z = {.legacy_version = 0x0301, .nciphers = 7, .nexts = 9,
		       .ngroups = 3, .nec = 2, .nsig = 4, .nversions = 5,
		       .alpn0_len = 3};
	tls_ja3(&z, s, sizeof s, md5);
	assert_string_equal(s, "769,,,,");
	assert_string_equal(md5, "f5d1076d0d11b5cd81c4c4e8e8ee881a");
	tls_ja4(&z, out, s, sizeof s);
	assert_string_equal(out, "t10i000000_000000000000_000000000000");
}

/* Every output capacity from 0 to the whole length and past it: the copy
 * is the prefix that fits (NUL-terminated, never a byte past cap), the
 * MD5 and the JA4 are those of the whole text. */
static void test_output_caps(void **state)
{
	(void)state;
	const vec *v = &chr_c;
	static uint8_t junk[1024]; /* what the outputs hold before */
	memset(junk, 'X', sizeof junk);
	size_t len = strlen(v->ja3);
	assert_true(len + 2 <= sizeof junk);
	assert_true(strlen(v->ja4_r) + 2 <= sizeof junk);
	for (size_t cap = 0; cap <= len + 2; cap++) {
		char md5[33];
		uint8_t *g = cap ? th_guarded(junk, cap) : NULL;
		tls_ja3(&v->h, (char *)g, cap, md5);
		assert_string_equal(md5, v->ja3_md5);
		if (g) {
			size_t k = cap - 1 < len ? cap - 1 : len;
			assert_int_equal(strlen((char *)g), k);
			assert_memory_equal(g, v->ja3, k);
			th_guarded_free(g, cap);
		}
	}
	len = strlen(v->ja4_r);
	for (size_t cap = 0; cap <= len + 2; cap++) {
		char out[TLS_JA4_LEN];
		uint8_t *g = cap ? th_guarded(junk, cap) : NULL;
		tls_ja4(&v->h, out, (char *)g, cap);
		assert_string_equal(out, v->ja4);
		if (g) {
			size_t k = cap - 1 < len ? cap - 1 : len;
			assert_int_equal(strlen((char *)g), k);
			assert_memory_equal(g, v->ja4_r, k);
			th_guarded_free(g, cap);
		}
	}
	/* out[37] exactly: the last byte is the NUL. */
	uint8_t *o = th_guarded((const uint8_t *)v->ja4, TLS_JA4_LEN);
	memset(o, 'X', TLS_JA4_LEN);
	tls_ja4(&v->h, (char *)o, NULL, 0);
	assert_string_equal((char *)o, v->ja4);
	th_guarded_free(o, TLS_JA4_LEN);
	o = th_guarded((const uint8_t *)v->ja3_md5, TLS_JA3_MD5_LEN);
	tls_ja3(&v->h, NULL, 0, (char *)o);
	assert_string_equal((char *)o, v->ja3_md5);
	th_guarded_free(o, TLS_JA3_MD5_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grease),
		cmocka_unit_test(test_ja3_readme),
		cmocka_unit_test(test_published),
		cmocka_unit_test(test_tshark),
		cmocka_unit_test(test_ja4_no_sigalgs),
		cmocka_unit_test(test_ja4_alpn),
		cmocka_unit_test(test_ja4_version_flags),
		cmocka_unit_test(test_ja4_empty_and_counts),
		cmocka_unit_test(test_guarded_lists),
		cmocka_unit_test(test_long_and_null_lists),
		cmocka_unit_test(test_output_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
