/* sa_outcome.c: decides whether an IKE SA was established, failed, left incomplete or
 * cannot be told (encrypted), and records the evidence (RFC 7296 §1.2, §2.21; RFC 2409 §5). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike/crypto/cipher.h"
#include "ike/names.h"
#include "ike/sa_internal.h"

const struct ike_payload *ike_sa_msg_error_notify(const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    uint8_t ntype = sa->version == 2 ? IKE2_PL_NOTIFY : IKE1_PL_N;
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        if (p->type == ntype && ike_notify_is_error(sa->version, p->notify_type))
            return p;
    }
    return NULL;
}

bool ike_sa_msg_has_notify(const struct ike_sa_msg *sm, uint16_t type)
{
    for (size_t i = 0; i < sm->msg.npayloads; i++)
        if (sm->msg.payloads[i].type == IKE2_PL_NOTIFY && sm->msg.payloads[i].notify_type == type)
            return true;
    return false;
}

const struct ike_payload *ike_sa_msg_payload(const struct ike_sa_msg *sm, uint8_t type)
{
    for (size_t i = 0; i < sm->msg.npayloads; i++)
        if (sm->msg.payloads[i].type == type)
            return &sm->msg.payloads[i];
    return NULL;
}

bool ike_sa_msg_has(const struct ike_sa_msg *sm, uint8_t type)
{
    return ike_sa_msg_payload(sm, type) != NULL;
}

bool ike_sa_msg_is_later_fragment(const struct ike_sa_msg *sm)
{
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        if ((p->type == IKE2_PL_SKF && sm->msg.version == 2) || (p->type == IKE1_PL_FRAG && sm->msg.version == 1))
            return p->frag_num > 1;
    }
    return false;
}

static bool asks_retry(const struct ike_sa_msg *sm)
{
    return sm->response && sm->msg.exchange == IKE2_EXCH_SA_INIT &&
           (ike_sa_msg_has_notify(sm, IKE2_N_INVALID_KE_PAYLOAD) || ike_sa_msg_has_notify(sm, IKE2_N_COOKIE));
}

bool ike_sa_asks_retry(const struct ike_sa *sa)
{
    return sa->nmsgs > 0 && asks_retry(&sa->msgs[sa->nmsgs - 1]);
}

static const char *notify_label(const struct ike_sa *sa, const struct ike_payload *p, char *buf,
                                size_t len)
{
    return ike_notify_name(sa->version, p->notify_type, buf, len);
}

/* Number of times the latest request was sent, and whether anything answered it. */
struct last_request {
    const struct ike_sa_msg *msg;
    unsigned sends;
    bool answered;
};

static struct last_request last_request(const struct ike_sa *sa)
{
    struct last_request lr = { NULL, 0, false };
    for (size_t i = sa->nmsgs; i-- > 0;) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->response)
            continue;
        if (!lr.msg) {
            lr.msg = sm;
        } else if (sm->from_initiator != lr.msg->from_initiator ||
                   sm->msg.msg_id != lr.msg->msg.msg_id || sm->msg.exchange != lr.msg->msg.exchange) {
            break;
        }
        if (!ike_sa_msg_is_later_fragment(sm))
            lr.sends++;
        if (sm->peer >= 0)
            lr.answered = true;
        lr.msg = sm;
    }
    return lr;
}

static void set(struct ike_sa *sa, enum ike_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set(struct ike_sa *sa, enum ike_outcome o, const char *fmt, ...)
{
    va_list ap;
    sa->outcome = o;
    va_start(ap, fmt);
    vsnprintf(sa->evidence, sizeof sa->evidence, fmt, ap);
    va_end(ap);
}

static const char *xname(const struct ike_sa *sa, uint8_t exch, char *buf, size_t len)
{
    return ike_exchange_name(sa->version, exch, buf, len);
}

/* Exchanges within this long of the IKE_AUTH response are part of the setup's aftermath
 * (an initiator rejecting the responder's AUTH answers within milliseconds); later ones
 * are traffic continuing after a pause: DPD, rekeying, a Delete. */
#define V2_AFTERMATH_SEC 10

static double seconds_between(const struct ike_time *a, const struct ike_time *b)
{
    return (double)(b->sec - a->sec) + ((double)b->usec - (double)a->usec) / 1e6;
}

static struct ike_v2_suite sa_suite(const struct ike_sa *sa)
{
    struct ike_v2_suite s = { sa->encr, sa->encr_key_bits, sa->integ, sa->prf };
    return s;
}

/* Can this encrypted message hold more than `inner` bytes of payloads? 1 yes, 0 no, -1 when
 * the layout is unknown (algorithms not seen, fragmented, or not encrypted). */
static int holds_more_than(const struct ike_sa *sa, const struct ike_sa_msg *sm, size_t inner)
{
    const struct ike_payload *sk = ike_sa_msg_payload(sm, IKE2_PL_SK);
    struct ike_v2_suite suite = sa_suite(sa);
    size_t ct, need = ike_v2_sk_min_ciphertext(&suite, inner);
    if (!sk || !need || !ike_v2_sk_ciphertext_len(&suite, sk->body_len, &ct))
        return -1;
    return ct > need;
}

/* RFC 7296 §3.10: a notify without SPI or data is 8 bytes (generic header, protocol, SPI
 * size, type); a Delete of the IKE SA (§3.11) is as long. */
#define V2_BARE_NOTIFY_LEN 8

static void esp_evidence(const struct ike_sa *sa, char *buf, size_t len)
{
    const struct ike_sa_esp *e = &sa->esp;
    char spis[64] = "";
    size_t off = 0;
    for (size_t i = 0; i < e->nspis && off < sizeof spis; i++)
        off += (size_t)snprintf(spis + off, sizeof spis - off, "%s0x%08x", i ? ", " : "", (unsigned)e->spis[i]);
    snprintf(buf, len, "%llu ESP packet%s went between the hosts (%s; SPI %s%s), from frame %llu",
             (unsigned long long)e->packets, e->packets == 1 ? "" : "s",
             e->both_directions ? "both ways" : "one way only", spis, e->nspis == IKE_SA_ESP_SPIS ? ", ..." : "",
             (unsigned long long)e->first_frame);
}

/* IKE_AUTH was answered, but neither answer is readable: decide from what followed. Only
 * what proves a working SA makes it established; a lone notify-sized INFORMATIONAL right
 * after IKE_AUTH is the shape of a rejection, not of success. */
static void judge_v2_encrypted(struct ike_sa *sa, const struct ike_sa_msg *auth_resp)
{
    char ev[160];
    unsigned child_answered = 0, info_requests = 0;
    bool responder_request = false, after_pause = false;
    const struct ike_sa_msg *first_info = NULL;
    size_t first_info_idx = 0, auth_resp_idx = (size_t)(auth_resp - sa->msgs);
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (i <= auth_resp_idx || sm->retransmission || sm->msg.exchange == IKE2_EXCH_AUTH ||
            ike_sa_msg_is_later_fragment(sm))
            continue;
        if (seconds_between(&auth_resp->time, &sm->time) > V2_AFTERMATH_SEC)
            after_pause = true;
        if (sm->response) {
            if (sm->msg.exchange == IKE2_EXCH_CREATE_CHILD_SA)
                child_answered++;
            continue;
        }
        if (!sm->from_initiator)
            responder_request = true;
        if (sm->msg.exchange == IKE2_EXCH_INFORMATIONAL && info_requests++ == 0) {
            first_info = sm;
            first_info_idx = i;
        }
    }
    if (sa->esp.packets) {
        esp_evidence(sa, ev, sizeof ev);
        set(sa, IKE_OUTCOME_ESTABLISHED, "IKE_AUTH was answered and %s", ev);
        return;
    }
    if (child_answered) {
        set(sa, IKE_OUTCOME_ESTABLISHED, "IKE_AUTH was answered and %u CREATE_CHILD_SA exchange%s answered afterwards",
            child_answered, child_answered == 1 ? " was" : "s were");
        return;
    }
    if (after_pause || responder_request || info_requests > 1) {
        set(sa, IKE_OUTCOME_ESTABLISHED, "IKE_AUTH was answered and the SA carried %s",
            after_pause ? "exchanges after a pause (DPD, rekeying or a Delete)"
            : responder_request ? "an exchange the responder started"
                                : "several INFORMATIONAL exchanges");
        return;
    }
    if (holds_more_than(sa, auth_resp, V2_BARE_NOTIFY_LEN) == 0 && !ike_sa_msg_is_later_fragment(auth_resp)) {
        sa->likely = IKE_LIKELY_RESPONDER_REJECTED;
        sa->likely_msg = auth_resp_idx;
        set(sa, IKE_OUTCOME_UNKNOWN,
            "likely failed: the IKE_AUTH response is too short to hold AUTH and an identity, only "
            "a notify (the responder refused the initiator); keys would confirm it");
        return;
    }
    if (first_info && first_info->from_initiator &&
        seconds_between(&auth_resp->time, &first_info->time) <= V2_AFTERMATH_SEC &&
        holds_more_than(sa, first_info, V2_BARE_NOTIFY_LEN) == 0) {
        sa->likely = IKE_LIKELY_INITIATOR_REJECTED;
        sa->likely_msg = first_info_idx;
        set(sa, IKE_OUTCOME_UNKNOWN,
            "likely failed: right after IKE_AUTH the initiator sent one INFORMATIONAL of the size of "
            "a single notify and nothing followed (the shape of AUTHENTICATION_FAILED); keys would "
            "confirm it");
        return;
    }
    set(sa, IKE_OUTCOME_UNKNOWN,
        info_requests ? "IKE_AUTH was answered and an INFORMATIONAL exchange followed, all encrypted; give "
                        "--keys to see whether authentication succeeded"
                      : "IKE_AUTH was answered but the answer is encrypted; give --keys to see whether "
                        "authentication succeeded");
}

/* IKEv2: walk the exchanges in order; an error answer to IKE_SA_INIT or to the
 * authentication decides failure. */
static void judge_v2(struct ike_sa *sa)
{
    char nbuf[64], xbuf[40];
    const struct ike_sa_msg *auth_resp = NULL, *init_resp = NULL;
    bool later_exchange = false, setup_seen = false;

    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        uint8_t x = sm->msg.exchange;
        if (x == IKE2_EXCH_SA_INIT || x == IKE2_EXCH_AUTH)
            setup_seen = true;
        const struct ike_payload *err = ike_sa_msg_error_notify(sa, sm);
        if (sm->response && x == IKE2_EXCH_SA_INIT) {
            if (asks_retry(sm))
                continue; /* judged below: a retry may follow */
            if (err) {
                set(sa, IKE_OUTCOME_FAILED, "the responder refused IKE_SA_INIT with N(%s)",
                    notify_label(sa, err, nbuf, sizeof nbuf));
                return;
            }
            init_resp = sm;
        }
        if (x == IKE2_EXCH_AUTH && sm->response) {
            /* RFC 7296 §1.2: an IKE_AUTH answer that authenticates (AUTH) but
             * refuses the CHILD_SA still creates the IKE SA. */
            if (err && !ike_sa_msg_has(sm, IKE2_PL_AUTH)) {
                set(sa, IKE_OUTCOME_FAILED, "the responder rejected IKE_AUTH with N(%s)",
                    notify_label(sa, err, nbuf, sizeof nbuf));
                return;
            }
            if (!sm->retransmission)
                auth_resp = sm; /* with EAP, the last IKE_AUTH round decides */
        }
        /* RFC 7296 §2.21.2: an initiator that rejects the responder's AUTH
         * says so in a separate INFORMATIONAL request. */
        if (auth_resp && x == IKE2_EXCH_INFORMATIONAL && !sm->response && sm->from_initiator &&
            err && err->notify_type == IKE2_N_AUTHENTICATION_FAILED) {
            set(sa, IKE_OUTCOME_FAILED,
                "the initiator rejected the responder's authentication (N(%s) after IKE_AUTH)",
                notify_label(sa, err, nbuf, sizeof nbuf));
            return;
        }
        if (auth_resp && !sm->retransmission && x != IKE2_EXCH_AUTH)
            later_exchange = true;
        if (!setup_seen && sm->response && sm->peer >= 0 && !err)
            later_exchange = true;
    }

    if (auth_resp) {
        bool has_auth = ike_sa_msg_has(auth_resp, IKE2_PL_AUTH);
        bool has_eap = ike_sa_msg_has(auth_resp, IKE2_PL_EAP);
        const struct ike_payload *child_err = ike_sa_msg_error_notify(sa, auth_resp);
        if (auth_resp->msg.decrypted && has_auth && !has_eap) {
            if (child_err)
                set(sa, IKE_OUTCOME_ESTABLISHED,
                    "the IKE SA was authenticated, but the responder refused the CHILD_SA with N(%s)",
                    notify_label(sa, child_err, nbuf, sizeof nbuf));
            else
                set(sa, IKE_OUTCOME_ESTABLISHED,
                    "the IKE_AUTH response carries the responder's AUTH and no error");
            return;
        }
        if (auth_resp->msg.decrypted && has_eap && !later_exchange) {
            set(sa, IKE_OUTCOME_UNKNOWN, "EAP authentication was still in progress when the capture ends");
            return;
        }
        judge_v2_encrypted(sa, auth_resp);
        return;
    }

    if (!setup_seen && sa->rekey_of) {
        set(sa, later_exchange ? IKE_OUTCOME_ESTABLISHED : IKE_OUTCOME_UNKNOWN,
            "%s by rekeying IKE SA #%u (CREATE_CHILD_SA%s)%s", sa->rekey_inferred ? "probably created" : "created",
            sa->rekey_of, sa->rekey_inferred ? " answered just before between the same hosts; --keys would confirm it" : "",
            later_exchange ? "; its exchanges were answered" : "");
        return;
    }
    if (!setup_seen && sa->continues) {
        set(sa, later_exchange ? IKE_OUTCOME_ESTABLISHED : IKE_OUTCOME_INCOMPLETE,
            "continues IKE SA #%u, whose record was closed after it had been idle; %s", sa->continues,
            later_exchange ? "its exchanges were answered" : "no exchange was answered since");
        return;
    }
    if (!setup_seen) {
        if (sa->esp.packets) {
            char ev[160];
            esp_evidence(sa, ev, sizeof ev);
            set(sa, IKE_OUTCOME_ESTABLISHED, "the capture starts after this SA was set up; %s", ev);
        } else if (later_exchange)
            set(sa, IKE_OUTCOME_ESTABLISHED,
                "the capture starts after this SA was set up; its exchanges were answered");
        else
            set(sa, IKE_OUTCOME_INCOMPLETE,
                "the capture starts after this SA was set up and shows no answered exchange");
        return;
    }

    struct last_request lr = last_request(sa);
    if (lr.msg && !lr.answered) {
        set(sa, IKE_OUTCOME_INCOMPLETE, "no answer to the %s request (sent %u time%s)",
            xname(sa, lr.msg->msg.exchange, xbuf, sizeof xbuf), lr.sends, lr.sends == 1 ? "" : "s");
        return;
    }
    if (sa->nmsgs && asks_retry(&sa->msgs[sa->nmsgs - 1])) {
        set(sa, IKE_OUTCOME_INCOMPLETE, "the responder asked for a retry (%s) and the initiator never retried",
            ike_sa_msg_has_notify(&sa->msgs[sa->nmsgs - 1], IKE2_N_COOKIE) ? "COOKIE" : "INVALID_KE_PAYLOAD");
        return;
    }
    if (init_resp)
        set(sa, IKE_OUTCOME_INCOMPLETE, "IKE_SA_INIT completed but no IKE_AUTH followed");
    else
        set(sa, IKE_OUTCOME_INCOMPLETE, "the negotiation did not get past IKE_SA_INIT");
}

/* IKEv1: phase 1 by counting distinct main/aggressive mode messages; a cleartext
 * error notify (INFORMATIONAL) fails it; answered quick mode shows it was used. */
static void judge_v1(struct ike_sa *sa)
{
    char nbuf[64], xbuf[40];
    unsigned mm = 0, am = 0, mm_r = 0, am_i = 0;
    bool qm_answered = false, qm_seen = false, encrypted_info = false, last_p1_authenticated = false;
    /* The initiator's INFORMATIONAL as the very next message after main mode 6, within
     * seconds: a Delete (readable) or an encrypted one (without keys). */
    const struct ike_sa_msg *mm6 = NULL;
    size_t after_mm6 = SIZE_MAX;
    bool after_mm6_delete = false, after_mm6_encrypted = false, more_after = false;
    const struct ike_payload *err = NULL;
    const struct ike_sa_msg *err_msg = NULL;
    bool progress_after_err = false;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        const struct ike_payload *e = ike_sa_msg_error_notify(sa, sm);
        if (e && !err) {
            err = e;
            err_msg = sm;
        }
        if (sm->retransmission || ike_sa_msg_is_later_fragment(sm))
            continue;
        switch (sm->msg.exchange) {
        case IKE1_EXCH_MAIN:
            mm++;
            mm_r += !sm->from_initiator;
            /* Main mode 6: the responder's HASH_R or SIG_R, readable once decrypted. */
            if (!sm->from_initiator && mm_r >= 3) {
                last_p1_authenticated = sm->msg.decrypted && (ike_sa_msg_has(sm, IKE1_PL_HASH) ||
                                                              ike_sa_msg_has(sm, IKE1_PL_SIG));
                mm6 = sm;
            }
            break;
        case IKE1_EXCH_AGGRESSIVE:
            am++;
            am_i += sm->from_initiator;
            break;
        case IKE1_EXCH_QUICK:
            qm_seen = true;
            if (!sm->from_initiator)
                qm_answered = true;
            break;
        case IKE1_EXCH_INFORMATIONAL:
            if (sm->msg.encrypted && !sm->msg.decrypted)
                encrypted_info = true;
            if (mm6 && after_mm6 == SIZE_MAX && sm->from_initiator && sm->time.sec - mm6->time.sec <= 5) {
                after_mm6 = i;
                after_mm6_delete = sm->msg.decrypted && ike_sa_msg_has(sm, IKE1_PL_D);
                after_mm6_encrypted = sm->msg.encrypted && !sm->msg.decrypted;
                continue;
            }
            break;
        default: break;
        }
        if (err && sm != err_msg && sm->msg.exchange != IKE1_EXCH_INFORMATIONAL)
            progress_after_err = true;
        if (after_mm6 != SIZE_MAX && i > after_mm6 && sm->msg.exchange != IKE1_EXCH_INFORMATIONAL)
            more_after = true;
    }
    /* A notify only ends the negotiation if nothing moved on after it: some
     * peers complain and then accept a retransmitted offer. */
    if (err && !progress_after_err) {
        set(sa, IKE_OUTCOME_FAILED, "the %s sent N(%s)", err_msg->from_initiator ? "initiator" : "responder",
            notify_label(sa, err, nbuf, sizeof nbuf));
        return;
    }
    /* Main mode ends with the responder's third message, aggressive mode with
     * the initiator's second (RFC 2409 §5). */
    bool phase1_done = mm_r >= 3 || am_i >= 2;
    /* An initiator that accepts main mode 6 goes on to quick mode at once; one that deletes
     * the ISAKMP SA instead, within seconds and with nothing else, refused the responder's
     * authentication (strongSwan does so; a notify would say it outright). */
    bool refused_after_mm6 = mm6 && after_mm6 != SIZE_MAX && !qm_seen && !more_after;
    if (refused_after_mm6 && after_mm6_delete) {
        sa->likely = IKE_LIKELY_INITIATOR_REJECTED; /* why: a Delete does not say */
        sa->likely_msg = after_mm6;
        set(sa, IKE_OUTCOME_FAILED, "main mode completed, then the initiator deleted the ISAKMP SA at once "
                                    "instead of starting quick mode: it did not accept the responder");
        return;
    }
    if (refused_after_mm6 && after_mm6_encrypted) {
        sa->likely = IKE_LIKELY_INITIATOR_REJECTED;
        sa->likely_msg = after_mm6;
    }
    if (qm_answered || (!mm && !am && qm_seen)) {
        if (err)
            set(sa, IKE_OUTCOME_ESTABLISHED,
                "phase 1 completed and quick mode was answered, after an earlier N(%s) from the %s",
                notify_label(sa, err, nbuf, sizeof nbuf), err_msg->from_initiator ? "initiator" : "responder");
        else
            set(sa, IKE_OUTCOME_ESTABLISHED, "phase 1 completed and quick mode was answered");
        return;
    }
    if (phase1_done && (last_p1_authenticated || qm_seen)) {
        set(sa, IKE_OUTCOME_ESTABLISHED, "phase 1 completed%s%s",
            last_p1_authenticated ? " and the responder's last message authenticates it" : "",
            qm_seen ? (qm_answered ? "; quick mode was answered" : "; the initiator went on to quick mode, "
                                                                 "which got no answer")
                    : "");
        return;
    }
    if (phase1_done && sa->esp.packets) {
        char ev[160];
        esp_evidence(sa, ev, sizeof ev);
        set(sa, IKE_OUTCOME_ESTABLISHED, "phase 1 completed and %s", ev);
        return;
    }
    if (phase1_done) {
        set(sa, IKE_OUTCOME_UNKNOWN,
            "phase 1 messages all exchanged, but they are encrypted%s; give --keys to see "
            "whether authentication succeeded",
            encrypted_info ? " and an encrypted INFORMATIONAL followed" : "");
        return;
    }
    struct last_request lr = { NULL, 0, false };
    if (sa->nmsgs) {
        const struct ike_sa_msg *last = &sa->msgs[sa->nmsgs - 1];
        for (size_t i = 0; i < sa->nmsgs; i++)
            if (sa->msgs[i].msg.raw_len == last->msg.raw_len &&
                memcmp(sa->msgs[i].msg.raw, last->msg.raw, last->msg.raw_len) == 0)
                lr.sends++;
        lr.msg = last;
    }
    if (lr.msg) {
        char what[96];
        snprintf(what, sizeof what, "%s message %u", xname(sa, lr.msg->msg.exchange, xbuf, sizeof xbuf),
                 lr.msg->msg.exchange == IKE1_EXCH_MAIN ? mm : am);
        char times[48];
        snprintf(times, sizeof times, "sent %u time%s", lr.sends, lr.sends == 1 ? "" : "s");
        set(sa, IKE_OUTCOME_INCOMPLETE, "phase 1 stopped after %s (%s)", what, times);
        return;
    }
    set(sa, IKE_OUTCOME_INCOMPLETE, "no messages");
}

const struct ike_sa_msg *ike_sa_one_direction_proof(const struct ike_sa *sa)
{
    static const uint8_t zero[8];
    if (sa->nmsgs == 0 || memcmp(sa->msgs[0].msg.spi_r, zero, 8) != 0)
        return NULL;
    const struct ike_sa_msg *proof = NULL;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (!sm->from_initiator)
            return NULL;
        if (!proof && memcmp(sm->msg.spi_r, zero, 8) != 0)
            proof = sm;
    }
    return proof;
}

const char *ike_likely_name(enum ike_likely l)
{
    switch (l) {
    case IKE_LIKELY_RESPONDER_REJECTED: return "responder-rejected";
    case IKE_LIKELY_INITIATOR_REJECTED: return "initiator-rejected";
    case IKE_LIKELY_NONE: break;
    }
    return NULL;
}

/* Every message from the responder: the capture lacks the initiator's side. */
static bool responder_only(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].from_initiator)
            return false;
    return sa->nmsgs > 0;
}

void ike_sa_judge(struct ike_sa *sa)
{
    if (responder_only(sa)) {
        set(sa, IKE_OUTCOME_UNKNOWN, "%s",
            sa->answer_first ? "the capture holds only the responder's answer, not the request it answers: the "
                               "request was missed, or someone sent it in the initiator's name (see "
                               "capture.reflection)"
                             : "the capture holds only the responder's messages: it sees one direction and "
                               "cannot show the outcome");
        return;
    }
    if (ike_sa_one_direction_proof(sa)) {
        set(sa, IKE_OUTCOME_UNKNOWN,
            "the capture holds only the initiator's messages, and they carry the responder's %s, so "
            "the responder did answer: this capture sees one direction and cannot show the outcome",
            sa->version == 2 ? "SPI" : "cookie");
        return;
    }
    if (sa->version == 2)
        judge_v2(sa);
    else
        judge_v1(sa);
}

bool ike_sa_looks_settled(const struct ike_sa *sa)
{
    if (sa->nmsgs == 0)
        return true;
    const struct ike_sa_msg *last = &sa->msgs[sa->nmsgs - 1];
    if (ike_sa_msg_error_notify(sa, last) && !asks_retry(last))
        return true;
    /* Unanswered IKE_SA_INIT / phase-1 attempts are settled once idle. */
    if (sa->version == 2)
        return last->msg.exchange == IKE2_EXCH_SA_INIT || last->msg.exchange == IKE2_EXCH_AUTH;
    return last->msg.exchange == IKE1_EXCH_MAIN || last->msg.exchange == IKE1_EXCH_AGGRESSIVE;
}
