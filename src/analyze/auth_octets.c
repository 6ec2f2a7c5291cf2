/* auth_octets.c: the octets an IKEv2 AUTH covers (RFC 7296 §2.15; §2.16 for EAP, RFC 9242 for
 * IKE_INTERMEDIATE, which is detected and left alone). */
#include "analyze/auth_octets.h"

#include <string.h>

#include "ike/msg.h"

/* The message as its sender built it: the header's length when the capture holds it all. */
static bool whole_message(const struct ike_sa_msg *sm, const uint8_t **p, size_t *len)
{
    for (size_t i = 0; i < sm->msg.nanomalies; i++)
        if (sm->msg.anomalies[i] == IKE_AN_TRUNCATED || sm->msg.anomalies[i] == IKE_AN_CAPTURE_INCOMPLETE)
            return false;
    if (!sm->msg.raw || sm->msg.length < IKE_HDR_LEN || sm->msg.length > sm->msg.raw_len)
        return false;
    *p = sm->msg.raw;
    *len = sm->msg.length;
    return true;
}

/* The IKE_SA_INIT response that carries Nr (so not INVALID_KE_PAYLOAD or COOKIE) and the
 * request it answers: RealMessage1 and RealMessage2 of RFC 7296 §2.15. */
static bool init_pair(const struct ike_sa *sa, const struct ike_sa_msg **req, const struct ike_sa_msg **resp)
{
    *req = *resp = NULL;
    for (size_t i = sa->nmsgs; i-- > 0;) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != 34 || !sm->response || !ike_sa_msg_payload(sm, IKE2_PL_NONCE))
            continue;
        if (sm->peer < 0 || (size_t)sm->peer >= sa->nmsgs)
            return false;
        *resp = sm;
        *req = &sa->msgs[sm->peer];
        return ike_sa_msg_payload(*req, IKE2_PL_NONCE) != NULL;
    }
    return false;
}

bool an_auth_init_parts(const struct ike_sa *sa, bool initiator, const uint8_t **real, size_t *real_len,
                        const uint8_t **nonce, size_t *nonce_len, const struct ike_sa_msg **peer_init)
{
    const struct ike_sa_msg *req, *resp;
    if (!init_pair(sa, &req, &resp) || !whole_message(initiator ? req : resp, real, real_len))
        return false;
    const struct ike_payload *n = ike_sa_msg_payload(initiator ? resp : req, IKE2_PL_NONCE);
    *nonce = n->body;
    *nonce_len = n->body_len;
    if (peer_init)
        *peer_init = initiator ? resp : req;
    return true;
}

bool an_auth_first_find(const struct ike_sa *sa, bool initiator, struct an_auth_first *out)
{
    memset(out, 0, sizeof *out);
    bool eap_before = false;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != 35)
            continue;
        const struct ike_payload *a = ike_sa_msg_payload(sm, IKE2_PL_AUTH);
        if (sm->from_initiator == initiator && sm->response != initiator && a) {
            out->msg = sm;
            out->auth = a;
            out->id = ike_sa_msg_payload(sm, initiator ? IKE2_PL_IDI : IKE2_PL_IDR);
            out->after_eap = eap_before;
            return true;
        }
        eap_before = eap_before || ike_sa_msg_payload(sm, IKE2_PL_EAP) != NULL;
    }
    return false;
}

bool an_auth_has_intermediate(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].msg.exchange == 43)
            return true;
    return false;
}

enum ike_prf_status an_auth_signed_octets(uint16_t prf, const uint8_t *real, size_t real_len,
                                          const uint8_t *nonce, size_t nonce_len,
                                          const uint8_t *sk_p, size_t sk_p_len,
                                          const uint8_t *id_body, size_t id_len,
                                          uint8_t macid[IKE_PRF_MAX_OUT], struct ike_chunk out[3])
{
    size_t n = ike_prf_out_len(prf);
    if (!n)
        return IKE_PRF_UNSUPPORTED;
    struct ike_chunk id = { id_body, id_len };
    enum ike_prf_status rc = ike_prf(prf, sk_p, sk_p_len, &id, 1, macid);
    out[0] = (struct ike_chunk){ real, real_len };
    out[1] = (struct ike_chunk){ nonce, nonce_len };
    out[2] = (struct ike_chunk){ macid, n };
    return rc;
}
