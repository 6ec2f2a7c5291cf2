/* defrag.c: IP fragment reassembly for IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200
 * section 4.5), with a timeout on capture time, first-wins overlaps and hard memory caps. */
#include "capture/internal.h"

#include <stdlib.h>
#include <string.h>

/* RFC 791 and RFC 8200 section 4.5: a reassembled datagram cannot exceed 65535 bytes of
 * payload; a fragment that would reach past that is discarded. */
enum { MAX_DATAGRAM = 65535 };
/* Fragments one datagram may collect (also bounds duplicates): 65535 / 1280-byte IPv6
 * minimum MTU fragments is ~52; 1024 leaves room for tiny but legal fragments. */
enum { MAX_FRAGS_PER_DATAGRAM = 1024 };
enum { N_BUCKETS = 256 };

/* Held bytes [start, end) of the datagram, sorted, never overlapping. */
struct piece {
    struct piece *next;
    uint32_t start, end;
    uint8_t data[];
};

struct dgram {
    struct cap_defrag_key key;
    struct dgram *hnext;               /* hash chain */
    struct dgram *older, *newer;       /* age list, oldest first */
    int64_t first_sec;                 /* capture time of the first fragment seen */
    int64_t last_sec;                  /* ... and of the last one */
    uint32_t last_usec;
    uint32_t total;                    /* known once the last fragment (MF/M clear) arrived */
    bool have_total;
    struct piece *pieces;
    size_t held;                       /* payload bytes in pieces */
    uint64_t *frames;
    size_t nframes, frames_cap;
};

struct cap_defrag {
    cap_defrag_partial_fn partial_fn;
    void *partial_ctx;
    size_t max_bytes, max_dgrams;
    uint32_t timeout;
    size_t held_bytes, n_dgrams;
    struct dgram *buckets[N_BUCKETS];
    struct dgram *oldest, *newest;
};

struct cap_defrag *cap_defrag_new(const struct cap_config *cfg, cap_defrag_partial_fn fn,
                                  void *ctx)
{
    struct cap_defrag *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->partial_fn = fn;
    d->partial_ctx = ctx;
    d->max_bytes = cfg->frag_max_bytes;
    d->max_dgrams = cfg->frag_max_datagrams;
    d->timeout = cfg->frag_timeout_sec;
    return d;
}

static unsigned key_hash(const struct cap_defrag_key *k)
{
    /* FNV-1a over the fields, not the struct (padding bytes are unspecified). */
    uint32_t h = 2166136261u;
#define MIX(b) (h = (h ^ (uint8_t)(b)) * 16777619u)
    for (int i = 0; i < 16; i++) {
        MIX(k->src[i]);
        MIX(k->dst[i]);
    }
    for (int i = 0; i < 4; i++) {
        MIX(k->id >> (8 * i));
        MIX(k->input >> (8 * i));
    }
    MIX(k->proto);
    MIX(k->family);
#undef MIX
    return h % N_BUCKETS;
}

static bool key_eq(const struct cap_defrag_key *a, const struct cap_defrag_key *b)
{
    return a->input == b->input && a->family == b->family && a->proto == b->proto &&
           a->id == b->id && memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

static void dgram_destroy(struct cap_defrag *d, struct dgram *g)
{
    struct dgram **pp = &d->buckets[key_hash(&g->key)];
    while (*pp && *pp != g)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = g->hnext;
    if (g->older)
        g->older->newer = g->newer;
    else
        d->oldest = g->newer;
    if (g->newer)
        g->newer->older = g->older;
    else
        d->newest = g->older;
    for (struct piece *p = g->pieces, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    d->held_bytes -= g->held;
    d->n_dgrams--;
    free(g->frames);
    free(g);
}

/* Forgets a datagram that will not complete. If it holds its first fragment, the bytes
 * from offset 0 up to the first hole go to the partial callback first: a capture filter
 * such as "udp port 500" keeps exactly that fragment, and the message must still show. */
static void give_up(struct cap_defrag *d, struct dgram *g, struct cap_stats *st)
{
    uint32_t len = 0;
    for (const struct piece *p = g->pieces; p && p->start == len; p = p->next)
        len = p->end;
    if (len == 0 || !d->partial_fn) {
        dgram_destroy(d, g);
        return;
    }
    uint8_t *buf = malloc(len);
    if (!buf) {
        dgram_destroy(d, g);
        return;
    }
    for (const struct piece *p = g->pieces; p && p->start < len; p = p->next)
        memcpy(buf + p->start, p->data, p->end - p->start);
    uint64_t *frames = g->frames; /* kept for the call; the datagram is gone before it */
    struct cap_defrag_partial part = {
        .key = g->key, .data = buf, .len = len, .frames = frames, .nframes = g->nframes,
        .ts_sec = g->last_sec, .ts_usec = g->last_usec,
    };
    g->frames = NULL;
    dgram_destroy(d, g);
    d->partial_fn(d->partial_ctx, &part, st);
    free(frames);
    free(buf);
}

void cap_defrag_free(struct cap_defrag *d)
{
    if (!d)
        return;
    while (d->oldest)
        dgram_destroy(d, d->oldest);
    free(d);
}

static struct dgram *dgram_find(struct cap_defrag *d, const struct cap_defrag_key *k)
{
    for (struct dgram *g = d->buckets[key_hash(k)]; g; g = g->hnext)
        if (key_eq(&g->key, k))
            return g;
    return NULL;
}

static struct dgram *dgram_create(struct cap_defrag *d, const struct cap_defrag_key *k,
                                  int64_t ts_sec, uint32_t ts_usec)
{
    struct dgram *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->key = *k;
    g->first_sec = g->last_sec = ts_sec;
    g->last_usec = ts_usec;
    unsigned h = key_hash(k);
    g->hnext = d->buckets[h];
    d->buckets[h] = g;
    g->older = d->newest;
    if (d->newest)
        d->newest->newer = g;
    else
        d->oldest = g;
    d->newest = g;
    d->n_dgrams++;
    return g;
}

/* Evicts the oldest datagrams other than `keep` until `need` more bytes and (if `slot`)
 * one more datagram fit under the caps. False if they cannot fit at all. */
static bool make_room(struct cap_defrag *d, const struct dgram *keep, size_t need, bool slot,
                      struct cap_stats *st)
{
    for (;;) {
        bool bytes_ok = d->held_bytes <= d->max_bytes && need <= d->max_bytes - d->held_bytes;
        bool slot_ok = !slot || d->n_dgrams < d->max_dgrams;
        if (bytes_ok && slot_ok)
            return true;
        struct dgram *victim = d->oldest;
        if (victim == keep)
            victim = victim->newer;
        if (!victim)
            return false;
        st->frag_cap_hits++;
        give_up(d, victim, st);
    }
}

/* Bytes of [s, e) not yet held; also whether held bytes overlap it and whether every
 * overlapping byte equals the new one. */
static size_t count_new(const struct dgram *g, uint32_t s, uint32_t e, const uint8_t *bytes,
                        bool *overlap, bool *same)
{
    size_t fresh = e - s;
    *overlap = false;
    *same = true;
    for (const struct piece *p = g->pieces; p && p->start < e; p = p->next) {
        if (p->end <= s)
            continue;
        uint32_t os = p->start > s ? p->start : s;
        uint32_t oe = p->end < e ? p->end : e;
        *overlap = true;
        fresh -= oe - os;
        if (memcmp(p->data + (os - p->start), bytes + (os - s), oe - os) != 0)
            *same = false;
    }
    return fresh;
}

/* Stores the uncovered parts of [s, e); held bytes win (first fragment wins). */
static bool insert_fresh(struct cap_defrag *d, struct dgram *g, uint32_t s, uint32_t e,
                         const uint8_t *bytes)
{
    struct piece **link = &g->pieces;
    uint32_t pos = s;
    while (pos < e) {
        while (*link && (*link)->end <= pos)
            link = &(*link)->next;
        struct piece *cur = *link;
        if (cur && cur->start <= pos) {
            pos = cur->end < e ? cur->end : e;
            continue;
        }
        uint32_t gap_end = cur && cur->start < e ? cur->start : e;
        struct piece *np = malloc(sizeof *np + (gap_end - pos));
        if (!np)
            return false;
        np->start = pos;
        np->end = gap_end;
        memcpy(np->data, bytes + (pos - s), gap_end - pos);
        np->next = cur;
        *link = np;
        link = &np->next;
        g->held += gap_end - pos;
        d->held_bytes += gap_end - pos;
        pos = gap_end;
    }
    return true;
}

static bool add_frame(struct dgram *g, uint64_t frame)
{
    if (g->nframes == g->frames_cap) {
        size_t ncap = g->frames_cap ? g->frames_cap * 2 : 4;
        uint64_t *nf = realloc(g->frames, ncap * sizeof *nf);
        if (!nf)
            return false;
        g->frames = nf;
        g->frames_cap = ncap;
    }
    g->frames[g->nframes++] = frame;
    return true;
}

static bool is_complete(const struct dgram *g)
{
    if (!g->have_total)
        return false;
    uint32_t pos = 0;
    for (const struct piece *p = g->pieces; p; p = p->next) {
        if (p->start != pos)
            return false;
        pos = p->end;
    }
    return pos == g->total;
}

static uint32_t held_end(const struct dgram *g)
{
    uint32_t end = 0;
    for (const struct piece *p = g->pieces; p; p = p->next)
        end = p->end;
    return end;
}

/* Moves a complete datagram out to the caller and forgets it. */
static bool take_done(struct cap_defrag *d, struct dgram *g, struct cap_defrag_done *out)
{
    uint8_t *buf = malloc(g->total ? g->total : 1);
    if (!buf)
        return false;
    for (const struct piece *p = g->pieces; p; p = p->next)
        memcpy(buf + p->start, p->data, p->end - p->start);
    out->data = buf;
    out->len = g->total;
    out->frames = g->frames;
    out->nframes = g->nframes;
    g->frames = NULL;
    dgram_destroy(d, g);
    return true;
}

enum cap_defrag_res cap_defrag_add(struct cap_defrag *d, const struct cap_defrag_key *key,
                                   int64_t ts_sec, uint32_t ts_usec, uint64_t frame,
                                   uint32_t offset, bool more, struct rd data,
                                   struct cap_stats *st, struct cap_defrag_done *out)
{
    const uint8_t *bytes;
    size_t len = data.left;

    memset(out, 0, sizeof *out);
    /* RFC 8200 section 4.5 (and RFC 791's 8-octet fragment blocks): every fragment but the
     * last carries a multiple of 8 bytes; others are discarded. */
    if (offset > MAX_DATAGRAM || len > MAX_DATAGRAM - offset || (more && (len == 0 || len % 8))) {
        st->undecodable++;
        return CAP_DEFRAG_HELD;
    }
    if (!rd_bytes(&data, len, &bytes))
        return CAP_DEFRAG_HELD;
    st->ip_fragments++;
    uint32_t s = offset, e = offset + (uint32_t)len;

    struct dgram *g = dgram_find(d, key);
    if (g && cap_older_than(g->first_sec, ts_sec, d->timeout)) {
        st->frag_timeouts++;
        give_up(d, g, st);
        g = NULL;
    }
    if (!g) {
        if (!make_room(d, NULL, 0, true, st) || !(g = dgram_create(d, key, ts_sec, ts_usec))) {
            st->frag_cap_hits++;
            return CAP_DEFRAG_HELD;
        }
    }
    if (g->nframes >= MAX_FRAGS_PER_DATAGRAM) {
        st->frag_cap_hits++;
        give_up(d, g, st);
        return CAP_DEFRAG_HELD;
    }

    /* The end of the datagram: a second, different end (or data past it) is inconsistent;
     * the first claim stands, like the first bytes do. */
    bool inconsistent = false;
    if (!more) {
        if (g->have_total) {
            if (e != g->total)
                inconsistent = true;
        } else if (held_end(g) > e) {
            inconsistent = true;
        } else {
            g->total = e;
            g->have_total = true;
        }
    }
    if (g->have_total && e > g->total) {
        inconsistent = true;
        e = s < g->total ? g->total : s;
    }

    bool overlap, same;
    size_t fresh = count_new(g, s, e, bytes, &overlap, &same);
    if (inconsistent || (overlap && !(same && fresh == 0)))
        st->frag_overlaps++; /* an exact duplicate (retransmission, two taps) is benign */

    if (fresh > 0 && !make_room(d, g, fresh, false, st)) {
        st->frag_cap_hits++;
        give_up(d, g, st);
        return CAP_DEFRAG_HELD;
    }
    if (!insert_fresh(d, g, s, e, bytes) || !add_frame(g, frame)) {
        st->frag_cap_hits++;
        give_up(d, g, st);
        return CAP_DEFRAG_HELD;
    }
    g->last_sec = ts_sec;
    g->last_usec = ts_usec;
    if (!is_complete(g))
        return CAP_DEFRAG_HELD;
    if (!take_done(d, g, out)) {
        st->frag_cap_hits++;
        dgram_destroy(d, g);
        return CAP_DEFRAG_HELD;
    }
    st->reassembled++;
    return CAP_DEFRAG_DONE;
}

void cap_defrag_done_free(struct cap_defrag_done *done)
{
    free(done->data);
    free(done->frames);
    memset(done, 0, sizeof *done);
}

void cap_defrag_expire(struct cap_defrag *d, bool all_inputs, unsigned input, int64_t now_sec,
                       struct cap_stats *st)
{
    for (struct dgram *g = d->oldest, *n; g; g = n) {
        n = g->newer;
        if (!all_inputs && g->key.input != input)
            continue;
        if (cap_older_than(g->first_sec, now_sec, d->timeout)) {
            st->frag_timeouts++;
            give_up(d, g, st);
        }
    }
}

size_t cap_defrag_held_bytes(const struct cap_defrag *d)
{
    return d->held_bytes;
}

size_t cap_defrag_held_datagrams(const struct cap_defrag *d)
{
    return d->n_dgrams;
}
