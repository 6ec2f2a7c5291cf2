/* keymatch.c: ties key sets without SPIs to the IKE SAs they open, by running the capture through the analysis
 * pipeline and asking each finished SA which key set decrypted it (docs/keys.md, "Matching keys that have no SPIs"). */
#include "cli/keymatch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pipeline.h"
#include "ike/crypto/keyset.h"
/* The tracker does not publish which key set opened an SA; its decryption state says so. Read only. */

/* Every secret of a key set, for deep copies. */
static const size_t secret_fields[] = {
    offsetof(struct ike_keyset, sk_d),     offsetof(struct ike_keyset, sk_ai),    offsetof(struct ike_keyset, sk_ar),
    offsetof(struct ike_keyset, sk_ei),    offsetof(struct ike_keyset, sk_er),    offsetof(struct ike_keyset, sk_pi),
    offsetof(struct ike_keyset, sk_pr),    offsetof(struct ike_keyset, dh_secret), offsetof(struct ike_keyset, skeyseed),
    offsetof(struct ike_keyset, v1_enc_key), offsetof(struct ike_keyset, skeyid), offsetof(struct ike_keyset, skeyid_d),
    offsetof(struct ike_keyset, skeyid_a), offsetof(struct ike_keyset, skeyid_e), offsetof(struct ike_keyset, v1_iv),
    offsetof(struct ike_keyset, psk),
};
#define N_SECRET_FIELDS (sizeof secret_fields / sizeof secret_fields[0])

static struct ike_secret *field(struct ike_keyset *ks, size_t off) { return (struct ike_secret *)((char *)ks + off); }
static const struct ike_secret *cfield(const struct ike_keyset *ks, size_t off)
{
    return (const struct ike_secret *)((const char *)ks + off);
}

static bool copy_secret(struct ike_secret *dst, const struct ike_secret *src)
{
    return !ike_secret_present(src) || ike_secret_set(dst, src->p, src->len) == IKE_SECRET_OK;
}

/* A deep copy into a fresh set of the store; false when out of memory. */
static bool copy_set(struct ike_keystore *store, const struct ike_keyset *src)
{
    struct ike_keyset *dst = ike_keystore_add(store);
    if (!dst)
        return false;
    *dst = *src;
    for (size_t i = 0; i < N_SECRET_FIELDS; i++)
        *field(dst, secret_fields[i]) = (struct ike_secret){ 0 };
    for (size_t i = 0; i < N_SECRET_FIELDS; i++)
        if (!copy_secret(field(dst, secret_fields[i]), cfield(src, secret_fields[i])))
            return false;
    return true;
}

bool cli_keyset_needs_capture(const struct ike_keyset *ks)
{
    if (!ks->has_spis)
        return true;
    if (ks->version == 1)
        return !ike_secret_present(&ks->v1_enc_key);
    if (ks->version == 2)
        return !ike_keyset_has_v2_keys(ks) && !(ks->suite.encr == IKE_ENCR_NULL && ike_secret_present(&ks->sk_ai));
    return true;
}

struct match {
    const struct ike_keystore *in;
    struct ike_keystore *found; /* one set per opened SA, in the order the tracker finished them */
    size_t *source;             /* index in `in` of each found set's source */
    size_t nsource, cap;
    bool nomem;
};

/* The input set an SA's keys came from: the set itself, or the set its derived keys copied their origin from. */
static size_t source_of(const struct ike_keystore *in, const struct ike_keyset *used)
{
    size_t n = ike_keystore_count(in);
    for (size_t i = 0; i < n; i++)
        if (ike_keystore_get(in, i) == used)
            return i;
    for (size_t i = 0; i < n; i++) {
        const struct ike_keyset *k = ike_keystore_get(in, i);
        if (cli_keyset_needs_capture(k) && strcmp(k->origin, used->origin) == 0)
            return i;
    }
    return SIZE_MAX;
}

/* The SA's own key set: its SPIs, its negotiated algorithms, the keys that decrypted it. */
static bool fill_from_sa(struct ike_keyset *k, const struct ike_sa *sa, const struct ike_keyset *used,
                         const struct ike_keyset *src)
{
    memcpy(k->origin, src->origin, sizeof k->origin);
    k->version = sa->version;
    k->has_spis = true;
    memcpy(k->spi_i, sa->spi_i, 8);
    memcpy(k->spi_r, sa->spi_r, 8);
    if (sa->version == 1) {
        k->v1_encr = sa->encr;
        k->v1_key_bits = sa->encr_key_bits;
        k->v1_hash = sa->integ;
        const struct ike_secret *ka = ike_sa_v1_enc_key(sa);
        return ka && copy_secret(&k->v1_enc_key, ka) && copy_secret(&k->skeyid, &used->skeyid) &&
               copy_secret(&k->skeyid_d, &used->skeyid_d) && copy_secret(&k->skeyid_a, &used->skeyid_a) &&
               copy_secret(&k->skeyid_e, &used->skeyid_e) && copy_secret(&k->v1_iv, &used->v1_iv) &&
               copy_secret(&k->psk, &used->psk) && copy_secret(&k->dh_secret, &src->dh_secret);
    }
    /* The capture's IKE_SA_INIT names the suite; without one, a log's hint (the trial used it or a fit). */
    if (sa->encr)
        k->suite = (struct ike_v2_suite){ sa->encr, sa->encr_key_bits, sa->integ, sa->prf };
    else
        k->suite = used->suite;
    return copy_secret(&k->sk_d, &used->sk_d) && copy_secret(&k->sk_ai, &used->sk_ai) &&
           copy_secret(&k->sk_ar, &used->sk_ar) && copy_secret(&k->sk_ei, &used->sk_ei) &&
           copy_secret(&k->sk_er, &used->sk_er) && copy_secret(&k->sk_pi, &used->sk_pi) &&
           copy_secret(&k->sk_pr, &used->sk_pr) && copy_secret(&k->skeyseed, &src->skeyseed) &&
           copy_secret(&k->dh_secret, &src->dh_secret);
}

static void on_sa(void *ctx, const struct ike_sa *sa)
{
    struct match *m = ctx;
    const struct ike_keyset *used = ike_sa_keyset(sa);
    if (m->nomem || sa->keys != IKE_SA_KEYS_MATCHED || !used)
        return;
    size_t i = source_of(m->in, used);
    if (i == SIZE_MAX || !cli_keyset_needs_capture(ike_keystore_get(m->in, i)))
        return;
    if (m->nsource == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        size_t *s = realloc(m->source, cap * sizeof *s);
        if (!s) {
            m->nomem = true;
            return;
        }
        m->source = s;
        m->cap = cap;
    }
    struct ike_keyset *k = ike_keystore_add(m->found);
    if (!k || !fill_from_sa(k, sa, used, ike_keystore_get(m->in, i))) {
        m->nomem = true;
        return;
    }
    m->source[m->nsource++] = i;
}

int cli_keys_match_captures(const struct ike_keystore *in, const char *const *captures, size_t ncaptures,
                            const struct cap_config *cfg, struct ike_keystore **out,
                            struct cli_keymatch_stats *stats, char *err, size_t errlen)
{
    struct match m = { .in = in, .found = ike_keystore_new() };
    struct cli_pipeline p = { 0 };
    struct ike_keystore *res = NULL;
    int rc = -1;
    *out = NULL;
    memset(stats, 0, sizeof *stats);
    if (!m.found) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (cli_pipeline_open(&p, captures, ncaptures, cfg, in, on_sa, &m, err, errlen) != 0)
        goto done;
    if (cli_pipeline_run(&p, err, errlen) != CAP_OK) {
        if (!err[0])
            snprintf(err, errlen, "%s: read error", captures[0]);
        goto done;
    }
    res = ike_keystore_new();
    if (m.nomem || !res) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    /* Output in input order: each set that needed the capture becomes its SAs' sets. */
    for (size_t i = 0; i < ike_keystore_count(in); i++) {
        const struct ike_keyset *src = ike_keystore_get(in, i);
        bool ok = true, any = false;
        if (cli_keyset_needs_capture(src)) {
            stats->needed++;
            for (size_t j = 0; ok && j < m.nsource; j++)
                if (m.source[j] == i) {
                    ok = copy_set(res, ike_keystore_get(m.found, j));
                    any = true;
                    stats->sas++;
                }
            stats->matched += any;
        }
        if (ok && !any)
            ok = copy_set(res, src);
        if (!ok) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    *out = res;
    res = NULL;
    rc = 0;
done:
    cli_pipeline_close(&p);
    ike_keystore_free(res);
    ike_keystore_free(m.found);
    free(m.source);
    return rc;
}
