/* test_tracker.c: SA grouping, pairing, retransmissions, retries, NAT-T and outcomes
 * over IKEv2/IKEv1 messages built in the test. */
#include <criterion/criterion.h>
#include <string.h>

#include "ike/sa.h"

#define MAX_SAS 8

struct seen {
    unsigned n;
    enum ike_outcome outcome[MAX_SAS];
    size_t nmsgs[MAX_SAS];
    bool retrans[MAX_SAS][16];
    bool retry[MAX_SAS][16];
    int peer[MAX_SAS][16];
    bool natt[MAX_SAS];
    char evidence[MAX_SAS][200];
    uint8_t spi_i[MAX_SAS][8];
    size_t nicmp[MAX_SAS];
    uint8_t initiator_last_octet[MAX_SAS];
    uint16_t initiator_port[MAX_SAS];
    bool icmp_about_initiator[MAX_SAS];
    uint64_t icmp_frame[MAX_SAS];
    unsigned id[MAX_SAS], continues[MAX_SAS];
    int64_t continues_after[MAX_SAS];
};

static void on_done(void *ctx, const struct ike_sa *sa)
{
    struct seen *s = ctx;
    if (s->n >= MAX_SAS)
        return;
    s->outcome[s->n] = sa->outcome;
    s->nmsgs[s->n] = sa->nmsgs;
    s->natt[s->n] = sa->natt_moved;
    memcpy(s->spi_i[s->n], sa->spi_i, 8);
    strcpy(s->evidence[s->n], sa->evidence);
    s->nicmp[s->n] = sa->nicmp;
    s->id[s->n] = sa->id;
    s->continues[s->n] = sa->continues;
    s->continues_after[s->n] = sa->continues_after_sec;
    s->initiator_last_octet[s->n] = sa->initiator.addr.bytes[3];
    s->initiator_port[s->n] = sa->initiator.port;
    if (sa->nicmp) {
        s->icmp_about_initiator[s->n] = sa->icmp[0].about_initiator_msg;
        s->icmp_frame[s->n] = sa->icmp[0].frame;
    }
    for (size_t i = 0; i < sa->nmsgs && i < 16; i++) {
        s->retrans[s->n][i] = sa->msgs[i].retransmission;
        s->retry[s->n][i] = sa->msgs[i].retry;
        s->peer[s->n][i] = sa->msgs[i].peer;
    }
    s->n++;
}

/* Builds an IKE header plus payloads given as (type, body, len) into buf. */
struct pl {
    uint8_t type;
    const uint8_t *body;
    size_t len;
};

static size_t build(uint8_t *buf, uint8_t version, const uint8_t spi_i[8], const uint8_t spi_r[8],
                    uint8_t exch, uint8_t flags, uint32_t msg_id, const struct pl *pls, size_t n)
{
    size_t off = 28;
    for (size_t i = 0; i < n; i++) {
        buf[off] = i + 1 < n ? pls[i + 1].type : 0;
        buf[off + 1] = 0;
        size_t plen = 4 + pls[i].len;
        buf[off + 2] = (uint8_t)(plen >> 8);
        buf[off + 3] = (uint8_t)plen;
        memcpy(buf + off + 4, pls[i].body, pls[i].len);
        off += plen;
    }
    memcpy(buf, spi_i, 8);
    memcpy(buf + 8, spi_r, 8);
    buf[16] = n ? pls[0].type : 0;
    buf[17] = (uint8_t)(version << 4);
    buf[18] = exch;
    buf[19] = flags;
    buf[20] = (uint8_t)(msg_id >> 24);
    buf[21] = (uint8_t)(msg_id >> 16);
    buf[22] = (uint8_t)(msg_id >> 8);
    buf[23] = (uint8_t)msg_id;
    buf[24] = (uint8_t)(off >> 24);
    buf[25] = (uint8_t)(off >> 16);
    buf[26] = (uint8_t)(off >> 8);
    buf[27] = (uint8_t)off;
    return off;
}

static const uint8_t SPI_A[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t SPI_B[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
static const uint8_t SPI_C[8] = { 7, 7, 7, 7, 7, 7, 7, 7 };
static const uint8_t ZERO[8];
static const uint8_t NONCE[16] = { 0xaa };
static const uint8_t KE19[8] = { 0, 19, 0, 0, 1, 2, 3, 4 };
static const uint8_t KE14[8] = { 0, 14, 0, 0, 5, 6, 7, 8 };
static const uint8_t N_INVALID_KE[6] = { 0, 0, 0, 17, 0, 19 };
static const uint8_t N_NO_PROPOSAL[4] = { 0, 0, 0, 14 };
static const uint8_t SK_BODY[32] = { 0x11 };

static uint64_t frame_no;

static void feed(struct ike_tracker *t, const uint8_t *msg, size_t len, bool from_i, int64_t sec,
                 uint16_t iport, uint16_t rport)
{
    struct cap_ike_datagram d = { 0 };
    d.src.family = d.dst.family = 4;
    uint8_t ia[4] = { 192, 0, 2, 1 }, ra[4] = { 198, 51, 100, 7 };
    memcpy(from_i ? d.src.bytes : d.dst.bytes, ia, 4);
    memcpy(from_i ? d.dst.bytes : d.src.bytes, ra, 4);
    d.sport = from_i ? iport : rport;
    d.dport = from_i ? rport : iport;
    d.ts_sec = sec;
    d.data = msg;
    d.len = len;
    uint64_t f = ++frame_no;
    d.frames = &f;
    d.nframes = 1;
    d.framing = CAP_FRAMING_UDP;
    ike_tracker_datagram(t, &d);
}

/* IKE_SA_INIT and IKE_AUTH (encrypted), request and response each, into m[0..3]. */
static void build_setup(uint8_t m[][256], size_t *n)
{
    struct pl init[] = { { 33, NONCE, 8 }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    struct pl sk[] = { { 46, SK_BODY, 32 } };
    n[0] = build(m[0], 2, SPI_A, ZERO, 34, 0x08, 0, init, 3);
    n[1] = build(m[1], 2, SPI_A, SPI_B, 34, 0x20, 0, init, 3);
    n[2] = build(m[2], 2, SPI_A, SPI_B, 35, 0x08, 1, sk, 1);
    n[3] = build(m[3], 2, SPI_A, SPI_B, 35, 0x20, 1, sk, 1);
}

/* An IKE_SA_INIT request with SPIi `spi` (responder SPI zero) into m; returns its length. */
static size_t build_init_request(uint8_t *m, const uint8_t spi[8])
{
    struct pl init[] = { { 33, NONCE, 8 }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    return build(m, 2, spi, ZERO, 34, 0x08, 0, init, 3);
}

/* build_setup, then an INFORMATIONAL exchange (a DPD) into m[4..5]. */
static void build_setup_and_dpd(uint8_t m[][256], size_t *n)
{
    struct pl sk[] = { { 46, SK_BODY, 32 } };
    build_setup(m, n);
    n[4] = build(m[4], 2, SPI_A, SPI_B, 37, 0x08, 2, sk, 1);
    n[5] = build(m[5], 2, SPI_A, SPI_B, 37, 0x20, 2, sk, 1);
}

static struct ike_tracker *tracker(struct seen *s)
{
    struct ike_tracker *t;
    memset(s, 0, sizeof *s);
    cr_assert_eq(ike_tracker_new(&t, NULL, NULL, on_done, s), 0);
    return t;
}

Test(tracker, init_retransmitted_then_silence_is_incomplete)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[256];
    size_t n = build_init_request(m, SPI_A);
    for (int i = 0; i < 3; i++)
        feed(t, m, n, true, 100 + i, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.nmsgs[0], 3);
    cr_assert_not(s.retrans[0][0]);
    cr_assert(s.retrans[0][1] && s.retrans[0][2]);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_INCOMPLETE);
    cr_assert(strstr(s.evidence[0], "IKE_SA_INIT") && strstr(s.evidence[0], "3 times"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

Test(tracker, no_proposal_chosen_fails)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t req[256], rsp[256];
    struct pl rq[] = { { 33, NONCE, 8 }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    struct pl rs[] = { { 41, N_NO_PROPOSAL, 4 } };
    size_t nq = build(req, 2, SPI_A, ZERO, 34, 0x08, 0, rq, 3);
    size_t ns = build(rsp, 2, SPI_A, ZERO, 34, 0x20, 0, rs, 1);
    feed(t, req, nq, true, 10, 500, 500);
    feed(t, rsp, ns, false, 10, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_FAILED);
    cr_assert(strstr(s.evidence[0], "NO_PROPOSAL_CHOSEN"), "%s", s.evidence[0]);
    cr_assert_eq(s.peer[0][0], 1);
    cr_assert_eq(s.peer[0][1], 0);
    ike_tracker_free(t);
}

Test(tracker, invalid_ke_retry_with_new_spi_is_one_attempt)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t a[256], b[256], c[256], d[256], e[256];
    struct pl r1[] = { { 33, NONCE, 8 }, { 34, KE14, 8 }, { 40, NONCE, 16 } };
    struct pl n1[] = { { 41, N_INVALID_KE, 6 } };
    struct pl r2[] = { { 33, NONCE, 8 }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    size_t na = build(a, 2, SPI_A, ZERO, 34, 0x08, 0, r1, 3);
    size_t nb = build(b, 2, SPI_A, ZERO, 34, 0x20, 0, n1, 1);
    size_t nc = build(c, 2, SPI_C, ZERO, 34, 0x08, 0, r2, 3);
    size_t nd = build(d, 2, SPI_C, SPI_B, 34, 0x20, 0, r2, 3);
    struct pl sk[] = { { 46, SK_BODY, 32 } };
    size_t ne = build(e, 2, SPI_C, SPI_B, 35, 0x08, 1, sk, 1);
    feed(t, a, na, true, 1, 500, 500);
    feed(t, b, nb, false, 1, 500, 500);
    feed(t, c, nc, true, 2, 500, 500);
    feed(t, d, nd, false, 2, 500, 500);
    /* IKE_AUTH moves to 4500 (NAT-T) and goes unanswered. */
    feed(t, e, ne, true, 3, 4500, 4500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1, "the retry must stay in the same SA");
    cr_assert_eq(s.nmsgs[0], 5);
    cr_assert(s.retry[0][2]);
    cr_assert(s.natt[0]);
    cr_assert_eq(memcmp(s.spi_i[0], SPI_C, 8), 0);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_INCOMPLETE);
    cr_assert(strstr(s.evidence[0], "IKE_AUTH"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

Test(tracker, encrypted_auth_answered_then_child_sa_is_established)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[6][256];
    size_t n[6];
    build_setup(m, n);
    struct pl sk[] = { { 46, SK_BODY, 32 } };
    n[4] = build(m[4], 2, SPI_A, SPI_B, 36, 0x08, 2, sk, 1);
    n[5] = build(m[5], 2, SPI_A, SPI_B, 36, 0x20, 2, sk, 1);
    for (int i = 0; i < 6; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5 + i, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_ESTABLISHED, "%s", s.evidence[0]);
    cr_assert_eq(s.peer[0][4], 5);
    ike_tracker_free(t);
}

Test(tracker, encrypted_auth_answered_alone_is_unknown)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][256];
    size_t n[4];
    build_setup(m, n);
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN);
    cr_assert(strstr(s.evidence[0], "--keys"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

Test(tracker, separate_spis_are_separate_sas_and_idle_ones_are_released_early)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t a[256], a2[256], b[256];
    size_t na = build_init_request(a, SPI_A);
    struct pl init[] = { { 33, NONCE, 8 }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    size_t na2 = build(a2, 2, SPI_A, SPI_B, 34, 0x20, 0, init, 3);
    size_t nb = build_init_request(b, SPI_C);
    feed(t, a, na, true, 0, 500, 500);
    feed(t, a2, na2, false, 0, 500, 500);
    /* Ten minutes later: the first SA, which both sides spoke in, is reported before the
     * end of input. */
    feed(t, b, nb, true, 600, 500, 500);
    cr_assert_eq(s.n, 1, "the idle SA must be released while streaming");
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 2);
    ike_tracker_free(t);
}

Test(tracker, a_one_sided_idle_sa_is_held_and_a_day_later_message_joins_it)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t a[256], c[256], m[256];
    size_t na = build_init_request(a, SPI_A);
    size_t nc = build_init_request(c, SPI_C);
    struct pl sk[] = { { 46, SK_BODY, 32 } };
    size_t nm = build(m, 2, SPI_A, SPI_B, 35, 0x08, 1, sk, 1);
    feed(t, a, na, true, 0, 500, 500);
    feed(t, c, nc, true, 600, 500, 500); /* the first has gone idle: held back, not reported */
    cr_assert_eq(s.n, 0);
    /* A day later the initiator's IKE_AUTH, with the responder's SPI: the same SA. */
    feed(t, m, nm, true, 86400, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.id[0], 1);
    cr_assert_eq(s.nmsgs[0], 2);
    cr_assert_eq(s.continues[0], 0);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN, "%s", s.evidence[0]);
    cr_assert(strstr(s.evidence[0], "one direction"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

Test(tracker, ikev1_main_mode_pairs_by_order)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][256];
    size_t n[4];
    struct pl sa[] = { { 1, NONCE, 16 } };
    struct pl ke[] = { { 4, NONCE, 16 }, { 10, NONCE, 16 } };
    n[0] = build(m[0], 1, SPI_A, ZERO, 2, 0, 0, sa, 1);
    n[1] = build(m[1], 1, SPI_A, SPI_B, 2, 0, 0, sa, 1);
    n[2] = build(m[2], 1, SPI_A, SPI_B, 2, 0, 0, ke, 2);
    n[3] = build(m[3], 1, SPI_A, SPI_B, 2, 0, 0, ke, 2);
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 1, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.peer[0][0], 1);
    cr_assert_eq(s.peer[0][2], 3);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_INCOMPLETE);
    cr_assert(strstr(s.evidence[0], "MAIN_MODE message 4"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

/* An ICMP port unreachable from the responder host about the initiator's datagram. */
static void feed_icmp(struct ike_tracker *t, const uint8_t *quoted, size_t len, int64_t sec,
                      uint16_t iport, uint16_t rport)
{
    struct cap_ike_datagram d = { 0 };
    d.kind = CAP_KIND_ICMP_ERROR;
    d.src.family = d.dst.family = d.icmp.from.family = 4;
    uint8_t ia[4] = { 192, 0, 2, 1 }, ra[4] = { 198, 51, 100, 7 };
    memcpy(d.src.bytes, ia, 4);
    memcpy(d.dst.bytes, ra, 4);
    memcpy(d.icmp.from.bytes, ra, 4);
    d.icmp.type = 3;
    d.icmp.code = 3;
    d.sport = iport;
    d.dport = rport;
    d.ts_sec = sec;
    d.data = quoted;
    d.len = len;
    d.incomplete = true;
    uint64_t f = ++frame_no;
    d.frames = &f;
    d.nframes = 1;
    ike_tracker_datagram(t, &d);
}

Test(tracker, icmp_errors_join_their_sa_by_spi_or_by_endpoints)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t a[256], b[256];
    size_t na = build_init_request(a, SPI_A);
    size_t nb = build_init_request(b, SPI_B);
    frame_no = 0;
    feed(t, a, na, true, 100, 500, 500);       /* frame 1: SA 1, 500 -> 500 */
    feed(t, b, nb, true, 100, 600, 500);       /* frame 2: SA 2, another source port */
    feed_icmp(t, a, 28, 100, 600, 500);        /* frame 3: SA 1 by its SPIs, whatever the ports */
    feed_icmp(t, NULL, 0, 101, 600, 500);      /* frame 4: only the UDP header: SA 2 by ports */
    feed_icmp(t, NULL, 0, 101, 700, 500);      /* frame 5: no SA from that port */
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.nicmp[0], 1);
    cr_assert_eq(s.icmp_frame[0], 3);
    cr_assert(s.icmp_about_initiator[0]);
    cr_assert_eq(s.nicmp[1], 1);
    cr_assert_eq(s.icmp_frame[1], 4);
    cr_assert_eq(s.nmsgs[0], 1, "an ICMP error is not a message of the SA");
    cr_assert_eq(ike_tracker_stats(t)->icmp_unmatched, 1);
    ike_tracker_free(t);
}

/* An ICMP error quoting only the UDP header is matched by endpoints, and the endpoints
 * followed are the current ones: after the NAT-T move to 4500, an error about port 500
 * traffic no longer belongs to the SA, one about 4500 does. */
Test(tracker, icmp_errors_without_spis_follow_the_nat_t_move)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][256];
    size_t n[4];
    build_setup(m, n);
    frame_no = 0;
    feed(t, m[0], n[0], true, 100, 500, 500);    /* frame 1 */
    feed(t, m[1], n[1], false, 100, 500, 500);   /* frame 2 */
    feed(t, m[2], n[2], true, 101, 4500, 4500);  /* frame 3: moved to 4500 */
    feed_icmp(t, NULL, 0, 102, 500, 500);        /* frame 4: old ports, no SA */
    feed_icmp(t, NULL, 0, 102, 4500, 4500);      /* frame 5: this SA */
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.nicmp[0], 1);
    cr_assert_eq(s.icmp_frame[0], 5);
    cr_assert_eq(ike_tracker_stats(t)->icmp_unmatched, 1);
    ike_tracker_free(t);
}

/* Two SAs between the same endpoints (a retry with fresh SPIs, nothing else changed): an
 * error without SPIs goes to the one active most recently. */
Test(tracker, icmp_errors_without_spis_go_to_the_latest_sa_between_the_endpoints)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t a[256], b[256];
    size_t na = build_init_request(a, SPI_A);
    size_t nb = build_init_request(b, SPI_B);
    frame_no = 0;
    feed(t, a, na, true, 100, 500, 500);  /* frame 1: SA 1 */
    feed(t, b, nb, true, 105, 500, 500);  /* frame 2: SA 2, same endpoints, later */
    feed_icmp(t, NULL, 0, 106, 500, 500); /* frame 3 */
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.nicmp[0], 0);
    cr_assert_eq(s.nicmp[1], 1);
    cr_assert_eq(s.icmp_frame[1], 3);
    ike_tracker_free(t);
}

/* An established SA that goes quiet for longer than the tracker keeps idle SAs is reported
 * and released; when its SPIs come back (a DPD hours later) the new record says which one it
 * continues, instead of claiming the capture started after the SA was set up. */
Test(tracker, an_sa_back_after_idle_continues_its_closed_record)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[6][256];
    size_t n[6];
    build_setup_and_dpd(m, n);
    frame_no = 0;
    feed(t, m[0], n[0], true, 100, 500, 500);
    feed(t, m[1], n[1], false, 100, 500, 500);
    feed(t, m[2], n[2], true, 101, 4500, 4500);
    feed(t, m[3], n[3], false, 101, 4500, 4500);
    /* Anything after ten idle periods (20 min by default) closes the quiet SA. */
    feed(t, m[4], n[4], true, 101 + 4 * 3600, 4500, 4500);
    feed(t, m[5], n[5], false, 101 + 4 * 3600, 4500, 4500);
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.continues[0], 0);
    cr_assert_eq(s.continues[1], s.id[0]);
    cr_assert_eq(s.continues_after[1], 4 * 3600);
    cr_assert_eq(s.outcome[1], IKE_OUTCOME_ESTABLISHED);
    cr_assert(strstr(s.evidence[1], "continues IKE SA #1"), "%s", s.evidence[1]);
    ike_tracker_free(t);
}

/* MOBIKE (RFC 4555) or a NAT rebinding: the initiator shows up from another address and
 * port with the same SPIs. Still the same SA, and its endpoint follows. */
Test(tracker, address_change_keeps_the_sa_and_follows_the_initiator)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[6][256];
    size_t n[6];
    build_setup_and_dpd(m, n);
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5 + i, 500, 500);
    /* The INFORMATIONAL exchange from 192.0.2.77:4500. */
    for (int i = 4; i < 6; i++) {
        struct cap_ike_datagram d = { 0 };
        d.src.family = d.dst.family = 4;
        uint8_t ia[4] = { 192, 0, 2, 77 }, ra[4] = { 198, 51, 100, 7 };
        bool from_i = i == 4;
        memcpy(from_i ? d.src.bytes : d.dst.bytes, ia, 4);
        memcpy(from_i ? d.dst.bytes : d.src.bytes, ra, 4);
        d.sport = d.dport = 4500;
        d.ts_sec = 20 + i;
        d.data = m[i];
        d.len = n[i];
        uint64_t f = ++frame_no;
        d.frames = &f;
        d.nframes = 1;
        d.framing = CAP_FRAMING_UDP_NONESP;
        ike_tracker_datagram(t, &d);
    }
    ike_tracker_finish(t);
    cr_assert_eq(s.n, 1, "one SA, not a new one for the new address");
    cr_assert_eq(s.nmsgs[0], 6);
    cr_assert_eq(s.peer[0][4], 5, "the response to the new address answers the request");
    cr_assert_eq(s.initiator_last_octet[0], 77);
    cr_assert_eq(s.initiator_port[0], 4500);
    ike_tracker_free(t);
}

/* --- Outcomes without keys: ESP as evidence, and the shapes of a rejection. --- */

/* One ESP packet between the test hosts: in UDP on `port` (RFC 3948), or IP protocol 50
 * when port is 0. */
static void feed_esp(struct ike_tracker *t, uint32_t spi, bool from_i, int64_t sec, uint16_t port)
{
    uint8_t esp[8] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8), (uint8_t)spi, 0, 0, 0, 1 };
    struct cap_ike_datagram d = { 0 };
    d.kind = CAP_KIND_ESP;
    d.src.family = d.dst.family = 4;
    uint8_t ia[4] = { 192, 0, 2, 1 }, ra[4] = { 198, 51, 100, 7 };
    memcpy(from_i ? d.src.bytes : d.dst.bytes, ia, 4);
    memcpy(from_i ? d.dst.bytes : d.src.bytes, ra, 4);
    d.sport = d.dport = port;
    d.framing = port ? CAP_FRAMING_UDP : CAP_FRAMING_ESP;
    d.ts_sec = sec;
    d.data = esp;
    d.len = sizeof esp;
    uint64_t f = ++frame_no;
    d.frames = &f;
    d.nframes = 1;
    ike_tracker_datagram(t, &d);
}

Test(tracker, esp_after_ike_auth_makes_an_encrypted_sa_established)
{
    for (int raw = 0; raw < 2; raw++) {
        struct seen s;
        struct ike_tracker *t = tracker(&s);
        uint8_t m[4][256];
        size_t n[4];
        build_setup(m, n);
        for (int i = 0; i < 4; i++)
            feed(t, m[i], n[i], i % 2 == 0, 5, 4500, 4500);
        feed_esp(t, 0xc1a2b3d4, true, 6, raw ? 0 : 4500);
        feed_esp(t, 0xc5a6b7d8, false, 6, raw ? 0 : 4500);
        ike_tracker_finish(t);
        cr_assert_eq(s.n, 1);
        cr_assert_eq(s.outcome[0], IKE_OUTCOME_ESTABLISHED, "%s", s.evidence[0]);
        cr_assert(strstr(s.evidence[0], "2 ESP packets") && strstr(s.evidence[0], "0xc1a2b3d4") &&
                      strstr(s.evidence[0], "both ways"),
                  "%s", s.evidence[0]);
        ike_tracker_free(t);
    }
}

Test(tracker, esp_before_ike_auth_is_not_evidence)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][256];
    size_t n[4];
    build_setup(m, n);
    for (int i = 0; i < 3; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5, 500, 500);
    feed_esp(t, 0x01020304, true, 5, 0); /* an older SA's traffic between the same hosts */
    feed(t, m[3], n[3], false, 5, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN, "%s", s.evidence[0]);
    ike_tracker_free(t);
}

/* An SA payload choosing AES-CBC-256 / PRF-HMAC-SHA256 / HMAC-SHA256-128 / MODP-2048
 * (RFC 7296 §3.3), so that the tracker knows the SK payload layout: IV 16, block 16, ICV 16. */
static const uint8_t SA_AES_CBC[] = {
    0, 0, 0, 44, 1, 1, 0, 4,                          /* last proposal, #1, IKE, no SPI, 4 transforms */
    3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x01, 0x00, /* ENCR_AES_CBC, key length 256 */
    3, 0, 0, 8, 2, 0, 0, 5,                           /* PRF_HMAC_SHA2_256 */
    3, 0, 0, 8, 3, 0, 0, 12,                          /* AUTH_HMAC_SHA2_256_128 */
    0, 0, 0, 8, 4, 0, 0, 14,                          /* MODP-2048 */
};

/* IKE_SA_INIT choosing SA_AES_CBC, then IKE_AUTH whose SK bodies hold `req_ct` and
 * `resp_ct` bytes of ciphertext (plus IV and ICV) into m[0..3]. */
static void build_cbc_setup(uint8_t m[][2048], size_t *n, size_t req_ct, size_t resp_ct)
{
    static uint8_t sk[16 + 1600 + 16];
    struct pl init[] = { { 33, SA_AES_CBC, sizeof SA_AES_CBC }, { 34, KE19, 8 }, { 40, NONCE, 16 } };
    struct pl rq[] = { { 46, sk, 16 + req_ct + 16 } };
    struct pl rs[] = { { 46, sk, 16 + resp_ct + 16 } };
    n[0] = build(m[0], 2, SPI_A, ZERO, 34, 0x08, 0, init, 3);
    n[1] = build(m[1], 2, SPI_A, SPI_B, 34, 0x20, 0, init, 3);
    n[2] = build(m[2], 2, SPI_A, SPI_B, 35, 0x08, 1, rq, 1);
    n[3] = build(m[3], 2, SPI_A, SPI_B, 35, 0x20, 1, rs, 1);
}

Test(tracker, notify_sized_ike_auth_response_is_a_likely_rejection)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][2048];
    size_t n[4];
    build_cbc_setup(m, n, 400, 16); /* 16 bytes: one 8-byte notify, padding, Pad Length */
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN, "%s", s.evidence[0]);
    cr_assert(strstr(s.evidence[0], "likely failed") && strstr(s.evidence[0], "responder refused"), "%s",
              s.evidence[0]);
    ike_tracker_free(t);
}

Test(tracker, a_response_with_room_for_auth_is_not_a_rejection)
{
    struct seen s;
    struct ike_tracker *t = tracker(&s);
    uint8_t m[4][2048];
    size_t n[4];
    build_cbc_setup(m, n, 400, 32); /* room for more than one bare notify */
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5, 500, 500);
    ike_tracker_finish(t);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN);
    cr_assert_null(strstr(s.evidence[0], "likely"), "%s", s.evidence[0]);
    ike_tracker_free(t);
}

/* After IKE_AUTH: one INFORMATIONAL request of `ct` ciphertext bytes from the initiator,
 * `delay` seconds later, answered empty. */
static void run_informational_after_auth(struct seen *s, size_t ct, int64_t delay)
{
    struct ike_tracker *t = tracker(s);
    uint8_t m[6][2048];
    size_t n[6];
    static uint8_t sk[16 + 64 + 16];
    build_cbc_setup(m, n, 1200, 300);
    struct pl rq[] = { { 46, sk, 16 + ct + 16 } };
    struct pl rs[] = { { 46, sk, 16 + 16 + 16 } };
    n[4] = build(m[4], 2, SPI_A, SPI_B, 37, 0x08, 2, rq, 1);
    n[5] = build(m[5], 2, SPI_A, SPI_B, 37, 0x20, 2, rs, 1);
    for (int i = 0; i < 4; i++)
        feed(t, m[i], n[i], i % 2 == 0, 5, 500, 500);
    feed(t, m[4], n[4], true, 5 + delay, 500, 500);
    feed(t, m[5], n[5], false, 5 + delay, 500, 500);
    ike_tracker_finish(t);
    ike_tracker_free(t);
}

Test(tracker, one_short_informational_right_after_auth_is_a_likely_rejection_not_success)
{
    struct seen s;
    run_informational_after_auth(&s, 16, 0);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN, "%s", s.evidence[0]);
    cr_assert(strstr(s.evidence[0], "likely failed") && strstr(s.evidence[0], "initiator sent one INFORMATIONAL"),
              "%s", s.evidence[0]);
}

Test(tracker, an_informational_after_a_pause_shows_the_sa_was_up)
{
    struct seen s;
    run_informational_after_auth(&s, 16, 60);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_ESTABLISHED, "%s", s.evidence[0]);
    cr_assert(strstr(s.evidence[0], "after a pause"), "%s", s.evidence[0]);
}

Test(tracker, a_longer_informational_right_after_auth_stays_unknown)
{
    struct seen s;
    run_informational_after_auth(&s, 48, 0);
    cr_assert_eq(s.outcome[0], IKE_OUTCOME_UNKNOWN, "%s", s.evidence[0]);
    cr_assert_null(strstr(s.evidence[0], "likely"), "%s", s.evidence[0]);
}
