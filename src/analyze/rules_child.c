/* rules_child.c: CHILD_SA rekeys refused because the two sides disagree on perfect forward
 * secrecy (RFC 7296 §1.3.1, §2.8: a KE payload in CREATE_CHILD_SA brings a fresh
 * Diffie-Hellman exchange; the first CHILD_SA, made in IKE_AUTH, never has one). */
#include <stdio.h>
#include <stdlib.h>

#include "analyze/rules_internal.h"
#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/sa_internal.h"

enum { N_NO_PROPOSAL_CHOSEN = 14 };

/* The protocol of the request's first proposal: 1 IKE (an IKE SA rekey), 2 AH, 3 ESP;
 * 0 when there is no readable SA payload. */
static uint8_t proposal_protocol(const struct ike_sa_msg *sm)
{
    const struct ike_payload *p = ike_sa_msg_payload(sm, IKE2_PL_SA);
    struct ike_v2_sa *dec = p ? malloc(sizeof *dec) : NULL;
    uint8_t proto = 0;
    if (dec && ike_v2_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK && dec->nproposals)
        proto = dec->p[0].protocol;
    free(dec);
    return proto;
}

/* Does any proposal of the request carry a Diffie-Hellman transform other than NONE? */
static bool proposes_pfs(const struct ike_sa_msg *sm)
{
    const struct ike_payload *p = ike_sa_msg_payload(sm, IKE2_PL_SA);
    struct ike_v2_sa *dec = p ? malloc(sizeof *dec) : NULL;
    bool pfs = false;
    if (dec && ike_v2_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK)
        for (size_t i = 0; i < dec->ntransforms; i++)
            pfs = pfs || (dec->t[i].type == IKE2_TF_KE && dec->t[i].id != 0);
    free(dec);
    return pfs;
}

void an_rule_child_pfs(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->version != 2)
        return;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *rsp = &sa->msgs[i];
        if (rsp->msg.exchange != IKE2_EXCH_CREATE_CHILD_SA || !rsp->response || rsp->retransmission ||
            !rsp->msg.decrypted || rsp->peer < 0)
            continue;
        const struct ike_payload *err = ike_sa_msg_error_notify(sa, rsp);
        const struct ike_sa_msg *req = &sa->msgs[rsp->peer];
        if (!err || err->notify_type != N_NO_PROPOSAL_CHOSEN || !req->msg.decrypted)
            continue;
        uint8_t proto = proposal_protocol(req);
        if (proto != 2 && proto != 3)
            continue; /* an IKE SA rekey, or nothing readable */
        bool ke = ike_sa_msg_has(req, IKE2_PL_KE) || proposes_pfs(req);
        char elapsed[48] = "";
        if (sa->nmsgs)
            snprintf(elapsed, sizeof elapsed, " %.0f s after the SA began",
                     (double)(req->time.sec - sa->msgs[0].time.sec));
        struct an_finding *f = an_rule_add(out, "child.pfs_mismatch", sa, rsp);
        if (!f)
            return;
        an_rule_textf(f->title, sizeof f->title, "A CHILD_SA rekey was refused: %s",
                      ke ? "the initiator wants PFS, the responder does not agree"
                         : "the responder wants PFS, the initiator offers none");
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s's CREATE_CHILD_SA request for a new %s SA%s %s, and the other side answered "
                      "NO_PROPOSAL_CHOSEN. The first CHILD_SA was made in IKE_AUTH, which never runs a "
                      "Diffie-Hellman exchange of its own (RFC 7296 section 1.2), so a disagreement on "
                      "perfect forward secrecy stays hidden until the first rekey: the tunnel works, then "
                      "drops after its lifetime. Configure the same choice on both sides: a DH group in "
                      "the ESP proposal on both (strongSwan esp_proposals = aes256-sha256-modp2048, "
                      "libreswan pfs=yes, Windows -PfsGroup PFS2048) or on neither.",
                      req->from_initiator ? "initiator" : "responder", proto == 3 ? "ESP" : "AH", elapsed,
                      ke ? "proposes a Diffie-Hellman group (KE payload, PFS)"
                         : "proposes no Diffie-Hellman group (no PFS)");
    }
}
