/* auth_info.c: names the authentication method of each side from its AUTH payload. */
#include "analyze/auth_info.h"

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdio.h>

#include "ike/names.h"
#include "ike/payloads.h"

enum { AUTH_DIGITAL_SIGNATURE = 14, EXCHANGE_IKE_AUTH = 35 };

/* RFC 7427 §3: the AUTH data of method 14 starts with a one-byte length and then a DER
 * AlgorithmIdentifier naming the signature algorithm. */
static bool signature_algorithm(const struct ike_view *data, char *out, size_t len)
{
    if (data->len < 1 || data->p[0] == 0 || (size_t)data->p[0] + 1 > data->len)
        return false;
    const unsigned char *q = data->p + 1;
    X509_ALGOR *alg = d2i_X509_ALGOR(NULL, &q, data->p[0]);
    if (!alg)
        return false;
    const ASN1_OBJECT *oid = NULL;
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    bool ok = oid && OBJ_obj2txt(out, (int)len, oid, 0) > 0;
    X509_ALGOR_free(alg);
    return ok;
}

static void describe(const struct ike_auth *auth, char *out, size_t len)
{
    char name[IKE_NAME_BUF], alg[80];
    ike_auth_method_name(auth->method, name, sizeof name);
    if (auth->method == AUTH_DIGITAL_SIGNATURE && signature_algorithm(&auth->data, alg, sizeof alg))
        snprintf(out, len, "%s (%s)", name, alg);
    else
        snprintf(out, len, "%s", name);
}

/* The AUTH a side sent in its first IKE_AUTH message that has one (decoded into `auth`);
 * false when none was seen, or, with *eap set, when the initiator's first IKE_AUTH request
 * carries IDi and no AUTH: it asks for EAP (RFC 7296 §2.16). */
static bool first_auth(const struct ike_sa *sa, bool initiator, struct ike_auth *auth, bool *eap)
{
    *eap = false;
    if (sa->version != 2)
        return false;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != EXCHANGE_IKE_AUTH || sm->from_initiator != initiator || sm->retransmission)
            continue;
        bool has_id = false;
        for (size_t k = 0; k < sm->msg.npayloads; k++) {
            const struct ike_payload *p = &sm->msg.payloads[k];
            has_id |= p->type == (initiator ? IKE2_PL_IDI : IKE2_PL_IDR);
            if (p->type == IKE2_PL_AUTH && ike_auth_decode(p->body, p->body_len, auth) == IKE_PL_OK)
                return true;
        }
        if (initiator && has_id) {
            *eap = true;
            return false;
        }
    }
    return false;
}

bool an_sa_auth_method(const struct ike_sa *sa, bool initiator, char *out, size_t len)
{
    struct ike_auth auth;
    bool eap;
    if (first_auth(sa, initiator, &auth, &eap)) {
        describe(&auth, out, len);
        return true;
    }
    if (eap)
        snprintf(out, len, "EAP");
    return eap;
}

bool an_sa_auth_method_id(const struct ike_sa *sa, bool initiator, uint8_t *method)
{
    struct ike_auth auth;
    bool eap;
    if (!first_auth(sa, initiator, &auth, &eap))
        return false;
    *method = auth.method;
    return true;
}
