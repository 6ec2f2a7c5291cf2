/* prf.h: IKE pseudo-random functions by IANA IKEv2 PRF id, prf+ (RFC 7296 §2.13), and the MACs under them. */
#ifndef IKESCOPE_IKE_CRYPTO_PRF_H
#define IKESCOPE_IKE_CRYPTO_PRF_H

#include <stddef.h>
#include <stdint.h>

/* IANA "Transform Type 2 - Pseudorandom Function Transform IDs". */
enum ike_prf_id {
    IKE_PRF_HMAC_MD5 = 1,       /* RFC 2104 */
    IKE_PRF_HMAC_SHA1 = 2,      /* RFC 2104 */
    IKE_PRF_AES128_XCBC = 4,    /* RFC 4434 */
    IKE_PRF_HMAC_SHA2_256 = 5,  /* RFC 4868 */
    IKE_PRF_HMAC_SHA2_384 = 6,
    IKE_PRF_HMAC_SHA2_512 = 7,
    IKE_PRF_AES128_CMAC = 8,    /* RFC 4615 */
};

#define IKE_PRF_MAX_OUT 64

enum ike_prf_status {
    IKE_PRF_OK = 0,
    IKE_PRF_UNSUPPORTED,  /* unknown PRF id */
    IKE_PRF_BAD_INPUT,    /* a length the function cannot take (prf+ beyond 255 blocks, MAC key length) */
    IKE_PRF_FAILED,       /* libcrypto refused (allocation) */
};

/* A borrowed byte range; PRF inputs are given as a list of them (no concatenation copies). */
struct ike_chunk {
    const uint8_t *p;
    size_t len;
};

/* Output length in bytes (HMAC: digest size; XCBC/CMAC: 16); 0 when unsupported. */
size_t ike_prf_out_len(uint16_t prf);

/*
 * Preferred key length (RFC 7296 §2.14: SK_d, SK_pi and SK_pr have this
 * length): the output length for HMAC, 16 for AES-XCBC/AES-CMAC.
 */
size_t ike_prf_key_len(uint16_t prf);

/*
 * out = prf(key, data[0] | data[1] | ...). `out` holds ike_prf_out_len(prf)
 * bytes. Any key length is accepted: HMAC hashes long keys (RFC 2104),
 * AES-XCBC-PRF-128 pads short keys with zeros and compresses long ones
 * (RFC 4434 §2), AES-CMAC-PRF-128 compresses every key that is not 16
 * bytes (RFC 4615 §3).
 */
enum ike_prf_status ike_prf(uint16_t prf, const uint8_t *key, size_t key_len,
                            const struct ike_chunk *data, size_t n_data, uint8_t *out);

/*
 * prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n),
 * out = first out_len bytes of T1 | T2 | ...; at most 255 blocks.
 */
enum ike_prf_status ike_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
                                 const struct ike_chunk *seed, size_t n_seed,
                                 uint8_t *out, size_t out_len);

/* AES-XCBC-MAC (RFC 3566 §4), full 16-byte output, key exactly 16 bytes. */
enum ike_prf_status ike_aes_xcbc_mac(const uint8_t key[16], const struct ike_chunk *data,
                                     size_t n_data, uint8_t out[16]);

/* AES-CMAC (RFC 4493), full 16-byte output, key exactly 16 bytes. */
enum ike_prf_status ike_aes_cmac(const uint8_t key[16], const struct ike_chunk *data,
                                 size_t n_data, uint8_t out[16]);

/* Plain hash used by IKEv1 IV derivation; `prf` names the HMAC whose digest to use. */
enum ike_prf_status ike_prf_hash(uint16_t prf, const struct ike_chunk *data, size_t n_data,
                                 uint8_t *out);

#endif
