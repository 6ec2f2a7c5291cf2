/* certs.c: CERT and CERTREQ/CR payloads (RFC 7296 §3.6-§3.7, RFC 2408 §3.9-§3.10, RFC 7670)
 * summarised with OpenSSL: X.509, PKCS #7 bundles, CRLs, Hash and URL, raw public keys.
 * Every byte here came from the network: OpenSSL's DER parsers do the reading, lengths must
 * be consumed exactly, and every string is made printable before it leaves this file. */
#include "analyze/certs.h"

#include <arpa/inet.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/report.h"
#include "analyze/trust.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/payloads.h"

/* Strings from certificates are cut here: a hostile subject may be 60 KB long. */
#define MAX_TEXT 1024

/* ------------------------------------------------------------------ */
/* Small helpers */

/* Copies `n` bytes as text: control bytes as \xNN, other bytes (UTF-8) kept. A backslash
 * stays as it is: RFC 2253 names escape with it already. */
static char *printable_dup(const unsigned char *p, size_t n)
{
    if (n > MAX_TEXT)
        n = MAX_TEXT;
    char *out = malloc(4 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f)
            o += (size_t)snprintf(out + o, 5, "\\x%02x", p[i]);
        else
            out[o++] = (char)p[i];
    }
    out[o] = '\0';
    return out;
}

static char *hex_dup(const unsigned char *p, size_t n)
{
    if (n > 64)
        n = 64; /* key identifiers are 20 bytes; a longer one is cut, not copied whole */
    char *out = malloc(2 * n + 1);
    return out ? ike_hex(p, n, out, 2 * n + 1) : NULL;
}

/* A distinguished name in RFC 2253 form, as identity.c prints ID_DER_ASN1_DN. */
static char *name_text(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *out = NULL;
    if (bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *data;
        long n = BIO_get_mem_data(bio, &data);
        out = printable_dup((const unsigned char *)data, n > 0 ? (size_t)n : 0);
    }
    BIO_free(bio);
    return out;
}

/* As name_text, with a mark for a name OpenSSL cannot print; NULL only when out of memory. */
static char *name_or_mark(const X509_NAME *name)
{
    char *s = name_text(name);
    return s ? s : strdup("(unprintable name)");
}

/* The last (most specific) commonName of a name, or NULL. */
static char *name_cn(const X509_NAME *name)
{
    int idx = -1, last = -1;
    while ((idx = X509_NAME_get_index_by_NID(name, NID_commonName, idx)) >= 0)
        last = idx;
    if (last < 0)
        return NULL;
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
    unsigned char *utf8 = NULL;
    int n = s ? ASN1_STRING_to_UTF8(&utf8, s) : -1;
    if (n < 0)
        return NULL;
    char *out = printable_dup(utf8, (size_t)n);
    OPENSSL_free(utf8);
    return out;
}

/* Seconds since 1970 of a certificate time, by OpenSSL's own date arithmetic. */
static bool asn1_time(const ASN1_TIME *t, int64_t *out)
{
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, secs = 0;
    bool ok = t && epoch && ASN1_TIME_diff(&days, &secs, epoch, t) == 1;
    ASN1_TIME_free(epoch);
    if (ok)
        *out = (int64_t)days * 86400 + secs;
    return ok;
}

const char *an_cert_time(int64_t t, char *buf, size_t len)
{
    struct ike_time it = { .sec = t, .usec = 0 };
    return an_time_iso(&it, buf, len);
}

/* "RSA-2048", "EC-P256", "Ed25519": the key's algorithm and size as people name them. */
static void key_name(EVP_PKEY *pk, char *out, size_t len)
{
    switch (EVP_PKEY_get_base_id(pk)) {
    case EVP_PKEY_RSA:
        snprintf(out, len, "RSA-%d", EVP_PKEY_get_bits(pk));
        return;
    case EVP_PKEY_RSA_PSS:
        snprintf(out, len, "RSA-PSS-%d", EVP_PKEY_get_bits(pk));
        return;
    case EVP_PKEY_DSA:
        snprintf(out, len, "DSA-%d", EVP_PKEY_get_bits(pk));
        return;
    case EVP_PKEY_ED25519:
        snprintf(out, len, "Ed25519");
        return;
    case EVP_PKEY_ED448:
        snprintf(out, len, "Ed448");
        return;
    case EVP_PKEY_EC: {
        static const struct { const char *group, *name; } curves[] = {
            { "prime256v1", "P256" }, { "secp384r1", "P384" }, { "secp521r1", "P521" },
            { "secp224r1", "P224" }, { "brainpoolP256r1", "BP256" }, { "brainpoolP384r1", "BP384" },
            { "brainpoolP512r1", "BP512" },
        };
        char group[48];
        size_t glen = 0;
        if (EVP_PKEY_get_group_name(pk, group, sizeof group, &glen) != 1) {
            snprintf(out, len, "EC-%d", EVP_PKEY_get_bits(pk));
            return;
        }
        for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
            if (strcmp(group, curves[i].group) == 0) {
                snprintf(out, len, "EC-%s", curves[i].name);
                return;
            }
        snprintf(out, len, "EC-%s", group);
        return;
    }
    default:
        break;
    }
    const char *type = OBJ_nid2sn(EVP_PKEY_get_base_id(pk));
    int bits = EVP_PKEY_get_bits(pk);
    if (bits > 0)
        snprintf(out, len, "%s-%d", type ? type : "unknown", bits);
    else
        snprintf(out, len, "%s", type ? type : "unknown");
}

/* The key of a SubjectPublicKeyInfo OpenSSL cannot load: its algorithm's name or OID. */
static void unloadable_key_name(X509_PUBKEY *pub, char *out, size_t len)
{
    ASN1_OBJECT *alg = NULL;
    char oid[48];
    if (!pub || !X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, pub) || !alg ||
        OBJ_obj2txt(oid, sizeof oid, alg, 0) <= 0)
        snprintf(out, len, "unknown");
    else
        snprintf(out, len, "unsupported(%s)", oid);
}

/* Appends a copy of `s` (taken: freed on failure); false when out of memory. */
static bool list_add(struct an_strlist *l, char *s)
{
    if (!s)
        return false;
    if (l->n >= AN_X509_MAX_LIST) {
        free(s);
        return true;
    }
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v) {
        free(s);
        return false;
    }
    l->v = v;
    l->v[l->n++] = s;
    return true;
}

static char *concat(const char *prefix, const unsigned char *p, size_t n)
{
    char *body = printable_dup(p, n);
    if (!body)
        return NULL;
    size_t len = strlen(prefix) + strlen(body) + 1;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s", prefix, body);
    free(body);
    return out;
}

static void list_free(struct an_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* X.509 extensions */

/* One subjectAltName entry as OpenSSL's text form writes it ("DNS:", "IP:", "email:"). */
static char *general_name(const GENERAL_NAME *g)
{
    char buf[INET6_ADDRSTRLEN + 8], oid[80];
    switch (g->type) {
    case GEN_DNS:
        return concat("DNS:", ASN1_STRING_get0_data(g->d.dNSName), (size_t)ASN1_STRING_length(g->d.dNSName));
    case GEN_EMAIL:
        return concat("email:", ASN1_STRING_get0_data(g->d.rfc822Name),
                      (size_t)ASN1_STRING_length(g->d.rfc822Name));
    case GEN_URI:
        return concat("URI:", ASN1_STRING_get0_data(g->d.uniformResourceIdentifier),
                      (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier));
    case GEN_IPADD: {
        const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
        int n = ASN1_STRING_length(g->d.iPAddress);
        char addr[INET6_ADDRSTRLEN];
        if ((n == 4 && inet_ntop(AF_INET, a, addr, sizeof addr)) ||
            (n == 16 && inet_ntop(AF_INET6, a, addr, sizeof addr))) {
            snprintf(buf, sizeof buf, "IP:%s", addr);
            return strdup(buf);
        }
        char *h = hex_dup(a, n > 0 ? (size_t)n : 0);
        char *out = h ? concat("IP:", (const unsigned char *)h, strlen(h)) : NULL;
        free(h);
        return out;
    }
    case GEN_DIRNAME: {
        char *dn = name_text(g->d.directoryName);
        char *out = dn ? concat("DirName:", (const unsigned char *)dn, strlen(dn)) : NULL;
        free(dn);
        return out;
    }
    case GEN_RID:
        if (OBJ_obj2txt(oid, sizeof oid, g->d.registeredID, 1) <= 0)
            snprintf(oid, sizeof oid, "?");
        return concat("RID:", (const unsigned char *)oid, strlen(oid));
    case GEN_OTHERNAME:
        if (OBJ_obj2txt(oid, sizeof oid, g->d.otherName->type_id, 1) <= 0)
            snprintf(oid, sizeof oid, "?");
        return concat("othername:", (const unsigned char *)oid, strlen(oid));
    case GEN_X400:
        return strdup("X400Name");
    case GEN_EDIPARTY:
        return strdup("EdiPartyName");
    default:
        return strdup("unknown");
    }
}

static bool collect_san(X509 *x, struct an_strlist *out)
{
    int crit = -1;
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
    out->present = names || crit >= 0;
    bool ok = true;
    for (int i = 0; ok && names && i < sk_GENERAL_NAME_num(names); i++)
        ok = list_add(out, general_name(sk_GENERAL_NAME_value(names, i)));
    GENERAL_NAMES_free(names);
    return ok;
}

/* Key purposes OpenSSL has no name for. */
static const struct { const char *oid, *name; } eku_names[] = {
    /* draft-ietf-ipsec-pki-req "IP security IKE intermediate", what strongSwan's and
     * Windows' IPsec certificates carry. */
    { "1.3.6.1.5.5.8.2.2", "ikeIntermediate" },
};

static bool collect_eku(X509 *x, struct an_strlist *out)
{
    int crit = -1;
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
    out->present = eku || crit >= 0;
    bool ok = true;
    for (int i = 0; ok && eku && i < sk_ASN1_OBJECT_num(eku); i++) {
        const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
        char oid[80];
        const char *name = NULL;
        if (OBJ_obj2txt(oid, sizeof oid, o, 1) <= 0)
            snprintf(oid, sizeof oid, "?");
        for (size_t k = 0; k < sizeof eku_names / sizeof eku_names[0]; k++)
            if (strcmp(oid, eku_names[k].oid) == 0)
                name = eku_names[k].name;
        int nid = OBJ_obj2nid(o);
        if (!name && nid != NID_undef)
            name = OBJ_nid2sn(nid);
        ok = list_add(out, strdup(name ? name : oid));
    }
    EXTENDED_KEY_USAGE_free(eku);
    return ok;
}

static bool collect_key_usage(X509 *x, struct an_strlist *out)
{
    /* RFC 5280 §4.2.1.3, bit by bit. */
    static const char *const bits[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
    };
    int crit = -1;
    ASN1_BIT_STRING *ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
    out->present = ku || crit >= 0;
    bool ok = true;
    for (size_t i = 0; ok && ku && i < sizeof bits / sizeof bits[0]; i++)
        if (ASN1_BIT_STRING_get_bit(ku, (int)i))
            ok = list_add(out, strdup(bits[i]));
    ASN1_BIT_STRING_free(ku);
    return ok;
}

static bool collect_key_ids(X509 *x, struct an_x509 *s)
{
    ASN1_OCTET_STRING *ski = X509_get_ext_d2i(x, NID_subject_key_identifier, NULL, NULL);
    AUTHORITY_KEYID *aki = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
    bool ok = true;
    if (ski)
        ok = (s->ski = hex_dup(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski))) != NULL;
    if (ok && aki && aki->keyid)
        ok = (s->aki = hex_dup(ASN1_STRING_get0_data(aki->keyid), (size_t)ASN1_STRING_length(aki->keyid))) != NULL;
    ASN1_OCTET_STRING_free(ski);
    AUTHORITY_KEYID_free(aki);
    return ok;
}

/* ------------------------------------------------------------------ */
/* One certificate */

static void x509_free(struct an_x509 *s)
{
    X509_free(s->cert);
    free(s->subject);
    free(s->issuer);
    free(s->subject_cn);
    free(s->issuer_cn);
    free(s->serial);
    list_free(&s->san);
    list_free(&s->eku);
    list_free(&s->key_usage);
    free(s->ski);
    free(s->aki);
    free(s);
}

void an_x509_release(const struct an_x509 *x)
{
    struct an_x509 *s = (struct an_x509 *)x;
    if (s && --s->refs == 0)
        x509_free(s);
}

static void serial_hex(X509 *x, struct an_x509 *s)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    if (hex) {
        for (char *p = hex; *p; p++)
            if (*p >= 'A' && *p <= 'F')
                *p = (char)(*p - 'A' + 'a');
        s->serial = strdup(hex);
    }
    OPENSSL_free(hex);
    BN_free(bn);
}

static bool spki_hashes(X509 *x, struct an_x509 *s)
{
    unsigned char *der = NULL;
    int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
    if (n <= 0)
        return false;
    bool ok = EVP_Digest(der, (size_t)n, s->spki_sha1, NULL, EVP_sha1(), NULL) == 1;
    OPENSSL_free(der);
    const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(x);
    if (ok && bits)
        ok = EVP_Digest(ASN1_STRING_get0_data(bits), (size_t)ASN1_STRING_length(bits), s->key_sha1, NULL,
                        EVP_sha1(), NULL) == 1;
    return ok;
}

/* Fills `s` from `der`; false only when memory ran out (a malformed DER sets s->error). */
static bool x509_summarise(struct an_x509 *s, const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
    if (!x) {
        snprintf(s->error, sizeof s->error, "not a DER X.509 certificate");
        return true;
    }
    if ((size_t)(p - der) != len) {
        /* The certificate must fill the payload: bytes after it are not part of what is signed. */
        snprintf(s->error, sizeof s->error, "%zu bytes after the certificate", len - (size_t)(p - der));
        X509_free(x);
        return true;
    }
    s->cert = x;
    if (!(s->subject = name_or_mark(X509_get_subject_name(x))) ||
        !(s->issuer = name_or_mark(X509_get_issuer_name(x))))
        return false;
    s->subject_cn = name_cn(X509_get_subject_name(x));
    s->issuer_cn = name_cn(X509_get_issuer_name(x));
    serial_hex(x, s); /* NULL when it cannot be read */
    s->times_ok = asn1_time(X509_get0_notBefore(x), &s->not_before) &&
                  asn1_time(X509_get0_notAfter(x), &s->not_after);
    EVP_PKEY *pk = X509_get0_pubkey(x);
    if (pk)
        key_name(pk, s->key, sizeof s->key);
    else
        unloadable_key_name(X509_get_X509_PUBKEY(x), s->key, sizeof s->key);
    int sig_nid = X509_get_signature_nid(x);
    if (sig_nid != NID_undef) {
        snprintf(s->signature_algorithm, sizeof s->signature_algorithm, "%s", OBJ_nid2ln(sig_nid));
    } else {
        const X509_ALGOR *alg = NULL;
        const ASN1_OBJECT *obj = NULL;
        X509_get0_signature(NULL, &alg, x);
        if (alg)
            X509_ALGOR_get0(&obj, NULL, NULL, alg);
        if (!obj || OBJ_obj2txt(s->signature_algorithm, sizeof s->signature_algorithm, obj, 1) <= 0)
            snprintf(s->signature_algorithm, sizeof s->signature_algorithm, "unknown");
    }
    if (!spki_hashes(x, s))
        memset(s->spki_sha1, 0, sizeof s->spki_sha1);
    return collect_san(x, &s->san) && collect_eku(x, &s->eku) && collect_key_usage(x, &s->key_usage) &&
           collect_key_ids(x, s);
}

static struct an_x509 *x509_make(const uint8_t *der, size_t len, const uint8_t sha256[32])
{
    struct an_x509 *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->refs = 1;
    s->der_len = len;
    memcpy(s->sha256, sha256, 32);
    bool ok = x509_summarise(s, der, len);
    /* OpenSSL leaves the reasons a hostile DER failed on its thread's error queue. */
    ERR_clear_error();
    if (!ok) {
        x509_free(s);
        return NULL;
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* The cache: a fixed array scanned linearly (256 entries of 32-byte keys is a few
 * microseconds) with a use counter for least-recently-used eviction. */

struct cache_slot {
    struct an_x509 *x;
    uint64_t used;
};

struct an_cert_cache {
    struct cache_slot *slots;
    size_t capacity, n;
    uint64_t tick;
    struct an_cert_cache_stats stats;
};

struct an_cert_cache *an_cert_cache_new(size_t capacity)
{
    struct an_cert_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (capacity == 0)
        capacity = 1;
    c->slots = calloc(capacity, sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    c->capacity = capacity;
    return c;
}

void an_cert_cache_free(struct an_cert_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        an_x509_release(c->slots[i].x);
    free(c->slots);
    free(c);
}

void an_cert_cache_stats(const struct an_cert_cache *c, struct an_cert_cache_stats *out)
{
    *out = c->stats;
    out->entries = c->n;
    out->capacity = c->capacity;
}

const struct an_x509 *an_x509_get(struct an_cert_cache *c, const uint8_t *der, size_t len)
{
    uint8_t sha256[32];
    if (EVP_Digest(der, len, sha256, NULL, EVP_sha256(), NULL) != 1)
        return NULL;
    if (!c)
        return x509_make(der, len, sha256);
    for (size_t i = 0; i < c->n; i++) {
        struct an_x509 *x = c->slots[i].x;
        if (x->der_len == len && memcmp(x->sha256, sha256, 32) == 0) {
            c->slots[i].used = ++c->tick;
            c->stats.hits++;
            x->refs++;
            return x;
        }
    }
    c->stats.misses++;
    struct an_x509 *x = x509_make(der, len, sha256);
    if (!x)
        return NULL;
    size_t slot = c->n;
    if (c->n == c->capacity) {
        slot = 0;
        for (size_t i = 1; i < c->n; i++)
            if (c->slots[i].used < c->slots[slot].used)
                slot = i;
        an_x509_release(c->slots[slot].x);
        c->stats.evictions++;
    } else {
        c->n++;
    }
    c->slots[slot].x = x;
    c->slots[slot].used = ++c->tick;
    x->refs++; /* one for the cache, one for the caller */
    return x;
}

/* ------------------------------------------------------------------ */
/* CERT payloads */

struct collector {
    struct an_sa_certs *out;
    struct an_cert_cache *cache;
    unsigned next_index[2]; /* per sender: [0] responder, [1] initiator */
    bool nomem;
};

/* A new entry for a certificate from message `msg`, or NULL when the SA already holds the most. */
static struct an_cert *cert_add(struct collector *col, const struct ike_sa_msg *sm, size_t msg, uint8_t enc,
                                enum an_cert_kind kind, const uint8_t *data, size_t len)
{
    struct an_sa_certs *s = col->out;
    unsigned index = col->next_index[sm->from_initiator]++;
    if (s->ncerts >= AN_SA_MAX_CERTS) {
        s->certs_dropped++;
        return NULL;
    }
    if (!s->certs && !(s->certs = calloc(AN_SA_MAX_CERTS, sizeof *s->certs))) {
        col->nomem = true;
        return NULL;
    }
    struct an_cert *c = &s->certs[s->ncerts++];
    memset(c, 0, sizeof *c);
    c->from_initiator = sm->from_initiator;
    c->index = index;
    c->encoding = enc;
    c->kind = kind;
    c->msg = msg;
    c->length = len;
    if (!len)
        data = (const uint8_t *)"";
    if (EVP_Digest(data, len, c->sha256, NULL, EVP_sha256(), NULL) != 1)
        memset(c->sha256, 0, sizeof c->sha256);
    return c;
}

static void add_x509(struct collector *col, const struct ike_sa_msg *sm, size_t msg, uint8_t enc,
                     const uint8_t *der, size_t len)
{
    struct an_cert *c = cert_add(col, sm, msg, enc, AN_CERT_X509, der, len);
    if (!c)
        return;
    c->x = an_x509_get(col->cache, der, len);
    if (!c->x) {
        col->nomem = true;
        snprintf(c->error, sizeof c->error, "out of memory");
        return;
    }
    if (c->x->error[0])
        snprintf(c->error, sizeof c->error, "%s", c->x->error);
}

/* RFC 2315 §9.1: a degenerate signed-data whose `certificates` carry the chain. */
static void add_pkcs7(struct collector *col, const struct ike_sa_msg *sm, size_t msg, uint8_t enc,
                      const uint8_t *data, size_t len)
{
    const unsigned char *p = data;
    PKCS7 *p7 = len <= LONG_MAX ? d2i_PKCS7(NULL, &p, (long)len) : NULL;
    STACK_OF(X509) *certs = NULL;
    const char *why = NULL;
    if (!p7)
        why = "not a DER PKCS #7 structure";
    else if ((size_t)(p - data) != len)
        why = "bytes after the PKCS #7 structure";
    else if (!PKCS7_type_is_signed(p7) || !p7->d.sign)
        why = "a PKCS #7 structure that is not signed-data";
    else if (!(certs = p7->d.sign->cert) || sk_X509_num(certs) == 0)
        why = "a PKCS #7 bundle without certificates";
    if (why) {
        struct an_cert *c = cert_add(col, sm, msg, enc, AN_CERT_X509, data, len);
        if (c)
            snprintf(c->error, sizeof c->error, "%s", why);
    }
    for (int i = 0; !why && i < sk_X509_num(certs); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(certs, i), &der);
        if (n > 0)
            add_x509(col, sm, msg, enc, der, (size_t)n);
        OPENSSL_free(der);
    }
    PKCS7_free(p7);
    ERR_clear_error();
}

static void add_crl(struct an_cert *c, const uint8_t *data, size_t len)
{
    const unsigned char *p = data;
    X509_CRL *crl = len <= LONG_MAX ? d2i_X509_CRL(NULL, &p, (long)len) : NULL;
    if (!crl || (size_t)(p - data) != len) {
        snprintf(c->error, sizeof c->error, crl ? "bytes after the CRL" : "not a DER CRL");
    } else {
        c->issuer = name_or_mark(X509_CRL_get_issuer(crl));
        if (!asn1_time(X509_CRL_get0_lastUpdate(crl), &c->this_update))
            c->this_update = 0;
        c->has_next_update = asn1_time(X509_CRL_get0_nextUpdate(crl), &c->next_update);
    }
    X509_CRL_free(crl);
    ERR_clear_error();
}

/* RFC 7296 §3.6: a 20-octet SHA-1 hash, then the URL. */
static void add_hash_url(struct an_cert *c, const uint8_t *data, size_t len)
{
    if (len < 20) {
        snprintf(c->error, sizeof c->error, "%zu bytes, shorter than the 20-octet hash", len);
        return;
    }
    memcpy(c->url_sha1, data, 20);
    c->url = printable_dup(data + 20, len - 20);
}

/* RFC 7670 §3: the data is a DER SubjectPublicKeyInfo. */
static void add_raw_key(struct an_cert *c, const uint8_t *data, size_t len)
{
    const unsigned char *p = data;
    EVP_PKEY *pk = len <= LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)len) : NULL;
    if (!pk || (size_t)(p - data) != len)
        snprintf(c->error, sizeof c->error, pk ? "bytes after the public key" : "not a DER SubjectPublicKeyInfo");
    else
        key_name(pk, c->key, sizeof c->key);
    EVP_PKEY_free(pk);
    ERR_clear_error();
}

static void cert_payload(struct collector *col, const struct ike_sa *sa, size_t msg, const struct ike_payload *pl)
{
    const struct ike_sa_msg *sm = &sa->msgs[msg];
    struct ike_cert cert;
    if (ike_cert_decode(pl->body, pl->body_len, &cert) != IKE_PL_OK) {
        struct an_cert *c = cert_add(col, sm, msg, 0, AN_CERT_OTHER, pl->body, 0);
        if (c)
            snprintf(c->error, sizeof c->error, "an empty CERT payload");
        return;
    }
    const uint8_t *data = cert.data.p;
    size_t len = cert.data.len;
    uint8_t enc = cert.encoding;
    /* Encodings both versions number alike: 1 PKCS #7, 4 X.509 signature, 7 CRL; IKEv1
     * adds 5 (X.509 key exchange), IKEv2 12, 13 and 15. */
    if (enc == 4 || (sa->version == 1 && enc == 5)) {
        add_x509(col, sm, msg, enc, data, len);
        return;
    }
    if (enc == 1) {
        add_pkcs7(col, sm, msg, enc, data, len);
        return;
    }
    enum an_cert_kind kind = enc == 7 ? AN_CERT_CRL
                             : sa->version == 2 && (enc == 12 || enc == 13) ? AN_CERT_HASH_URL
                             : sa->version == 2 && enc == 15 ? AN_CERT_RAW_KEY
                                                             : AN_CERT_OTHER;
    struct an_cert *c = cert_add(col, sm, msg, enc, kind, data, len);
    if (!c)
        return;
    if (kind == AN_CERT_CRL)
        add_crl(c, data, len);
    else if (kind == AN_CERT_HASH_URL)
        add_hash_url(c, data, len);
    else if (kind == AN_CERT_RAW_KEY)
        add_raw_key(c, data, len);
    if ((kind == AN_CERT_CRL && !c->error[0] && !c->issuer) || (kind == AN_CERT_HASH_URL && !c->error[0] && !c->url))
        col->nomem = true;
}

/* ------------------------------------------------------------------ */
/* CERTREQ / CR payloads */

static struct an_certreq *req_add(struct collector *col, const struct ike_sa_msg *sm, size_t msg, uint8_t enc)
{
    struct an_sa_certs *s = col->out;
    if (s->nreqs >= AN_SA_MAX_CERTREQS) {
        s->reqs_dropped++;
        return NULL;
    }
    if (!s->reqs && !(s->reqs = calloc(AN_SA_MAX_CERTREQS, sizeof *s->reqs))) {
        col->nomem = true;
        return NULL;
    }
    struct an_certreq *r = &s->reqs[s->nreqs++];
    memset(r, 0, sizeof *r);
    r->from_initiator = sm->from_initiator;
    r->encoding = enc;
    r->msg = msg;
    return r;
}

static void certreq_payload(struct collector *col, const struct ike_sa *sa, size_t msg,
                            const struct ike_payload *pl)
{
    const struct ike_sa_msg *sm = &sa->msgs[msg];
    struct ike_cert cr;
    enum ike_pl_err err = ike_certreq_decode(sa->version, pl->body, pl->body_len, &cr);
    if (err == IKE_PL_SHORT) {
        struct an_certreq *r = req_add(col, sm, msg, 0);
        if (r)
            snprintf(r->error, sizeof r->error, "an empty %s payload", sa->version == 2 ? "CERTREQ" : "CR");
        return;
    }
    if (cr.data.len == 0) {
        struct an_certreq *r = req_add(col, sm, msg, cr.encoding);
        if (r)
            r->any_ca = true;
        return;
    }
    if (sa->version == 1) {
        /* RFC 2408 §3.10: the Certificate Authority field names the CA, as a DER DN for X.509. */
        struct an_certreq *r = req_add(col, sm, msg, cr.encoding);
        if (!r)
            return;
        const unsigned char *p = cr.data.p;
        X509_NAME *name = cr.data.len <= LONG_MAX ? d2i_X509_NAME(NULL, &p, (long)cr.data.len) : NULL;
        if (!name || (size_t)(p - cr.data.p) != cr.data.len)
            snprintf(r->error, sizeof r->error, "%zu bytes that are not a DER distinguished name", cr.data.len);
        else if (!(r->dn = name_or_mark(name)))
            col->nomem = true;
        X509_NAME_free(name);
        ERR_clear_error();
        return;
    }
    if (cr.encoding != 4) {
        /* Other encodings' CA values have no defined layout: say that a request was made. */
        struct an_certreq *r = req_add(col, sm, msg, cr.encoding);
        if (r)
            snprintf(r->error, sizeof r->error, "%zu bytes of CA values in an encoding without hashes",
                     cr.data.len);
        return;
    }
    struct ike_view h;
    for (size_t i = 0; ike_certreq_hash(&cr, i, &h); i++) {
        struct an_certreq *r = req_add(col, sm, msg, cr.encoding);
        if (!r)
            continue; /* counted in reqs_dropped */
        r->has_sha1 = true;
        memcpy(r->ca_sha1, h.p, 20);
    }
    if (err == IKE_PL_BAD_LENGTH) {
        /* RFC 7296 §3.7: the CA values are whole 20-octet hashes. */
        struct an_certreq *r = req_add(col, sm, msg, cr.encoding);
        if (r)
            snprintf(r->error, sizeof r->error, "%zu octets left over after the 20-octet hashes",
                     cr.data.len % 20);
    }
}

const struct an_x509 *an_certs_find_ca(const struct an_sa_certs *s, const uint8_t sha1[20])
{
    for (size_t i = 0; i < s->ncerts; i++) {
        const struct an_x509 *x = s->certs[i].x;
        if (x && !x->error[0] && x->cert &&
            (memcmp(x->spki_sha1, sha1, 20) == 0 || memcmp(x->key_sha1, sha1, 20) == 0))
            return x;
    }
    return NULL;
}

int an_sa_certs_collect(const struct ike_sa *sa, struct an_cert_cache *cache, struct an_sa_certs *out)
{
    memset(out, 0, sizeof *out);
    struct collector col = { .out = out, .cache = cache };
    uint8_t cert_type = sa->version == 2 ? IKE2_PL_CERT : IKE1_PL_CERT;
    uint8_t req_type = sa->version == 2 ? IKE2_PL_CERTREQ : IKE1_PL_CR;
    for (size_t m = 0; m < sa->nmsgs; m++) {
        const struct ike_sa_msg *sm = &sa->msgs[m];
        /* A retransmission repeats what was sent; it is not sent again. */
        if (sm->retransmission)
            continue;
        for (size_t i = 0; i < sm->msg.npayloads; i++) {
            const struct ike_payload *pl = &sm->msg.payloads[i];
            if (pl->type == cert_type)
                cert_payload(&col, sa, m, pl);
            else if (pl->type == req_type)
                certreq_payload(&col, sa, m, pl);
        }
    }
    for (size_t i = 0; i < out->nreqs; i++)
        if (out->reqs[i].has_sha1)
            out->reqs[i].ca = an_certs_find_ca(out, out->reqs[i].ca_sha1);
    return col.nomem ? -1 : 0;
}

void an_dn_common_name(const char *dn, char *out, size_t len)
{
    snprintf(out, len, "%s", dn);
    for (const char *p = dn; *p; p++) {
        if ((p == dn || (p[-1] == ',' && (p < dn + 2 || p[-2] != '\\'))) && strncasecmp(p, "CN=", 3) == 0) {
            size_t n = 0;
            for (const char *q = p + 3; *q && n + 1 < len; q++) {
                if (*q == '\\' && q[1]) {
                    out[n++] = *++q;
                    continue;
                }
                if (*q == ',')
                    break;
                out[n++] = *q;
            }
            out[n] = '\0';
            return;
        }
    }
}

void an_certs_resolve_requests(struct an_sa_certs *s, struct an_trust *trust)
{
    for (size_t i = 0; i < s->nreqs; i++) {
        struct an_certreq *r = &s->reqs[i];
        struct an_trust_ca found;
        if (r->ca) {
            snprintf(r->ca_name, sizeof r->ca_name, "%s", r->ca->subject_cn ? r->ca->subject_cn : r->ca->subject);
            snprintf(r->ca_dn, sizeof r->ca_dn, "%s", r->ca->subject ? r->ca->subject : "");
            r->ca_source = "capture";
            r->ca_self_signed = r->ca->subject && r->ca->issuer && strcmp(r->ca->subject, r->ca->issuer) == 0;
        } else if (r->has_sha1 && an_trust_find_ca(trust, r->ca_sha1, &found)) {
            snprintf(r->ca_name, sizeof r->ca_name, "%s", found.name);
            snprintf(r->ca_dn, sizeof r->ca_dn, "%s", found.dn);
            r->ca_source = found.source;
            r->ca_self_signed = found.self_signed;
        } else if (r->dn) {
            an_dn_common_name(r->dn, r->ca_name, sizeof r->ca_name);
            snprintf(r->ca_dn, sizeof r->ca_dn, "%s", r->dn);
            r->ca_source = "request";
        }
    }
}

void an_sa_certs_cleanup(struct an_sa_certs *s)
{
    for (size_t i = 0; i < s->ncerts; i++) {
        an_x509_release(s->certs[i].x);
        free(s->certs[i].issuer);
        free(s->certs[i].url);
    }
    for (size_t i = 0; i < s->nreqs; i++)
        free(s->reqs[i].dn);
    free(s->certs);
    free(s->reqs);
    memset(s, 0, sizeof *s);
}

bool an_cert_write_pem(const struct an_cert *c, FILE *f)
{
    if (!c || c->kind != AN_CERT_X509 || !c->x || !c->x->cert)
        return false;
    bool ok = PEM_write_X509(f, c->x->cert) == 1;
    ERR_clear_error();
    return ok;
}
