/* keyset.c: key sets, the key store, trying keys on a message and deriving SA keys (RFC 7296 §2.14). */
#include "ike/crypto/keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/derive.h"

/* An index of the sets that name SPIs, by initiator SPI, built once the files are loaded
 * (ike_keystore_index): a capture with thousands of SAs and a key table as long looks each
 * SA up in constant time instead of scanning the table. */
#define NO_SET SIZE_MAX
struct spi_index {
    size_t *head;  /* per bucket: the lowest set index in it, or NO_SET */
    size_t *next;  /* per set: the next higher set index in its bucket, or NO_SET */
    size_t nbuckets;
};

struct ike_keystore {
    struct ike_keyset **sets;
    size_t n, cap;
    struct spi_index index; /* empty (head NULL) when not built or out of date */
    size_t unnamed_with_sk_p;  /* sets without SPIs that carry SK_pi, counted ... */
    bool unnamed_counted;      /* ... since the last change */
};

static void index_drop(struct ike_keystore *ks)
{
    ks->unnamed_counted = false;
    free(ks->index.head);
    free(ks->index.next);
    ks->index = (struct spi_index){ NULL, NULL, 0 };
}

static size_t spi_bucket(const uint8_t spi[8], size_t nbuckets)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 8; i++)
        h = (h ^ spi[i]) * 1099511628211ull;
    return (size_t)(h % nbuckets);
}

void ike_keystore_index(struct ike_keystore *ks)
{
    if (!ks)
        return;
    index_drop(ks);
    ks->unnamed_with_sk_p = 0;
    for (size_t i = 0; i < ks->n; i++)
        ks->unnamed_with_sk_p += !ks->sets[i]->has_spis && ks->sets[i]->sk_pi.len;
    ks->unnamed_counted = true;
    if (ks->n < 8)
        return; /* a scan is as fast */
    size_t nb = ks->n * 2;
    size_t *head = malloc(nb * sizeof *head), *next = malloc(ks->n * sizeof *next);
    if (!head || !next) {
        free(head);
        free(next);
        return; /* lookups fall back to the scan */
    }
    for (size_t b = 0; b < nb; b++)
        head[b] = NO_SET;
    /* Backwards, so that every bucket lists its sets in load order. */
    for (size_t i = ks->n; i-- > 0;) {
        next[i] = NO_SET;
        if (!ks->sets[i]->has_spis)
            continue;
        size_t b = spi_bucket(ks->sets[i]->spi_i, nb);
        next[i] = head[b];
        head[b] = i;
    }
    ks->index = (struct spi_index){ head, next, nb };
}

void ike_keyset_cleanup(struct ike_keyset *ks)
{
    struct ike_secret *all[] = {
        &ks->sk_d, &ks->sk_ai, &ks->sk_ar, &ks->sk_ei, &ks->sk_er, &ks->sk_pi, &ks->sk_pr,
        &ks->dh_secret, &ks->skeyseed, &ks->v1_enc_key, &ks->skeyid, &ks->skeyid_d,
        &ks->skeyid_a, &ks->skeyid_e, &ks->v1_iv, &ks->psk,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ike_secret_free(all[i]);
    memset(ks, 0, sizeof *ks);
}

const struct ike_secret *ike_keyset_sk_e(const struct ike_keyset *ks, bool from_initiator)
{
    return from_initiator ? &ks->sk_ei : &ks->sk_er;
}

const struct ike_secret *ike_keyset_sk_a(const struct ike_keyset *ks, bool from_initiator)
{
    return from_initiator ? &ks->sk_ai : &ks->sk_ar;
}

bool ike_keyset_has_v2_keys(const struct ike_keyset *ks)
{
    return ike_secret_present(&ks->sk_ei) || ike_secret_present(&ks->sk_er);
}

struct ike_keystore *ike_keystore_new(void)
{
    return calloc(1, sizeof(struct ike_keystore));
}

void ike_keystore_free(struct ike_keystore *ks)
{
    if (!ks)
        return;
    for (size_t i = 0; i < ks->n; i++) {
        ike_keyset_cleanup(ks->sets[i]);
        free(ks->sets[i]);
    }
    free(ks->sets);
    index_drop(ks);
    free(ks);
}

struct ike_keyset *ike_keystore_add(struct ike_keystore *ks)
{
    index_drop(ks);
    if (ks->n == ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 8;
        struct ike_keyset **s = realloc(ks->sets, cap * sizeof *s);
        if (!s)
            return NULL;
        ks->sets = s;
        ks->cap = cap;
    }
    struct ike_keyset *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    ks->sets[ks->n++] = k;
    return k;
}

void ike_keystore_truncate(struct ike_keystore *ks, size_t keep)
{
    index_drop(ks);
    while (ks->n > keep) {
        ks->n--;
        ike_keyset_cleanup(ks->sets[ks->n]);
        free(ks->sets[ks->n]);
    }
}

size_t ike_keystore_count(const struct ike_keystore *ks)
{
    return ks ? ks->n : 0;
}

const struct ike_keyset *ike_keystore_get(const struct ike_keystore *ks, size_t i)
{
    return ks && i < ks->n ? ks->sets[i] : NULL;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

bool ike_keystore_has_unnamed_sk_p(const struct ike_keystore *ks)
{
    return ks && (!ks->unnamed_counted || ks->unnamed_with_sk_p > 0);
}

const struct ike_keyset *ike_keystore_find_by_spi(const struct ike_keystore *ks, uint8_t version,
                                                  const uint8_t spi_i[8], const uint8_t spi_r[8])
{
    if (!ks)
        return NULL;
    /* The first matching set in load order, through the index when there is one; but a set
     * that also holds SK_pi (an ikescope keylog from a charon log) beats one without (a
     * Wireshark table for the same SA), since AUTH verification needs it. */
    bool indexed = ks->index.head != NULL;
    size_t i = indexed ? ks->index.head[spi_bucket(spi_i, ks->index.nbuckets)] : 0;
    const struct ike_keyset *first = NULL;
    while (indexed ? i != NO_SET : i < ks->n) {
        const struct ike_keyset *k = ks->sets[i];
        i = indexed ? ks->index.next[i] : i + 1;
        if (!k->has_spis || k->version != version || memcmp(k->spi_i, spi_i, 8) != 0)
            continue;
        if (memcmp(k->spi_r, spi_r, 8) != 0 && !all_zero(k->spi_r, 8))
            continue;
        if (version == 1 || k->sk_pi.len)
            return k;
        if (!first)
            first = k;
    }
    return first;
}

/* Candidate suites for a key set that names none: every supported one whose key lengths fit. */
static const uint16_t cand_encr[] = {
    IKE_ENCR_AES_CBC, IKE_ENCR_3DES, IKE_ENCR_AES_CTR, IKE_ENCR_AES_GCM_16, IKE_ENCR_AES_GCM_12,
    IKE_ENCR_AES_GCM_8, IKE_ENCR_CHACHA20_POLY1305, IKE_ENCR_AES_CCM_16, IKE_ENCR_AES_CCM_12,
    IKE_ENCR_AES_CCM_8,
};
static const uint16_t cand_bits[] = { 128, 192, 256 };
static const uint16_t cand_integ[] = {
    IKE_INTEG_HMAC_SHA2_256_128, IKE_INTEG_HMAC_SHA1_96, IKE_INTEG_HMAC_SHA2_384_192,
    IKE_INTEG_HMAC_SHA2_512_256, IKE_INTEG_AES_XCBC_96, IKE_INTEG_AES_CMAC_96,
    IKE_INTEG_HMAC_MD5_96, IKE_INTEG_HMAC_MD5_128, IKE_INTEG_HMAC_SHA1_160,
    IKE_INTEG_HMAC_SHA2_256_96,
};

/*
 * Guessing only: the first inner payload's generic header must fit the
 * plaintext (RFC 7296 §3.2: length >= 4). The parser does the real checks.
 */
static bool plausible(const uint8_t *p, size_t n)
{
    if (n < 4)
        return n == 0;
    size_t len = (size_t)p[2] << 8 | p[3];
    return len >= 4 && len <= n;
}

static enum ike_dec_status try_guess(const struct ike_secret *e, const struct ike_secret *a,
                                     const uint8_t *msg, size_t msg_len, size_t sk_off,
                                     uint8_t **plain, size_t *plain_len, unsigned *notes)
{
    enum ike_dec_status best = IKE_DEC_UNSUPPORTED;
    for (size_t i = 0; i < sizeof cand_encr / sizeof cand_encr[0]; i++) {
        for (size_t b = 0; b < sizeof cand_bits / sizeof cand_bits[0]; b++) {
            struct ike_v2_suite s = { cand_encr[i], cand_bits[b], IKE_INTEG_NONE, 0 };
            if (s.encr == IKE_ENCR_3DES && s.encr_key_bits != 192)
                continue;
            if (s.encr == IKE_ENCR_CHACHA20_POLY1305 && s.encr_key_bits != 256)
                continue;
            if (ike_v2_encr_key_len(&s) != e->len)
                continue;
            bool aead = ike_v2_encr_is_aead(s.encr);
            if (aead != !ike_secret_present(a))
                continue;
            for (size_t g = 0; g < (aead ? 1 : sizeof cand_integ / sizeof cand_integ[0]); g++) {
                if (!aead) {
                    s.integ = cand_integ[g];
                    if (ike_v2_integ_key_len(s.integ) != a->len)
                        continue;
                }
                enum ike_dec_status st = ike_v2_decrypt_ex(&s, e, a, msg, msg_len, sk_off, plain, plain_len, notes);
                if (st == IKE_DEC_OK && plausible(*plain, *plain_len))
                    return st;
                if (st == IKE_DEC_OK) {
                    /* Same key and ICV lengths (3DES vs AES-192): the ICV cannot tell, the plaintext can. */
                    ike_v2_plain_free(*plain, *plain_len);
                    *plain = NULL;
                    *plain_len = 0;
                    st = IKE_DEC_BAD_PADDING;
                }
                /* An ICV that verified (bad padding) beats "no match"; layouts differ per suite, so go on. */
                if (st == IKE_DEC_BAD_PADDING || best == IKE_DEC_UNSUPPORTED)
                    best = st;
            }
        }
    }
    return best;
}

enum ike_dec_status ike_v2_try_decrypt_with_keyset(const struct ike_keyset *ks,
                                                   const struct ike_v2_suite *negotiated,
                                                   bool from_initiator, const uint8_t *msg,
                                                   size_t msg_len, size_t sk_off,
                                                   uint8_t **plain, size_t *plain_len, unsigned *notes)
{
    *plain = NULL;
    *plain_len = 0;
    if (ks->version == 1)
        return IKE_DEC_UNSUPPORTED;
    const struct ike_secret *e = ike_keyset_sk_e(ks, from_initiator);
    const struct ike_secret *a = ike_keyset_sk_a(ks, from_initiator);
    const struct ike_v2_suite *s = NULL;
    /* A set with SPIs names its suite authoritatively; a log block's suite is a hint the capture overrides. */
    bool have_neg = negotiated && negotiated->encr;
    if (ks->suite.encr && (ks->has_spis || !have_neg))
        s = &ks->suite;
    else if (have_neg)
        s = negotiated;
    if (!ike_secret_present(e) && !(s && s->encr == IKE_ENCR_NULL && ike_secret_present(a)))
        return IKE_DEC_NO_KEY;
    if (notes)
        *notes = 0;
    if (s)
        return ike_v2_decrypt_ex(s, e, a, msg, msg_len, sk_off, plain, plain_len, notes);
    return try_guess(e, a, msg, msg_len, sk_off, plain, plain_len, notes);
}

static enum ike_key_status finish_derive(const struct ike_v2_suite *s, const struct ike_secret *skeyseed,
                                         const uint8_t *ni, size_t ni_len, const uint8_t *nr,
                                         size_t nr_len, const uint8_t spi_i[8], const uint8_t spi_r[8],
                                         struct ike_keyset *out)
{
    struct ike_v2_keymat km = { 0 };
    if (ike_v2_derive_keys(s, skeyseed, ni, ni_len, nr, nr_len, spi_i, spi_r, &km) != IKE_PRF_OK) {
        ike_v2_keymat_free(&km);
        return IKE_KEY_DERIVE;
    }
    ike_secret_move(&out->sk_d, &km.sk_d);
    ike_secret_move(&out->sk_ai, &km.sk_ai);
    ike_secret_move(&out->sk_ar, &km.sk_ar);
    ike_secret_move(&out->sk_ei, &km.sk_ei);
    ike_secret_move(&out->sk_er, &km.sk_er);
    ike_secret_move(&out->sk_pi, &km.sk_pi);
    ike_secret_move(&out->sk_pr, &km.sk_pr);
    ike_v2_keymat_free(&km);
    out->version = 2;
    out->has_spis = true;
    memcpy(out->spi_i, spi_i, 8);
    memcpy(out->spi_r, spi_r, 8);
    out->suite = *s;
    return IKE_KEY_OK;
}

enum ike_key_status ike_v2_keys_from_dh(const struct ike_v2_suite *s, const struct ike_secret *dh_secret,
                                        const uint8_t *ni, size_t ni_len,
                                        const uint8_t *nr, size_t nr_len,
                                        const uint8_t spi_i[8], const uint8_t spi_r[8],
                                        struct ike_keyset *out)
{
    ike_keyset_cleanup(out);
    if (!ike_secret_present(dh_secret))
        return IKE_KEY_DERIVE;
    if (ike_v2_skeyseed(s->prf, dh_secret->p, dh_secret->len, ni, ni_len, nr, nr_len, &out->skeyseed) != IKE_PRF_OK)
        return IKE_KEY_DERIVE;
    if (ike_secret_set(&out->dh_secret, dh_secret->p, dh_secret->len) != IKE_SECRET_OK)
        return IKE_KEY_NOMEM;
    enum ike_key_status st = finish_derive(s, &out->skeyseed, ni, ni_len, nr, nr_len, spi_i, spi_r, out);
    if (st != IKE_KEY_OK)
        ike_keyset_cleanup(out);
    return st;
}

enum ike_key_status ike_v2_keyset_derive(const struct ike_keyset *src, const struct ike_v2_suite *s,
                                         const uint8_t *ni, size_t ni_len,
                                         const uint8_t *nr, size_t nr_len,
                                         const uint8_t spi_i[8], const uint8_t spi_r[8],
                                         struct ike_keyset *out)
{
    enum ike_key_status st;
    if (ike_secret_present(&src->skeyseed)) {
        ike_keyset_cleanup(out);
        if (ike_secret_set(&out->skeyseed, src->skeyseed.p, src->skeyseed.len) != IKE_SECRET_OK)
            return IKE_KEY_NOMEM;
        st = finish_derive(s, &out->skeyseed, ni, ni_len, nr, nr_len, spi_i, spi_r, out);
        if (st != IKE_KEY_OK)
            ike_keyset_cleanup(out);
    } else {
        st = ike_v2_keys_from_dh(s, &src->dh_secret, ni, ni_len, nr, nr_len, spi_i, spi_r, out);
    }
    if (st == IKE_KEY_OK)
        memcpy(out->origin, src->origin, sizeof out->origin);
    return st;
}
