/* rules_proposal.c: what the IKE SA proposals say about security, seen in the clear in
 * IKE_SA_INIT or Main/Aggressive Mode: algorithms RFC 8247 tells implementations to stop
 * using, chosen (proposal.weak) or only offered (proposal.weak_offered); an initiator that
 * offers nothing else, refused (proposal.legacy_only: Windows' defaults); and IKEv1
 * Aggressive Mode with a pre-shared key (ikev1.aggressive_psk). */
#include <stdlib.h>
#include <string.h>

#include "analyze/report.h"
#include "analyze/rules_internal.h"
#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/vendor.h"
#include "ike/sa.h"
#include "ike/sa_internal.h"

/* Why a negotiated algorithm is a problem; WEAK_* are what RFC 8247 says implementations
 * should not or must not use (3DES: downgraded to MAY, and its 64-bit blocks are the
 * reason), SHA1 what it still requires but expects to demote ("MUST-"). */
enum flaw {
    FINE = 0,
    WEAK_BLOCK64 = 1 << 0, /* 3DES and the other 64-bit block ciphers */
    WEAK_BROKEN = 1 << 1,  /* single DES, MD5 */
    WEAK_NULL = 1 << 2,    /* ENCR_NULL */
    WEAK_GROUP = 1 << 3,   /* MODP under 2048 bits, or with a small subgroup */
    AGING_SHA1 = 1 << 4,
};
#define WEAK_ANY (WEAK_BLOCK64 | WEAK_BROKEN | WEAK_NULL | WEAK_GROUP)

/* IKEv2 transform IDs (IANA "Transform Type 1/2/3/4"), judged by RFC 8247 §2.1-§2.4. */
static enum flaw v2_encr(uint16_t id)
{
    switch (id) {
    case 1: case 2: case 9: /* DES_IV64, DES, DES_IV32 */
        return WEAK_BROKEN;
    case 3: case 4: case 5: case 6: case 7: case 8: /* 3DES, RC5, IDEA, CAST, BLOWFISH, 3IDEA */
        return WEAK_BLOCK64;
    case 11: /* no confidentiality for the IKE SA */
        return WEAK_NULL;
    default:
        return FINE;
    }
}

static enum flaw v2_prf(uint16_t id)
{
    return id == 1 ? WEAK_BROKEN : id == 2 ? AGING_SHA1 : FINE; /* PRF_HMAC_MD5, PRF_HMAC_SHA1 */
}

static enum flaw v2_integ(uint16_t id)
{
    switch (id) {
    case 1: case 3: case 4: /* AUTH_HMAC_MD5_96, AUTH_DES_MAC, AUTH_KPDK_MD5 */
        return WEAK_BROKEN;
    case 2: /* AUTH_HMAC_SHA1_96 */
        return AGING_SHA1;
    default:
        return FINE;
    }
}

/* Diffie-Hellman groups share their numbers between IKEv1 and IKEv2. */
static enum flaw dh_group(uint16_t id)
{
    switch (id) {
    case 1: case 2: case 5:     /* MODP 768, 1024, 1536 */
    case 22: case 23: case 24:  /* MODP with small prime-order subgroups (RFC 5114) */
        return WEAK_GROUP;
    default:
        return FINE;
    }
}

/* IKEv1 Oakley attribute values (RFC 2409 Appendix A), by the same measure. */
static enum flaw v1_encr(uint16_t id)
{
    return id == 1 ? WEAK_BROKEN : id >= 2 && id <= 6 ? WEAK_BLOCK64 : FINE; /* DES; IDEA .. CAST */
}

static enum flaw v1_hash(uint16_t id)
{
    return id == 1 ? WEAK_BROKEN : id == 2 ? AGING_SHA1 : FINE; /* MD5, SHA */
}

struct verdict {
    unsigned flaws;
    char weak[200], aging[120]; /* comma-separated algorithm names */
};

static void append(char *list, size_t cap, const char *name)
{
    size_t used = strlen(list);
    if (used)
        ike_copy(list + used, cap - used, ", ");
    used = strlen(list);
    ike_copy(list + used, cap - used, name);
}

static void judge(struct verdict *v, enum flaw f, const char *name)
{
    if (f == FINE || !name)
        return;
    if (f == AGING_SHA1)
        append(v->aging, sizeof v->aging, name);
    else
        append(v->weak, sizeof v->weak, name);
    v->flaws |= (unsigned)f;
}

/* The reasons that apply, in words, e.g. "3DES: 64-bit blocks, ...; MODP groups ...". */
static void reasons(unsigned flaws, char *out, size_t len)
{
    static const struct { unsigned flaw; const char *why; } text[] = {
        { WEAK_BROKEN, "single DES and MD5 are broken" },
        { WEAK_BLOCK64, "3DES and other 64-bit block ciphers leak plaintext to birthday attacks "
                        "on long-lived SAs" },
        { WEAK_NULL, "NULL encryption leaves the IKE SA readable by anyone" },
        { WEAK_GROUP, "MODP groups under 2048 bits (or with small subgroups) are within reach of a "
                      "well-funded attacker" },
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        if (!(flaws & text[i].flaw))
            continue;
        size_t used = strlen(out);
        if (used)
            ike_copy(out + used, len - used, "; ");
        used = strlen(out);
        ike_copy(out + used, len - used, text[i].why);
    }
}

static const struct ike_sa_msg *setup_answer(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->from_initiator)
            continue;
        if (sa->version == 2 ? sm->msg.exchange == IKE2_EXCH_SA_INIT && sm->response
                             : sm->msg.exchange == IKE1_EXCH_MAIN || sm->msg.exchange == IKE1_EXCH_AGGRESSIVE)
            return sm;
    }
    return NULL;
}

static void rule_weak_proposal(const struct ike_sa *sa, struct an_findings *out)
{
    struct an_suite_names n;
    if (!an_suite_names(sa, &n))
        return;
    struct verdict v = { 0 };
    if (sa->version == 2) {
        judge(&v, v2_encr(sa->encr), n.encr);
        judge(&v, v2_integ(sa->integ), n.integ);
        judge(&v, v2_prf(sa->prf), n.prf);
    } else {
        judge(&v, v1_encr(sa->encr), n.encr);
        judge(&v, v1_hash(sa->integ), n.integ);
    }
    judge(&v, dh_group(sa->dh_group), n.dh);
    if (!v.flaws)
        return;
    bool weak = v.flaws & WEAK_ANY;
    struct an_finding *f = an_rule_add(out, "proposal.weak", sa, setup_answer(sa));
    if (!f)
        return;
    if (!weak)
        f->severity = AN_SEV_INFO;
    if (weak) {
        char why[400];
        reasons(v.flaws, why, sizeof why);
        an_rule_textf(f->title, sizeof f->title, "The IKE SA uses deprecated algorithms: %s", v.weak);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The responder chose %s, which RFC 8247 tells implementations to stop using: "
                      "%s.%s%s%s The tunnel works, but offer AES-GCM, or AES-CBC with SHA-256, and "
                      "group 14, 19 or 31 on both sides instead (Windows: "
                      "Set-VpnConnectionIPsecConfiguration; strongSwan: the ike= proposal).",
                      v.weak, why, v.aging[0] ? " SHA-1 (" : "", v.aging,
                      v.aging[0] ? ") is still allowed but on its way out." : "");
    } else {
        an_rule_textf(f->title, sizeof f->title, "The IKE SA uses SHA-1 (%s)", v.aging);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The responder chose %s. HMAC-SHA1 is not broken, and RFC 8247 still requires "
                      "it (MUST-), but expects to drop it; prefer SHA-256 or stronger when both peers "
                      "support it.",
                      v.aging);
    }
}

static void rule_aggressive_psk(const struct ike_sa *sa, struct an_findings *out)
{
    if (sa->version != 1 || !ike_v1_auth_is_psk(sa->auth_method_v1))
        return;
    const struct ike_sa_msg *answer = setup_answer(sa);
    if (!answer || answer->msg.exchange != IKE1_EXCH_AGGRESSIVE)
        return;
    struct an_finding *f = an_rule_add(out, "ikev1.aggressive_psk", sa, answer);
    if (!f)
        return;
    an_rule_textf(f->title, sizeof f->title, "IKEv1 Aggressive Mode with a pre-shared key");
    an_rule_textf(f->detail, sizeof f->detail,
                  "Aggressive Mode sends both identities in the clear, and the responder's answer "
                  "carries HASH_R, computed from the pre-shared key, before the initiator has proved "
                  "anything. Anyone who captures it, or who merely sends a first message with a valid "
                  "identity, can run an offline dictionary attack on the key (ike-scan and psk-crack "
                  "do this). Use Main Mode, IKEv2, or certificates; if Aggressive Mode must stay, use a "
                  "long random key.");
}

/* The initiator's first offer: its SA payload in the IKE_SA_INIT request or main or
 * aggressive mode message 1, in the clear. */
static const struct ike_payload *initiator_offer(const struct ike_sa *sa, const struct ike_sa_msg **msg)
{
    uint8_t sa_type = sa->version == 2 ? IKE2_PL_SA : IKE1_PL_SA;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        bool setup = sa->version == 2 ? sm->msg.exchange == IKE2_EXCH_SA_INIT && !sm->response
                                      : sm->msg.exchange == IKE1_EXCH_MAIN || sm->msg.exchange == IKE1_EXCH_AGGRESSIVE;
        if (!sm->from_initiator || !setup)
            continue;
        const struct ike_payload *p = ike_sa_msg_payload(sm, sa_type);
        if (p && !p->inner) {
            *msg = sm;
            return p;
        }
    }
    return NULL;
}

/* What the offer holds: each flawed algorithm once, and whether every proposal needs a
 * weak Diffie-Hellman group or cipher. */
#define OFFER_MAX 32
struct offer {
    struct { char name[48]; enum flaw flaw; } alg[OFFER_MAX];
    size_t nalg, proposals;
    bool all_legacy;
};

static void offer_add(struct offer *o, enum flaw f, const char *name)
{
    if (f == FINE || !name || o->nalg == OFFER_MAX)
        return;
    for (size_t i = 0; i < o->nalg; i++)
        if (strcmp(o->alg[i].name, name) == 0)
            return;
    ike_copy(o->alg[o->nalg].name, sizeof o->alg[o->nalg].name, name);
    o->alg[o->nalg++].flaw = f;
}

static bool read_offer_v2(const struct ike_payload *p, struct offer *o)
{
    struct ike_v2_sa *dec = malloc(sizeof *dec);
    if (!dec || ike_v2_sa_decode(p->body, p->body_len, dec) != IKE_PL_OK) {
        free(dec);
        return false;
    }
    char buf[48];
    o->all_legacy = dec->nproposals > 0;
    for (size_t k = 0; k < dec->nproposals; k++) {
        bool legacy = false;
        for (size_t i = 0; i < dec->p[k].ntransforms; i++) {
            const struct ike_v2_transform *t = &dec->t[dec->p[k].first + i];
            enum flaw f = FINE;
            const char *name = NULL;
            switch (t->type) {
            case IKE2_TF_ENCR: f = v2_encr(t->id); name = ike_encr_name(t->id, buf, sizeof buf); break;
            case IKE2_TF_PRF: f = v2_prf(t->id); name = ike_prf_name(t->id, buf, sizeof buf); break;
            case IKE2_TF_INTEG: f = v2_integ(t->id); name = ike_integ_name(t->id, buf, sizeof buf); break;
            case IKE2_TF_KE: f = dh_group(t->id); name = ike_dh_group_name(t->id, buf, sizeof buf); break;
            default: break;
            }
            legacy = legacy || (f & (WEAK_GROUP | WEAK_BLOCK64 | WEAK_BROKEN));
            offer_add(o, f, name);
        }
        o->all_legacy = o->all_legacy && legacy;
    }
    o->proposals = dec->nproposals;
    free(dec);
    return true;
}

static bool read_offer_v1(const struct ike_payload *p, struct offer *o)
{
    struct ike_v1_sa *dec = malloc(sizeof *dec);
    if (!dec || ike_v1_sa_decode(p->body, p->body_len, dec) != IKE_PL_OK) {
        free(dec);
        return false;
    }
    char buf[48];
    o->all_legacy = dec->ntransforms > 0;
    for (size_t i = 0; i < dec->ntransforms; i++) {
        const struct ike_v1_transform *t = &dec->t[i];
        uint32_t v;
        bool legacy = false;
        if (ike_v1_transform_attr(t, IKE1_OAK_ENCR, &v)) {
            enum flaw f = v1_encr((uint16_t)v);
            legacy = legacy || (f & (WEAK_BLOCK64 | WEAK_BROKEN));
            offer_add(o, f, ike_v1_oakley_value_name(IKE1_OAK_ENCR, (uint16_t)v, buf, sizeof buf));
        }
        if (ike_v1_transform_attr(t, IKE1_OAK_HASH, &v))
            offer_add(o, v1_hash((uint16_t)v), ike_v1_oakley_value_name(IKE1_OAK_HASH, (uint16_t)v, buf, sizeof buf));
        if (ike_v1_transform_attr(t, IKE1_OAK_GROUP_DESC, &v)) {
            enum flaw f = dh_group((uint16_t)v);
            legacy = legacy || f;
            offer_add(o, f, ike_dh_group_name((uint16_t)v, buf, sizeof buf));
        }
        o->all_legacy = o->all_legacy && legacy;
    }
    o->proposals = dec->ntransforms;
    free(dec);
    return true;
}

/* The verdict over the offered algorithms, leaving out those of the chosen suite (NULL:
 * none chosen), which proposal.weak speaks for. */
static void offer_verdict(const struct offer *o, const struct an_suite_names *chosen, struct verdict *v)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < o->nalg; i++) {
        const char *names[] = { chosen ? chosen->encr : NULL, chosen ? chosen->integ : NULL,
                                chosen ? chosen->prf : NULL, chosen ? chosen->dh : NULL };
        bool was_chosen = false;
        for (size_t k = 0; k < 4; k++)
            was_chosen = was_chosen || (names[k] && strcmp(names[k], o->alg[i].name) == 0);
        if (!was_chosen)
            judge(v, o->alg[i].flaw, o->alg[i].name);
    }
}

static bool refused_offer(const struct ike_sa *sa)
{
    enum { N_NO_PROPOSAL_CHOSEN = 14 };
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        const struct ike_payload *e = ike_sa_msg_error_notify(sa, sm);
        bool setup = sa->version == 2 ? sm->msg.exchange == IKE2_EXCH_SA_INIT
                                      : sm->msg.exchange != IKE1_EXCH_QUICK;
        if (!sm->from_initiator && setup && e && e->notify_type == N_NO_PROPOSAL_CHOSEN)
            return true;
    }
    return false;
}

static bool initiator_is_windows(const struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nvendors; i++)
        if (sa->vendors[i].from_initiator && ike_vendor_impl(sa->vendors[i].idx) == IKE_IMPL_WINDOWS)
            return true;
    return false;
}

/* Weak algorithms the initiator offers, when no chosen proposal says more (nothing was
 * answered, or the answer refused): a warning; offered beside a sound choice: info. An
 * initiator that offers nothing else and is refused: proposal.legacy_only. */
static void rule_offer(const struct ike_sa *sa, struct an_findings *out)
{
    const struct ike_sa_msg *msg = NULL;
    const struct ike_payload *p = initiator_offer(sa, &msg);
    struct offer o;
    memset(&o, 0, sizeof o);
    if (!p || !(sa->version == 2 ? read_offer_v2(p, &o) : read_offer_v1(p, &o)))
        return;
    struct verdict all;
    offer_verdict(&o, NULL, &all);
    bool legacy_refused = refused_offer(sa) && o.all_legacy;
    if (legacy_refused) {
        bool windows = initiator_is_windows(sa);
        struct an_finding *f = an_rule_add(out, "proposal.legacy_only", sa, msg);
        if (f) {
            an_rule_textf(f->title, sizeof f->title, "The %sinitiator offers only legacy algorithms, and the responder "
                          "refused them", windows ? "Windows " : "");
            an_rule_textf(f->detail, sizeof f->detail,
                          "Every proposal the initiator sent needs one of %s, which a responder that follows "
                          "RFC 8247 no longer accepts. %s On a Windows VPN connection, as administrator: "
                          "Set-VpnConnectionIPsecConfiguration -ConnectionName \"<name>\" "
                          "-AuthenticationTransformConstants SHA256128 -CipherTransformConstants AES256 "
                          "-EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -DHGroup Group14 "
                          "-PfsGroup PFS2048 -Force (or allow these algorithms on the responder only if "
                          "nothing else will do).",
                          all.weak,
                          windows ? "This is the Windows built-in client's default set (MODP-1024 with 3DES "
                                    "or AES-CBC and SHA-1)."
                                  : "Windows' built-in VPN client offers such a set by default (MODP-1024 "
                                    "with 3DES or AES-CBC and SHA-1).");
        }
    }
    struct an_suite_names n;
    bool chosen = an_suite_names(sa, &n);
    struct verdict v;
    offer_verdict(&o, chosen ? &n : NULL, &v);
    if (!(v.flaws & WEAK_ANY) || legacy_refused)
        return;
    struct an_finding *f = an_rule_add(out, "proposal.weak_offered", sa, msg);
    if (!f)
        return;
    if (chosen)
        f->severity = AN_SEV_INFO; /* beside a chosen suite, proposal.weak says what matters */
    char why[400];
    reasons(v.flaws, why, sizeof why);
    an_rule_textf(f->title, sizeof f->title, "The initiator %soffers deprecated algorithms: %s",
                  chosen ? "also " : "", v.weak);
    an_rule_textf(f->detail, sizeof f->detail,
                  "%s %zu proposal%s offer%s %s: %s. The offer travels in the "
                  "clear, so anyone on the path sees what a downgrade could reach; remove them from "
                  "the initiator's proposals once its peers accept AES-GCM or AES-CBC with SHA-256 and "
                  "group 14, 19 or 31.",
                  chosen ? "Besides what the responder chose, the initiator's" : "The initiator's", o.proposals, o.proposals == 1 ? "" : "s",
                  o.proposals == 1 ? "s" : "", v.weak, why);
}

void an_rule_proposal(const struct ike_sa *sa, struct an_findings *out)
{
    rule_weak_proposal(sa, out);
    rule_offer(sa, out);
    rule_aggressive_psk(sa, out);
}
