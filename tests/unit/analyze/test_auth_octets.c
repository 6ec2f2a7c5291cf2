/* test_auth_octets.c: the signed octets of RFC 7296 §2.15 (auth_octets.h) built from a lab
 * capture equal the ones strongSwan logged for the same exchange.
 *
 * pcaps/ikev2-ecdsa, the initiator's AUTH (PRF_HMAC_SHA2_384): RealMessage1 and Nr are the
 * IKE_SA_INIT request and the responder's nonce data as the capture holds them (read with the
 * udp_payloads/payloads helpers shown in test_psk_auth.c); SK_pi and the expected octets are the
 * "Sk_pi secret" and "octets = message + nonce + prf(Sk_px, IDx')" dumps of charon-initiator.log
 * (ike=4). IDi is FQDN moon.lab.ikescope.test. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/auth_octets.h"

static const char req_hex[] =
    "02a36cc78d8b9b8d0000000000000000212022080000000000000130220000300000002c010100040300000c0100000c"
    "800e0100030000080300000d030000080200000600000008040000142800006800140000d42e171b88487b929543adac"
    "c4fae8159267a5f10d00751edd1f09fe3cc35f234e86a461cb10cbd95cf692e6f390c3be719757a648d8b7ab0efa8d4f"
    "ec9d339b2a7dc3761ddb29ca160d6126a672e9184d8fd755acf1d83c37b0c7701b6634ee2900002407735d123bac4ba8"
    "eac5b2139c300114bb96bf1af6ec01ef30c63e6279614d212900001c0000400478276c483795121ef589f24f78f4b31a"
    "555f7a7f2900001c00004005812ecae13c1ee812432f54a631222de62d6effe4290000080000402e290000100000402f"
    "00020003000400050000000800004016";
static const char nr_hex[] =
    "38da5810ad842f4b976e383c8483b61361397b1eded26f7ad968f0ad88003480";
static const char sk_pi_hex[] =
    "9eb23df669eafcb6103d670dcfa17b3cd2228726567026f6ce5421aee62a326163fe52a79bcdcdcc9e84bc7362247262";
static const char octets_hex[] =
    "02a36cc78d8b9b8d0000000000000000212022080000000000000130220000300000002c010100040300000c0100000c"
    "800e0100030000080300000d030000080200000600000008040000142800006800140000d42e171b88487b929543adac"
    "c4fae8159267a5f10d00751edd1f09fe3cc35f234e86a461cb10cbd95cf692e6f390c3be719757a648d8b7ab0efa8d4f"
    "ec9d339b2a7dc3761ddb29ca160d6126a672e9184d8fd755acf1d83c37b0c7701b6634ee2900002407735d123bac4ba8"
    "eac5b2139c300114bb96bf1af6ec01ef30c63e6279614d212900001c0000400478276c483795121ef589f24f78f4b31a"
    "555f7a7f2900001c00004005812ecae13c1ee812432f54a631222de62d6effe4290000080000402e290000100000402f"
    "0002000300040005000000080000401638da5810ad842f4b976e383c8483b61361397b1eded26f7ad968f0ad88003480"
    "aba0df848c751c0952ac83b7067ab882f85a71dab9459ba35e8a1778e2bf8c569842efee9444fdaaa1085eed12d0ad7e";
static const char idi[] = "\x02\x00\x00\x00moon.lab.ikescope.test";

static uint8_t *unhex(const char *h, size_t *n)
{
    *n = strlen(h) / 2;
    uint8_t *b = malloc(*n);
    for (size_t i = 0; i < *n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        b[i] = (uint8_t)v;
    }
    return b;
}

Test(auth_octets, lab_ecdsa_initiator_equals_charon)
{
    size_t rl, nl, kl, ol;
    uint8_t *req = unhex(req_hex, &rl), *nr = unhex(nr_hex, &nl), *sk = unhex(sk_pi_hex, &kl);
    uint8_t *want = unhex(octets_hex, &ol);
    uint8_t macid[IKE_PRF_MAX_OUT];
    struct ike_chunk ch[3];
    cr_assert_eq(an_auth_signed_octets(6 /* PRF_HMAC_SHA2_384 */, req, rl, nr, nl, sk, kl, (const uint8_t *)idi,
                                       sizeof idi - 1, macid, ch), IKE_PRF_OK);
    cr_assert_eq(ch[0].len + ch[1].len + ch[2].len, ol);
    cr_expect(memcmp(ch[0].p, want, ch[0].len) == 0);
    cr_expect(memcmp(ch[1].p, want + ch[0].len, ch[1].len) == 0);
    cr_expect(memcmp(ch[2].p, want + ch[0].len + ch[1].len, ch[2].len) == 0, "MACedIDForI differs from charon's");
    free(req);
    free(nr);
    free(sk);
    free(want);
}
