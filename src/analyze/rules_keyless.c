/* rules_keyless.c: what the sizes and timing of encrypted IKEv2 messages say when no keys
 * were given: likely findings, each naming the keys that would make it certain
 * (RFC 7296 §2.21.2 failure shapes, §3.6/§3.8 payload sizes). */
#include <string.h>

#include "analyze/rules_internal.h"
#include "ike/names.h"

enum { EXCH_IKE_AUTH = 35 }; /* RFC 7296 §3.1 */

/* An IKE message as it crossed the wire: the bytes of every fragment of one message
 * (RFC 7383), once, without retransmissions. */
static size_t message_bytes(const struct ike_sa *sa, const struct ike_sa_msg *first)
{
    size_t total = 0;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->retransmission || sm->from_initiator != first->from_initiator ||
            sm->response != first->response || sm->msg.exchange != first->msg.exchange ||
            sm->msg.msg_id != first->msg.msg_id)
            continue;
        total += sm->msg.raw_len;
    }
    return total;
}

static const struct ike_sa_msg *first_of(const struct ike_sa *sa, uint8_t exchange, bool response)
{
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].msg.exchange == exchange && sa->msgs[i].response == response && !sa->msgs[i].retransmission)
            return &sa->msgs[i];
    return NULL;
}

/* A CERTREQ either side let us see: the responder's travels in the clear in IKE_SA_INIT,
 * the initiator's inside its encrypted IKE_AUTH (RFC 7296 §1.2), so without keys the
 * responder's usually stands for both: these peers authenticate with certificates. */
static bool certreq_seen(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (ike_sa_msg_has(&sa->msgs[i], IKE2_PL_CERTREQ))
            return true;
    return false;
}

/* The key files that would turn these readings into certainties. */
static const char keys_hint[] =
    " Keys for this SA would make it certain: a strongSwan charon log at 'ike = 4' (or its "
    "Wireshark ikev2_decryption_table), libreswan's pluto log with 'plutodebug=all,private', or an "
    "ikescope key log; see docs/keys.md.";

static void likely_rejection(const struct ike_sa *sa, struct an_findings *out)
{
    const struct ike_sa_msg *sm = &sa->msgs[sa->likely_msg];
    bool by_responder = sa->likely == IKE_LIKELY_RESPONDER_REJECTED;
    struct an_finding *f = an_rule_add(out, "auth.failed", sa, sm);
    if (!f)
        return;
    f->confidence = AN_CONF_LIKELY; /* read from sizes and timing, not from the notify */
    an_rule_textf(f->title, sizeof f->title, "The %s most likely rejected the %s's authentication (encrypted)",
                  by_responder ? "responder" : "initiator", by_responder ? "initiator" : "responder");
    if (by_responder)
        an_rule_textf(f->detail, sizeof f->detail,
                      "The IKE_AUTH response is too short to hold an identity and an AUTH payload: it can "
                      "carry one notify without data and nothing else. A responder that accepts the "
                      "initiator answers with IDr and AUTH; one that does not answers with "
                      "N(AUTHENTICATION_FAILED) alone (RFC 7296 section 2.21.2). Wrong pre-shared key, "
                      "an untrusted or unacceptable certificate, or an identity the responder does not "
                      "accept; the responder's log says which.%s",
                      keys_hint);
    else
        an_rule_textf(f->detail, sizeof f->detail,
                      "Right after the IKE_AUTH response the initiator sent one INFORMATIONAL request of "
                      "the size of a single notify without data, and nothing followed: no CHILD_SA "
                      "traffic, no further exchange. That is how an initiator tells the responder it "
                      "rejects its authentication (N(AUTHENTICATION_FAILED), RFC 7296 section 2.21.2). "
                      "A Delete sent at once has the same size, so this is likely, not certain.%s",
                      keys_hint);
}

/*
 * Certificates are asked for (CERTREQ) and the initiator sent its own in an IKE_AUTH request;
 * the responder's answer is less than half that size, too short for a certificate of
 * similar keys plus its signature. The certificate-bearing request is the yardstick, so
 * the rule scales with the key sizes in play instead of assuming one.
 */
#define CERT_BEARING_MIN 1000 /* bytes: an IKE_AUTH below this holds no usual certificate */

static void likely_no_peer_cert(const struct ike_sa *sa, struct an_findings *out)
{
    const struct ike_sa_msg *req = first_of(sa, EXCH_IKE_AUTH, false);
    const struct ike_sa_msg *resp = first_of(sa, EXCH_IKE_AUTH, true);
    if (!req || !resp || !req->from_initiator || !certreq_seen(sa))
        return;
    size_t req_bytes = message_bytes(sa, req), resp_bytes = message_bytes(sa, resp);
    if (req_bytes < CERT_BEARING_MIN || resp_bytes * 2 > req_bytes)
        return;
    struct an_finding *f = an_rule_add(out, "auth.no_peer_cert", sa, resp);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "The responder most likely sent no certificate (encrypted)");
    an_rule_textf(f->detail, sizeof f->detail,
                  "These peers ask for certificates (CERTREQ), and the initiator's IKE_AUTH request, "
                  "which carries its certificate, is %zu bytes; the responder's IKE_AUTH response is %zu bytes, "
                  "too short for a certificate with keys of that size plus a signature. A responder "
                  "that sends no certificate can only be verified by an initiator that already holds it "
                  "(Windows: ERROR_IPSEC_IKE_NO_PEER_CERT). Configure the responder to send its "
                  "certificate (strongSwan: send_cert = always or ifasked).%s",
                  req_bytes, resp_bytes, keys_hint);
}

/* IKEv1 Main Mode (RFC 2409 §5.1): messages 5 and 6 are the encrypted ones (or the IKE
 * fragments that carry them); their bytes, one side's at a time. */
static size_t mm_encrypted_bytes(const struct ike_sa *sa, bool from_initiator)
{
    size_t total = 0;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->retransmission || sm->msg.exchange != 2 || sm->from_initiator != from_initiator)
            continue;
        if (sm->msg.encrypted || ike_sa_msg_has(sm, 132 /* IKE fragment */))
            total += sm->msg.raw_len;
    }
    return total;
}

static void likely_v1(const struct ike_sa *sa, struct an_findings *out)
{
    const struct ike_sa_msg *info = &sa->msgs[sa->likely_msg];
    size_t m5 = mm_encrypted_bytes(sa, true), m6 = mm_encrypted_bytes(sa, false);
    bool cr = false;
    for (size_t i = 0; i < sa->nmsgs; i++)
        cr = cr || ike_sa_msg_has(&sa->msgs[i], 7 /* CR */);
    bool m6_read = false;
    for (size_t i = 0; i < sa->nmsgs; i++)
        m6_read = m6_read || (sa->msgs[i].msg.exchange == 2 && !sa->msgs[i].from_initiator && sa->msgs[i].msg.decrypted);
    /* Decrypted, the message itself says (rules.c); only its size speaks without keys. */
    if (!m6_read && cr && ike_v1_auth_is_signature(sa->auth_method_v1) && m5 >= CERT_BEARING_MIN && m6 * 2 <= m5) {
        struct an_finding *f = an_rule_add(out, "auth.no_peer_cert", sa, info);
        if (f) {
            f->confidence = AN_CONF_LIKELY;
            an_rule_textf(f->title, sizeof f->title, "The responder most likely sent no certificate (encrypted)");
            an_rule_textf(f->detail, sizeof f->detail,
                          "These peers authenticate with signatures and ask for certificates (CR). The "
                          "initiator's Main Mode message 5, which carries its certificate, is %zu bytes; the "
                          "responder's message 6 is %zu bytes, too short for a certificate with keys of that "
                          "size plus a signature. An initiator that does not hold the responder's certificate "
                          "then cannot verify it (Windows: ERROR_IPSEC_IKE_NO_PEER_CERT). Configure the "
                          "responder to send its certificate.%s",
                          m5, m6, keys_hint);
        }
    }
    struct an_finding *f = an_rule_add(out, "auth.failed", sa, info);
    if (!f)
        return;
    f->confidence = AN_CONF_LIKELY;
    bool read = info->msg.decrypted;
    an_rule_textf(f->title, sizeof f->title, "The initiator most likely rejected the responder's authentication%s",
                  read ? " (it deleted the ISAKMP SA)" : " (encrypted)");
    an_rule_textf(f->detail, sizeof f->detail,
                  "Main Mode completed, and instead of starting Quick Mode the initiator sent %s within "
                  "seconds, and nothing followed. An initiator that accepts the responder's message 6 "
                  "negotiates its IPsec SA at once; one that does not deletes the ISAKMP SA or sends a notify "
                  "such as AUTHENTICATION_FAILED (RFC 2409 section 5, RFC 2408 section 3.14).%s",
                  read ? "a Delete of the ISAKMP SA, which does not say why" : "one encrypted INFORMATIONAL",
                  read ? " The initiator's log says why; a Delete carries no reason." : keys_hint);
}

void an_rule_keyless(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->version == 1 && sa->likely == IKE_LIKELY_INITIATOR_REJECTED && sa->likely_msg < sa->nmsgs) {
        likely_v1(sa, out);
        return;
    }
    if (sa->version != 2 || sa->outcome != IKE_OUTCOME_UNKNOWN || sa->likely == IKE_LIKELY_NONE ||
        sa->likely_msg >= sa->nmsgs)
        return;
    if (sa->likely == IKE_LIKELY_INITIATOR_REJECTED)
        likely_no_peer_cert(sa, out);
    likely_rejection(sa, out);
}
