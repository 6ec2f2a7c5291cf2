/* keyset.h: key sets (the secrets of one IKE SA, or of one unattributed log block) and the key store that owns them. */
#ifndef IKESCOPE_IKE_CRYPTO_KEYSET_H
#define IKESCOPE_IKE_CRYPTO_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/secret.h"

#define IKE_KEYSET_ORIGIN_MAX 160

/*
 * The keys of one IKE SA as a key file gave them. Absent secrets have
 * len 0. Key sets from charon logs name no SPIs (has_spis false): the SA
 * tracker matches them by trying them (the ICV or AEAD tag must verify).
 */
struct ike_keyset {
    uint8_t version;              /* 1 or 2; 0 when the source did not say (a log block with only a DH secret) */
    bool has_spis;
    uint8_t spi_i[8], spi_r[8];   /* IKEv1: cookies; an all-zero spi_r matches any responder cookie */
    struct ike_v2_suite suite;    /* IKEv2 algorithms if the source named them, else all zero */
    uint16_t v1_encr, v1_key_bits, v1_hash; /* IKEv1 attributes if known, else 0 */
    /* IKEv2 */
    struct ike_secret sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr, dh_secret, skeyseed;
    /* IKEv1 (dh_secret is shared with IKEv2) */
    struct ike_secret v1_enc_key, skeyid, skeyid_d, skeyid_a, skeyid_e, v1_iv, psk;
    char origin[IKE_KEYSET_ORIGIN_MAX]; /* "file:line" where the set starts; never key material */
};

/* Wipe every secret and reset to an empty key set. */
void ike_keyset_cleanup(struct ike_keyset *ks);

/* The sender's SK_e/SK_a for a message (from_initiator: the original initiator sent it). */
const struct ike_secret *ike_keyset_sk_e(const struct ike_keyset *ks, bool from_initiator);
const struct ike_secret *ike_keyset_sk_a(const struct ike_keyset *ks, bool from_initiator);

/* True if the set carries ready IKEv2 SK_e keys (false for DH-secret/SKEYSEED-only sets). */
bool ike_keyset_has_v2_keys(const struct ike_keyset *ks);

/* The key store: an owning list of key sets. */
struct ike_keystore;

enum ike_key_status {
    IKE_KEY_OK = 0,
    IKE_KEY_IO,           /* file cannot be read */
    IKE_KEY_SYNTAX,       /* a line is not valid in its format (errbuf says FILE:LINE) */
    IKE_KEY_NO_MATERIAL,  /* the file holds no keys at all */
    IKE_KEY_NOMEM,
    IKE_KEY_UNSUPPORTED,  /* algorithm we cannot use / cannot write in the requested format */
    IKE_KEY_DERIVE,       /* derivation failed (missing inputs or PRF) */
};

struct ike_keystore *ike_keystore_new(void);
/* Wipes and frees every key set. NULL is fine. */
void ike_keystore_free(struct ike_keystore *ks);
/* A new zeroed key set owned by the store; NULL on allocation failure. */
struct ike_keyset *ike_keystore_add(struct ike_keystore *ks);
size_t ike_keystore_count(const struct ike_keystore *ks);
/* Wipe and drop the key sets after the first `keep` (a failed load rolls back with this). */
void ike_keystore_truncate(struct ike_keystore *ks, size_t keep);
/* Indexes the sets by SPI for ike_keystore_find_by_spi; call once all files are loaded.
 * Adding or truncating drops the index (lookups then scan, with the same result). */
void ike_keystore_index(struct ike_keystore *ks);
/* Are there key sets without SPIs that carry SK_pi (charon logs)? Counted by
 * ike_keystore_index, so that per-SA lookups for them cost nothing when there are none;
 * true (look) when the store changed since. */
bool ike_keystore_has_unnamed_sk_p(const struct ike_keystore *ks);
/* Key set number i (0-based, in file order), NULL past the end. */
const struct ike_keyset *ike_keystore_get(const struct ike_keystore *ks, size_t i);
/*
 * First key set with SPIs for this version whose spi_i matches and whose
 * spi_r matches or is all zero (IKEv1 Wireshark rows carry only the
 * initiator cookie). NULL if none; then try the has_spis=false sets.
 */
const struct ike_keyset *ike_keystore_find_by_spi(const struct ike_keystore *ks, uint8_t version,
                                                  const uint8_t spi_i[8], const uint8_t spi_r[8]);

/*
 * Try a key set on one IKEv2 message (see ike_v2_decrypt for msg/sk_off
 * and the plaintext). The suite: a set with SPIs uses its own if it names
 * one; otherwise `negotiated` (from the capture's IKE_SA_INIT response;
 * may be NULL) wins over a log block's hint; with neither, every supported
 * suite whose key lengths fit the set's keys is tried.
 * notes: as for ike_v2_decrypt_ex (NULL: strict).
 * Returns IKE_DEC_OK (this is the SA's key set), IKE_DEC_ICV_MISMATCH
 * (not this one), IKE_DEC_NO_KEY (no SK_e for that direction: derive
 * first, see ike_v2_keyset_derive), or another decryption status.
 */
enum ike_dec_status ike_v2_try_decrypt_with_keyset(const struct ike_keyset *ks,
                                                   const struct ike_v2_suite *negotiated,
                                                   bool from_initiator, const uint8_t *msg,
                                                   size_t msg_len, size_t sk_off,
                                                   uint8_t **plain, size_t *plain_len, unsigned *notes);

/*
 * Derive a complete IKEv2 key set for one SA into `out` (cleaned first):
 * from src->skeyseed if present, else from src->dh_secret, with the
 * nonces (payload bodies without headers) and SPIs from the capture.
 * `s` must name encr, integ (or NONE for AEAD) and prf. out->has_spis is
 * set; out->origin copies src's.
 */
enum ike_key_status ike_v2_keyset_derive(const struct ike_keyset *src, const struct ike_v2_suite *s,
                                         const uint8_t *ni, size_t ni_len,
                                         const uint8_t *nr, size_t nr_len,
                                         const uint8_t spi_i[8], const uint8_t spi_r[8],
                                         struct ike_keyset *out);

/* The same from a bare DH shared secret g^ir. */
enum ike_key_status ike_v2_keys_from_dh(const struct ike_v2_suite *s, const struct ike_secret *dh_secret,
                                        const uint8_t *ni, size_t ni_len,
                                        const uint8_t *nr, size_t nr_len,
                                        const uint8_t spi_i[8], const uint8_t spi_r[8],
                                        struct ike_keyset *out);

#endif
