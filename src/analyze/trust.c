/* trust.c: trust anchors, intermediates and CRLs from files, and X.509 path validation
 * (RFC 5280 §6, by OpenSSL's X509_verify_cert) at the capture time, cached by content. */
#include "analyze/trust.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/certs.h"

#define MAX_FILE (64u << 20) /* a CA bundle larger than this is not one */

/* A result holds for every check time in [from, until): no validity edge of a certificate
 * that took part, nor of a CRL, falls inside. */
struct verify_entry {
    uint8_t key[32];
    uint64_t used; /* 0: empty */
    int64_t from, until;
    struct an_chain_result result;
};

/* A CA known to the user's trust files, by the two SHA-1s a CERTREQ may name it with. */
struct ca_entry {
    X509 *x; /* borrowed from anchors, intermediates or the store */
    uint8_t spki[20], bits[20];
    const char *source;
};

struct an_trust {
    X509_STORE *store;
    STACK_OF(X509) *anchors;       /* what --ca gave, for names */
    STACK_OF(X509) *intermediates; /* --intermediate */
    STACK_OF(X509_CRL) *crls;
    bool has_anchors;
    struct verify_entry *cache;
    size_t capacity;
    uint64_t clock, hits, misses, evictions;
    struct ca_entry *index;        /* built on the first lookup after the files changed */
    size_t nindex;
    bool index_stale;
    bool system;                   /* --system-ca was given */
};

const char *an_chain_status_name(enum an_chain_status s)
{
    static const char *const names[] = {
        [AN_CHAIN_OK] = "ok",
        [AN_CHAIN_UNTRUSTED_ROOT] = "untrusted_root",
        [AN_CHAIN_MISSING_INTERMEDIATE] = "missing_intermediate",
        [AN_CHAIN_EXPIRED] = "expired",
        [AN_CHAIN_NOT_YET_VALID] = "not_yet_valid",
        [AN_CHAIN_REVOKED] = "revoked",
        [AN_CHAIN_BAD_SIGNATURE] = "bad_signature",
        [AN_CHAIN_PATH_LENGTH] = "path_length",
        [AN_CHAIN_INVALID] = "invalid",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "invalid";
}

struct an_trust *an_trust_new(size_t cache_capacity)
{
    struct an_trust *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->capacity = cache_capacity ? cache_capacity : 1;
    t->store = X509_STORE_new();
    t->anchors = sk_X509_new_null();
    t->intermediates = sk_X509_new_null();
    t->crls = sk_X509_CRL_new_null();
    t->cache = calloc(t->capacity, sizeof *t->cache);
    if (!t->store || !t->anchors || !t->intermediates || !t->crls || !t->cache) {
        an_trust_free(t);
        return NULL;
    }
    return t;
}

void an_trust_free(struct an_trust *t)
{
    if (!t)
        return;
    X509_STORE_free(t->store);
    sk_X509_pop_free(t->anchors, X509_free);
    sk_X509_pop_free(t->intermediates, X509_free);
    sk_X509_CRL_pop_free(t->crls, X509_CRL_free);
    free(t->cache);
    free(t->index);
    free(t);
}

bool an_trust_has_anchors(const struct an_trust *t) { return t && t->has_anchors; }
bool an_trust_has_crls(const struct an_trust *t) { return t && sk_X509_CRL_num(t->crls) > 0; }

void an_trust_stats(const struct an_trust *t, struct an_trust_stats *out)
{
    memset(out, 0, sizeof *out);
    out->capacity = t->capacity;
    for (size_t i = 0; i < t->capacity; i++)
        out->entries += t->cache[i].used != 0;
    out->hits = t->hits;
    out->misses = t->misses;
    out->evictions = t->evictions;
}

/* ------------------------------------------------------------------ */
/* Reading files */

/* The whole file, or NULL with the reason in `err`. */
static unsigned char *slurp(const char *path, const char *what, size_t *n, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, len, "%s: cannot read the %s file: %s", path, what, strerror(errno));
        return NULL;
    }
    /* Refused from its size, before anything is read. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > MAX_FILE) {
        snprintf(err, len, "%s: the %s file is %" PRIu64 " bytes, larger than %u MiB", path, what,
                 (uint64_t)st.st_size, MAX_FILE >> 20);
        fclose(f);
        return NULL;
    }
    unsigned char *buf = NULL;
    size_t used = 0, cap = 0;
    for (;;) {
        if (used == cap) {
            size_t ncap = cap ? cap * 2 : 16384;
            unsigned char *nb = ncap <= MAX_FILE ? realloc(buf, ncap) : NULL;
            if (!nb) {
                snprintf(err, len, "%s: the %s file is too large", path, what);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        snprintf(err, len, "%s: cannot read the %s file: %s", path, what, strerror(saved));
        free(buf);
        return NULL;
    }
    *n = used;
    return buf;
}

static bool is_pem(const unsigned char *p, size_t n)
{
    static const char mark[] = "-----BEGIN ";
    for (size_t i = 0; i + sizeof mark - 1 <= n; i++)
        if (memcmp(p + i, mark, sizeof mark - 1) == 0)
            return true;
    return false;
}

/* Appends every certificate in `path` to `out`; returns how many, -1 on a read error. */
static int read_certs(const char *path, const char *what, STACK_OF(X509) *out, char *err, size_t len)
{
    size_t n;
    unsigned char *buf = slurp(path, what, &n, err, len);
    if (!buf)
        return -1;
    int count = 0;
    if (is_pem(buf, n)) {
        BIO *bio = BIO_new_mem_buf(buf, (int)n);
        X509 *x;
        while (bio && (x = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) != NULL) {
            if (!sk_X509_push(out, x)) {
                X509_free(x);
                break;
            }
            count++;
        }
        BIO_free(bio);
    } else {
        const unsigned char *p = buf;
        X509 *x = d2i_X509(NULL, &p, (long)n);
        if (x && sk_X509_push(out, x))
            count++;
        else
            X509_free(x);
    }
    ERR_clear_error();
    free(buf);
    return count;
}

static int add_certs(struct an_trust *t, const char *path, bool anchor, char *err, size_t len)
{
    const char *what = anchor ? "--ca" : "--intermediate";
    STACK_OF(X509) *got = sk_X509_new_null();
    if (!got) {
        snprintf(err, len, "out of memory");
        return -1;
    }
    int count = 0;
    struct stat st;
    if (anchor && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            snprintf(err, len, "%s: cannot read the --ca directory: %s", path, strerror(errno));
            sk_X509_free(got);
            return -1;
        }
        struct dirent *e;
        char file[4096], ignored[8];
        while ((e = readdir(d)) != NULL) {
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            if (e->d_name[0] == '.' || stat(file, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            int k = read_certs(file, what, got, ignored, sizeof ignored);
            count += k > 0 ? k : 0;
        }
        closedir(d);
        if (count == 0) {
            snprintf(err, len, "%s: the --ca directory holds no certificate (PEM or DER)", path);
            sk_X509_free(got);
            return -1;
        }
    } else {
        count = read_certs(path, what, got, err, len);
        if (count == 0)
            snprintf(err, len, "%s: the %s file holds no certificate (PEM or DER)", path, what);
        if (count <= 0) {
            sk_X509_pop_free(got, X509_free);
            return -1;
        }
    }
    X509 *x;
    while ((x = sk_X509_shift(got)) != NULL) {
        if (anchor)
            X509_STORE_add_cert(t->store, x); /* takes its own reference; duplicates are fine */
        if (!sk_X509_push(anchor ? t->anchors : t->intermediates, x))
            X509_free(x);
    }
    ERR_clear_error();
    sk_X509_free(got);
    t->index_stale = true;
    if (anchor)
        t->has_anchors = true;
    return 0;
}

int an_trust_add_ca(struct an_trust *t, const char *path, char *err, size_t len)
{
    return add_certs(t, path, true, err, len);
}

int an_trust_add_intermediate(struct an_trust *t, const char *path, char *err, size_t len)
{
    return add_certs(t, path, false, err, len);
}

int an_trust_add_crl(struct an_trust *t, const char *path, char *err, size_t len)
{
    size_t n;
    unsigned char *buf = slurp(path, "--crl", &n, err, len);
    if (!buf)
        return -1;
    int count = 0;
    if (is_pem(buf, n)) {
        BIO *bio = BIO_new_mem_buf(buf, (int)n);
        X509_CRL *c;
        while (bio && (c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
            if (!sk_X509_CRL_push(t->crls, c)) {
                X509_CRL_free(c);
                break;
            }
            count++;
        }
        BIO_free(bio);
    } else {
        const unsigned char *p = buf;
        X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)n);
        if (c && sk_X509_CRL_push(t->crls, c))
            count++;
        else
            X509_CRL_free(c);
    }
    ERR_clear_error();
    free(buf);
    if (count == 0) {
        snprintf(err, len, "%s: the --crl file holds no CRL (PEM or DER)", path);
        return -1;
    }
    return 0;
}

int an_trust_add_system(struct an_trust *t, char *err, size_t len)
{
    if (X509_STORE_set_default_paths(t->store) != 1) {
        snprintf(err, len, "--system-ca: OpenSSL's default certificate store cannot be loaded");
        ERR_clear_error();
        return -1;
    }
    t->has_anchors = true;
    t->system = true;
    t->index_stale = true;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Names and key hashes */

static void key_hashes(X509 *x, uint8_t spki[20], uint8_t bits[20])
{
    memset(spki, 0, 20);
    memset(bits, 0, 20);
    X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
    unsigned char *der = NULL;
    int n = pub ? i2d_X509_PUBKEY(pub, &der) : -1;
    if (n > 0)
        EVP_Digest(der, (size_t)n, spki, NULL, EVP_sha1(), NULL);
    OPENSSL_free(der);
    unsigned int ignored;
    X509_pubkey_digest(x, EVP_sha1(), bits, &ignored);
}

/* commonName, else the RFC 2253 subject, printable, into `out`. */
static void short_name(const X509_NAME *name, char *out, size_t len)
{
    out[0] = '\0';
    if (!name)
        return;
    int idx = -1, last = -1;
    while ((idx = X509_NAME_get_index_by_NID(name, NID_commonName, idx)) >= 0)
        last = idx;
    BIO *bio = NULL;
    if (last >= 0) {
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
        unsigned char *utf8 = NULL;
        int n = s ? ASN1_STRING_to_UTF8(&utf8, s) : -1;
        size_t o = 0;
        for (int i = 0; i < n && o + 5 < len; i++) {
            if (utf8[i] < 0x20 || utf8[i] == 0x7f)
                o += (size_t)snprintf(out + o, len - o, "\\x%02x", utf8[i]);
            else
                out[o++] = (char)utf8[i];
        }
        out[o] = '\0';
        OPENSSL_free(utf8);
        if (o)
            return;
    }
    bio = BIO_new(BIO_s_mem());
    if (bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
        int got = BIO_read(bio, out, (int)len - 1);
        out[got > 0 ? got : 0] = '\0';
        for (char *p = out; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
    }
    BIO_free(bio);
}

static bool index_add(struct ca_entry **v, size_t *n, size_t *cap, X509 *x, const char *source)
{
    if (*n == *cap) {
        size_t want = *cap ? *cap * 2 : 64;
        struct ca_entry *grown = realloc(*v, want * sizeof **v);
        if (!grown)
            return false;
        *v = grown;
        *cap = want;
    }
    struct ca_entry *e = &(*v)[(*n)++];
    e->x = x;
    e->source = source;
    key_hashes(x, e->spki, e->bits);
    return true;
}

/* Every CA the trust files hold, hashed once: --ca and --intermediate first, then what
 * --system-ca put into the store (OpenSSL loads the default bundle file at once; certificates
 * only in its hashed directory are found by chain building, not here). */
static void build_index(struct an_trust *t)
{
    free(t->index);
    t->index = NULL;
    t->nindex = 0;
    t->index_stale = false;
    size_t cap = 0;
    for (int i = 0; i < sk_X509_num(t->anchors); i++)
        if (!index_add(&t->index, &t->nindex, &cap, sk_X509_value(t->anchors, i), "--ca"))
            return;
    for (int i = 0; i < sk_X509_num(t->intermediates); i++)
        if (!index_add(&t->index, &t->nindex, &cap, sk_X509_value(t->intermediates, i), "--intermediate"))
            return;
    if (!t->system)
        return;
    STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(t->store);
    for (int i = 0; i < sk_X509_OBJECT_num(objs); i++) {
        X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
        if (!x || sk_X509_find(t->anchors, x) >= 0)
            continue;
        if (!index_add(&t->index, &t->nindex, &cap, x, "system store"))
            return;
    }
}

static void describe_ca(const X509 *x, const char *source, struct an_trust_ca *out)
{
    short_name(X509_get_subject_name(x), out->name, sizeof out->name);
    an_trust_dn(X509_get_subject_name(x), out->dn, sizeof out->dn);
    an_trust_dn(X509_get_issuer_name(x), out->issuer_dn, sizeof out->issuer_dn);
    out->source = source;
    out->self_signed = (X509_get_extension_flags((X509 *)x) & EXFLAG_SS) != 0;
}

bool an_trust_find_ca(struct an_trust *t, const uint8_t sha1[20], struct an_trust_ca *out)
{
    if (!t)
        return false;
    if (t->index_stale)
        build_index(t);
    for (size_t i = 0; i < t->nindex; i++) {
        const struct ca_entry *e = &t->index[i];
        if (memcmp(e->spki, sha1, 20) != 0 && memcmp(e->bits, sha1, 20) != 0)
            continue;
        describe_ca(e->x, e->source, out);
        return true;
    }
    return false;
}

size_t an_trust_user_ca_count(const struct an_trust *t)
{
    return t ? (size_t)sk_X509_num(t->anchors) + (size_t)sk_X509_num(t->intermediates) : 0;
}

bool an_trust_user_ca(const struct an_trust *t, size_t i, struct an_trust_ca *out)
{
    size_t nanchors = t ? (size_t)sk_X509_num(t->anchors) : 0;
    if (i >= an_trust_user_ca_count(t))
        return false;
    if (i < nanchors)
        describe_ca(sk_X509_value(t->anchors, (int)i), "--ca", out);
    else
        describe_ca(sk_X509_value(t->intermediates, (int)(i - nanchors)), "--intermediate", out);
    return true;
}

bool an_trust_find_ca_dn(struct an_trust *t, const char *dn, struct an_trust_ca *out)
{
    if (!t || !dn || !dn[0])
        return false;
    if (t->index_stale)
        build_index(t);
    for (size_t i = 0; i < t->nindex; i++) {
        char subject[320];
        an_trust_dn(X509_get_subject_name(t->index[i].x), subject, sizeof subject);
        if (strcmp(subject, dn) == 0) {
            describe_ca(t->index[i].x, t->index[i].source, out);
            return true;
        }
    }
    return false;
}

void an_trust_dn(const struct X509_name_st *name, char *out, size_t len)
{
    out[0] = '\0';
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio && name && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
        int got = BIO_read(bio, out, (int)len - 1);
        out[got > 0 ? got : 0] = '\0';
        for (char *p = out; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
    }
    BIO_free(bio);
}

/* ------------------------------------------------------------------ */
/* Verification */

static int64_t asn1_seconds(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return 0;
    return (int64_t)timegm(&tm);
}

/* Without a CRL for some CA, its certificates' status is unknown, not revoked: strongSwan
 * logs "certificate status is not available" and goes on, and so does this. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
    if (ok)
        return 1;
    int e = X509_STORE_CTX_get_error(ctx);
    if (e == X509_V_ERR_UNABLE_TO_GET_CRL || e == X509_V_ERR_CRL_HAS_EXPIRED ||
        e == X509_V_ERR_CRL_NOT_YET_VALID || e == X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER ||
        e == X509_V_ERR_DIFFERENT_CRL_SCOPE)
        return 1;
    return 0;
}

static const char *crl_reason_name(long r)
{
    static const char *const names[] = {
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "", "removeFromCRL", "privilegeWithdrawn",
        "aACompromise",
    };
    return r >= 0 && r < (long)(sizeof names / sizeof names[0]) ? names[r] : "";
}

static void revocation(struct an_trust *t, X509 *cert, struct an_chain_result *out)
{
    for (int i = 0; i < sk_X509_CRL_num(t->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(t->crls, i);
        X509_REVOKED *rev = NULL;
        if (X509_CRL_get0_by_cert(crl, &rev, cert) != 1 || !rev)
            continue;
        short_name(X509_CRL_get_issuer(crl), out->crl_issuer, sizeof out->crl_issuer);
        out->revoked_at = asn1_seconds(X509_REVOKED_get0_revocationDate(rev));
        ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
        if (reason) {
            snprintf(out->revoked_reason, sizeof out->revoked_reason, "%s",
                     crl_reason_name(ASN1_ENUMERATED_get(reason)));
            ASN1_ENUMERATED_free(reason);
        }
        return;
    }
}

static enum an_chain_status status_of(int e)
{
    switch (e) {
    case X509_V_OK:
        return AN_CHAIN_OK;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
        return AN_CHAIN_UNTRUSTED_ROOT;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return AN_CHAIN_MISSING_INTERMEDIATE;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return AN_CHAIN_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return AN_CHAIN_NOT_YET_VALID;
    case X509_V_ERR_CERT_REVOKED:
        return AN_CHAIN_REVOKED;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        return AN_CHAIN_BAD_SIGNATURE;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return AN_CHAIN_PATH_LENGTH;
    default:
        return AN_CHAIN_INVALID;
    }
}

/* Narrows [*from, *until) around `at` to exclude the time `edge` where something changes. */
static void narrow(int64_t at, int64_t edge, int64_t *from, int64_t *until)
{
    if (edge <= at && edge > *from)
        *from = edge;
    if (edge > at && edge < *until)
        *until = edge;
}

/* A certificate is valid in [notBefore, notAfter] to the second (RFC 5280 §4.1.2.5). */
static void narrow_cert(X509 *x, int64_t at, int64_t *from, int64_t *until)
{
    narrow(at, asn1_seconds(X509_get0_notBefore(x)), from, until);
    narrow(at, asn1_seconds(X509_get0_notAfter(x)) + 1, from, until);
}

/* The times around `at` between which the verification of this chain cannot change: the
 * validity edges of every certificate that could take part and of every CRL. */
static void stable_window(struct an_trust *t, X509 *leaf, X509 *const *others, size_t nothers,
                          STACK_OF(X509) *chain, int64_t at, int64_t *from, int64_t *until)
{
    *from = INT64_MIN;
    *until = INT64_MAX;
    narrow_cert(leaf, at, from, until);
    for (size_t i = 0; i < nothers; i++)
        if (others[i])
            narrow_cert(others[i], at, from, until);
    for (int i = 0; i < sk_X509_num(t->intermediates); i++)
        narrow_cert(sk_X509_value(t->intermediates, i), at, from, until);
    for (int i = 0; chain && i < sk_X509_num(chain); i++)
        narrow_cert(sk_X509_value(chain, i), at, from, until);
    for (int i = 0; i < sk_X509_CRL_num(t->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(t->crls, i);
        narrow(at, asn1_seconds(X509_CRL_get0_lastUpdate(crl)), from, until);
        if (X509_CRL_get0_nextUpdate(crl))
            narrow(at, asn1_seconds(X509_CRL_get0_nextUpdate(crl)) + 1, from, until);
    }
}

static void run_verify(struct an_trust *t, X509 *leaf, X509 *const *others, size_t nothers, int64_t at,
                       struct an_chain_result *out, int64_t *from, int64_t *until)
{
    memset(out, 0, sizeof *out);
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!untrusted || !ctx)
        goto oom;
    for (size_t i = 0; i < nothers; i++)
        if (others[i] && !sk_X509_push(untrusted, others[i]))
            goto oom;
    for (int i = 0; i < sk_X509_num(t->intermediates); i++)
        if (!sk_X509_push(untrusted, sk_X509_value(t->intermediates, i)))
            goto oom;
    if (X509_STORE_CTX_init(ctx, t->store, leaf, untrusted) != 1)
        goto oom;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    /* A CA given with --ca is a trust anchor even when it is an intermediate, as in
     * strongSwan's and libreswan's stores. */
    unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
    if (sk_X509_CRL_num(t->crls) > 0) {
        flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
        X509_STORE_CTX_set0_crls(ctx, t->crls);
    }
    X509_VERIFY_PARAM_set_flags(param, flags);
    X509_VERIFY_PARAM_set_time(param, (time_t)at);
    X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
    int ok = X509_verify_cert(ctx);
    int e = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
    if (ok != 1 && e == X509_V_OK)
        e = X509_V_ERR_UNSPECIFIED;
    out->error = e;
    out->status = status_of(e);
    out->depth = ok == 1 ? 0 : X509_STORE_CTX_get_error_depth(ctx);
    if (e != X509_V_OK)
        snprintf(out->reason, sizeof out->reason, "%s", X509_verify_cert_error_string(e));
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    stable_window(t, leaf, others, nothers, chain, at, from, until);
    out->chain_len = chain ? (size_t)sk_X509_num(chain) : 0;
    for (size_t i = 1; i < out->chain_len && out->nca < 8; i++, out->nca++)
        key_hashes(sk_X509_value(chain, (int)i), out->ca_spki_sha1[out->nca], out->ca_key_sha1[out->nca]);
    X509 *cur = ok == 1 ? leaf : X509_STORE_CTX_get_current_cert(ctx);
    if (!cur && chain && out->depth >= 0 && out->depth < (int)out->chain_len)
        cur = sk_X509_value(chain, out->depth);
    if (!cur)
        cur = leaf;
    short_name(X509_get_subject_name(cur), out->subject, sizeof out->subject);
    short_name(X509_get_issuer_name(cur), out->issuer, sizeof out->issuer);
    an_trust_dn(X509_get_issuer_name(cur), out->issuer_dn, sizeof out->issuer_dn);
    out->not_before = asn1_seconds(X509_get0_notBefore(cur));
    out->not_after = asn1_seconds(X509_get0_notAfter(cur));
    X509 *top = chain && out->chain_len ? sk_X509_value(chain, (int)out->chain_len - 1) : NULL;
    out->top_self_signed = top && (X509_get_extension_flags(top) & EXFLAG_SS) != 0;
    if (out->status == AN_CHAIN_OK && top)
        short_name(X509_get_subject_name(top), out->root, sizeof out->root);
    else if (out->status == AN_CHAIN_UNTRUSTED_ROOT)
        short_name(X509_get_subject_name(top ? top : cur), out->root, sizeof out->root);
    if (out->status == AN_CHAIN_REVOKED) {
        const ASN1_INTEGER *sn = X509_get0_serialNumber(cur);
        BIGNUM *bn = sn ? ASN1_INTEGER_to_BN(sn, NULL) : NULL;
        char *hex = bn ? BN_bn2hex(bn) : NULL;
        if (hex) {
            snprintf(out->serial, sizeof out->serial, "%s", hex);
            for (char *p = out->serial; *p; p++)
                if (*p >= 'A' && *p <= 'F')
                    *p = (char)(*p - 'A' + 'a');
        }
        OPENSSL_free(hex);
        BN_free(bn);
        revocation(t, cur, out);
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    ERR_clear_error();
    return;
oom:
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    *from = *until = at; /* never reused */
    out->status = AN_CHAIN_INVALID;
    out->error = X509_V_ERR_OUT_OF_MEM;
    snprintf(out->reason, sizeof out->reason, "out of memory");
}

static bool der_sha256(X509 *x, uint8_t out[32])
{
    unsigned int n;
    return X509_digest(x, EVP_sha256(), out, &n) == 1;
}

int an_trust_verify(struct an_trust *t, X509 *leaf, X509 *const *others, size_t nothers, int64_t at,
                    struct an_chain_result *out)
{
    if (!t || !t->has_anchors || !leaf)
        return -1;
    /* The key: every certificate's SHA-256 in order. A cached result is reused only for a
     * check time inside the window where no certificate or CRL changes state, so each SA
     * gets the answer for its own second, as the receiving peer did. */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t key[32], h[32];
    int64_t from, until;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 && der_sha256(leaf, h) &&
              EVP_DigestUpdate(md, h, 32) == 1;
    for (size_t i = 0; ok && i < nothers; i++)
        ok = others[i] && der_sha256(others[i], h) && EVP_DigestUpdate(md, h, 32) == 1;
    ok = ok && EVP_DigestFinal_ex(md, key, NULL) == 1;
    EVP_MD_CTX_free(md);
    if (!ok) {
        run_verify(t, leaf, others, nothers, at, out, &from, &until);
        return 0;
    }
    size_t victim = 0;
    for (size_t i = 0; i < t->capacity; i++) {
        struct verify_entry *e = &t->cache[i];
        if (e->used && memcmp(e->key, key, 32) == 0 && at >= e->from && at < e->until) {
            e->used = ++t->clock;
            t->hits++;
            *out = e->result;
            return 0;
        }
        if (e->used < t->cache[victim].used)
            victim = i;
    }
    t->misses++;
    run_verify(t, leaf, others, nothers, at, out, &from, &until);
    struct verify_entry *e = &t->cache[victim];
    if (e->used)
        t->evictions++;
    memcpy(e->key, key, 32);
    e->used = ++t->clock;
    e->from = from;
    e->until = until;
    e->result = *out;
    return 0;
}
