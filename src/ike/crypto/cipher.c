/* cipher.c: IKEv2 SK/SKF decryption (RFC 7296 §3.14, RFC 7383 §2.5, RFC 5282, RFC 5930, RFC 7634) and IKEv1 CBC (RFC 2409 Appendix B). */
#include "ike/crypto/cipher.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "capture/reader.h"
#include "ike/crypto/prf.h"

#define IKE_HDR 28
#define PL_SK 46
#define PL_SKF 53

enum mode { M_NONE, M_CBC, M_CTR, M_GCM, M_CCM, M_CHACHA };

struct encr_info {
    enum mode mode;
    uint8_t iv_len;     /* explicit IV in the SK payload */
    uint8_t block;      /* ciphertext must be a multiple of this */
    uint8_t salt_len;   /* bytes at the end of SK_e that are not cipher key */
    uint8_t tag_len;    /* AEAD ICV */
    uint16_t fixed_bits;/* the only key size, or 0 when the Key Length attribute decides */
};

static const struct encr_info encr_table[] = {
    [IKE_ENCR_3DES] = { M_CBC, 8, 8, 0, 0, 192 },
    [IKE_ENCR_NULL] = { M_NONE, 0, 1, 0, 0, 0 },
    [IKE_ENCR_AES_CBC] = { M_CBC, 16, 16, 0, 0, 0 },
    [IKE_ENCR_AES_CTR] = { M_CTR, 8, 1, 4, 0, 0 },
    [IKE_ENCR_AES_CCM_8] = { M_CCM, 8, 1, 3, 8, 0 },
    [IKE_ENCR_AES_CCM_12] = { M_CCM, 8, 1, 3, 12, 0 },
    [IKE_ENCR_AES_CCM_16] = { M_CCM, 8, 1, 3, 16, 0 },
    [IKE_ENCR_AES_GCM_8] = { M_GCM, 8, 1, 4, 8, 0 },
    [IKE_ENCR_AES_GCM_12] = { M_GCM, 8, 1, 4, 12, 0 },
    [IKE_ENCR_AES_GCM_16] = { M_GCM, 8, 1, 4, 16, 0 },
    [IKE_ENCR_CHACHA20_POLY1305] = { M_CHACHA, 8, 1, 4, 16, 256 },
};

static const struct encr_info *encr_lookup(uint16_t encr)
{
    if (encr >= sizeof encr_table / sizeof encr_table[0])
        return NULL;
    const struct encr_info *e = &encr_table[encr];
    if (e->mode == M_NONE && encr != IKE_ENCR_NULL)
        return NULL;
    return e;
}

bool ike_v2_sk_ciphertext_len(const struct ike_v2_suite *s, size_t sk_body_len, size_t *ct_len)
{
    const struct encr_info *e = s ? encr_lookup(s->encr) : NULL;
    if (!e)
        return false;
    size_t icv = ike_v2_icv_len(s); /* 0: integrity unknown, so the layout is too */
    if (icv == 0 || sk_body_len < (size_t)e->iv_len + icv)
        return false;
    *ct_len = sk_body_len - e->iv_len - icv;
    return true;
}

size_t ike_v2_sk_min_ciphertext(const struct ike_v2_suite *s, size_t inner_len)
{
    const struct encr_info *e = s ? encr_lookup(s->encr) : NULL;
    if (!e)
        return 0;
    size_t block = e->block < 4 ? 4 : e->block;
    return (inner_len + 1 + block - 1) / block * block;
}

struct integ_info {
    uint16_t id;
    uint16_t prf;      /* the PRF computing the full MAC; 0 for "ANY" (unchecked) */
    uint8_t key_len;
    uint8_t icv_len;
};

static const struct integ_info integ_table[] = {
    { IKE_INTEG_HMAC_MD5_96, IKE_PRF_HMAC_MD5, 16, 12 },
    { IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1, 20, 12 },
    { IKE_INTEG_AES_XCBC_96, IKE_PRF_AES128_XCBC, 16, 12 },
    { IKE_INTEG_HMAC_MD5_128, IKE_PRF_HMAC_MD5, 16, 16 },
    { IKE_INTEG_HMAC_SHA1_160, IKE_PRF_HMAC_SHA1, 20, 20 },
    { IKE_INTEG_AES_CMAC_96, IKE_PRF_AES128_CMAC, 16, 12 },
    { IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256, 32, 16 },
    { IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384, 48, 24 },
    { IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512, 64, 32 },
    { IKE_INTEG_HMAC_SHA2_256_96, IKE_PRF_HMAC_SHA2_256, 32, 12 },
    { IKE_INTEG_ANY_64, 0, 0, 8 },
    { IKE_INTEG_ANY_96, 0, 0, 12 },
    { IKE_INTEG_ANY_128, 0, 0, 16 },
    { IKE_INTEG_ANY_160, 0, 0, 20 },
    { IKE_INTEG_ANY_192, 0, 0, 24 },
    { IKE_INTEG_ANY_256, 0, 0, 32 },
};

static const struct integ_info *integ_lookup(uint16_t integ)
{
    for (size_t i = 0; i < sizeof integ_table / sizeof integ_table[0]; i++)
        if (integ_table[i].id == integ)
            return &integ_table[i];
    return NULL;
}

static const char *const status_names[] = {
    [IKE_DEC_OK] = "ok",
    [IKE_DEC_ICV_MISMATCH] = "icv_mismatch",
    [IKE_DEC_BAD_PADDING] = "bad_padding",
    [IKE_DEC_MALFORMED] = "malformed",
    [IKE_DEC_UNSUPPORTED] = "unsupported",
    [IKE_DEC_BAD_KEY] = "bad_key",
    [IKE_DEC_NO_KEY] = "no_key",
    [IKE_DEC_FAILED] = "failed",
};

const char *ike_dec_status_name(enum ike_dec_status st)
{
    if ((size_t)st < sizeof status_names / sizeof status_names[0] && status_names[st])
        return status_names[st];
    return "unknown";
}

bool ike_v2_encr_is_aead(uint16_t encr)
{
    const struct encr_info *e = encr_lookup(encr);
    return e && e->tag_len > 0;
}

/* Cipher key bytes (without salt) for a suite; 0 when the size is not valid for the cipher. */
static size_t cipher_key_len(const struct encr_info *e, uint16_t bits)
{
    if (e->mode == M_NONE)
        return 0;
    if (e->fixed_bits)
        return (bits == 0 || bits == e->fixed_bits) ? e->fixed_bits / 8 : 0;
    if (bits == 128 || bits == 192 || bits == 256)
        return bits / 8;
    return 0;
}

bool ike_v2_suite_supported(const struct ike_v2_suite *s)
{
    const struct encr_info *e = encr_lookup(s->encr);
    if (!e)
        return false;
    if (e->mode != M_NONE && !cipher_key_len(e, s->encr_key_bits))
        return false;
    if (e->tag_len)
        return s->integ == IKE_INTEG_NONE;
    return integ_lookup(s->integ) != NULL;
}

size_t ike_v2_encr_key_len(const struct ike_v2_suite *s)
{
    const struct encr_info *e = encr_lookup(s->encr);
    if (!e || e->mode == M_NONE)
        return 0;
    size_t k = cipher_key_len(e, s->encr_key_bits);
    return k ? k + e->salt_len : 0;
}

size_t ike_v2_integ_key_len(uint16_t integ)
{
    const struct integ_info *i = integ_lookup(integ);
    return i ? i->key_len : 0;
}

bool ike_v2_integ_is_checked(uint16_t integ)
{
    const struct integ_info *i = integ_lookup(integ);
    return i && i->prf != 0;
}

size_t ike_v2_icv_len(const struct ike_v2_suite *s)
{
    const struct encr_info *e = encr_lookup(s->encr);
    if (e && e->tag_len)
        return e->tag_len;
    const struct integ_info *i = integ_lookup(s->integ);
    return i ? i->icv_len : 0;
}

void ike_v2_plain_free(uint8_t *plain, size_t plain_len)
{
    if (!plain)
        return;
    sodium_memzero(plain, plain_len);
    free(plain);
}

static const EVP_CIPHER *aes_cipher(enum mode m, size_t key_len)
{
    switch (m) {
    case M_CBC:
        return key_len == 16 ? EVP_aes_128_cbc() : key_len == 24 ? EVP_aes_192_cbc()
             : key_len == 32 ? EVP_aes_256_cbc() : NULL;
    case M_CTR:
        return key_len == 16 ? EVP_aes_128_ctr() : key_len == 24 ? EVP_aes_192_ctr()
             : key_len == 32 ? EVP_aes_256_ctr() : NULL;
    case M_GCM:
        return key_len == 16 ? EVP_aes_128_gcm() : key_len == 24 ? EVP_aes_192_gcm()
             : key_len == 32 ? EVP_aes_256_gcm() : NULL;
    case M_CCM:
        return key_len == 16 ? EVP_aes_128_ccm() : key_len == 24 ? EVP_aes_192_ccm()
             : key_len == 32 ? EVP_aes_256_ccm() : NULL;
    default:
        return NULL;
    }
}

/* Plain CBC/CTR decryption without padding. */
static enum ike_dec_status evp_decrypt(const EVP_CIPHER *c, const uint8_t *key, const uint8_t *iv,
                                       const uint8_t *ct, size_t ct_len, uint8_t *out)
{
    enum ike_dec_status st = IKE_DEC_FAILED;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0;
    if (ct_len > INT_MAX)
        goto out;
    if (!ctx || !EVP_DecryptInit_ex(ctx, c, NULL, key, iv))
        goto out;
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    if (ct_len && !EVP_DecryptUpdate(ctx, out, &n, ct, (int)ct_len))
        goto out;
    if (!EVP_DecryptFinal_ex(ctx, out + n, &fin) || (size_t)(n + fin) != ct_len)
        goto out;
    st = IKE_DEC_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

enum ike_dec_status ike_raw_decrypt(uint16_t encr, const uint8_t *key, size_t key_len,
                                    const uint8_t *iv, size_t iv_len,
                                    const uint8_t *ct, size_t ct_len, uint8_t *out)
{
    const EVP_CIPHER *c;
    switch (encr) {
    case IKE_ENCR_3DES:
        if (key_len != 24)
            return IKE_DEC_BAD_KEY;
        if (iv_len != 8)
            return IKE_DEC_MALFORMED;
        if (ct_len % 8)
            return IKE_DEC_MALFORMED;
        c = EVP_des_ede3_cbc();
        break;
    case IKE_ENCR_AES_CBC:
        if (iv_len != 16 || ct_len % 16)
            return IKE_DEC_MALFORMED;
        c = aes_cipher(M_CBC, key_len);
        break;
    case IKE_ENCR_AES_CTR:
        if (iv_len != 16)
            return IKE_DEC_MALFORMED;
        c = aes_cipher(M_CTR, key_len);
        break;
    default:
        return IKE_DEC_UNSUPPORTED;
    }
    if (!c)
        return IKE_DEC_BAD_KEY;
    return evp_decrypt(c, key, iv, ct, ct_len, out);
}

enum ike_dec_status ike_aead_open(uint16_t encr, const uint8_t *key, size_t key_len,
                                  const uint8_t *nonce, size_t nonce_len,
                                  const uint8_t *aad, size_t aad_len,
                                  const uint8_t *ct, size_t ct_len,
                                  const uint8_t *tag, size_t tag_len, uint8_t *out)
{
    const struct encr_info *e = encr_lookup(encr);
    if (!e || !e->tag_len)
        return IKE_DEC_UNSUPPORTED;
    if (ct_len > INT_MAX || aad_len > INT_MAX)
        return IKE_DEC_MALFORMED;

    if (e->mode == M_CHACHA) {
        /* RFC 7634 §3: 96-bit nonce = salt | IV, 16-byte tag only. */
        if (key_len != crypto_aead_chacha20poly1305_ietf_KEYBYTES)
            return IKE_DEC_BAD_KEY;
        if (nonce_len != crypto_aead_chacha20poly1305_ietf_NPUBBYTES ||
            tag_len != crypto_aead_chacha20poly1305_ietf_ABYTES)
            return IKE_DEC_MALFORMED;
        if (sodium_init() < 0)
            return IKE_DEC_FAILED;
        if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL, ct, ct_len, tag, aad,
                                                              aad_len, nonce, key) != 0) {
            sodium_memzero(out, ct_len);
            return IKE_DEC_ICV_MISMATCH;
        }
        return IKE_DEC_OK;
    }

    const EVP_CIPHER *c = aes_cipher(e->mode, key_len);
    if (!c)
        return IKE_DEC_BAD_KEY;
    if (e->mode == M_GCM && (nonce_len == 0 || tag_len < 4 || tag_len > 16))
        return IKE_DEC_MALFORMED;
    if (e->mode == M_CCM && (nonce_len < 7 || nonce_len > 13 || tag_len < 4 || tag_len > 16 || tag_len % 2))
        return IKE_DEC_MALFORMED;

    enum ike_dec_status st = IKE_DEC_FAILED;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t dummy[1];
    uint8_t tagcopy[16];
    int n = 0;
    memcpy(tagcopy, tag, tag_len);
    if (!ctx || !EVP_DecryptInit_ex(ctx, c, NULL, NULL, NULL))
        goto out;
    if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)nonce_len, NULL))
        goto out;
    if (e->mode == M_CCM && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)tag_len, tagcopy))
        goto out;
    if (!EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce))
        goto out;
    if (e->mode == M_CCM) {
        /* CCM needs the total length before any AAD. */
        if (!EVP_DecryptUpdate(ctx, NULL, &n, NULL, (int)ct_len))
            goto out;
        if (aad_len && !EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len))
            goto out;
        if (!EVP_DecryptUpdate(ctx, ct_len ? out : dummy, &n, ct_len ? ct : dummy, (int)ct_len)) {
            st = IKE_DEC_ICV_MISMATCH;
            goto out;
        }
        st = IKE_DEC_OK;
        goto out;
    }
    if (aad_len && !EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len))
        goto out;
    if (ct_len && !EVP_DecryptUpdate(ctx, out, &n, ct, (int)ct_len))
        goto out;
    if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)tag_len, tagcopy))
        goto out;
    if (EVP_DecryptFinal_ex(ctx, dummy, &n) <= 0) {
        st = IKE_DEC_ICV_MISMATCH;
        goto out;
    }
    st = IKE_DEC_OK;
out:
    if (st != IKE_DEC_OK && ct_len)
        sodium_memzero(out, ct_len);
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

/*
 * Walk the payload chain from the header to sk_off to learn whether the
 * payload there is SK or SKF; a sk_off that is not on the chain is malformed.
 */
static bool find_sk_type(const uint8_t *msg, size_t msg_len, size_t sk_off, uint8_t *type)
{
    struct rd r = rd_make(msg, msg_len);
    uint8_t np;
    if (!rd_skip(&r, 16) || !rd_u8(&r, &np) || !rd_skip(&r, IKE_HDR - 17))
        return false;
    size_t off = IKE_HDR;
    while (off < sk_off) {
        uint8_t next, crit;
        uint16_t len;
        if (np == 0 || !rd_u8(&r, &next) || !rd_u8(&r, &crit) || !rd_u16(&r, &len))
            return false;
        if (len < 4 || !rd_skip(&r, len - 4u))  /* RFC 7296 §3.2: length includes the header */
            return false;
        off += len;
        np = next;
    }
    if (off != sk_off)
        return false;
    *type = np;
    return true;
}

enum ike_dec_status ike_v2_decrypt(const struct ike_v2_suite *s, const struct ike_secret *sk_e,
                                   const struct ike_secret *sk_a, const uint8_t *msg, size_t msg_len,
                                   size_t sk_off, uint8_t **plain, size_t *plain_len)
{
    return ike_v2_decrypt_ex(s, sk_e, sk_a, msg, msg_len, sk_off, plain, plain_len, NULL);
}

/* Constant-time ICV check of one covered range; true if it verifies. */
static bool icv_ok(const struct integ_info *ig, const struct ike_secret *sk_a, const uint8_t *p, size_t n,
                   const uint8_t *icv, enum ike_dec_status *st)
{
    uint8_t mac[IKE_PRF_MAX_OUT];
    struct ike_chunk covered = { p, n };
    if (ike_prf(ig->prf, sk_a->p, sk_a->len, &covered, 1, mac) != IKE_PRF_OK) {
        *st = IKE_DEC_FAILED;
        return false;
    }
    int diff = sodium_memcmp(mac, icv, ig->icv_len);
    sodium_memzero(mac, sizeof mac);
    *st = diff ? IKE_DEC_ICV_MISMATCH : IKE_DEC_OK;
    return diff == 0;
}

enum ike_dec_status ike_v2_decrypt_ex(const struct ike_v2_suite *s, const struct ike_secret *sk_e,
                                      const struct ike_secret *sk_a, const uint8_t *msg, size_t msg_len,
                                      size_t sk_off, uint8_t **plain, size_t *plain_len, unsigned *notes)
{
    if (notes)
        *notes = 0;
    *plain = NULL;
    *plain_len = 0;
    const struct encr_info *e = encr_lookup(s->encr);
    if (!e)
        return IKE_DEC_UNSUPPORTED;
    const struct integ_info *ig = NULL;
    if (!e->tag_len) {
        ig = integ_lookup(s->integ);
        if (!ig)
            return IKE_DEC_UNSUPPORTED;
        if (e->mode == M_NONE && !ig->prf)
            return IKE_DEC_UNSUPPORTED; /* nothing would be checked nor hidden */
    } else if (s->integ != IKE_INTEG_NONE) {
        return IKE_DEC_UNSUPPORTED;  /* RFC 5282 §8: AEAD is never combined with integrity */
    }
    size_t ekey = e->mode == M_NONE ? 0 : cipher_key_len(e, s->encr_key_bits);
    if (e->mode != M_NONE && !ekey)
        return IKE_DEC_UNSUPPORTED;
    if (e->mode != M_NONE && !ike_secret_present(sk_e))
        return IKE_DEC_NO_KEY;
    if (e->mode != M_NONE && sk_e->len != ekey + e->salt_len)
        return IKE_DEC_BAD_KEY;
    if (ig && ig->prf) {
        if (!ike_secret_present(sk_a))
            return IKE_DEC_NO_KEY;
        if (sk_a->len != ig->key_len)
            return IKE_DEC_BAD_KEY;
    }

    uint8_t type;
    if (!find_sk_type(msg, msg_len, sk_off, &type) || (type != PL_SK && type != PL_SKF))
        return IKE_DEC_MALFORMED;

    /* Generic header, then for SKF the Fragment Number and Total Fragments (RFC 7383 §2.5). */
    struct rd r = rd_make(msg, msg_len);
    struct rd pl;
    uint8_t np, crit;
    uint16_t len;
    if (!rd_skip(&r, sk_off))
        return IKE_DEC_MALFORMED;
    struct rd hdr = r;
    if (!rd_u8(&hdr, &np) || !rd_u8(&hdr, &crit) || !rd_u16(&hdr, &len))
        return IKE_DEC_MALFORMED;
    size_t hdr_len = type == PL_SKF ? 8 : 4;
    if (len < hdr_len || !rd_take(&r, len, &pl) || !rd_skip(&pl, hdr_len))
        return IKE_DEC_MALFORMED;
    size_t aad_len = sk_off + hdr_len;

    size_t icv_len = e->tag_len ? e->tag_len : ig->icv_len;
    const uint8_t *iv, *ct, *icv;
    if (pl.left < (size_t)e->iv_len + icv_len + 1)
        return IKE_DEC_MALFORMED;
    size_t ct_len = pl.left - e->iv_len - icv_len;
    if (!rd_bytes(&pl, e->iv_len, &iv) || !rd_bytes(&pl, ct_len, &ct) || !rd_bytes(&pl, icv_len, &icv))
        return IKE_DEC_MALFORMED;
    if (ct_len % e->block)
        return IKE_DEC_MALFORMED;

    uint8_t *out = malloc(ct_len);
    if (!out)
        return IKE_DEC_FAILED;
    enum ike_dec_status st;

    if (!e->tag_len) {
        /* RFC 7296 §3.14: the ICV covers the IKE header through the end of the ciphertext; checked before decrypting. */
        if (ig->prf) {
            if (!icv_ok(ig, sk_a, msg, aad_len + e->iv_len + ct_len, icv, &st)) {
                if (st != IKE_DEC_ICV_MISMATCH || !notes ||
                    !icv_ok(ig, sk_a, msg + aad_len, e->iv_len + ct_len, icv, &st))
                    goto out;
                *notes |= IKE_DEC_NOTE_LEGACY_ICV;
            }
        } else if (notes) {
            *notes |= IKE_DEC_NOTE_UNCHECKED;
        }
        if (e->mode == M_NONE) {
            memcpy(out, ct, ct_len);
            st = IKE_DEC_OK;
        } else if (e->mode == M_CTR) {
            /* RFC 5930 §2 / RFC 3686 §4: counter block = nonce (end of SK_e) | IV | 32-bit counter from 1. */
            uint8_t cb[16];
            memcpy(cb, sk_e->p + ekey, 4);
            memcpy(cb + 4, iv, 8);
            cb[12] = 0, cb[13] = 0, cb[14] = 0, cb[15] = 1;
            st = ike_raw_decrypt(s->encr, sk_e->p, ekey, cb, 16, ct, ct_len, out);
            sodium_memzero(cb, sizeof cb);
        } else {
            st = ike_raw_decrypt(s->encr, sk_e->p, ekey, iv, e->iv_len, ct, ct_len, out);
        }
    } else {
        /* RFC 5282 §4 / RFC 7634 §2: nonce = salt (end of SK_e) | 8-byte IV. */
        uint8_t nonce[12];
        memcpy(nonce, sk_e->p + ekey, e->salt_len);
        memcpy(nonce + e->salt_len, iv, 8);
        st = ike_aead_open(s->encr, sk_e->p, ekey, nonce, e->salt_len + 8u, msg, aad_len, ct, ct_len,
                           icv, icv_len, out);
        sodium_memzero(nonce, sizeof nonce);
    }
    if (st != IKE_DEC_OK)
        goto out;

    /* RFC 7296 §3.14: the last byte is the Pad Length; padding contents are arbitrary. */
    size_t pad = out[ct_len - 1];
    if (pad + 1 > ct_len) {
        st = IKE_DEC_BAD_PADDING;
        goto out;
    }
    *plain_len = ct_len - pad - 1;
    sodium_memzero(out + *plain_len, pad + 1);
    *plain = out;
    return IKE_DEC_OK;
out:
    ike_v2_plain_free(out, ct_len);
    return st;
}

size_t ike_v1_encr_key_len(uint16_t v1_encr, uint16_t key_bits)
{
    switch (v1_encr) {
    case IKE_V1_ENCR_DES_CBC:
        return 8;
    case IKE_V1_ENCR_3DES_CBC:
        return 24;
    case IKE_V1_ENCR_AES_CBC:
        /* RFC 3602 §5.3 via RFC 2409 Key Length attribute; absent means 128. */
        if (key_bits == 0)
            return 16;
        return (key_bits == 128 || key_bits == 192 || key_bits == 256) ? key_bits / 8u : 0;
    default:
        return 0;
    }
}

size_t ike_v1_block_len(uint16_t v1_encr)
{
    switch (v1_encr) {
    case IKE_V1_ENCR_DES_CBC:
    case IKE_V1_ENCR_3DES_CBC:
        return 8;
    case IKE_V1_ENCR_AES_CBC:
        return 16;
    default:
        return 0;
    }
}

enum ike_dec_status ike_v1_decrypt(uint16_t v1_encr, const struct ike_secret *ka,
                                   const uint8_t *iv, const uint8_t *msg, size_t msg_len,
                                   uint8_t **plain, size_t *plain_len, uint8_t *next_iv)
{
    *plain = NULL;
    *plain_len = 0;
    size_t bl = ike_v1_block_len(v1_encr);
    if (!bl)
        return IKE_DEC_UNSUPPORTED;
    if (!ike_secret_present(ka))
        return IKE_DEC_NO_KEY;

    struct rd r = rd_make(msg, msg_len);
    uint32_t len;
    const uint8_t *ct;
    if (!rd_skip(&r, 24) || !rd_u32(&r, &len) || len < IKE_HDR)
        return IKE_DEC_MALFORMED;
    size_t ct_len = len - IKE_HDR;
    if (!rd_bytes(&r, ct_len, &ct) || ct_len == 0 || ct_len % bl)
        return IKE_DEC_MALFORMED;

    /* Single DES is 3DES-EDE with K1 = K2 = K3, which keeps us off OpenSSL's legacy provider. */
    uint8_t key3[24];
    const uint8_t *key = ka->p;
    size_t key_len = ka->len;
    uint16_t v2id = IKE_ENCR_AES_CBC;
    if (v1_encr == IKE_V1_ENCR_DES_CBC) {
        if (ka->len != 8)
            return IKE_DEC_BAD_KEY;
        for (int i = 0; i < 3; i++)
            memcpy(key3 + 8 * i, ka->p, 8);
        key = key3;
        key_len = 24;
        v2id = IKE_ENCR_3DES;
    } else if (v1_encr == IKE_V1_ENCR_3DES_CBC) {
        v2id = IKE_ENCR_3DES;
    }
    uint8_t *out = malloc(ct_len);
    if (!out) {
        sodium_memzero(key3, sizeof key3);
        return IKE_DEC_FAILED;
    }
    enum ike_dec_status st = ike_raw_decrypt(v2id, key, key_len, iv, bl, ct, ct_len, out);
    sodium_memzero(key3, sizeof key3);
    if (st != IKE_DEC_OK) {
        ike_v2_plain_free(out, ct_len);
        return st;
    }
    memcpy(next_iv, ct + ct_len - bl, bl);
    *plain = out;
    *plain_len = ct_len;
    return IKE_DEC_OK;
}
