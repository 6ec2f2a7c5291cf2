/* rules_auth.c: auth.invalid_signature, from each side's signature AUTH verified with its
 * certificate key (RFC 7296 §2.15, RFC 7427), with the cause told apart. */
#include "analyze/rules_auth.h"

#include <stdio.h>
#include <string.h>

#include "analyze/rules_internal.h"


/* What each cause means for the reader, one row per cause. */
static const struct {
    enum an_auth_cause cause;
    const char *title;
    const char *meaning;
} causes[] = {
    { AN_AUTH_CAUSE_WRONG_KEY, "The %s's AUTH signature was not made by its certificate's key",
      "The signature was made with another private key than the one the sent certificate holds: the peer signs "
      "with a key that does not belong to its certificate (a renewed certificate with the old key, or the wrong "
      "certificate configured)." },
    { AN_AUTH_CAUSE_DATA_DIFFERS, "The %s's AUTH signature covers other data than the capture shows",
      "The signature is the certificate key's, but over other octets than this capture's IKE_SA_INIT, nonce and "
      "identity: something altered IKE_SA_INIT on the path, or the peers disagree on it." },
    { AN_AUTH_CAUSE_KEY_OR_DATA, "The %s's AUTH signature does not verify",
      "Either it was not made by the certificate's key, or it was made over other octets than the capture shows "
      "(IKE_SA_INIT altered on the path); this signature scheme cannot tell the two apart." },
    { AN_AUTH_CAUSE_NOT_ACCEPTABLE, "The %s's AUTH signature uses a hash or method the %s does not accept",
      "The signature method or its hash does not fit what the receiver accepts (its SIGNATURE_HASH_ALGORITHMS, "
      "RFC 7427 §4) or the certificate's key type." },
};

/* auth.failed (rules.c) from the peer names this invalid signature as its cause. */
static void name_cause(const struct ike_sa *sa, bool initiator, const struct an_auth_check *s, struct an_findings *out)
{
    const char *notifier = initiator ? "Responder " : "Initiator ";
    for (size_t i = 0; i < out->n; i++) {
        struct an_finding *f = &out->v[i];
        if (f->sa != sa->id || strcmp(f->rule, "auth.failed") != 0 || strncmp(f->title, notifier, strlen(notifier)) != 0)
            continue;
        size_t len = strlen(f->detail);
        an_rule_textf(f->detail + len, sizeof f->detail - len,
                      " The capture shows why: the %s's AUTH signature (%s) is invalid, %s (auth.invalid_signature).",
                      initiator ? "initiator" : "responder", s->algorithm, an_auth_cause_name(s->cause));
    }
}

static bool sha1(const struct an_auth_check *s)
{
    return strstr(s->algorithm, "SHA-1") != NULL;
}

/* The receiver answered the signer's AUTH with N(AUTHENTICATION_FAILED) (auth.failed), and
 * no certificate, chain or identity finding of this SA explains it. */
static bool refused_unexplained(const struct ike_sa *sa, bool signer_initiator, const struct an_findings *out)
{
    const char *notifier = signer_initiator ? "Responder " : "Initiator ";
    bool refused = false;
    for (size_t i = 0; i < out->n; i++) {
        const struct an_finding *f = &out->v[i];
        if (f->sa != sa->id)
            continue;
        if (strncmp(f->rule, "cert.", 5) == 0 || strncmp(f->rule, "chain.", 6) == 0 ||
            strncmp(f->rule, "id.", 3) == 0 || strncmp(f->rule, "psk.", 4) == 0)
            return false;
        refused = refused || (strcmp(f->rule, "auth.failed") == 0 && strncmp(f->title, notifier, strlen(notifier)) == 0);
    }
    return refused;
}

/* A SHA-1 signature that verifies, refused by its receiver for nothing else the capture
 * shows: a policy that forbids SHA-1 (RFC 8247 deprecates it for signatures; Windows Group
 * Policy and strongSwan's signature constraints can refuse it), 13838. */
static void sha1_refused(const struct ike_sa *sa, bool side, const struct an_auth_check *s,
                         const struct an_profile_choice *receiver, struct an_findings *out)
{
    const char *me = side ? "initiator" : "responder", *peer = side ? "responder" : "initiator";
    struct an_finding *f = an_rule_add(out, "auth.sha1_refused", sa, s->auth_msg);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "The %s refused the %s's valid SHA-1 signature", peer, me);
    an_rule_textf(f->detail, sizeof f->detail,
                  "The %s's AUTH (method %u, %s) verifies, yet the %s answered it with N(AUTHENTICATION_FAILED), "
                  "and nothing else in the capture (certificates, chain, identity) explains that. SHA-1 signatures "
                  "are deprecated (RFC 8247) and a policy that forbids them refuses this one: Windows reports "
                  "13838 ERROR_IPSEC_IKE_PROCESS_ERR_SIG, strongSwan logs a constraint check failure for a "
                  "remote auth of pubkey-sha256 or similar. %s Make the %s sign with SHA-256 or better (RFC 7427 "
                  "method 14: strongSwan signs with what the %s's SIGNATURE_HASH_ALGORITHMS offers; Windows: "
                  "a certificate and policy with SHA-256).",
                  me, s->method, s->algorithm, peer,
                  receiver->profile == AN_PROFILE_WINDOWS ? "The receiver is a Windows peer, whose IPsec policy is the "
                                                            "usual reason." : "",
                  me, peer);
}

/* Which side an auth.failed finding says was refused: 1 the initiator, 0 the responder,
 * -1 cannot tell. The refuser's notify comes from the other side. */
static int refused_side(const struct an_finding *f)
{
    if (strncmp(f->title, "Initiator sent", 14) == 0 || strstr(f->title, "initiator most likely rejected"))
        return 0;
    if (strncmp(f->title, "Responder sent", 14) == 0 || strstr(f->title, "responder most likely rejected"))
        return 1;
    return -1;
}

/* Does a finding concern what `side` presented? Its title names that side's certificate,
 * AUTH or key ("The responder's ...", "The responder signed ..."); id.mismatch is about the
 * identity both sides must agree on, whoever refused. */
static bool about_side(const struct an_finding *f, int side)
{
    const char *who = side ? "initiator" : "responder";
    char owner[40], subject[40];
    snprintf(owner, sizeof owner, "The %s's ", who);
    snprintf(subject, sizeof subject, "The %s ", who);
    if (strcmp(f->rule, "id.mismatch") == 0)
        return true;
    return strncmp(f->title, owner, strlen(owner)) == 0 || strncmp(f->title, subject, strlen(subject)) == 0;
}

void an_rule_auth_failed_cause(const struct ike_sa *sa, size_t from, struct an_findings *out)
{
    static const char *const causes[] = { "cert.", "chain.", "id.mismatch", "auth.no_peer_cert", "auth.sha1_refused",
                                          "psk.mismatch", "auth.invalid_signature" };
    for (size_t i = from; i < out->n; i++) {
        struct an_finding *f = &out->v[i];
        int side;
        if (f->sa != sa->id || strcmp(f->rule, "auth.failed") != 0 || (side = refused_side(f)) < 0 ||
            strstr(f->detail, "The capture shows why"))
            continue;
        for (size_t k = from; k < out->n; k++) {
            const struct an_finding *c = &out->v[k];
            bool cause = false;
            for (size_t j = 0; j < sizeof causes / sizeof causes[0] && !cause; j++)
                cause = strncmp(c->rule, causes[j], strlen(causes[j])) == 0;
            if (c->sa != sa->id || c->severity != AN_SEV_ERROR || !cause || !about_side(c, side))
                continue;
            if (strcmp(c->rule, "auth.no_peer_cert") == 0 && strstr(f->detail, "no CERT payload"))
                break; /* auth.failed's own text already gives this cause (rules.c) */
            size_t len = strlen(f->detail);
            bool the = strncmp(c->title, "The ", 4) == 0;
            an_rule_textf(f->detail + len, sizeof f->detail - len, " The capture shows why: %s%s (%s).",
                          the ? "the " : "", the ? c->title + 4 : c->title, c->rule);
            break;
        }
    }
}

void an_rules_auth(const struct ike_sa *sa, const struct an_auth_checks *ck, const struct an_profile_choice profile[2],
                   struct an_findings *out)
{
    for (int side = 1; side >= 0; side--) {
        const struct an_auth_check *s = &ck->side[side];
        const struct an_profile_choice *receiver = &profile[side ? 0 : 1];
        if (sa->version == 2 && sha1(s) && (s->result == AN_AUTH_VALID || s->result == AN_AUTH_KEY_CONSISTENT) &&
            refused_unexplained(sa, side, out)) {
            sha1_refused(sa, side, s, receiver, out);
            continue;
        }
        if (s->result != AN_AUTH_INVALID || (sa->version == 1 && s->method == 1))
            continue; /* an IKEv1 pre-shared-key HASH is no signature */
        const char *me = side ? "initiator" : "responder", *peer = side ? "responder" : "initiator";
        size_t k = 0;
        while (k < sizeof causes / sizeof causes[0] - 1 && causes[k].cause != s->cause)
            k++;
        struct an_finding *f = an_rule_add(out, "auth.invalid_signature", sa, s->auth_msg);
        name_cause(sa, side, s, out);
        if (!f)
            continue;
        an_rule_textf(f->title, sizeof f->title, causes[k].title, me, peer);
        an_rule_textf(f->detail, sizeof f->detail, "The %s's AUTH (method %u, %s): %s. %s The %s rejects it as an "
                      "invalid signature (13826).", me, s->method, s->algorithm, s->reason, causes[k].meaning, peer);
        if (s->cause == AN_AUTH_CAUSE_NOT_ACCEPTABLE && sha1(s) && receiver->profile == AN_PROFILE_WINDOWS) {
            /* Windows names a SHA-1 signature its policy forbids apart from a bad one. */
            f->windows_code = 13838;
            size_t len = strlen(f->detail);
            an_rule_textf(f->detail + len, sizeof f->detail - len,
                          " A Windows %s whose policy forbids SHA-1 reports this as 13838 "
                          "ERROR_IPSEC_IKE_PROCESS_ERR_SIG, not 13826.", peer);
        }
    }
}
