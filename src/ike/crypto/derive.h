/* derive.h: IKE key derivation: IKEv2 SKEYSEED and SK_* (RFC 7296 §2.14, §2.18), IKEv1 SKEYID*, Ka and IVs (RFC 2409 §5, Appendix B). */
#ifndef IKESCOPE_IKE_CRYPTO_DERIVE_H
#define IKESCOPE_IKE_CRYPTO_DERIVE_H

#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/prf.h"
#include "ike/crypto/secret.h"

/* Everything an IKEv2 SA derives; all owned and wiped by ike_v2_keymat_free. */
struct ike_v2_keymat {
    struct ike_secret skeyseed, sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

void ike_v2_keymat_free(struct ike_v2_keymat *k);

/*
 * SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14). For AES-XCBC-PRF-128 and
 * AES-CMAC-PRF-128 only the first 64 bits of Ni and of Nr form the key
 * ("for historical backward-compatibility reasons", same section).
 */
enum ike_prf_status ike_v2_skeyseed(uint16_t prf, const uint8_t *g_ir, size_t g_ir_len,
                                    const uint8_t *ni, size_t ni_len,
                                    const uint8_t *nr, size_t nr_len,
                                    struct ike_secret *skeyseed);

/* Rekeyed IKE SA (RFC 7296 §2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). */
enum ike_prf_status ike_v2_skeyseed_rekey(uint16_t prf, const struct ike_secret *old_sk_d,
                                          const uint8_t *g_ir, size_t g_ir_len,
                                          const uint8_t *ni, size_t ni_len,
                                          const uint8_t *nr, size_t nr_len,
                                          struct ike_secret *skeyseed);

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)                 (RFC 7296 §2.14)
 * Lengths: SK_d/SK_p = ike_prf_key_len(s->prf); SK_a = ike_v2_integ_key_len
 * (absent for AEAD suites); SK_e = ike_v2_encr_key_len (key + salt).
 * `out->skeyseed` is left as is; the other fields are replaced.
 * Returns IKE_PRF_UNSUPPORTED when the suite's algorithms are unknown.
 */
enum ike_prf_status ike_v2_derive_keys(const struct ike_v2_suite *s, const struct ike_secret *skeyseed,
                                       const uint8_t *ni, size_t ni_len,
                                       const uint8_t *nr, size_t nr_len,
                                       const uint8_t spi_i[8], const uint8_t spi_r[8],
                                       struct ike_v2_keymat *out);

/* IKEv1 hash algorithm attribute values (RFC 2409 Appendix A, RFC 4868). */
enum ike_v1_hash {
    IKE_V1_HASH_MD5 = 1,
    IKE_V1_HASH_SHA1 = 2,
    IKE_V1_HASH_SHA2_256 = 4,
    IKE_V1_HASH_SHA2_384 = 5,
    IKE_V1_HASH_SHA2_512 = 6,
};

/* The IKEv2 PRF id of the HMAC over an IKEv1 hash (RFC 2409 §4: the PRF is HMAC of the hash); 0 if unknown. */
uint16_t ike_v1_hash_prf(uint16_t v1_hash);

/* RFC 2409 §5 SKEYID, by authentication method. */
enum ike_prf_status ike_v1_skeyid_sig(uint16_t v1_hash, const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len,
                                      const uint8_t *g_xy, size_t g_xy_len, struct ike_secret *skeyid);
enum ike_prf_status ike_v1_skeyid_psk(uint16_t v1_hash, const struct ike_secret *psk,
                                      const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len, struct ike_secret *skeyid);
/* Public key encryption: SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R). */
enum ike_prf_status ike_v1_skeyid_pke(uint16_t v1_hash, const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len,
                                      const uint8_t cky_i[8], const uint8_t cky_r[8],
                                      struct ike_secret *skeyid);

/*
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)   (RFC 2409 §5)
 */
enum ike_prf_status ike_v1_skeyid_derive(uint16_t v1_hash, const struct ike_secret *skeyid,
                                         const uint8_t *g_xy, size_t g_xy_len,
                                         const uint8_t cky_i[8], const uint8_t cky_r[8],
                                         struct ike_secret *skeyid_d, struct ike_secret *skeyid_a,
                                         struct ike_secret *skeyid_e);

/*
 * Encryption key Ka of `key_len` bytes (RFC 2409 Appendix B): the first
 * bytes of SKEYID_e when it is long enough, otherwise K1 = prf(SKEYID_e, 0),
 * K2 = prf(SKEYID_e, K1), ... and Ka = first key_len bytes of K1 | K2 | ...
 */
enum ike_prf_status ike_v1_enc_key(uint16_t v1_hash, const struct ike_secret *skeyid_e,
                                   size_t key_len, struct ike_secret *ka);

/* Phase-1 IV = hash(g^xi | g^xr) truncated to the cipher block (RFC 2409 Appendix B). block_len <= 16. */
enum ike_prf_status ike_v1_phase1_iv(uint16_t v1_hash, const uint8_t *g_xi, size_t g_xi_len,
                                     const uint8_t *g_xr, size_t g_xr_len,
                                     size_t block_len, uint8_t *iv);

/*
 * Phase-2 / informational IV = hash(last phase-1 CBC block | M-ID) truncated
 * to the block (RFC 2409 Appendix B). `last_p1_block` is the last
 * ciphertext block of the final phase-1 message (the IV ike_v1_decrypt
 * returned for it); `msg_id` is in host order and hashed big-endian.
 */
enum ike_prf_status ike_v1_phase2_iv(uint16_t v1_hash, const uint8_t *last_p1_block,
                                     size_t block_len, uint32_t msg_id, uint8_t *iv);

#endif
