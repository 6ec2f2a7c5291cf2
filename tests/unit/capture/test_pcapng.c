/* test_pcapng.c: our pcapng block reader, end to end through cap_files: interfaces of
 * different link types in both byte orders, timestamp resolutions and offsets, SPB and the
 * obsolete PB, several sections, skipped blocks, every kind of corruption and every
 * truncation, gzip, the external pcapng fixtures read as libpcap read them, and a
 * mergecap/tshark cross-check. A hang is caught by meson's test timeout: Criterion 2.4's
 * own .timeout leaks in its runner under ASan when two timed tests overlap. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* --- a pcapng writer into memory, either byte order --- */

enum {
    B_SHB = 0x0a0d0d0a, B_IDB = 1, B_PB = 2, B_SPB = 3, B_NRB = 4, B_ISB = 5, B_EPB = 6,
    B_DSB = 0x0a, B_CUSTOM = 0x00000bad,
};
enum { LT_ETH = 1, LT_RAW = 101, LT_SLL = 113, LT_WIFI = 105 };

struct ngb {
    uint8_t b[16384];
    size_t n;
    bool le;
};

static void b_u8(struct ngb *g, uint8_t v)
{
    cr_assert_lt(g->n, sizeof g->b);
    g->b[g->n++] = v;
}

static void b_u16(struct ngb *g, uint16_t v)
{
    b_u8(g, (uint8_t)(g->le ? v : v >> 8));
    b_u8(g, (uint8_t)(g->le ? v >> 8 : v));
}

static void b_u32(struct ngb *g, uint32_t v)
{
    b_u16(g, (uint16_t)(g->le ? v : v >> 16));
    b_u16(g, (uint16_t)(g->le ? v >> 16 : v));
}

static void b_u64(struct ngb *g, uint64_t v)
{
    b_u32(g, (uint32_t)(g->le ? v : v >> 32));
    b_u32(g, (uint32_t)(g->le ? v >> 32 : v));
}

static void b_data(struct ngb *g, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b_u8(g, d[i]);
    while (g->n % 4)
        b_u8(g, 0);
}

static void b_put32(struct ngb *g, size_t at, uint32_t v)
{
    size_t save = g->n;
    g->n = at;
    b_u32(g, v);
    g->n = save;
}

static size_t blk_begin(struct ngb *g, uint32_t type)
{
    size_t start = g->n;
    b_u32(g, type);
    b_u32(g, 0);
    return start;
}

static void blk_end(struct ngb *g, size_t start)
{
    uint32_t total = (uint32_t)(g->n - start + 4);
    b_put32(g, start + 4, total);
    b_u32(g, total);
}

static size_t shb(struct ngb *g, bool le)
{
    g->le = le;
    size_t s = blk_begin(g, B_SHB);
    b_u32(g, 0x1a2b3c4d);
    b_u16(g, 1);
    b_u16(g, 0);
    b_u64(g, UINT64_MAX); /* section length unknown */
    blk_end(g, s);
    return s;
}

/* tsresol < 0: option absent; tsoffset is written when non-zero. */
static size_t idb(struct ngb *g, uint16_t lt, int tsresol, int64_t tsoffset)
{
    size_t s = blk_begin(g, B_IDB);
    b_u16(g, lt);
    b_u16(g, 0);
    b_u32(g, 262144);
    if (tsresol >= 0) {
        b_u16(g, 9);
        b_u16(g, 1);
        uint8_t v = (uint8_t)tsresol;
        b_data(g, &v, 1);
    }
    if (tsoffset) {
        b_u16(g, 14);
        b_u16(g, 8);
        b_u64(g, (uint64_t)tsoffset);
    }
    if (tsresol >= 0 || tsoffset) {
        b_u16(g, 0);
        b_u16(g, 0);
    }
    blk_end(g, s);
    return s;
}

static size_t epb(struct ngb *g, uint32_t ifid, uint64_t ts, const uint8_t *d, size_t n)
{
    size_t s = blk_begin(g, B_EPB);
    b_u32(g, ifid);
    b_u32(g, (uint32_t)(ts >> 32));
    b_u32(g, (uint32_t)ts);
    b_u32(g, (uint32_t)n);
    b_u32(g, (uint32_t)n);
    b_data(g, d, n);
    blk_end(g, s);
    return s;
}

static size_t spb(struct ngb *g, const uint8_t *d, size_t n)
{
    size_t s = blk_begin(g, B_SPB);
    b_u32(g, (uint32_t)n);
    b_data(g, d, n);
    blk_end(g, s);
    return s;
}

static size_t pb(struct ngb *g, uint16_t ifid, uint64_t ts, const uint8_t *d, size_t n)
{
    size_t s = blk_begin(g, B_PB);
    b_u16(g, ifid);
    b_u16(g, 0);
    b_u32(g, (uint32_t)(ts >> 32));
    b_u32(g, (uint32_t)ts);
    b_u32(g, (uint32_t)n);
    b_u32(g, (uint32_t)n);
    b_data(g, d, n);
    blk_end(g, s);
    return s;
}

/* A block we do not read (NRB, ISB, DSB, custom): `n` bytes of noise. */
static size_t other(struct ngb *g, uint32_t type, size_t n)
{
    size_t s = blk_begin(g, type);
    for (size_t i = 0; i < n; i++)
        b_u8(g, (uint8_t)(0xa5 ^ i));
    while (g->n % 4)
        b_u8(g, 0);
    blk_end(g, s);
    return s;
}

/* --- packets: IKE on UDP 500 from src to dst under three link layers --- */

static const uint8_t ETH_SRC[4] = { 10, 0, 0, 1 }, ETH_DST[4] = { 10, 0, 0, 2 };
static const uint8_t SLL_SRC[4] = { 172, 16, 0, 1 }, SLL_DST[4] = { 172, 16, 0, 2 };
static uint8_t pkt[2000];

static size_t ip_ike(uint8_t *out, const uint8_t src[4], const uint8_t dst[4], uint8_t seed)
{
    uint8_t ike[200], udp[300];
    size_t n = mk_ike(ike, 60 + seed, seed);
    size_t u = mk_udp(udp, 500, 500, ike, n);
    return mk_ip4(out, src, dst, 17, seed, 0, NULL, 0, udp, u);
}

static size_t eth_ike(uint8_t seed)
{
    uint8_t ip[400];
    size_t i = ip_ike(ip, ETH_SRC, ETH_DST, seed);
    return mk_eth(pkt, NULL, 0, 0x0800, ip, i);
}

static size_t sll_ike(uint8_t seed)
{
    /* Linux cooked v1: packet type, ARPHRD_ETHER, address length, 8 address bytes, type */
    static const uint8_t hdr[16] = { 0, 0, 0, 1, 0, 6, 2, 4, 4, 4, 4, 4, 0, 0, 0x08, 0x00 };
    uint8_t ip[400];
    size_t i = ip_ike(ip, SLL_SRC, SLL_DST, seed);
    return mk_prefix(pkt, hdr, sizeof hdr, ip, i);
}

static size_t raw_ike(uint8_t seed)
{
    return ip_ike(pkt, T_SRC4, T_DST4, seed);
}

static size_t eth_arp(void)
{
    uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    return mk_eth(pkt, NULL, 0, 0x0806, arp, sizeof arp);
}

/* --- running files --- */

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/ikescope-pcapng-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

static const char *path_in(const char *name)
{
    static char p[8][400];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_bytes(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void gzip_bytes(const char *path, const uint8_t *b, size_t n)
{
    gzFile out = gzopen(path, "wb");
    cr_assert_not_null(out);
    cr_assert_eq(gzwrite(out, b, (unsigned)n), (int)n);
    gzclose(out);
}

struct run {
    struct sink sink;
    char err[512];
    enum cap_err open_rc, run_rc;
    struct cap_stats stats;
};

static void run_path(struct run *r, const char *path)
{
    memset(r, 0, sizeof *r);
    struct cap_files *cf = NULL;
    r->open_rc = cap_files_open(&cf, &path, 1, NULL, r->err, sizeof r->err);
    if (r->open_rc != CAP_OK) {
        cr_assert_null(cf);
        return;
    }
    r->run_rc = cap_files_run(cf, sink_fn, &r->sink, r->err, sizeof r->err);
    r->stats = *cap_files_stats(cf, 0);
    cap_files_close(cf);
}

static void run_bytes(struct run *r, const struct ngb *g, size_t n)
{
    const char *p = path_in("t.pcapng");
    write_bytes(p, g->b, n);
    run_path(r, p);
}

static void assert_addr4(const struct cap_addr *a, const uint8_t want[4], const char *what)
{
    cr_assert_eq(a->family, 4, "%s", what);
    cr_assert_eq(memcmp(a->bytes, want, 4), 0, "%s", what);
}

TestSuite(pcapng, .init = make_dir, .fini = remove_dir);

/* One section, three interfaces of different link types and timestamp resolutions,
 * blocks we skip in between; every packet record kind. */
static size_t build_mixed(struct ngb *g, bool le)
{
    memset(g, 0, sizeof *g);
    shb(g, le);
    idb(g, LT_ETH, -1, 0);                         /* if 0: microseconds by default */
    other(g, B_NRB, 20);
    idb(g, LT_SLL, 9, 0);                          /* if 1: nanoseconds */
    idb(g, LT_RAW, 0x80 | 20, 1000);               /* if 2: 2^-20 s, 1000 s offset */
    size_t n = eth_ike(1);
    epb(g, 0, UINT64_C(100000000) * 1 + 250, pkt, n);               /* 100 s + 250 us */
    other(g, B_ISB, 12);
    n = sll_ike(2);
    epb(g, 1, UINT64_C(200) * 1000000000 + 123456789, pkt, n);      /* 200.123456789 */
    other(g, B_CUSTOM, 9);
    n = raw_ike(3);
    epb(g, 2, (UINT64_C(300) << 20) + (1u << 19) + 1, pkt, n);      /* 300.5000009 + 1000 */
    n = eth_arp();
    epb(g, 0, UINT64_C(400000007), pkt, n);                         /* 400 s + 7 us */
    n = eth_ike(4);
    spb(g, pkt, n);                                                 /* no time: 400.000007 */
    n = sll_ike(5);
    pb(g, 1, UINT64_C(500) * 1000000000 + 1999, pkt, n);            /* 500.000001999 */
    other(g, B_DSB, 31);
    return g->n;
}

static void check_mixed(const struct run *r, const char *what)
{
    cr_assert_eq(r->open_rc, CAP_OK, "%s: %s", what, r->err);
    cr_assert_eq(r->run_rc, CAP_OK, "%s: %s", what, r->err);
    cr_assert_eq(r->stats.packets, 6, "%s", what);
    cr_assert_eq(r->stats.non_ike, 1, "%s", what);
    cr_assert_eq(r->stats.ike_datagrams, 5, "%s", what);
    cr_assert_eq(r->stats.undecodable, 0, "%s", what);
    cr_assert_eq(r->stats.unsupported_linktype, 0, "%s", what);
    cr_assert_eq(r->sink.n, 5, "%s", what);
    const struct {
        uint64_t frame;
        int64_t sec;
        uint32_t usec;
        const uint8_t *src, *dst;
        size_t len;
    } want[] = {
        { 1, 100, 250, ETH_SRC, ETH_DST, 61 },
        { 2, 200, 123456, SLL_SRC, SLL_DST, 62 },
        { 3, 1300, 500000, T_SRC4, T_DST4, 63 },
        { 5, 400, 7, ETH_SRC, ETH_DST, 64 },
        { 6, 500, 1, SLL_SRC, SLL_DST, 65 },
    };
    for (size_t i = 0; i < 5; i++) {
        const struct got *g = &r->sink.items[i];
        cr_assert_eq(g->nframes, 1, "%s item %zu", what, i);
        cr_assert_eq(g->frames[0], want[i].frame, "%s item %zu", what, i);
        cr_assert_eq(g->ts_sec, want[i].sec, "%s item %zu: %lld", what, i, (long long)g->ts_sec);
        cr_assert_eq(g->ts_usec, want[i].usec, "%s item %zu: %u", what, i, g->ts_usec);
        assert_addr4(&g->src, want[i].src, what);
        assert_addr4(&g->dst, want[i].dst, what);
        cr_assert_eq(g->len, want[i].len, "%s item %zu", what, i);
        cr_assert_eq(g->sport, 500);
        cr_assert(!g->incomplete);
    }
}

Test(pcapng, mixed_link_types_in_both_byte_orders)
{
    static struct ngb g;
    for (int le = 0; le < 2; le++) {
        size_t n = build_mixed(&g, le);
        struct run r;
        run_bytes(&r, &g, n);
        check_mixed(&r, le ? "little-endian" : "big-endian");
        sink_clear(&r.sink);
        /* the same through gzip */
        const char *gz = path_in("t.pcapng.gz");
        gzip_bytes(gz, g.b, n);
        run_path(&r, gz);
        check_mixed(&r, le ? "gzip little-endian" : "gzip big-endian");
        sink_clear(&r.sink);
    }
}

Test(pcapng, timestamp_resolutions_and_offsets)
{
    static const struct {
        int tsresol;
        int64_t offset;
        uint64_t ts;
        int64_t sec;
        uint32_t usec;
    } rows[] = {
        { -1, 0, UINT64_C(1700000000123456), 1700000000, 123456 },          /* default 10^-6 */
        { 6, 0, UINT64_C(1700000000123456), 1700000000, 123456 },
        { 9, 0, UINT64_C(1700000000123456789), 1700000000, 123456 },        /* ns, truncated */
        { 3, 0, UINT64_C(1700000000123), 1700000000, 123000 },              /* ms */
        { 0, 0, UINT64_C(1700000000), 1700000000, 0 },                      /* seconds */
        { 19, 0, UINT64_C(1) * 10000000000000000000u + 5000000000000, 1, 0 }, /* 10^-19 */
        { 0x80 | 20, 0, (UINT64_C(5) << 20) | (UINT64_C(1) << 18), 5, 250000 },  /* 2^-20 */
        { 0x80 | 20, 0, (UINT64_C(5) << 20) | 1, 5, 0 },                    /* 0.95 us down */
        { 0x80 | 0, 0, 77, 77, 0 },                                          /* 2^0 */
        { 0x80 | 63, 0, UINT64_C(1) << 62, 0, 500000 },                     /* 2^-63 */
        { 0x80 | 50, 0, (UINT64_C(3) << 50) | (UINT64_C(3) << 47), 3, 375000 },
        { -1, 1000000, UINT64_C(5000001), 1000005, 1 },                     /* offset + */
        { 9, -10, UINT64_C(20000000001), 10, 0 },                           /* offset - */
    };
    static struct ngb g;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int le = 0; le < 2; le++) {
            memset(&g, 0, sizeof g);
            shb(&g, le);
            idb(&g, LT_RAW, rows[i].tsresol, rows[i].offset);
            size_t n = raw_ike(1);
            epb(&g, 0, rows[i].ts, pkt, n);
            struct run r;
            run_bytes(&r, &g, g.n);
            cr_assert_eq(r.run_rc, CAP_OK, "row %zu: %s", i, r.err);
            cr_assert_eq(r.sink.n, 1, "row %zu", i);
            cr_assert_eq(r.sink.items[0].ts_sec, rows[i].sec, "row %zu le %d: %lld", i, le,
                         (long long)r.sink.items[0].ts_sec);
            cr_assert_eq(r.sink.items[0].ts_usec, rows[i].usec, "row %zu le %d: %u", i, le,
                         r.sink.items[0].ts_usec);
            sink_clear(&r.sink);
        }
    }
}

/* Each section has its own byte order and its own interfaces, numbered from 0 again. */
Test(pcapng, several_sections)
{
    static struct ngb g;
    memset(&g, 0, sizeof g);
    shb(&g, true);
    idb(&g, LT_RAW, -1, 0);
    idb(&g, LT_ETH, -1, 0);
    size_t n = eth_ike(1);
    epb(&g, 1, 1000000, pkt, n);
    shb(&g, false);
    idb(&g, LT_SLL, 9, 0);
    n = sll_ike(2);
    epb(&g, 0, UINT64_C(2000000000), pkt, n);
    shb(&g, true);
    other(&g, B_ISB, 4); /* a section may hold no interface for a while */
    idb(&g, LT_ETH, -1, 0);
    n = eth_ike(3);
    spb(&g, pkt, n);
    size_t good = g.n;
    struct run r;
    run_bytes(&r, &g, good);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 3);
    assert_addr4(&r.sink.items[0].src, ETH_SRC, "section 1");
    assert_addr4(&r.sink.items[1].src, SLL_SRC, "section 2");
    assert_addr4(&r.sink.items[2].src, ETH_SRC, "section 3");
    cr_assert_eq(r.sink.items[1].ts_sec, 2);
    cr_assert_eq(r.sink.items[2].ts_sec, 2, "SPB takes the previous packet's time");
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(r.sink.items[i].frames[0], i + 1);
    sink_clear(&r.sink);

    /* interface 1 belonged to the first section only */
    n = eth_ike(4);
    epb(&g, 1, 3000000, pkt, n);
    g.n = good;
    shb(&g, false);
    idb(&g, LT_ETH, -1, 0);
    epb(&g, 1, 3000000, pkt, n);
    run_bytes(&r, &g, g.n);
    cr_assert_eq(r.run_rc, CAP_ERR_READ);
    cr_assert(strstr(r.err, ": packet 4: enhanced packet block names interface 1 but the "
                            "section describes 1 (corrupt capture); analysed the 3 packets "
                            "before it") != NULL, "%s", r.err);
    cr_assert_eq(r.sink.n, 3);
    cr_assert(r.stats.read_error);
    sink_clear(&r.sink);
}

Test(pcapng, unsupported_interface_is_counted_not_fatal)
{
    static struct ngb g;
    memset(&g, 0, sizeof g);
    shb(&g, true);
    idb(&g, LT_WIFI, -1, 0);
    idb(&g, LT_ETH, -1, 0);
    size_t n = eth_ike(1);
    epb(&g, 0, 1000000, pkt, n); /* not 802.11 really; never decoded */
    epb(&g, 1, 2000000, pkt, n);
    struct run r;
    run_bytes(&r, &g, g.n);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 1);
    cr_assert_eq(r.sink.items[0].frames[0], 2);
    cr_assert_eq(r.stats.packets, 2);
    cr_assert_eq(r.stats.unsupported_linktype, 1);
    cr_assert_eq(r.stats.undecodable, 0);
    sink_clear(&r.sink);

    /* no interface we can decode: the clear error of a pcap file, at open */
    memset(&g, 0, sizeof g);
    shb(&g, false);
    idb(&g, LT_WIFI, -1, 0);
    epb(&g, 0, 1000000, pkt, n);
    const char *p = path_in("wifi.pcapng");
    write_bytes(p, g.b, g.n);
    run_path(&r, p);
    cr_assert_eq(r.open_rc, CAP_ERR_LINKTYPE);
    char want[600];
    snprintf(want, sizeof want,
             "%s: link type IEEE802_11 (105) is not supported; ikescope reads Ethernet, Linux "
             "cooked, raw IP and BSD loopback captures", p);
    cr_assert_str_eq(r.err, want);

    /* a section header and nothing else: libpcap's message, at open */
    memset(&g, 0, sizeof g);
    shb(&g, true);
    write_bytes(p, g.b, g.n);
    run_path(&r, p);
    cr_assert_eq(r.open_rc, CAP_ERR_FORMAT);
    snprintf(want, sizeof want, "%s: the capture file has no Interface Description Blocks", p);
    cr_assert_str_eq(r.err, want);
}

/* --- corruption: a good file with three packets, the second one damaged --- */

struct base {
    struct ngb g;
    size_t idb_at, epb2_at, epb3_at;
};

static void build_base(struct base *b, bool le)
{
    memset(b, 0, sizeof *b);
    shb(&b->g, le);
    b->idb_at = idb(&b->g, LT_ETH, 9, 0);
    size_t n = eth_ike(1);
    epb(&b->g, 0, 1000000000, pkt, n);
    b->epb2_at = epb(&b->g, 0, 2000000000, pkt, n);
    b->epb3_at = epb(&b->g, 0, 3000000000, pkt, n);
    other(&b->g, B_ISB, 8);
}

enum field { F_LEN, F_TRAILER, F_IFID, F_CAPLEN, F_TYPE_SHB_BADBOM };

static const struct corrupt_row {
    const char *name;
    enum field field;
    uint32_t value;
    const char *want; /* after "PATH: packet 2: " */
} corrupt_rows[] = {
    { "length not a multiple of 4", F_LEN, 101,
      "block length 101 is not a multiple of 4 (corrupt capture)" },
    { "length below 12", F_LEN, 8, "block length 8 is below the minimum of 12 (corrupt capture)" },
    { "length zero", F_LEN, 0, "block length 0 is below the minimum of 12 (corrupt capture)" },
    { "length beyond 16 MiB", F_LEN, 0x7ffffff0u,
      "a block of 2147483632 bytes is larger than the 16 MiB ikescope accepts" },
    { "length past the end of the file", F_LEN, 1u << 20,
      "the file ends in the middle of a packet record (truncated capture)" },
    { "length shorter, trailer lands inside the data", F_LEN, 40, "at the end differ" },
    { "trailing length differs", F_TRAILER, 12, "at the start and 12 at the end differ" },
    { "unknown interface", F_IFID, 7,
      "enhanced packet block names interface 7 but the section describes 1" },
    { "captured length beyond the block", F_CAPLEN, 4000,
      "enhanced packet block: captured length 4000 is larger than the block's" },
    { "captured length 2^32-1", F_CAPLEN, UINT32_MAX, "captured length 4294967295" },
    { "a new section with a bad byte-order magic", F_TYPE_SHB_BADBOM, 0,
      "section header with the unknown byte-order magic" },
};

Test(pcapng, every_corruption_is_a_read_error_after_the_good_packets)
{
    static struct base b;
    for (size_t i = 0; i < sizeof corrupt_rows / sizeof corrupt_rows[0]; i++) {
        const struct corrupt_row *row = &corrupt_rows[i];
        for (int le = 0; le < 2; le++) {
            build_base(&b, le);
            size_t at = b.epb2_at;
            switch (row->field) {
            case F_LEN:
                b_put32(&b.g, at + 4, row->value);
                break;
            case F_TRAILER:
                b_put32(&b.g, b.epb3_at - 4, row->value);
                break;
            case F_IFID:
                b_put32(&b.g, at + 8, row->value);
                break;
            case F_CAPLEN:
                b_put32(&b.g, at + 20, row->value);
                break;
            case F_TYPE_SHB_BADBOM:
                b_put32(&b.g, at, B_SHB);
                b_put32(&b.g, at + 8, 0x11223344);
                break;
            }
            struct run r;
            run_bytes(&r, &b.g, b.g.n);
            cr_assert_eq(r.open_rc, CAP_OK, "%s: %s", row->name, r.err);
            cr_assert_eq(r.run_rc, CAP_ERR_READ, "%s (le %d)", row->name, le);
            char head[600];
            snprintf(head, sizeof head, "%s: packet 2: ", path_in("t.pcapng"));
            cr_assert(strncmp(r.err, head, strlen(head)) == 0, "%s: %s", row->name, r.err);
            cr_assert(strstr(r.err, row->want) != NULL, "%s: %s", row->name, r.err);
            cr_assert(strstr(r.err, "analysed the 1 packet before it") != NULL, "%s: %s",
                      row->name, r.err);
            cr_assert_eq(r.sink.n, 1, "%s", row->name);
            cr_assert_eq(r.stats.packets, 1, "%s", row->name);
            cr_assert(r.stats.read_error);
            sink_clear(&r.sink);
        }
    }
}

/* Broken headers and interfaces before the first packet: nothing can be read, open fails. */
Test(pcapng, broken_section_or_interface_fails_at_open)
{
    static struct base b;
    static const struct {
        const char *name;
        size_t field; /* offset from the IDB or the SHB start */
        bool in_shb;
        uint32_t value;
        const char *want;
    } rows[] = {
        { "SHB version 2", 12, true, 0x00000002, "pcapng version 2.0 is not supported" },
        { "SHB byte-order magic", 8, true, 0x01020304, "unknown byte-order magic 0x" },
        { "SHB length 24", 4, true, 24, "block length 24 is below the minimum of 28" },
        { "IDB trailing length", 32 - 4, false, 16, "at the end differ" },
        { "if_tsresol of 2 bytes", 16, false, 0x00090002, "if_tsresol option of 2 bytes" },
        { "if_tsresol 10^-20", 20, false, 20, "if_tsresol 10^-20 is finer" },
        { "if_tsresol 2^-64", 20, false, 0x80 | 64, "if_tsresol 2^-64 is finer" },
        { "option past the block", 16, false, 0x00090040, "runs past the block" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        build_base(&b, false); /* big-endian: the u32 writes below land as read */
        size_t at = (rows[i].in_shb ? 0 : b.idb_at) + rows[i].field;
        if (rows[i].field == 20 && !rows[i].in_shb) {
            b.g.b[at] = (uint8_t)rows[i].value; /* the tsresol byte itself */
        } else if (rows[i].field == 12 && rows[i].in_shb) {
            b_put32(&b.g, at, rows[i].value << 16); /* major 2, minor 0 */
        } else {
            b_put32(&b.g, at, rows[i].value);
        }
        struct run r;
        run_bytes(&r, &b.g, b.g.n);
        cr_assert_eq(r.open_rc, CAP_ERR_FORMAT, "%s: %s", rows[i].name, r.err);
        cr_assert(strstr(r.err, rows[i].want) != NULL, "%s: %s", rows[i].name, r.err);
        cr_assert(strstr(r.err, path_in("t.pcapng")) == r.err, "%s", r.err);
    }
}

/* Every prefix of a small file: an open error, a read error, or a clean stop after exactly
 * the packets whose blocks are whole; never a crash or a hang. */
Test(pcapng, truncated_at_every_byte)
{
    static struct base b;
    for (int le = 0; le < 2; le++) {
        build_base(&b, le);
        size_t shb_end = 28, idb_end = b.idb_at + 32;
        size_t epb_len = b.epb3_at - b.epb2_at;
        size_t ends[] = { b.epb2_at, b.epb3_at, b.epb3_at + epb_len, b.g.n };
        for (size_t cut = 0; cut < b.g.n; cut++) {
            struct run r;
            run_bytes(&r, &b.g, cut);
            if (cut < idb_end) {
                cr_assert_eq(r.open_rc, CAP_ERR_FORMAT, "cut %zu: %s", cut, r.err);
                if (cut == shb_end)
                    cr_assert(strstr(r.err, "no Interface Description Blocks"), "%s", r.err);
                else if (cut >= 4)
                    cr_assert(strstr(r.err, "truncated capture"), "cut %zu: %s", cut, r.err);
                continue;
            }
            cr_assert_eq(r.open_rc, CAP_OK, "cut %zu: %s", cut, r.err);
            size_t whole = 0;
            bool boundary = cut == idb_end;
            for (size_t k = 0; k < 4; k++) {
                if (cut >= ends[k] && k < 3)
                    whole = k + 1;
                if (cut == ends[k])
                    boundary = true;
            }
            cr_assert_eq(r.sink.n, whole, "cut %zu", cut);
            cr_assert_eq(r.stats.packets, whole, "cut %zu", cut);
            if (boundary) {
                cr_assert_eq(r.run_rc, CAP_OK, "cut %zu: %s", cut, r.err);
            } else {
                cr_assert_eq(r.run_rc, CAP_ERR_READ, "cut %zu", cut);
                char want[200], before[64];
                if (whole == 0)
                    snprintf(before, sizeof before, "no packet came before it");
                else
                    snprintf(before, sizeof before, "analysed the %zu packet%s before it", whole,
                             whole == 1 ? "" : "s");
                snprintf(want, sizeof want, ": packet %zu: the file ends in the middle of a "
                                            "packet record (truncated capture); %s", whole + 1, before);
                cr_assert(strstr(r.err, want), "cut %zu: %s", cut, r.err);
            }
            sink_clear(&r.sink);
        }
    }
}

/* Any byte of a small file overwritten: whatever it reads, it ends without a crash. */
Test(pcapng, every_byte_overwritten_never_crashes)
{
    static struct base b;
    static const uint8_t values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
    build_base(&b, true);
    size_t n = b.g.n;
    static uint8_t orig[sizeof b.g.b];
    memcpy(orig, b.g.b, n);
    size_t errors = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(b.g.b, orig, n);
            b.g.b[i] = values[v];
            struct run r;
            run_bytes(&r, &b.g, n);
            cr_assert_leq(r.sink.n, 3);
            if (r.open_rc != CAP_OK || r.run_rc != CAP_OK)
                errors++;
            sink_clear(&r.sink);
        }
    }
    cr_assert_gt(errors, 0);
}

Test(pcapng, gzip_cut_short_is_a_read_error)
{
    static struct ngb g;
    size_t n = build_mixed(&g, true);
    const char *gz = path_in("cut.pcapng.gz");
    gzip_bytes(gz, g.b, n);
    struct stat sb;
    cr_assert_eq(stat(gz, &sb), 0);
    cr_assert_eq(truncate(gz, sb.st_size - 12), 0); /* the gzip trailer and a little more */
    struct run r;
    run_path(&r, gz);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_ERR_READ);
    cr_assert(strstr(r.err, "the gzip data is damaged or ends early") != NULL, "%s", r.err);
    cr_assert(r.stats.read_error);
    sink_clear(&r.sink);
}

/* --- the external pcapng fixtures: the same datagrams as when libpcap read them --- */

static void run_libpcap(struct sink *s, struct cap_stats *st, const char *path)
{
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, perr);
    cr_assert_not_null(p, "%s", perr);
    struct cap_decoder *dec;
    cr_assert_eq(cap_decoder_new(&dec, NULL, sink_fn, s), CAP_OK);
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t frame = 0;
    while (pcap_next_ex(p, &h, &d) == 1)
        cap_decoder_packet(dec, 0, pcap_datalink(p), ++frame, h->ts.tv_sec,
                           (uint32_t)h->ts.tv_usec, d, h->caplen, h->len, st);
    cap_decoder_expire_input(dec, 0, INT64_MAX, st);
    cap_decoder_free(dec);
    pcap_close(p);
}

Test(fixtures, pcapng_fixtures_read_as_libpcap_read_them)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    static const char *files[] = { "tcpdump/isakmp-no-none-np.pcapng",
                                   "tcpdump/ikev2pI2-segfault.pcapng" };
    for (size_t i = 0; i < 2; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", fx, files[i]);
        static struct sink old;
        struct cap_stats old_st = { 0 };
        run_libpcap(&old, &old_st, p);
        struct run r;
        run_path(&r, p);
        cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
        cr_assert_gt(old.n, 0, "%s", files[i]);
        cr_assert_eq(r.sink.n, old.n, "%s", files[i]);
        cr_assert_eq(r.stats.packets, old_st.packets, "%s", files[i]);
        for (size_t k = 0; k < old.n; k++) {
            const struct got *a = &old.items[k], *b = &r.sink.items[k];
            cr_assert_eq(a->ts_sec, b->ts_sec, "%s %zu", files[i], k);
            cr_assert_eq(a->ts_usec, b->ts_usec, "%s %zu", files[i], k);
            cr_assert(cap_addr_eq(&a->src, &b->src) && cap_addr_eq(&a->dst, &b->dst));
            cr_assert_eq(a->sport, b->sport);
            cr_assert_eq(a->dport, b->dport);
            cr_assert_eq(a->framing, b->framing);
            cr_assert_eq(a->incomplete, b->incomplete);
            cr_assert_eq(a->len, b->len, "%s %zu", files[i], k);
            cr_assert_eq(memcmp(a->data, b->data, a->len), 0, "%s %zu", files[i], k);
            cr_assert_eq(a->nframes, b->nframes);
            cr_assert_eq(memcmp(a->frames, b->frames, a->nframes * sizeof *a->frames), 0);
        }
        sink_clear(&old);
        sink_clear(&r.sink);
    }
}

/* --- mergecap of captures with four link types; tshark says which frames are ISAKMP --- */

static bool have_tool(const char *name)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

Test(fixtures, mergecap_of_four_link_types_matches_tshark, .init = make_dir,
     .fini = remove_dir)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    if (!have_tool("mergecap") || !have_tool("tshark"))
        cr_skip_test("mergecap or tshark (wireshark-common, tshark) is missing: "
                     "the mergecap cross-check did NOT run");
    /* A Linux cooked capture of our own: libpcap writes it, mergecap keeps its link type. */
    const char *sll = path_in("sll.pcap");
    pcap_t *dead = pcap_open_dead(DLT_LINUX_SLL, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, sll);
    cr_assert_not_null(d);
    for (uint8_t s = 1; s <= 3; s++) {
        size_t n = sll_ike(s);
        struct pcap_pkthdr h = { .ts = { 1000 + s, 0 }, .caplen = (bpf_u_int32)n,
                                 .len = (bpf_u_int32)n };
        pcap_dump((u_char *)d, &h, pkt);
    }
    pcap_dump_close(d);
    pcap_close(dead);

    const char *out = path_in("merged.pcapng"), *frames = path_in("frames.txt");
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "mergecap -w '%s' '%s/tcpdump/isakmp4500.pcap' '%s/tcpdump/ikev2four.pcap' "
             "'%s/suricata-verify/ikev2-weak-dh/IKEv2_SA_INIT_2-8-weak.pcap' '%s' && "
             "tshark -r '%s' -Y isakmp -T fields -e frame.number > '%s' 2>/dev/null",
             out, fx, fx, fx, sll, out, frames);
    cr_assert_eq(system(cmd), 0, "%s", cmd);

    uint64_t want[128];
    size_t nwant = 0;
    FILE *f = fopen(frames, "r");
    cr_assert_not_null(f);
    unsigned long long v;
    while (nwant < 128 && fscanf(f, "%llu", &v) == 1)
        want[nwant++] = v;
    fclose(f);
    cr_assert_eq(nwant, 15 + 21 + 1 + 3, "tshark lists %zu ISAKMP frames", nwant);

    struct run r;
    run_path(&r, out);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.stats.packets, 35 + 21 + 1 + 3);
    cr_assert_eq(r.stats.unsupported_linktype, 0);
    cr_assert_eq(r.sink.n, nwant);
    for (size_t i = 0; i < nwant; i++) {
        cr_assert_eq(r.sink.items[i].nframes, 1);
        cr_assert_eq(r.sink.items[i].frames[0], want[i], "item %zu", i);
    }
    /* our Linux cooked packets came out with their addresses */
    size_t sll_seen = 0;
    for (size_t i = 0; i < r.sink.n; i++)
        if (r.sink.items[i].src.family == 4 && memcmp(r.sink.items[i].src.bytes, SLL_SRC, 4) == 0)
            sll_seen++;
    cr_assert_eq(sll_seen, 3);
    sink_clear(&r.sink);
}
