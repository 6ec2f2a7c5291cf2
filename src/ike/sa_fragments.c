/* sa_fragments.c: finds fragmented messages (RFC 7383 SKF, IKEv1 payload 132) of which
 * some fragments never appeared, from the cleartext fragment headers alone, so it works
 * without keys. */
#include <stdbool.h>
#include <string.h>

#include "ike/sa_internal.h"

#define MAX_TRACKED_FRAGMENTS 256

static const struct ike_payload *fragment_payload(const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    uint8_t type = sa->version == 2 ? IKE2_PL_SKF : IKE1_PL_FRAG;
    for (size_t i = 0; i < sm->msg.npayloads; i++)
        if (sm->msg.payloads[i].type == type && !sm->msg.payloads[i].inner)
            return &sm->msg.payloads[i];
    return NULL;
}

/* Same fragmented message: same sender and message ID, and for IKEv1 the same fragment ID. */
static bool same_group(const struct ike_sa *sa, const struct ike_sa_msg *a, const struct ike_payload *pa,
                       const struct ike_sa_msg *b, const struct ike_payload *pb)
{
    if (a->from_initiator != b->from_initiator || a->msg.msg_id != b->msg.msg_id)
        return false;
    return sa->version == 2 ? pa->frag_total == pb->frag_total : pa->frag_id == pb->frag_id;
}

void ike_sa_check_fragments(struct ike_sa *sa)
{
    bool done[512] = { false };
    size_t n = sa->nmsgs < 512 ? sa->nmsgs : 512;
    for (size_t i = 0; i < n; i++) {
        const struct ike_payload *first = fragment_payload(sa, &sa->msgs[i]);
        if (done[i] || !first)
            continue;
        bool seen[MAX_TRACKED_FRAGMENTS + 1] = { false };
        size_t total = sa->version == 2 ? first->frag_total : 0, last = i;
        for (size_t j = i; j < n; j++) {
            const struct ike_payload *p = fragment_payload(sa, &sa->msgs[j]);
            if (!p || done[j] || !same_group(sa, &sa->msgs[i], first, &sa->msgs[j], p))
                continue;
            done[j] = true;
            last = j;
            if (p->frag_num >= 1 && p->frag_num <= MAX_TRACKED_FRAGMENTS)
                seen[p->frag_num] = true;
            /* IKEv1: the fragment with the last flag tells how many there are. */
            if (sa->version == 1 && p->frag_total)
                total = p->frag_num;
        }
        bool complete = total > 0 && total <= MAX_TRACKED_FRAGMENTS;
        for (size_t k = 1; complete && k <= total; k++)
            complete = seen[k];
        if (!complete)
            ike_msg_anomaly(&sa->msgs[last].msg, IKE_AN_FRAG_MISSING);
    }
}
