/* cipher.h: IKEv2 SK/SKF payload decryption (RFC 7296 §3.14, RFC 7383, RFC 5282, RFC 5930, RFC 7634) and IKEv1 CBC decryption (RFC 2409 Appendix B). */
#ifndef IKESCOPE_IKE_CRYPTO_CIPHER_H
#define IKESCOPE_IKE_CRYPTO_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/secret.h"

/* IANA "Transform Type 1 - Encryption Algorithm Transform IDs" we decrypt. */
enum ike_v2_encr {
    IKE_ENCR_3DES = 3,               /* CBC, RFC 2451 */
    IKE_ENCR_NULL = 11,              /* RFC 2410; only meaningful with integrity */
    IKE_ENCR_AES_CBC = 12,           /* RFC 3602; 128/192/256 */
    IKE_ENCR_AES_CTR = 13,           /* RFC 5930: key | 4-byte nonce */
    IKE_ENCR_AES_CCM_8 = 14,         /* RFC 5282: key | 3-byte salt */
    IKE_ENCR_AES_CCM_12 = 15,
    IKE_ENCR_AES_CCM_16 = 16,
    IKE_ENCR_AES_GCM_8 = 18,         /* RFC 5282: key | 4-byte salt */
    IKE_ENCR_AES_GCM_12 = 19,
    IKE_ENCR_AES_GCM_16 = 20,
    IKE_ENCR_CHACHA20_POLY1305 = 28, /* RFC 7634: 256-bit key | 4-byte salt */
};

/* IANA "Transform Type 3 - Integrity Algorithm Transform IDs", plus private ids >= 0x8000. */
enum ike_v2_integ {
    IKE_INTEG_NONE = 0,
    IKE_INTEG_HMAC_MD5_96 = 1,
    IKE_INTEG_HMAC_SHA1_96 = 2,
    IKE_INTEG_AES_XCBC_96 = 5,
    IKE_INTEG_HMAC_MD5_128 = 6,
    IKE_INTEG_HMAC_SHA1_160 = 7,
    IKE_INTEG_AES_CMAC_96 = 8,
    IKE_INTEG_HMAC_SHA2_256_128 = 12,
    IKE_INTEG_HMAC_SHA2_384_192 = 13,
    IKE_INTEG_HMAC_SHA2_512_256 = 14,
    /* Not IANA: draft-ietf-ipsec-ciph-sha-256-00 truncation used by old Linux kernels (Wireshark lists it). */
    IKE_INTEG_HMAC_SHA2_256_96 = 0x8001,
    /* Not IANA: Wireshark's "ANY n-bits of Authentication [No Checking]": skip n/8 ICV bytes unverified. */
    IKE_INTEG_ANY_64 = 0x8108,
    IKE_INTEG_ANY_96 = 0x810c,
    IKE_INTEG_ANY_128 = 0x8110,
    IKE_INTEG_ANY_160 = 0x8114,
    IKE_INTEG_ANY_192 = 0x8118,
    IKE_INTEG_ANY_256 = 0x8120,
};

/*
 * A negotiated IKE SA suite. encr_key_bits is the Key Length attribute
 * (AES: 128/192/256; 0 means the algorithm's only size: 3DES 192,
 * ChaCha20 256). integ is IKE_INTEG_NONE for AEAD ciphers. All zero means
 * "unknown" (key sets from logs that name no algorithms).
 */
struct ike_v2_suite {
    uint16_t encr;
    uint16_t encr_key_bits;
    uint16_t integ;
    uint16_t prf;
};

enum ike_dec_status {
    IKE_DEC_OK = 0,
    IKE_DEC_ICV_MISMATCH,  /* integrity check value or AEAD tag does not verify: wrong keys or altered message */
    IKE_DEC_BAD_PADDING,   /* decrypted, but the Pad Length byte is impossible */
    IKE_DEC_MALFORMED,     /* SK payload layout impossible (lengths, offsets, block multiple) */
    IKE_DEC_UNSUPPORTED,   /* algorithm or key size we cannot decrypt */
    IKE_DEC_BAD_KEY,       /* a key's length does not fit the suite */
    IKE_DEC_NO_KEY,        /* the key set has no key for this direction */
    IKE_DEC_FAILED,        /* libcrypto or memory failure */
};

/* Stable lower-case name of a status ("ok", "icv_mismatch", ...). */
const char *ike_dec_status_name(enum ike_dec_status st);

bool ike_v2_encr_is_aead(uint16_t encr);
/* True when the suite's encryption and integrity algorithms are all decryptable here. */
bool ike_v2_suite_supported(const struct ike_v2_suite *s);
/* SK_e length in bytes including the salt/nonce (CTR/GCM/ChaCha +4, CCM +3); 0 if unsupported (NULL: 0 too). */
size_t ike_v2_encr_key_len(const struct ike_v2_suite *s);
/* SK_a length in bytes (0 for NONE, ANY-n and unknown). */
size_t ike_v2_integ_key_len(uint16_t integ);
/* ICV length in bytes for a suite (AEAD: tag length, otherwise the integrity truncation). */
size_t ike_v2_icv_len(const struct ike_v2_suite *s);
/* The ciphertext length (padding and Pad Length included, IV and ICV not) of an SK payload
 * whose body (after the generic header) is `sk_body_len` bytes; false when the suite's
 * layout is unknown or the body is too short. */
bool ike_v2_sk_ciphertext_len(const struct ike_v2_suite *s, size_t sk_body_len, size_t *ct_len);
/* The shortest ciphertext that can carry `inner_len` bytes of payloads: Pad Length byte
 * added, rounded up to the cipher's block (at least 4, the alignment senders use for
 * stream and AEAD modes, RFC 4303 §2.4); 0 when the suite is unknown. */
size_t ike_v2_sk_min_ciphertext(const struct ike_v2_suite *s, size_t inner_len);
/* False for Wireshark's "ANY n-bits [No Checking]" pseudo algorithms. */
bool ike_v2_integ_is_checked(uint16_t integ);

/*
 * Decrypt one SK (46) or SKF (53) payload.
 * msg/msg_len: the whole IKE message as received (header first);
 * sk_off: offset of the SK/SKF generic payload header; it must be reached
 * by walking the payload chain from the header (the walk tells SK from SKF).
 * sk_e/sk_a: the SENDER's keys (SK_ei/SK_ai for messages from the original
 * initiator). For AEAD suites sk_a is ignored (may be NULL).
 * Integrity is checked first, in constant time, over the IKE header
 * through the end of the ciphertext; AEAD AAD is the IKE header through
 * the end of the SK header (4 bytes) or SKF header (8 bytes) (RFC 5282 §5.1,
 * RFC 7383 §2.5).
 * On IKE_DEC_OK *plain is malloc'd (free with ike_v2_plain_free) and holds
 * *plain_len bytes: the inner payloads with padding and Pad Length removed.
 * On any other status *plain is NULL.
 */
enum ike_dec_status ike_v2_decrypt(const struct ike_v2_suite *s, const struct ike_secret *sk_e,
                                   const struct ike_secret *sk_a, const uint8_t *msg, size_t msg_len,
                                   size_t sk_off, uint8_t **plain, size_t *plain_len);

/* Things a lenient decryption accepted that a strict one would not (bit flags). */
enum ike_dec_note {
    IKE_DEC_NOTE_LEGACY_ICV = 1 << 0,  /* ICV covers only IV..ciphertext, as old Openswan 2.6 computed it */
    IKE_DEC_NOTE_UNCHECKED = 1 << 1,   /* Wireshark "ANY n-bits" integrity: ICV skipped, not verified */
};

/*
 * ike_v2_decrypt, and when `notes` is not NULL also lenient: if the RFC
 * ICV does not verify but one over IV..ciphertext only does, the message
 * decrypts and IKE_DEC_NOTE_LEGACY_ICV is set (worth an anomaly: the peer
 * is non-conformant; tcpdump's ikev2pI2.pcap is such a capture).
 * *notes is zeroed first.
 */
enum ike_dec_status ike_v2_decrypt_ex(const struct ike_v2_suite *s, const struct ike_secret *sk_e,
                                      const struct ike_secret *sk_a, const uint8_t *msg, size_t msg_len,
                                      size_t sk_off, uint8_t **plain, size_t *plain_len, unsigned *notes);

/* Wipe and free a plaintext returned by a decrypt function. */
void ike_v2_plain_free(uint8_t *plain, size_t plain_len);

/*
 * Primitive layer, used by the above and by known-answer tests.
 * AEAD open: encr is an IKE_ENCR_AES_GCM_*, _AES_CCM_* or CHACHA20_POLY1305
 * id (the id only selects the mode; tag_len is taken from the argument).
 * key is the cipher key without salt; nonce is salt | IV (GCM/ChaCha 12,
 * CCM 7..13 bytes). out receives ct_len bytes.
 */
enum ike_dec_status ike_aead_open(uint16_t encr, const uint8_t *key, size_t key_len,
                                  const uint8_t *nonce, size_t nonce_len,
                                  const uint8_t *aad, size_t aad_len,
                                  const uint8_t *ct, size_t ct_len,
                                  const uint8_t *tag, size_t tag_len, uint8_t *out);

/*
 * Unauthenticated decryption: IKE_ENCR_3DES / IKE_ENCR_AES_CBC (iv = one
 * block, ct a block multiple) or IKE_ENCR_AES_CTR (iv = the full 16-byte
 * initial counter block). out receives ct_len bytes.
 */
enum ike_dec_status ike_raw_decrypt(uint16_t encr, const uint8_t *key, size_t key_len,
                                    const uint8_t *iv, size_t iv_len,
                                    const uint8_t *ct, size_t ct_len, uint8_t *out);

/* IKEv1 Encryption Algorithm attribute values (RFC 2409 Appendix A) we decrypt. */
enum ike_v1_encr {
    IKE_V1_ENCR_DES_CBC = 1,
    IKE_V1_ENCR_3DES_CBC = 5,
    IKE_V1_ENCR_AES_CBC = 7,
};

/* Key length in bytes for an IKEv1 cipher (key_bits: the Key Length attribute, AES only); 0 if unsupported. */
size_t ike_v1_encr_key_len(uint16_t v1_encr, uint16_t key_bits);
/* Block (= IV) length: 8 for DES/3DES, 16 for AES; 0 if unsupported. */
size_t ike_v1_block_len(uint16_t v1_encr);

/*
 * Decrypt an IKEv1 message with the E flag (RFC 2408 §3.1): CBC over
 * everything after the 28-byte header up to the header's Length.
 * iv: this message's IV (phase-1 IV, the previous message's last
 * ciphertext block, or a phase-2 IV from ike_v1_phase2_iv).
 * On OK, next_iv (block_len bytes) receives the last ciphertext block:
 * the IV for the next message of the same exchange (RFC 2409 Appendix B).
 * IKEv1 has no integrity check here: a wrong key yields garbage that only
 * the payload parser can reject. Padding is left in place (the payload
 * chain's lengths end the message).
 */
enum ike_dec_status ike_v1_decrypt(uint16_t v1_encr, const struct ike_secret *ka,
                                   const uint8_t *iv, const uint8_t *msg, size_t msg_len,
                                   uint8_t **plain, size_t *plain_len, uint8_t *next_iv);

#endif
