/* auth_verify.c: IKEv2 signature AUTH verified with the sender's certificate key: RFC 7296 §2.15
 * (methods 1, 3), RFC 4754 (9-11, r||s), RFC 7427 (14), RFC 8420 (EdDSA); RSA signatures
 * opened with the key (RFC 8017 §8.2.2, §9.1.2, §9.2) to tell a wrong key from altered data. */
#include "analyze/auth_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "analyze/auth_octets.h"
#include "analyze/auth_v1.h"
#include "analyze/sig_alg.h"
#include "capture/reader.h"
#include "ike/crypto/keyset.h"
#include "ike/msg.h"

/* The fixed signature methods: the scheme, hash and (ECDSA) curve each one implies. */
static const struct {
    uint8_t method;
    enum an_sig_scheme scheme;
    int hash;
    int curve;      /* RFC 4754 §7: the curve is part of the method */
    size_t half;    /* bytes of r and of s in the raw r||s form, 0 when not raw */
} fixed_methods[] = {
    { 1, AN_SIG_RSA_PKCS1, NID_sha1, 0, 0 },
    { 3, AN_SIG_DSA, NID_sha1, 0, 20 },   /* RFC 7296 §3.8: DSS, SHA-1, 40 octets r||s */
    { 9, AN_SIG_ECDSA, NID_sha256, NID_X9_62_prime256v1, 32 },
    { 10, AN_SIG_ECDSA, NID_sha384, NID_secp384r1, 48 },
    { 11, AN_SIG_ECDSA, NID_sha512, NID_secp521r1, 66 },
};

/* RFC 8017 §9.2 note 1: the DER of DigestInfo up to the hash value. */
static const struct {
    int hash;
    uint8_t len;
    uint8_t prefix[19];
} digest_infos[] = {
    { NID_sha1, 15, { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 } },
    { NID_sha224, 19, { 0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c } },
    { NID_sha256, 19, { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 } },
    { NID_sha384, 19, { 0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30 } },
    { NID_sha512, 19, { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 } },
};

#define COMPLETE_HINT "a charon log at ike=4 or ikescope's key log with SK_pi/SK_pr would complete the check"

const char *an_auth_result_name(enum an_auth_result r)
{
    switch (r) {
    case AN_AUTH_VALID:
        return "valid";
    case AN_AUTH_INVALID:
        return "invalid";
    case AN_AUTH_KEY_CONSISTENT:
        return "key-consistent";
    case AN_AUTH_UNVERIFIABLE:
        return "unverifiable";
    default:
        return "not-sent";
    }
}

const char *an_auth_cause_name(enum an_auth_cause c)
{
    switch (c) {
    case AN_AUTH_CAUSE_WRONG_KEY:
        return "wrong-key";
    case AN_AUTH_CAUSE_DATA_DIFFERS:
        return "signed-data-differs";
    case AN_AUTH_CAUSE_KEY_OR_DATA:
        return "wrong-key-or-signed-data-differs";
    case AN_AUTH_CAUSE_NOT_ACCEPTABLE:
        return "not-acceptable";
    default:
        return "none";
    }
}

static const char *key_type_name(int id)
{
    switch (id) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
        return "RSA";
    case EVP_PKEY_DSA:
        return "DSA";
    case EVP_PKEY_EC:
        return "EC";
    case EVP_PKEY_ED25519:
        return "Ed25519";
    case EVP_PKEY_ED448:
        return "Ed448";
    default:
        return "unknown";
    }
}

static bool scheme_fits_key(enum an_sig_scheme s, int id)
{
    switch (s) {
    case AN_SIG_RSA_PKCS1:
        return id == EVP_PKEY_RSA;
    case AN_SIG_RSA_PSS:
        return id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS;
    case AN_SIG_ECDSA:
        return id == EVP_PKEY_EC;
    case AN_SIG_ED25519:
        return id == EVP_PKEY_ED25519;
    case AN_SIG_ED448:
        return id == EVP_PKEY_ED448;
    case AN_SIG_DSA:
        return id == EVP_PKEY_DSA;
    default:
        return false;
    }
}

/* The NIST name of an EC key's curve, "P-256", or its OpenSSL name, or "" */
static int key_curve(EVP_PKEY *key, char *name, size_t len)
{
    char group[64] = "";
    size_t glen = 0;
    name[0] = '\0';
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen))
        return 0;
    int nid = OBJ_sn2nid(group);
    if (nid == NID_undef)
        nid = OBJ_ln2nid(group);
    const char *nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;
    snprintf(name, len, "%s", nist ? nist : group);
    return nid;
}

/* raw r||s (RFC 4754 §3, RFC 7296 DSS) to the DER Dss-Sig-Value / Ecdsa-Sig-Value OpenSSL takes. */
static unsigned char *raw_to_der(const uint8_t *sig, size_t half, int *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)half, NULL), *s = BN_bin2bn(sig + half, (int)half, NULL);
    unsigned char *der = NULL;
    *der_len = 0;
    if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
        r = s = NULL;
        *der_len = i2d_ECDSA_SIG(es, &der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return *der_len > 0 ? der : NULL;
}

/* s^e mod n without padding: the encoded message EM of RFC 8017 §8.2.2 step 2. */
static bool rsa_open(EVP_PKEY *key, const uint8_t *sig, size_t sl, uint8_t *em, size_t *em_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    bool ok = ctx && sl == (size_t)EVP_PKEY_get_size(key) && EVP_PKEY_verify_recover_init(ctx) > 0 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0 &&
              EVP_PKEY_verify_recover(ctx, em, em_len, sig, sl) > 0 && *em_len == sl;
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

/* EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF..FF 00 DigestInfo. Returns the hash NID it names
 * (0 when the padding is not well formed) and where the hash value is. */
static int pkcs1_digest_info(const uint8_t *em, size_t k, const uint8_t **h, size_t *hlen)
{
    struct rd r = rd_make(em, k);
    uint8_t b0, b1, b = 0xff;
    size_t ff = 0;
    if (!rd_u8(&r, &b0) || !rd_u8(&r, &b1) || b0 != 0 || b1 != 1)
        return 0;
    while (rd_u8(&r, &b) && b == 0xff)
        ff++;
    if (b != 0 || ff < 8) /* RFC 8017 §9.2 step 5: PS at least 8 octets */
        return 0;
    for (size_t i = 0; i < sizeof digest_infos / sizeof digest_infos[0]; i++) {
        size_t n = (size_t)EVP_MD_get_size(EVP_get_digestbynid(digest_infos[i].hash));
        if (r.left == digest_infos[i].len + n && memcmp(r.p, digest_infos[i].prefix, digest_infos[i].len) == 0) {
            *h = r.p + digest_infos[i].len;
            *hlen = n;
            return digest_infos[i].hash;
        }
    }
    return 0;
}

/* MGF1 (RFC 8017 §B.2.1). */
static bool mgf1(const EVP_MD *md, const uint8_t *seed, size_t slen, uint8_t *mask, size_t len)
{
    uint8_t t[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    for (uint32_t c = 0, done = 0; done < len; c++) {
        uint8_t cb[4] = { (uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c };
        EVP_MD_CTX *m = EVP_MD_CTX_new();
        bool ok = m && EVP_DigestInit_ex(m, md, NULL) && EVP_DigestUpdate(m, seed, slen) &&
                  EVP_DigestUpdate(m, cb, 4) && EVP_DigestFinal_ex(m, t, &hl);
        EVP_MD_CTX_free(m);
        if (!ok || hl == 0)
            return false;
        size_t n = len - done < hl ? len - done : hl;
        memcpy(mask + done, t, n);
        done += (uint32_t)n;
    }
    return true;
}

/* EMSA-PSS-VERIFY (RFC 8017 §9.1.2) steps 3-10, the ones that do not need mHash. */
static bool pss_well_formed(const uint8_t *em, size_t k, int mod_bits, const struct an_sig_alg *a)
{
    const EVP_MD *md = EVP_get_digestbynid(a->hash), *mg = EVP_get_digestbynid(a->mgf1_hash);
    if (!md || !mg || mod_bits < 16)
        return false;
    size_t em_bits = (size_t)mod_bits - 1, em_len = (em_bits + 7) / 8, h_len = (size_t)EVP_MD_get_size(md);
    size_t s_len = (size_t)a->salt_len;
    if (em_len < k) { /* modBits - 1 is a multiple of 8: EM is one octet shorter than the modulus */
        if (em[0] != 0)
            return false;
        em++;
    }
    if (em_len < h_len + s_len + 2 || em[em_len - 1] != 0xbc)
        return false;
    size_t db_len = em_len - h_len - 1;
    unsigned zero_bits = (unsigned)(8 * em_len - em_bits);
    uint8_t top = (uint8_t)(0xff << (8 - zero_bits));
    if (zero_bits && (em[0] & top))
        return false;
    uint8_t *db = malloc(db_len);
    bool ok = db && mgf1(mg, em + db_len, h_len, db, db_len);
    if (ok) {
        for (size_t i = 0; i < db_len; i++)
            db[i] ^= em[i];
        if (zero_bits)
            db[0] &= (uint8_t)~top;
        size_t ps = em_len - h_len - s_len - 2;
        for (size_t i = 0; i < ps && ok; i++)
            ok = db[i] == 0;
        ok = ok && db[ps] == 0x01;
    }
    free(db);
    return ok;
}

/* The signature opened with the key: well-formed padding for the scheme. For PKCS#1 v1.5
 * `*differs` says whether the DigestInfo names another hash or value than `octets` have. */
static bool rsa_opens(EVP_PKEY *key, const struct an_sig_alg *a, const uint8_t *sig, size_t sl,
                      const uint8_t *octets, size_t olen, char *what, size_t wlen)
{
    size_t k = (size_t)EVP_PKEY_get_size(key), em_len = k;
    uint8_t *em = k ? malloc(k) : NULL;
    bool ok = em && rsa_open(key, sig, sl, em, &em_len);
    what[0] = '\0';
    if (ok && a->scheme == AN_SIG_RSA_PSS) {
        ok = pss_well_formed(em, k, EVP_PKEY_get_bits(key), a);
    } else if (ok) {
        const uint8_t *h = NULL;
        size_t hl = 0;
        int hash = pkcs1_digest_info(em, k, &h, &hl);
        ok = hash != 0;
        if (ok && hash != a->hash)
            snprintf(what, wlen, "; it holds a %s DigestInfo where %s was expected", an_sig_hash_name(hash),
                     an_sig_hash_name(a->hash));
        else if (ok && octets) {
            uint8_t d[EVP_MAX_MD_SIZE];
            unsigned dl = 0;
            if (EVP_Digest(octets, olen, d, &dl, EVP_get_digestbynid(hash), NULL) && dl == hl &&
                memcmp(d, h, hl) != 0)
                snprintf(what, wlen, "; the %s it holds differs from the %s of the signed octets in the capture",
                         an_sig_hash_name(hash), an_sig_hash_name(hash));
        }
    }
    if (em)
        OPENSSL_cleanse(em, k);
    free(em);
    return ok;
}

static void set(struct an_sig_verdict *v, enum an_auth_result r, enum an_auth_cause c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set(struct an_sig_verdict *v, enum an_auth_result r, enum an_auth_cause c, const char *fmt, ...)
{
    v->result = r;
    v->cause = c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof v->reason, fmt, ap);
    va_end(ap);
}

static int digest_verify(EVP_PKEY *key, const struct an_sig_alg *a, const uint8_t *sig, size_t sl,
                         const uint8_t *octets, size_t olen)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const EVP_MD *md = a->hash ? EVP_get_digestbynid(a->hash) : NULL;
    int rc = -1;
    if (m && (md || !a->hash) && EVP_DigestVerifyInit(m, &pctx, md, NULL, key) > 0) {
        bool ok = true;
        if (a->scheme == AN_SIG_RSA_PSS)
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_get_digestbynid(a->mgf1_hash)) > 0 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, a->salt_len) > 0;
        else if (a->scheme == AN_SIG_RSA_PKCS1)
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
        rc = ok ? EVP_DigestVerify(m, sig, sl, octets, olen) : -1;
    }
    EVP_MD_CTX_free(m);
    ERR_clear_error();
    return rc;
}

void an_auth_verify_sig(uint8_t method, const uint8_t *data, size_t len, EVP_PKEY *key,
                        const uint8_t *octets, size_t octets_len, struct an_sig_verdict *v)
{
    memset(v, 0, sizeof *v);
    struct an_sig_alg a = { 0 };
    const uint8_t *sig = data;
    size_t sl = len;
    int want_curve = 0;
    size_t half = 0;
    if (method == 14) {
        char oid[64];
        switch (an_sig_alg_parse(data, len, &a, &sig, &sl, oid, sizeof oid)) {
        case AN_SIG_ALG_OK:
            break;
        case AN_SIG_ALG_UNKNOWN:
            snprintf(v->algorithm, sizeof v->algorithm, "unknown");
            set(v, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE,
                "RFC 7427 signature algorithm %s is not one we verify", oid[0] ? oid : "?");
            return;
        default:
            snprintf(v->algorithm, sizeof v->algorithm, "unknown");
            set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE,
                "the RFC 7427 AlgorithmIdentifier is truncated or malformed (RFC 7427 §3)");
            return;
        }
    } else {
        size_t i = 0;
        while (i < sizeof fixed_methods / sizeof fixed_methods[0] && fixed_methods[i].method != method)
            i++;
        if (i == sizeof fixed_methods / sizeof fixed_methods[0]) {
            snprintf(v->algorithm, sizeof v->algorithm, "unknown");
            set(v, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE, "method %u is not a signature method we verify", method);
            return;
        }
        a.scheme = fixed_methods[i].scheme;
        a.hash = fixed_methods[i].hash;
        want_curve = fixed_methods[i].curve;
        half = fixed_methods[i].half;
    }
    v->hash = a.hash;
    int kid = EVP_PKEY_get_base_id(key);
    char curve[32];
    int cnid = key_curve(key, curve, sizeof curve);
    if (a.scheme == AN_SIG_ED25519 || a.scheme == AN_SIG_ED448)
        snprintf(v->algorithm, sizeof v->algorithm, "%s", an_sig_scheme_name(a.scheme));
    else if (a.scheme == AN_SIG_ECDSA && cnid)
        snprintf(v->algorithm, sizeof v->algorithm, "ECDSA %s %s", curve, an_sig_hash_name(a.hash));
    else
        snprintf(v->algorithm, sizeof v->algorithm, "%s %s", an_sig_scheme_name(a.scheme), an_sig_hash_name(a.hash));

    if (!scheme_fits_key(a.scheme, kid)) {
        set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE, "a %s signature, but the certificate has a%s %s key",
            an_sig_scheme_name(a.scheme), kid == EVP_PKEY_EC || kid == EVP_PKEY_ED25519 || kid == EVP_PKEY_ED448 ? "n" : "",
            key_type_name(kid));
        return;
    }
    if (want_curve && cnid != want_curve) {
        set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE, "method %u is ECDSA on %s (RFC 4754), the key is on %s",
            method, EC_curve_nid2nist(want_curve), curve[0] ? curve : "another curve");
        return;
    }
    bool is_rsa = a.scheme == AN_SIG_RSA_PKCS1 || a.scheme == AN_SIG_RSA_PSS;
    if (!octets) {
        if (!is_rsa) {
            set(v, AN_AUTH_UNVERIFIABLE, AN_AUTH_CAUSE_NONE,
                "%s cannot be checked without the signed octets; " COMPLETE_HINT, an_sig_scheme_name(a.scheme));
            return;
        }
        char what[160];
        if (rsa_opens(key, &a, sig, sl, NULL, 0, what, sizeof what))
            set(v, AN_AUTH_KEY_CONSISTENT, AN_AUTH_CAUSE_NONE,
                "made by this key; signed data not checked; " COMPLETE_HINT);
        else
            set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY,
                "the signature does not open with the certificate's key into well-formed %s padding",
                a.scheme == AN_SIG_RSA_PSS ? "EMSA-PSS" : "PKCS#1 v1.5");
        return;
    }
    int rc;
    if (half) {
        if (sl != 2 * half) {
            set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_NOT_ACCEPTABLE, "the signature is %zu bytes; method %u takes %zu (r||s)",
                sl, method, 2 * half);
            return;
        }
        int dl;
        unsigned char *der = raw_to_der(sig, half, &dl);
        rc = der ? digest_verify(key, &a, der, (size_t)dl, octets, octets_len) : -1;
        OPENSSL_free(der);
    } else {
        rc = digest_verify(key, &a, sig, sl, octets, octets_len);
    }
    if (rc == 1) {
        set(v, AN_AUTH_VALID, AN_AUTH_CAUSE_NONE, "verified with the certificate's key over the signed octets");
        return;
    }
    if (!is_rsa) {
        set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_KEY_OR_DATA,
            "does not verify: either not made by the certificate's key or made over other octets than the "
            "capture shows (%s cannot tell which)", an_sig_scheme_name(a.scheme));
        return;
    }
    char what[160];
    if (rsa_opens(key, &a, sig, sl, octets, octets_len, what, sizeof what))
        set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_DATA_DIFFERS,
            "made by the certificate's key, but over other octets than the capture shows%s: IKE_SA_INIT altered on "
            "the path, or the peers disagree on it", what);
    else
        set(v, AN_AUTH_INVALID, AN_AUTH_CAUSE_WRONG_KEY, "not made by the certificate's key: it does not open into "
            "well-formed %s padding", a.scheme == AN_SIG_RSA_PSS ? "EMSA-PSS" : "PKCS#1 v1.5");
}

/* ---- cache of verdicts by content ---- */

struct an_auth_cache_entry {
    uint8_t key[crypto_hash_sha256_BYTES];
    struct an_sig_verdict v;
};

struct an_auth_cache {
    struct an_auth_cache_entry *e;
    size_t cap, n, next; /* a ring: the oldest entry is replaced when full */
};

struct an_auth_cache *an_auth_cache_new(size_t capacity)
{
    struct an_auth_cache *c = calloc(1, sizeof *c);
    if (!c || !capacity)
        return c;
    c->e = calloc(capacity, sizeof *c->e);
    c->cap = c->e ? capacity : 0;
    return c;
}

void an_auth_cache_free(struct an_auth_cache *c)
{
    if (!c)
        return;
    free(c->e);
    free(c);
}

static void hash_part(crypto_hash_sha256_state *st, const uint8_t *p, size_t n)
{
    uint8_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
    crypto_hash_sha256_update(st, len, sizeof len);
    if (n)
        crypto_hash_sha256_update(st, p, n);
}

static EVP_PKEY *sender_key(const struct ike_sa_msg *sm, char *why, size_t wlen);

/* The verdict for this signature, from the cache when the same certificate payload, AUTH
 * and signed octets were seen before. The key is decoded only on a miss: decoding a
 * certificate costs more than the rest of a cached check (OpenSSL 3's decoders). */
static void cached_verify(struct an_auth_cache *c, uint8_t method, const uint8_t *data, size_t len,
                          const struct ike_sa_msg *key_msg, const uint8_t *octets, size_t olen,
                          struct an_sig_verdict *v, char *why, size_t wlen)
{
    const struct ike_payload *cert = ike_sa_msg_payload(key_msg, IKE2_PL_CERT);
    uint8_t h[crypto_hash_sha256_BYTES];
    if (c && cert) {
        crypto_hash_sha256_state st;
        crypto_hash_sha256_init(&st);
        hash_part(&st, &method, 1);
        hash_part(&st, cert->body, cert->body_len);
        hash_part(&st, data, len);
        uint8_t known = octets != NULL;
        hash_part(&st, &known, 1);
        hash_part(&st, octets, olen);
        crypto_hash_sha256_final(&st, h);
        for (size_t i = 0; i < c->n; i++)
            if (memcmp(c->e[i].key, h, sizeof h) == 0) {
                *v = c->e[i].v;
                return;
            }
    }
    EVP_PKEY *key = sender_key(key_msg, why, wlen);
    if (!key) {
        memset(v, 0, sizeof *v);
        v->result = AN_AUTH_UNVERIFIABLE;
        return;
    }
    an_auth_verify_sig(method, data, len, key, octets, olen, v);
    EVP_PKEY_free(key);
    if (!c || !cert || !c->cap)
        return;
    struct an_auth_cache_entry *e = &c->e[c->next];
    memcpy(e->key, h, sizeof h);
    e->v = *v;
    c->next = (c->next + 1) % c->cap;
    if (c->n < c->cap)
        c->n++;
}

/* ---- per SA ---- */

/* The sender's key: its first CERT in the AUTH message, X.509 (4) or a raw public key (15). */
static EVP_PKEY *sender_key(const struct ike_sa_msg *sm, char *why, size_t wlen)
{
    const struct ike_payload *cert = ike_sa_msg_payload(sm, IKE2_PL_CERT);
    if (!cert || cert->body_len < 2) {
        snprintf(why, wlen, "no certificate in the AUTH message: the key the receiver used is not in the capture");
        return NULL;
    }
    const unsigned char *p = cert->body + 1;
    long n = (long)cert->body_len - 1;
    EVP_PKEY *key = NULL;
    if (cert->body[0] == 4) {
        X509 *x = d2i_X509(NULL, &p, n);
        key = x ? X509_get_pubkey(x) : NULL;
        X509_free(x);
    } else if (cert->body[0] == 15) {
        key = d2i_PUBKEY(NULL, &p, n);
    } else {
        snprintf(why, wlen, "the first certificate has encoding %u; only X.509 (4) and raw public keys (15) are read",
                 cert->body[0]);
        return NULL;
    }
    ERR_clear_error();
    if (!key)
        snprintf(why, wlen, "the sender's certificate or public key does not decode");
    return key;
}

/* RFC 7427 §4: the hashes the receiver listed in its SIGNATURE_HASH_ALGORITHMS notify.
 * Returns false when it sent none. */
static bool receiver_hashes(const struct ike_sa_msg *peer_init, uint16_t *list, size_t *n, size_t max)
{
    *n = 0;
    if (!peer_init)
        return false;
    for (size_t i = 0; i < peer_init->msg.npayloads; i++) {
        const struct ike_payload *pl = &peer_init->msg.payloads[i];
        if (pl->type != IKE2_PL_NOTIFY || pl->notify_type != 16431)
            continue;
        struct rd r = rd_make(pl->body, pl->body_len);
        uint8_t proto, spi_size;
        uint16_t type, h;
        if (!rd_u8(&r, &proto) || !rd_u8(&r, &spi_size) || !rd_u16(&r, &type) || !rd_skip(&r, spi_size))
            return false;
        while (*n < max && rd_u16(&r, &h))
            list[(*n)++] = h;
        return true;
    }
    return false;
}

/* The algorithm as far as the AUTH payload alone tells it (no key: ECDSA of method 14 has no curve). */
static void alg_without_key(uint8_t method, const uint8_t *data, size_t len, char *buf, size_t blen)
{
    struct an_sig_alg a;
    const uint8_t *sig;
    size_t sl;
    snprintf(buf, blen, "unknown");
    for (size_t i = 0; i < sizeof fixed_methods / sizeof fixed_methods[0]; i++)
        if (fixed_methods[i].method == method) {
            a.scheme = fixed_methods[i].scheme;
            a.hash = fixed_methods[i].hash;
            if (fixed_methods[i].curve)
                snprintf(buf, blen, "ECDSA %s %s", EC_curve_nid2nist(fixed_methods[i].curve), an_sig_hash_name(a.hash));
            else
                snprintf(buf, blen, "%s %s", an_sig_scheme_name(a.scheme), an_sig_hash_name(a.hash));
            return;
        }
    if (method == 14 && an_sig_alg_parse(data, len, &a, &sig, &sl, NULL, 0) == AN_SIG_ALG_OK) {
        if (a.scheme == AN_SIG_ED25519 || a.scheme == AN_SIG_ED448)
            snprintf(buf, blen, "%s", an_sig_scheme_name(a.scheme));
        else
            snprintf(buf, blen, "%s %s", an_sig_scheme_name(a.scheme), an_sig_hash_name(a.hash));
    }
}

static void side_check(const struct ike_sa *sa, struct an_auth_cache *cache, bool initiator, struct an_auth_check *c)
{
    memset(c, 0, sizeof *c);
    struct an_auth_first f;
    if (!an_auth_first_find(sa, initiator, &f) || f.after_eap || !ike_v2_auth_is_signature(f.auth->auth_method))
        return;
    c->method = f.auth->auth_method;
    c->auth_msg = f.msg;
    c->result = AN_AUTH_UNVERIFIABLE;
    if (f.auth->body_len < 4) {
        snprintf(c->algorithm, sizeof c->algorithm, "unknown");
        snprintf(c->reason, sizeof c->reason, "the AUTH payload is shorter than its header");
        return;
    }
    alg_without_key(c->method, f.auth->body + 4, f.auth->body_len - 4, c->algorithm, sizeof c->algorithm);
    /* The key itself is decoded only when the verdict is not cached (cached_verify). */
    if (!ike_sa_msg_payload(f.msg, IKE2_PL_CERT)) {
        (void)sender_key(f.msg, c->reason, sizeof c->reason); /* says why there is none */
        return;
    }

    /* the signed octets, when the keys and the capture give them */
    const struct ike_keyset *ks = ike_sa_keyset(sa);
    const struct ike_secret *sk_p = ks ? (initiator ? &ks->sk_pi : &ks->sk_pr) : NULL;
    const uint8_t *real = NULL, *nonce = NULL;
    size_t real_len = 0, nonce_len = 0, mac_len = ike_prf_out_len(sa->prf);
    const struct ike_sa_msg *peer_init = NULL;
    bool parts = an_auth_init_parts(sa, initiator, &real, &real_len, &nonce, &nonce_len, &peer_init);
    char missing[200] = "";
    if (an_auth_has_intermediate(sa))
        snprintf(missing, sizeof missing, "IKE_INTERMEDIATE exchanges add to the signed octets (RFC 9242)");
    else if (!ike_secret_present(sk_p))
        snprintf(missing, sizeof missing, "the keys give no %s", initiator ? "SK_pi" : "SK_pr");
    else if (!mac_len)
        snprintf(missing, sizeof missing, "the negotiated PRF is not known or not supported");
    else if (!parts)
        snprintf(missing, sizeof missing, "the IKE_SA_INIT exchange is not complete in the capture");
    else if (!f.id)
        snprintf(missing, sizeof missing, "the AUTH message has no %s", initiator ? "IDi" : "IDr");
    uint8_t *octets = NULL;
    size_t olen = 0;
    if (!missing[0]) {
        uint8_t macid[IKE_PRF_MAX_OUT];
        struct ike_chunk ch[3];
        if (an_auth_signed_octets(sa->prf, real, real_len, nonce, nonce_len, sk_p->p, sk_p->len, f.id->body,
                                  f.id->body_len, macid, ch) == IKE_PRF_OK &&
            (octets = malloc(real_len + nonce_len + mac_len))) {
            memcpy(octets, ch[0].p, ch[0].len);
            memcpy(octets + ch[0].len, ch[1].p, ch[1].len);
            memcpy(octets + ch[0].len + ch[1].len, ch[2].p, ch[2].len);
            olen = ch[0].len + ch[1].len + ch[2].len;
        } else {
            snprintf(missing, sizeof missing, "the MACed ID could not be computed");
        }
        sodium_memzero(macid, sizeof macid);
    }

    struct an_sig_verdict v;
    cached_verify(cache, c->method, f.auth->body + 4, f.auth->body_len - 4, f.msg, octets, olen, &v, c->reason,
                  sizeof c->reason);
    free(octets);
    if (v.result == AN_AUTH_UNVERIFIABLE && !v.reason[0] && !v.algorithm[0])
        return; /* the key did not decode: c->reason says so */
    c->result = v.result;
    c->cause = v.cause;
    snprintf(c->algorithm, sizeof c->algorithm, "%s", v.algorithm);
    if (v.result == AN_AUTH_UNVERIFIABLE && missing[0] && v.reason[0])
        snprintf(c->reason, sizeof c->reason, "%.200s (%.100s)", v.reason, missing);
    else
        snprintf(c->reason, sizeof c->reason, "%s", v.reason);

    /* RFC 7427 §4: method 14 with a hash the receiver did not list is not acceptable to it */
    uint16_t list[16];
    size_t nl;
    uint16_t want = 0;
    if (c->method == 14 && (v.result == AN_AUTH_VALID || v.result == AN_AUTH_KEY_CONSISTENT) &&
        receiver_hashes(peer_init, list, &nl, sizeof list / sizeof list[0])) {
        bool listed = false;
        struct an_sig_alg a;
        const uint8_t *sig;
        size_t sl;
        if (an_sig_alg_parse(f.auth->body + 4, f.auth->body_len - 4, &a, &sig, &sl, NULL, 0) == AN_SIG_ALG_OK)
            want = an_sig_hash_iana(a.hash, a.scheme);
        for (size_t i = 0; i < nl; i++)
            listed = listed || list[i] == want;
        if (want && !listed) {
            c->result = AN_AUTH_INVALID;
            c->cause = AN_AUTH_CAUSE_NOT_ACCEPTABLE;
            snprintf(c->reason, sizeof c->reason,
                     "the signature %s, but its hash is %s, which the %s's SIGNATURE_HASH_ALGORITHMS "
                     "(RFC 7427 §4) does not list", v.result == AN_AUTH_VALID ? "verifies" : "opens with the key",
                     an_sig_hash_name(a.hash), initiator ? "responder" : "initiator");
        }
    }
}

void an_auth_check_sa(const struct ike_sa *sa, struct an_auth_cache *cache, struct an_auth_checks *out)
{
    memset(out, 0, sizeof *out);
    if (sa->version == 1) {
        an_auth_v1_check_sa(sa, out);
        return;
    }
    if (sa->version != 2)
        return;
    side_check(sa, cache, true, &out->side[1]);
    side_check(sa, cache, false, &out->side[0]);
}
