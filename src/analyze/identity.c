/* identity.c: renders the IDi/IDr (IKEv1 IDii/IDir) payloads for people. Bytes from the
 * wire are never printed raw: control and non-ASCII bytes become escapes, DNs go through
 * OpenSSL's RFC 2253 printer. */
#include "analyze/identity.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "ike/names.h"
#include "ike/payloads.h"

/* ID types that both IKEv1 (RFC 2407 §4.6.2.1) and IKEv2 (RFC 7296 §3.5) number alike. */
enum { ID_IPV4 = 1, ID_FQDN = 2, ID_RFC822 = 3, ID_IPV6 = 5, ID_DN = 9, ID_KEY_ID = 11 };
/* IKEv1 only: address/mask and address ranges, the usual quick mode IDci/IDcr. */
enum { ID_V1_IPV4_SUBNET = 4, ID_V1_IPV6_SUBNET = 6, ID_V1_IPV4_RANGE = 7, ID_V1_IPV6_RANGE = 8 };

/* Prefix length of a contiguous netmask, or -1. */
static int prefix_len(const uint8_t *mask, size_t n)
{
    int bits = 0;
    size_t i = 0;
    for (; i < n && mask[i] == 0xff; i++)
        bits += 8;
    if (i < n) {
        uint8_t m = mask[i++];
        while (m & 0x80) {
            bits++;
            m = (uint8_t)(m << 1);
        }
        if (m)
            return -1;
    }
    for (; i < n; i++)
        if (mask[i])
            return -1;
    return bits;
}

/* "198.18.1.0/24" (or "/255.0.255.0" for a mask that is not a prefix), "10.0.0.1-10.0.0.9". */
static bool address_pair(const struct ike_id *id, int family, bool range, char *out, size_t len)
{
    size_t alen = family == AF_INET ? 4 : 16;
    if (id->data.len != 2 * alen)
        return false;
    char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
    if (!inet_ntop(family, id->data.p, a, sizeof a) || !inet_ntop(family, id->data.p + alen, b, sizeof b))
        return false;
    int bits = range ? -1 : prefix_len(id->data.p + alen, alen);
    if (range)
        snprintf(out, len, "%s-%s", a, b);
    else if (bits >= 0)
        snprintf(out, len, "%s/%d", a, bits);
    else
        snprintf(out, len, "%s/%s", a, b);
    return true;
}

static void printable(const uint8_t *p, size_t n, char *out, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < len; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            out[o++] = (char)p[i];
        else
            o += (size_t)snprintf(out + o, len - o, "\\x%02x", p[i]);
    }
    out[o] = '\0';
}


static bool dn(const uint8_t *p, size_t n, char *out, size_t len)
{
    const unsigned char *q = p;
    X509_NAME *name = d2i_X509_NAME(NULL, &q, (long)n);
    if (!name)
        return false;
    BIO *bio = BIO_new(BIO_s_mem());
    bool ok = bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0;
    if (ok) {
        int got = BIO_read(bio, out, (int)len - 1);
        out[got > 0 ? got : 0] = '\0';
    }
    BIO_free(bio);
    X509_NAME_free(name);
    return ok;
}

static void render(uint8_t version, const struct ike_id *id, struct an_identity *out)
{
    char name[IKE_NAME_BUF];
    ike_id_type_name(version, id->type, name, sizeof name);
    snprintf(out->type, sizeof out->type, "%s", strncmp(name, "ID_", 3) == 0 ? name + 3 : name);
    char addr[INET6_ADDRSTRLEN];
    switch (id->type) {
    case ID_FQDN:
    case ID_RFC822:
        printable(id->data.p, id->data.len, out->value, sizeof out->value);
        return;
    case ID_IPV4:
        if (id->data.len == 4 && inet_ntop(AF_INET, id->data.p, addr, sizeof addr)) {
            snprintf(out->value, sizeof out->value, "%s", addr);
            return;
        }
        break;
    case ID_IPV6:
        if (id->data.len == 16 && inet_ntop(AF_INET6, id->data.p, addr, sizeof addr)) {
            snprintf(out->value, sizeof out->value, "%s", addr);
            return;
        }
        break;
    case ID_DN:
        if (dn(id->data.p, id->data.len, out->value, sizeof out->value))
            return;
        break;
    case ID_V1_IPV4_SUBNET:
    case ID_V1_IPV6_SUBNET:
    case ID_V1_IPV4_RANGE:
    case ID_V1_IPV6_RANGE:
        if (version == 1 &&
            address_pair(id, id->type == ID_V1_IPV4_SUBNET || id->type == ID_V1_IPV4_RANGE ? AF_INET : AF_INET6,
                         id->type == ID_V1_IPV4_RANGE || id->type == ID_V1_IPV6_RANGE, out->value,
                         sizeof out->value))
            return;
        break;
    default:
        break;
    }
    ike_hex(id->data.p, id->data.len, out->value, sizeof out->value);
}

bool an_payload_identity(uint8_t version, const struct ike_payload *p, struct an_identity *out)
{
    bool is_id = version == 2 ? p->type == IKE2_PL_IDI || p->type == IKE2_PL_IDR : p->type == IKE1_PL_ID;
    struct ike_id id;
    if (!is_id || ike_id_decode(version, p->body, p->body_len, &id) != IKE_PL_OK)
        return false;
    render(version, &id, out);
    return true;
}

bool an_sa_identity(const struct ike_sa *sa, bool initiator, struct an_identity *out)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        bool setup = sa->version == 2 ? sm->msg.exchange == 35
                                      : sm->msg.exchange == 2 || sm->msg.exchange == 4;
        if (!setup || sm->from_initiator != initiator)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++) {
            const struct ike_payload *p = &sm->msg.payloads[k];
            /* The sender's own ID: IDi from the initiator, IDr from the responder
             * (an initiator may also send IDr: the identity it wants to reach). */
            uint8_t want = sa->version == 2 ? (initiator ? IKE2_PL_IDI : IKE2_PL_IDR) : IKE1_PL_ID;
            struct ike_id id;
            if (p->type != want || ike_id_decode(sa->version, p->body, p->body_len, &id) != IKE_PL_OK)
                continue;
            render(sa->version, &id, out);
            return true;
        }
    }
    return false;
}
