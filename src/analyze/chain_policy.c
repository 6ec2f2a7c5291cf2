/* chain_policy.c: the chain a side sent, against the CAs the other side asked for. */
#include "analyze/chain_policy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ike/names.h"

#define MAX_WALK 8 /* certificates followed up a sent chain */
#define MAX_OWN 16 /* the receiver's own unsent CAs remembered */

void an_dn_organisation(const char *dn, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    const char *p = dn ? dn : "";
    while (*p) {
        /* One RDN runs to the next comma that is not escaped (RFC 4514 §2.4). */
        const char *start = p;
        while (*p && *p != ',') {
            if (*p == '\\' && p[1])
                p++;
            p++;
        }
        bool cn = strncasecmp(start, "CN=", 3) == 0;
        if (!cn) {
            if (o && o + 1 < len)
                out[o++] = ',';
            for (const char *q = start; q < p && o + 1 < len; q++)
                out[o++] = (char)tolower((unsigned char)*q);
        }
        if (*p == ',')
            p++;
    }
    out[o] = '\0';
}

static bool same_dn(const char *a, const char *b)
{
    return a && b && a[0] && strcasecmp(a, b) == 0;
}

static const struct an_x509 *sent_with_subject(const struct an_sa_certs *cs, bool sender, const char *dn,
                                                const struct an_x509 *not)
{
    for (size_t i = 0; i < cs->ncerts; i++) {
        const struct an_cert *c = &cs->certs[i];
        if (c->from_initiator == sender && c->x && !c->x->error[0] && c->x != not && same_dn(c->x->subject, dn))
            return c->x;
    }
    return NULL;
}

static bool key_requested(const struct an_certreq *r, const struct an_x509 *x)
{
    return r->has_sha1 && (memcmp(x->spki_sha1, r->ca_sha1, 20) == 0 || memcmp(x->key_sha1, r->ca_sha1, 20) == 0);
}

bool an_chain_policy(const struct an_sa_certs *cs, bool sender, const struct an_x509 *ee, const char *issuer_dn,
                     struct an_chain_policy *out)
{
    memset(out, 0, sizeof *out);
    const bool asker = !sender;
    size_t used = 0;
    char hex[48];
    for (size_t i = 0; i < cs->nreqs; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        if (r->from_initiator != asker || r->error[0])
            continue;
        if (r->any_ca)
            return false;
        out->nasked++;
        if (!r->ca_name[0])
            out->unnamed++;
        const char *name = r->ca_name[0] ? r->ca_name : r->has_sha1 ? ike_hex(r->ca_sha1, 20, hex, sizeof hex) : "?";
        if (used < sizeof out->asked)
            used += (size_t)snprintf(out->asked + used, sizeof out->asked - used, "%s%s\"%s\"",
                                     used ? ", " : "", r->ca_name[0] ? "" : "a CA with key SHA-1 ", name);
    }
    if (!out->nasked || !ee || ee->error[0])
        return false;

    /* Up the sent chain by name; a request for any certificate on the way is met. */
    const struct an_x509 *cur = ee;
    for (int step = 0; step < MAX_WALK; step++) {
        for (size_t i = 0; cur != ee && i < cs->nreqs; i++)
            if (cs->reqs[i].from_initiator == asker && key_requested(&cs->reqs[i], cur))
                out->relation = AN_ISSUER_REQUESTED;
        if (same_dn(cur->subject, cur->issuer))
            break;
        const struct an_x509 *up = sent_with_subject(cs, sender, cur->issuer, cur);
        if (!up)
            break;
        cur = up;
    }
    bool self_signed = cur != ee && same_dn(cur->subject, cur->issuer);
    if (issuer_dn && issuer_dn[0]) {
        snprintf(out->top_dn, sizeof out->top_dn, "%s", issuer_dn);
    } else {
        out->top_sent = self_signed;
        snprintf(out->top_dn, sizeof out->top_dn, "%s", cur->issuer ? cur->issuer : "");
    }
    an_dn_common_name(out->top_dn, out->top, sizeof out->top);
    if (out->relation == AN_ISSUER_REQUESTED)
        return true;
    for (size_t i = 0; i < cs->nreqs; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        if (r->from_initiator == asker && !r->error[0] && same_dn(r->ca_dn, out->top_dn)) {
            out->relation = AN_ISSUER_REQUESTED;
            return true;
        }
    }

    /* The receiver's own CAs that it did not send (its root, usually): a receiver asks for
     * the CAs it trusts, and strongSwan, for one, names its own root by a hash that nothing
     * in the capture resolves. */
    const char *own[MAX_OWN];
    size_t nown = 0;
    for (size_t i = 0; i < cs->ncerts && nown < MAX_OWN; i++) {
        const struct an_cert *c = &cs->certs[i];
        if (c->from_initiator != asker || !c->x || c->x->error[0] || !c->x->issuer ||
            sent_with_subject(cs, asker, c->x->issuer, NULL))
            continue;
        bool dup = false;
        for (size_t k = 0; k < nown; k++)
            dup = dup || same_dn(own[k], c->x->issuer);
        if (!dup)
            own[nown++] = c->x->issuer;
    }
    out->unnamed_are_own = out->unnamed > 0 && out->unnamed <= nown;
    if (out->unnamed_are_own)
        for (size_t k = 0; k < nown; k++)
            if (same_dn(own[k], out->top_dn)) {
                out->relation = AN_ISSUER_REQUESTED;
                return true;
            }
    if (out->top_sent) {
        /* A root the sender sent itself, which the receiver did not name. */
        out->relation = out->unnamed && !out->unnamed_are_own ? AN_ISSUER_UNKNOWN : AN_ISSUER_FOREIGN;
        return true;
    }
    if (out->unnamed && !out->unnamed_are_own)
        return true; /* an unnamed request may be the very CA: UNKNOWN */

    char top_org[320], org[320];
    an_dn_organisation(out->top_dn, top_org, sizeof top_org);
    if (!top_org[0])
        return true;
    bool known = false;
    for (size_t i = 0; i < cs->nreqs; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        if (r->from_initiator != asker || r->error[0] || !r->ca_dn[0])
            continue;
        an_dn_organisation(r->ca_dn, org, sizeof org);
        known = known || org[0];
        if (org[0] && strcmp(org, top_org) == 0) {
            out->relation = AN_ISSUER_SAME_PKI;
            snprintf(out->related, sizeof out->related, "%s", r->ca_name);
            return true;
        }
    }
    for (size_t k = 0; k < nown; k++) {
        an_dn_organisation(own[k], org, sizeof org);
        known = known || org[0];
        if (org[0] && strcmp(org, top_org) == 0) {
            out->relation = AN_ISSUER_SAME_PKI;
            an_dn_common_name(own[k], out->related, sizeof out->related);
            return true;
        }
    }
    out->relation = known ? AN_ISSUER_FOREIGN : AN_ISSUER_UNKNOWN;
    return true;
}
