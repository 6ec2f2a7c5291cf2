/* psk_auth.c: candidate pre-shared keys, and the IKEv2 shared-key AUTH (method 2) of each
 * side recomputed with them (RFC 7296 §2.15; §2.16 for the EAP case it leaves alone). */
#include "analyze/psk_auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "analyze/auth_octets.h"
#include "ike/crypto/keyset.h"
#include "ike/msg.h"

/* RFC 7296 §2.15: the 17 ASCII octets, no terminating NUL. */
static const uint8_t key_pad[] = { 'K', 'e', 'y', ' ', 'P', 'a', 'd', ' ', 'f',
                                   'o', 'r', ' ', 'I', 'K', 'E', 'v', '2' };

/* Larger files are not lists of pre-shared keys. */
#define PSK_FILE_MAX (1u << 20)

enum an_psk_status an_psk_add(struct an_psk_list *l, const uint8_t *p, size_t len, const char *origin)
{
    if (len == 0)
        return AN_PSK_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct an_psk *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return AN_PSK_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    struct an_psk *k = &l->v[l->n];
    memset(k, 0, sizeof *k);
    if (ike_secret_set(&k->key, p, len) != IKE_SECRET_OK)
        return AN_PSK_NOMEM;
    snprintf(k->origin, sizeof k->origin, "%s", origin);
    l->n++;
    return AN_PSK_OK;
}

enum an_psk_status an_psk_load_file(struct an_psk_list *l, const char *path, char *err, size_t errlen)
{
    struct ike_secret_file f;
    int e;
    switch (ike_secret_file_read(path, PSK_FILE_MAX, &f, &e)) {
    case IKE_SECRET_FILE_OK:
        break;
    case IKE_SECRET_FILE_OPEN:
    case IKE_SECRET_FILE_READ:
        snprintf(err, errlen, "%s: cannot read the --psk-file: %s", path, strerror(e));
        return AN_PSK_IO;
    case IKE_SECRET_FILE_TOO_LARGE:
        if (f.size)
            snprintf(err, errlen, "%s: cannot read the --psk-file: %" PRIu64 " bytes, larger than 1 MiB", path,
                     f.size);
        else
            snprintf(err, errlen, "%s: cannot read the --psk-file: larger than 1 MiB", path);
        return AN_PSK_IO;
    case IKE_SECRET_FILE_NOMEM:
    default:
        return AN_PSK_NOMEM;
    }
    enum an_psk_status rc = AN_PSK_OK;
    unsigned line = 0;
    size_t start = 0;
    while (start < f.len && rc == AN_PSK_OK) {
        size_t end = start;
        while (end < f.len && f.p[end] != '\n')
            end++;
        line++;
        size_t len = end - start;
        while (len && (f.p[start + len - 1] == '\r' || f.p[start + len - 1] == '\n'))
            len--;
        char origin[320];
        snprintf(origin, sizeof origin, "line %u of --psk-file %s", line, path);
        rc = an_psk_add(l, f.p + start, len, origin);
        start = end + 1;
    }
    ike_secret_file_wipe(&f);
    return rc;
}

void an_psk_list_cleanup(struct an_psk_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ike_secret_free(&l->v[i].key);
    free(l->v);
    memset(l, 0, sizeof *l);
}

enum ike_prf_status an_psk_auth_compute(uint16_t prf, const uint8_t *psk, size_t psk_len,
                                        const uint8_t *real_msg, size_t real_len,
                                        const uint8_t *nonce, size_t nonce_len,
                                        const uint8_t *sk_p, size_t sk_p_len,
                                        const uint8_t *id_body, size_t id_len,
                                        uint8_t out[IKE_PRF_MAX_OUT], size_t *out_len)
{
    *out_len = ike_prf_out_len(prf);
    if (!*out_len)
        return IKE_PRF_UNSUPPORTED;
    uint8_t macid[IKE_PRF_MAX_OUT], pad_key[IKE_PRF_MAX_OUT];
    struct ike_chunk pad = { key_pad, sizeof key_pad };
    struct ike_chunk signed_octets[3];
    enum ike_prf_status rc = an_auth_signed_octets(prf, real_msg, real_len, nonce, nonce_len, sk_p, sk_p_len,
                                                   id_body, id_len, macid, signed_octets);
    if (rc == IKE_PRF_OK)
        rc = ike_prf(prf, psk, psk_len, &pad, 1, pad_key);
    if (rc == IKE_PRF_OK)
        rc = ike_prf(prf, pad_key, *out_len, signed_octets, 3, out);
    sodium_memzero(pad_key, sizeof pad_key);
    sodium_memzero(macid, sizeof macid);
    return rc;
}

const char *an_psk_result_name(enum an_psk_result r)
{
    switch (r) {
    case AN_PSK_MATCHED:
        return "matched";
    case AN_PSK_NO_MATCH:
        return "no-match";
    case AN_PSK_UNVERIFIABLE:
        return "unverifiable";
    default:
        return "not-sent";
    }
}

/* The first AUTH this side sent in IKE_AUTH, if it is a shared-key one (method 2) that
 * is not keyed with an EAP MSK: after EAP, both final AUTHs use the MSK (RFC 7296 §2.16). */
static const struct ike_sa_msg *psk_auth_msg(const struct ike_sa *sa, bool initiator, const struct ike_payload **auth)
{
    struct an_auth_first f;
    if (!an_auth_first_find(sa, initiator, &f) || f.after_eap || f.auth->auth_method != 2)
        return NULL;
    *auth = f.auth;
    return f.msg;
}

static void side_check(const struct ike_sa *sa, const struct an_psk_list *cands, bool initiator,
                       struct an_psk_side *s)
{
    memset(s, 0, sizeof *s);
    const struct ike_payload *auth = NULL;
    if (!(s->auth_msg = psk_auth_msg(sa, initiator, &auth)))
        return;
    s->result = AN_PSK_UNVERIFIABLE;
    const struct ike_payload *id = ike_sa_msg_payload(s->auth_msg, initiator ? IKE2_PL_IDI : IKE2_PL_IDR);
    const struct ike_keyset *ks = ike_sa_keyset(sa);
    const struct ike_secret *sk_p = ks ? (initiator ? &ks->sk_pi : &ks->sk_pr) : NULL;
    const uint8_t *real = NULL, *nonce = NULL;
    size_t real_len = 0, nonce_len = 0;
    size_t out_len = ike_prf_out_len(sa->prf);
    if (an_auth_has_intermediate(sa)) {
        snprintf(s->reason, sizeof s->reason,
                 "IKE_INTERMEDIATE exchanges add to the signed octets (RFC 9242): not checked");
        return;
    }
    if (!ike_secret_present(sk_p)) {
        snprintf(s->reason, sizeof s->reason, "the keys give no %s (Wireshark tables carry none; a charon log at "
                 "ike=4 or a DH secret does)", initiator ? "SK_pi" : "SK_pr");
        return;
    }
    if (!out_len) {
        snprintf(s->reason, sizeof s->reason, "the negotiated PRF is not known or not supported");
        return;
    }
    if (!an_auth_init_parts(sa, initiator, &real, &real_len, &nonce, &nonce_len, NULL)) {
        snprintf(s->reason, sizeof s->reason, "the IKE_SA_INIT exchange is not complete in the capture");
        return;
    }
    if (!id || auth->body_len < 4) {
        snprintf(s->reason, sizeof s->reason, "the IKE_AUTH message has no %s or a short AUTH payload",
                 initiator ? "IDi" : "IDr");
        return;
    }
    if (!cands || cands->n == 0) {
        snprintf(s->reason, sizeof s->reason, "no --psk or --psk-file given");
        return;
    }
    const uint8_t *got = auth->body + 4;
    size_t got_len = auth->body_len - 4;
    s->result = AN_PSK_NO_MATCH;
    if (got_len != out_len) {
        snprintf(s->reason, sizeof s->reason, "the AUTH value is %zu bytes, the PRF gives %zu", got_len, out_len);
        return;
    }
    for (size_t c = 0; c < cands->n; c++) {
        uint8_t mac[IKE_PRF_MAX_OUT];
        size_t mac_len;
        const struct ike_secret *k = &cands->v[c].key;
        bool same = an_psk_auth_compute(sa->prf, k->p, k->len, real, real_len, nonce, nonce_len,
                                        sk_p->p, sk_p->len, id->body, id->body_len, mac, &mac_len) == IKE_PRF_OK &&
                    mac_len == got_len && sodium_memcmp(mac, got, got_len) == 0;
        sodium_memzero(mac, sizeof mac);
        if (same) {
            s->result = AN_PSK_MATCHED;
            s->candidate = (unsigned)c + 1;
            snprintf(s->reason, sizeof s->reason, "AUTH recomputed with candidate %u equals the one sent", s->candidate);
            return;
        }
    }
    snprintf(s->reason, sizeof s->reason, "AUTH matches none of the candidates (%zu given)", cands->n);
}

void an_psk_check_sa(const struct ike_sa *sa, const struct an_psk_list *cands, struct an_psk_checks *out)
{
    memset(out, 0, sizeof *out);
    out->ncandidates = cands ? cands->n : 0;
    if (sa->version != 2)
        return;
    side_check(sa, cands, true, &out->side[1]);
    side_check(sa, cands, false, &out->side[0]);
}
