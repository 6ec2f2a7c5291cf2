/* auth_v1.c: IKEv1 phase 1 authentication (RFC 2409 §5):
 *   HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * compared with the HASH payload (§5.4, pre-shared key), or with what the SIG payload opens to
 * with the sender's certificate key (§5.1, RSA: PKCS#1 type 1 padding of the bare hash). */
#include "analyze/auth_v1.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "ike/crypto/derive.h"
#include "ike/crypto/keyset.h"
#include "ike/crypto/prf.h"
#include "ike/msg.h"
#include "ike/names.h"

#define V1_PSK 1
#define V1_RSA_SIG 3

/* The first payload of `type` in a phase 1 message sent by one side (or by either if `any`). */
static const struct ike_payload *p1_payload(const struct ike_sa *sa, bool initiator, uint8_t type,
                                            const struct ike_sa_msg **from)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if ((sm->msg.exchange != 2 && sm->msg.exchange != 4) || sm->from_initiator != initiator)
            continue;
        const struct ike_payload *p = ike_sa_msg_payload(sm, type);
        if (p) {
            if (from)
                *from = sm;
            return p;
        }
    }
    return NULL;
}

/* SKEYID from the keys: given, or derived from the DH secret (and the PSK) (RFC 2409 §5). */
static bool skeyid_of(const struct ike_sa *sa, const struct ike_keyset *ks, const struct ike_payload *ni,
                      const struct ike_payload *nr, struct ike_secret *out)
{
    if (!ks)
        return false;
    if (ike_secret_present(&ks->skeyid))
        return ike_secret_set(out, ks->skeyid.p, ks->skeyid.len) == IKE_SECRET_OK;
    if (!ike_secret_present(&ks->dh_secret))
        return false;
    if (sa->auth_method_v1 == V1_PSK)
        return ike_secret_present(&ks->psk) &&
               ike_v1_skeyid_psk(sa->integ, &ks->psk, ni->body, ni->body_len, nr->body, nr->body_len, out) ==
                   IKE_PRF_OK;
    return ike_v1_skeyid_sig(sa->integ, ni->body, ni->body_len, nr->body, nr->body_len, ks->dh_secret.p,
                             ks->dh_secret.len, out) == IKE_PRF_OK;
}

/* SIG opened with the key (EMSA-PKCS1-v1_5 without DigestInfo, as IKEv1 peers sign). */
enum v1_open { V1_OPENED, V1_NOT_OPENED, V1_NO_KEY };

static enum v1_open rsa_recover(const struct ike_sa_msg *sm, const uint8_t *sig, size_t sl, uint8_t *out,
                                size_t *olen, char *why, size_t wlen)
{
    const struct ike_payload *cert = ike_sa_msg_payload(sm, IKE1_PL_CERT);
    if (!cert || cert->body_len < 2 || cert->body[0] != 4) {
        snprintf(why, wlen, "no X.509 certificate beside the SIG payload: the key is not in the capture");
        return V1_NO_KEY;
    }
    const unsigned char *p = cert->body + 1;
    X509 *x = d2i_X509(NULL, &p, (long)cert->body_len - 1);
    EVP_PKEY *key = x ? X509_get_pubkey(x) : NULL;
    X509_free(x);
    bool ok = false;
    enum v1_open rc = V1_NO_KEY;
    if (key && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
        ok = c && EVP_PKEY_verify_recover_init(c) > 0 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) > 0 &&
             EVP_PKEY_verify_recover(c, out, olen, sig, sl) > 0;
        EVP_PKEY_CTX_free(c);
        rc = ok ? V1_OPENED : V1_NOT_OPENED;
        if (!ok)
            snprintf(why, wlen, "the signature does not open with the certificate's key into PKCS#1 v1.5 padding");
    } else {
        snprintf(why, wlen, "the certificate has no RSA key, or does not decode");
    }
    EVP_PKEY_free(key);
    ERR_clear_error();
    return rc;
}

static void side(const struct ike_sa *sa, bool initiator, struct an_auth_check *c)
{
    memset(c, 0, sizeof *c);
    uint16_t m = sa->auth_method_v1;
    const struct ike_sa_msg *hm = NULL;
    const struct ike_payload *got = p1_payload(sa, initiator, m == V1_PSK ? IKE1_PL_HASH : IKE1_PL_SIG, &hm);
    if ((m != V1_PSK && m != V1_RSA_SIG) || !got)
        return;
    c->method = (uint8_t)m;
    c->auth_msg = hm;
    c->result = AN_AUTH_UNVERIFIABLE;
    char hname[40];
    ike_v1_oakley_value_name(IKE1_OAK_HASH, sa->integ, hname, sizeof hname);
    snprintf(c->algorithm, sizeof c->algorithm, "%s HMAC-%.24s", m == V1_PSK ? "pre-shared key" : "RSA signature", hname);
    const char *what = initiator ? "HASH_I" : "HASH_R";

    uint16_t prf = ike_v1_hash_prf(sa->integ);
    size_t hl = ike_prf_out_len(prf);
    const struct ike_payload *sai = p1_payload(sa, true, IKE1_PL_SA, NULL);
    const struct ike_payload *kei = p1_payload(sa, true, IKE1_PL_KE, NULL), *ker = p1_payload(sa, false, IKE1_PL_KE, NULL);
    const struct ike_payload *ni = p1_payload(sa, true, IKE1_PL_NONCE, NULL), *nr = p1_payload(sa, false, IKE1_PL_NONCE, NULL);
    const struct ike_payload *id = p1_payload(sa, initiator, IKE1_PL_ID, NULL);

    uint8_t opened[1024];
    size_t olen = sizeof opened;
    bool have_open = false;
    if (m == V1_RSA_SIG) {
        enum v1_open o = rsa_recover(hm, got->body, got->body_len, opened, &olen, c->reason, sizeof c->reason);
        if (o == V1_NOT_OPENED) {
            c->result = AN_AUTH_INVALID;
            c->cause = AN_AUTH_CAUSE_WRONG_KEY;
        }
        if (o != V1_OPENED)
            return;
        have_open = true;
    }
    struct ike_secret skeyid = { 0 };
    if (!hl || !sai || !kei || !ker || !ni || !nr || !id) {
        snprintf(c->reason, sizeof c->reason, "phase 1 is not complete in the capture, or its hash is not known");
    } else if (!skeyid_of(sa, ike_sa_keyset(sa), ni, nr, &skeyid)) {
        snprintf(c->reason, sizeof c->reason, "%s%s needs SKEYID: a charon log at ike=4, ikescope's key log, or a DH "
                 "secret%s", have_open ? "the signature opens with the certificate's key; " : "", what,
                 m == V1_PSK ? " with the PSK" : "");
        if (have_open && olen == hl)
            c->result = AN_AUTH_KEY_CONSISTENT;
        else if (have_open) {
            c->result = AN_AUTH_INVALID;
            c->cause = AN_AUTH_CAUSE_WRONG_KEY;
            snprintf(c->reason, sizeof c->reason, "the signature opens to %zu bytes, not a %zu-byte hash", olen, hl);
        }
    } else {
        const struct ike_payload *gx = initiator ? kei : ker, *gy = initiator ? ker : kei;
        const uint8_t *ck1 = initiator ? sa->spi_i : sa->spi_r, *ck2 = initiator ? sa->spi_r : sa->spi_i;
        struct ike_chunk parts[] = { { gx->body, gx->body_len }, { gy->body, gy->body_len }, { ck1, 8 }, { ck2, 8 },
                                     { sai->body, sai->body_len }, { id->body, id->body_len } };
        uint8_t want[IKE_PRF_MAX_OUT];
        if (ike_prf(prf, skeyid.p, skeyid.len, parts, 6, want) != IKE_PRF_OK) {
            snprintf(c->reason, sizeof c->reason, "%s could not be computed", what);
        } else {
            const uint8_t *cmp = have_open ? opened : got->body;
            size_t cl = have_open ? olen : got->body_len;
            if (cl == hl && sodium_memcmp(cmp, want, hl) == 0) {
                c->result = AN_AUTH_VALID;
                snprintf(c->reason, sizeof c->reason, "%s recomputed with SKEYID equals the one %s", what,
                         have_open ? "the signature holds" : "sent");
            } else {
                c->result = AN_AUTH_INVALID;
                c->cause = have_open ? AN_AUTH_CAUSE_DATA_DIFFERS : AN_AUTH_CAUSE_KEY_OR_DATA;
                snprintf(c->reason, sizeof c->reason, "%s recomputed with SKEYID differs from the one %s%s", what,
                         have_open ? "the signature holds (made by the certificate's key)" : "sent",
                         have_open ? "" : ": another pre-shared key, or phase 1 altered on the path");
            }
        }
        sodium_memzero(want, sizeof want);
    }
    ike_secret_free(&skeyid);
}

void an_auth_v1_check_sa(const struct ike_sa *sa, struct an_auth_checks *out)
{
    memset(out, 0, sizeof *out);
    if (sa->version != 1)
        return;
    side(sa, true, &out->side[1]);
    side(sa, false, &out->side[0]);
}
