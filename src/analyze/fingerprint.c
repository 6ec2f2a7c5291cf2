/* fingerprint.c: implementations named from the status notifies of their IKE_SA_INIT
 * (RFC 7296 §3.10.1 leaves their number and order to the implementation, and each keeps
 * its own habit). Every signature below was read off real traffic, named beside it: our
 * captures where we had them, otherwise a daemon's published log of the message, since
 * charon logs the payloads of each message it parses in wire order. */
#include "analyze/fingerprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/names.h"
#include "ike/payloads.h"
#include "ike/sa_internal.h"

/* Status notify types and the token each becomes. */
static const struct {
    uint16_t type;
    const char *token;
} tokens[] = {
    { 16388, "NS" }, /* NAT_DETECTION_SOURCE_IP */
    { 16389, "ND" }, /* NAT_DETECTION_DESTINATION_IP */
    { 16390, "CK" }, /* COOKIE */
    { 16404, "MA" }, /* MULTIPLE_AUTH_SUPPORTED (RFC 4739) */
    { 16406, "RS" }, /* REDIRECT_SUPPORTED (RFC 5685) */
    { 16418, "CL" }, /* CHILDLESS_IKEV2_SUPPORTED (RFC 6023) */
    { 16430, "FR" }, /* IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383) */
    { 16431, "SH" }, /* SIGNATURE_HASH_ALGORITHMS (RFC 7427) */
};

enum side { INI = 1, RESP = 2 };

/* A pattern is tokens in order, each optional when followed by '?'; it must cover the whole
 * sequence. `legacy_offer`: the side must also offer only MODP-1024 proposals (three or
 * more), which is what sets the one Windows sample apart from a bare NAT-T initiator. */
static const struct signature {
    const char *name;
    unsigned side;
    const char *pattern;
    bool legacy_offer;
    const char *seen_in;
} signatures[] = {
    /* strongSwan 5.9.8 (pcaps/ikev2-cert-rsa-aescbc and the other lab captures): REDIRECT_SUPPORTED
     * closes the initiator's list. The Android strongSwan app runs the same charon and sends
     * the same list (its own logs, 5.6 on Android 8 to 6.0 on Android 17, published in
     * ustclug/discussions#221 and strongswan/strongswan#3143), so it cannot be told apart. */
    { "strongSwan", INI, "CK? NS ND FR? SH? RS", false,
      "strongSwan 5.9 lab captures (the Android strongSwan app sends the same)" },
    /* Apple's built-in client (iOS 10, iOS 16, macOS 10.12) as strongSwan responders logged
     * it (jawj/IKEv2-setup#8 and #12, strongX509/docker#7): REDIRECT_SUPPORTED first, then
     * NAT detection, then fragmentation; no SIGNATURE_HASH_ALGORITHMS. */
    { "Apple iOS/macOS (built-in IKEv2 client)", INI, "CK? RS NS ND FR", false,
      "logs of iOS 10, iOS 16 and macOS 10.12 clients" },
    /* strongSwan answers with MULTIPLE_AUTH_SUPPORTED last (lab; and an older server in
     * zeek-spicy-ipsec/ipsec_client.pcap answering NS ND MA). */
    { "strongSwan", RESP, "NS ND FR? SH? CL? MA", false, "strongSwan 5.9 lab captures" },
    /* libreswan 4.10 (pcaps/ikev2-tcp-libreswan, ikev2-cert-libreswan): fragmentation and
     * signature hashes before NAT detection, CHILDLESS last when answering. */
    { "libreswan", INI, "CK? FR SH? NS ND", false, "libreswan 4.10 lab captures" },
    { "libreswan", RESP, "FR SH? NS ND CL?", false, "libreswan 4.10 lab captures" },
    /* Windows' built-in IKEv2 client (zeek-spicy-ipsec/ipsec_client.pcap): NAT detection only,
     * and its default proposals, all with MODP-1024. */
    { "Windows (built-in IKEv2 client)", INI, "CK? NS ND", true, "a Windows 8+ client capture" },
};

/* The side's IKE_SA_INIT: the initiator's last request (after any retry), the responder's
 * answer that carries an SA payload. */
static const struct ike_sa_msg *side_init(const struct ike_sa *sa, bool initiator)
{
    const struct ike_sa_msg *found = NULL;
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->msg.exchange != IKE2_EXCH_SA_INIT || sm->retransmission || sm->from_initiator != initiator)
            continue;
        if (initiator ? !sm->response : sm->response && ike_sa_msg_has(sm, IKE2_PL_SA))
            found = sm;
    }
    return found;
}

void an_fingerprint_tokens(const struct ike_sa *sa, bool initiator, char *buf, size_t len)
{
    buf[0] = '\0';
    const struct ike_sa_msg *sm = sa->version == 2 ? side_init(sa, initiator) : NULL;
    if (!sm)
        return;
    size_t used = 0;
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        if (p->type != IKE2_PL_NOTIFY || p->notify_type < 16384)
            continue;
        const char *tok = "X"; /* a status notify no signature knows */
        for (size_t k = 0; k < sizeof tokens / sizeof tokens[0]; k++)
            if (tokens[k].type == p->notify_type)
                tok = tokens[k].token;
        /* Two bytes at most and a space: runs once per SA side and report, so no printf. */
        size_t n = strlen(tok);
        if (used + (used ? 1 : 0) + n + 1 > len)
            return;
        if (used)
            buf[used++] = ' ';
        memcpy(buf + used, tok, n + 1);
        used += n;
    }
}

/* Does the token sequence `seq` (space separated) match `pattern` whole? */
static bool matches(const char *seq, const char *pattern)
{
    while (*pattern == ' ')
        pattern++;
    while (*seq == ' ')
        seq++;
    if (!*pattern)
        return !*seq;
    size_t plen = strcspn(pattern, " ");
    bool optional = pattern[plen - 1] == '?';
    size_t tlen = optional ? plen - 1 : plen;
    size_t slen = strcspn(seq, " ");
    if (slen == tlen && strncmp(seq, pattern, tlen) == 0 && matches(seq + slen, pattern + plen))
        return true;
    return optional && matches(seq, pattern + plen);
}

/* Three or more proposals, every one with MODP-1024 as its only group. */
static bool offers_only_modp1024(const struct ike_sa_msg *sm)
{
    const struct ike_payload *p = ike_sa_msg_payload(sm, IKE2_PL_SA);
    struct ike_v2_sa *dec = p ? malloc(sizeof *dec) : NULL;
    bool only = false;
    if (dec && ike_v2_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK && dec->nproposals >= 3) {
        only = true;
        for (size_t i = 0; i < dec->ntransforms; i++)
            if (dec->t[i].type == IKE2_TF_KE && dec->t[i].id != 2)
                only = false;
    }
    free(dec);
    return only;
}

bool an_fingerprint_side(const struct ike_sa *sa, bool initiator, struct an_fingerprint *out)
{
    char seq[96];
    an_fingerprint_tokens(sa, initiator, seq, sizeof seq);
    if (!seq[0])
        return false;
    for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
        const struct signature *s = &signatures[i];
        if (!(s->side & (initiator ? INI : RESP)) || !matches(seq, s->pattern))
            continue;
        if (s->legacy_offer && !offers_only_modp1024(side_init(sa, initiator)))
            continue;
        out->name = s->name;
        snprintf(out->basis, sizeof out->basis, "IKE_SA_INIT notifies %s, as in %s", seq, s->seen_in);
        return true;
    }
    return false;
}
