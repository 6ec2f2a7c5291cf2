/* test_fingerprint.c: the behaviour signatures in fingerprint.c against notify sequences
 * read off real traffic. The lab captures check strongSwan and libreswan end to end
 * (tests/fingerprint/run.py); Apple's client exists here only as logs published by
 * strongSwan responders, so its sequence is rebuilt in memory. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/fingerprint.h"
#include "ike/msg.h"
#include "ike/sa.h"

enum { EXCH_SA_INIT = 34 };
enum { NS = 16388, ND = 16389, CK = 16390, MA = 16404, RS = 16406, CL = 16418, FR = 16430, SH = 16431 };

/* An IKE_SA_INIT request from the initiator carrying SA, KE, Nonce and then `notifies` in
 * order, and a bare SA/KE/Nonce answer. */
static bool guess(const uint16_t *notifies, size_t n, struct an_fingerprint *fp, char *tokens, size_t tlen)
{
    struct ike_payload req[16] = { { .type = IKE2_PL_SA }, { .type = IKE2_PL_KE }, { .type = IKE2_PL_NONCE } };
    for (size_t i = 0; i < n; i++)
        req[3 + i] = (struct ike_payload){ .type = IKE2_PL_NOTIFY, .notify_type = notifies[i] };
    struct ike_payload rsp[] = { { .type = IKE2_PL_SA }, { .type = IKE2_PL_KE }, { .type = IKE2_PL_NONCE } };
    struct ike_sa_msg msgs[2];
    memset(msgs, 0, sizeof msgs);
    msgs[0].msg.exchange = EXCH_SA_INIT;
    msgs[0].from_initiator = true;
    msgs[0].msg.payloads = req;
    msgs[0].msg.npayloads = 3 + n;
    msgs[1].msg.exchange = EXCH_SA_INIT;
    msgs[1].response = true;
    msgs[1].msg.payloads = rsp;
    msgs[1].msg.npayloads = 3;
    msgs[0].peer = msgs[1].peer = -1;
    struct ike_sa sa = { .id = 1, .version = 2, .msgs = msgs, .nmsgs = 2 };
    an_fingerprint_tokens(&sa, true, tokens, tlen);
    return an_fingerprint_side(&sa, true, fp);
}

/* iOS 10, iOS 16 and macOS 10.12 as strongSwan logged them:
 * "[ SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]". */
Test(fingerprint, apple_client)
{
    const uint16_t seq[] = { RS, NS, ND, FR };
    struct an_fingerprint fp;
    char tok[64];
    cr_assert(guess(seq, 4, &fp, tok, sizeof tok));
    cr_assert_str_eq(tok, "RS NS ND FR");
    cr_assert(strstr(fp.name, "Apple"), "%s", fp.name);
    cr_assert(strstr(fp.basis, "RS NS ND FR"), "%s", fp.basis);
}

/* The same after a COOKIE round trip: the cookie notify comes first (RFC 7296 §2.6). */
Test(fingerprint, apple_client_after_cookie)
{
    const uint16_t seq[] = { CK, RS, NS, ND, FR };
    struct an_fingerprint fp;
    char tok[64];
    cr_assert(guess(seq, 5, &fp, tok, sizeof tok));
    cr_assert(strstr(fp.name, "Apple"), "%s", fp.name);
}

/* strongSwan and its Android app: "[ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP)
 * N(HASH_ALG) N(REDIR_SUP) ]": the same notifies as Apple's in another order. */
Test(fingerprint, strongswan_and_its_android_app)
{
    const uint16_t seq[] = { NS, ND, FR, SH, RS };
    struct an_fingerprint fp;
    char tok[64];
    cr_assert(guess(seq, 5, &fp, tok, sizeof tok));
    cr_assert_str_eq(fp.name, "strongSwan");
    cr_assert(strstr(fp.basis, "Android"), "%s", fp.basis);
}

Test(fingerprint, libreswan_initiator)
{
    const uint16_t seq[] = { FR, SH, NS, ND };
    struct an_fingerprint fp;
    char tok[64];
    cr_assert(guess(seq, 4, &fp, tok, sizeof tok));
    cr_assert_str_eq(fp.name, "libreswan");
}

/* Near misses name nothing: Apple's order with signature hashes added, strongSwan's with
 * REDIRECT_SUPPORTED moved, and a responder-only notify in a request. */
Test(fingerprint, near_misses_name_nothing)
{
    const uint16_t a[] = { RS, NS, ND, FR, SH };
    const uint16_t b[] = { NS, RS, ND, FR };
    const uint16_t c[] = { NS, ND, FR, CL, MA };
    struct an_fingerprint fp;
    char tok[64];
    cr_assert_not(guess(a, 5, &fp, tok, sizeof tok), "%s", tok);
    cr_assert_not(guess(b, 4, &fp, tok, sizeof tok), "%s", tok);
    cr_assert_not(guess(c, 5, &fp, tok, sizeof tok), "%s", tok);
}

/* No notify at all: nothing to read, no guess. */
Test(fingerprint, no_notifies_no_guess)
{
    struct an_fingerprint fp;
    char tok[64];
    cr_assert_not(guess(NULL, 0, &fp, tok, sizeof tok));
    cr_assert_str_eq(tok, "");
}
