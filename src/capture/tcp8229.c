/* tcp8229.c: IKE over TCP (RFC 8229): per-direction TCP reassembly (RFC 9293 sequence
 * space) on port 4500, the "IKETCP" prefix, and 2-byte length-framed records. */
#include "capture/internal.h"
#include "capture/netlog.h"

#include <stdlib.h>
#include <string.h>

enum {
    N_BUCKETS = 256,
    /* A record is at most 65535 bytes (16-bit length), a segment at most 65535 (IP), so
     * a partial record plus one appended segment always fits. */
    MAX_BUF = 2 * 65536,
    MAX_OOO_SEGS = 32,          /* out-of-order segments held per direction */
    MAX_OOO_BYTES = 128 * 1024, /* and their bytes */
    MAX_WINDOW = 1 << 20,       /* data further ahead than this is not this stream's */
    /* Frame numbers remembered for buffered bytes. Past this, further segments still
     * count as data but their frame numbers are folded into the last one (a record of
     * 64 KiB in segments of 32 bytes still fits). */
    MAX_SPANS = 2048,
    /* RFC 8229 section 3: length includes itself, then a non-ESP marker or an SPI. */
    MIN_RECORD = 2 + 4,
};

/* RFC 8229 section 4: "IKETCP", sent once by the initiator before the first record. */
static const uint8_t iketcp_prefix[6] = { 'I', 'K', 'E', 'T', 'C', 'P' };

struct tcp_key {
    unsigned input;
    uint8_t family;
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
};

/* Buffered bytes [start, end) came from `frame`. */
struct span {
    size_t start, end;
    uint64_t frame;
};

struct ooo_seg {
    struct ooo_seg *next;
    uint32_t seq;
    size_t len;
    uint8_t *data;
    uint64_t *frames;
    size_t nframes;
};

struct stream {
    struct tcp_key key;
    struct stream *hnext;
    struct stream *older, *newer; /* LRU, least recently active first */
    int64_t last_sec;
    uint32_t next_seq;
    bool prefix_done;
    uint8_t *buf;                 /* in-order bytes not yet framed into records */
    size_t len, cap;
    struct span *spans;
    size_t nspans, spans_cap;
    struct ooo_seg *ooo;
    size_t ooo_count, ooo_bytes;
};

struct cap_tcp {
    struct cap_netlog *netlog; /* borrowed, may be NULL */
    size_t max_streams;
    size_t n_streams;
    struct stream *buckets[N_BUCKETS];
    struct stream *oldest, *newest;
};

/* RFC 9293 section 3.4: sequence numbers compare modulo 2^32. */
static bool seq_lt(uint32_t a, uint32_t b)
{
    return (uint32_t)(a - b) >= 0x80000000u;
}

struct cap_tcp *cap_tcp_new(const struct cap_config *cfg)
{
    struct cap_tcp *t = calloc(1, sizeof *t);
    if (t) {
        t->max_streams = cfg->tcp_max_streams;
        t->netlog = cfg->netlog;
    }
    return t;
}

static unsigned key_hash(const struct tcp_key *k)
{
    uint32_t h = 2166136261u;
#define MIX(b) (h = (h ^ (uint8_t)(b)) * 16777619u)
    for (int i = 0; i < 16; i++) {
        MIX(k->src[i]);
        MIX(k->dst[i]);
    }
    MIX(k->sport);
    MIX(k->sport >> 8);
    MIX(k->dport);
    MIX(k->dport >> 8);
    for (int i = 0; i < 4; i++)
        MIX(k->input >> (8 * i));
    MIX(k->family);
#undef MIX
    return h % N_BUCKETS;
}

static bool key_eq(const struct tcp_key *a, const struct tcp_key *b)
{
    return a->input == b->input && a->family == b->family && a->sport == b->sport &&
           a->dport == b->dport && memcmp(a->src, b->src, 16) == 0 &&
           memcmp(a->dst, b->dst, 16) == 0;
}

static void ooo_free(struct ooo_seg *o)
{
    free(o->data);
    free(o->frames);
    free(o);
}

static bool has_pending(const struct stream *s)
{
    return s->ooo != NULL || s->len > 0;
}

static void lru_unlink(struct cap_tcp *t, struct stream *s)
{
    if (s->older)
        s->older->newer = s->newer;
    else
        t->oldest = s->newer;
    if (s->newer)
        s->newer->older = s->older;
    else
        t->newest = s->older;
    s->older = s->newer = NULL;
}

static void lru_append(struct cap_tcp *t, struct stream *s)
{
    s->older = t->newest;
    s->newer = NULL;
    if (t->newest)
        t->newest->newer = s;
    else
        t->oldest = s;
    t->newest = s;
}

/* Forgets a stream; if it held data it could not complete, that is a gap. */
static void stream_drop(struct cap_tcp *t, struct stream *s, struct cap_stats *st)
{
    if (st && has_pending(s))
        st->tcp_gaps++;
    struct stream **pp = &t->buckets[key_hash(&s->key)];
    while (*pp && *pp != s)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = s->hnext;
    lru_unlink(t, s);
    for (struct ooo_seg *o = s->ooo, *n; o; o = n) {
        n = o->next;
        ooo_free(o);
    }
    free(s->buf);
    free(s->spans);
    free(s);
    t->n_streams--;
}

void cap_tcp_free(struct cap_tcp *t)
{
    if (!t)
        return;
    while (t->oldest)
        stream_drop(t, t->oldest, NULL);
    free(t);
}

static struct stream *stream_find(struct cap_tcp *t, const struct tcp_key *k)
{
    for (struct stream *s = t->buckets[key_hash(k)]; s; s = s->hnext)
        if (key_eq(&s->key, k))
            return s;
    return NULL;
}

static struct stream *stream_create(struct cap_tcp *t, const struct tcp_key *k,
                                    struct cap_stats *st)
{
    if (t->max_streams == 0)
        return NULL;
    while (t->n_streams >= t->max_streams && t->oldest)
        stream_drop(t, t->oldest, st);
    struct stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->key = *k;
    unsigned h = key_hash(k);
    s->hnext = t->buckets[h];
    t->buckets[h] = s;
    lru_append(t, s);
    t->n_streams++;
    return s;
}

/* Grows *p (of *cap elements of size `size`) to hold `need`, at most `max`. */
static bool grow(void **p, size_t *cap, size_t need, size_t max, size_t size)
{
    if (need <= *cap)
        return true;
    if (need > max)
        return false;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    if (ncap > max)
        ncap = max;
    void *np = realloc(*p, ncap * size);
    if (!np)
        return false;
    *p = np;
    *cap = ncap;
    return true;
}

/* Appends in-order bytes and notes which frames they came from. */
static bool buf_append(struct stream *s, struct rd data, const uint64_t *frames, size_t nframes)
{
    size_t n = data.left;
    if (n == 0)
        return true;
    void *buf = s->buf, *spans = s->spans;
    size_t room = MAX_SPANS - s->nspans;
    size_t add = nframes < room ? nframes : room;
    bool ok = n <= MAX_BUF - s->len && grow(&buf, &s->cap, s->len + n, MAX_BUF, 1) &&
              grow(&spans, &s->spans_cap, s->nspans + add, MAX_SPANS, sizeof *s->spans);
    s->buf = buf;
    s->spans = spans;
    if (!ok || !rd_copy(&data, s->buf + s->len, n))
        return false;
    for (size_t i = 0; i < add; i++)
        s->spans[s->nspans++] = (struct span){ .start = s->len, .end = s->len + n,
                                               .frame = frames[i] };
    if (add < nframes && s->nspans > 0)
        s->spans[s->nspans - 1].end = s->len + n;
    s->len += n;
    s->next_seq += (uint32_t)n;
    return true;
}

/* Frames of the spans that overlap buffered bytes [from, to). */
static size_t frames_of(const struct stream *s, size_t from, size_t to, uint64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nspans; i++)
        if (s->spans[i].start < to && s->spans[i].end > from &&
            (n == 0 || out[n - 1] != s->spans[i].frame))
            out[n++] = s->spans[i].frame;
    return n;
}

/* Drops the first n buffered bytes. */
static void buf_consume(struct stream *s, struct rd rest, size_t n)
{
    size_t keep = rest.left;
    const uint8_t *from;
    if (keep > 0 && rd_bytes(&rest, keep, &from))
        memmove(s->buf, from, keep);
    s->len = keep;
    size_t j = 0;
    for (size_t i = 0; i < s->nspans; i++) {
        if (s->spans[i].end <= n)
            continue;
        struct span sp = s->spans[i];
        sp.start = sp.start > n ? sp.start - n : 0;
        sp.end -= n;
        s->spans[j++] = sp;
    }
    s->nspans = j;
}

/* Frames as many complete records as the buffer holds. False: the stream is broken. */
static bool frame_records(struct stream *s, const struct cap_ip *ip, uint16_t sport,
                          uint16_t dport, const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    struct rd r = rd_make(s->buf, s->len);
    size_t off = 0;
    bool ok = true;

    if (!s->prefix_done) {
        struct rd peek = r;
        uint8_t head[6];
        size_t have = r.left < 6 ? r.left : 6;
        if (!rd_copy(&peek, head, have))
            return false;
        if (memcmp(head, iketcp_prefix, have) != 0) {
            s->prefix_done = true; /* no prefix: the prefix is optional for us */
        } else if (have == 6) {
            rd_skip(&r, 6);
            off = 6;
            s->prefix_done = true;
        }
    }
    while (s->prefix_done) {
        struct rd peek = r, rec;
        uint16_t rlen;
        if (!rd_u16(&peek, &rlen))
            break;
        if (rlen < MIN_RECORD) {
            /* Not RFC 8229: e.g. a peer writing marker + message without the length
             * field (libreswan whose kernel lacks espintcp, run with its impairment). */
            px->stats->undecodable++;
            px->stats->tcp_unframed++;
            ok = false;
            break;
        }
        if (!rd_take(&r, rlen, &rec))
            break; /* wait for the rest */
        uint32_t marker;
        rd_skip(&rec, 2);
        rd_u32(&rec, &marker);
        if (marker != 0) {
            px->stats->esp_in_udp++; /* RFC 8229 section 3: ESP records carry the SPI here */
        } else if (rd_empty(&rec)) {
            px->stats->undecodable++;
        } else {
            uint64_t *frames = malloc((s->nspans ? s->nspans : 1) * sizeof *frames);
            size_t n = rec.left;
            const uint8_t *ike;
            rd_bytes(&rec, n, &ike);
            struct cap_pkt rp = *px;
            if (frames) {
                rp.frames = frames;
                rp.nframes = frames_of(s, off, off + rlen, frames);
            }
            cap_deliver(ip, sport, dport, CAP_FRAMING_TCP, ike, n, &rp, fn, ctx);
            free(frames);
        }
        off += rlen;
    }
    if (off > 0)
        buf_consume(s, r, off);
    return ok;
}

/* Moves out-of-order segments that now line up into the buffer. */
static bool drain_ooo(struct stream *s, const struct cap_ip *ip, uint16_t sport, uint16_t dport,
                      const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (struct ooo_seg **pp = &s->ooo; *pp; pp = &(*pp)->next) {
            struct ooo_seg *o = *pp;
            if (seq_lt(s->next_seq, o->seq))
                continue;
            *pp = o->next;
            s->ooo_count--;
            s->ooo_bytes -= o->len;
            uint32_t skip = s->next_seq - o->seq;
            struct rd data = rd_make(o->data, o->len);
            bool ok = true;
            if (skip < o->len) {
                rd_skip(&data, skip);
                ok = buf_append(s, data, o->frames, o->nframes);
                if (!ok)
                    px->stats->undecodable++;
                ok = ok && frame_records(s, ip, sport, dport, px, fn, ctx);
            }
            ooo_free(o);
            if (!ok)
                return false;
            progress = true;
            break;
        }
    }
    return true;
}

static bool ooo_store(struct stream *s, uint32_t seq, struct rd data, const struct cap_pkt *px)
{
    size_t n = data.left;
    if (s->ooo_count >= MAX_OOO_SEGS || n > MAX_OOO_BYTES - s->ooo_bytes)
        return false;
    for (struct ooo_seg *o = s->ooo; o; o = o->next)
        if (o->seq == seq && o->len >= n)
            return true; /* retransmission of something already held */
    struct ooo_seg *o = calloc(1, sizeof *o);
    if (!o)
        return false;
    o->data = malloc(n);
    o->frames = malloc(px->nframes * sizeof *o->frames);
    if (!o->data || !o->frames || !rd_copy(&data, o->data, n)) {
        ooo_free(o);
        return false;
    }
    memcpy(o->frames, px->frames, px->nframes * sizeof *o->frames);
    o->nframes = px->nframes;
    o->seq = seq;
    o->len = n;
    o->next = s->ooo;
    s->ooo = o;
    s->ooo_count++;
    s->ooo_bytes += n;
    return true;
}

enum stream_res {
    STREAM_OK,
    STREAM_GAP,    /* missing data we will not get: count a gap, drop the stream */
    STREAM_BROKEN, /* impossible framing (already counted): drop the stream */
};

/* Places one segment's payload in the stream. */
static enum stream_res stream_data(struct stream *s, uint32_t seq, struct rd data,
                                   const struct cap_ip *ip, uint16_t sport, uint16_t dport,
                                   const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    size_t n = data.left;
    if (n == 0)
        return STREAM_OK;
    if (seq_lt(seq, s->next_seq)) {
        uint32_t seen = s->next_seq - seq;
        if (seen >= n)
            return STREAM_OK; /* retransmission of bytes already placed */
        rd_skip(&data, seen);
        seq = s->next_seq;
    }
    if (seq != s->next_seq) {
        if (seq - s->next_seq > MAX_WINDOW || !ooo_store(s, seq, data, px))
            return STREAM_GAP;
        return STREAM_OK;
    }
    if (!buf_append(s, data, px->frames, px->nframes)) {
        px->stats->undecodable++;
        return STREAM_BROKEN;
    }
    if (!frame_records(s, ip, sport, dport, px, fn, ctx) ||
        !drain_ooo(s, ip, sport, dport, px, fn, ctx))
        return STREAM_BROKEN;
    return STREAM_OK;
}

/*
 *  |          Source Port          |       Destination Port        |
 *  |                        Sequence Number                        |
 *  |                    Acknowledgment Number                      |
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  |           Checksum            |         Urgent Pointer        |
 */
enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04 };

void cap_tcp_input(struct cap_tcp *t, const struct cap_ip *ip, struct rd seg,
                   const struct cap_pkt *px, cap_ike_fn fn, void *ctx)
{
    uint16_t sport, dport, offflags, win, csum, urg;
    uint32_t seq, ack;
    struct cap_stats *st = px->stats;

    if (!rd_u16(&seg, &sport) || !rd_u16(&seg, &dport) || !rd_u32(&seg, &seq) ||
        !rd_u32(&seg, &ack) || !rd_u16(&seg, &offflags) || !rd_u16(&seg, &win) ||
        !rd_u16(&seg, &csum) || !rd_u16(&seg, &urg)) {
        st->undecodable++;
        return;
    }
    size_t hlen = (size_t)(offflags >> 12) * 4;
    if (hlen < 20 || !rd_skip(&seg, hlen - 20)) {
        st->undecodable++;
        return;
    }
    /* RFC 8229 section 9 uses TCP port 4500, the same number as NAT-T over UDP. */
    if (sport != CAP_PORT_NATT && dport != CAP_PORT_NATT) {
        st->non_ike++;
        if (t->netlog && px->nframes)
            cap_netlog_tcp(t->netlog, px->input, px->ts_sec, px->frames[px->nframes - 1], &ip->src, &ip->dst,
                           sport, dport, offflags & 0x1ff, seg.p, seg.left);
        return;
    }
    st->tcp_segments++;
    if (ip->truncated) {
        st->undecodable++; /* bytes missing from the capture: the stream cannot continue */
        seg = rd_make(NULL, 0);
    }

    struct tcp_key key = { .input = px->input, .family = ip->src.family, .sport = sport,
                           .dport = dport };
    memcpy(key.src, ip->src.bytes, 16);
    memcpy(key.dst, ip->dst.bytes, 16);
    struct stream *s = stream_find(t, &key);
    unsigned flags = offflags & 0x1ff;

    if (flags & TCP_RST) {
        struct tcp_key rev = key;
        memcpy(rev.src, key.dst, 16);
        memcpy(rev.dst, key.src, 16);
        rev.sport = dport;
        rev.dport = sport;
        struct stream *r = stream_find(t, &rev);
        if (s)
            stream_drop(t, s, st);
        if (r)
            stream_drop(t, r, st);
        return;
    }
    uint32_t data_seq = (flags & TCP_SYN) ? seq + 1 : seq;
    if (s && (flags & TCP_SYN) && data_seq != s->next_seq) {
        stream_drop(t, s, st); /* a new connection on the same ports */
        s = NULL;
    }
    if (!s) {
        if (rd_empty(&seg) && !(flags & TCP_SYN))
            return; /* a bare ACK or FIN of a stream we never saw */
        s = stream_create(t, &key, st);
        if (!s)
            return;
        /* From the SYN we know where the data starts; otherwise assume a record starts
         * with the first segment we see. */
        s->next_seq = data_seq;
    }
    s->last_sec = px->ts_sec;
    lru_unlink(t, s);
    lru_append(t, s);

    switch (stream_data(s, data_seq, seg, ip, sport, dport, px, fn, ctx)) {
    case STREAM_OK:
        break;
    case STREAM_GAP:
        st->tcp_gaps++;
        stream_drop(t, s, NULL);
        return;
    case STREAM_BROKEN:
        stream_drop(t, s, NULL);
        return;
    }
    if (flags & TCP_FIN)
        stream_drop(t, s, st); /* the sender is done; anything unfinished is a gap */
}

void cap_tcp_expire(struct cap_tcp *t, bool all_inputs, unsigned input, int64_t now_sec,
                    uint32_t timeout_sec, struct cap_stats *st)
{
    for (struct stream *s = t->oldest, *n; s; s = n) {
        n = s->newer;
        if (!all_inputs && s->key.input != input)
            continue;
        if (has_pending(s) && cap_older_than(s->last_sec, now_sec, timeout_sec))
            stream_drop(t, s, st);
    }
}

size_t cap_tcp_stream_count(const struct cap_tcp *t)
{
    return t->n_streams;
}
