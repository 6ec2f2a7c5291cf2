/* rules.c: the rules that need only the SA timeline: error notifies
 * seen in the clear or decrypted, keys that do not fit, missing certificates and parser
 * anomalies. Silent peers and ICMP errors are in rules_silence.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/auth_info.h"
#include "analyze/findings.h"
#include "analyze/rule_registry.h"
#include "analyze/rules_internal.h"
#include "ike/names.h"
#include "ike/sa_internal.h"

const char *an_severity_name(enum an_severity s)
{
    static const char *const names[] = {
        [AN_SEV_INFO] = "info", [AN_SEV_WARNING] = "warning", [AN_SEV_ERROR] = "error"
    };
    return (unsigned)s < 3 ? names[s] : "error";
}

const char *an_confidence_name(enum an_confidence c)
{
    return c == AN_CONF_LIKELY ? "likely" : "certain";
}

int an_severity_parse(const char *s)
{
    for (int i = AN_SEV_INFO; i <= AN_SEV_ERROR; i++)
        if (strcmp(s, an_severity_name((enum an_severity)i)) == 0)
            return i;
    return -1;
}

/* What an error notify means to an administrator, per IKE version and type; the rule's
 * registry row gives its severity and Windows code. */
struct notify_rule {
    uint8_t version;
    uint16_t type;
    const char *rule;
    const char *meaning;
};

static const struct notify_rule notify_rules[] = {
    { 2, 14, "proposal.no_common",
      "The two sides share no acceptable set of algorithms (encryption, integrity, PRF, "
      "DH group). Compare the proposals in the SA payloads and align the configurations." },
    { 2, 17, "ke.invalid_group",
      "The responder does not accept the Diffie-Hellman group of the initiator's KE payload; "
      "the notify names the group it wants. Normally the initiator retries with that group." },
    { 2, 24, "auth.failed",
      "The peer could not verify the authentication: wrong pre-shared key, an untrusted "
      "or unacceptable certificate, a bad signature, or an identity it does not accept." },
    { 2, 38, "ts.unacceptable",
      "The responder accepts none of the proposed traffic selectors: the subnets or "
      "protocols configured for the tunnel differ between the two sides." },
    { 2, 36, "internal_address.failure",
      "The responder could not assign a virtual IP address (CP) to the client." },
    { 2, 37, "cp.required",
      "The responder requires a configuration payload (virtual IP request) the initiator did not send." },
    { 2, 7, "ike.invalid_syntax",
      "The peer found the message malformed or unexpected." },
    { 2, 43, "temporary.failure",
      "The peer is busy with a collision (simultaneous rekey) and asks to retry later." },
    { 2, 44, "child_sa.not_found",
      "The peer does not know the CHILD_SA the request refers to." },
    { 1, 14, "proposal.no_common",
      "The two sides share no acceptable phase-1 or phase-2 proposal: compare encryption, "
      "hash, authentication method, DH group and lifetimes." },
    { 1, 18, "auth.invalid_id",
      "The peer does not accept the identity it was shown (ID payload)." },
    { 1, 23, "auth.invalid_hash",
      "The peer's HASH check failed: with pre-shared keys this nearly always means the keys differ." },
    { 1, 24, "auth.failed",
      "The peer could not verify the authentication (wrong pre-shared key or certificate)." },
    { 1, 25, "auth.invalid_signature",
      "The peer could not verify the signature: the certificate and private key do not match "
      "or the signed data was computed differently." },
    { 1, 20, "cert.invalid", "The peer rejected the certificate it was sent." },
};

static const struct notify_rule *notify_rule_for(uint8_t version, uint16_t type)
{
    for (size_t i = 0; i < sizeof notify_rules / sizeof notify_rules[0]; i++)
        if (notify_rules[i].version == version && notify_rules[i].type == type)
            return &notify_rules[i];
    return NULL;
}

struct an_finding *an_rule_add(struct an_findings *out, const char *rule, const struct ike_sa *sa,
                               const struct ike_sa_msg *sm)
{
    const struct an_rule_def *def = an_rule_find(rule);
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        struct an_finding *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return NULL;
        out->v = v;
        out->cap = cap;
    }
    struct an_finding *f = &out->v[out->n++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->severity = def ? def->severity : AN_SEV_ERROR;
    f->confidence = def ? def->confidence : AN_CONF_CERTAIN;
    f->sa = sa->id;
    f->windows_code = def ? def->windows_code : 0;
    if (sm) {
        f->input = sm->input;
        size_t n;
        const uint64_t *frames = ike_sa_msg_frames(sm, &n);
        f->frames = malloc((n ? n : 1) * sizeof *f->frames);
        if (f->frames && n) {
            memcpy(f->frames, frames, n * sizeof *f->frames);
            f->nframes = n;
        }
    }
    return f;
}

void an_rule_add_frames(struct an_finding *f, const uint64_t *frames, size_t n)
{
    if (n == 0)
        return;
    uint64_t *v = realloc(f->frames, (f->nframes + n) * sizeof *v);
    if (!v)
        return;
    memcpy(v + f->nframes, frames, n * sizeof *v);
    f->frames = v;
    f->nframes += n;
}

void an_rule_textf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    /* Too long for the finding (names and lists from the wire can be): end at a word with
     * " [...]" so that the cut shows, rather than mid-word as if that were all. */
    static const char mark[] = " [...]";
    if (n >= 0 && (size_t)n >= len && len > sizeof mark + 1) {
        size_t end = len - sizeof mark;
        while (end > 0 && buf[end] != ' ')
            end--;
        if (end == 0)
            end = len - sizeof mark;
        memcpy(buf + end, mark, sizeof mark);
    }
}

/* Did the initiator send another IKE_SA_INIT after this message (a retry)? */
static bool retried_after(const struct ike_sa *sa, size_t idx)
{
    for (size_t j = idx + 1; j < sa->nmsgs; j++)
        if (sa->msgs[j].retry)
            return true;
    return false;
}

/* Was the error at message idx overcome: the SA got established anyway and the
 * error belonged to the setup (IKE_SA_INIT, or IKEv1 phase 1 before quick mode)? */
static bool recovered_after(const struct ike_sa *sa, size_t idx)
{
    if (sa->outcome != IKE_OUTCOME_ESTABLISHED)
        return false;
    uint8_t x = sa->msgs[idx].msg.exchange;
    if (sa->version == 2)
        return x == 34;
    for (size_t j = 0; j < idx; j++)
        if (sa->msgs[j].msg.exchange == 32)
            return false;
    return x == 2 || x == 4 || x == 5;
}

/* Did this side send a CERT payload in its (decrypted) authentication messages? */
static bool sent_certificate(const struct ike_sa *sa, bool initiator)
{
    uint8_t cert = sa->version == 2 ? IKE2_PL_CERT : IKE1_PL_CERT;
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].from_initiator == initiator && ike_sa_msg_has(&sa->msgs[i], cert))
            return true;
    return false;
}

/* AUTHENTICATION_FAILED names no cause; how the rejected side authenticated narrows it
 * down. The side rejected is the one the notify was sent to (RFC 7296 §2.21.2: in the
 * IKE_AUTH response for the initiator, in a separate INFORMATIONAL for the responder). */
static const char *auth_failure_hint(const struct ike_sa *sa, const struct ike_sa_msg *notify)
{
    bool rejected_initiator = !notify->from_initiator;
    bool psk, signature;
    if (sa->version == 2) {
        uint8_t m;
        if (!an_sa_auth_method_id(sa, rejected_initiator, &m))
            return "";
        psk = m == 2; /* Shared Key Message Integrity Code */
        signature = ike_v2_auth_is_signature(m);
    } else {
        psk = ike_v1_auth_is_psk(sa->auth_method_v1);
        signature = ike_v1_auth_is_signature(sa->auth_method_v1);
    }
    if (psk)
        return rejected_initiator
                   ? " The initiator authenticated with a pre-shared key, so the likeliest cause is that the "
                     "two sides hold different keys (or the responder picked the key of another identity)."
                   : " The responder authenticated with a pre-shared key, so the likeliest cause is that the "
                     "two sides hold different keys.";
    if (signature && !sent_certificate(sa, rejected_initiator))
        return rejected_initiator
                   ? " The initiator signed with a certificate it did not send (no CERT payload), which the "
                     "responder cannot verify unless it holds that certificate already."
                   : " The responder signed with a certificate it did not send (no CERT payload), which the "
                     "initiator cannot verify unless it holds that certificate already.";
    if (signature)
        return rejected_initiator
                   ? " The initiator authenticated with a certificate signature: the responder most likely "
                     "does not trust the CA that issued it, or finds it expired, revoked, or for another "
                     "identity; the responder's log names which."
                   : " The responder authenticated with a certificate signature: the initiator most likely "
                     "does not trust the CA that issued it, or finds it expired, revoked, or for another "
                     "identity; the initiator's log names which.";
    return "";
}

/* RFC 7296 §3.10.1: INVALID_KE_PAYLOAD carries the group the responder wants, two octets
 * after the notify header (protocol, SPI size, type) and any SPI. */
static bool invalid_ke_group(const struct ike_payload *p, uint16_t *group)
{
    if (p->body_len < 4)
        return false;
    size_t off = 4 + (size_t)p->body[1];
    if (p->body_len < off + 2)
        return false;
    *group = (uint16_t)(p->body[off] << 8 | p->body[off + 1]);
    return true;
}

void an_rule_error_notifies(const struct ike_sa *sa, struct an_findings *out)
{
    char name[64], xname[40];
    uint8_t ntype = sa->version == 2 ? IKE2_PL_NOTIFY : IKE1_PL_N;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->retransmission)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++) {
            const struct ike_payload *p = &sm->msg.payloads[k];
            if (p->type != ntype || !ike_notify_is_error(sa->version, p->notify_type))
                continue;
            ike_notify_name(sa->version, p->notify_type, name, sizeof name);
            ike_exchange_name(sa->version, sm->msg.exchange, xname, sizeof xname);
            const struct notify_rule *nr = notify_rule_for(sa->version, p->notify_type);
            enum an_severity sev = AN_SEV_ERROR;
            const char *rule = nr ? nr->rule : "notify.error";
            bool recovered = false;
            if (sa->version == 2 && p->notify_type == 17 && retried_after(sa, i)) {
                sev = AN_SEV_INFO;
                rule = "ke.invalid_group_retry";
            } else if (recovered_after(sa, i)) {
                sev = AN_SEV_WARNING;
                recovered = true;
            }
            struct an_finding *f = an_rule_add(out, rule, sa, sm);
            if (!f)
                return;
            /* Overcome on the way: not what stopped the SA, so no Windows error either. */
            if (recovered) {
                f->severity = AN_SEV_WARNING;
                f->windows_code = 0;
            }
            char wants[80] = "";
            uint16_t group;
            if (sa->version == 2 && p->notify_type == 17 && invalid_ke_group(p, &group)) {
                char gname[48];
                snprintf(wants, sizeof wants, ": it wants %s (group %u)", ike_dh_group_name(group, gname, sizeof gname),
                         (unsigned)group);
            }
            an_rule_textf(f->title, sizeof f->title, "%s sent N(%s) in %s%s%s",
                  sm->from_initiator ? "Initiator" : "Responder", name, xname,
                  p->inner ? " (decrypted)" : "", wants);
            if (sev == AN_SEV_INFO)
                an_rule_textf(f->detail, sizeof f->detail,
                      "%s The initiator retried with another group, so this cost one round trip "
                      "but did not stop the negotiation; configure the preferred group first to save it.",
                      nr->meaning);
            else
                an_rule_textf(f->detail, sizeof f->detail, "%s%s%s",
                      nr ? nr->meaning : "The peer reported an error it does not explain further; "
                                         "its own log says why.",
                      recovered ? " The negotiation went on and the SA was established afterwards, "
                                  "so this did not stop it." : "",
                      nr && strcmp(nr->rule, "auth.failed") == 0 ? auth_failure_hint(sa, sm) : "");
        }
    }
}

/* What some anomalies mean to an administrator; the rest get a generic text. */
static const char *const anomaly_meaning[IKE_AN_COUNT] = {
    [IKE_AN_CAPTURE_INCOMPLETE] =
        "The capture holds only the first part of this message: IP fragments are missing (a capture "
        "filter on UDP ports drops non-first fragments) or the snap length cut the packet.",
    [IKE_AN_LEGACY_ICV] =
        "The integrity check value covers only the IV and ciphertext, not the IKE header as RFC 7296 "
        "section 3.14 requires; old Openswan versions computed it so. Conformant peers reject it.",
    [IKE_AN_ICV_MISMATCH] =
        "The keys supplied for this SA do not verify this message's integrity check: wrong keys, or "
        "a message damaged in transit.",
    [IKE_AN_FRAG_MISSING] =
        "Not every fragment of this fragmented message (RFC 7383 or IKEv1 fragmentation) is in the "
        "capture: the others were lost before the capture point, so the receiver could not rebuild "
        "the message either, unless the capture simply missed them.",
    [IKE_AN_DECRYPT_FAILED] =
        "Decryption gave no valid payloads: wrong keys (IKEv1 has no integrity check to tell), or "
        "a damaged message.",
};

void an_rule_anomalies(const struct ike_sa *sa, struct an_findings *out)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        for (size_t k = 0; k < sm->msg.nanomalies; k++) {
            enum ike_anomaly an = (enum ike_anomaly)sm->msg.anomalies[k];
            /* rule_keys and rule_integrity already say why, once for the SA. */
            if ((an == IKE_AN_ICV_MISMATCH || an == IKE_AN_DECRYPT_FAILED) &&
                (sa->keys == IKE_SA_KEYS_WRONG || sa->keys == IKE_SA_KEYS_SWAPPED))
                continue;
            if (an == IKE_AN_ICV_MISMATCH && sa->version == 2 && sa->keys == IKE_SA_KEYS_MATCHED)
                continue;
            const char *name = ike_anomaly_name(an);
            /* A fragmented request that was answered reached its receiver whole: only the
             * capture point lost fragments. */
            bool capture_only = an == IKE_AN_FRAG_MISSING && !sm->response && sm->peer >= 0;
            struct an_finding *f = an_rule_add(out, name, sa, sm);
            if (!f)
                return;
            if (capture_only)
                f->severity = AN_SEV_INFO;
            if (capture_only) {
                an_rule_textf(f->title, sizeof f->title,
                              "Fragments of message %zu (message ID %u) are missing from the capture only", i + 1,
                              (unsigned)sm->msg.msg_id);
                an_rule_textf(f->detail, sizeof f->detail,
                              "%s: not every fragment of this fragmented request is in the capture, but the "
                              "receiver answered it, so it got them all. The capture point lost them (a busy "
                              "mirror port, a full capture buffer); nothing is wrong between the peers.",
                              name);
                continue;
            }
            enum ike_anomaly a = (enum ike_anomaly)sm->msg.anomalies[k];
            const char *meaning = (unsigned)a < IKE_AN_COUNT ? anomaly_meaning[a] : NULL;
            /* IKEv2 checks integrity before decrypting (RFC 7296 §3.14): the IKEv1 wording
             * ("no integrity check to tell") does not apply. */
            if (a == IKE_AN_DECRYPT_FAILED && sa->version == 2)
                meaning = "The message does not decrypt to a valid payload chain: either its integrity check "
                          "passed with the keys given and the padding or payload lengths inside are "
                          "impossible (the sender built it wrongly), or its encrypted payload's layout is "
                          "impossible for the negotiated cipher (a damaged or cut message).";
            an_rule_textf(f->title, sizeof f->title, "%s in message %zu (message ID %u)",
                  meaning ? "Problem" : "Malformed or unexpected content", i + 1, (unsigned)sm->msg.msg_id);
            if (meaning)
                an_rule_textf(f->detail, sizeof f->detail, "%s: %s", name, meaning);
            else
                an_rule_textf(f->detail, sizeof f->detail,
                      "%s. See docs/payloads.md for what it means; a peer sending this may be buggy, "
                      "or the capture damaged it.", name);
        }
    }
}

static const struct ike_sa_msg *first_encrypted(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].msg.encrypted)
            return &sa->msgs[i];
    return NULL;
}

void an_rule_keys(const struct ike_sa *sa, struct an_findings *out)
{
    const struct ike_sa_msg *enc = first_encrypted(sa);
    if (!enc || sa->keys == IKE_SA_KEYS_NOT_GIVEN || sa->keys == IKE_SA_KEYS_MATCHED)
        return;
    char spis[40];
    snprintf(spis, sizeof spis, "%02x%02x%02x%02x%02x%02x%02x%02x", sa->spi_i[0], sa->spi_i[1], sa->spi_i[2],
             sa->spi_i[3], sa->spi_i[4], sa->spi_i[5], sa->spi_i[6], sa->spi_i[7]);
    struct an_finding *f;
    switch (sa->keys) {
    case IKE_SA_KEYS_NONE_MATCH:
        f = an_rule_add(out, "decrypt.no_matching_keys", sa, enc);
        if (!f)
            return;
        an_rule_textf(f->title, sizeof f->title, "Keys were given, but none belongs to this SA");
        an_rule_textf(f->detail, sizeof f->detail,
              "No key set names initiator SPI %s, and none of the key sets without SPIs (charon logs) "
              "verifies this SA's messages. The key file is probably from another connection or another "
              "run of the daemon.", spis);
        break;
    case IKE_SA_KEYS_WRONG:
    case IKE_SA_KEYS_SWAPPED:
        f = an_rule_add(out, "decrypt.wrong_keys", sa, enc);
        if (!f)
            return;
        an_rule_textf(f->title, sizeof f->title, "The keys given for this SA do not fit it");
        if (sa->keys == IKE_SA_KEYS_SWAPPED)
            an_rule_textf(f->detail, sizeof f->detail,
                  "The key set for SPI %s verifies only with the initiator's and responder's keys swapped: "
                  "SK_ei/SK_ai and SK_er/SK_ar are in each other's columns in the key file.", spis);
        else
            an_rule_textf(f->detail, sizeof f->detail,
                  "A key set names SPI %s, but %s with it: the keys are from another SA that reused the "
                  "SPIs, were copied wrongly, or the algorithms in the key file differ from the negotiated "
                  "ones.", spis,
                  sa->version != 2                          ? "decryption yields no valid payloads"
                  : enc->decrypt == IKE_DECRYPT_ICV_MISMATCH ? "the integrity check fails"
                                                             : "the message passes its integrity check and "
                                                               "still cannot be decrypted (impossible padding)");
        break;
    default:
        break;
    }
}

/* Keys that opened this SA, yet some messages fail their integrity check. Which messages
 * tells why: every one from one side (that side's keys are wrong in the key file), or a
 * few among verified ones from the same sender (damaged packets). RFC 7296 §3.14. */
void an_rule_integrity(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->version != 2 || sa->keys != IKE_SA_KEYS_MATCHED)
        return;
    unsigned ok[2] = { 0, 0 }, bad[2] = { 0, 0 };
    const struct ike_sa_msg *first_bad[2] = { NULL, NULL };
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        bool side = sm->from_initiator;
        if (sm->decrypt == IKE_DECRYPT_OK || sm->decrypt == IKE_DECRYPT_FRAGMENT)
            ok[side]++;
        else if (sm->decrypt == IKE_DECRYPT_ICV_MISMATCH) {
            bad[side]++;
            if (!first_bad[side])
                first_bad[side] = sm;
        }
    }
    for (int side = 1; side >= 0; side--) {
        if (!bad[side])
            continue;
        const char *who = side ? "initiator" : "responder";
        const char *other = side ? "responder" : "initiator";
        struct an_finding *f;
        if (ok[side] == 0) {
            f = an_rule_add(out, "decrypt.wrong_keys", sa, first_bad[side]);
            if (!f)
                return;
            an_rule_textf(f->title, sizeof f->title, "The keys fit the %s's messages but not the %s's", other, who);
            an_rule_textf(f->detail, sizeof f->detail,
                          "The key set verifies every encrypted message from the %s, and none of the %u from "
                          "the %s: the %s's keys (SK_e%c and SK_a%c) in the key file are wrong or from another "
                          "SA, while the %s's are right. Those messages stay undecrypted.",
                          other, bad[side], who, who, side ? 'i' : 'r', side ? 'i' : 'r', other);
        } else {
            f = an_rule_add(out, "decrypt.damaged_message", sa, first_bad[side]);
            if (!f)
                return;
            an_rule_textf(f->title, sizeof f->title, "%u message%s from the %s fail%s the integrity check",
                          bad[side], bad[side] == 1 ? "" : "s", who, bad[side] == 1 ? "s" : "");
            an_rule_textf(f->detail, sizeof f->detail,
                          "The same keys verify %u other encrypted message%s from the %s, so the keys are "
                          "right: %s damaged on the way or in the capture (bit errors, a middlebox rewriting "
                          "bytes, a bad capture card). A receiver drops such a message silently and waits for "
                          "the retransmission. The frames listed are the first failing one's.",
                          ok[side], ok[side] == 1 ? "" : "s", who,
                          bad[side] == 1 ? "this message was most likely" : "these messages were most likely");
        }
    }
}

/* RFC 7296 §3.8 / RFC 7427: AUTH methods that are signatures, so need the signer's certificate. */
static bool auth_is_signature(uint8_t method)
{
    return method == 1 || method == 3 || method == 9 || method == 10 || method == 11 || method == 14;
}

/* A side that authenticates with a signature but sends no CERT although the
 * other side asked for one with CERTREQ: unless the peer already holds that
 * certificate, it cannot verify the AUTH (Windows: ERROR_IPSEC_IKE_NO_PEER_CERT). */
/* IKEv1 Main Mode (RFC 2409 §5.1): messages 5 and 6 carry ID, CERT and SIG; CR goes in
 * message 3/4 or with them. A decrypted message with SIG and no CERT, after the other side
 * asked with CR, is the IKEv1 form of the same failure. */
static void no_peer_cert_v1(const struct ike_sa *sa, struct an_findings *out)
{
    if (!ike_v1_auth_is_signature(sa->auth_method_v1))
        return;
    bool cr_from[2] = { false, false };
    for (size_t i = 0; i < sa->nmsgs; i++)
        if (sa->msgs[i].msg.exchange == IKE1_EXCH_MAIN && ike_sa_msg_has(&sa->msgs[i], IKE1_PL_CR))
            cr_from[sa->msgs[i].from_initiator] = true;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != IKE1_EXCH_MAIN || sm->retransmission || !sm->msg.decrypted ||
            !ike_sa_msg_has(sm, IKE1_PL_SIG) || ike_sa_msg_has(sm, IKE1_PL_CERT) || !cr_from[!sm->from_initiator])
            continue;
        const char *who = sm->from_initiator ? "initiator" : "responder";
        const char *other = sm->from_initiator ? "responder" : "initiator";
        struct an_finding *f = an_rule_add(out, "auth.no_peer_cert", sa, sm);
        if (!f)
            return;
        an_rule_textf(f->title, sizeof f->title, "The %s signed its Main Mode message but sent no certificate", who);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s's Main Mode message %d carries ID and SIG and no CERT payload, although the %s "
                      "asked for one with CR (RFC 2409 section 5.1). Unless the %s already holds the %s's "
                      "certificate, it cannot verify the signature and fails phase 1. Configure the %s to "
                      "send its certificate (strongSwan: send_cert = always or ifasked; libreswan: "
                      "leftsendcert=always), or install it on the %s.",
                      who, sm->from_initiator ? 5 : 6, other, other, who, who, other);
    }
}

void an_rule_no_peer_cert(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->version == 1)
        no_peer_cert_v1(sa, out);
    if (sa->version != 2)
        return;
    bool certreq_from[2] = { false, false };
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if ((sm->msg.exchange == 34 || sm->msg.exchange == 35) && ike_sa_msg_has(sm, IKE2_PL_CERTREQ))
            certreq_from[sm->from_initiator] = true;
    }
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != 35 || sm->retransmission || !sm->msg.decrypted)
            continue;
        const struct ike_payload *auth = NULL;
        for (size_t k = 0; k < sm->msg.npayloads && !auth; k++)
            if (sm->msg.payloads[k].type == IKE2_PL_AUTH)
                auth = &sm->msg.payloads[k];
        if (!auth || !auth_is_signature(auth->auth_method) || ike_sa_msg_has(sm, IKE2_PL_CERT))
            continue;
        bool asked = certreq_from[!sm->from_initiator];
        const char *who = sm->from_initiator ? "initiator" : "responder";
        const char *other = sm->from_initiator ? "responder" : "initiator";
        struct an_finding *f = an_rule_add(out, "auth.no_peer_cert", sa, sm);
        if (!f)
            return;
        /* Not asked for: the peer may hold the certificate already. */
        if (!asked) {
            f->severity = AN_SEV_WARNING;
            f->windows_code = 0;
        }
        an_rule_textf(f->title, sizeof f->title, "The %s signed its AUTH but sent no certificate", who);
        an_rule_textf(f->detail, sizeof f->detail,
              "The %s's IKE_AUTH carries a signature AUTH payload and no CERT payload%s. Unless the %s "
              "already holds the %s's certificate, it cannot verify the signature and fails the "
              "negotiation. Configure the %s to send its certificate (strongSwan: send_cert = always or "
              "ifasked; Windows: the machine certificate must be in the computer store), or install "
              "that certificate on the %s.",
              who, asked ? ", although the other side asked for one with CERTREQ" : "", other, who, who,
              other);
    }
}

void an_findings_cleanup(struct an_findings *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].frames);
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

/* A warning about an input as a whole (SA 0), with the first few frames it counted. */
static struct an_finding *input_warning(struct an_findings *out, const char *rule, unsigned input,
                                        const uint64_t *frames, uint64_t count, size_t kept)
{
    struct ike_sa none = { .id = 0 };
    struct an_finding *f = an_rule_add(out, rule, &none, NULL);
    if (!f)
        return NULL;
    f->input = input;
    an_rule_add_frames(f, frames, count < kept ? (size_t)count : kept);
    return f;
}

/* Packets on IKE ports cut by the snap length before their IKE header. */
static void rule_snaplen(unsigned input, const struct cap_stats *st, struct an_findings *out)
{
    if (!st || st->cut_before_ike == 0)
        return;
    struct an_finding *f = input_warning(out, "capture.snaplen", input, st->cut_frames, st->cut_before_ike,
                                         CAP_CUT_FRAMES);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "%llu packet%s on IKE ports cut by the snap length before the IKE header",
                  (unsigned long long)st->cut_before_ike, st->cut_before_ike == 1 ? "" : "s");
    an_rule_textf(f->detail, sizeof f->detail,
                  "The capture kept only the first bytes of these packets (its snap length), so not even "
                  "the IKE header is there and nothing can be said about them. Capture whole packets: "
                  "tcpdump -s 0 (the default since tcpdump 4.0), Wireshark's default, or a larger "
                  "snaplen. The frames listed are the first ones.");
}

/* IKE over TCP (RFC 8229) that could not be read to its end: bytes missing, or no framing. */
static void rule_tcp(unsigned input, const struct cap_stats *st, struct an_findings *out)
{
    struct an_finding *f;
    if (st && st->tcp_gaps && (f = input_warning(out, "capture.tcp_gaps", input, NULL, 0, 0))) {
        an_rule_textf(f->title, sizeof f->title,
                      "%llu IKE-over-TCP stream direction%s lost bytes; IKE messages after the gap are missing",
                      (unsigned long long)st->tcp_gaps, st->tcp_gaps == 1 ? "" : "s");
        an_rule_textf(f->detail, sizeof f->detail,
                      "A TCP segment on port 4500 is not in the capture (the capture host dropped it, or "
                      "it took a path the capture point does not see), or the capture ends in the middle "
                      "of an IKE message. Without those bytes the RFC 8229 record boundaries are lost, so "
                      "ikescope stopped reading that direction of the connection; the messages before the "
                      "gap are analysed. Capture closer to a peer, or with a larger buffer (tcpdump -B).");
    }
    if (st && st->tcp_unframed && (f = input_warning(out, "capture.tcp_not_rfc8229", input, NULL, 0, 0))) {
        an_rule_textf(f->title, sizeof f->title, "%llu TCP stream direction%s on port 4500 %s not RFC 8229",
                      (unsigned long long)st->tcp_unframed, st->tcp_unframed == 1 ? "" : "s",
                      st->tcp_unframed == 1 ? "is" : "are");
        an_rule_textf(f->detail, sizeof f->detail,
                      "After the optional IKETCP prefix, every RFC 8229 record starts with its 2-octet "
                      "length, which is at least 6; these streams start with a smaller one, so ikescope "
                      "reads nothing from them. A peer that writes IKE messages without the length field "
                      "looks like this (libreswan on a kernel without espintcp, run with its "
                      "tcp-skip-setsockopt-espintcp impairment), and so does another protocol on port "
                      "4500. Such a peer cannot interoperate with a conformant one.");
    }
}

/* Answers from many hosts to one initiator SPI whose requests the capture never shows: the
 * requests were sent in the target's name. Said once, with the count, instead of one silent
 * SA per answering host. */
#define REFLECTION_MIN_HOSTS 3

static void rule_reflection(unsigned input, const struct ike_input_counts *counts, struct an_findings *out)
{
    const struct ike_reflection *r = counts ? &counts->reflection : NULL;
    if (!r || r->reflectors < REFLECTION_MIN_HOSTS)
        return;
    char target[64], spi[20];
    cap_addr_str(&r->target, target, sizeof target);
    ike_hex(r->spi_i, 8, spi, sizeof spi);
    struct an_finding *f = input_warning(out, "capture.reflection", input, &r->first_frame, 1, 1);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "%llu hosts answered requests of %s that are not in the capture: reflection "
                  "or backscatter", (unsigned long long)r->reflectors, target);
    an_rule_textf(f->detail, sizeof f->detail,
                  "%llu different hosts sent %s answers to %s for the same initiator %s %s, and the capture "
                  "holds none of the requests they answer. Someone sent those requests with %s as their "
                  "source address: an attempt to use IKE responders as reflectors or amplifiers against "
                  "%s, or a scan whose answers (backscatter) reach this capture point. They are not "
                  "negotiations of this host and say nothing about its VPNs; each answering host appears "
                  "as an SA whose outcome is unknown. The frame listed is the first answer.",
                  (unsigned long long)r->reflectors, r->version == 2 ? "IKE_SA_INIT" : "main or aggressive mode",
                  target, r->version == 2 ? "SPI" : "cookie", spi, target, target);
}

/* Timestamps that go backwards: files merged by concatenation, or a capture host whose
 * clock was set back. Messages are taken in file order, as written. */
static void rule_time_backwards(unsigned input, const struct cap_stats *st, struct an_findings *out)
{
    if (!st || st->time_backwards == 0)
        return;
    struct an_finding *f = input_warning(out, "capture.time_backwards", input, st->time_backwards_frames,
                                         st->time_backwards, CAP_TIME_FRAMES);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "Time goes backwards at %llu packet%s of this capture",
                  (unsigned long long)st->time_backwards, st->time_backwards == 1 ? "" : "s");
    an_rule_textf(f->detail, sizeof f->detail,
                  "These packets carry an earlier timestamp than the packet before them (by up to %.3f s): "
                  "files joined one after the other instead of merged (mergecap -a, cat), several capture "
                  "points written into one file, or a capture host whose clock was set back. ikescope "
                  "reads the packets in file order and links exchanges by their SPIs and message IDs, so "
                  "the negotiations are still put together; durations and time gaps in this report may be "
                  "wrong. To order them by time: mergecap -w sorted.pcap (without -a), or reordercap. "
                  "The frames listed are the first ones that go back.",
                  (double)st->time_backwards_max_usec / 1e6);
}

void an_rules_input(unsigned input, const struct cap_stats *stats, const struct ike_input_counts *counts,
                    struct an_findings *out)
{
    rule_snaplen(input, stats, out);
    rule_time_backwards(input, stats, out);
    rule_tcp(input, stats, out);
    rule_reflection(input, counts, out);
    if (!counts || counts->not_ike == 0)
        return;
    struct an_finding *f = input_warning(out, "capture.not_ike", input, counts->not_ike_frames, counts->not_ike,
                                         IKE_NOT_IKE_FRAMES);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "%llu datagram%s on IKE ports %s not IKE",
          (unsigned long long)counts->not_ike, counts->not_ike == 1 ? "" : "s",
          counts->not_ike == 1 ? "is" : "are");
    an_rule_textf(f->detail, sizeof f->detail,
          "Shorter than an IKE header or with a version other than 1 or 2. Something else "
          "uses these ports, or the packets were damaged; they are not part of any SA. "
          "The frames listed are the first ones.");
}
