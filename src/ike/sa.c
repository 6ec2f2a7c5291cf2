/* sa.c: groups IKE messages into SAs by SPI pair, follows NAT-T port moves, pairs
 * requests with responses, marks retransmissions and retries (RFC 7296 §2.1, §2.2,
 * §2.6, §1.2 INVALID_KE_PAYLOAD; RFC 2408 §3.1 cookies). Memory is bounded by live SAs. */
#include "ike/sa.h"

#include <stdlib.h>
#include <string.h>

#include "ike/sa_internal.h"
#include "ike/payloads.h"
#include "ike/vendor.h"

#define SA_HASH_BUCKETS 65536u /* chains stay short up to the 100,000 live-SA cap */
#define RETRANSMIT_SCAN 64u
/* An IKE_SA_INIT from the same initiator this soon after INVALID_KE_PAYLOAD or
 * COOKIE is the same attempt, even when it carries a new SPIi. */
#define RETRY_WINDOW_SEC 30

/* New IKE SA SPIs announced in a decrypted CREATE_CHILD_SA (RFC 7296 §1.3.2):
 * the SA that later shows up with them is the rekeyed successor. */
#define REKEY_NOTES 64
struct rekey_note {
    uint8_t spi[8];
    unsigned old_id;
};

/* SAs closed for being idle (or for the live-SA cap) without a Delete: a later message with
 * their SPIs starts a new record, which says which one it continues. A lossy cache, one slot
 * per SPIi hash, so that looking a new SA up costs one comparison. */
#define IDLE_NOTES 4096u
struct idle_note {
    uint8_t spi_i[8], spi_r[8];
    uint8_t version;
    unsigned id;
    struct ike_time last_seen;
};

/* SAs closed for being idle that only one side ever spoke in: a silent peer, or a capture
 * that sees one direction only, or one message per file days apart. They are held back
 * (judged and reported later) so that a later message with their SPIs joins the same record
 * and can show that the other side did answer. Bounded: the oldest goes when it is full. */
#define PARKED_MAX 256
#define PARKED_FILTER 4096u

/* Answers without their request, by initiator SPI: many hosts answering one SPI are
 * reflection or backscatter (ike_reflection). Lossy, one slot per SPI hash. */
#define REFLECT_NOTES 1024u
struct reflect_note {
    uint8_t spi_i[8];
    uint8_t version;
    unsigned input;
    struct cap_addr target;
    uint64_t count, first_frame;
};

/* SAs whose responder asked for a retry (INVALID_KE_PAYLOAD, COOKIE): the only ones a new
 * IKE_SA_INIT can continue, so the search for one looks here and not at every live SA. */
#define RETRY_WAITING 256

/* Answered CREATE_CHILD_SA exchanges, by host pair. Without keys nobody can read the new
 * SPIs, but an IKE SA that appears out of nowhere between the same hosts just after one
 * (not started by IKE_SA_INIT, which the capture would hold) is the rekeyed successor. */
#define CHILD_NOTES 64
#define REKEY_INFER_SEC 10
struct child_note {
    struct cap_addr a, b;
    unsigned old_id;
    struct ike_time at;
};

struct ike_tracker {
    struct child_note children[CHILD_NOTES];
    size_t next_child;
    struct ike_sa *retry_waiting[RETRY_WAITING];
    size_t nretry_waiting;
    struct rekey_note rekeys[REKEY_NOTES];
    size_t next_rekey;
    struct idle_note idle[IDLE_NOTES];
    struct reflect_note reflect[REFLECT_NOTES];
    struct ike_sa *parked[PARKED_MAX]; /* ring, oldest at parked_head */
    size_t parked_head, nparked;
    /* Parked SAs per SPIi hash: a new SA's first message, which is most messages of a
     * flood, learns in one look that none of the ring is its own. */
    uint16_t parked_by_hash[PARKED_FILTER];
    struct ike_tracker_config cfg;
    const struct ike_keystore *keys;
    ike_sa_done_fn done;
    void *ctx;
    struct ike_sa *buckets[SA_HASH_BUCKETS];    /* by initiator SPI */
    struct ike_sa *ep_buckets[SA_HASH_BUCKETS]; /* by the unordered pair of endpoints */
    struct ike_sa *live_head, *live_tail; /* least recently active first */
    size_t live;
    unsigned next_id;
    struct ike_tracker_stats stats;
    struct ike_input_counts *inputs;
    size_t ninputs;
};

const char *ike_outcome_name(enum ike_outcome o)
{
    static const char *const names[] = {
        [IKE_OUTCOME_UNKNOWN] = "unknown",
        [IKE_OUTCOME_ESTABLISHED] = "established",
        [IKE_OUTCOME_FAILED] = "failed",
        [IKE_OUTCOME_INCOMPLETE] = "incomplete",
    };
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "unknown";
}

void ike_tracker_config_defaults(struct ike_tracker_config *cfg)
{
    cfg->idle_timeout_sec = 120;
    cfg->max_live_sas = 100000;
    cfg->max_msgs_per_sa = 512;
}

int ike_tracker_new(struct ike_tracker **out, const struct ike_tracker_config *cfg,
                    const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx)
{
    struct ike_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    if (cfg)
        t->cfg = *cfg;
    else
        ike_tracker_config_defaults(&t->cfg);
    t->keys = keys;
    t->done = done;
    t->ctx = ctx;
    t->next_id = 1;
    *out = t;
    return 0;
}

static unsigned spi_hash(const uint8_t spi[8])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 8; i++)
        h = (h ^ spi[i]) * 16777619u;
    return h % SA_HASH_BUCKETS;
}

static bool spi_zero(const uint8_t spi[8])
{
    static const uint8_t zero[8];
    return memcmp(spi, zero, 8) == 0;
}

static void hash_insert(struct ike_tracker *t, struct ike_sa *sa)
{
    unsigned b = spi_hash(sa->spi_i);
    sa->hash_next = t->buckets[b];
    t->buckets[b] = sa;
}

static void hash_remove(struct ike_tracker *t, struct ike_sa *sa)
{
    struct ike_sa **pp = &t->buckets[spi_hash(sa->spi_i)];
    while (*pp && *pp != sa)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = sa->hash_next;
    sa->hash_next = NULL;
}

static uint32_t endpoint_hash(const struct cap_addr *a, uint16_t port)
{
    uint32_t h = 2166136261u;
    size_t n = a->family == 6 ? 16 : 4;
    for (size_t i = 0; i < n; i++)
        h = (h ^ a->bytes[i]) * 16777619u;
    h = (h ^ (port >> 8)) * 16777619u;
    return (h ^ (port & 0xff)) * 16777619u;
}

/* Symmetric, so that a datagram in either direction finds the SA. */
static unsigned endpoint_pair_hash(const struct cap_addr *a, uint16_t aport, const struct cap_addr *b,
                                   uint16_t bport)
{
    return (endpoint_hash(a, aport) + endpoint_hash(b, bport)) % SA_HASH_BUCKETS;
}

/* Each chain holds the most recently active SA first: a message moves its SA to the front
 * (ep_touch), so the first SA of a chain between given endpoints is the latest one. */
static void ep_insert(struct ike_tracker *t, struct ike_sa *sa)
{
    sa->ep_bucket = endpoint_pair_hash(&sa->initiator.addr, sa->initiator.port, &sa->responder.addr,
                                       sa->responder.port);
    sa->ep_prev = NULL;
    sa->ep_next = t->ep_buckets[sa->ep_bucket];
    if (sa->ep_next)
        sa->ep_next->ep_prev = sa;
    t->ep_buckets[sa->ep_bucket] = sa;
}

/* By the bucket it was filed under, which stays right after the endpoints move. */
static void ep_remove(struct ike_tracker *t, struct ike_sa *sa)
{
    if (sa->ep_prev)
        sa->ep_prev->ep_next = sa->ep_next;
    else if (t->ep_buckets[sa->ep_bucket] == sa)
        t->ep_buckets[sa->ep_bucket] = sa->ep_next;
    if (sa->ep_next)
        sa->ep_next->ep_prev = sa->ep_prev;
    sa->ep_prev = sa->ep_next = NULL;
}

/* After a message: refiled under its current endpoints, at the front of its chain. */
static void ep_touch(struct ike_tracker *t, struct ike_sa *sa)
{
    ep_remove(t, sa);
    ep_insert(t, sa);
}

static void live_unlink(struct ike_tracker *t, struct ike_sa *sa)
{
    if (sa->live_prev)
        sa->live_prev->live_next = sa->live_next;
    else
        t->live_head = sa->live_next;
    if (sa->live_next)
        sa->live_next->live_prev = sa->live_prev;
    else
        t->live_tail = sa->live_prev;
    sa->live_prev = sa->live_next = NULL;
}

static void live_append(struct ike_tracker *t, struct ike_sa *sa)
{
    sa->live_prev = t->live_tail;
    sa->live_next = NULL;
    if (t->live_tail)
        t->live_tail->live_next = sa;
    else
        t->live_head = sa;
    t->live_tail = sa;
}

static void sa_free(struct ike_sa *sa)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        ike_msg_cleanup(&sa->msgs[i].msg);
        free(sa->msgs[i].frames);
        free(sa->msgs[i].assembled_frames);
    }
    free(sa->msgs);
    free(sa->icmp);
    ike_sa_crypto_free(sa);
    free(sa);
}

static void retry_forget(struct ike_tracker *t, const struct ike_sa *sa)
{
    for (size_t i = 0; i < t->nretry_waiting; i++)
        if (t->retry_waiting[i] == sa) {
            t->retry_waiting[i] = t->retry_waiting[--t->nretry_waiting];
            return;
        }
}

/* The SA's responder just asked for a retry. When the list is full the oldest request
 * (smallest id) gives way: its retry is then tracked as a new SA. */
static void retry_remember(struct ike_tracker *t, struct ike_sa *sa)
{
    for (size_t i = 0; i < t->nretry_waiting; i++)
        if (t->retry_waiting[i] == sa)
            return;
    if (t->nretry_waiting == RETRY_WAITING) {
        size_t oldest = 0;
        for (size_t i = 1; i < t->nretry_waiting; i++)
            if (t->retry_waiting[i]->id < t->retry_waiting[oldest]->id)
                oldest = i;
        t->retry_waiting[oldest] = t->retry_waiting[--t->nretry_waiting];
    }
    t->retry_waiting[t->nretry_waiting++] = sa;
}

static void idle_remember(struct ike_tracker *t, const struct ike_sa *sa)
{
    struct idle_note *n = &t->idle[spi_hash(sa->spi_i) % IDLE_NOTES];
    memcpy(n->spi_i, sa->spi_i, 8);
    memcpy(n->spi_r, sa->spi_r, 8);
    n->version = sa->version;
    n->id = sa->id;
    n->last_seen = sa->last_seen;
}

/* The closed record a new SA's first message continues: same version and SPIi, and the same
 * SPIr unless the closed one never saw the responder's (its IKE_SA_INIT went unanswered). */
static const struct idle_note *idle_find(const struct ike_tracker *t, const struct ike_msg *m)
{
    const struct idle_note *n = &t->idle[spi_hash(m->spi_i) % IDLE_NOTES];
    if (!n->id || n->version != m->version || memcmp(n->spi_i, m->spi_i, 8) != 0)
        return NULL;
    if (!spi_zero(n->spi_r) && memcmp(n->spi_r, m->spi_r, 8) != 0)
        return NULL;
    return n;
}

static void sa_report(struct ike_tracker *t, struct ike_sa *sa);

/* Only one side spoke (every message from the same side). */
static bool one_sided(const struct ike_sa *sa)
{
    for (size_t i = 1; i < sa->nmsgs; i++)
        if (sa->msgs[i].from_initiator != sa->msgs[0].from_initiator)
            return false;
    return sa->nmsgs > 0;
}

static uint16_t *parked_count(struct ike_tracker *t, const uint8_t spi_i[8])
{
    return &t->parked_by_hash[spi_hash(spi_i) % PARKED_FILTER];
}

static void park(struct ike_tracker *t, struct ike_sa *sa)
{
    if (t->nparked == PARKED_MAX) {
        struct ike_sa *oldest = t->parked[t->parked_head];
        t->parked_head = (t->parked_head + 1) % PARKED_MAX;
        t->nparked--;
        (*parked_count(t, oldest->spi_i))--;
        sa_report(t, oldest);
    }
    sa->parked = true;
    (*parked_count(t, sa->spi_i))++;
    t->parked[(t->parked_head + t->nparked++) % PARKED_MAX] = sa;
}

/* A parked SA this message belongs to (same version and SPIi; same SPIr unless the parked
 * one never saw one), taken out of the ring; NULL when none. */
static struct ike_sa *unpark(struct ike_tracker *t, const struct ike_msg *m)
{
    if (!*parked_count(t, m->spi_i))
        return NULL;
    for (size_t k = 0; k < t->nparked; k++) {
        size_t at = (t->parked_head + k) % PARKED_MAX;
        struct ike_sa *sa = t->parked[at];
        if (sa->version != m->version || memcmp(sa->spi_i, m->spi_i, 8) != 0 ||
            (!spi_zero(sa->spi_r) && memcmp(sa->spi_r, m->spi_r, 8) != 0))
            continue;
        for (size_t j = k; j + 1 < t->nparked; j++)
            t->parked[(t->parked_head + j) % PARKED_MAX] = t->parked[(t->parked_head + j + 1) % PARKED_MAX];
        t->nparked--;
        (*parked_count(t, sa->spi_i))--;
        sa->parked = false;
        return sa;
    }
    return NULL;
}

/* Judge, report and release one SA; `closed` when it goes for being idle or for the cap. */
static void sa_finish(struct ike_tracker *t, struct ike_sa *sa, bool closed)
{
    bool hold = closed && !sa->deleted && one_sided(sa);
    if (closed && !sa->deleted && !hold)
        idle_remember(t, sa);
    retry_forget(t, sa);
    hash_remove(t, sa);
    ep_remove(t, sa);
    live_unlink(t, sa);
    t->live--;
    if (hold)
        park(t, sa);
    else
        sa_report(t, sa);
}

static void sa_report(struct ike_tracker *t, struct ike_sa *sa)
{
    ike_sa_check_fragments(sa);
    ike_sa_judge(sa);
    if (t->done)
        t->done(t->ctx, sa);
    sa_free(sa);
}

static int64_t time_diff_sec(const struct ike_time *later, const struct ike_time *earlier)
{
    return later->sec - earlier->sec;
}

static void expire_idle(struct ike_tracker *t, const struct ike_time *now)
{
    while (t->live_head &&
           time_diff_sec(now, &t->live_head->last_seen) > (int64_t)t->cfg.idle_timeout_sec &&
           t->live_head->outcome_final_hint)
        sa_finish(t, t->live_head, true);
    /* Unfinished SAs are held longer; established ones live until deleted or
     * until they have been silent for ten idle periods (DPD normally keeps
     * them chatty). */
    while (t->live_head &&
           time_diff_sec(now, &t->live_head->last_seen) > 10 * (int64_t)t->cfg.idle_timeout_sec)
        sa_finish(t, t->live_head, true);
    while (t->live > t->cfg.max_live_sas && t->live_head)
        sa_finish(t, t->live_head, true);
}

void ike_tracker_tick(struct ike_tracker *t, int64_t sec, uint32_t usec)
{
    struct ike_time now = { sec, usec };
    expire_idle(t, &now);
}

static bool endpoint_from_datagram(struct ike_endpoint *e, const struct cap_addr *a, uint16_t port)
{
    e->addr = *a;
    e->port = port;
    return true;
}

/* A request from this initiator that the responder answered with
 * INVALID_KE_PAYLOAD or COOKIE, recent enough for a retry to belong to it. */
static struct ike_sa *find_retry_origin(struct ike_tracker *t, const struct cap_ike_datagram *d,
                                        const struct ike_time *now)
{
    struct ike_sa *best = NULL;
    for (size_t i = 0; i < t->nretry_waiting;) {
        struct ike_sa *sa = t->retry_waiting[i];
        /* Gone stale, or the negotiation went on some other way: no longer waiting. */
        if (time_diff_sec(now, &sa->last_seen) > RETRY_WINDOW_SEC || !ike_sa_asks_retry(sa)) {
            t->retry_waiting[i] = t->retry_waiting[--t->nretry_waiting];
            continue;
        }
        i++;
        if (!cap_addr_eq(&sa->initiator.addr, &d->src) || !cap_addr_eq(&sa->responder.addr, &d->dst))
            continue;
        /* Several waiting between the same hosts: the most recently active one. */
        if (!best || ike_time_before(&best->last_seen, &sa->last_seen))
            best = sa;
    }
    if (best)
        retry_forget(t, best);
    return best;
}

/* The SA with these SPIs (a zero responder SPI on either side matches any); version 0
 * matches either IKE version. */
static struct ike_sa *find_by_spis(struct ike_tracker *t, uint8_t version, const uint8_t spi_i[8],
                                   const uint8_t spi_r[8])
{
    for (struct ike_sa *sa = t->buckets[spi_hash(spi_i)]; sa; sa = sa->hash_next) {
        if ((version && sa->version != version) || memcmp(sa->spi_i, spi_i, 8) != 0)
            continue;
        if (spi_zero(spi_r) || spi_zero(sa->spi_r) || memcmp(sa->spi_r, spi_r, 8) == 0)
            return sa;
    }
    return NULL;
}

static struct ike_sa *find_sa(struct ike_tracker *t, const struct ike_msg *m)
{
    return find_by_spis(t, m->version, m->spi_i, m->spi_r);
}

static bool same_hosts(const struct child_note *n, const struct ike_sa *sa)
{
    return (cap_addr_eq(&n->a, &sa->initiator.addr) && cap_addr_eq(&n->b, &sa->responder.addr)) ||
           (cap_addr_eq(&n->b, &sa->initiator.addr) && cap_addr_eq(&n->a, &sa->responder.addr));
}

/* The newest answered CREATE_CHILD_SA between these hosts in the last few seconds. (Two
 * IKE SAs between the same hosts, one first seen mid-life right after the other rekeyed a
 * CHILD_SA, would be misread; hence "probably" in the report.) */
static void infer_rekey(struct ike_tracker *t, struct ike_sa *sa, const struct ike_time *now)
{
    for (size_t k = 1; k <= CHILD_NOTES; k++) {
        const struct child_note *n = &t->children[(t->next_child - k) % CHILD_NOTES];
        if (!n->old_id || now->sec - n->at.sec > REKEY_INFER_SEC)
            continue;
        if (same_hosts(n, sa)) {
            sa->rekey_of = n->old_id;
            sa->rekey_inferred = true;
            return;
        }
    }
}

static void note_child_exchange(struct ike_tracker *t, const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    if (sa->version != 2 || sm->msg.exchange != 36 || !sm->response || sm->peer < 0 || sm->retransmission)
        return;
    struct child_note *n = &t->children[t->next_child++ % CHILD_NOTES];
    n->a = sa->initiator.addr;
    n->b = sa->responder.addr;
    n->old_id = sa->id;
    n->at = sm->time;
}

/* RFC 2409 §5: main and aggressive mode open with an SA payload, and only the second
 * message, the responder's, carries both cookies; the first has a zero responder cookie. */
static bool v1_answer_shape(const struct ike_msg *m)
{
    enum { PL_SA = 1 };
    return m->version == 1 && !spi_zero(m->spi_r) && m->first_payload == PL_SA &&
           (m->exchange == IKE1_EXCH_MAIN || m->exchange == IKE1_EXCH_AGGRESSIVE);
}

static struct ike_input_counts *input_counts(struct ike_tracker *t, unsigned input);

/* An answer whose request the capture lacks: count the hosts answering this SPI. */
static void note_reflection(struct ike_tracker *t, const struct ike_msg *m, const struct cap_ike_datagram *d)
{
    struct reflect_note *n = &t->reflect[spi_hash(m->spi_i) % REFLECT_NOTES];
    if (n->count == 0 || n->version != m->version || memcmp(n->spi_i, m->spi_i, 8) != 0 ||
        n->input != d->input || !cap_addr_eq(&n->target, &d->dst)) {
        memcpy(n->spi_i, m->spi_i, 8);
        n->version = m->version;
        n->input = d->input;
        n->target = d->dst;
        n->count = 0;
        n->first_frame = d->nframes ? d->frames[d->nframes - 1] : 0;
    }
    n->count++;
    struct ike_input_counts *in = input_counts(t, d->input);
    if (in && n->count > in->reflection.reflectors) {
        memcpy(in->reflection.spi_i, n->spi_i, 8);
        in->reflection.version = n->version;
        in->reflection.target = n->target;
        in->reflection.reflectors = n->count;
        in->reflection.first_frame = n->first_frame;
    }
}

static struct ike_sa *sa_new(struct ike_tracker *t, const struct ike_msg *m,
                             const struct cap_ike_datagram *d, const struct ike_time *now)
{
    struct ike_sa *sa = calloc(1, sizeof *sa);
    if (!sa)
        return NULL;
    sa->id = t->next_id++;
    sa->version = m->version;
    memcpy(sa->spi_i, m->spi_i, 8);
    memcpy(sa->spi_r, m->spi_r, 8);
    /* Who started it: IKEv2 says so in the I flag; IKEv1 only by order, so the
     * first message we see is taken to come from the initiator (a capture
     * started mid-negotiation can get this wrong, and the report says so). */
    bool answer = v1_answer_shape(m) || (m->version == 2 && m->response);
    bool sender_is_initiator = m->version == 2 ? m->initiator_flag : !answer;
    sa->answer_first = answer;
    if (answer)
        note_reflection(t, m, d);
    if (sender_is_initiator) {
        endpoint_from_datagram(&sa->initiator, &d->src, d->sport);
        endpoint_from_datagram(&sa->responder, &d->dst, d->dport);
    } else {
        endpoint_from_datagram(&sa->initiator, &d->dst, d->dport);
        endpoint_from_datagram(&sa->responder, &d->src, d->sport);
    }
    sa->first_seen = *now;
    sa->last_seen = *now;
    for (size_t i = 0; i < REKEY_NOTES; i++)
        if (t->rekeys[i].old_id && memcmp(t->rekeys[i].spi, m->spi_i, 8) == 0)
            sa->rekey_of = t->rekeys[i].old_id;
    const struct idle_note *was = sa->rekey_of ? NULL : idle_find(t, m);
    if (was) {
        sa->continues = was->id;
        sa->continues_after_sec = time_diff_sec(now, &was->last_seen);
    }
    if (!sa->rekey_of && !sa->continues && m->version == 2 && m->exchange != IKE2_EXCH_SA_INIT &&
        !spi_zero(m->spi_r))
        infer_rekey(t, sa, now);
    hash_insert(t, sa);
    ep_insert(t, sa);
    live_append(t, sa);
    t->live++;
    t->stats.sas++;
    if (t->live > t->stats.live_peak)
        t->stats.live_peak = t->live;
    return sa;
}

static bool sender_is_initiator(const struct ike_sa *sa, const struct ike_msg *m,
                                const struct cap_ike_datagram *d)
{
    if (m->version == 2)
        return m->initiator_flag;
    if (!cap_addr_eq(&sa->initiator.addr, &sa->responder.addr))
        return cap_addr_eq(&d->src, &sa->initiator.addr);
    return d->sport == sa->initiator.port;
}

/* Ports follow the peers: NAT-T floats to 4500 after IKE_SA_INIT/main mode 3-4. */
static void follow_endpoints(struct ike_sa *sa, bool from_i, const struct cap_ike_datagram *d)
{
    struct ike_endpoint *src = from_i ? &sa->initiator : &sa->responder;
    struct ike_endpoint *dst = from_i ? &sa->responder : &sa->initiator;
    if (src->port != d->sport || dst->port != d->dport) {
        if (src->port == 500 && d->sport != 500)
            sa->natt_moved = true;
        if (dst->port == 500 && d->dport != 500)
            sa->natt_moved = true;
    }
    src->port = d->sport;
    dst->port = d->dport;
    src->addr = d->src;
    dst->addr = d->dst;
}

static void mark_retransmission_and_pair(struct ike_sa *sa, size_t idx)
{
    struct ike_sa_msg *cur = &sa->msgs[idx];
    size_t scanned = 0;
    for (size_t j = idx; j-- > 0 && scanned < RETRANSMIT_SCAN; scanned++) {
        const struct ike_sa_msg *old = &sa->msgs[j];
        if (old->from_initiator != cur->from_initiator || old->msg.msg_id != cur->msg.msg_id ||
            old->msg.exchange != cur->msg.exchange)
            continue;
        /* RFC 7296 §2.1: a retransmission repeats the message bit for bit. */
        if (old->msg.raw_len == cur->msg.raw_len &&
            memcmp(old->msg.raw, cur->msg.raw, cur->msg.raw_len) == 0) {
            cur->retransmission = true;
            cur->peer = old->peer;
            return;
        }
        if (sa->version == 2 && !cur->response && cur->msg.exchange == 34 &&
            cur->msg.msg_id == 0) {
            cur->retry = true;
            break;
        }
    }
    /* Pair a response with the latest unanswered request it answers. IKEv2
     * marks responses; IKEv1 has no flag, so a responder's message answers the
     * initiator's last message with the same message ID (main mode uses 0). */
    bool answers = sa->version == 2 ? cur->response : !cur->from_initiator;
    if (!answers)
        return;
    /* Every unanswered copy of the request (retransmissions, and the other
     * fragments of an RFC 7383 / IKEv1-fragmented request) points at the answer;
     * the answer points at the latest original. */
    for (size_t j = idx; j-- > 0;) {
        struct ike_sa_msg *req = &sa->msgs[j];
        if (req->from_initiator == cur->from_initiator || req->msg.msg_id != cur->msg.msg_id)
            continue;
        if (sa->version == 2 && req->response)
            continue;
        if (req->peer >= 0)
            break;
        req->peer = (int)idx;
        if (cur->peer < 0 && !req->retransmission)
            cur->peer = (int)j;
    }
}

/* A decrypted CREATE_CHILD_SA request that proposes a new IKE SA (protocol 1)
 * carries the initiator SPI of the successor in its proposal. */
static void note_ike_rekey(struct ike_tracker *t, const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    if (sa->version != 2 || sm->msg.exchange != 36 || sm->response || !sm->msg.decrypted)
        return;
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        const struct ike_payload *p = &sm->msg.payloads[i];
        if (p->type != IKE2_PL_SA || !p->inner)
            continue;
        struct ike_v2_sa *dec = malloc(sizeof *dec);
        if (!dec)
            return;
        if (ike_v2_sa_decode(p->body, p->body_len, dec) == IKE_PL_OK && dec->nproposals &&
            dec->p[0].protocol == 1 && dec->p[0].spi_size == 8) {
            struct rekey_note *n = &t->rekeys[t->next_rekey++ % REKEY_NOTES];
            memcpy(n->spi, dec->p[0].spi, 8);
            n->old_id = sa->id;
        }
        free(dec);
    }
}

static void learn_vendors(struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    const struct ike_msg *m = &sm->msg;
    uint8_t vtype = m->version == 2 ? IKE2_PL_VENDOR : IKE1_PL_VID;
    for (size_t i = 0; i < m->npayloads; i++) {
        const struct ike_payload *p = &m->payloads[i];
        if (p->type != vtype || p->vendor < 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < sa->nvendors; k++)
            seen = seen || (sa->vendors[k].idx == p->vendor &&
                            sa->vendors[k].from_initiator == sm->from_initiator);
        if (seen || sa->nvendors == IKE_SA_MAX_VENDORS)
            continue;
        struct ike_sa_vendor *v = &sa->vendors[sa->nvendors++];
        v->from_initiator = sm->from_initiator;
        v->idx = ike_vendor_lookup(p->body, p->body_len, v->detail, sizeof v->detail);
    }
}

static struct ike_input_counts *input_counts(struct ike_tracker *t, unsigned input)
{
    if (input >= t->ninputs) {
        size_t n = (size_t)input + 1;
        struct ike_input_counts *p = realloc(t->inputs, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + t->ninputs, 0, (n - t->ninputs) * sizeof *p);
        t->inputs = p;
        t->ninputs = n;
    }
    return &t->inputs[input];
}

/* Whether a Delete of this IKE SA was answered (RFC 7296 §1.4.1: an empty
 * Delete with protocol IKE closes the IKE SA once the response arrives). */
static void note_ike_delete(struct ike_sa *sa, size_t idx)
{
    struct ike_sa_msg *cur = &sa->msgs[idx];
    const struct ike_sa_msg *req;
    if (sa->version == 1) {
        /* RFC 2408 §3.15: a Delete of the ISAKMP SA (protocol 1) travels in an
         * INFORMATIONAL exchange that is never answered. */
        if (cur->msg.exchange != 5)
            return;
        req = cur;
    } else {
        if (cur->peer < 0 || !cur->response)
            return;
        req = &sa->msgs[cur->peer];
    }
    uint8_t del = sa->version == 2 ? IKE2_PL_DELETE : IKE1_PL_D;
    for (size_t i = 0; i < req->msg.npayloads; i++) {
        const struct ike_payload *p = &req->msg.payloads[i];
        if (p->type == del && p->protocol_id == 1 && !sa->deleted) {
            sa->deleted = true;
            sa->deleted_by_initiator = req->from_initiator;
            sa->deleted_at = cur->time;
        }
    }
}

static bool endpoint_is(const struct ike_endpoint *e, const struct cap_addr *a, uint16_t port)
{
    return e->port == port && cap_addr_eq(&e->addr, a);
}

/* The SA an ICMP error is about: by the SPIs when the error quotes the IKE header (RFC 1812
 * routers and Linux hosts quote up to 576 bytes), else the most recently active SA between
 * the quoted datagram's endpoints. */
static struct ike_sa *icmp_sa(struct ike_tracker *t, const struct cap_ike_datagram *d)
{
    struct ike_sa *by_spi = d->len >= 16 ? find_by_spis(t, 0, d->data, d->data + 8) : NULL;
    if (by_spi)
        return by_spi;
    unsigned b = endpoint_pair_hash(&d->src, d->sport, &d->dst, d->dport);
    for (struct ike_sa *sa = t->ep_buckets[b]; sa; sa = sa->ep_next) {
        if ((endpoint_is(&sa->initiator, &d->src, d->sport) && endpoint_is(&sa->responder, &d->dst, d->dport)) ||
            (endpoint_is(&sa->responder, &d->src, d->sport) && endpoint_is(&sa->initiator, &d->dst, d->dport)))
            return sa;
    }
    return NULL;
}

static void icmp_error(struct ike_tracker *t, const struct cap_ike_datagram *d, const struct ike_time *now)
{
    struct ike_sa *sa = icmp_sa(t, d);
    if (!sa) {
        t->stats.icmp_unmatched++;
        return;
    }
    sa->icmp_total++;
    if (sa->nicmp == IKE_SA_MAX_ICMP)
        return;
    if (!sa->icmp) {
        sa->icmp = calloc(IKE_SA_MAX_ICMP, sizeof *sa->icmp);
        if (!sa->icmp)
            return;
    }
    struct ike_sa_icmp *e = &sa->icmp[sa->nicmp++];
    e->time = *now;
    e->input = d->input;
    e->frame = d->nframes ? d->frames[d->nframes - 1] : 0;
    e->icmp = d->icmp;
    e->about_initiator_msg = endpoint_is(&sa->initiator, &d->src, d->sport) ||
                             (!endpoint_is(&sa->responder, &d->src, d->sport) &&
                              cap_addr_eq(&sa->initiator.addr, &d->src));
}

/* The SA whose hosts exchange this ESP packet: the most recently active one between the
 * two addresses, on the same ports for ESP in UDP; IP protocol 50 has no ports, so the SA
 * is looked up under the ports IKE uses without NAT traversal (RFC 7296 §2.23). */
static struct ike_sa *esp_sa(struct ike_tracker *t, const struct cap_ike_datagram *d)
{
    static const uint16_t plain_ports[] = { 500, 4500 };
    size_t tries = d->sport ? 1 : sizeof plain_ports / sizeof plain_ports[0];
    for (size_t k = 0; k < tries; k++) {
        uint16_t sp = d->sport ? d->sport : plain_ports[k], dp = d->sport ? d->dport : plain_ports[k];
        unsigned b = endpoint_pair_hash(&d->src, sp, &d->dst, dp);
        for (struct ike_sa *sa = t->ep_buckets[b]; sa; sa = sa->ep_next) {
            bool fwd = cap_addr_eq(&sa->initiator.addr, &d->src) && cap_addr_eq(&sa->responder.addr, &d->dst);
            bool rev = cap_addr_eq(&sa->responder.addr, &d->src) && cap_addr_eq(&sa->initiator.addr, &d->dst);
            if ((!fwd && !rev) || !sa->esp.armed)
                continue;
            if (d->sport && !((fwd && sa->initiator.port == sp && sa->responder.port == dp) ||
                              (rev && sa->responder.port == sp && sa->initiator.port == dp)))
                continue;
            return sa;
        }
    }
    return NULL;
}

/* ESP between the hosts counts for this SA once it could have installed a CHILD_SA: IKEv2
 * after the IKE_AUTH response or any later exchange (RFC 7296 §1.2), IKEv1 once phase 1
 * messages are encrypted (RFC 2409 §5: main mode 5 on, quick mode). */
static void arm_esp(struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    uint8_t x = sm->msg.exchange;
    if (sa->version == 2)
        sa->esp.armed = sa->esp.armed || (x == IKE2_EXCH_AUTH && sm->response) ||
                        (x != IKE2_EXCH_AUTH && x != IKE2_EXCH_SA_INIT);
    else
        sa->esp.armed = sa->esp.armed || sm->msg.encrypted;
}

static void esp_packet(struct ike_tracker *t, const struct cap_ike_datagram *d, const struct ike_time *now)
{
    struct ike_sa *sa = esp_sa(t, d);
    if (!sa || d->len < 4) {
        t->stats.esp_unmatched++;
        return;
    }
    struct ike_sa_esp *e = &sa->esp;
    uint32_t spi = (uint32_t)d->data[0] << 24 | (uint32_t)d->data[1] << 16 | (uint32_t)d->data[2] << 8 |
                   d->data[3];
    if (e->packets++ == 0) {
        e->first = *now;
        e->input = d->input;
        e->first_frame = d->nframes ? d->frames[d->nframes - 1] : 0;
    }
    e->last = *now;
    if (cap_addr_eq(&sa->initiator.addr, &d->src))
        e->from_initiator_seen = true;
    else
        e->from_responder_seen = true;
    e->both_directions = e->from_initiator_seen && e->from_responder_seen;
    bool known = false;
    for (size_t i = 0; i < e->nspis; i++)
        known = known || e->spis[i] == spi;
    if (!known && e->nspis < IKE_SA_ESP_SPIS)
        e->spis[e->nspis++] = spi;
}

void ike_tracker_datagram(void *tracker, const struct cap_ike_datagram *d)
{
    struct ike_tracker *t = tracker;
    struct ike_time now = { d->ts_sec, d->ts_usec };
    expire_idle(t, &now);
    if (d->kind == CAP_KIND_ICMP_ERROR) {
        icmp_error(t, d, &now);
        return;
    }
    if (d->kind == CAP_KIND_ESP) {
        esp_packet(t, d, &now);
        return;
    }

    struct ike_msg m;
    enum ike_parse_status st = ike_msg_parse(&m, d->data, d->len);
    struct ike_input_counts *in = input_counts(t, d->input);
    if (st == IKE_PARSE_NOT_IKE || st == IKE_PARSE_NOMEM) {
        ike_msg_cleanup(&m);
        t->stats.not_ike++;
        if (in) {
            if (in->not_ike < IKE_NOT_IKE_FRAMES && d->nframes)
                in->not_ike_frames[in->not_ike] = d->frames[d->nframes - 1];
            in->not_ike++;
        }
        return;
    }
    t->stats.messages++;
    if (in)
        in->messages++;
    if (d->incomplete)
        ike_msg_anomaly(&m, IKE_AN_CAPTURE_INCOMPLETE);

    struct ike_sa *sa = find_sa(t, &m);
    bool retry = false;
    if (!sa && m.version == 2 && m.exchange == 34 && !m.response && m.msg_id == 0) {
        sa = find_retry_origin(t, d, &now);
        if (sa) {
            hash_remove(t, sa);
            memcpy(sa->spi_i, m.spi_i, 8);
            memset(sa->spi_r, 0, 8);
            hash_insert(t, sa);
            retry = true;
        }
    }
    if (!sa && (sa = unpark(t, &m)) != NULL) {
        hash_insert(t, sa);
        ep_insert(t, sa);
        live_append(t, sa);
        t->live++;
    }
    if (!sa)
        sa = sa_new(t, &m, d, &now);
    if (!sa) {
        ike_msg_cleanup(&m);
        return;
    }
    if (spi_zero(sa->spi_r) && !spi_zero(m.spi_r)) {
        memcpy(sa->spi_r, m.spi_r, 8); /* the responder SPI appears in its first answer */
    }
    if (sa->nmsgs >= t->cfg.max_msgs_per_sa) {
        sa->msgs_dropped++;
        ike_msg_cleanup(&m);
        return;
    }
    if (sa->nmsgs == sa->msgs_cap) {
        size_t cap = sa->msgs_cap ? sa->msgs_cap * 2 : 8;
        struct ike_sa_msg *p = realloc(sa->msgs, cap * sizeof *p);
        if (!p) {
            ike_msg_cleanup(&m);
            return;
        }
        sa->msgs = p;
        sa->msgs_cap = cap;
    }
    struct ike_sa_msg *sm = &sa->msgs[sa->nmsgs];
    memset(sm, 0, sizeof *sm);
    sm->msg = m;
    sm->input = d->input;
    sm->frames = malloc((d->nframes ? d->nframes : 1) * sizeof *sm->frames);
    if (sm->frames) {
        memcpy(sm->frames, d->frames, d->nframes * sizeof *sm->frames);
        sm->nframes = d->nframes;
    }
    sm->time = now;
    sm->src.addr = d->src;
    sm->src.port = d->sport;
    sm->dst.addr = d->dst;
    sm->dst.port = d->dport;
    sm->framing = d->framing;
    sm->from_initiator = sender_is_initiator(sa, &m, d);
    sm->response = m.version == 2 ? m.response : !sm->from_initiator;
    sm->peer = -1;
    sm->retry = retry;
    size_t idx = sa->nmsgs++;

    follow_endpoints(sa, sm->from_initiator, d);
    ep_touch(t, sa);
    sa->last_seen = now;
    live_unlink(t, sa);
    live_append(t, sa);

    mark_retransmission_and_pair(sa, idx);
    arm_esp(sa, &sa->msgs[idx]);
    ike_sa_learn(sa, idx);
    ike_sa_decrypt_msg(sa, idx, t->keys);
    learn_vendors(sa, &sa->msgs[idx]);
    note_ike_rekey(t, sa, &sa->msgs[idx]);
    note_child_exchange(t, sa, &sa->msgs[idx]);
    note_ike_delete(sa, idx);
    sa->outcome_final_hint = ike_sa_looks_settled(sa) || sa->deleted;
    if (sa->version == 2 && ike_sa_asks_retry(sa))
        retry_remember(t, sa);

    /* RFC 7296 §1.4.1: the answered Delete ends an IKEv2 SA. An IKEv1 Delete is never
     * answered (RFC 2408 §3.15), and the other side often sends its own Delete under the
     * same cookies right after: the record stays open until it goes idle, so that Delete
     * joins it instead of starting a record of its own. */
    if (sa->deleted && sa->version == 2)
        sa_finish(t, sa, false);
}

static int by_id(const void *a, const void *b)
{
    unsigned x = (*(struct ike_sa *const *)a)->id, y = (*(struct ike_sa *const *)b)->id;
    return (x > y) - (x < y);
}

void ike_tracker_finish(struct ike_tracker *t)
{
    /* Report what is left, parked or live, in the order the SAs began. */
    memset(t->parked_by_hash, 0, sizeof t->parked_by_hash); /* every parked SA goes now */
    size_t total = t->live + t->nparked;
    struct ike_sa **all = total ? malloc(total * sizeof *all) : NULL;
    if (!all) {
        while (t->nparked) {
            struct ike_sa *sa = t->parked[t->parked_head];
            t->parked_head = (t->parked_head + 1) % PARKED_MAX;
            t->nparked--;
            sa_report(t, sa);
        }
        while (t->live_head)
            sa_finish(t, t->live_head, false);
        return;
    }
    size_t n = 0;
    for (struct ike_sa *sa = t->live_head; sa; sa = sa->live_next)
        all[n++] = sa;
    for (size_t k = 0; k < t->nparked; k++)
        all[n++] = t->parked[(t->parked_head + k) % PARKED_MAX];
    t->nparked = 0;
    qsort(all, n, sizeof *all, by_id);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->parked)
            sa_report(t, all[i]);
        else
            sa_finish(t, all[i], false);
    }
    free(all);
}

const struct ike_tracker_stats *ike_tracker_stats(const struct ike_tracker *t) { return &t->stats; }

const struct ike_input_counts *ike_tracker_input(const struct ike_tracker *t, unsigned input)
{
    static const struct ike_input_counts none;
    return input < t->ninputs ? &t->inputs[input] : &none;
}

void ike_tracker_free(struct ike_tracker *t)
{
    if (!t)
        return;
    for (size_t k = 0; k < t->nparked; k++)
        sa_free(t->parked[(t->parked_head + k) % PARKED_MAX]);
    t->nparked = 0;
    while (t->live_head) {
        struct ike_sa *sa = t->live_head;
        hash_remove(t, sa);
        ep_remove(t, sa);
        live_unlink(t, sa);
        sa_free(sa);
    }
    free(t->inputs);
    free(t);
}
