/* sa_fragments.c: finds fragmented messages (RFC 7383 SKF, IKEv1 payload 132) of which
 * some fragments never appeared, from the cleartext fragment headers alone, so it works
 * without keys. */
#include <stdbool.h>
#include <stdlib.h>
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

const uint64_t *ike_sa_msg_frames(const struct ike_sa_msg *sm, size_t *n)
{
    if (sm->assembled_frames) {
        *n = sm->nassembled_frames;
        return sm->assembled_frames;
    }
    *n = sm->nframes;
    return sm->frames;
}

/* The fragment at `done_at` completed a message from the fragments at idx[1..total]: it
 * lists their packets, in fragment order, and its own last (where Wireshark shows the
 * reassembled message). */
static void assemble_frames(struct ike_sa *sa, size_t done_at, const size_t *idx, size_t total)
{
    struct ike_sa_msg *own = &sa->msgs[done_at];
    size_t n = 0;
    for (size_t k = 1; k <= total; k++)
        n += sa->msgs[idx[k]].nframes;
    uint64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return;
    size_t o = 0;
    for (size_t k = 1; k <= total; k++) {
        const struct ike_sa_msg *sm = &sa->msgs[idx[k]];
        if (idx[k] == done_at)
            continue;
        memcpy(v + o, sm->frames, sm->nframes * sizeof *v);
        o += sm->nframes;
    }
    memcpy(v + o, own->frames, own->nframes * sizeof *v);
    o += own->nframes;
    free(own->assembled_frames);
    own->assembled_frames = v;
    own->nassembled_frames = o;
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
        /* One round: the fragments since the last completed message (a retransmission
         * sends them all again and completes the message again, as the receiver sees it). */
        size_t round_idx[MAX_TRACKED_FRAGMENTS + 1];
        bool in_round[MAX_TRACKED_FRAGMENTS + 1] = { false };
        size_t round_total = total;
        for (size_t j = i; j < n; j++) {
            const struct ike_payload *p = fragment_payload(sa, &sa->msgs[j]);
            if (!p || done[j] || !same_group(sa, &sa->msgs[i], first, &sa->msgs[j], p))
                continue;
            done[j] = true;
            last = j;
            bool tracked = p->frag_num >= 1 && p->frag_num <= MAX_TRACKED_FRAGMENTS;
            if (tracked)
                seen[p->frag_num] = true;
            /* IKEv1: the fragment with the last flag tells how many there are. */
            if (sa->version == 1 && p->frag_total)
                total = round_total = p->frag_num;
            if (!tracked || in_round[p->frag_num])
                continue;
            in_round[p->frag_num] = true;
            round_idx[p->frag_num] = j;
            bool round_complete = round_total > 0 && round_total <= MAX_TRACKED_FRAGMENTS;
            for (size_t k = 1; round_complete && k <= round_total; k++)
                round_complete = in_round[k];
            if (round_complete) {
                assemble_frames(sa, j, round_idx, round_total);
                memset(in_round, 0, sizeof in_round);
                round_total = sa->version == 2 ? first->frag_total : 0;
            }
        }
        bool complete = total > 0 && total <= MAX_TRACKED_FRAGMENTS;
        for (size_t k = 1; complete && k <= total; k++)
            complete = seen[k];
        if (!complete)
            ike_msg_anomaly(&sa->msgs[last].msg, IKE_AN_FRAG_MISSING);
    }
}
