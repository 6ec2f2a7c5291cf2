/* test_decrypt.c: IKEv2 SK/SKF decryption (real tcpdump capture and synthetic messages for every suite), IKEv1 CBC, key derivation. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/derive.h"
#include "ike/crypto/keyfile.h"
#include "ike/crypto/keyset.h"
#include "ike/crypto/prf.h"
#include "testutil.h"

/* Frame 2 of tcpdump's tests/ikev2pI2.pcap (IKE_AUTH request, UDP payload), via tshark -e udp.payload. */
static const char pi2_hex[] =
    "0001020304050607c02e7a3031a031882e202308000000000000011c23800100000102030405060708090a0b0c0d0e0f"
    "4bcf2da20444caca5fb591c1ab4b9b4d4f22ac7cb49e6b08d2738884fb3efd8eebc607accc1f80f890e24df65e53d61e"
    "899f1d319d89c033524d036fd4ea7e0345def93356e2865e5481a6a20a7604083de04595e1071a2e98179eefb4e6ae47"
    "08e6875ae297b4dc5b2602d971e36f66cef12303946eea897d86bbb5903115281a266f4dcb627e146972ff2f7102931d"
    "f82f24a2e40df594afc11e0a85eb1c56b9eddb7e2de52fa95cf51f4b4c9b5d53237ae39f64519413d201374a987fa8d1"
    "ce460fa2d67c417462203f2948c0b9ed8b734a69a015ff63bde767f44f83c3cfe5119d72d74e695b1032b957";

static bool file_contains(const char *path, const uint8_t *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static uint8_t buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return memmem(buf, len, needle, n) != NULL;
}

Test(decrypt, tcpdump_ikev2pI2_auth_request)
{
    char path[1024], pcap[1024];
    if (!fixture("tcpdump/ikev2pI2-secrets.txt", path, sizeof path))
        cr_skip_test("SKIPPED: tcpdump fixtures missing (set IKESCOPE_FIXTURES to ../shared/fixtures/external)");
    size_t ml;
    uint8_t *msg = unhex(pi2_hex, &ml);
    if (fixture("tcpdump/ikev2pI2.pcap", pcap, sizeof pcap))
        cr_assert(file_contains(pcap, msg, ml), "embedded message is not the one in ikev2pI2.pcap");

    struct ike_keystore *ks = ike_keystore_new();
    char err[256];
    cr_assert_eq(ike_keystore_load(ks, path, err, sizeof err), IKE_KEY_OK, "%s", err);
    const struct ike_keyset *k = ike_keystore_find_by_spi(ks, 2, msg, msg + 8);
    cr_assert_not_null(k);
    cr_assert_eq(k->suite.encr, IKE_ENCR_AES_CBC);
    cr_assert_eq(k->suite.encr_key_bits, 128);
    cr_assert_eq(k->suite.integ, IKE_INTEG_HMAC_SHA1_96);

    uint8_t *plain;
    size_t pl;
    unsigned notes;
    /* This Openswan-generated capture computes the ICV over IV..ciphertext only (not RFC 7296 §3.14). */
    cr_assert_eq(ike_v2_decrypt(&k->suite, &k->sk_ei, &k->sk_ai, msg, ml, 28, &plain, &pl), IKE_DEC_ICV_MISMATCH);
    cr_assert_null(plain);
    cr_assert_eq(ike_v2_decrypt_ex(&k->suite, &k->sk_ei, &k->sk_ai, msg, ml, 28, &plain, &pl, &notes), IKE_DEC_OK);
    cr_assert_eq(notes, IKE_DEC_NOTE_LEGACY_ICV);

    /* SK's Next Payload is IDi (35); IDi: next AUTH (39), length 12, ID type FQDN (2), "west". */
    cr_assert_eq(msg[28], 35);
    cr_assert_geq(pl, 12 + 8);
    cr_assert_eq(plain[0], 39);
    cr_assert_eq(plain[2] << 8 | plain[3], 12);
    cr_assert_eq(plain[4], 2);
    cr_assert_arr_eq(plain + 8, "west", 4);
    /* AUTH: last payload, method 1 (RSA digital signature), length 200 as tcpdump shows (len=196 + header). */
    cr_assert_eq(plain[12], 0);
    cr_assert_eq(plain[14] << 8 | plain[15], 200);
    cr_assert_eq(plain[16], 1);
    cr_assert_eq(pl, 12 + 200);
    ike_v2_plain_free(plain, pl);

    /* The SA tracker's entry point gives the same result. */
    cr_assert_eq(ike_v2_try_decrypt_with_keyset(k, NULL, true, msg, ml, 28, &plain, &pl, &notes), IKE_DEC_OK);
    ike_v2_plain_free(plain, pl);
    /* The responder's keys do not open the initiator's message. */
    cr_assert_neq(ike_v2_try_decrypt_with_keyset(k, NULL, false, msg, ml, 28, &plain, &pl, &notes), IKE_DEC_OK);
    ike_keystore_free(ks);
    free(msg);
}

/* ---- synthetic messages built with an independent encrypt path (OpenSSL / libsodium directly) ---- */

struct suite_case {
    uint16_t encr, bits, integ;
    bool skf;
};

static struct suite_case suites[] = {
    { IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA1_96, false },
    { IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128, false },
    { IKE_ENCR_AES_CBC, 192, IKE_INTEG_HMAC_SHA2_384_192, true },
    { IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256, false },
    { IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_MD5_96, false },
    { IKE_ENCR_AES_CBC, 128, IKE_INTEG_AES_XCBC_96, false },
    { IKE_ENCR_AES_CBC, 128, IKE_INTEG_AES_CMAC_96, true },
    { IKE_ENCR_3DES, 0, IKE_INTEG_HMAC_SHA1_96, false },
    { IKE_ENCR_AES_CTR, 128, IKE_INTEG_HMAC_SHA2_256_128, false },
    { IKE_ENCR_AES_CTR, 256, IKE_INTEG_HMAC_SHA1_96, true },
    { IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, false },
    { IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, true },
    { IKE_ENCR_AES_GCM_12, 192, IKE_INTEG_NONE, false },
    { IKE_ENCR_AES_GCM_8, 256, IKE_INTEG_NONE, false },
    { IKE_ENCR_AES_CCM_16, 128, IKE_INTEG_NONE, false },
    { IKE_ENCR_AES_CCM_12, 256, IKE_INTEG_NONE, true },
    { IKE_ENCR_AES_CCM_8, 192, IKE_INTEG_NONE, false },
    { IKE_ENCR_CHACHA20_POLY1305, 256, IKE_INTEG_NONE, false },
    { IKE_ENCR_CHACHA20_POLY1305, 256, IKE_INTEG_NONE, true },
    { IKE_ENCR_NULL, 0, IKE_INTEG_HMAC_SHA2_256_128, false },
};

static const uint8_t inner[] = {
    /* IDi: next AUTH, length 12, FQDN "west" */
    39, 0, 0, 12, 2, 0, 0, 0, 'w', 'e', 's', 't',
    /* AUTH: last, length 12, method 2 (shared key), 4 bytes */
    0, 0, 0, 12, 2, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef,
};

static const EVP_CIPHER *test_cipher(uint16_t encr, size_t kl)
{
    switch (encr) {
    case IKE_ENCR_3DES: return EVP_des_ede3_cbc();
    case IKE_ENCR_AES_CBC: return kl == 16 ? EVP_aes_128_cbc() : kl == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
    case IKE_ENCR_AES_CTR: return kl == 16 ? EVP_aes_128_ctr() : kl == 24 ? EVP_aes_192_ctr() : EVP_aes_256_ctr();
    case IKE_ENCR_AES_GCM_8: case IKE_ENCR_AES_GCM_12: case IKE_ENCR_AES_GCM_16:
        return kl == 16 ? EVP_aes_128_gcm() : kl == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
    default: return kl == 16 ? EVP_aes_128_ccm() : kl == 24 ? EVP_aes_192_ccm() : EVP_aes_256_ccm();
    }
}

struct built {
    uint8_t msg[512];
    size_t len, sk_off;
    struct ike_secret sk_e, sk_a;
    struct ike_v2_suite s;
};

/* Build an IKE_AUTH request with SK (or SKF 1/1) around `inner`; pad_override >= 0 forces the Pad Length byte. */
static void build(const struct suite_case *c, int pad_override, struct built *b)
{
    memset(b, 0, sizeof *b);
    b->s = (struct ike_v2_suite){ c->encr, c->bits, c->integ, IKE_PRF_HMAC_SHA2_256 };
    size_t el = ike_v2_encr_key_len(&b->s), al = ike_v2_integ_key_len(c->integ);
    uint8_t key[64];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 7 + c->encr);
    ike_secret_set(&b->sk_e, key, el);
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 13 + 5);
    ike_secret_set(&b->sk_a, key, al);

    bool aead = ike_v2_encr_is_aead(c->encr);
    size_t salt = c->encr == IKE_ENCR_AES_CTR || (aead && !(c->encr >= 14 && c->encr <= 16)) ? 4 : aead ? 3 : 0;
    size_t kl = el - salt;
    size_t block = c->encr == IKE_ENCR_AES_CBC ? 16 : c->encr == IKE_ENCR_3DES ? 8 : 1;
    size_t iv_len = c->encr == IKE_ENCR_AES_CBC ? 16 : c->encr == IKE_ENCR_3DES ? 8 : c->encr == IKE_ENCR_NULL ? 0 : 8;
    size_t icv = ike_v2_icv_len(&b->s);

    /* plaintext = inner | padding | pad length */
    uint8_t pt[128];
    size_t n = sizeof inner;
    memcpy(pt, inner, n);
    size_t pad = (block - (n + 1) % block) % block;
    if (block == 1)
        pad = 3; /* arbitrary padding is legal for stream modes too */
    for (size_t i = 0; i < pad; i++)
        pt[n + i] = (uint8_t)(0xa0 + i);
    pt[n + pad] = (uint8_t)(pad_override >= 0 ? pad_override : (int)pad);
    size_t ptl = n + pad + 1;

    size_t hdr = c->skf ? 8 : 4;
    size_t sk_len = hdr + iv_len + ptl + icv;
    size_t total = 28 + sk_len;
    uint8_t *m = b->msg;
    memcpy(m, "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00", 16);
    m[16] = c->skf ? 53 : 46;
    m[17] = 0x20;
    m[18] = 35;
    m[19] = 0x08;
    m[20] = 0, m[21] = 0, m[22] = 0, m[23] = 1;
    m[24] = 0, m[25] = 0, m[26] = (uint8_t)(total >> 8), m[27] = (uint8_t)total;
    m[28] = 35, m[29] = 0, m[30] = (uint8_t)(sk_len >> 8), m[31] = (uint8_t)sk_len;
    if (c->skf)
        m[32] = 0, m[33] = 1, m[34] = 0, m[35] = 1;
    uint8_t *iv = m + 28 + hdr, *ct = iv + iv_len, *tag = ct + ptl;
    for (size_t i = 0; i < iv_len; i++)
        iv[i] = (uint8_t)(0x40 + i);
    size_t aad_len = 28 + hdr;

    if (c->encr == IKE_ENCR_CHACHA20_POLY1305) {
        uint8_t nonce[12];
        memcpy(nonce, b->sk_e.p + 32, 4);
        memcpy(nonce + 4, iv, 8);
        unsigned long long tl;
        cr_assert_eq(sodium_init() >= 0, true);
        crypto_aead_chacha20poly1305_ietf_encrypt_detached(ct, tag, &tl, pt, ptl, m, aad_len, NULL, nonce, b->sk_e.p);
    } else if (aead) {
        uint8_t nonce[12];
        memcpy(nonce, b->sk_e.p + kl, salt);
        memcpy(nonce + salt, iv, 8);
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        int o;
        bool ccm = c->encr >= 14 && c->encr <= 16;
        EVP_EncryptInit_ex(x, test_cipher(c->encr, kl), NULL, NULL, NULL);
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, (int)(salt + 8), NULL);
        if (ccm)
            EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, (int)icv, NULL);
        EVP_EncryptInit_ex(x, NULL, NULL, b->sk_e.p, nonce);
        if (ccm)
            EVP_EncryptUpdate(x, NULL, &o, NULL, (int)ptl);
        EVP_EncryptUpdate(x, NULL, &o, m, (int)aad_len);
        EVP_EncryptUpdate(x, ct, &o, pt, (int)ptl);
        EVP_EncryptFinal_ex(x, ct + o, &o);
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, (int)icv, tag);
        EVP_CIPHER_CTX_free(x);
    } else {
        if (c->encr == IKE_ENCR_NULL) {
            memcpy(ct, pt, ptl);
        } else {
            uint8_t cb[16];
            const uint8_t *ivp = iv;
            if (c->encr == IKE_ENCR_AES_CTR) {
                memcpy(cb, b->sk_e.p + kl, 4);
                memcpy(cb + 4, iv, 8);
                cb[12] = 0, cb[13] = 0, cb[14] = 0, cb[15] = 1;
                ivp = cb;
            }
            EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
            int o, f;
            EVP_EncryptInit_ex(x, test_cipher(c->encr, kl), NULL, b->sk_e.p, ivp);
            EVP_CIPHER_CTX_set_padding(x, 0);
            EVP_EncryptUpdate(x, ct, &o, pt, (int)ptl);
            EVP_EncryptFinal_ex(x, ct + o, &f);
            EVP_CIPHER_CTX_free(x);
        }
        uint8_t mac[64];
        if (c->integ == IKE_INTEG_AES_XCBC_96 || c->integ == IKE_INTEG_AES_CMAC_96) {
            struct ike_chunk ch = { m, (size_t)(tag - m) };
            if (c->integ == IKE_INTEG_AES_XCBC_96)
                ike_aes_xcbc_mac(b->sk_a.p, &ch, 1, mac);
            else
                ike_aes_cmac(b->sk_a.p, &ch, 1, mac);
        } else {
            const EVP_MD *md = c->integ == IKE_INTEG_HMAC_MD5_96 ? EVP_md5()
                             : c->integ == IKE_INTEG_HMAC_SHA1_96 ? EVP_sha1()
                             : c->integ == IKE_INTEG_HMAC_SHA2_256_128 ? EVP_sha256()
                             : c->integ == IKE_INTEG_HMAC_SHA2_384_192 ? EVP_sha384() : EVP_sha512();
            unsigned ml;
            HMAC(md, b->sk_a.p, (int)b->sk_a.len, m, (size_t)(tag - m), mac, &ml);
        }
        memcpy(tag, mac, icv);
    }
    b->len = total;
    b->sk_off = 28;
}

static void unbuild(struct built *b)
{
    ike_secret_free(&b->sk_e);
    ike_secret_free(&b->sk_a);
}

ParameterizedTestParameters(decrypt, suites)
{
    size_t n = sizeof suites / sizeof suites[0];
    return cr_make_param_array(size_t, test_indices(n), n);
}

ParameterizedTest(size_t *idx, decrypt, suites)
{
    const struct suite_case *c = &suites[*idx];
    struct built b;
    build(c, -1, &b);
    uint8_t *plain;
    size_t pl;
    cr_assert(ike_v2_suite_supported(&b.s));
    cr_assert_eq(ike_v2_decrypt(&b.s, &b.sk_e, &b.sk_a, b.msg, b.len, b.sk_off, &plain, &pl), IKE_DEC_OK,
                 "encr %u integ %u skf %d", c->encr, c->integ, c->skf);
    cr_assert_eq(pl, sizeof inner);
    cr_assert_arr_eq(plain, inner, pl);
    ike_v2_plain_free(plain, pl);

    /* Header bytes, ciphertext and ICV are all covered. */
    size_t spots[] = { 3, 19, 30, b.len / 2 + 10, b.len - 1 };
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        b.msg[spots[i]] ^= 0x04;
        enum ike_dec_status st = ike_v2_decrypt(&b.s, &b.sk_e, &b.sk_a, b.msg, b.len, b.sk_off, &plain, &pl);
        cr_assert(st == IKE_DEC_ICV_MISMATCH || (spots[i] == 30 && st == IKE_DEC_MALFORMED),
                  "flip at %zu gave %s", spots[i], ike_dec_status_name(st));
        cr_assert_null(plain);
        b.msg[spots[i]] ^= 0x04;
    }

    /* Every prefix is refused cleanly (never a crash, never OK). */
    for (size_t n = 0; n < b.len; n++)
        cr_assert_neq(ike_v2_decrypt(&b.s, &b.sk_e, &b.sk_a, b.msg, n, b.sk_off, &plain, &pl), IKE_DEC_OK);
    /* sk_off that is not on the payload chain */
    cr_assert_eq(ike_v2_decrypt(&b.s, &b.sk_e, &b.sk_a, b.msg, b.len, 29, &plain, &pl), IKE_DEC_MALFORMED);

    /* The tracker's entry point, with the suite from the capture and with no suite at all (guessing). */
    struct ike_keyset ks = { 0 };
    ike_secret_set(&ks.sk_ei, b.sk_e.p, b.sk_e.len);
    ike_secret_set(&ks.sk_ai, b.sk_a.p, b.sk_a.len);
    ks.version = 2;
    cr_assert_eq(ike_v2_try_decrypt_with_keyset(&ks, &b.s, true, b.msg, b.len, b.sk_off, &plain, &pl, NULL), IKE_DEC_OK);
    ike_v2_plain_free(plain, pl);
    cr_assert_eq(ike_v2_try_decrypt_with_keyset(&ks, &b.s, false, b.msg, b.len, b.sk_off, &plain, &pl, NULL),
                 c->encr == IKE_ENCR_NULL ? IKE_DEC_NO_KEY : IKE_DEC_NO_KEY);
    if (c->encr != IKE_ENCR_NULL) {
        cr_assert_eq(ike_v2_try_decrypt_with_keyset(&ks, NULL, true, b.msg, b.len, b.sk_off, &plain, &pl, NULL),
                     IKE_DEC_OK, "guessing failed for encr %u integ %u", c->encr, c->integ);
        cr_assert_arr_eq(plain, inner, sizeof inner);
        ike_v2_plain_free(plain, pl);
    }
    ike_keyset_cleanup(&ks);

    /* A wrong-length key is reported as such. */
    if (b.sk_e.len) {
        struct ike_secret shorter = { 0 };
        ike_secret_set(&shorter, b.sk_e.p, b.sk_e.len - 1);
        cr_assert_eq(ike_v2_decrypt(&b.s, &shorter, &b.sk_a, b.msg, b.len, b.sk_off, &plain, &pl), IKE_DEC_BAD_KEY);
        ike_secret_free(&shorter);
    }
    unbuild(&b);
}

Test(decrypt, bad_padding_after_valid_icv)
{
    struct suite_case gcm = { IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, false };
    struct suite_case cbc = { IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA1_96, false };
    const struct suite_case *cs[] = { &gcm, &cbc };
    for (int i = 0; i < 2; i++) {
        struct built b;
        build(cs[i], 250, &b);
        uint8_t *plain;
        size_t pl;
        cr_assert_eq(ike_v2_decrypt(&b.s, &b.sk_e, &b.sk_a, b.msg, b.len, b.sk_off, &plain, &pl), IKE_DEC_BAD_PADDING);
        unbuild(&b);
    }
}

Test(decrypt, unsupported_and_names)
{
    struct ike_v2_suite s = { 99, 128, 0, 0 };
    uint8_t *plain;
    size_t pl;
    struct ike_secret e = { 0 };
    cr_assert_eq(ike_v2_decrypt(&s, &e, &e, (const uint8_t *)"", 0, 28, &plain, &pl), IKE_DEC_UNSUPPORTED);
    s = (struct ike_v2_suite){ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_HMAC_SHA1_96, 0 };
    cr_assert_eq(ike_v2_decrypt(&s, &e, &e, (const uint8_t *)"", 0, 28, &plain, &pl), IKE_DEC_UNSUPPORTED);
    cr_assert_str_eq(ike_dec_status_name(IKE_DEC_ICV_MISMATCH), "icv_mismatch");
    s = (struct ike_v2_suite){ IKE_ENCR_AES_CCM_8, 128, 0, 0 };
    cr_assert_eq(ike_v2_encr_key_len(&s), 19);
    s = (struct ike_v2_suite){ IKE_ENCR_AES_CTR, 256, 0, 0 };
    cr_assert_eq(ike_v2_encr_key_len(&s), 36);
    s = (struct ike_v2_suite){ IKE_ENCR_AES_CBC, 100, 0, 0 };
    cr_assert_eq(ike_v2_encr_key_len(&s), 0);
    cr_assert_eq(ike_v2_integ_key_len(IKE_INTEG_HMAC_SHA2_384_192), 48);
}

/* ---- IKEv1 ---- */

Test(decrypt, ikev1_des_kat_and_iv_chaining)
{
    /* NIST DES KAT through the IKEv1 path: key 0101..01 (single DES), IV 0. */
    uint8_t msg[28 + 8] = { 0 };
    msg[27] = sizeof msg;
    memcpy(msg + 28, "\x95\xf8\xa5\xe5\xdd\x31\xd9\x00", 8);
    struct ike_secret ka = { 0 };
    ike_secret_set(&ka, (const uint8_t *)"\x01\x01\x01\x01\x01\x01\x01\x01", 8);
    uint8_t iv[16] = { 0 }, next[16];
    uint8_t *plain;
    size_t pl;
    cr_assert_eq(ike_v1_decrypt(IKE_V1_ENCR_DES_CBC, &ka, iv, msg, sizeof msg, &plain, &pl, next), IKE_DEC_OK);
    cr_assert_eq(pl, 8);
    cr_assert_arr_eq(plain, "\x80\0\0\0\0\0\0\0", 8);
    cr_assert_arr_eq(next, msg + 28, 8, "next IV is the last ciphertext block");
    ike_v2_plain_free(plain, pl);
    ike_secret_free(&ka);

    /* AES-CBC-256 with a ciphertext that is not a block multiple */
    uint8_t bad[28 + 20] = { 0 };
    bad[27] = sizeof bad;
    uint8_t k32[32] = { 1 };
    ike_secret_set(&ka, k32, 32);
    cr_assert_eq(ike_v1_decrypt(IKE_V1_ENCR_AES_CBC, &ka, iv, bad, sizeof bad, &plain, &pl, next), IKE_DEC_MALFORMED);
    bad[27] = 200; /* header says more than we have */
    cr_assert_eq(ike_v1_decrypt(IKE_V1_ENCR_AES_CBC, &ka, iv, bad, sizeof bad, &plain, &pl, next), IKE_DEC_MALFORMED);
    ike_secret_free(&ka);
    cr_assert_eq(ike_v1_encr_key_len(IKE_V1_ENCR_AES_CBC, 0), 16);
    cr_assert_eq(ike_v1_block_len(IKE_V1_ENCR_3DES_CBC), 8);
}

/* ---- derivation ---- */

Test(derive, ikev1_chain_against_rfc2409_formulas)
{
    uint8_t gxy[64], ni[16], nr[20], ci[8], cr[8], gxi[64], gxr[64];
    for (int i = 0; i < 64; i++)
        gxy[i] = (uint8_t)i, gxi[i] = (uint8_t)(i + 1), gxr[i] = (uint8_t)(i + 2);
    for (int i = 0; i < 16; i++)
        ni[i] = (uint8_t)(0x30 + i);
    for (int i = 0; i < 20; i++)
        nr[i] = (uint8_t)(0x50 + i);
    memcpy(ci, "ABCDEFGH", 8);
    memcpy(cr, "IJKLMNOP", 8);
    struct ike_secret psk = { 0 }, skeyid = { 0 }, d = { 0 }, a = { 0 }, e = { 0 }, ka = { 0 };
    ike_secret_set(&psk, (const uint8_t *)"secret", 6);
    cr_assert_eq(ike_v1_skeyid_psk(IKE_V1_HASH_SHA1, &psk, ni, 16, nr, 20, &skeyid), IKE_PRF_OK);
    uint8_t want[64];
    struct ike_chunk n2[2] = { { ni, 16 }, { nr, 20 } };
    ike_prf(IKE_PRF_HMAC_SHA1, psk.p, psk.len, n2, 2, want);
    cr_assert_arr_eq(skeyid.p, want, 20);

    cr_assert_eq(ike_v1_skeyid_derive(IKE_V1_HASH_SHA1, &skeyid, gxy, 64, ci, cr, &d, &a, &e), IKE_PRF_OK);
    uint8_t zero = 0, two = 2;
    struct ike_chunk dd[4] = { { gxy, 64 }, { ci, 8 }, { cr, 8 }, { &zero, 1 } };
    ike_prf(IKE_PRF_HMAC_SHA1, skeyid.p, 20, dd, 4, want);
    cr_assert_arr_eq(d.p, want, 20);
    struct ike_chunk ee[5] = { { a.p, 20 }, { gxy, 64 }, { ci, 8 }, { cr, 8 }, { &two, 1 } };
    ike_prf(IKE_PRF_HMAC_SHA1, skeyid.p, 20, ee, 5, want);
    cr_assert_arr_eq(e.p, want, 20);

    /* Appendix B: AES-256 needs 32 bytes from a 20-byte SKEYID_e: K1 = prf(e, 0), K2 = prf(e, K1). */
    cr_assert_eq(ike_v1_enc_key(IKE_V1_HASH_SHA1, &e, 32, &ka), IKE_PRF_OK);
    uint8_t k1[20], k2[20];
    struct ike_chunk z = { &zero, 1 };
    ike_prf(IKE_PRF_HMAC_SHA1, e.p, 20, &z, 1, k1);
    struct ike_chunk c1 = { k1, 20 };
    ike_prf(IKE_PRF_HMAC_SHA1, e.p, 20, &c1, 1, k2);
    cr_assert_eq(ka.len, 32);
    cr_assert_arr_eq(ka.p, k1, 20);
    cr_assert_arr_eq(ka.p + 20, k2, 12);
    /* AES-128 takes the first 16 bytes of SKEYID_e directly. */
    cr_assert_eq(ike_v1_enc_key(IKE_V1_HASH_SHA1, &e, 16, &ka), IKE_PRF_OK);
    cr_assert_arr_eq(ka.p, e.p, 16);

    /* IVs: hash(g^xi | g^xr) and hash(last block | M-ID) truncated to the block. */
    uint8_t iv[16], h[20];
    cr_assert_eq(ike_v1_phase1_iv(IKE_V1_HASH_SHA1, gxi, 64, gxr, 64, 16, iv), IKE_PRF_OK);
    struct ike_chunk g2[2] = { { gxi, 64 }, { gxr, 64 } };
    ike_prf_hash(IKE_PRF_HMAC_SHA1, g2, 2, h);
    cr_assert_arr_eq(iv, h, 16);
    cr_assert_eq(ike_v1_phase2_iv(IKE_V1_HASH_SHA1, gxi, 16, 0x01020304, iv), IKE_PRF_OK);
    struct ike_chunk p2[2] = { { gxi, 16 }, { (const uint8_t *)"\x01\x02\x03\x04", 4 } };
    ike_prf_hash(IKE_PRF_HMAC_SHA1, p2, 2, h);
    cr_assert_arr_eq(iv, h, 16);
    ike_secret_free(&psk), ike_secret_free(&skeyid), ike_secret_free(&d), ike_secret_free(&a);
    ike_secret_free(&e), ike_secret_free(&ka);
}

Test(derive, ikev2_skeyseed_xcbc_uses_64_bits_of_each_nonce)
{
    uint8_t ni[32], nr[32], gir[32], want[16];
    for (int i = 0; i < 32; i++)
        ni[i] = (uint8_t)i, nr[i] = (uint8_t)(0x80 + i), gir[i] = (uint8_t)(0x40 + i);
    static const uint16_t prfs[] = { IKE_PRF_AES128_XCBC, IKE_PRF_AES128_CMAC };
    for (int p = 0; p < 2; p++) {
        struct ike_secret s = { 0 };
        cr_assert_eq(ike_v2_skeyseed(prfs[p], gir, 32, ni, 32, nr, 32, &s), IKE_PRF_OK);
        uint8_t key[16];
        memcpy(key, ni, 8);
        memcpy(key + 8, nr, 8);
        struct ike_chunk g = { gir, 32 };
        ike_prf(prfs[p], key, 16, &g, 1, want);
        cr_assert_arr_eq(s.p, want, 16);
        ike_secret_free(&s);
    }
    /* HMAC PRFs key with all of Ni | Nr. */
    struct ike_secret s = { 0 };
    uint8_t key[64], w[32];
    memcpy(key, ni, 32);
    memcpy(key + 32, nr, 32);
    struct ike_chunk g = { gir, 32 };
    ike_prf(IKE_PRF_HMAC_SHA2_256, key, 64, &g, 1, w);
    cr_assert_eq(ike_v2_skeyseed(IKE_PRF_HMAC_SHA2_256, gir, 32, ni, 32, nr, 32, &s), IKE_PRF_OK);
    cr_assert_arr_eq(s.p, w, 32);
    ike_secret_free(&s);
}

Test(derive, ikev2_keys_from_dh_open_a_message)
{
    /* Derive keys from a DH secret, encrypt with the derived SK_ei, and check the tracker path opens it. */
    uint8_t ni[32], nr[32], gir[256], spi_i[8], spi_r[8];
    for (int i = 0; i < 32; i++)
        ni[i] = (uint8_t)(3 * i), nr[i] = (uint8_t)(5 * i);
    for (int i = 0; i < 256; i++)
        gir[i] = (uint8_t)(i ^ 0x5a);
    memcpy(spi_i, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
    memcpy(spi_r, "\x99\xaa\xbb\xcc\xdd\xee\xff\x00", 8);
    struct ike_v2_suite s = { IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_256 };
    struct ike_secret dh = { 0 };
    ike_secret_set(&dh, gir, sizeof gir);
    struct ike_keyset out = { 0 };
    cr_assert_eq(ike_v2_keys_from_dh(&s, &dh, ni, 32, nr, 32, spi_i, spi_r, &out), IKE_KEY_OK);
    cr_assert_eq(out.sk_d.len, 32);
    cr_assert_eq(out.sk_ai.len, 0);
    cr_assert_eq(out.sk_ei.len, 36);
    cr_assert_eq(out.sk_pr.len, 32);

    /* prf+ layout: SK_d | SK_ei | SK_er | SK_pi | SK_pr (no SK_a for AEAD) */
    uint8_t km[32 + 36 + 36 + 32 + 32];
    struct ike_chunk seed[4] = { { ni, 32 }, { nr, 32 }, { spi_i, 8 }, { spi_r, 8 } };
    cr_assert_eq(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, out.skeyseed.p, out.skeyseed.len, seed, 4, km, sizeof km), IKE_PRF_OK);
    cr_assert_arr_eq(out.sk_d.p, km, 32);
    cr_assert_arr_eq(out.sk_ei.p, km + 32, 36);
    cr_assert_arr_eq(out.sk_pr.p, km + 32 + 72 + 32, 32);

    /* The same through a SKEYSEED-only key set. */
    struct ike_keyset src = { 0 }, out2 = { 0 };
    ike_secret_set(&src.skeyseed, out.skeyseed.p, out.skeyseed.len);
    cr_assert_eq(ike_v2_keyset_derive(&src, &s, ni, 32, nr, 32, spi_i, spi_r, &out2), IKE_KEY_OK);
    cr_assert(ike_secret_equal(&out2.sk_er, &out.sk_er));
    struct ike_v2_suite cbc = { IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1 };
    cr_assert_eq(ike_v2_keyset_derive(&src, &cbc, ni, 32, nr, 32, spi_i, spi_r, &out2), IKE_KEY_OK);
    cr_assert_eq(out2.sk_ai.len, 20);
    cr_assert_eq(out2.sk_ei.len, 16);
    cr_assert_eq(out2.sk_d.len, 20);
    ike_keyset_cleanup(&src), ike_keyset_cleanup(&out), ike_keyset_cleanup(&out2);
    ike_secret_free(&dh);
}
