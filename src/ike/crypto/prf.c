/* prf.c: HMAC, AES-XCBC (RFC 3566/4434), AES-CMAC (RFC 4493/4615) PRFs and prf+ (RFC 7296 §2.13). */
#include "ike/crypto/prf.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

struct prf_info {
    const char *digest;  /* OpenSSL digest name for HMAC, NULL for AES based */
    size_t out_len;
};

static const struct prf_info prf_table[] = {
    [IKE_PRF_HMAC_MD5] = { "MD5", 16 },
    [IKE_PRF_HMAC_SHA1] = { "SHA1", 20 },
    [IKE_PRF_AES128_XCBC] = { NULL, 16 },
    [IKE_PRF_HMAC_SHA2_256] = { "SHA256", 32 },
    [IKE_PRF_HMAC_SHA2_384] = { "SHA384", 48 },
    [IKE_PRF_HMAC_SHA2_512] = { "SHA512", 64 },
    [IKE_PRF_AES128_CMAC] = { NULL, 16 },
};

static const struct prf_info *prf_lookup(uint16_t prf)
{
    if (prf >= sizeof prf_table / sizeof prf_table[0] || prf_table[prf].out_len == 0)
        return NULL;
    return &prf_table[prf];
}

size_t ike_prf_out_len(uint16_t prf)
{
    const struct prf_info *pi = prf_lookup(prf);
    return pi ? pi->out_len : 0;
}

size_t ike_prf_key_len(uint16_t prf)
{
    return ike_prf_out_len(prf);
}

static enum ike_prf_status hmac(const char *digest, const uint8_t *key, size_t key_len,
                                const struct ike_chunk *data, size_t n_data, uint8_t *out,
                                size_t out_len)
{
    static const uint8_t empty_key[1];
    enum ike_prf_status st = IKE_PRF_FAILED;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
        OSSL_PARAM_construct_end(),
    };
    size_t got = 0;
    if (!ctx)
        goto out;
    /* OpenSSL wants a key pointer even for the (legal) empty key. */
    if (!EVP_MAC_init(ctx, key_len ? key : empty_key, key_len, params))
        goto out;
    for (size_t i = 0; i < n_data; i++)
        if (data[i].len && !EVP_MAC_update(ctx, data[i].p, data[i].len))
            goto out;
    if (!EVP_MAC_final(ctx, out, &got, out_len) || got != out_len)
        goto out;
    st = IKE_PRF_OK;
out:
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return st;
}

enum ike_prf_status ike_aes_cmac(const uint8_t key[16], const struct ike_chunk *data,
                                 size_t n_data, uint8_t out[16])
{
    enum ike_prf_status st = IKE_PRF_FAILED;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)"AES-128-CBC", 0),
        OSSL_PARAM_construct_end(),
    };
    size_t got = 0;
    if (!ctx || !EVP_MAC_init(ctx, key, 16, params))
        goto out;
    for (size_t i = 0; i < n_data; i++)
        if (data[i].len && !EVP_MAC_update(ctx, data[i].p, data[i].len))
            goto out;
    if (!EVP_MAC_final(ctx, out, &got, 16) || got != 16)
        goto out;
    st = IKE_PRF_OK;
out:
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return st;
}

/* One AES-128 block encryption with `ctx` already keyed for ECB without padding. */
static bool aes_block(EVP_CIPHER_CTX *ctx, const uint8_t in[16], uint8_t out[16])
{
    int n = 0;
    return EVP_EncryptUpdate(ctx, out, &n, in, 16) && n == 16;
}

enum ike_prf_status ike_aes_xcbc_mac(const uint8_t key[16], const struct ike_chunk *data,
                                     size_t n_data, uint8_t out[16])
{
    /* RFC 3566 §4: K1 = E(K, 0x01..), K2 = E(K, 0x02..), K3 = E(K, 0x03..). */
    enum ike_prf_status st = IKE_PRF_FAILED;
    uint8_t k[3][16], c[16 * 3], e[16] = { 0 }, blk[16];
    EVP_CIPHER_CTX *kc = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX *mc = EVP_CIPHER_CTX_new();
    memset(c, 1, 16);
    memset(c + 16, 2, 16);
    memset(c + 32, 3, 16);
    if (!kc || !mc || !EVP_EncryptInit_ex(kc, EVP_aes_128_ecb(), NULL, key, NULL))
        goto out;
    EVP_CIPHER_CTX_set_padding(kc, 0);
    for (int i = 0; i < 3; i++)
        if (!aes_block(kc, c + 16 * i, k[i]))
            goto out;
    if (!EVP_EncryptInit_ex(mc, EVP_aes_128_ecb(), NULL, k[0], NULL))
        goto out;
    EVP_CIPHER_CTX_set_padding(mc, 0);

    size_t total = 0;
    for (size_t i = 0; i < n_data; i++)
        total += data[i].len;
    /* Walk the message 16 bytes at a time; the last block (full or partial) is special. */
    size_t fill = 0;
    for (size_t i = 0; i < n_data; i++) {
        for (size_t j = 0; j < data[i].len; j++) {
            if (fill == 16) {
                for (int b = 0; b < 16; b++)
                    blk[b] ^= e[b];
                if (!aes_block(mc, blk, e))
                    goto out;
                fill = 0;
            }
            blk[fill++] = data[i].p[j];
        }
    }
    if (total > 0 && fill == 16) {
        for (int b = 0; b < 16; b++)
            blk[b] ^= e[b] ^ k[1][b];
    } else {
        blk[fill] = 0x80;
        for (size_t b = fill + 1; b < 16; b++)
            blk[b] = 0;
        for (int b = 0; b < 16; b++)
            blk[b] ^= e[b] ^ k[2][b];
    }
    if (!aes_block(mc, blk, out))
        goto out;
    st = IKE_PRF_OK;
out:
    sodium_memzero(k, sizeof k);
    sodium_memzero(e, sizeof e);
    sodium_memzero(blk, sizeof blk);
    EVP_CIPHER_CTX_free(kc);
    EVP_CIPHER_CTX_free(mc);
    return st;
}

enum ike_prf_status ike_prf(uint16_t prf, const uint8_t *key, size_t key_len,
                            const struct ike_chunk *data, size_t n_data, uint8_t *out)
{
    const struct prf_info *pi = prf_lookup(prf);
    if (!pi)
        return IKE_PRF_UNSUPPORTED;
    if (pi->digest)
        return hmac(pi->digest, key, key_len, data, n_data, out, pi->out_len);

    static const uint8_t zero[16];
    uint8_t k[16];
    enum ike_prf_status st;
    struct ike_chunk kc = { key, key_len };
    if (prf == IKE_PRF_AES128_XCBC) {
        /* RFC 4434 §2: shorter keys are zero-padded, longer ones compressed with a zero key. */
        if (key_len <= 16) {
            memset(k, 0, sizeof k);
            if (key_len)
                memcpy(k, key, key_len);
            st = IKE_PRF_OK;
        } else {
            st = ike_aes_xcbc_mac(zero, &kc, 1, k);
        }
        if (st == IKE_PRF_OK)
            st = ike_aes_xcbc_mac(k, data, n_data, out);
    } else {
        /* RFC 4615 §3: any key that is not exactly 16 bytes is compressed with a zero key. */
        if (key_len == 16) {
            memcpy(k, key, 16);
            st = IKE_PRF_OK;
        } else {
            st = ike_aes_cmac(zero, &kc, 1, k);
        }
        if (st == IKE_PRF_OK)
            st = ike_aes_cmac(k, data, n_data, out);
    }
    sodium_memzero(k, sizeof k);
    return st;
}

enum ike_prf_status ike_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
                                 const struct ike_chunk *seed, size_t n_seed,
                                 uint8_t *out, size_t out_len)
{
    size_t bl = ike_prf_out_len(prf);
    if (!bl)
        return IKE_PRF_UNSUPPORTED;
    if (out_len > 255 * bl || n_seed > 30)
        return IKE_PRF_BAD_INPUT;
    uint8_t t[IKE_PRF_MAX_OUT];
    uint8_t ctr = 0;
    struct ike_chunk parts[32];
    enum ike_prf_status st = IKE_PRF_OK;
    size_t done = 0;
    while (done < out_len) {
        size_t np = 0;
        if (ctr > 0)
            parts[np++] = (struct ike_chunk){ t, bl };
        for (size_t i = 0; i < n_seed; i++)
            parts[np++] = seed[i];
        ctr++;
        parts[np++] = (struct ike_chunk){ &ctr, 1 };
        st = ike_prf(prf, key, key_len, parts, np, t);
        if (st != IKE_PRF_OK)
            break;
        size_t take = out_len - done < bl ? out_len - done : bl;
        memcpy(out + done, t, take);
        done += take;
    }
    sodium_memzero(t, sizeof t);
    if (st != IKE_PRF_OK)
        sodium_memzero(out, out_len);
    return st;
}

enum ike_prf_status ike_prf_hash(uint16_t prf, const struct ike_chunk *data, size_t n_data,
                                 uint8_t *out)
{
    const struct prf_info *pi = prf_lookup(prf);
    if (!pi || !pi->digest)
        return IKE_PRF_UNSUPPORTED;
    enum ike_prf_status st = IKE_PRF_FAILED;
    EVP_MD *md = EVP_MD_fetch(NULL, pi->digest, NULL);
    EVP_MD_CTX *ctx = md ? EVP_MD_CTX_new() : NULL;
    unsigned int got = 0;
    if (!ctx || !EVP_DigestInit_ex(ctx, md, NULL))
        goto out;
    for (size_t i = 0; i < n_data; i++)
        if (data[i].len && !EVP_DigestUpdate(ctx, data[i].p, data[i].len))
            goto out;
    if (!EVP_DigestFinal_ex(ctx, out, &got) || got != pi->out_len)
        goto out;
    st = IKE_PRF_OK;
out:
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return st;
}
