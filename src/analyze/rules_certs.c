/* rules_certs.c: findings about the certificates each side sent, judged as the peer that
 * received them would judge them when they arrived: validity (RFC 5280 §4.1.2.5), key
 * usage (§4.2.1.3, RFC 4945 §5.1.3.2), extended key usage as Windows wants it (RFC 4945
 * §5.1.3.12), the chain to the given trust anchors with CRLs (RFC 5280 §6), and the
 * identity the initiator asked for against the responder's (RFC 7296 §3.5, RFC 4945 §3.1). */
#include "analyze/rules_certs.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/auth_info.h"
#include "analyze/chain_policy.h"
#include "analyze/identity.h"
#include "analyze/report.h"
#include "analyze/rules_internal.h"
#include "capture/capture.h"
#include "ike/msg.h"
#include "ike/names.h"


static const char *side_name(bool initiator) { return initiator ? "initiator" : "responder"; }
static const char *peer_name(bool initiator) { return initiator ? "responder" : "initiator"; }

static const char *cert_name(const struct an_x509 *x)
{
    return x->subject_cn ? x->subject_cn : x->subject;
}

/* "692 days", "5 hours", "3 minutes", "40 seconds", "0.4 seconds": a gap given in
 * microseconds, to the tenth of a second when under a minute. */
static const char *span_us(int64_t us, char *buf, size_t len)
{
    if (us < 0)
        us = -us;
    if (us < 60 * 1000000LL && us % 1000000) {
        snprintf(buf, len, "%" PRId64 ".%" PRId64 " seconds", us / 1000000, us % 1000000 / 100000);
        return buf;
    }
    int64_t s = us / 1000000;
    if (s >= 2 * 86400)
        snprintf(buf, len, "%" PRId64 " days", s / 86400);
    else if (s >= 2 * 3600)
        snprintf(buf, len, "%" PRId64 " hours", s / 3600);
    else if (s >= 120)
        snprintf(buf, len, "%" PRId64 " minutes", s / 60);
    else
        snprintf(buf, len, "%" PRId64 " second%s", s, s == 1 ? "" : "s");
    return buf;
}

static void problem(struct an_cert_checks *ck, bool initiator, unsigned index, const char *rule, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void problem(struct an_cert_checks *ck, bool initiator, unsigned index, const char *rule, const char *fmt, ...)
{
    if (ck->nproblems == AN_MAX_CERT_PROBLEMS)
        return;
    struct an_cert_problem *p = &ck->problems[ck->nproblems++];
    p->from_initiator = initiator;
    p->index = index;
    p->rule = rule;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->line, sizeof p->line, fmt, ap);
    va_end(ap);
}

static bool list_has(const struct an_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* Did this side authenticate with a signature (and so with its certificate's key)? */
static bool signed_auth(const struct ike_sa *sa, bool initiator)
{
    uint8_t m;
    if (sa->version == 1)
        return ike_v1_auth_is_signature(sa->auth_method_v1);
    return an_sa_auth_method_id(sa, initiator, &m) && ike_v2_auth_is_signature(m);
}

/* ------------------------------------------------------------------ */
/* Identity against certificate */

static bool dns_match(const char *pattern, const char *name)
{
    if (strcasecmp(pattern, name) == 0)
        return true;
    /* RFC 6125 §6.4.3: a wildcard as the whole leftmost label matches one label. */
    if (strncmp(pattern, "*.", 2) != 0)
        return false;
    const char *dot = strchr(name, '.');
    return dot && dot != name && strcasecmp(pattern + 1, dot) == 0;
}

static bool ip_equal(const char *a, const char *b)
{
    uint8_t x[16], y[16];
    int fam = strchr(a, ':') ? AF_INET6 : AF_INET;
    if ((strchr(b, ':') ? AF_INET6 : AF_INET) != fam)
        return false;
    return inet_pton(fam, a, x) == 1 && inet_pton(fam, b, y) == 1 && memcmp(x, y, fam == AF_INET ? 4 : 16) == 0;
}

bool an_cert_names_identity(const struct an_x509 *x, const char *type, const char *value)
{
    if (!x || x->error[0])
        return false;
    if (strcmp(type, "DER_ASN1_DN") == 0)
        return x->subject && strcasecmp(x->subject, value) == 0;
    const char *prefix = strcmp(type, "FQDN") == 0                 ? "DNS:"
                         : strcmp(type, "RFC822_ADDR") == 0        ? "email:"
                         : strncmp(type, "IPV4_ADDR", 9) == 0 ||
                                   strncmp(type, "IPV6_ADDR", 9) == 0 ? "IP:"
                                                                    : NULL;
    if (!prefix)
        return false;
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < x->san.n; i++) {
        const char *s = x->san.v[i];
        if (strncmp(s, prefix, pl) != 0)
            continue;
        s += pl;
        if (strcmp(prefix, "DNS:") == 0 ? dns_match(s, value)
            : strcmp(prefix, "IP:") == 0 ? ip_equal(s, value)
                                         : strcasecmp(s, value) == 0)
            return true;
    }
    return false;
}

static bool same_identity(const struct an_identity *a, const struct an_identity *b)
{
    if (strcmp(a->type, b->type) != 0)
        return false;
    if (strncmp(a->type, "IPV", 3) == 0)
        return ip_equal(a->value, b->value);
    return strcasecmp(a->value, b->value) == 0;
}

/* The IDr an IKEv2 initiator sent in IKE_AUTH: the identity it wants the responder to have. */
static const struct ike_sa_msg *requested_idr(const struct ike_sa *sa, struct an_identity *out)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != 35 || !sm->from_initiator || sm->response)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++)
            if (sm->msg.payloads[k].type == IKE2_PL_IDR && an_payload_identity(2, &sm->msg.payloads[k], out))
                return sm;
    }
    return NULL;
}

/* The responder's first IKE_AUTH response, when it carries N(AUTHENTICATION_FAILED) and
 * neither IDr nor CERT nor AUTH: it refused before saying who it is. */
static const struct ike_sa_msg *bare_auth_failure(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != 35 || !sm->response || sm->from_initiator || !sm->msg.decrypted)
            continue;
        bool failed = false, shown = false;
        for (size_t k = 0; k < sm->msg.npayloads; k++) {
            const struct ike_payload *p = &sm->msg.payloads[k];
            failed = failed || (p->type == IKE2_PL_NOTIFY && p->notify_type == 24);
            shown = shown || p->type == IKE2_PL_IDR || p->type == IKE2_PL_CERT || p->type == IKE2_PL_AUTH;
        }
        return failed && !shown ? sm : NULL;
    }
    return NULL;
}

static void rule_id_mismatch(const struct ike_sa *sa, const struct an_sa_certs *cs, struct an_cert_checks *ck,
                             struct an_findings *out)
{
    struct an_identity want, have;
    const struct ike_sa_msg *req = sa->version == 2 ? requested_idr(sa, &want) : NULL;
    if (!req)
        return;
    const struct an_x509 *ee = NULL;
    for (size_t i = 0; i < cs->ncerts && !ee; i++)
        if (!cs->certs[i].from_initiator && cs->certs[i].kind == AN_CERT_X509 && cs->certs[i].x &&
            !cs->certs[i].x->error[0])
            ee = cs->certs[i].x;
    bool have_r = an_sa_identity(sa, false, &have);
    struct an_finding *f;
    if (have_r) {
        if (same_identity(&want, &have) || an_cert_names_identity(ee, want.type, want.value))
            return;
        f = an_rule_add(out, "id.mismatch", sa, req);
        if (!f)
            return;
        an_rule_textf(f->title, sizeof f->title, "The initiator asked for %s, the responder is %s", want.value,
                      have.value);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The initiator's IDr (%s %s) is the identity it requires of the responder, and the "
                      "responder answered as %s %s%s%s. Unless the initiator accepts any identity, it "
                      "rejects the responder (strongSwan: \"no trusted public key found\"). Make the "
                      "initiator's remote identity (strongSwan: remote id / rightid) the responder's, "
                      "or put the requested name into the responder's certificate as a subjectAltName.",
                      want.type, want.value, have.type, have.value,
                      ee ? ", and its certificate does not name " : "", ee ? want.value : "");
        problem(ck, false, 0, "id.mismatch", "does not name %s, the identity the initiator asked for", want.value);
        return;
    }
    /* The responder did not show itself: its bare AUTHENTICATION_FAILED answer is what a
     * responder with no connection for the requested identity sends. A PSK or certificate
     * problem of the initiator answers the same way, so only when nothing else explains it. */
    const struct ike_sa_msg *fail = bare_auth_failure(sa);
    if (!fail || !signed_auth(sa, true))
        return;
    for (size_t i = 0; i < ck->nproblems; i++)
        if (ck->problems[i].from_initiator)
            return;
    const struct an_side_check *ic = &ck->side[1];
    if (ic->chain_checked && ic->chain.status != AN_CHAIN_OK)
        return;
    /* A responder refuses just as barely when it does not trust the initiator's chain: the
     * identity is the likely cause only once that chain is shown good (verified with the
     * anchors given, or reaching a CA the responder asked for). */
    if (ic->present && !(ic->chain_checked && ic->chain.status == AN_CHAIN_OK) && ic->requested_ca != 1)
        return;
    f = an_rule_add(out, "id.mismatch", sa, req);
    if (!f)
        return;
    f->confidence = AN_CONF_LIKELY;
    an_rule_add_frames(f, fail->frames, fail->nframes);
    an_rule_textf(f->title, sizeof f->title, "The responder refused the identity %s the initiator asked for",
                  want.value);
    an_rule_textf(f->detail, sizeof f->detail,
                  "The initiator required the responder to be %s %s (its IDr), and the responder answered "
                  "IKE_AUTH with N(AUTHENTICATION_FAILED) alone, without an identity, certificate or AUTH of "
                  "its own: it stopped before authenticating itself, which is how a responder without a "
                  "connection for that identity answers (strongSwan: \"no matching peer config found\"). "
                  "%sMake the initiator's remote identity one the responder has (its certificate's "
                  "subjectAltName), or add the name to the responder's configuration and certificate.",
                  want.type, want.value,
                  ic->chain_checked ? "The initiator's own certificate chain verifies, so that is not why. " : "");
}

/* ------------------------------------------------------------------ */
/* One side's certificates */

/* Microseconds from `t` to the certificate time `cert_sec` (positive when it is later). */
static int64_t gap_us(const struct ike_time *t, int64_t cert_sec)
{
    return (cert_sec - t->sec) * 1000000 - (int64_t)t->usec;
}

/* Clock skew: a certificate that became valid, or expired, less than a day from the check
 * time is usually a clock that is off rather than a certificate that is wrong. */
static void skew_note(struct an_finding *f, bool expired, int64_t gap, const char *peer)
{
    if (gap < 0)
        gap = -gap;
    if (gap >= 86400LL * 1000000)
        return;
    char g[32];
    span_us(gap, g, sizeof g);
    size_t used = strlen(f->detail);
    snprintf(f->detail + used, sizeof f->detail - used,
             " The gap is only %s: if the certificate is right, the clock of the %s (or of the host that "
             "captured) may be off by %s or more%s; check NTP there.",
             g, peer, g, expired ? " behind" : " ahead of the CA");
}

/* X.509 times have whole seconds and every IKE implementation compares them with the
 * clock's whole second (as OpenSSL does), so the check uses the check time's second; the
 * gaps in the text use the exact capture time. */
static void validity(const struct ike_sa *sa, const struct an_cert *c, bool is_ee, const struct ike_time *at,
                     bool at_given, struct an_side_check *sc, struct an_cert_checks *ck, struct an_findings *out)
{
    const struct an_x509 *x = c->x;
    if (!x->times_ok)
        return;
    bool expired = at->sec > x->not_after, early = at->sec < x->not_before;
    if (is_ee)
        sc->validity = expired ? "expired" : early ? "not_yet_valid" : "valid";
    if (!expired && !early)
        return;
    const bool ini = c->from_initiator;
    const char *when = at_given ? "the --at time" : "the capture time";
    char d1[40], d2[40], atbuf[40], gap[32];
    an_cert_time(x->not_before, d1, sizeof d1);
    an_cert_time(x->not_after, d2, sizeof d2);
    an_time_iso(at, atbuf, sizeof atbuf);
    const char *rule = expired ? "cert.expired" : "cert.not_yet_valid";
    struct an_finding *f = an_rule_add(out, rule, sa, &sa->msgs[c->msg]);
    if (!f)
        return;
    const char *role = is_ee ? "certificate" : "CA certificate";
    if (expired) {
        span_us(gap_us(at, x->not_after), gap, sizeof gap);
        an_rule_textf(f->title, sizeof f->title, "The %s's %s %s expired %s before %s", side_name(ini), role,
                      cert_name(x), gap, when);
        an_rule_textf(f->detail, sizeof f->detail,
                      "It is valid from %s to %s; the message that carried it was sent at %s. The %s "
                      "rejects an expired certificate (strongSwan: \"subject certificate invalid\"; Windows: "
                      "13801). Issue the %s a new certificate.",
                      d1, d2, atbuf, peer_name(ini), side_name(ini));
        skew_note(f, true, gap_us(at, x->not_after), peer_name(ini));
        problem(ck, ini, c->index, rule, "expired %.10s, %s before %s", d2, gap, at_given ? "--at" : "the capture");
    } else {
        span_us(gap_us(at, x->not_before), gap, sizeof gap);
        an_rule_textf(f->title, sizeof f->title, "The %s's %s %s is valid only from %.10s, %s after %s",
                      side_name(ini), role, cert_name(x), d1, gap, when);
        an_rule_textf(f->detail, sizeof f->detail,
                      "It is valid from %s to %s; the message that carried it was sent at %s, %s earlier. "
                      "The %s rejects a certificate before its notBefore (strongSwan: \"subject certificate "
                      "invalid\"; Windows: 13801). %s",
                      d1, d2, atbuf, gap, peer_name(ini),
                      gap_us(at, x->not_before) < 86400LL * 1000000
                          ? "So short a gap is clock skew: the clock of the CA that issued it is ahead, or "
                            "the clock of the verifying (or capturing) host is behind, by that much or more; "
                            "check NTP on all of them."
                          : "If the capture time is right, the certificate was issued with a future start "
                            "date (or the issuing CA's clock is far off); if not, fix the verifying host's "
                            "clock.");
        problem(ck, ini, c->index, rule, "not valid until %.10s, %s after %s", d1, gap,
                at_given ? "--at" : "the capture");
    }
}

static void key_usage(const struct ike_sa *sa, const struct an_cert *c, struct an_cert_checks *ck,
                      struct an_findings *out)
{
    const struct an_x509 *x = c->x;
    if (!x->key_usage.present || list_has(&x->key_usage, "digitalSignature") || !signed_auth(sa, c->from_initiator))
        return;
    const bool ini = c->from_initiator;
    bool nonrep = list_has(&x->key_usage, "nonRepudiation");
    char bits[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < x->key_usage.n && used < sizeof bits; i++)
        used += (size_t)snprintf(bits + used, sizeof bits - used, "%s%s", i ? ", " : "", x->key_usage.v[i]);
    struct an_finding *f = an_rule_add(out, "cert.key_usage", sa, &sa->msgs[c->msg]);
    if (!f)
        return;
    if (nonrep)
        f->severity = AN_SEV_WARNING;
    an_rule_textf(f->title, sizeof f->title, "The %s signed its AUTH with a certificate not for digitalSignature",
                  side_name(ini));
    an_rule_textf(f->detail, sizeof f->detail,
                  "The keyUsage of %s allows only %s, yet its key signs the IKE AUTH payload, which needs "
                  "digitalSignature (RFC 4945 section 5.1.3.2). %s Issue a certificate with digitalSignature "
                  "in keyUsage.",
                  cert_name(x), bits[0] ? bits : "nothing",
                  nonrep ? "strongSwan accepts nonRepudiation instead; Windows does not (13818)."
                         : "strongSwan rejects it (\"rejecting certificate without digitalSignature or "
                           "nonRepudiation keyUsage flags\"), and so does Windows (13818).");
    problem(ck, ini, c->index, "cert.key_usage", "keyUsage %s: no digitalSignature", bits);
}

/* What Windows requires of the other side's end-entity certificate: a server's needs
 * serverAuth, a client's clientAuth, either may have IKE Intermediate
 * (1.3.6.1.5.5.8.2.2) instead; no EKU at all, or anyExtendedKeyUsage, allows every use.
 * strongSwan and libreswan do not check EKU for IKE. */
static void eku(const struct ike_sa *sa, const struct an_cert *c, const struct an_profile_choice *receiver,
                struct an_cert_checks *ck, struct an_findings *out)
{
    const struct an_x509 *x = c->x;
    const bool ini = c->from_initiator;
    const char *needed = ini ? "clientAuth" : "serverAuth";
    if (!x->eku.present || list_has(&x->eku, needed) || list_has(&x->eku, "ikeIntermediate") ||
        list_has(&x->eku, "anyExtendedKeyUsage"))
        return;
    char got[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < x->eku.n && used < sizeof got; i++)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", i ? ", " : "", x->eku.v[i]);
    struct an_finding *f = an_rule_add(out, "cert.eku_mismatch", sa, &sa->msgs[c->msg]);
    if (!f)
        return;
    /* The receiver's own rules decide how bad it is (peer_profile.h). */
    if (receiver->profile == AN_PROFILE_WINDOWS)
        f->severity = AN_SEV_ERROR;
    else if (receiver->profile != AN_PROFILE_GENERIC)
        f->severity = AN_SEV_INFO;
    an_rule_textf(f->title, sizeof f->title, "The %s's certificate has no %s or IKE Intermediate EKU",
                  side_name(ini), needed);
    an_rule_textf(f->detail, sizeof f->detail,
                  "The extendedKeyUsage of %s lists only %s. A Windows %s rejects such a %s certificate "
                  "(13801; the chain policy check behind it is 13887 "
                  "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH): it needs %s (%s) or IKE Intermediate "
                  "(1.3.6.1.5.5.8.2.2). strongSwan and libreswan do not check EKU for IKE, so between them "
                  "this works. Reissue the certificate with %s, or with both.",
                  cert_name(x), got[0] ? got : "nothing", ini ? "server" : "client", ini ? "client" : "server",
                  needed, ini ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1", needed);
    size_t used2 = strlen(f->detail);
    snprintf(f->detail + used2, sizeof f->detail - used2, " The %s's profile here is %s (%s).", peer_name(ini),
             an_profile_name(receiver->profile), receiver->source);
    problem(ck, ini, c->index, "cert.eku_mismatch", "EKU %s: no %s or ikeIntermediate", got, needed);
}

/* Does the chain reach a CA the peer asked for? 1 yes, 0 no, -1 cannot tell. */
static int reaches_requested(const struct an_sa_certs *cs, bool sender_initiator, const struct an_x509 *ee,
                             const struct an_side_check *sc)
{
    bool any = false;
    for (size_t i = 0; i < cs->nreqs; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        if (r->from_initiator == sender_initiator || r->error[0])
            continue;
        any = true;
        if (r->any_ca)
            return 1;
        if (r->has_sha1) {
            for (size_t k = 0; k < cs->ncerts; k++) {
                const struct an_cert *c = &cs->certs[k];
                if (c->from_initiator == sender_initiator && c->x && c->x != ee && !c->x->error[0] &&
                    (memcmp(c->x->spki_sha1, r->ca_sha1, 20) == 0 || memcmp(c->x->key_sha1, r->ca_sha1, 20) == 0))
                    return 1;
            }
            for (size_t k = 0; sc->chain_checked && k < sc->chain.nca; k++)
                if (memcmp(sc->chain.ca_spki_sha1[k], r->ca_sha1, 20) == 0 ||
                    memcmp(sc->chain.ca_key_sha1[k], r->ca_sha1, 20) == 0)
                    return 1;
        } else if (r->dn && ee->issuer && strcasecmp(r->dn, ee->issuer) == 0) {
            return 1;
        }
    }
    if (!any)
        return -1;
    /* Only a chain built to its end says that no requested CA is in it. */
    bool complete = sc->chain_checked && sc->chain.top_self_signed &&
                    (sc->chain.status == AN_CHAIN_OK || sc->chain.status == AN_CHAIN_UNTRUSTED_ROOT);
    return complete ? 0 : -1;
}

static void append(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

/* A Windows client checks the responder's certificate for the name it dialled: the subject
 * CN or a dNSName SAN, and for an address it dialled, that address as a dNSName SAN (an
 * iPAddress SAN alone does not do). The dialled name is not on the wire; the responder's
 * FQDN identity and the address the client sent to stand for it. */
static void windows_name(const struct ike_sa *sa, const struct an_cert *eec, struct an_cert_checks *ck,
                         struct an_findings *out)
{
    const struct an_x509 *x = eec->x;
    struct an_identity id;
    char addr[64], names[400] = "";
    bool have_id = an_sa_identity(sa, false, &id) && strcmp(id.type, "FQDN") == 0;
    cap_addr_str(&sa->responder.addr, addr, sizeof addr);
    bool name_ok = have_id && (an_cert_names_identity(x, "FQDN", id.value) ||
                               (x->subject_cn && strcasecmp(x->subject_cn, id.value) == 0));
    bool addr_ok = an_cert_names_identity(x, "FQDN", addr) || (x->subject_cn && strcmp(x->subject_cn, addr) == 0);
    if (name_ok || addr_ok)
        return;
    size_t used = (size_t)snprintf(names, sizeof names, "CN=%s", x->subject_cn ? x->subject_cn : "(none)");
    for (size_t i = 0; i < x->san.n && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, ", %s", x->san.v[i]);
    struct an_finding *f = an_rule_add(out, "cert.windows_name", sa, &sa->msgs[eec->msg]);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "A Windows client finds neither %s nor %s as a name in %s",
                  have_id ? id.value : "the responder's name", addr, cert_name(x));
    an_rule_textf(f->detail, sizeof f->detail,
                  "The certificate names %s. A Windows VPN client accepts a server certificate only when the "
                  "server name it dialled is its subject CN or a dNSName SAN; a client that dials the address "
                  "%s needs \"%s\" as a dNSName SAN, for Windows does not match an iPAddress SAN.",
                  names, addr, addr);
    if (have_id)
        append(f->detail, sizeof f->detail, " Whether users dial %s or %s, Windows rejects it (13801).", id.value,
               addr);
    else
        append(f->detail, sizeof f->detail,
               " The responder identifies itself by its address, so users likely dial %s, and Windows rejects "
               "the certificate (13801).", addr);
    append(f->detail, sizeof f->detail,
           " strongSwan and libreswan match an IP identity against an iPAddress SAN, so between them this "
           "works. Add the name users dial and the address %s as dNSName SANs.", addr);
    problem(ck, false, eec->index, "cert.windows_name", "no dNSName or CN for %s%s%s", have_id ? id.value : "",
            have_id ? " or " : "", addr);
}

/* How each side installs a trust anchor, for the advice. */
#define TRUST_HOWTO                                                                                          \
    "(Windows: import it into the computer account's Trusted Root Certification Authorities, certlm.msc; " \
    "strongSwan: swanctl/x509ca; libreswan: the NSS database with certutil -A -t CT,,)"
#define CHAIN_CODES                                                                                           \
    "Windows: 13887 ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH, which a Windows VPN client's dialog often " \
    "shows as 13801; strongSwan: \"no issuer certificate found\" or \"no trusted RSA public key found\""


/* The chain ends at a self-signed root that path building reached and no anchor trusts. */
static void untrusted_root_text(struct an_finding *f, const struct an_x509 *ee, const char *root, bool ini,
                                const struct an_trust *trust, const char *asked)
{
    const char *who = side_name(ini), *peer = peer_name(ini);
    an_rule_textf(f->title, sizeof f->title, "The %s's certificate chains to %s, which the %s does not trust", who,
                  root, peer);
    an_rule_textf(f->detail, sizeof f->detail,
                  "The chain of %s ends in the root CA \"%s\", which is not among the trust anchors given "
                  "(--ca%s). The %s cannot reach a root it trusts and rejects it: a chain policy mismatch (%s).",
                  cert_name(ee), root, an_trust_has_crls(trust) ? ", with CRLs" : "", peer, CHAIN_CODES);
    if (asked[0])
        append(f->detail, sizeof f->detail, " In CERTREQ the %s asked for %s, not for it.", peer, asked);
    append(f->detail, sizeof f->detail,
           " Give the %s a certificate from a CA the %s trusts%s, or make the %s trust \"%s\" " TRUST_HOWTO ".",
           who, peer, asked[0] ? " (one of those it asked for)" : "", peer, root);
}

/* The chain ends at an issuer that nobody sent, that no file holds, and that the receiver
 * did not ask for, from another organisation than the CAs it did ask for: not a missing
 * intermediate but a certificate from a PKI the receiver does not trust. */
static void foreign_issuer_text(struct an_finding *f, const struct an_x509 *ee, const struct an_chain_policy *pol,
                                bool ini, bool anchors)
{
    const char *who = side_name(ini), *peer = peer_name(ini);
    an_rule_textf(f->title, sizeof f->title, "The %s's certificate comes from %s, a CA the %s did not ask for", who,
                  pol->top, peer);
    an_rule_textf(f->detail, sizeof f->detail, "The chain of %s ends at \"%s\" (%s), %s. In CERTREQ the %s asked for %s",
                  cert_name(ee), pol->top, pol->top_dn,
                  pol->top_sent ? "a self-signed root it sent itself"
                  : anchors     ? "which it did not send and no --ca or --intermediate holds"
                                : "which it did not send",
                  peer, pol->asked);
    if (pol->unnamed_are_own)
        append(f->detail, sizeof f->detail,
               " (what it named by key hash alone is, by count, its own root, which it did not send)");
    append(f->detail, sizeof f->detail,
           ", and \"%s\" is none of them nor of their organisation. The %s cannot build a chain to a root it "
           "trusts and rejects the certificate: a chain policy mismatch (%s). Sending \"%s\" as well would not "
           "help. Give the %s a certificate from one of the CAs the %s asked for, or make the %s trust \"%s\" "
           TRUST_HOWTO ".",
           pol->top, peer, CHAIN_CODES, pol->top, who, peer, peer, pol->top);
    if (!anchors)
        append(f->detail, sizeof f->detail,
               " Likely, not certain: CERTREQ lists the CAs the %s prefers; its trust anchors, given with --ca, "
               "make it certain.",
               peer);
}

static void missing_issuer_text(struct an_finding *f, const struct an_x509 *ee, const char *issuer,
                                const struct an_chain_policy *pol, bool have_pol, bool ini, bool anchors)
{
    const char *who = side_name(ini), *peer = peer_name(ini);
    an_rule_textf(f->title, sizeof f->title, "The %s's chain lacks %s, the issuer of %s", who, issuer, cert_name(ee));
    an_rule_textf(f->detail, sizeof f->detail,
                  "%s is issued by \"%s\", which is neither among the certificates the %s sent nor %s, so the "
                  "chain cannot be built to a root the %s trusts (%s).",
                  cert_name(ee), issuer, who,
                  anchors ? "in the trust anchors or intermediates given" : "one the capture shows", peer, CHAIN_CODES);
    if (have_pol && pol->relation == AN_ISSUER_SAME_PKI)
        append(f->detail, sizeof f->detail,
               " It belongs to the organisation of \"%s\", which the %s trusts, so it is most likely an "
               "intermediate CA below it: make the %s send it (strongSwan: put it into swanctl/x509ca so that "
               "charon sends it; Windows: install it in the computer's Intermediate Certification Authorities), "
               "or install it on the %s.",
               pol->related, peer, who, peer);
    else
        append(f->detail, sizeof f->detail,
               " If it is an intermediate CA, make the %s send it (strongSwan: swanctl/x509ca) or install it on "
               "the %s; if it is a root, the %s does not trust it.",
               who, peer, peer);
    if (have_pol && pol->asked[0])
        append(f->detail, sizeof f->detail, " In CERTREQ the %s asked for %s.", peer, pol->asked);
    if (!anchors)
        append(f->detail, sizeof f->detail,
               " Likely, not certain: give the %s's trust anchors with --ca to make it certain.", peer);
}

/* Without trust anchors: the chain a side sent against what the other side asked for. */
static void certreq_chain(const struct ike_sa *sa, const struct an_sa_certs *cs, const struct an_cert *eec,
                          struct an_side_check *sc, struct an_cert_checks *ck, struct an_findings *out)
{
    const bool ini = eec->from_initiator;
    struct an_chain_policy pol;
    if (!signed_auth(sa, ini) || !an_chain_policy(cs, ini, eec->x, NULL, &pol))
        return;
    sc->requested_ca = pol.relation == AN_ISSUER_REQUESTED                                       ? 1
                       : pol.relation == AN_ISSUER_FOREIGN || pol.relation == AN_ISSUER_SAME_PKI ? 0
                                                                                                 : -1;
    /* A missing intermediate is claimed only when every CA asked for is named: an unnamed one
     * may be the very issuer. A foreign issuer may rely on the count (chain_policy.h). */
    bool named = pol.unnamed == 0;
    const char *rule = pol.relation == AN_ISSUER_FOREIGN               ? "chain.untrusted_root"
                       : pol.relation == AN_ISSUER_SAME_PKI && named ? "chain.missing_intermediate"
                                                                       : NULL;
    if (!rule)
        return;
    struct an_finding *f = an_rule_add(out, rule, sa, &sa->msgs[eec->msg]);
    if (!f)
        return;
    f->confidence = AN_CONF_LIKELY;
    if (pol.relation == AN_ISSUER_FOREIGN) {
        foreign_issuer_text(f, eec->x, &pol, ini, false);
        problem(ck, ini, eec->index, rule, "comes from %s, which the %s did not ask for", pol.top, peer_name(ini));
    } else {
        missing_issuer_text(f, eec->x, pol.top, &pol, true, ini, false);
        problem(ck, ini, eec->index, rule, "issuer %s was not sent", pol.top);
    }
}

static void chain(const struct ike_sa *sa, const struct an_sa_certs *cs, struct an_trust *trust,
                  const struct an_cert *eec, struct an_side_check *sc, bool validity_reported,
                  struct an_cert_checks *ck, struct an_findings *out)
{
    const bool ini = eec->from_initiator;
    struct x509_st *others[AN_SA_MAX_CERTS];
    size_t n = 0;
    for (size_t i = 0; i < cs->ncerts; i++) {
        const struct an_cert *c = &cs->certs[i];
        if (c != eec && c->from_initiator == ini && c->kind == AN_CERT_X509 && c->x && c->x->cert)
            others[n++] = c->x->cert;
    }
    if (an_trust_verify(trust, eec->x->cert, others, n, sc->at.sec, &sc->chain) != 0)
        return;
    sc->chain_checked = true;
    sc->requested_ca = reaches_requested(cs, ini, eec->x, sc);
    const struct an_chain_result *r = &sc->chain;
    /* What the receiver asked for, against the issuer path building could not find. */
    struct an_chain_policy pol;
    bool have_pol = an_chain_policy(cs, ini, eec->x,
                                    r->status == AN_CHAIN_MISSING_INTERMEDIATE ? r->issuer_dn : NULL, &pol);
    const char *asked = have_pol ? pol.asked : "";
    const char *rule;
    switch (r->status) {
    case AN_CHAIN_OK:
        return;
    case AN_CHAIN_EXPIRED:
    case AN_CHAIN_NOT_YET_VALID:
        if (validity_reported)
            return;
        rule = r->status == AN_CHAIN_EXPIRED ? "cert.expired" : "cert.not_yet_valid";
        break;
    case AN_CHAIN_REVOKED:
        rule = "cert.revoked";
        break;
    case AN_CHAIN_UNTRUSTED_ROOT:
        rule = "chain.untrusted_root";
        break;
    case AN_CHAIN_MISSING_INTERMEDIATE:
        rule = have_pol && pol.relation == AN_ISSUER_FOREIGN ? "chain.untrusted_root" : "chain.missing_intermediate";
        break;
    case AN_CHAIN_BAD_SIGNATURE:
        rule = "chain.bad_signature";
        break;
    case AN_CHAIN_PATH_LENGTH:
        rule = "chain.path_length";
        break;
    default:
        rule = "chain.invalid";
        break;
    }
    struct an_finding *f = an_rule_add(out, rule, sa, &sa->msgs[eec->msg]);
    if (!f)
        return;
    const char *who = side_name(ini), *peer = peer_name(ini);
    char d[40], gap[32];
    switch (r->status) {
    case AN_CHAIN_REVOKED:
        an_cert_time(r->revoked_at, d, sizeof d);
        an_rule_textf(f->title, sizeof f->title, "The %s's certificate %s is revoked", who, r->subject);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The CRL of %s lists serial %s as revoked on %s%s%s. The %s rejects it (Windows: 13801). "
                      "Issue the %s a new certificate, or, if the revocation was a mistake, reissue the CRL "
                      "without it.",
                      r->crl_issuer[0] ? r->crl_issuer : r->issuer, r->serial, d,
                      r->revoked_reason[0] ? ", reason " : "", r->revoked_reason, peer, who);
        problem(ck, ini, eec->index, rule, "revoked %.10s by the CRL of %s%s%s", d,
                r->crl_issuer[0] ? r->crl_issuer : r->issuer, r->revoked_reason[0] ? ", " : "",
                r->revoked_reason);
        break;
    case AN_CHAIN_UNTRUSTED_ROOT:
        untrusted_root_text(f, eec->x, r->root, ini, trust, asked);
        problem(ck, ini, eec->index, rule, "chains to the untrusted root %s", r->root);
        break;
    case AN_CHAIN_MISSING_INTERMEDIATE: {
        if (strcmp(rule, "chain.untrusted_root") == 0) {
            /* The report's chain field says what the finding says. */
            sc->chain.status = AN_CHAIN_UNTRUSTED_ROOT;
            snprintf(sc->chain.root, sizeof sc->chain.root, "%s", r->issuer);
            foreign_issuer_text(f, eec->x, &pol, ini, true);
            problem(ck, ini, eec->index, rule, "issued by %s, which the %s neither trusts nor asked for", r->issuer,
                    peer);
        } else {
            missing_issuer_text(f, eec->x, r->issuer, &pol, have_pol, ini, true);
            problem(ck, ini, eec->index, rule, "issuer %s is missing", r->issuer);
        }
        break;
    }
    case AN_CHAIN_EXPIRED:
        an_cert_time(r->not_after, d, sizeof d);
        span_us(gap_us(&sc->at, r->not_after), gap, sizeof gap);
        an_rule_textf(f->title, sizeof f->title, "%s in the %s's chain expired %s before the check time", r->subject,
                      who, gap);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The CA certificate \"%s\" in the chain of the %s's certificate expired on %s. The %s "
                      "rejects the chain (Windows: 13801). Renew that CA certificate where it is installed.",
                      r->subject, who, d, peer);
        skew_note(f, true, gap_us(&sc->at, r->not_after), peer);
        problem(ck, ini, eec->index, rule, "CA %s expired %.10s", r->subject, d);
        break;
    case AN_CHAIN_NOT_YET_VALID:
        an_cert_time(r->not_before, d, sizeof d);
        an_rule_textf(f->title, sizeof f->title, "%s in the %s's chain is not valid yet", r->subject, who);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The CA certificate \"%s\" in the chain of the %s's certificate is valid only from %s; "
                      "the check time is %s.",
                      r->subject, who, d, an_time_iso(&sc->at, gap, sizeof gap));
        skew_note(f, false, gap_us(&sc->at, r->not_before), peer);
        problem(ck, ini, eec->index, rule, "CA %s valid only from %.10s", r->subject, d);
        break;
    default:
        an_rule_textf(f->title, sizeof f->title, "The %s's certificate chain does not verify: %s", who, r->reason);
        an_rule_textf(f->detail, sizeof f->detail,
                      "OpenSSL rejects the chain at %s (depth %d, issued by %s): %s. The %s would reject it "
                      "too (Windows: 13801).",
                      r->subject, r->depth, r->issuer, r->reason, peer);
        problem(ck, ini, eec->index, rule, "%s: %s", r->subject, r->reason);
        break;
    }
}

void an_rules_certs(const struct ike_sa *sa, const struct an_sa_certs *cs, struct an_trust *trust,
                    const struct ike_time *at, const struct an_profile_choice profile[2],
                    struct an_cert_checks *ck, struct an_findings *out)
{
    memset(ck, 0, sizeof *ck);
    for (int side = 1; side >= 0; side--) {
        const bool ini = side == 1;
        struct an_side_check *sc = &ck->side[side];
        sc->requested_ca = -1;
        const struct an_cert *eec = NULL;
        for (size_t i = 0; i < cs->ncerts; i++) {
            const struct an_cert *c = &cs->certs[i];
            if (c->from_initiator != ini || c->kind != AN_CERT_X509 || !c->x || c->x->error[0] || !c->x->cert)
                continue;
            /* RFC 7296 §3.6: the first certificate sent holds the key that signs AUTH. */
            if (!eec)
                eec = c;
            const struct ike_time *t = at ? at : &sa->msgs[c->msg].time;
            if (c == eec) {
                sc->present = true;
                sc->index = c->index;
                sc->at = *t;
                sc->validity = "unknown";
            }
            validity(sa, c, c == eec, t, at != NULL, sc, ck, out);
        }
        if (!eec)
            continue;
        bool validity_reported = false;
        for (size_t i = 0; i < ck->nproblems; i++)
            validity_reported = validity_reported || ck->problems[i].from_initiator == ini;
        key_usage(sa, eec, ck, out);
        const struct an_profile_choice *receiver = &profile[ini ? 0 : 1];
        eku(sa, eec, receiver, ck, out);
        if (!ini && receiver->profile == AN_PROFILE_WINDOWS && sa->version == 2)
            windows_name(sa, eec, ck, out);
        if (an_trust_has_anchors(trust))
            chain(sa, cs, trust, eec, sc, validity_reported, ck, out);
        else if (!validity_reported)
            certreq_chain(sa, cs, eec, sc, ck, out);
    }
    rule_id_mismatch(sa, cs, ck, out);
}
