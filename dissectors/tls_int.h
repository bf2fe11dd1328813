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

#endif
