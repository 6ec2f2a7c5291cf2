/* sig_alg.c: RFC 7427 §3 signature AUTH data: ASN.1 length, AlgorithmIdentifier (RFC 3279,
 * RFC 4055 for RSASSA-PSS, RFC 5758, RFC 8410/8420 for EdDSA), signature value. */
#include "analyze/sig_alg.h"

#include <stdbool.h>
#include <stdio.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "capture/reader.h"

/* The algorithms RFC 7427 §3 and RFC 8420 put in AUTH, as one row each. */
static const struct {
    int nid;
    enum an_sig_scheme scheme;
    int hash;
} sig_algs[] = {
    { NID_sha1WithRSAEncryption, AN_SIG_RSA_PKCS1, NID_sha1 },
    { NID_sha224WithRSAEncryption, AN_SIG_RSA_PKCS1, NID_sha224 },
    { NID_sha256WithRSAEncryption, AN_SIG_RSA_PKCS1, NID_sha256 },
    { NID_sha384WithRSAEncryption, AN_SIG_RSA_PKCS1, NID_sha384 },
    { NID_sha512WithRSAEncryption, AN_SIG_RSA_PKCS1, NID_sha512 },
    { NID_rsassaPss, AN_SIG_RSA_PSS, 0 },
    { NID_ecdsa_with_SHA1, AN_SIG_ECDSA, NID_sha1 },
    { NID_ecdsa_with_SHA224, AN_SIG_ECDSA, NID_sha224 },
    { NID_ecdsa_with_SHA256, AN_SIG_ECDSA, NID_sha256 },
    { NID_ecdsa_with_SHA384, AN_SIG_ECDSA, NID_sha384 },
    { NID_ecdsa_with_SHA512, AN_SIG_ECDSA, NID_sha512 },
    { NID_dsaWithSHA1, AN_SIG_DSA, NID_sha1 },
    { NID_dsa_with_SHA224, AN_SIG_DSA, NID_sha224 },
    { NID_dsa_with_SHA256, AN_SIG_DSA, NID_sha256 },
    { NID_ED25519, AN_SIG_ED25519, 0 },
    { NID_ED448, AN_SIG_ED448, 0 },
};

static const struct {
    int nid;
    const char *name;
    uint16_t iana;
} hashes[] = {
    { NID_sha1, "SHA-1", 1 },
    { NID_sha224, "SHA-224", 0 },
    { NID_sha256, "SHA-256", 2 },
    { NID_sha384, "SHA-384", 3 },
    { NID_sha512, "SHA-512", 4 },
};

const char *an_sig_hash_name(int nid)
{
    if (nid == 0)
        return "none";
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
        if (hashes[i].nid == nid)
            return hashes[i].name;
    return "unknown";
}

uint16_t an_sig_hash_iana(int nid, enum an_sig_scheme s)
{
    if (s == AN_SIG_ED25519 || s == AN_SIG_ED448)
        return 5;
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
        if (hashes[i].nid == nid)
            return hashes[i].iana;
    return 0;
}

const char *an_sig_scheme_name(enum an_sig_scheme s)
{
    switch (s) {
    case AN_SIG_RSA_PKCS1:
        return "RSA PKCS#1 v1.5";
    case AN_SIG_RSA_PSS:
        return "RSA-PSS";
    case AN_SIG_ECDSA:
        return "ECDSA";
    case AN_SIG_ED25519:
        return "Ed25519";
    case AN_SIG_ED448:
        return "Ed448";
    case AN_SIG_DSA:
        return "DSA";
    default:
        return "unknown";
    }
}

static bool known_hash(int nid)
{
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
        if (hashes[i].nid == nid)
            return true;
    return false;
}

/* A hash AlgorithmIdentifier inside PSS parameters: parameters absent or NULL (RFC 4055 §2.1). */
static bool hash_of(const X509_ALGOR *a, int *nid)
{
    const ASN1_OBJECT *obj;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&obj, &ptype, &pval, a);
    *nid = OBJ_obj2nid(obj);
    return known_hash(*nid) && (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL);
}

/* RFC 4055 §3.1: absent fields take SHA-1, MGF1 with SHA-1, salt 20, trailer 1. */
static enum an_sig_alg_status pss_params(int ptype, const void *pval, struct an_sig_alg *alg)
{
    alg->hash = alg->mgf1_hash = NID_sha1;
    alg->salt_len = 20;
    if (ptype != V_ASN1_SEQUENCE)
        return AN_SIG_ALG_MALFORMED; /* RFC 4055 §3.1: the parameters MUST be present */
    const ASN1_STRING *s = pval;
    const unsigned char *p = ASN1_STRING_get0_data(s);
    long n = ASN1_STRING_length(s);
    RSA_PSS_PARAMS *pp = d2i_RSA_PSS_PARAMS(NULL, &p, n);
    enum an_sig_alg_status rc = AN_SIG_ALG_MALFORMED;
    if (!pp || p != ASN1_STRING_get0_data(s) + n)
        goto out;
    if (pp->hashAlgorithm && !hash_of(pp->hashAlgorithm, &alg->hash))
        goto out;
    if (pp->maskGenAlgorithm) {
        const ASN1_OBJECT *obj;
        int mt;
        const void *mv;
        X509_ALGOR_get0(&obj, &mt, &mv, pp->maskGenAlgorithm);
        if (OBJ_obj2nid(obj) != NID_mgf1 || mt != V_ASN1_SEQUENCE)
            goto out;
        const ASN1_STRING *ms = mv;
        const unsigned char *q = ASN1_STRING_get0_data(ms);
        long qn = ASN1_STRING_length(ms);
        X509_ALGOR *mh = d2i_X509_ALGOR(NULL, &q, qn);
        bool ok = mh && q == ASN1_STRING_get0_data(ms) + qn && hash_of(mh, &alg->mgf1_hash);
        X509_ALGOR_free(mh);
        if (!ok)
            goto out;
    }
    if (pp->saltLength) {
        long v = ASN1_INTEGER_get(pp->saltLength);
        if (v < 0 || v > 1024)
            goto out;
        alg->salt_len = (int)v;
    }
    if (pp->trailerField && ASN1_INTEGER_get(pp->trailerField) != 1)
        goto out; /* RFC 4055 §3.1: trailerField MUST be 1 */
    rc = AN_SIG_ALG_OK;
out:
    RSA_PSS_PARAMS_free(pp);
    return rc;
}

enum an_sig_alg_status an_sig_alg_parse(const uint8_t *data, size_t len, struct an_sig_alg *alg,
                                        const uint8_t **sig, size_t *sig_len, char *oid, size_t oid_len)
{
    struct an_sig_alg zero = { 0 };
    *alg = zero;
    *sig = NULL;
    *sig_len = 0;
    if (oid && oid_len)
        oid[0] = '\0';
    /* RFC 7427 §3: "ASN.1 Length (1 octet) | AlgorithmIdentifier ASN.1 object | Signature Value" */
    struct rd r = rd_make(data, len);
    uint8_t n;
    const uint8_t *der;
    if (!rd_u8(&r, &n) || !rd_bytes(&r, n, &der))
        return AN_SIG_ALG_TRUNCATED;
    const unsigned char *p = der;
    X509_ALGOR *a = d2i_X509_ALGOR(NULL, &p, n);
    if (!a || p != der + n) {
        X509_ALGOR_free(a);
        return AN_SIG_ALG_MALFORMED;
    }
    *sig = r.p;
    *sig_len = r.left;
    const ASN1_OBJECT *obj;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&obj, &ptype, &pval, a);
    if (oid && oid_len)
        OBJ_obj2txt(oid, (int)oid_len, obj, 1);
    int nid = OBJ_obj2nid(obj);
    enum an_sig_alg_status rc = AN_SIG_ALG_UNKNOWN;
    for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++) {
        if (sig_algs[i].nid != nid)
            continue;
        alg->scheme = sig_algs[i].scheme;
        alg->hash = sig_algs[i].hash;
        if (alg->scheme == AN_SIG_RSA_PSS)
            rc = pss_params(ptype, pval, alg);
        else if (alg->scheme == AN_SIG_RSA_PKCS1)
            /* RFC 4055 §5: NULL; RFC 7427 Appendix A encodes it, some peers omit it */
            rc = ptype == V_ASN1_NULL || ptype == V_ASN1_UNDEF ? AN_SIG_ALG_OK : AN_SIG_ALG_MALFORMED;
        else
            /* RFC 5758 §3.2, RFC 8410 §3: the parameters MUST be absent */
            rc = ptype == V_ASN1_UNDEF ? AN_SIG_ALG_OK : AN_SIG_ALG_MALFORMED;
        break;
    }
    if (rc != AN_SIG_ALG_OK)
        alg->scheme = AN_SIG_UNKNOWN;
    X509_ALGOR_free(a);
    return rc;
}
