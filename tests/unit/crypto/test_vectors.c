/* test_vectors.c: known-answer tests for every PRF, MAC and cipher primitive (RFC 2202, 4231, 3566, 4434, 4493, 4615, McGrew-Viega GCM, RFC 3610, 3686, 8439, SP 800-67). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/prf.h"
#include "testutil.h"

/* ---- HMAC PRFs: RFC 2202 (MD5, SHA-1) and RFC 4231 (SHA-2) test cases 1, 2 and 6 ---- */

#define K0B20 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define K0B16 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define KJEFE "4a656665"
#define AA80 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define AA131 AA80 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HI "Hi There"
#define WHAT "what do ya want for nothing?"
#define BIG "Test Using Larger Than Block-Size Key - Hash Key First"

struct prf_kat {
    uint16_t prf;
    const char *key_hex;
    const char *msg;      /* ASCII, or NULL to use msg_hex */
    const char *msg_hex;
    const char *out_hex;
};

static struct prf_kat prf_kats[] = {
    { IKE_PRF_HMAC_MD5, K0B16, HI, NULL, "9294727a3638bb1c13f48ef8158bfc9d" },
    { IKE_PRF_HMAC_MD5, KJEFE, WHAT, NULL, "750c783e6ab0b503eaa86e310a5db738" },
    { IKE_PRF_HMAC_MD5, AA80, BIG, NULL, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
    { IKE_PRF_HMAC_SHA1, K0B20, HI, NULL, "b617318655057264e28bc0b6fb378c8ef146be00" },
    { IKE_PRF_HMAC_SHA1, KJEFE, WHAT, NULL, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
    { IKE_PRF_HMAC_SHA1, AA80, BIG, NULL, "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
    { IKE_PRF_HMAC_SHA2_256, K0B20, HI, NULL, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
    { IKE_PRF_HMAC_SHA2_256, KJEFE, WHAT, NULL, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
    { IKE_PRF_HMAC_SHA2_256, AA131, BIG, NULL, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
    { IKE_PRF_HMAC_SHA2_384, K0B20, HI, NULL, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
    { IKE_PRF_HMAC_SHA2_384, KJEFE, WHAT, NULL, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
    { IKE_PRF_HMAC_SHA2_384, AA131, BIG, NULL, "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952" },
    { IKE_PRF_HMAC_SHA2_512, K0B20, HI, NULL, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
    { IKE_PRF_HMAC_SHA2_512, KJEFE, WHAT, NULL, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
    { IKE_PRF_HMAC_SHA2_512, AA131, BIG, NULL, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    /* RFC 4434 §4: AES-XCBC-PRF-128 with key lengths 16, 10 and 18 */
    { IKE_PRF_AES128_XCBC, "000102030405060708090a0b0c0d0e0f", NULL, "000102030405060708090a0b0c0d0e0f10111213", "47f51b4564966215b8985c63055ed308" },
    { IKE_PRF_AES128_XCBC, "00010203040506070809", NULL, "000102030405060708090a0b0c0d0e0f10111213", "0fa087af7d866e7653434e602fdde835" },
    { IKE_PRF_AES128_XCBC, "000102030405060708090a0b0c0d0e0fedcb", NULL, "000102030405060708090a0b0c0d0e0f10111213", "8cd3c93ae598a9803006ffb67c40e9e4" },
    /* RFC 4615 §4: AES-CMAC-PRF-128 with key lengths 18, 16 and 10 */
    { IKE_PRF_AES128_CMAC, "000102030405060708090a0b0c0d0e0fedcb", NULL, "000102030405060708090a0b0c0d0e0f10111213", "84a348a4a45d235babfffc0d2b4da09a" },
    { IKE_PRF_AES128_CMAC, "000102030405060708090a0b0c0d0e0f", NULL, "000102030405060708090a0b0c0d0e0f10111213", "980ae87b5f4c9c5214f5b6a8455e4c2d" },
    { IKE_PRF_AES128_CMAC, "00010203040506070809", NULL, "000102030405060708090a0b0c0d0e0f10111213", "290d9e112edb09ee141fcf64c0b72f3d" },
};

ParameterizedTestParameters(vectors, prf)
{
    size_t n = sizeof prf_kats / sizeof prf_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors, prf)
{
    const struct prf_kat *t = &prf_kats[*idx];
    size_t kl, ml = 0;
    uint8_t *k = unhex(t->key_hex, &kl);
    uint8_t *m = t->msg ? (uint8_t *)strdup(t->msg) : unhex(t->msg_hex, &ml);
    if (t->msg)
        ml = strlen(t->msg);
    uint8_t out[IKE_PRF_MAX_OUT];
    /* Split the input in two chunks to exercise the multi-part path. */
    struct ike_chunk parts[2] = { { m, ml / 2 }, { m + ml / 2, ml - ml / 2 } };
    cr_assert_eq(ike_prf(t->prf, k, kl, parts, 2, out), IKE_PRF_OK);
    assert_hex(out, ike_prf_out_len(t->prf), t->out_hex);
    free(k);
    free(m);
}

/* ---- AES-XCBC-MAC (RFC 3566 §4.6) and AES-CMAC (RFC 4493 §4) ---- */

struct mac_kat {
    bool cmac;
    const char *key_hex, *msg_hex, *out_hex;
    size_t zeros; /* message of this many zero bytes instead of msg_hex */
};

#define K3566 "000102030405060708090a0b0c0d0e0f"
#define K4493 "2b7e151628aed2a6abf7158809cf4f3c"
#define M4493 "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"

static struct mac_kat mac_kats[] = {
    { false, K3566, "", "75f0251d528ac01c4573dfd584d79f29", 0 },
    { false, K3566, "000102", "5b376580ae2f19afe7219ceef172756f", 0 },
    { false, K3566, "000102030405060708090a0b0c0d0e0f", "d2a246fa349b68a79998a4394ff7a263", 0 },
    { false, K3566, "000102030405060708090a0b0c0d0e0f10111213", "47f51b4564966215b8985c63055ed308", 0 },
    { false, K3566, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "f54f0ec8d2b9f3d36807734bd5283fd4", 0 },
    { false, K3566, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021", "becbb3bccdb518a30677d5481fb6b4d8", 0 },
    { false, K3566, NULL, "f0dafee895db30253761103b5d84528f", 1000 },
    { true, K4493, "", "bb1d6929e95937287fa37d129b756746", 0 },
    { true, K4493, "6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c", 0 },
    { true, K4493, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", "dfa66747de9ae63030ca32611497c827", 0 },
    { true, K4493, M4493, "51f0bebf7e3b9d92fc49741779363cfe", 0 },
};

ParameterizedTestParameters(vectors, mac)
{
    size_t n = sizeof mac_kats / sizeof mac_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors, mac)
{
    const struct mac_kat *t = &mac_kats[*idx];
    size_t kl, ml;
    uint8_t *k = unhex(t->key_hex, &kl);
    uint8_t *m;
    if (t->zeros) {
        m = calloc(1, t->zeros);
        ml = t->zeros;
    } else {
        m = unhex(t->msg_hex, &ml);
    }
    cr_assert_eq(kl, 16);
    uint8_t out[16];
    /* Odd split (7 bytes first) so block boundaries fall inside chunks. */
    size_t a = ml < 7 ? ml : 7;
    struct ike_chunk parts[2] = { { m, a }, { m + a, ml - a } };
    cr_assert_eq(t->cmac ? ike_aes_cmac(k, parts, 2, out) : ike_aes_xcbc_mac(k, parts, 2, out), IKE_PRF_OK);
    assert_hex(out, 16, t->out_hex);
    free(k);
    free(m);
}

/* ---- prf+ (RFC 7296 §2.13) against its definition computed by hand ---- */

Test(vectors, prf_plus_matches_definition)
{
    static const uint16_t prfs[] = { IKE_PRF_HMAC_SHA1, IKE_PRF_HMAC_SHA2_256, IKE_PRF_AES128_XCBC, IKE_PRF_AES128_CMAC };
    uint8_t key[20], seed[40];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x11 * i);
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = (uint8_t)(0xa0 + i);
    for (size_t p = 0; p < sizeof prfs / sizeof prfs[0]; p++) {
        uint16_t prf = prfs[p];
        size_t bl = ike_prf_out_len(prf);
        uint8_t out[200], want[200 + IKE_PRF_MAX_OUT], t[IKE_PRF_MAX_OUT];
        struct ike_chunk s = { seed, sizeof seed };
        cr_assert_eq(ike_prf_plus(prf, key, sizeof key, &s, 1, out, sizeof out), IKE_PRF_OK);
        /* T1 = prf(K, S | 0x01); Tn = prf(K, Tn-1 | S | n) */
        size_t have = 0;
        for (uint8_t n = 1; have < sizeof out; n++) {
            struct ike_chunk c[3] = { { t, n == 1 ? 0 : bl }, { seed, sizeof seed }, { &n, 1 } };
            cr_assert_eq(ike_prf(prf, key, sizeof key, c, 3, t), IKE_PRF_OK);
            memcpy(want + have, t, bl);
            have += bl;
        }
        cr_assert_arr_eq(out, want, sizeof out, "prf+ differs for PRF %u", prf);
    }
}

Test(vectors, prf_plus_limit_and_unknown)
{
    uint8_t key[16] = { 0 }, out[20 * 256];
    struct ike_chunk s = { key, 16 };
    cr_assert_eq(ike_prf_plus(IKE_PRF_HMAC_SHA1, key, 16, &s, 1, out, 20 * 255), IKE_PRF_OK);
    cr_assert_eq(ike_prf_plus(IKE_PRF_HMAC_SHA1, key, 16, &s, 1, out, 20 * 255 + 1), IKE_PRF_BAD_INPUT);
    cr_assert_eq(ike_prf(3, key, 16, &s, 1, out), IKE_PRF_UNSUPPORTED);
    cr_assert_eq(ike_prf_out_len(99), 0);
}

/* ---- AEAD: AES-GCM (McGrew-Viega test cases 3 and 4), AES-CCM (RFC 3610 packet vector 1), ChaCha20-Poly1305 (RFC 8439 §2.8.2) ---- */

struct aead_kat {
    uint16_t encr;
    const char *key, *nonce, *aad, *pt, *ct, *tag;
};

#define GCM_P "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_C "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
#define LADIES "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c642062652069742e"

static struct aead_kat aead_kats[] = {
    { IKE_ENCR_AES_GCM_16, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "", GCM_P, GCM_C,
      "4d5c2af327cd64a62cf35abd2ba6fab4" },
    { IKE_ENCR_AES_GCM_16, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
      "feedfacedeadbeeffeedfacedeadbeefabaddad2",
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
      "5bc94fbc3221a5db94fae95ae7121a47" },
    { IKE_ENCR_AES_CCM_8, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "00000003020100a0a1a2a3a4a5", "0001020304050607",
      "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e", "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384",
      "17e8d12cfdf926e0" },
    { IKE_ENCR_CHACHA20_POLY1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
      "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7", LADIES,
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
      "1ae10b594f09e26a7e902ecbd0600691" },
};

ParameterizedTestParameters(vectors, aead)
{
    size_t n = sizeof aead_kats / sizeof aead_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors, aead)
{
    const struct aead_kat *t = &aead_kats[*idx];
    size_t kl, nl, al, pl, cl, tl;
    uint8_t *k = unhex(t->key, &kl), *n = unhex(t->nonce, &nl), *a = unhex(t->aad, &al);
    uint8_t *p = unhex(t->pt, &pl), *c = unhex(t->ct, &cl), *tag = unhex(t->tag, &tl);
    uint8_t *out = malloc(cl + 1);
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_OK);
    cr_assert_arr_eq(out, p, pl);
    /* One flipped bit anywhere must be caught by the tag. */
    c[cl / 2] ^= 0x01;
    cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_ICV_MISMATCH);
    c[cl / 2] ^= 0x01;
    if (al) {
        a[0] ^= 0x80;
        cr_assert_eq(ike_aead_open(t->encr, k, kl, n, nl, a, al, c, cl, tag, tl, out), IKE_DEC_ICV_MISMATCH);
    }
    free(k), free(n), free(a), free(p), free(c), free(tag), free(out);
}

/* ---- AES-CTR (RFC 3686 test vectors 1 and 2) and 3DES (SP 800-67 example, NIST DES KAT) ---- */

struct raw_kat {
    uint16_t encr;
    const char *key, *iv, *ct, *pt;
};

static struct raw_kat raw_kats[] = {
    { IKE_ENCR_AES_CTR, "ae6852f8121067cc4bf7a5765577f39e", "00000030000000000000000000000001",
      "e4095d4fb7a7b3792d6175a3261311b8", "53696e676c6520626c6f636b206d7367" },
    { IKE_ENCR_AES_CTR, "7e24067817fae0d743d6ce1f32539163", "006cb6dbc0543b59da48d90b00000001",
      "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28",
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" },
    /* SP 800-67 Rev. 1 example ("The qufck brown fox jump", ECB). With CBC and IV 0 the
       plaintext blocks come out XORed with the previous ciphertext block: P2^C1, P3^C2. */
    { IKE_ENCR_3DES, "0123456789abcdef23456789abcdef01456789abcdef0123", "0000000000000000",
      "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900",
      "5468652071756663" "c3069ffe8a4ceb7f" "aa8d64a178500296" },
    /* NIST SP 800-20 variable-plaintext KAT, K1 = K2 = K3 (so 3DES = DES) */
    { IKE_ENCR_3DES, "010101010101010101010101010101010101010101010101", "0000000000000000",
      "95f8a5e5dd31d900", "8000000000000000" },
};

ParameterizedTestParameters(vectors, raw)
{
    size_t n = sizeof raw_kats / sizeof raw_kats[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, vectors, raw)
{
    const struct raw_kat *t = &raw_kats[*idx];
    size_t kl, il, cl, pl;
    uint8_t *k = unhex(t->key, &kl), *iv = unhex(t->iv, &il), *c = unhex(t->ct, &cl), *p = unhex(t->pt, &pl);
    uint8_t *out = malloc(cl);
    cr_assert_eq(ike_raw_decrypt(t->encr, k, kl, iv, il, c, cl, out), IKE_DEC_OK);
    cr_assert_arr_eq(out, p, pl);
    free(k), free(iv), free(c), free(p), free(out);
}

/* AES-CBC: SP 800-38A F.2.2 (CBC-AES128.Decrypt), first two blocks. */
Test(vectors, aes_cbc_sp800_38a)
{
    size_t kl, il, cl, pl;
    uint8_t *k = unhex("2b7e151628aed2a6abf7158809cf4f3c", &kl);
    uint8_t *iv = unhex("000102030405060708090a0b0c0d0e0f", &il);
    uint8_t *c = unhex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2", &cl);
    uint8_t *p = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51", &pl);
    uint8_t out[32];
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, kl, iv, il, c, cl, out), IKE_DEC_OK);
    cr_assert_arr_eq(out, p, 32);
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, kl, iv, il, c, 31, out), IKE_DEC_MALFORMED);
    cr_assert_eq(ike_raw_decrypt(IKE_ENCR_AES_CBC, k, 15, iv, il, c, cl, out), IKE_DEC_BAD_KEY);
    free(k), free(iv), free(c), free(p);
}
