/* algnames.h: algorithm names as key files spell them (Wireshark UAT, tcpdump -E, strongSwan proposals, ours) mapped to IANA ids. */
#ifndef IKESCOPE_IKE_CRYPTO_ALGNAMES_H
#define IKESCOPE_IKE_CRYPTO_ALGNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One spelling: `id` is the IANA (or private, see cipher.h) id, `bits` the key size it implies (0: none). */
struct ike_alg_name {
    const char *name;
    uint16_t id;
    uint16_t bits;
};

enum ike_alg_dialect {
    IKE_NAMES_WIRESHARK_ENCR,  /* ikev2_decryption_table column 5, exact spelling */
    IKE_NAMES_WIRESHARK_INTEG, /* ikev2_decryption_table column 8, exact spelling */
    IKE_NAMES_TCPDUMP_ENCR,    /* tcpdump -E: OpenSSL cipher names, case-insensitive */
    IKE_NAMES_TCPDUMP_INTEG,
    IKE_NAMES_ENCR,            /* our format and strongSwan: IANA names, ENCR_ prefix optional, case-insensitive */
    IKE_NAMES_INTEG,           /* AUTH_ prefix optional */
    IKE_NAMES_PRF,             /* PRF_ prefix optional */
    IKE_NAMES_V1_ENCR,         /* IKEv1 Encryption Algorithm attribute */
    IKE_NAMES_V1_HASH,         /* IKEv1 Hash Algorithm attribute */
};

/* Look a name of `len` bytes up; false if unknown. *bits gets the implied key size (0 if none). */
bool ike_alg_lookup(enum ike_alg_dialect d, const char *name, size_t len, uint16_t *id, uint16_t *bits);

/* The canonical spelling of (id, bits) in a dialect, or NULL when it has none. */
const char *ike_alg_name(enum ike_alg_dialect d, uint16_t id, uint16_t bits);

/*
 * Parse a strongSwan proposal such as "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"
 * (the "IKE:" prefix is optional). Unknown tokens (DH groups) are ignored.
 * Returns false if no encryption algorithm was recognised.
 */
bool ike_alg_parse_strongswan(const char *s, size_t len, uint16_t *encr, uint16_t *bits,
                              uint16_t *integ, uint16_t *prf);

#endif
