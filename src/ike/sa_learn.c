/* sa_learn.c: takes the negotiated algorithms from the responder's SA payload: the one
 * proposal it accepted in IKE_SA_INIT (RFC 7296 §3.3.6) or main/aggressive mode message 2
 * (RFC 2409 §5). Decryption and later rules read them from the SA. */
#include <stdlib.h>

#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/sa_internal.h"

static void learn_v2(struct ike_sa *sa, const struct ike_payload *p)
{
    struct ike_v2_sa *dec = malloc(sizeof *dec);
    if (!dec)
        return;
    if (ike_v2_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK && dec->nproposals >= 1) {
        const struct ike_v2_proposal *prop = &dec->p[0];
        for (size_t i = 0; i < prop->ntransforms; i++) {
            const struct ike_v2_transform *t = &dec->t[prop->first + i];
            switch (t->type) {
            case IKE2_TF_ENCR:
                sa->encr = t->id;
                sa->encr_key_bits = t->has_key_len ? t->key_len : 0;
                break;
            case IKE2_TF_PRF: sa->prf = t->id; break;
            case IKE2_TF_INTEG: sa->integ = t->id; break;
            case IKE2_TF_KE: sa->dh_group = t->id; break;
            default: break;
            }
        }
    }
    free(dec);
}

static void learn_v1(struct ike_sa *sa, const struct ike_payload *p)
{
    struct ike_v1_sa *dec = malloc(sizeof *dec);
    if (!dec)
        return;
    if (ike_v1_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK && dec->nproposals >= 1 &&
        dec->p[0].ntransforms >= 1) {
        const struct ike_v1_transform *t = &dec->t[dec->p[0].first];
        uint32_t v;
        if (ike_v1_transform_attr(t, IKE1_OAK_ENCR, &v))
            sa->encr = (uint16_t)v;
        if (ike_v1_transform_attr(t, IKE1_OAK_KEY_LENGTH, &v))
            sa->encr_key_bits = (uint16_t)v;
        if (ike_v1_transform_attr(t, IKE1_OAK_HASH, &v))
            sa->integ = (uint16_t)v; /* IKEv1: the hash doubles as the PRF's base */
        if (ike_v1_transform_attr(t, IKE1_OAK_PRF, &v))
            sa->prf = (uint16_t)v;
        if (ike_v1_transform_attr(t, IKE1_OAK_GROUP_DESC, &v))
            sa->dh_group = (uint16_t)v;
        if (ike_v1_transform_attr(t, IKE1_OAK_AUTH, &v))
            sa->auth_method_v1 = (uint16_t)v;
    }
    free(dec);
}

void ike_sa_learn(struct ike_sa *sa, size_t idx)
{
    const struct ike_sa_msg *sm = &sa->msgs[idx];
    if (sm->retransmission || sm->from_initiator)
        return;
    bool setup = sa->version == 2
                     ? sm->msg.exchange == IKE2_EXCH_SA_INIT && sm->response
                     : (sm->msg.exchange == IKE1_EXCH_MAIN || sm->msg.exchange == IKE1_EXCH_AGGRESSIVE);
    if (!setup)
        return;
    uint8_t sa_type = sa->version == 2 ? IKE2_PL_SA : IKE1_PL_SA;
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        if (p->type != sa_type || p->inner)
            continue;
        if (sa->version == 2)
            learn_v2(sa, p);
        else
            learn_v1(sa, p);
        return;
    }
}
