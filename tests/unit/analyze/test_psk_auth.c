/* test_psk_auth.c: IKEv2 shared-key AUTH (RFC 7296 §2.15) recomputed from a real lab
 * exchange, candidate files, and the psk.mismatch / psk.matched findings. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/psk_auth.h"
#include "analyze/rules_psk.h"
#include "ike/crypto/prf.h"

/*
 * Worked example: the initiator's AUTH of pcaps/ikev2-psk-aesgcm (PRF_HMAC_SHA2_256),
 * derived without ikescope from the capture and the initiator's charon log (ike=4), and
 * equal to the "AUTH = prf(prf(secret, keypad), octets)" that charon logged:
 *
 *   import hmac, hashlib, struct
 *   def udp_payloads(path):                     # libpcap, Ethernet, IPv4, UDP port 500
 *       d = open(path, 'rb').read(); off = 24
 *       while off < len(d):
 *           _, _, incl, _ = struct.unpack('<IIII', d[off:off+16])
 *           pkt = d[off+16:off+16+incl]; off += 16 + incl
 *           ip = pkt[14:]
 *           if ip[0] >> 4 != 4 or ip[9] != 17: continue
 *           udp = ip[(ip[0] & 15) * 4:]
 *           if 500 in struct.unpack('>HH', udp[0:4]):
 *               yield udp[8:struct.unpack('>H', udp[4:6])[0]]
 *   def payloads(msg):
 *       nxt, off = msg[16], 28
 *       while nxt:
 *           ln = struct.unpack('>H', msg[off+2:off+4])[0]
 *           yield nxt, msg[off+4:off+ln]; nxt = msg[off]; off += ln
 *   P = 'pcaps/ikev2-psk-aesgcm/'
 *   req, resp = [m for m in udp_payloads(P + 'capture.pcap') if m[18] == 34][:2]
 *   nr = dict(payloads(resp))[40]                                 # Nr data
 *   sk_pi = bytes.fromhex('D4A9D634D0EDD23733B03501CE5D3E2358B54573ADA24F21C83109E37163BA8D')
 *   idi = bytes([2, 0, 0, 0]) + b'moon.lab.ikescope.test'         # FQDN, RESERVED, data
 *   prf = lambda k, m: hmac.new(k, m, hashlib.sha256).digest()
 *   auth = prf(prf(b'ikescope-lab-psk-0123456789', b'Key Pad for IKEv2'), req + nr + prf(sk_pi, idi))
 *   print(req.hex(), nr.hex(), auth.hex())
 *   # auth == 94481ac3...d05d1b05, the value in charon-initiator.log
 */
static const char req_hex[] =
    "bafa185c8ea448fd000000000000000021202208000000000000010822000028"
    "00000024010100030300000c01000014800e0100030000080200000500000008"
    "0400001328000048001300008c7a85476685b615e2f51da58451922050439866"
    "755be0545e307a19c7236ea474687d08855eb04fcb30f54661ef4ddfac1622dd"
    "0ffc019889bfba76e4ccc90529000024943bb13d49546b751bc280c320022eed"
    "c5927056a43d56dc6b9b589b3c7239892900001c00004004668c5c047ae90f99"
    "16c44390f66b2095b1d8df992900001c000040050632bf7b665ef81138db5100"
    "9b14cae834eed241290000080000402e290000100000402f0002000300040005"
    "0000000800004016";
static const char nr_hex[] = "683765e810ee56ace1b2d18ae0839fc1806c359887a4bdeb5a99d0ed28dcc2c5";
static const char sk_pi_hex[] = "d4a9d634d0edd23733b03501ce5d3e2358b54573ada24f21c83109e37163ba8d";
static const char auth_hex[] = "94481ac3b4ec6273869268b64c33ef672551726084eb90dde65a1486d05d1b05";
static const char psk[] = "ikescope-lab-psk-0123456789";
static const char idi[] = "\x02\x00\x00\x00moon.lab.ikescope.test";

static uint8_t *unhex(const char *h, size_t *n)
{
    *n = strlen(h) / 2;
    uint8_t *b = malloc(*n);
    cr_assert_not_null(b);
    for (size_t i = 0; i < *n; i++) {
        unsigned v;
        cr_assert_eq(sscanf(h + 2 * i, "%2x", &v), 1);
        b[i] = (uint8_t)v;
    }
    return b;
}

static void compute(const char *key, uint8_t out[IKE_PRF_MAX_OUT], size_t *out_len)
{
    size_t rl, nl, kl;
    uint8_t *req = unhex(req_hex, &rl), *nr = unhex(nr_hex, &nl), *sk = unhex(sk_pi_hex, &kl);
    cr_assert_eq(rl, 264);
    cr_assert_eq(an_psk_auth_compute(IKE_PRF_HMAC_SHA2_256, (const uint8_t *)key, strlen(key), req, rl, nr, nl,
                                     sk, kl, (const uint8_t *)idi, sizeof idi - 1, out, out_len),
                 IKE_PRF_OK);
    free(req);
    free(nr);
    free(sk);
}

Test(psk_auth, lab_initiator_auth_matches_the_right_key)
{
    uint8_t out[IKE_PRF_MAX_OUT];
    size_t n, al;
    uint8_t *want = unhex(auth_hex, &al);
    compute(psk, out, &n);
    cr_assert_eq(n, 32);
    cr_assert_eq(memcmp(out, want, al), 0);
    free(want);
}

Test(psk_auth, another_key_gives_another_auth)
{
    uint8_t out[IKE_PRF_MAX_OUT];
    size_t n, al;
    uint8_t *want = unhex(auth_hex, &al);
    compute("a-different-secret-987654321", out, &n);
    cr_assert_eq(n, 32);
    cr_assert_neq(memcmp(out, want, al), 0);
    free(want);
}

Test(psk_auth, unknown_prf_is_refused)
{
    uint8_t out[IKE_PRF_MAX_OUT];
    size_t n;
    cr_assert_eq(an_psk_auth_compute(99, (const uint8_t *)"k", 1, NULL, 0, NULL, 0, (const uint8_t *)"s", 1,
                                     NULL, 0, out, &n),
                 IKE_PRF_UNSUPPORTED);
}

Test(psk_auth, file_one_candidate_per_line)
{
    char path[] = "/tmp/ikescope-psk-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("first\r\n\nsecond\nthird", f);
    fclose(f);
    struct an_psk_list l = { 0 };
    char err[256] = "";
    cr_assert_eq(an_psk_load_file(&l, path, err, sizeof err), AN_PSK_OK, "%s", err);
    remove(path);
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.v[0].key.len, 5);
    cr_assert_eq(memcmp(l.v[0].key.p, "first", 5), 0);
    cr_assert_eq(memcmp(l.v[2].key.p, "third", 5), 0);
    cr_assert(strstr(l.v[1].origin, "line 3 of --psk-file"), "%s", l.v[1].origin);
    an_psk_list_cleanup(&l);
    cr_assert_eq(an_psk_load_file(&l, "/nonexistent/psks", err, sizeof err), AN_PSK_IO);
    cr_assert(strstr(err, "/nonexistent/psks"), "%s", err);
}

static const struct an_finding *find(const struct an_findings *f, const char *rule)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].rule, rule) == 0)
            return &f->v[i];
    return NULL;
}

Test(psk_auth, one_side_matching_names_the_other_as_different)
{
    struct ike_sa sa = { .id = 1, .version = 2 };
    struct ike_sa_msg m = { .frames = NULL };
    struct an_psk_checks ck = { .ncandidates = 2 };
    ck.side[1] = (struct an_psk_side){ .result = AN_PSK_NO_MATCH, .auth_msg = &m };
    ck.side[0] = (struct an_psk_side){ .result = AN_PSK_MATCHED, .candidate = 2, .auth_msg = &m };
    struct an_findings out = { 0 };
    an_rules_psk(&sa, &ck, &out);
    const struct an_finding *mm = find(&out, "psk.mismatch"), *ok = find(&out, "psk.matched");
    cr_assert_not_null(mm);
    cr_assert_eq(mm->severity, AN_SEV_ERROR);
    cr_assert_eq(mm->windows_code, 13801);
    cr_assert(strstr(mm->title, "initiator used a different pre-shared key"), "%s", mm->title);
    cr_assert(strstr(mm->detail, "candidate 2"), "%s", mm->detail);
    cr_assert_not_null(ok);
    cr_assert_eq(ok->severity, AN_SEV_INFO);
    an_findings_cleanup(&out);
}

Test(psk_auth, both_matching_is_information_only)
{
    struct ike_sa sa = { .id = 1, .version = 2 };
    struct ike_sa_msg m = { .frames = NULL };
    struct an_psk_checks ck = { .ncandidates = 1 };
    ck.side[1] = (struct an_psk_side){ .result = AN_PSK_MATCHED, .candidate = 1, .auth_msg = &m };
    ck.side[0] = ck.side[1];
    struct an_findings out = { 0 };
    an_rules_psk(&sa, &ck, &out);
    cr_assert_eq(out.n, 1);
    cr_assert_str_eq(out.v[0].rule, "psk.matched");
    cr_assert(strstr(out.v[0].title, "Both sides used candidate PSK 1"), "%s", out.v[0].title);
    an_findings_cleanup(&out);
}

Test(psk_auth, nothing_checkable_means_no_finding)
{
    struct ike_sa sa = { .id = 1, .version = 2 };
    struct an_psk_checks ck = { 0 };
    ck.side[1].result = AN_PSK_UNVERIFIABLE;
    struct an_findings out = { 0 };
    an_rules_psk(&sa, &ck, &out);
    cr_assert_eq(out.n, 0);
}
