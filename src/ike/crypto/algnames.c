/* algnames.c: name tables for key files; one row per spelling (IANA registries, Wireshark packet-isakmp.c, tcpdump -E, strongSwan). */
#include "ike/crypto/algnames.h"

#include <string.h>
#include <strings.h>

#include "capture/reader.h"
#include "ike/crypto/cipher.h"
#include "ike/crypto/derive.h"
#include "ike/crypto/prf.h"

#define END { NULL, 0, 0 }

/* Wireshark epan/dissectors/packet-isakmp.c vs_ikev2_encr_algs, exact strings. */
static const struct ike_alg_name ws_encr[] = {
    { "3DES [RFC2451]", IKE_ENCR_3DES, 192 },
    { "AES-CBC-128 [RFC3602]", IKE_ENCR_AES_CBC, 128 },
    { "AES-CBC-192 [RFC3602]", IKE_ENCR_AES_CBC, 192 },
    { "AES-CBC-256 [RFC3602]", IKE_ENCR_AES_CBC, 256 },
    { "NULL [RFC2410]", IKE_ENCR_NULL, 0 },
    { "AES-CTR-128 [RFC5930]", IKE_ENCR_AES_CTR, 128 },
    { "AES-CTR-192 [RFC5930]", IKE_ENCR_AES_CTR, 192 },
    { "AES-CTR-256 [RFC5930]", IKE_ENCR_AES_CTR, 256 },
    { "AES-GCM-128 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_16, 128 },
    { "AES-GCM-192 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_16, 192 },
    { "AES-GCM-256 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_16, 256 },
    { "AES-GCM-128 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_8, 128 },
    { "AES-GCM-192 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_8, 192 },
    { "AES-GCM-256 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_8, 256 },
    { "AES-GCM-128 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_12, 128 },
    { "AES-GCM-192 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_12, 192 },
    { "AES-GCM-256 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_GCM_12, 256 },
    { "AES-CCM-128 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_16, 128 },
    { "AES-CCM-192 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_16, 192 },
    { "AES-CCM-256 with 16 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_16, 256 },
    { "AES-CCM-128 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_8, 128 },
    { "AES-CCM-192 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_8, 192 },
    { "AES-CCM-256 with 8 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_8, 256 },
    { "AES-CCM-128 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_12, 128 },
    { "AES-CCM-192 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_12, 192 },
    { "AES-CCM-256 with 12 octet ICV [RFC5282]", IKE_ENCR_AES_CCM_12, 256 },
    END,
};

/* Wireshark vs_ikev2_auth_algs, exact strings. */
static const struct ike_alg_name ws_integ[] = {
    { "HMAC_MD5_96 [RFC2403]", IKE_INTEG_HMAC_MD5_96, 0 },
    { "HMAC_SHA1_96 [RFC2404]", IKE_INTEG_HMAC_SHA1_96, 0 },
    { "HMAC_MD5_128 [RFC4595]", IKE_INTEG_HMAC_MD5_128, 0 },
    { "HMAC_SHA1_160 [RFC4595]", IKE_INTEG_HMAC_SHA1_160, 0 },
    { "HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", IKE_INTEG_HMAC_SHA2_256_96, 0 },
    { "HMAC_SHA2_256_128 [RFC4868]", IKE_INTEG_HMAC_SHA2_256_128, 0 },
    { "HMAC_SHA2_384_192 [RFC4868]", IKE_INTEG_HMAC_SHA2_384_192, 0 },
    { "HMAC_SHA2_512_256 [RFC4868]", IKE_INTEG_HMAC_SHA2_512_256, 0 },
    { "NONE [RFC4306]", IKE_INTEG_NONE, 0 },
    { "ANY 64-bits of Authentication [No Checking]", IKE_INTEG_ANY_64, 0 },
    { "ANY 96-bits of Authentication [No Checking]", IKE_INTEG_ANY_96, 0 },
    { "ANY 128-bits of Authentication [No Checking]", IKE_INTEG_ANY_128, 0 },
    { "ANY 160-bits of Authentication [No Checking]", IKE_INTEG_ANY_160, 0 },
    { "ANY 192-bits of Authentication [No Checking]", IKE_INTEG_ANY_192, 0 },
    { "ANY 256-bits of Authentication [No Checking]", IKE_INTEG_ANY_256, 0 },
    END,
};

/* tcpdump -E: the cipher goes to EVP_get_cipherbyname, so OpenSSL spellings. */
static const struct ike_alg_name td_encr[] = {
    { "aes128", IKE_ENCR_AES_CBC, 128 }, { "aes-128-cbc", IKE_ENCR_AES_CBC, 128 },
    { "aes128-cbc", IKE_ENCR_AES_CBC, 128 },
    { "aes192", IKE_ENCR_AES_CBC, 192 }, { "aes-192-cbc", IKE_ENCR_AES_CBC, 192 },
    { "aes192-cbc", IKE_ENCR_AES_CBC, 192 },
    { "aes256", IKE_ENCR_AES_CBC, 256 }, { "aes-256-cbc", IKE_ENCR_AES_CBC, 256 },
    { "aes256-cbc", IKE_ENCR_AES_CBC, 256 },
    { "3des", IKE_ENCR_3DES, 192 }, { "3des-cbc", IKE_ENCR_3DES, 192 }, { "des3", IKE_ENCR_3DES, 192 },
    { "des-ede3-cbc", IKE_ENCR_3DES, 192 }, { "des-ede3", IKE_ENCR_3DES, 192 },
    { "aes-128-ctr", IKE_ENCR_AES_CTR, 128 }, { "aes128-ctr", IKE_ENCR_AES_CTR, 128 },
    { "aes-192-ctr", IKE_ENCR_AES_CTR, 192 }, { "aes192-ctr", IKE_ENCR_AES_CTR, 192 },
    { "aes-256-ctr", IKE_ENCR_AES_CTR, 256 }, { "aes256-ctr", IKE_ENCR_AES_CTR, 256 },
    { "aes-128-gcm", IKE_ENCR_AES_GCM_16, 128 }, { "aes128-gcm", IKE_ENCR_AES_GCM_16, 128 },
    { "aes-192-gcm", IKE_ENCR_AES_GCM_16, 192 }, { "aes192-gcm", IKE_ENCR_AES_GCM_16, 192 },
    { "aes-256-gcm", IKE_ENCR_AES_GCM_16, 256 }, { "aes256-gcm", IKE_ENCR_AES_GCM_16, 256 },
    { "chacha20-poly1305", IKE_ENCR_CHACHA20_POLY1305, 256 },
    { "null", IKE_ENCR_NULL, 0 },
    END,
};

static const struct ike_alg_name td_integ[] = {
    { "none", IKE_INTEG_NONE, 0 }, { "null", IKE_INTEG_NONE, 0 },
    { "md5", IKE_INTEG_HMAC_MD5_96, 0 }, { "hmac-md5", IKE_INTEG_HMAC_MD5_96, 0 },
    { "hmac-md5-96", IKE_INTEG_HMAC_MD5_96, 0 },
    { "sha1", IKE_INTEG_HMAC_SHA1_96, 0 }, { "hmac-sha1", IKE_INTEG_HMAC_SHA1_96, 0 },
    { "hmac-sha1-96", IKE_INTEG_HMAC_SHA1_96, 0 },
    { "sha256", IKE_INTEG_HMAC_SHA2_256_128, 0 }, { "sha2-256", IKE_INTEG_HMAC_SHA2_256_128, 0 },
    { "hmac-sha256", IKE_INTEG_HMAC_SHA2_256_128, 0 }, { "hmac-sha2-256-128", IKE_INTEG_HMAC_SHA2_256_128, 0 },
    { "sha384", IKE_INTEG_HMAC_SHA2_384_192, 0 }, { "sha2-384", IKE_INTEG_HMAC_SHA2_384_192, 0 },
    { "hmac-sha384", IKE_INTEG_HMAC_SHA2_384_192, 0 }, { "hmac-sha2-384-192", IKE_INTEG_HMAC_SHA2_384_192, 0 },
    { "sha512", IKE_INTEG_HMAC_SHA2_512_256, 0 }, { "sha2-512", IKE_INTEG_HMAC_SHA2_512_256, 0 },
    { "hmac-sha512", IKE_INTEG_HMAC_SHA2_512_256, 0 }, { "hmac-sha2-512-256", IKE_INTEG_HMAC_SHA2_512_256, 0 },
    { "aes-xcbc", IKE_INTEG_AES_XCBC_96, 0 }, { "xcbc", IKE_INTEG_AES_XCBC_96, 0 },
    { "aes-cmac", IKE_INTEG_AES_CMAC_96, 0 }, { "cmac", IKE_INTEG_AES_CMAC_96, 0 },
    END,
};

/* IANA Transform Type 1 names (canonical first for each id), plus strongSwan's spellings with sizes. */
static const struct ike_alg_name iana_encr[] = {
    { "3DES", IKE_ENCR_3DES, 0 }, { "3DES_CBC", IKE_ENCR_3DES, 0 },
    { "NULL", IKE_ENCR_NULL, 0 },
    { "AES_CBC", IKE_ENCR_AES_CBC, 0 },
    { "AES_CBC_128", IKE_ENCR_AES_CBC, 128 }, { "AES_CBC_192", IKE_ENCR_AES_CBC, 192 },
    { "AES_CBC_256", IKE_ENCR_AES_CBC, 256 },
    { "AES_CTR", IKE_ENCR_AES_CTR, 0 },
    { "AES_CTR_128", IKE_ENCR_AES_CTR, 128 }, { "AES_CTR_192", IKE_ENCR_AES_CTR, 192 },
    { "AES_CTR_256", IKE_ENCR_AES_CTR, 256 },
    { "AES_CCM_8", IKE_ENCR_AES_CCM_8, 0 }, { "AES_CCM_12", IKE_ENCR_AES_CCM_12, 0 },
    { "AES_CCM_16", IKE_ENCR_AES_CCM_16, 0 },
    { "AES_CCM_8_128", IKE_ENCR_AES_CCM_8, 128 }, { "AES_CCM_8_192", IKE_ENCR_AES_CCM_8, 192 },
    { "AES_CCM_8_256", IKE_ENCR_AES_CCM_8, 256 },
    { "AES_CCM_12_128", IKE_ENCR_AES_CCM_12, 128 }, { "AES_CCM_12_192", IKE_ENCR_AES_CCM_12, 192 },
    { "AES_CCM_12_256", IKE_ENCR_AES_CCM_12, 256 },
    { "AES_CCM_16_128", IKE_ENCR_AES_CCM_16, 128 }, { "AES_CCM_16_192", IKE_ENCR_AES_CCM_16, 192 },
    { "AES_CCM_16_256", IKE_ENCR_AES_CCM_16, 256 },
    { "AES_GCM_8", IKE_ENCR_AES_GCM_8, 0 }, { "AES_GCM_12", IKE_ENCR_AES_GCM_12, 0 },
    { "AES_GCM_16", IKE_ENCR_AES_GCM_16, 0 },
    { "AES_GCM_8_128", IKE_ENCR_AES_GCM_8, 128 }, { "AES_GCM_8_192", IKE_ENCR_AES_GCM_8, 192 },
    { "AES_GCM_8_256", IKE_ENCR_AES_GCM_8, 256 },
    { "AES_GCM_12_128", IKE_ENCR_AES_GCM_12, 128 }, { "AES_GCM_12_192", IKE_ENCR_AES_GCM_12, 192 },
    { "AES_GCM_12_256", IKE_ENCR_AES_GCM_12, 256 },
    { "AES_GCM_16_128", IKE_ENCR_AES_GCM_16, 128 }, { "AES_GCM_16_192", IKE_ENCR_AES_GCM_16, 192 },
    { "AES_GCM_16_256", IKE_ENCR_AES_GCM_16, 256 },
    { "CHACHA20_POLY1305", IKE_ENCR_CHACHA20_POLY1305, 0 },
    { "CHACHA20_POLY1305_256", IKE_ENCR_CHACHA20_POLY1305, 256 },
    END,
};

static const struct ike_alg_name iana_integ[] = {
    { "NONE", IKE_INTEG_NONE, 0 },
    { "HMAC_MD5_96", IKE_INTEG_HMAC_MD5_96, 0 },
    { "HMAC_SHA1_96", IKE_INTEG_HMAC_SHA1_96, 0 },
    { "AES_XCBC_96", IKE_INTEG_AES_XCBC_96, 0 },
    { "HMAC_MD5_128", IKE_INTEG_HMAC_MD5_128, 0 },
    { "HMAC_SHA1_160", IKE_INTEG_HMAC_SHA1_160, 0 },
    { "AES_CMAC_96", IKE_INTEG_AES_CMAC_96, 0 },
    { "HMAC_SHA2_256_128", IKE_INTEG_HMAC_SHA2_256_128, 0 },
    { "HMAC_SHA2_384_192", IKE_INTEG_HMAC_SHA2_384_192, 0 },
    { "HMAC_SHA2_512_256", IKE_INTEG_HMAC_SHA2_512_256, 0 },
    { "HMAC_SHA2_256_96", IKE_INTEG_HMAC_SHA2_256_96, 0 },
    END,
};

static const struct ike_alg_name iana_prf[] = {
    { "PRF_HMAC_MD5", IKE_PRF_HMAC_MD5, 0 },
    { "PRF_HMAC_SHA1", IKE_PRF_HMAC_SHA1, 0 },
    { "PRF_AES128_XCBC", IKE_PRF_AES128_XCBC, 0 },
    { "PRF_HMAC_SHA2_256", IKE_PRF_HMAC_SHA2_256, 0 },
    { "PRF_HMAC_SHA2_384", IKE_PRF_HMAC_SHA2_384, 0 },
    { "PRF_HMAC_SHA2_512", IKE_PRF_HMAC_SHA2_512, 0 },
    { "PRF_AES128_CMAC", IKE_PRF_AES128_CMAC, 0 },
    END,
};

static const struct ike_alg_name v1_encr[] = {
    { "DES_CBC", IKE_V1_ENCR_DES_CBC, 64 }, { "DES", IKE_V1_ENCR_DES_CBC, 64 },
    { "3DES_CBC", IKE_V1_ENCR_3DES_CBC, 192 }, { "3DES", IKE_V1_ENCR_3DES_CBC, 192 },
    { "AES_CBC", IKE_V1_ENCR_AES_CBC, 0 },
    { "AES_CBC_128", IKE_V1_ENCR_AES_CBC, 128 }, { "AES_CBC_192", IKE_V1_ENCR_AES_CBC, 192 },
    { "AES_CBC_256", IKE_V1_ENCR_AES_CBC, 256 },
    END,
};

static const struct ike_alg_name v1_hash[] = {
    { "MD5", IKE_V1_HASH_MD5, 0 },
    { "SHA1", IKE_V1_HASH_SHA1, 0 }, { "SHA", IKE_V1_HASH_SHA1, 0 },
    { "SHA2_256", IKE_V1_HASH_SHA2_256, 0 },
    { "SHA2_384", IKE_V1_HASH_SHA2_384, 0 },
    { "SHA2_512", IKE_V1_HASH_SHA2_512, 0 },
    END,
};

struct dialect {
    const struct ike_alg_name *names;
    bool exact;          /* case-sensitive, whole string */
    const char *prefix;  /* optional prefix to ignore */
};

static const struct dialect dialects[] = {
    [IKE_NAMES_WIRESHARK_ENCR] = { ws_encr, true, NULL },
    [IKE_NAMES_WIRESHARK_INTEG] = { ws_integ, true, NULL },
    [IKE_NAMES_TCPDUMP_ENCR] = { td_encr, false, NULL },
    [IKE_NAMES_TCPDUMP_INTEG] = { td_integ, false, NULL },
    [IKE_NAMES_ENCR] = { iana_encr, false, "ENCR_" },
    [IKE_NAMES_INTEG] = { iana_integ, false, "AUTH_" },
    [IKE_NAMES_PRF] = { iana_prf, false, NULL },
    [IKE_NAMES_V1_ENCR] = { v1_encr, false, NULL },
    [IKE_NAMES_V1_HASH] = { v1_hash, false, NULL },
};

static bool name_eq(const struct ike_alg_name *n, const char *s, size_t len, bool exact)
{
    size_t nl = strlen(n->name);
    if (nl != len)
        return false;
    return exact ? memcmp(n->name, s, len) == 0 : strncasecmp(n->name, s, len) == 0;
}

bool ike_alg_lookup(enum ike_alg_dialect d, const char *name, size_t len, uint16_t *id, uint16_t *bits)
{
    if ((size_t)d >= sizeof dialects / sizeof dialects[0])
        return false;
    const struct dialect *dl = &dialects[d];
    if (dl->prefix) {
        size_t pl = strlen(dl->prefix);
        if (len > pl && strncasecmp(name, dl->prefix, pl) == 0) {
            name += pl;
            len -= pl;
        }
    }
    if (d == IKE_NAMES_PRF && !(len > 4 && strncasecmp(name, "PRF_", 4) == 0)) {
        /* "HMAC_SHA2_256" is accepted for "PRF_HMAC_SHA2_256". */
        for (const struct ike_alg_name *n = dl->names; n->name; n++)
            if (strlen(n->name) == len + 4 && strncasecmp(n->name + 4, name, len) == 0) {
                *id = n->id;
                *bits = n->bits;
                return true;
            }
        return false;
    }
    for (const struct ike_alg_name *n = dl->names; n->name; n++)
        if (name_eq(n, name, len, dl->exact)) {
            *id = n->id;
            *bits = n->bits;
            return true;
        }
    return false;
}

const char *ike_alg_name(enum ike_alg_dialect d, uint16_t id, uint16_t bits)
{
    if ((size_t)d >= sizeof dialects / sizeof dialects[0])
        return NULL;
    bool sized = d == IKE_NAMES_WIRESHARK_ENCR || d == IKE_NAMES_TCPDUMP_ENCR;
    for (const struct ike_alg_name *n = dialects[d].names; n->name; n++) {
        if (n->id != id)
            continue;
        if (sized && n->bits != bits && !(id == IKE_ENCR_3DES && bits == 0) &&
            !(id == IKE_ENCR_CHACHA20_POLY1305 && bits == 0))
            continue;
        if (!sized && n->bits != 0 && d != IKE_NAMES_V1_ENCR)
            continue;
        return n->name;
    }
    return NULL;
}

bool ike_alg_parse_strongswan(const char *s, size_t len, uint16_t *encr, uint16_t *bits,
                              uint16_t *integ, uint16_t *prf)
{
    struct rd r = rd_make((const uint8_t *)s, len);
    if (r.left >= 4 && memcmp(r.p, "IKE:", 4) == 0)
        rd_skip(&r, 4);
    bool have_encr = false;
    *integ = IKE_INTEG_NONE;
    *prf = 0;
    while (!rd_empty(&r)) {
        size_t n = 0;
        while (n < r.left && r.p[n] != '/')
            n++;
        const char *tok = (const char *)r.p;
        uint16_t id, b;
        if (!have_encr && ike_alg_lookup(IKE_NAMES_ENCR, tok, n, &id, &b)) {
            *encr = id;
            *bits = b;
            have_encr = true;
        } else if (n > 4 && strncmp(tok, "PRF_", 4) == 0 && ike_alg_lookup(IKE_NAMES_PRF, tok, n, &id, &b)) {
            *prf = id;
        } else if (ike_alg_lookup(IKE_NAMES_INTEG, tok, n, &id, &b)) {
            *integ = id;
        }
        rd_skip(&r, n);
        rd_skip(&r, 1);
    }
    return have_encr;
}
