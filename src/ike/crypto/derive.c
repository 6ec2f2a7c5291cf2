/* derive.c: IKEv2 (RFC 7296 §2.14, §2.18) and IKEv1 (RFC 2409 §5, Appendix B) key derivation. */
#include "ike/crypto/derive.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

void ike_v2_keymat_free(struct ike_v2_keymat *k)
{
    ike_secret_free(&k->skeyseed);
    ike_secret_free(&k->sk_d);
    ike_secret_free(&k->sk_ai);
    ike_secret_free(&k->sk_ar);
    ike_secret_free(&k->sk_ei);
    ike_secret_free(&k->sk_er);
    ike_secret_free(&k->sk_pi);
    ike_secret_free(&k->sk_pr);
}

/* out = prf(key, parts...) as a fresh secret. */
static enum ike_prf_status prf_secret(uint16_t prf, const uint8_t *key, size_t key_len,
                                      const struct ike_chunk *parts, size_t n, struct ike_secret *out)
{
    uint8_t buf[IKE_PRF_MAX_OUT];
    size_t ol = ike_prf_out_len(prf);
    if (!ol)
        return IKE_PRF_UNSUPPORTED;
    enum ike_prf_status st = ike_prf(prf, key, key_len, parts, n, buf);
    if (st == IKE_PRF_OK && ike_secret_set(out, buf, ol) != IKE_SECRET_OK)
        st = IKE_PRF_FAILED;
    sodium_memzero(buf, sizeof buf);
    return st;
}

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

enum ike_prf_status ike_v2_skeyseed(uint16_t prf, const uint8_t *g_ir, size_t g_ir_len,
                                    const uint8_t *ni, size_t ni_len,
                                    const uint8_t *nr, size_t nr_len,
                                    struct ike_secret *skeyseed)
{
    if (ni_len > 1024 || nr_len > 1024)
        return IKE_PRF_BAD_INPUT;
    size_t a = ni_len, b = nr_len;
    if (prf == IKE_PRF_AES128_XCBC || prf == IKE_PRF_AES128_CMAC) {
        /* RFC 7296 §2.14: only the first 64 bits of Ni and of Nr key these two PRFs. */
        a = min_sz(a, 8);
        b = min_sz(b, 8);
    }
    uint8_t key[2048];
    if (a)
        memcpy(key, ni, a);
    if (b)
        memcpy(key + a, nr, b);
    struct ike_chunk data = { g_ir, g_ir_len };
    enum ike_prf_status st = prf_secret(prf, key, a + b, &data, 1, skeyseed);
    sodium_memzero(key, a + b);
    return st;
}

enum ike_prf_status ike_v2_skeyseed_rekey(uint16_t prf, const struct ike_secret *old_sk_d,
                                          const uint8_t *g_ir, size_t g_ir_len,
                                          const uint8_t *ni, size_t ni_len,
                                          const uint8_t *nr, size_t nr_len,
                                          struct ike_secret *skeyseed)
{
    struct ike_chunk data[3] = { { g_ir, g_ir_len }, { ni, ni_len }, { nr, nr_len } };
    return prf_secret(prf, old_sk_d->p, old_sk_d->len, data, 3, skeyseed);
}

enum ike_prf_status ike_v2_derive_keys(const struct ike_v2_suite *s, const struct ike_secret *skeyseed,
                                       const uint8_t *ni, size_t ni_len,
                                       const uint8_t *nr, size_t nr_len,
                                       const uint8_t spi_i[8], const uint8_t spi_r[8],
                                       struct ike_v2_keymat *out)
{
    if (!ike_v2_suite_supported(s) || !ike_prf_out_len(s->prf))
        return IKE_PRF_UNSUPPORTED;
    size_t lp = ike_prf_key_len(s->prf);
    size_t la = ike_v2_encr_is_aead(s->encr) ? 0 : ike_v2_integ_key_len(s->integ);
    size_t le = ike_v2_encr_key_len(s);
    size_t lens[7] = { lp, la, la, le, le, lp, lp };
    struct ike_secret *dst[7] = { &out->sk_d, &out->sk_ai, &out->sk_ar, &out->sk_ei,
                                  &out->sk_er, &out->sk_pi, &out->sk_pr };
    size_t total = 0;
    for (int i = 0; i < 7; i++)
        total += lens[i];
    uint8_t *buf = malloc(total);
    if (!buf)
        return IKE_PRF_FAILED;
    struct ike_chunk seed[4] = { { ni, ni_len }, { nr, nr_len }, { spi_i, 8 }, { spi_r, 8 } };
    enum ike_prf_status st = ike_prf_plus(s->prf, skeyseed->p, skeyseed->len, seed, 4, buf, total);
    size_t off = 0;
    for (int i = 0; i < 7 && st == IKE_PRF_OK; i++) {
        if (ike_secret_set(dst[i], buf + off, lens[i]) != IKE_SECRET_OK)
            st = IKE_PRF_FAILED;
        off += lens[i];
    }
    sodium_memzero(buf, total);
    free(buf);
    return st;
}

uint16_t ike_v1_hash_prf(uint16_t v1_hash)
{
    static const uint16_t map[] = {
        [IKE_V1_HASH_MD5] = IKE_PRF_HMAC_MD5,
        [IKE_V1_HASH_SHA1] = IKE_PRF_HMAC_SHA1,
        [IKE_V1_HASH_SHA2_256] = IKE_PRF_HMAC_SHA2_256,
        [IKE_V1_HASH_SHA2_384] = IKE_PRF_HMAC_SHA2_384,
        [IKE_V1_HASH_SHA2_512] = IKE_PRF_HMAC_SHA2_512,
    };
    return v1_hash < sizeof map / sizeof map[0] ? map[v1_hash] : 0;
}

enum ike_prf_status ike_v1_skeyid_sig(uint16_t v1_hash, const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len,
                                      const uint8_t *g_xy, size_t g_xy_len, struct ike_secret *skeyid)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    if (ni_len > 1024 || nr_len > 1024)
        return IKE_PRF_BAD_INPUT;
    uint8_t key[2048];
    if (ni_len)
        memcpy(key, ni, ni_len);
    if (nr_len)
        memcpy(key + ni_len, nr, nr_len);
    struct ike_chunk data = { g_xy, g_xy_len };
    enum ike_prf_status st = prf_secret(prf, key, ni_len + nr_len, &data, 1, skeyid);
    sodium_memzero(key, ni_len + nr_len);
    return st;
}

enum ike_prf_status ike_v1_skeyid_psk(uint16_t v1_hash, const struct ike_secret *psk,
                                      const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len, struct ike_secret *skeyid)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    struct ike_chunk data[2] = { { ni, ni_len }, { nr, nr_len } };
    return prf_secret(prf, psk->p, psk->len, data, 2, skeyid);
}

enum ike_prf_status ike_v1_skeyid_pke(uint16_t v1_hash, const uint8_t *ni, size_t ni_len,
                                      const uint8_t *nr, size_t nr_len,
                                      const uint8_t cky_i[8], const uint8_t cky_r[8],
                                      struct ike_secret *skeyid)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    uint8_t h[IKE_PRF_MAX_OUT];
    struct ike_chunk n[2] = { { ni, ni_len }, { nr, nr_len } };
    enum ike_prf_status st = ike_prf_hash(prf, n, 2, h);
    if (st == IKE_PRF_OK) {
        struct ike_chunk c[2] = { { cky_i, 8 }, { cky_r, 8 } };
        st = prf_secret(prf, h, ike_prf_out_len(prf), c, 2, skeyid);
    }
    sodium_memzero(h, sizeof h);
    return st;
}

enum ike_prf_status ike_v1_skeyid_derive(uint16_t v1_hash, const struct ike_secret *skeyid,
                                         const uint8_t *g_xy, size_t g_xy_len,
                                         const uint8_t cky_i[8], const uint8_t cky_r[8],
                                         struct ike_secret *skeyid_d, struct ike_secret *skeyid_a,
                                         struct ike_secret *skeyid_e)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    static const uint8_t n0 = 0, n1 = 1, n2 = 2;
    struct ike_chunk d[4] = { { g_xy, g_xy_len }, { cky_i, 8 }, { cky_r, 8 }, { &n0, 1 } };
    enum ike_prf_status st = prf_secret(prf, skeyid->p, skeyid->len, d, 4, skeyid_d);
    if (st != IKE_PRF_OK)
        return st;
    struct ike_chunk a[5] = { { skeyid_d->p, skeyid_d->len }, { g_xy, g_xy_len }, { cky_i, 8 },
                              { cky_r, 8 }, { &n1, 1 } };
    st = prf_secret(prf, skeyid->p, skeyid->len, a, 5, skeyid_a);
    if (st != IKE_PRF_OK)
        return st;
    struct ike_chunk e[5] = { { skeyid_a->p, skeyid_a->len }, { g_xy, g_xy_len }, { cky_i, 8 },
                              { cky_r, 8 }, { &n2, 1 } };
    return prf_secret(prf, skeyid->p, skeyid->len, e, 5, skeyid_e);
}

enum ike_prf_status ike_v1_enc_key(uint16_t v1_hash, const struct ike_secret *skeyid_e,
                                   size_t key_len, struct ike_secret *ka)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    if (key_len == 0 || key_len > 256)
        return IKE_PRF_BAD_INPUT;
    if (skeyid_e->len >= key_len)
        return ike_secret_set(ka, skeyid_e->p, key_len) == IKE_SECRET_OK ? IKE_PRF_OK : IKE_PRF_FAILED;
    /* RFC 2409 Appendix B: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1). */
    uint8_t buf[256 + IKE_PRF_MAX_OUT];
    size_t ol = ike_prf_out_len(prf), have = 0;
    static const uint8_t zero = 0;
    enum ike_prf_status st = IKE_PRF_OK;
    while (have < key_len && st == IKE_PRF_OK) {
        struct ike_chunk in = have ? (struct ike_chunk){ buf + have - ol, ol }
                                   : (struct ike_chunk){ &zero, 1 };
        st = ike_prf(prf, skeyid_e->p, skeyid_e->len, &in, 1, buf + have);
        have += ol;
    }
    if (st == IKE_PRF_OK && ike_secret_set(ka, buf, key_len) != IKE_SECRET_OK)
        st = IKE_PRF_FAILED;
    sodium_memzero(buf, sizeof buf);
    return st;
}

enum ike_prf_status ike_v1_phase1_iv(uint16_t v1_hash, const uint8_t *g_xi, size_t g_xi_len,
                                     const uint8_t *g_xr, size_t g_xr_len,
                                     size_t block_len, uint8_t *iv)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    if (block_len == 0 || block_len > ike_prf_out_len(prf))
        return IKE_PRF_BAD_INPUT;
    uint8_t h[IKE_PRF_MAX_OUT];
    struct ike_chunk d[2] = { { g_xi, g_xi_len }, { g_xr, g_xr_len } };
    enum ike_prf_status st = ike_prf_hash(prf, d, 2, h);
    if (st == IKE_PRF_OK)
        memcpy(iv, h, block_len);
    sodium_memzero(h, sizeof h);
    return st;
}

enum ike_prf_status ike_v1_phase2_iv(uint16_t v1_hash, const uint8_t *last_p1_block,
                                     size_t block_len, uint32_t msg_id, uint8_t *iv)
{
    uint16_t prf = ike_v1_hash_prf(v1_hash);
    if (!prf)
        return IKE_PRF_UNSUPPORTED;
    if (block_len == 0 || block_len > ike_prf_out_len(prf))
        return IKE_PRF_BAD_INPUT;
    uint8_t mid[4] = { (uint8_t)(msg_id >> 24), (uint8_t)(msg_id >> 16), (uint8_t)(msg_id >> 8),
                       (uint8_t)msg_id };
    uint8_t h[IKE_PRF_MAX_OUT];
    struct ike_chunk d[2] = { { last_p1_block, block_len }, { mid, 4 } };
    enum ike_prf_status st = ike_prf_hash(prf, d, 2, h);
    if (st == IKE_PRF_OK)
        memcpy(iv, h, block_len);
    sodium_memzero(h, sizeof h);
    return st;
}
