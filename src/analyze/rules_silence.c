/* rules_silence.c: requests nobody answered, and what the network said about them. A
 * silent peer is the commonest failure of all (Windows 13805, RAS 809); the capture can
 * often tell why: IP fragments that never arrived, or an ICMP error naming the cause. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze/icmp_text.h"
#include "analyze/rules_internal.h"
#include "ike/names.h"
#include "ike/sa_internal.h"

/* The ICMP errors about the requests from `from_initiator` sent since `since`. */
struct icmp_seen {
    const struct ike_sa_icmp *first;
    uint64_t frames[IKE_SA_MAX_ICMP];
    size_t n;
    bool from_peer; /* the first one came from the peer's own address */
};

static void icmp_about(const struct ike_sa *sa, bool from_initiator, const struct ike_time *since,
                       struct icmp_seen *out)
{
    memset(out, 0, sizeof *out);
    const struct ike_endpoint *peer = from_initiator ? &sa->responder : &sa->initiator;
    for (size_t i = 0; i < sa->nicmp; i++) {
        const struct ike_sa_icmp *e = &sa->icmp[i];
        if (e->about_initiator_msg != from_initiator || ike_time_before(&e->time, since))
            continue;
        if (!out->first) {
            out->first = e;
            out->from_peer = cap_addr_eq(&e->icmp.from, &peer->addr);
        }
        out->frames[out->n++] = e->frame;
    }
}

/* One or two sentences on what the ICMP errors say, for the detail of a finding. */
static void icmp_explanation(const struct ike_sa *sa, const struct icmp_seen *seen, bool to_responder,
                             char *buf, size_t len)
{
    char name[80], from[64];
    an_icmp_name(&seen->first->icmp, name, sizeof name);
    cap_addr_str(&seen->first->icmp.from, from, sizeof from);
    const struct ike_endpoint *peer = to_responder ? &sa->responder : &sa->initiator;
    const char *who = seen->from_peer ? (to_responder ? "The responder's host" : "The initiator's host")
                                      : "A router on the way";
    unsigned n = (unsigned)seen->n;
    switch (an_icmp_kind(&seen->first->icmp)) {
    case AN_ICMP_PORT_UNREACHABLE:
        snprintf(buf, len,
                 "%s (%s) answered %s with ICMP %s: the host is up, but nothing listens on UDP %u "
                 "there. Start the IKE service on it (strongSwan: charon; Windows: 'IKE and AuthIP "
                 "IPsec Keying Modules'), check that this is the right address, or, if the peer is "
                 "behind a NAT, forward UDP 500 and 4500 to it.",
                 who, from, n == 1 ? "the request" : "each try", name, peer->port);
        break;
    case AN_ICMP_PROHIBITED:
        snprintf(buf, len,
                 "%s (%s) answered with ICMP %s: a firewall or access list rejects IKE on the way. "
                 "Allow UDP 500 and 4500 (and IP fragments) between the peers.",
                 who, from, name);
        break;
    case AN_ICMP_UNREACHABLE:
        snprintf(buf, len,
                 "%s (%s) answered with ICMP %s: the peer's address cannot be reached from here "
                 "(the peer is down, or routing to it is broken).",
                 who, from, name);
        break;
    case AN_ICMP_TOO_BIG:
        snprintf(buf, len,
                 "%s (%s) answered with ICMP %s: the message is larger than a link on the path "
                 "carries and may not be fragmented there. Enable IKEv2 fragmentation (RFC 7383) "
                 "or lower the MTU the peers use.",
                 who, from, name);
        break;
    default:
        snprintf(buf, len, "%s (%s) answered with ICMP %s.", who, from, name);
        break;
    }
}

/* The capture shows the initiator's first message (responder SPI still zero) and nothing
 * from the responder, yet the initiator later writes the responder's SPI (IKEv1: cookie)
 * into its requests: it got an answer this capture does not hold. The capture point sees
 * one direction only, so silence proves nothing. (An SA whose setup is not in the capture,
 * such as one created by an encrypted CREATE_CHILD_SA, learnt its SPIs elsewhere.) */
static bool one_direction(const struct ike_sa *sa, const struct ike_sa_msg *first, struct an_findings *out)
{
    const struct ike_sa_msg *proof = ike_sa_one_direction_proof(sa);
    if (!first->from_initiator || !proof)
        return false;
    char xname[40];
    ike_exchange_name(sa->version, proof->msg.exchange, xname, sizeof xname);
    struct an_finding *f = an_rule_add(out, "capture.one_direction", sa, proof);
    if (!f)
        return true;
    an_rule_textf(f->title, sizeof f->title, "The capture holds only the initiator's side of this SA");
    an_rule_textf(f->detail, sizeof f->detail,
                  "Every message of this SA in the capture comes from the initiator, yet its %s carries the "
                  "responder's %s, which it can only have learnt from an answer: the responder did answer, "
                  "and this capture does not show it. The capture point sees one direction only "
                  "(asymmetric routing, a mirror port of one direction, or a capture filter on one "
                  "address), so it cannot tell whether or how the responder answered later requests. "
                  "Capture where both directions pass, or on one of the peers.",
                  xname, sa->version == 2 ? "SPI" : "cookie");
    return true;
}

enum { N_IKEV2_FRAGMENTATION_SUPPORTED = 16430 };

/* Did this side announce RFC 7383 fragmentation in its IKE_SA_INIT? */
static bool announced_fragmentation(const struct ike_sa *sa, bool initiator)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange == 34 && sm->from_initiator == initiator &&
            ike_sa_msg_has_notify(sm, N_IKEV2_FRAGMENTATION_SUPPORTED))
            return true;
    }
    return false;
}

/* What to change so that big messages stop depending on IP fragments. */
static const char *ike_fragmentation_advice(const struct ike_sa *sa)
{
    if (sa->version != 2)
        return "Enable IKE fragmentation on both sides (IKEv1: the Cisco/Microsoft fragmentation "
               "extension, strongSwan fragmentation = yes), or allow IP fragments through.";
    bool by_i = announced_fragmentation(sa, true), by_r = announced_fragmentation(sa, false);
    if (by_i && by_r)
        return "Both sides announced IKEv2 fragmentation (RFC 7383), yet the message went out in IP "
               "fragments: the sender's IKE fragment size is larger than the path carries (strongSwan: "
               "charon.fragment_size); lower it, or allow IP fragments through.";
    if (by_i)
        return "The initiator announced IKEv2 fragmentation (N(IKEV2_FRAGMENTATION_SUPPORTED)) and the "
               "responder did not: enable it on the responder, or allow IP fragments through.";
    if (by_r)
        return "The responder announced IKEv2 fragmentation (N(IKEV2_FRAGMENTATION_SUPPORTED)) and the "
               "initiator did not: enable it on the initiator (strongSwan: fragmentation = yes), or allow "
               "IP fragments through.";
    return "Neither side announced IKEv2 fragmentation (RFC 7383, N(IKEV2_FRAGMENTATION_SUPPORTED)) in "
           "IKE_SA_INIT: enable it on both (strongSwan: fragmentation = yes), or allow IP fragments through.";
}

bool an_rule_silence(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->nmsgs == 0)
        return false;
    /* The last request and how often it went out unanswered; `first` is its first send. */
    const struct ike_sa_msg *first = NULL;
    unsigned sends = 0;
    for (size_t i = sa->nmsgs; i-- > 0;) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->response || sm->peer >= 0) {
            if (!first)
                return false; /* the last thing seen is an answer */
            break;
        }
        if (first && (sm->msg.msg_id != first->msg.msg_id || sm->msg.exchange != first->msg.exchange ||
                      sm->from_initiator != first->from_initiator))
            break;
        first = sm;
        if (!ike_sa_msg_is_later_fragment(sm))
            sends++;
    }
    if (!first)
        return false;
    /* One direction only: silence proves nothing, whatever the outcome reads. */
    if (one_direction(sa, first, out))
        return false;
    /* After setup, a request at the very end of the capture may simply have been
     * cut off; one sent again and still unanswered is a real silence. */
    if (sa->outcome != IKE_OUTCOME_INCOMPLETE && sends < 2)
        return false;
    char xname[40];
    ike_exchange_name(sa->version, first->msg.exchange, xname, sizeof xname);
    bool earlier_answered = false;
    for (size_t i = 0; i < sa->nmsgs && &sa->msgs[i] != first; i++)
        earlier_answered = earlier_answered || sa->msgs[i].response;
    bool ip_fragmented = first->nframes > 1;
    bool cut = false;
    for (size_t k = 0; k < first->msg.nanomalies; k++)
        cut = cut || first->msg.anomalies[k] == IKE_AN_CAPTURE_INCOMPLETE;
    double span = (double)(sa->last_seen.sec - first->time.sec);
    const char *sender = first->from_initiator ? "initiator" : "responder";
    const char *times = sends == 1 ? "" : "s";
    if (cut) {
        struct an_finding *f = an_rule_add(out, "capture.fragments_missing", sa, first);
        if (!f)
            return false;
        an_rule_textf(f->title, sizeof f->title, "%s request unanswered, and the capture holds only part of it",
                      xname);
        an_rule_textf(f->detail, sizeof f->detail,
                      "Only the first part of the %s request is in the capture, so its other IP fragments "
                      "never reached the capture point, or a capture filter such as 'udp port 500 or udp "
                      "port 4500' dropped them (non-first fragments carry no UDP header). Capture again "
                      "with 'udp port 500 or udp port 4500 or (ip[6:2] & 0x1fff != 0) or ip6[6] == 44' to "
                      "tell a capture problem from fragments lost on the path.",
                      xname);
        return false;
    }
    struct icmp_seen icmp;
    icmp_about(sa, first->from_initiator, &first->time, &icmp);
    /* Port unreachable from the peer itself leaves no doubt; other ICMP errors and plain
     * silence leave room for a capture point that misses the return path. */
    bool certain = icmp.n && icmp.from_peer && an_icmp_kind(&icmp.first->icmp) == AN_ICMP_PORT_UNREACHABLE;
    struct an_finding *f = an_rule_add(out, "peer.no_response", sa, first);
    if (!f)
        return false;
    if (!certain)
        f->confidence = AN_CONF_LIKELY;
    an_rule_textf(f->title, sizeof f->title, "No answer to the %s request (sent %u time%s)", xname, sends, times);
    if (icmp.n) {
        char why[480];
        icmp_explanation(sa, &icmp, first->from_initiator, why, sizeof why);
        an_rule_textf(f->detail, sizeof f->detail, "The %s sent %s %u time%s over %.0f s and no IKE answer came back. %s",
                      sender, xname, sends, times, span, why);
        an_rule_add_frames(f, icmp.frames, icmp.n);
    } else if (earlier_answered) {
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s sent %s %u time%s over %.0f s and nothing came back in this capture. The peer "
                      "answered earlier exchanges of this SA, so it is reachable: it dropped this request or "
                      "failed while processing it (its own log says why), or the answers are lost on the way.",
                      sender, xname, sends, times, span);
    } else {
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s sent %s %u time%s over %.0f s and nothing came back in this capture. Either the "
                      "peer is not running IKE on that address and port, a firewall drops UDP 500/4500, or the "
                      "capture point does not see the return path.",
                      sender, xname, sends, times, span);
    }
    /* The likely why, after the what. */
    if (ip_fragmented && earlier_answered) {
        f = an_rule_add(out, "path.fragments_lost", sa, first);
        if (!f)
            return icmp.n > 0;
        an_rule_textf(f->title, sizeof f->title, "%s request of %zu bytes was IP-fragmented and never answered",
                      xname, first->msg.raw_len);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s request was sent %u time%s in %zu IP fragments each and got no answer. Earlier "
                      "exchanges with the same peer were answered, so the peer is alive: the fragments were "
                      "most likely dropped on the path (firewall or NAT device discarding IP fragments). %s",
                      xname, sends, times, first->nframes, ike_fragmentation_advice(sa));
    }
    return icmp.n > 0;
}

void an_rule_icmp(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->nicmp == 0)
        return;
    const struct ike_sa_icmp *e = &sa->icmp[0];
    struct an_finding *f = an_rule_add(out, "path.icmp_error", sa, NULL);
    if (!f)
        return;
    f->input = e->input;
    uint64_t frames[IKE_SA_MAX_ICMP];
    for (size_t i = 0; i < sa->nicmp; i++)
        frames[i] = sa->icmp[i].frame;
    an_rule_add_frames(f, frames, sa->nicmp);
    char name[80];
    an_icmp_name(&e->icmp, name, sizeof name);
    an_rule_textf(f->title, sizeof f->title, "ICMP %s about %s IKE datagram%s", name,
                  sa->icmp_total == 1 ? "an" : "this SA's", sa->icmp_total == 1 ? "" : "s");
    struct icmp_seen seen = { .first = e, .n = sa->nicmp };
    const struct ike_endpoint *peer = e->about_initiator_msg ? &sa->responder : &sa->initiator;
    seen.from_peer = cap_addr_eq(&e->icmp.from, &peer->addr);
    char why[480];
    icmp_explanation(sa, &seen, e->about_initiator_msg, why, sizeof why);
    an_rule_textf(f->detail, sizeof f->detail,
                  "%" PRIu64 " ICMP error%s came back about IKE messages of this SA. %s The negotiation did "
                  "not stop at them here, but a later retransmission or rekey may.",
                  sa->icmp_total, sa->icmp_total == 1 ? "" : "s", why);
}
