/* test_vectors_more.c: known-answer tests for AES-CBC/CTR/GCM/CCM at every key size and ICV length, and the integrity truncations (SP 800-38A F.2, RFC 3686 §6, McGrew-Viega GCM, Wycheproof CCM, RFC 2202, 3566, 4493/4494, 4868). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/prf.h"
#include "testutil.h"

/*
 * Every expected value below is copied from the publication named above
 * its table; none is computed by this file. Hex strings are the published
 * bytes with the spacing removed.
 */

/* ---- 1. AES-CBC-192/256: NIST SP 800-38A F.2.3 (CBC-AES192.Encrypt) and F.2.5 (CBC-AES256.Encrypt) ---- */

/* The plaintext and IV are shared by every SP 800-38A F.2 example. */
#define SP38A_IV "000102030405060708090a0b0c0d0e0f"
#define SP38A_P "6bc1bee22e409f96e93d7e117393172a" "ae2d8a571e03ac9c9eb76fac45af8e51" \
                "30c81c46a35ce411e5fbc1191a0a52ef" "f69f2445df4f9b17ad2b417be66c3710"

struct cbc_kat {
    const char *name, *key, *ct;
};

static struct cbc_kat cbc_kats[] = {
    { "F.2.3 CBC-AES192", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
      "4f021db243bc633d7178183a9fa071e8" "b4d9ada9ad7dedf4e5e738763f69145a"
      "571b242012fb7ae07fa9baac3df102e0" "08b0e27988598881d920a9e64f5615cd" },
    { "F.2.5 CBC-AES256", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
      "f58c4c04d6e5f1ba779eabfb5f7bfbd6" "9cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461" "b2eb05e2c39be9fcda6c19078c6a9d1b" },
};

ParameterizedTestParameters(vectors_more, aes_cbc)
{
    size_t n = sizeof cbc_kats / sizeof cbc_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

/* Decrypt direction, as IKE uses it: the published ciphertext must give the published plaintext. */
ParameterizedTest(size_t *idx, vectors_more, aes_cbc)
{
    const struct cbc_kat *t = &cbc_kats[*idx];
    size_t kl, il, cl, pl;
    uint8_t *k = unhex(t->key, &kl), *iv = unhex(SP38A_IV, &il), *c = unhex(t->ct, &cl), *p = unhex(SP38A_P, &pl);
    uint8_t out[64];
    cr_assert_eq(cl, 64);
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, kl, iv, il, c, cl, out), IKE_DEC_OK, "%s", t->name);
    cr_assert_arr_eq(out, p, 64, "%s", t->name);
    /* CBC chaining as IKEv1 uses it: the last ciphertext block is the next IV. Blocks 3-4 alone with IV = C2. */
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, kl, c + 16, 16, c + 32, 32, out), IKE_DEC_OK);
    cr_assert_arr_eq(out, p + 32, 32, "%s blocks 3-4", t->name);
    /* A key of the wrong size for AES is refused, not silently truncated. */
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, kl - 1, iv, il, c, cl, out), IKE_DEC_BAD_KEY);
    free(k), free(iv), free(c), free(p);
}

/* ---- 2. AES-CTR-192/256: RFC 3686 §6 test vectors #4-#9 ---- */

struct ctr_kat {
    const char *name, *key, *iv, *nonce, *pt, *ct;
};

#define P32 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define P36 P32 "20212223"
#define SINGLE "53696e676c6520626c6f636b206d7367" /* 'Single block msg' */

static struct ctr_kat ctr_kats[] = {
    { "#4", "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb78515", "36733c147d6d93cb", "00000048", SINGLE,
      "4b55384fe259c9c84e7935a003cbe928" },
    { "#5", "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a", "020c6eadc2cb500d", "0096b03b", P32,
      "453243fc609b23327edfaafa7131cd9f" "8490701c5ad4a79cfc1fe0ff42f4fb00" },
    { "#6", "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe", "5cbd60278dcc0912", "0007bdfd", P36,
      "96893fc55e5c722f540b7dd1ddf7e758" "d288bc95c69165884536c811662f2188" "abee0935" },
    { "#7", "776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104", "db5672c97aa8f0b2", "00000060",
      SINGLE, "145ad01dbf824ec7560863dc71e3e0c0" },
    { "#8", "f6d66d6bd52d59bb0796365879eff886c66dd51a5b6a99744b50590c87a23884", "c1585ef15a43d875", "00faac24",
      P32, "f05e231b3894612c49ee000b804eb2a9" "b8306b508f839d6a5530831d9344af1c" },
    { "#9", "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d", "51a51d70a1c11148", "001cc5b7",
      P36, "eb6c52821d0bbbf7ce7594462aca4faa" "b407df866569fd07f48cc0b583d6071f" "1ec0e6b8" },
};

ParameterizedTestParameters(vectors_more, aes_ctr)
{
    size_t n = sizeof ctr_kats / sizeof ctr_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

/* Primitive: the 16-byte initial counter block is Nonce | IV | 00000001, as RFC 3686 prints "Counter Block (1)". */
ParameterizedTest(size_t *idx, vectors_more, aes_ctr)
{
    const struct ctr_kat *t = &ctr_kats[*idx];
    size_t kl, il, nl, pl, cl;
    uint8_t *k = unhex(t->key, &kl), *iv = unhex(t->iv, &il), *n = unhex(t->nonce, &nl);
    uint8_t *p = unhex(t->pt, &pl), *c = unhex(t->ct, &cl);
    cr_assert_eq(il, 8);
    cr_assert_eq(nl, 4);
    cr_assert_eq(pl, cl);
    uint8_t cb[16], out[64];
    memcpy(cb, n, 4);
    memcpy(cb + 4, iv, 8);
    cb[12] = 0, cb[13] = 0, cb[14] = 0, cb[15] = 1;
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CTR, k, kl, cb, 16, c, cl, out), IKE_DEC_OK, "%s", t->name);
    cr_assert_arr_eq(out, p, pl, "RFC 3686 %s", t->name);
    free(k), free(iv), free(n), free(p), free(c);
}

/*
 * The same vectors through the IKEv2 SK path, keyed as RFC 5930 §2 says:
 * SK_e = AES key | 4-byte nonce, the 8-byte IV in the payload. Only the
 * 32- and 36-byte vectors fit: the SK plaintext must end in a Pad Length
 * byte, and theirs (0x1f, 0x23) is exactly "all but the last byte is
 * padding", so a correct decryption leaves an empty payload list, while a
 * wrong counter block gives a random last byte. The ICV (HMAC-SHA-256-128)
 * is computed here with OpenSSL over the message we build.
 */
static size_t build_sk(uint8_t *m, const uint8_t *iv, size_t iv_len, const uint8_t *body, size_t body_len,
                       size_t icv_len)
{
    size_t sk_len = 4 + iv_len + body_len + icv_len, total = 28 + sk_len;
    memcpy(m, "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00", 16);
    m[16] = 46;   /* first payload: SK */
    m[17] = 0x20; /* IKEv2 */
    m[18] = 35;   /* IKE_AUTH */
    m[19] = 0x08; /* initiator */
    m[20] = 0, m[21] = 0, m[22] = 0, m[23] = 1;
    m[24] = (uint8_t)(total >> 24), m[25] = (uint8_t)(total >> 16), m[26] = (uint8_t)(total >> 8), m[27] = (uint8_t)total;
    m[28] = 35, m[29] = 0, m[30] = (uint8_t)(sk_len >> 8), m[31] = (uint8_t)sk_len;
    if (iv_len)
        memcpy(m + 32, iv, iv_len);
    if (body_len)
        memcpy(m + 32 + iv_len, body, body_len);
    return total;
}

Test(vectors_more, aes_ctr_rfc5930_keying_through_sk)
{
    static const size_t which[] = { 1, 2, 4, 5 }; /* #5, #6, #8, #9 */
    for (size_t w = 0; w < sizeof which / sizeof which[0]; w++) {
        const struct ctr_kat *t = &ctr_kats[which[w]];
        size_t kl, il, nl, pl, cl;
        uint8_t *k = unhex(t->key, &kl), *iv = unhex(t->iv, &il), *n = unhex(t->nonce, &nl);
        uint8_t *p = unhex(t->pt, &pl), *c = unhex(t->ct, &cl);
        cr_assert_eq(p[pl - 1], pl - 1, "vector %s is not usable as an SK body", t->name);

        struct ike_v2_suite s = { IKE_ENCR_AES_CTR, (uint16_t)(kl * 8), IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256 };
        cr_assert_eq(ike_v2_encr_key_len(&s), kl + 4);
        uint8_t ek[36], ak[32];
        memcpy(ek, k, kl);
        memcpy(ek + kl, n, 4);
        for (size_t i = 0; i < sizeof ak; i++)
            ak[i] = (uint8_t)(0xa0 + i);
        struct ike_secret sk_e = { 0 }, sk_a = { 0 };
        ike_secret_set(&sk_e, ek, kl + 4);
        ike_secret_set(&sk_a, ak, sizeof ak);

        uint8_t m[160], mac[32];
        unsigned ml;
        size_t total = build_sk(m, iv, 8, c, cl, 16);
        HMAC(EVP_sha256(), ak, sizeof ak, m, total - 16, mac, &ml);
        memcpy(m + total - 16, mac, 16);

        uint8_t *plain;
        size_t plen;
        cr_assert_eq(ike_v2_decrypt(&s, &sk_e, &sk_a, m, total, 28, &plain, &plen), IKE_DEC_OK, "RFC 3686 %s", t->name);
        cr_assert_eq(plen, 0, "RFC 3686 %s: Pad Length byte came out as %zu", t->name, plen);
        ike_v2_plain_free(plain, plen);

        /* The nonce is the last 4 bytes of SK_e, not the first: the key alone (nonce zero) must not decrypt. */
        uint8_t ek0[36] = { 0 };
        memcpy(ek0, k, kl);
        ike_secret_set(&sk_e, ek0, kl + 4);
        enum ike_dec_status st = ike_v2_decrypt(&s, &sk_e, &sk_a, m, total, 28, &plain, &plen);
        cr_assert(!(st == IKE_DEC_OK && plen == 0), "RFC 3686 %s decrypted with a zero nonce", t->name);
        if (st == IKE_DEC_OK)
            ike_v2_plain_free(plain, plen);
        ike_secret_free(&sk_e), ike_secret_free(&sk_a);
        free(k), free(iv), free(n), free(p), free(c);
    }
}

/* ---- 3. AES-GCM-192/256 with 8-, 12- and 16-byte ICVs: McGrew-Viega GCM spec test cases 9, 10, 15, 16 ---- */

/*
 * RFC 4106 §3 / RFC 5282 §4: an ICV of 8 or 12 bytes is the leading bytes
 * of the full 16-byte GCM tag. The 12-byte GCM nonce of the test cases is
 * what IKE builds as salt (4, end of SK_e) | IV (8, in the payload).
 */
struct gcm_kat {
    const char *name, *key, *nonce, *aad, *pt, *ct, *tag;
};

#define GCM_K "feffe9928665731c6d6a8f9467308308"
#define GCM_N "cafebabefacedbaddecaf888"
#define GCM_A "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_P60 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
                "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_P64 GCM_P60 "1aafd255"

static struct gcm_kat gcm_kats[] = {
    { "TC9 AES-192", GCM_K "feffe9928665731c", GCM_N, "", GCM_P64,
      "3980ca0b3c00e841eb06fac4872a2757" "859e1ceaa6efd984628593b40ca1e19c"
      "7d773d00c144c525ac619d18c84a3f47" "18e2448b2fe324d9ccda2710acade256",
      "9924a7c8587336bfb118024db8674a14" },
    { "TC10 AES-192", GCM_K "feffe9928665731c", GCM_N, GCM_A, GCM_P60,
      "3980ca0b3c00e841eb06fac4872a2757" "859e1ceaa6efd984628593b40ca1e19c"
      "7d773d00c144c525ac619d18c84a3f47" "18e2448b2fe324d9ccda2710",
      "2519498e80f1478f37ba55bd6d27618c" },
    { "TC15 AES-256", GCM_K GCM_K, GCM_N, "", GCM_P64,
      "522dc1f099567d07f47f37a32a84427d" "643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838" "c5f61e6393ba7a0abcc9f662898015ad",
      "b094dac5d93471bdec1a502270e3cc6c" },
    { "TC16 AES-256", GCM_K GCM_K, GCM_N, GCM_A, GCM_P60,
      "522dc1f099567d07f47f37a32a84427d" "643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838" "c5f61e6393ba7a0abcc9f662",
      "76fc6ece0f4e1768cddf8853bb2d551b" },
};

ParameterizedTestParameters(vectors_more, aes_gcm)
{
    size_t n = sizeof gcm_kats / sizeof gcm_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors_more, aes_gcm)
{
    static const struct { uint16_t encr; size_t icv; } icvs[] = {
        { IKE_ENCR_AES_GCM_8, 8 }, { IKE_ENCR_AES_GCM_12, 12 }, { IKE_ENCR_AES_GCM_16, 16 },
    };
    const struct gcm_kat *t = &gcm_kats[*idx];
    size_t kl, nl, al, pl, cl, tl;
    uint8_t *k = unhex(t->key, &kl), *n = unhex(t->nonce, &nl), *a = unhex(t->aad, &al);
    uint8_t *p = unhex(t->pt, &pl), *c = unhex(t->ct, &cl), *tag = unhex(t->tag, &tl);
    cr_assert_eq(tl, 16);
    uint8_t out[64];
    for (size_t i = 0; i < sizeof icvs / sizeof icvs[0]; i++) {
        uint16_t e = icvs[i].encr;
        size_t il = icvs[i].icv;
        struct ike_v2_suite s = { e, (uint16_t)(kl * 8), IKE_INTEG_NONE, 0 };
        cr_assert_eq(ike_v2_icv_len(&s), il);
        cr_assert_eq(ike_v2_encr_key_len(&s), kl + 4, "GCM SK_e is key | 4-byte salt");

        /* The leading il bytes of the published tag verify and give the published plaintext. */
        memset(out, 0, sizeof out);
        cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, tag, il, out), IKE_DEC_OK, "%s ICV %zu", t->name, il);
        cr_assert_arr_eq(out, p, pl, "%s ICV %zu", t->name, il);

        /* One flipped bit in the ciphertext, the AAD, or the last ICV byte is caught. */
        c[cl - 1] ^= 0x01;
        cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, tag, il, out), IKE_DEC_ICV_MISMATCH);
        c[cl - 1] ^= 0x01;
        if (al) {
            a[al - 1] ^= 0x40;
            cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, tag, il, out), IKE_DEC_ICV_MISMATCH);
            a[al - 1] ^= 0x40;
        }
        uint8_t t2[16];
        memcpy(t2, tag, 16);
        t2[il - 1] ^= 0x80;
        cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, t2, il, out), IKE_DEC_ICV_MISMATCH,
                     "%s: last byte of a %zu-byte ICV not checked", t->name, il);
        /* A wrong salt (first nonce byte) fails too. */
        n[0] ^= 0x01;
        cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, tag, il, out), IKE_DEC_ICV_MISMATCH);
        n[0] ^= 0x01;
        /* The truncation keeps the leading bytes: the trailing il bytes are not a valid ICV. */
        if (il < 16)
            cr_assert_eq(ike_aead_open(e, k, kl, n, nl, a, al, c, cl, tag + 16 - il, il, out), IKE_DEC_ICV_MISMATCH);
    }
    free(k), free(n), free(a), free(p), free(c), free(tag);
}

/* ---- 4. AES-CCM with 12- and 16-byte ICVs ---- */

/*
 * Published M=12 and M=16 vectors: NIST SP 800-38C's examples have Tlen
 * 4/6/8/14 and RFC 3610's have M=8/10, so neither covers these. Project
 * Wycheproof's testvectors_v1/aes_ccm_test.json (C2SP/wycheproof) does;
 * the rows below are its tcIds, copied exactly. tcId 334 uses an 11-byte
 * nonce, the RFC 4309 / RFC 5282 §4 layout IKE builds: salt (3) | IV (8).
 */
struct ccm_kat {
    const char *name;
    uint16_t encr;
    const char *key, *nonce, *aad, *pt, *ct, *tag;
};

static struct ccm_kat ccm_kats[] = {
    { "Wycheproof tcId 378 AES-128 M=12", IKE_ENCR_AES_CCM_12, "6b7489d158f377e6692d84a97727ff41",
      "9ac091ef05d0ce7428827ed3", "38469f1049a7ea3da0551cfb34010bf6", "352dbd5bb8abf0a097b929160b8f8cec",
      "00d3948bac8572ed1ed59c2655b769f7", "323ba1c806f3eac673015a88" },
    { "Wycheproof tcId 474 AES-256 M=12", IKE_ENCR_AES_CCM_12,
      "bb65d80b7a4782e05ffcb777e59528bab87e20aa84dbe4588e2a1703f88c68ca", "56410bb82bb054234b5e62c1",
      "ffe09fb34f17b517956fbbb58a62623a", "3af8c049a193b1ca3952eed0f58f09dd", "54ee654f5c44b8587643d4c58de40267",
      "3237b2fa6ad785a882a38e72" },
    { "Wycheproof tcId 12 AES-128 M=16", IKE_ENCR_AES_CCM_16, "9415f925bcb41dc25e86c826dbc8bf68",
      "bdffaa763b916ff0ee3f3ce4", "705d676cd8a94451", "feb36167eafc02c8e2bd6e13817686ba",
      "08db327a88be7b48f430fd7bfccdf502", "b7c249f810adacf99abded1f3b9130f2" },
    { "Wycheproof tcId 334 AES-256 M=16 11-byte nonce", IKE_ENCR_AES_CCM_16,
      "60d6841e9e6218a2c8605a7794e74fb215dcf3a70a0015d497ed16564f2a83a0", "4c93f591af92f16596554e",
      "7cb0eb9aa21fe859", "c0d1e635586b0ef835c01479a32175a3", "0c266113544d7a901ce721e1ead6d8f9",
      "8a149eaa05c8722b2663c345a6a5418c" },
};

ParameterizedTestParameters(vectors_more, aes_ccm)
{
    size_t n = sizeof ccm_kats / sizeof ccm_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors_more, aes_ccm)
{
    const struct ccm_kat *t = &ccm_kats[*idx];
    size_t kl, nl, al, pl, cl, tl;
    uint8_t *k = unhex(t->key, &kl), *n = unhex(t->nonce, &nl), *a = unhex(t->aad, &al);
    uint8_t *p = unhex(t->pt, &pl), *c = unhex(t->ct, &cl), *tag = unhex(t->tag, &tl);
    struct ike_v2_suite s = { t->encr, (uint16_t)(kl * 8), IKE_INTEG_NONE, 0 };
    cr_assert_eq(ike_v2_icv_len(&s), tl, "%s", t->name);
    cr_assert_eq(ike_v2_encr_key_len(&s), kl + 3, "CCM SK_e is key | 3-byte salt");
    uint8_t out[64];
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_OK, "%s", t->name);
    cr_assert_arr_eq(out, p, pl, "%s", t->name);

    c[0] ^= 0x01;
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_ICV_MISMATCH);
    c[0] ^= 0x01;
    a[0] ^= 0x01;
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_ICV_MISMATCH);
    a[0] ^= 0x01;
    tag[tl - 1] ^= 0x01;
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_ICV_MISMATCH,
                 "%s: last ICV byte not checked", t->name);
    tag[tl - 1] ^= 0x01;
    /* Unlike GCM, a CCM tag is not a truncation: M is encoded in B0, so the leading 8 bytes are not an M=8 tag. */
    cr_assert_eq(ike_aead_open(IKE_ENCR_AES_CCM_8, k, kl, n, nl, a, al, c, cl, tag, 8, out), IKE_DEC_ICV_MISMATCH);
    free(k), free(n), free(a), free(p), free(c), free(tag);
}

/* ---- 5. Integrity truncations through the ICV check of the SK path ---- */

/*
 * ike_v2_decrypt_ex verifies the ICV with the integrity table's key
 * length, MAC and truncation. The RFC 7296 ICV covers the IKE header, so
 * a published MAC input cannot be the covered range there; but the
 * lenient path (legacy Openswan ICV over IV..ciphertext) runs the same
 * check over the SK body alone. With ENCR_NULL (no IV) that body is the
 * published message, so the published truncated MAC must verify: the
 * result is then OK or, when the message's last byte is not a possible
 * Pad Length, BAD_PADDING, which is only reached after the ICV verified.
 * Empty-message vectors are left out: an SK body holds at least the Pad
 * Length byte.
 */
struct integ_kat {
    const char *name;
    uint16_t integ;
    const char *key;
    const char *msg;      /* ASCII, or NULL to use msg_hex */
    const char *msg_hex;
    size_t zeros;         /* message of this many zero bytes instead */
    const char *icv;      /* the published truncated value */
};

#define K0B32 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define JEFE8 "4a6566654a6566654a6566654a6566654a6566654a6566654a6566654a656665"
#define K3566 "000102030405060708090a0b0c0d0e0f"
#define K4493 "2b7e151628aed2a6abf7158809cf4f3c"

static struct integ_kat integ_kats[] = {
    /* RFC 2202 §2 and §3, test case 5 ("Test With Truncation"): digest-96 */
    { "RFC 2202 HMAC-MD5 TC5", IKE_INTEG_HMAC_MD5_96, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "Test With Truncation",
      NULL, 0, "56461ef2342edc00f9bab995" },
    { "RFC 2202 HMAC-SHA1 TC5", IKE_INTEG_HMAC_SHA1_96, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
      "Test With Truncation", NULL, 0, "4c1a03424b55e07fe7f27be1" },
    /* RFC 4868 §2.7.2.1-2.7.2.3, AUTH256/384/512 test cases 1 and 2 (keys of the full key length) */
    { "RFC 4868 AUTH256-1", IKE_INTEG_HMAC_SHA2_256_128, K0B32, "Hi There", NULL, 0,
      "198a607eb44bfbc69903a0f1cf2bbdc5" },
    { "RFC 4868 AUTH256-2", IKE_INTEG_HMAC_SHA2_256_128, JEFE8, "what do ya want for nothing?", NULL, 0,
      "167f928588c5cc2eef8e3093caa0e87c" },
    { "RFC 4868 AUTH384-1", IKE_INTEG_HMAC_SHA2_384_192, K0B32 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", NULL, 0,
      "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973" },
    { "RFC 4868 AUTH384-2", IKE_INTEG_HMAC_SHA2_384_192, JEFE8 "4a6566654a6566654a6566654a656665",
      "what do ya want for nothing?", NULL, 0, "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184d" },
    { "RFC 4868 AUTH512-1", IKE_INTEG_HMAC_SHA2_512_256, K0B32 K0B32, "Hi There", NULL, 0,
      "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8" },
    { "RFC 4868 AUTH512-2", IKE_INTEG_HMAC_SHA2_512_256, JEFE8 JEFE8, "what do ya want for nothing?", NULL, 0,
      "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454" },
    /* RFC 3566 §4.6, AES-XCBC-MAC-96 test cases 2-7 */
    { "RFC 3566 TC2", IKE_INTEG_AES_XCBC_96, K3566, NULL, "000102", 0, "5b376580ae2f19afe7219cee" },
    { "RFC 3566 TC3", IKE_INTEG_AES_XCBC_96, K3566, NULL, "000102030405060708090a0b0c0d0e0f", 0,
      "d2a246fa349b68a79998a439" },
    { "RFC 3566 TC4", IKE_INTEG_AES_XCBC_96, K3566, NULL, "000102030405060708090a0b0c0d0e0f10111213", 0,
      "47f51b4564966215b8985c63" },
    { "RFC 3566 TC5", IKE_INTEG_AES_XCBC_96, K3566, NULL,
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 0, "f54f0ec8d2b9f3d36807734b" },
    { "RFC 3566 TC6", IKE_INTEG_AES_XCBC_96, K3566, NULL,
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021", 0, "becbb3bccdb518a30677d548" },
    { "RFC 3566 TC7", IKE_INTEG_AES_XCBC_96, K3566, NULL, NULL, 1000, "f0dafee895db30253761103b" },
    /* RFC 4493 §4 examples 2-4, truncated to 96 bits as RFC 4494 §2 defines AES-CMAC-96 */
    { "RFC 4493/4494 Example 2", IKE_INTEG_AES_CMAC_96, K4493, NULL, "6bc1bee22e409f96e93d7e117393172a", 0,
      "070a16b46b4d4144f79bdd9d" },
    { "RFC 4493/4494 Example 3", IKE_INTEG_AES_CMAC_96, K4493, NULL,
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", 0,
      "dfa66747de9ae63030ca3261" },
    { "RFC 4493/4494 Example 4", IKE_INTEG_AES_CMAC_96, K4493, NULL,
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", 0, "51f0bebf7e3b9d92fc497417" },
};

ParameterizedTestParameters(vectors_more, integ_truncation)
{
    size_t n = sizeof integ_kats / sizeof integ_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

/* The PRF under each integrity algorithm (what ike_v2_decrypt's ICV check calls). */
static uint16_t integ_prf(uint16_t integ)
{
    switch (integ) {
    case IKE_INTEG_HMAC_MD5_96: return IKE_PRF_HMAC_MD5;
    case IKE_INTEG_HMAC_SHA1_96: return IKE_PRF_HMAC_SHA1;
    case IKE_INTEG_AES_XCBC_96: return IKE_PRF_AES128_XCBC;
    case IKE_INTEG_AES_CMAC_96: return IKE_PRF_AES128_CMAC;
    case IKE_INTEG_HMAC_SHA2_256_128: return IKE_PRF_HMAC_SHA2_256;
    case IKE_INTEG_HMAC_SHA2_384_192: return IKE_PRF_HMAC_SHA2_384;
    default: return IKE_PRF_HMAC_SHA2_512;
    }
}

ParameterizedTest(size_t *idx, vectors_more, integ_truncation)
{
    const struct integ_kat *t = &integ_kats[*idx];
    size_t kl, ml, il;
    uint8_t *k = unhex(t->key, &kl), *icv = unhex(t->icv, &il);
    uint8_t *msg;
    if (t->zeros) {
        msg = calloc(1, t->zeros);
        ml = t->zeros;
    } else if (t->msg) {
        msg = (uint8_t *)strdup(t->msg);
        ml = strlen(t->msg);
    } else {
        msg = unhex(t->msg_hex, &ml);
    }
    struct ike_v2_suite s = { IKE_ENCR_NULL, 0, t->integ, IKE_PRF_HMAC_SHA2_256 };
    cr_assert(ike_v2_suite_supported(&s), "%s", t->name);
    cr_assert_eq(ike_v2_integ_key_len(t->integ), kl, "%s: key length", t->name);
    cr_assert_eq(ike_v2_icv_len(&s), il, "%s: ICV length", t->name);
    cr_assert(ike_v2_integ_is_checked(t->integ));

    /* The full MAC's leading bytes are the published truncation. */
    uint8_t full[IKE_PRF_MAX_OUT];
    struct ike_chunk ch = { msg, ml };
    cr_assert_eq(ike_prf(integ_prf(t->integ), k, kl, &ch, 1, full), IKE_PRF_OK);
    cr_assert_arr_eq(full, icv, il, "%s: MAC prefix", t->name);

    /* Through the SK ICV check. */
    uint8_t *m = malloc(28 + 4 + ml + il);
    size_t total = build_sk(m, NULL, 0, msg, ml, il);
    memcpy(m + total - il, icv, il);
    struct ike_secret sk_a = { 0 }, none = { 0 };
    ike_secret_set(&sk_a, k, kl);
    uint8_t *plain;
    size_t plen;
    unsigned notes;
    enum ike_dec_status want = (size_t)msg[ml - 1] + 1 <= ml ? IKE_DEC_OK : IKE_DEC_BAD_PADDING;
    enum ike_dec_status st = ike_v2_decrypt_ex(&s, &none, &sk_a, m, total, 28, &plain, &plen, &notes);
    cr_assert_eq(st, want, "%s: got %s", t->name, ike_dec_status_name(st));
    cr_assert_eq(notes, IKE_DEC_NOTE_LEGACY_ICV, "%s", t->name);
    if (st == IKE_DEC_OK) {
        cr_assert_eq(plen, ml - msg[ml - 1] - 1);
        cr_assert_arr_eq(plain, msg, plen);
        ike_v2_plain_free(plain, plen);
    }
    /* The strict RFC 7296 check covers the header too, so the same ICV does not verify there. */
    cr_assert_eq(ike_v2_decrypt(&s, &none, &sk_a, m, total, 28, &plain, &plen), IKE_DEC_ICV_MISMATCH);

    /* Every ICV byte counts: a flip in the first or last one, or in the message, is a mismatch. */
    size_t spots[] = { total - il, total - 1, 32 };
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        m[spots[i]] ^= 0x01;
        cr_assert_eq(ike_v2_decrypt_ex(&s, &none, &sk_a, m, total, 28, &plain, &plen, &notes), IKE_DEC_ICV_MISMATCH,
                     "%s: flip at %zu", t->name, spots[i]);
        m[spots[i]] ^= 0x01;
    }
    /* A different key of the right length does not verify. */
    k[0] ^= 0x01;
    ike_secret_set(&sk_a, k, kl);
    cr_assert_eq(ike_v2_decrypt_ex(&s, &none, &sk_a, m, total, 28, &plain, &plen, &notes), IKE_DEC_ICV_MISMATCH);
    ike_secret_free(&sk_a);
    free(m), free(k), free(icv), free(msg);
}
