/* test_chain_policy.c: the chain one side sent against the CAs the other side asked for:
 * requested, an intermediate of the same PKI left out, a foreign CA, and the cases where
 * an unnamed request leaves it open. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/chain_policy.h"

#define MAX 8
static struct an_x509 xs[MAX];
static struct an_cert certs[MAX];
static struct an_certreq reqs[MAX];
static struct an_sa_certs cs;

static void reset(void)
{
    memset(xs, 0, sizeof xs);
    memset(certs, 0, sizeof certs);
    memset(reqs, 0, sizeof reqs);
    memset(&cs, 0, sizeof cs);
    cs.certs = certs;
    cs.reqs = reqs;
}

/* A certificate `sender_initiator` sent; `key` fills its SubjectPublicKeyInfo hash. */
static const struct an_x509 *sent(bool sender_initiator, const char *subject, const char *issuer, uint8_t key)
{
    struct an_x509 *x = &xs[cs.ncerts];
    x->subject = (char *)subject;
    x->issuer = (char *)issuer;
    memset(x->spki_sha1, key, 20);
    memset(x->key_sha1, key ^ 0xff, 20);
    struct an_cert *c = &certs[cs.ncerts++];
    c->from_initiator = sender_initiator;
    c->kind = AN_CERT_X509;
    c->x = x;
    return x;
}

static void asked_named(bool by_initiator, const char *name, const char *dn)
{
    struct an_certreq *r = &reqs[cs.nreqs++];
    r->from_initiator = by_initiator;
    r->has_sha1 = true;
    memset(r->ca_sha1, 0x77, 20);
    snprintf(r->ca_name, sizeof r->ca_name, "%s", name);
    snprintf(r->ca_dn, sizeof r->ca_dn, "%s", dn);
    r->ca_source = "--ca";
}

static void asked_hash(bool by_initiator, uint8_t key)
{
    struct an_certreq *r = &reqs[cs.nreqs++];
    r->from_initiator = by_initiator;
    r->has_sha1 = true;
    memset(r->ca_sha1, key, 20);
}

Test(chain_policy, organisation_drops_common_names)
{
    char out[128];
    an_dn_organisation("CN=a\\,b,O=Example Corp,C=DE", out, sizeof out);
    cr_assert_str_eq(out, "o=example corp,c=de");
    an_dn_organisation("CN=only", out, sizeof out);
    cr_assert_str_eq(out, "");
}

Test(chain_policy, foreign_root_not_asked_for)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=other", "CN=Other Root,O=other", 1);
    asked_named(true, "Lab Root", "CN=Lab Root,O=lab");
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert_eq(p.relation, AN_ISSUER_FOREIGN);
    cr_assert_str_eq(p.top, "Other Root");
    cr_assert(strstr(p.asked, "\"Lab Root\""));
}

Test(chain_policy, same_pki_intermediate_left_out)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=lab", "CN=Server Int,O=lab", 1);
    asked_named(true, "Lab Root", "CN=Lab Root,O=lab");
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert_eq(p.relation, AN_ISSUER_SAME_PKI);
    cr_assert_str_eq(p.related, "Lab Root");
}

Test(chain_policy, intermediate_sent_and_asked_for_by_key)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=other", "CN=Int,O=other", 1);
    sent(false, "CN=Int,O=other", "CN=Root,O=other", 0x77);
    asked_named(true, "Lab Root", "CN=Lab Root,O=lab"); /* hash 0x77: the sent intermediate */
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert_eq(p.relation, AN_ISSUER_REQUESTED);
}

Test(chain_policy, unnamed_request_leaves_it_open)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=other", "CN=Other Root,O=other", 1);
    asked_named(true, "Lab Root", "CN=Lab Root,O=lab");
    asked_hash(true, 0x42); /* could be Other Root: nothing resolves it */
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert_eq(p.relation, AN_ISSUER_UNKNOWN);
    cr_assert_eq(p.unnamed, 1);
}

Test(chain_policy, unnamed_request_counted_as_the_askers_own_root)
{
    reset();
    /* The initiator sent its own chain up to its root, which it did not send. */
    sent(true, "CN=client,O=lab", "CN=Client Int,O=lab", 2);
    sent(true, "CN=Client Int,O=lab", "CN=Lab Root,O=lab", 3);
    asked_named(true, "Client Int", "CN=Client Int,O=lab");
    asked_hash(true, 0x42);
    const struct an_x509 *ee = sent(false, "CN=gw,O=other", "CN=Other Root,O=other", 1);
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert(p.unnamed_are_own);
    cr_assert_eq(p.relation, AN_ISSUER_FOREIGN);
    /* The same request set is met by a gateway certificate from the initiator's own root. */
    xs[cs.ncerts - 1].issuer = "CN=Lab Root,O=lab";
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert_eq(p.relation, AN_ISSUER_REQUESTED);
}

Test(chain_policy, any_ca_or_no_request_is_no_policy)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=other", "CN=Other Root,O=other", 1);
    struct an_chain_policy p;
    cr_assert_not(an_chain_policy(&cs, false, ee, NULL, &p));
    reqs[cs.nreqs].from_initiator = true;
    reqs[cs.nreqs++].any_ca = true;
    cr_assert_not(an_chain_policy(&cs, false, ee, NULL, &p));
}

Test(chain_policy, self_signed_root_sent_but_not_asked_for)
{
    reset();
    const struct an_x509 *ee = sent(false, "CN=gw,O=lab", "CN=Rogue Root,O=lab", 1);
    sent(false, "CN=Rogue Root,O=lab", "CN=Rogue Root,O=lab", 9);
    asked_named(true, "Lab Root", "CN=Lab Root,O=lab");
    struct an_chain_policy p;
    cr_assert(an_chain_policy(&cs, false, ee, NULL, &p));
    cr_assert(p.top_sent);
    cr_assert_eq(p.relation, AN_ISSUER_FOREIGN);
}
