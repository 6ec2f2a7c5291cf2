/* sa_decrypt.c: finds the keys of an SA in the key store (by SPIs, or by trying key sets
 * that name none until an ICV verifies), decrypts SK and SKF payloads (RFC 7296 §3.14,
 * RFC 7383 §2.6) and IKEv1 encrypted bodies (RFC 2409 Appendix B), and hands the
 * plaintext to the parser. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/derive.h"
#include "ike/crypto/keyset.h"
#include "ike/payloads.h"
#include "ike/sa_crypto.h"

void ike_sa_frag_reset(struct frag_set *f)
{
    for (size_t i = 0; i < MAX_FRAGMENTS; i++)
        if (f->part[i])
            ike_v2_plain_free(f->part[i], f->len[i]);
    memset(f, 0, sizeof *f);
}

void ike_sa_crypto_free(struct ike_sa *sa)
{
    struct sa_crypto *c = sa->crypto;
    if (!c)
        return;
    ike_sa_frag_reset(&c->frag[0]);
    ike_sa_frag_reset(&c->frag[1]);
    ike_sa_frag_reset(&c->v1_frag[0]);
    ike_sa_frag_reset(&c->v1_frag[1]);
    ike_keyset_cleanup(&c->derived);
    ike_secret_free(&c->v1_ka);
    sodium_memzero(c, sizeof *c);
    free(c);
    sa->crypto = NULL;
}

struct sa_crypto *ike_sa_crypto_get(struct ike_sa *sa)
{
    if (!sa->crypto)
        sa->crypto = calloc(1, sizeof(struct sa_crypto));
    return sa->crypto;
}

static const struct ike_payload *encrypted_payload(const struct ike_msg *m)
{
    for (size_t i = 0; i < m->npayloads; i++)
        if (!m->payloads[i].inner && (m->payloads[i].type == IKE2_PL_SK || m->payloads[i].type == IKE2_PL_SKF))
            return &m->payloads[i];
    return NULL;
}

static struct ike_v2_suite negotiated(const struct ike_sa *sa)
{
    struct ike_v2_suite s = { sa->encr, sa->encr_key_bits, sa->integ, sa->prf };
    return s;
}

/* The nonces of IKE_SA_INIT (bodies of the Ni and Nr payloads). */
static bool find_nonces(const struct ike_sa *sa, const struct ike_payload **ni, const struct ike_payload **nr)
{
    *ni = *nr = NULL;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != IKE2_EXCH_SA_INIT)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++)
            if (sm->msg.payloads[k].type == IKE2_PL_NONCE)
                *(sm->from_initiator ? ni : nr) = &sm->msg.payloads[k];
    }
    return *ni && *nr;
}

/* A key set with only a DH secret or SKEYSEED: derive this SA's keys from it. */
static const struct ike_keyset *derive_for(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keyset *src)
{
    const struct ike_payload *ni, *nr;
    struct ike_v2_suite s = negotiated(sa);
    if (!s.encr || !s.prf || !find_nonces(sa, &ni, &nr))
        return NULL;
    if (ike_v2_keyset_derive(src, &s, ni->body, ni->body_len, nr->body, nr->body_len, sa->spi_i, sa->spi_r,
                             &c->derived) != 0)
        return NULL;
    return &c->derived;
}

/* Tries one key set on the message; on success it becomes the SA's. */
static enum ike_dec_status try_set(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keyset *ks,
                                   struct ike_sa_msg *sm, size_t sk_off, uint8_t **plain, size_t *len,
                                   unsigned *notes)
{
    if (ks->version && ks->version != 2)
        return IKE_DEC_NO_KEY;
    if (!ike_keyset_has_v2_keys(ks)) {
        ks = derive_for(sa, c, ks);
        if (!ks)
            return IKE_DEC_NO_KEY;
    }
    struct ike_v2_suite s = negotiated(sa);
    enum ike_dec_status st = ike_v2_try_decrypt_with_keyset(ks, s.encr ? &s : NULL, sm->from_initiator,
                                                            sm->msg.raw, sm->msg.raw_len, sk_off, plain,
                                                            len, notes);
    if (st == IKE_DEC_OK)
        c->ks = ks;
    return st;
}

/* Keys given for these SPIs that fail: are the directions swapped? */
static bool keys_swapped(struct ike_sa *sa, const struct ike_keyset *ks, struct ike_sa_msg *sm, size_t sk_off)
{
    uint8_t *plain = NULL;
    size_t len = 0;
    unsigned notes = 0;
    struct ike_v2_suite s = negotiated(sa);
    enum ike_dec_status st = ike_v2_try_decrypt_with_keyset(ks, s.encr ? &s : NULL, !sm->from_initiator,
                                                            sm->msg.raw, sm->msg.raw_len, sk_off, &plain,
                                                            &len, &notes);
    if (plain)
        ike_v2_plain_free(plain, len);
    return st == IKE_DEC_OK;
}

/* A set given by SPI (a Wireshark table, a pluto log) carries no SK_pi/SK_pr; a charon log
 * given beside it may hold the same SA's keys with them, which AUTH verification needs.
 * Such a set (no SPIs, SK_pi present) counts as the same SA's when it opens this message. */
static const struct ike_keyset *fuller_unnamed(struct ike_sa *sa, const struct ike_keystore *keys,
                                               struct ike_sa_msg *sm, size_t sk_off)
{
    struct ike_v2_suite s = negotiated(sa);
    size_t n = ike_keystore_count(keys);
    for (size_t i = 0; i < n; i++) {
        const struct ike_keyset *ks = ike_keystore_get(keys, i);
        if (ks->has_spis || !ks->sk_pi.len || !ike_keyset_has_v2_keys(ks) || (ks->version && ks->version != 2))
            continue;
        uint8_t *plain = NULL;
        size_t len = 0;
        unsigned notes = 0;
        enum ike_dec_status st = ike_v2_try_decrypt_with_keyset(ks, s.encr ? &s : NULL, sm->from_initiator,
                                                                sm->msg.raw, sm->msg.raw_len, sk_off, &plain,
                                                                &len, &notes);
        if (plain)
            ike_v2_plain_free(plain, len);
        if (st == IKE_DEC_OK)
            return ks;
    }
    return NULL;
}

static enum ike_dec_status decrypt_v2(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keystore *keys,
                                      struct ike_sa_msg *sm, size_t sk_off, uint8_t **plain, size_t *len,
                                      unsigned *notes)
{
    if (c->ks)
        return try_set(sa, c, c->ks, sm, sk_off, plain, len, notes);

    const struct ike_keyset *by_spi = ike_keystore_find_by_spi(keys, 2, sa->spi_i, sa->spi_r);
    if (by_spi) {
        enum ike_dec_status st = try_set(sa, c, by_spi, sm, sk_off, plain, len, notes);
        if (st == IKE_DEC_OK) {
            const struct ike_keyset *fuller = by_spi->sk_pi.len || !ike_keystore_has_unnamed_sk_p(keys)
                                                  ? NULL
                                                  : fuller_unnamed(sa, keys, sm, sk_off);
            if (fuller)
                c->ks = fuller;
            return st;
        }
        sa->keys = st == IKE_DEC_ICV_MISMATCH && keys_swapped(sa, by_spi, sm, sk_off) ? IKE_SA_KEYS_SWAPPED
                                                                                      : IKE_SA_KEYS_WRONG;
        return st;
    }
    /* Key sets without SPIs (charon logs): the one whose ICV verifies. */
    size_t n = ike_keystore_count(keys);
    for (size_t i = 0; i < n; i++) {
        const struct ike_keyset *ks = ike_keystore_get(keys, i);
        if (ks->has_spis)
            continue;
        if (try_set(sa, c, ks, sm, sk_off, plain, len, notes) == IKE_DEC_OK)
            return IKE_DEC_OK;
        ike_keyset_cleanup(&c->derived);
    }
    return IKE_DEC_NO_KEY;
}

static void note_status(struct ike_sa_msg *sm, enum ike_dec_status st)
{
    switch (st) {
    case IKE_DEC_OK: sm->decrypt = IKE_DECRYPT_OK; break;
    case IKE_DEC_NO_KEY: sm->decrypt = IKE_DECRYPT_NO_KEYS; break;
    case IKE_DEC_ICV_MISMATCH:
        sm->decrypt = IKE_DECRYPT_ICV_MISMATCH;
        ike_msg_anomaly(&sm->msg, IKE_AN_ICV_MISMATCH);
        break;
    case IKE_DEC_UNSUPPORTED: sm->decrypt = IKE_DECRYPT_UNSUPPORTED; break;
    default:
        sm->decrypt = IKE_DECRYPT_FAILED;
        ike_msg_anomaly(&sm->msg, IKE_AN_DECRYPT_FAILED);
        break;
    }
}

/* RFC 7383 §2.6.2: fragments are decrypted one by one and the message is
 * rebuilt once all have arrived; only fragment 1 names the first payload. */
static void add_fragment(struct sa_crypto *c, struct ike_sa_msg *sm, const struct ike_payload *skf,
                         uint8_t *plain, size_t len)
{
    struct frag_set *f = &c->frag[sm->from_initiator];
    uint16_t num = skf->frag_num, total = skf->frag_total;
    if (!f->active || f->msg_id != sm->msg.msg_id || f->total != total) {
        ike_sa_frag_reset(f);
        f->active = true;
        f->msg_id = sm->msg.msg_id;
        f->total = total;
    }
    sm->decrypt = IKE_DECRYPT_FRAGMENT;
    if (num == 0 || num > total || total > MAX_FRAGMENTS || f->part[num - 1]) {
        if (num == 0 || num > total)
            ike_msg_anomaly(&sm->msg, IKE_AN_FRAG_INCONSISTENT);
        ike_v2_plain_free(plain, len); /* duplicate (retransmission) or impossible */
        return;
    }
    f->part[num - 1] = plain;
    f->len[num - 1] = len;
    f->have++;
    if (num == 1)
        f->first_type = skf->next_inner;
    if (f->have < total)
        return;
    size_t sum = 0;
    for (size_t i = 0; i < total; i++)
        sum += f->len[i];
    uint8_t *whole = malloc(sum ? sum : 1);
    if (!whole)
        return;
    size_t off = 0;
    for (size_t i = 0; i < total; i++) {
        memcpy(whole + off, f->part[i], f->len[i]);
        off += f->len[i];
    }
    uint8_t first = f->first_type;
    ike_sa_frag_reset(f);
    ike_msg_add_inner(&sm->msg, first, whole, sum);
    sm->decrypt = IKE_DECRYPT_OK;
}

void ike_sa_decrypt_msg(struct ike_sa *sa, size_t idx, const struct ike_keystore *keys)
{
    struct ike_sa_msg *sm = &sa->msgs[idx];
    if (sa->version == 1 && ike_sa_v1_fragment(sa, sm, keys))
        return;
    if (!sm->msg.encrypted) {
        sm->decrypt = IKE_DECRYPT_NOT_NEEDED;
        return;
    }
    sm->decrypt = IKE_DECRYPT_NO_KEYS;
    if (!keys || ike_keystore_count(keys) == 0)
        return;
    if (sa->keys == IKE_SA_KEYS_NOT_GIVEN)
        sa->keys = IKE_SA_KEYS_NONE_MATCH;
    struct sa_crypto *c = ike_sa_crypto_get(sa);
    if (!c)
        return;
    if (sa->version == 1) {
        ike_sa_decrypt_v1(sa, c, keys, sm);
        return;
    }
    const struct ike_payload *sk = encrypted_payload(&sm->msg);
    if (!sk)
        return;
    size_t sk_off = (size_t)(sk->body - sm->msg.raw) - 4;
    uint8_t *plain = NULL;
    size_t len = 0;
    unsigned notes = 0;
    enum ike_dec_status st = decrypt_v2(sa, c, keys, sm, sk_off, &plain, &len, &notes);
    note_status(sm, st);
    if (st != IKE_DEC_OK)
        return;
    sa->keys = IKE_SA_KEYS_MATCHED;
    if (notes & IKE_DEC_NOTE_LEGACY_ICV)
        ike_msg_anomaly(&sm->msg, IKE_AN_LEGACY_ICV);
    if (sk->type == IKE2_PL_SKF) {
        add_fragment(c, sm, sk, plain, len);
        return;
    }
    if (ike_msg_add_inner(&sm->msg, sk->next_inner, plain, len) == IKE_PARSE_NOMEM)
        sm->decrypt = IKE_DECRYPT_FAILED;
}

const struct ike_keyset *ike_sa_keyset(const struct ike_sa *sa)
{
    const struct sa_crypto *c = sa->crypto;
    return c ? c->ks : NULL;
}

const struct ike_secret *ike_sa_v1_enc_key(const struct ike_sa *sa)
{
    const struct sa_crypto *c = sa->crypto;
    return c && c->v1_ka.len ? &c->v1_ka : NULL;
}
