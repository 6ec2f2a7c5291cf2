/* test_files.c: pcap, pcapng and gzip inputs, merging in time order, read errors, and
 * datagram counts on real captures cross-checked with tshark. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char dir[256];
static uint8_t ike[2000], l4[3000], ip[3100], fr[3200];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/ikescope-capture-XXXXXX");
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

/* An Ethernet frame with UDP 500 -> 500 and an IKE message of `n` bytes (seed varies). */
static size_t eth_ike(uint8_t seed, size_t n)
{
    mk_ike(ike, n, seed);
    size_t u = mk_udp(l4, 500, 500, ike, n);
    size_t i = mk_ip4(ip, T_SRC4, T_DST4, 17, seed, 0, NULL, 0, l4, u);
    return mk_eth(fr, NULL, 0, 0x0800, ip, i);
}

static size_t eth_arp(void)
{
    uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    return mk_eth(fr, NULL, 0, 0x0806, arp, sizeof arp);
}

struct pkt_spec {
    int64_t sec;
    uint8_t seed; /* 0: ARP */
};

static void write_pcap(const char *path, int dlt, const struct pkt_spec *pk, size_t n)
{
    pcap_t *dead = pcap_open_dead(dlt, 65535);
    pcap_dumper_t *dump = pcap_dump_open(dead, path);
    cr_assert_not_null(dump, "%s", pcap_geterr(dead));
    for (size_t i = 0; i < n; i++) {
        size_t len = pk[i].seed ? eth_ike(pk[i].seed, 100 + pk[i].seed) : eth_arp();
        struct pcap_pkthdr h = { .ts = { .tv_sec = pk[i].sec, .tv_usec = 10 },
                                 .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
        pcap_dump((u_char *)dump, &h, fr);
    }
    pcap_dump_close(dump);
    pcap_close(dead);
}

/* --- a minimal pcapng writer: SHB, IDBs, EPBs (little-endian) --- */
static void le32(FILE *f, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    fwrite(b, 1, 4, f);
}
static void le16(FILE *f, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    fwrite(b, 1, 2, f);
}

static void ng_shb(FILE *f)
{
    le32(f, 0x0a0d0d0a);
    le32(f, 28);
    le32(f, 0x1a2b3c4d);
    le16(f, 1);
    le16(f, 0);
    le32(f, 0xffffffff);
    le32(f, 0xffffffff);
    le32(f, 28);
}

static void ng_idb(FILE *f, uint16_t linktype)
{
    le32(f, 1);
    le32(f, 20);
    le16(f, linktype);
    le16(f, 0);
    le32(f, 65535);
    le32(f, 20);
}

static void ng_epb(FILE *f, uint32_t ifid, uint64_t usec, const uint8_t *data, size_t len)
{
    size_t pad = (4 - len % 4) % 4;
    uint32_t total = (uint32_t)(32 + len + pad);
    le32(f, 6);
    le32(f, total);
    le32(f, ifid);
    le32(f, (uint32_t)(usec >> 32));
    le32(f, (uint32_t)usec);
    le32(f, (uint32_t)len);
    le32(f, (uint32_t)len);
    fwrite(data, 1, len, f);
    for (size_t i = 0; i < pad; i++)
        fputc(0, f);
    le32(f, total);
}

static void gzip_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    cr_assert_not_null(in);
    gzFile out = gzopen(to, "wb");
    cr_assert_not_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        gzwrite(out, buf, (unsigned)n);
    fclose(in);
    gzclose(out);
}

static void truncate_by(const char *path, off_t cut)
{
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(truncate(path, sb.st_size - cut), 0);
}

struct run {
    struct sink sink;
    char err[512];
    enum cap_err open_rc, run_rc;
    struct cap_stats stats[4];
    size_t n;
};

static void run_files(struct run *r, const char *const *paths, size_t n)
{
    memset(r, 0, sizeof *r);
    struct cap_files *cf = NULL;
    r->open_rc = cap_files_open(&cf, paths, n, NULL, r->err, sizeof r->err);
    if (r->open_rc != CAP_OK) {
        cr_assert_null(cf);
        return;
    }
    cr_assert_eq(cap_files_count(cf), n);
    r->run_rc = cap_files_run(cf, sink_fn, &r->sink, r->err, sizeof r->err);
    r->n = n;
    for (size_t i = 0; i < n && i < 4; i++) {
        r->stats[i] = *cap_files_stats(cf, (unsigned)i);
        cr_assert_str_eq(cap_files_path(cf, (unsigned)i), paths[i]);
    }
    cap_files_close(cf);
}

static void run_one(struct run *r, const char *path)
{
    run_files(r, &path, 1);
}

static const struct pkt_spec three[] = { { 100, 1 }, { 101, 0 }, { 102, 2 } };

TestSuite(files, .init = make_dir, .fini = remove_dir);

Test(files, pcap)
{
    const char *p = path_in("a.pcap");
    write_pcap(p, DLT_EN10MB, three, 3);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 2);
    cr_assert_eq(r.sink.items[0].frames[0], 1);
    cr_assert_eq(r.sink.items[1].frames[0], 3);
    cr_assert_eq(r.sink.items[1].ts_sec, 102);
    cr_assert_eq(r.stats[0].packets, 3);
    cr_assert_eq(r.stats[0].non_ike, 1);
    cr_assert_eq(r.stats[0].ike_datagrams, 2);
    cr_assert_not(r.stats[0].read_error);
    sink_clear(&r.sink);
}

Test(files, pcapng_with_two_interfaces)
{
    const char *p = path_in("b.pcapng");
    FILE *f = fopen(p, "wb");
    ng_shb(f);
    ng_idb(f, 1);
    ng_idb(f, 1);
    size_t n = eth_ike(1, 101);
    ng_epb(f, 0, 1000000, fr, n);
    n = eth_ike(2, 102);
    ng_epb(f, 1, 2000000, fr, n);
    n = eth_arp();
    ng_epb(f, 1, 3000000, fr, n);
    fclose(f);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 2);
    cr_assert_eq(r.sink.items[1].len, 102);
    cr_assert_eq(r.sink.items[1].ts_sec, 2);
    cr_assert_eq(r.stats[0].packets, 3);
    sink_clear(&r.sink);
}

Test(files, pcapng_with_mixed_link_types_reads_every_interface)
{
    /* libpcap 1.10 stopped at the second interface (another link type); our pcapng reader
     * gives each packet its own interface's link type. More in test_pcapng.c. */
    const char *p = path_in("mixed.pcapng");
    FILE *f = fopen(p, "wb");
    ng_shb(f);
    ng_idb(f, 1);
    size_t n = eth_ike(1, 101);
    ng_epb(f, 0, 1000000, fr, n);
    ng_idb(f, 101);
    mk_ike(ike, 102, 2);
    size_t u = mk_udp(l4, 500, 500, ike, 102);
    n = mk_ip4(ip, T_SRC4, T_DST4, 17, 2, 0, NULL, 0, l4, u);
    ng_epb(f, 1, 2000000, ip, n);
    fclose(f);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 2);
    cr_assert_eq(r.sink.items[1].frames[0], 2);
    cr_assert_eq(r.sink.items[1].len, 102);
    cr_assert_eq(r.sink.items[1].ts_sec, 2);
    cr_assert_eq(r.stats[0].packets, 2);
    cr_assert_not(r.stats[0].read_error);
    sink_clear(&r.sink);
}

Test(files, gzip_detected_by_magic_not_name)
{
    const char *plain = path_in("c.pcap");
    write_pcap(plain, DLT_EN10MB, three, 3);
    const char *names[] = { "c.pcap.gz", "c-no-suffix.pcap", "c.bin" };
    for (size_t i = 0; i < 3; i++) {
        const char *gz = path_in(names[i]);
        gzip_file(plain, gz);
        struct run r;
        run_one(&r, gz);
        cr_assert_eq(r.open_rc, CAP_OK, "%s: %s", names[i], r.err);
        cr_assert_eq(r.run_rc, CAP_OK, "%s: %s", names[i], r.err);
        cr_assert_eq(r.sink.n, 2, "%s", names[i]);
        cr_assert_eq(r.stats[0].packets, 3, "%s", names[i]);
        sink_clear(&r.sink);
    }
    /* and pcapng inside gzip */
    const char *ng = path_in("d.pcapng");
    FILE *f = fopen(ng, "wb");
    ng_shb(f);
    ng_idb(f, 1);
    size_t n = eth_ike(3, 300);
    ng_epb(f, 0, 5000000, fr, n);
    fclose(f);
    const char *ngz = path_in("d.pcapng.gz");
    gzip_file(ng, ngz);
    struct run r;
    run_one(&r, ngz);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 1);
    cr_assert_eq(r.sink.items[0].len, 300);
    sink_clear(&r.sink);
}

Test(files, several_files_merge_in_time_order)
{
    const struct pkt_spec a[] = { { 10, 1 }, { 30, 3 }, { 50, 5 } };
    const struct pkt_spec b[] = { { 20, 2 }, { 40, 0 }, { 45, 4 }, { 60, 6 } };
    const char *pa = path_in("a.pcap"), *pb = path_in("b.pcap"), *pbgz = path_in("b.pcap.gz");
    write_pcap(pa, DLT_EN10MB, a, 3);
    write_pcap(pb, DLT_EN10MB, b, 4);
    gzip_file(pb, pbgz);
    const char *paths[] = { pa, pbgz };
    struct run r;
    run_files(&r, paths, 2);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 6);
    const struct { unsigned input; uint64_t frame; int64_t sec; } want[] = {
        { 0, 1, 10 }, { 1, 1, 20 }, { 0, 2, 30 }, { 1, 3, 45 }, { 0, 3, 50 }, { 1, 4, 60 },
    };
    for (size_t i = 0; i < 6; i++) {
        cr_assert_eq(r.sink.items[i].input, want[i].input, "item %zu", i);
        cr_assert_eq(r.sink.items[i].frames[0], want[i].frame, "item %zu", i);
        cr_assert_eq(r.sink.items[i].ts_sec, want[i].sec, "item %zu", i);
    }
    cr_assert_eq(r.stats[0].packets, 3);
    cr_assert_eq(r.stats[1].packets, 4);
    cr_assert_eq(r.stats[1].non_ike, 1);
    sink_clear(&r.sink);
}

Test(files, truncated_pcap_reports_and_keeps_going)
{
    const struct pkt_spec a[] = { { 10, 1 }, { 30, 3 }, { 50, 5 } };
    const struct pkt_spec b[] = { { 20, 2 }, { 60, 6 } };
    const char *pa = path_in("cut.pcap"), *pb = path_in("ok.pcap");
    write_pcap(pa, DLT_EN10MB, a, 3);
    truncate_by(pa, 20); /* inside the third record */
    write_pcap(pb, DLT_EN10MB, b, 2);
    const char *paths[] = { pa, pb };
    struct run r;
    run_files(&r, paths, 2);
    cr_assert_eq(r.run_rc, CAP_ERR_READ);
    char want[512];
    snprintf(want, sizeof want,
             "%s: packet 3: the file ends in the middle of a packet record (truncated capture); "
             "analysed the 2 packets before it", pa);
    cr_assert_str_eq(r.err, want);
    cr_assert(r.stats[0].read_error);
    cr_assert_not(r.stats[1].read_error);
    cr_assert_eq(r.stats[0].packets, 2);
    cr_assert_eq(r.sink.n, 4);
    sink_clear(&r.sink);
}

Test(files, truncated_gzip_is_a_read_error)
{
    const struct pkt_spec a[] = { { 10, 1 }, { 30, 3 }, { 50, 5 } };
    const char *pa = path_in("g.pcap"), *gz = path_in("g.pcap.gz");
    write_pcap(pa, DLT_EN10MB, a, 3);
    gzip_file(pa, gz);
    truncate_by(gz, 30);
    struct run r;
    run_one(&r, gz);
    cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.run_rc, CAP_ERR_READ);
    cr_assert(r.stats[0].read_error);
    cr_assert(strstr(r.err, gz) == r.err, "%s", r.err);
    cr_assert(strstr(r.err, "analysed the") != NULL, "%s", r.err);
    sink_clear(&r.sink);
}

Test(files, open_errors_name_the_file)
{
    struct run r;
    const char *missing = path_in("missing.pcap");
    run_one(&r, missing);
    cr_assert_eq(r.open_rc, CAP_ERR_OPEN);
    char want[512];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", missing);
    cr_assert_str_eq(r.err, want);

    const char *text = path_in("notes.txt");
    FILE *f = fopen(text, "wb");
    fputs("hello world\n", f);
    fclose(f);
    run_one(&r, text);
    cr_assert_eq(r.open_rc, CAP_ERR_FORMAT);
    snprintf(want, sizeof want,
             "%s: not a pcap or pcapng capture (unknown magic 0x68656c6c); it starts like text: is this a text "
             "or hex export? Save the capture itself as pcap or pcapng (Wireshark: File > Save As; tcpdump -w; "
             "tshark -w)", text);
    cr_assert_str_eq(r.err, want);

    const char *empty = path_in("empty.pcap");
    f = fopen(empty, "wb");
    fclose(f);
    run_one(&r, empty);
    cr_assert_eq(r.open_rc, CAP_ERR_FORMAT);
    cr_assert(strstr(r.err, "not a pcap or pcapng capture") != NULL, "%s", r.err);

    const char *gztext = path_in("notes.txt.gz");
    gzip_file(text, gztext);
    run_one(&r, gztext);
    cr_assert_eq(r.open_rc, CAP_ERR_FORMAT);
    cr_assert(strstr(r.err, "unknown magic 0x68656c6c") != NULL, "%s", r.err);

    const char *hdr = path_in("header-only.pcap");
    f = fopen(hdr, "wb");
    fwrite("\xd4\xc3\xb2\xa1\x02\x00", 1, 6, f); /* pcap magic, then nothing */
    fclose(f);
    run_one(&r, hdr);
    cr_assert_eq(r.open_rc, CAP_ERR_FORMAT);
    cr_assert(strstr(r.err, hdr) == r.err, "%s", r.err);

    /* the second path fails: nothing stays open, the message names it */
    const char *good = path_in("good.pcap");
    write_pcap(good, DLT_EN10MB, three, 3);
    const char *paths[] = { good, missing };
    run_files(&r, paths, 2);
    cr_assert_eq(r.open_rc, CAP_ERR_OPEN);
    cr_assert(strstr(r.err, missing) == r.err, "%s", r.err);
}

Test(files, unsupported_link_type)
{
    const char *p = path_in("wifi.pcap");
    pcap_t *dead = pcap_open_dead(DLT_IEEE802_11, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, p);
    pcap_dump_close(d);
    pcap_close(dead);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.open_rc, CAP_ERR_LINKTYPE);
    char want[512];
    snprintf(want, sizeof want,
             "%s: link type IEEE802_11 (105) is not supported; ikescope reads Ethernet, Linux "
             "cooked, raw IP and BSD loopback captures", p);
    cr_assert_str_eq(r.err, want);
}

Test(files, fragments_time_out_between_files_by_capture_time)
{
    /* Two fragments of one datagram 40 s apart: the first times out (30 s default). */
    static uint8_t big[3000];
    mk_ike(big, 2000, 1);
    size_t u = mk_udp(l4, 500, 500, big, 2000);
    const char *p = path_in("frag.pcap");
    pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, p);
    size_t n = mk_ip4(ip, T_SRC4, T_DST4, 17, 9, 0x2000, NULL, 0, l4, 1480);
    struct pcap_pkthdr h = { .ts = { 100, 0 }, .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
    pcap_dump((u_char *)d, &h, ip);
    n = mk_ip4(ip, T_SRC4, T_DST4, 17, 9, 1480 / 8, NULL, 0, l4 + 1480, u - 1480);
    h.ts.tv_sec = 140;
    h.caplen = h.len = (bpf_u_int32)n;
    pcap_dump((u_char *)d, &h, ip);
    pcap_dump_close(d);
    pcap_close(dead);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.stats[0].frag_timeouts, 2, "one by time, one left at the end");
    cr_assert_eq(r.stats[0].ip_fragments, 2);
    /* The first timed out holding the first fragment: delivered incomplete, at its own time.
     * The second (no first fragment) has nothing to show. */
    cr_assert_eq(r.sink.n, 1);
    cr_assert(r.sink.items[0].incomplete);
    cr_assert_eq(r.sink.items[0].ts_sec, 100);
    cr_assert_eq(r.sink.items[0].nframes, 1);
    cr_assert_eq(r.sink.items[0].frames[0], 1);
    cr_assert_eq(r.sink.items[0].len, 1480 - 8);
    cr_assert_eq(memcmp(r.sink.items[0].data, big, 1480 - 8), 0);
    cr_assert_eq(r.stats[0].incomplete_delivered, 1);
    sink_clear(&r.sink);
}

/* What a capture filter "udp port 500 or udp port 4500" and a small snap length leave of an
 * exchange: the first fragment of a big IKE_AUTH alone, and a cut packet. Both come out,
 * flagged; the first fragment at the end of the input, before cap_files_run returns. */
Test(files, first_fragment_only_and_snaplen_cut)
{
    static uint8_t big[3000], natt[3004];
    mk_ike(big, 2500, 4);
    memcpy(natt + 4, big, 2500); /* after the non-ESP marker */
    size_t u = mk_udp(l4, 4500, 4500, natt, 2504);
    const char *p = path_in("filtered.pcap");
    pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, p);
    size_t n = mk_ip4(ip, T_SRC4, T_DST4, 17, 9, 0x2000, NULL, 0, l4, 1480);
    struct pcap_pkthdr h = { .ts = { 100, 500 }, .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
    pcap_dump((u_char *)d, &h, ip);
    mk_ike(ike, 300, 6);
    u = mk_udp(l4, 500, 500, ike, 300);
    n = mk_ip4(ip, T_SRC4, T_DST4, 17, 10, 0, NULL, 0, l4, u);
    h = (struct pcap_pkthdr){ .ts = { 101, 0 }, .caplen = 20 + 8 + 60, .len = (bpf_u_int32)n };
    pcap_dump((u_char *)d, &h, ip);
    n = mk_ip4(ip, T_SRC4, T_DST4, 17, 11, 0, NULL, 0, l4, u);
    h = (struct pcap_pkthdr){ .ts = { 102, 0 }, .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
    pcap_dump((u_char *)d, &h, ip);
    pcap_dump_close(d);
    pcap_close(dead);

    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 3, "%zu delivered, %llu undecodable, %llu frag", r.sink.n,
                 (unsigned long long)r.stats[0].undecodable,
                 (unsigned long long)r.stats[0].ip_fragments);
    struct got *cut = &r.sink.items[0], *whole = &r.sink.items[1], *first = &r.sink.items[2];
    cr_assert(cut->incomplete);
    cr_assert_eq(cut->frames[0], 2);
    cr_assert_eq(cut->len, 60);
    cr_assert_eq(memcmp(cut->data, ike, 60), 0);
    cr_assert(!whole->incomplete);
    cr_assert_eq(whole->len, 300);
    cr_assert(first->incomplete);
    cr_assert_eq(first->framing, CAP_FRAMING_UDP_NONESP);
    cr_assert_eq(first->nframes, 1);
    cr_assert_eq(first->frames[0], 1);
    cr_assert_eq(first->ts_sec, 100);
    cr_assert_eq(first->ts_usec, 500);
    cr_assert_eq(first->len, 1480 - 8 - 4);
    cr_assert_eq(memcmp(first->data, big, first->len), 0);
    cr_assert_eq(r.stats[0].ike_datagrams, 3);
    cr_assert_eq(r.stats[0].incomplete_delivered, 2);
    cr_assert_eq(r.stats[0].frag_timeouts, 1);
    cr_assert_eq(r.stats[0].undecodable, 0);
    sink_clear(&r.sink);
}

/* --- real captures; expectations derived with tshark 4.x:
 *   tshark -r FILE -Y isakmp | wc -l; ... -Y 'esp && udp'; ... -Y udpencap.nat_keepalive;
 *   ... -Y 'ip.proto == 50' (ESP directly on IP; ESP behind AH is not looked into) --- */

struct fixture_row {
    const char *file;
    uint64_t packets, ike, esp, keepalives, reassembled, esp_ip;
};

static const struct fixture_row fixture_rows[] = {
    { "zeek-spicy-ipsec/ipsec_client.pcap", 11, 5, 0, 0, 3, 0 },
    { "tcpdump/isakmp4500.pcap", 35, 15, 8, 4, 0, 0 },
    { "tcpdump/ikev2pI2.pcap", 2, 2, 0, 0, 0, 0 },                 /* BSD loopback */
    { "tcpdump/ikev2four.pcap", 21, 21, 0, 0, 0, 0 },
    { "tcpdump/isakmp-no-none-np.pcapng", 1, 1, 0, 0, 0, 0 },
    { "tcpdump/espudp1.pcap", 8, 0, 8, 0, 0, 0 },
    { "suricata-verify/ikev2-weak-dh/IKEv2_SA_INIT_2-8-weak.pcap", 1, 1, 0, 0, 0, 0 }, /* raw IP */
    { "zeek-plugin-ikev2/ikev2.pcap", 7, 7, 0, 0, 0, 0 },
    { "zeek-spicy-ipsec/ikev1-certs.pcap", 10, 10, 0, 0, 0, 0 },
    { "zeek-spicy-ipsec/ipsec.cap", 27, 11, 0, 0, 0, 16 },
    { "zeek-spicy-ipsec/IPsec_ESP-AH_tunnel_mode.cap", 10, 0, 0, 0, 0, 0 },
};

Test(fixtures, counts_match_tshark)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    for (size_t i = 0; i < sizeof fixture_rows / sizeof fixture_rows[0]; i++) {
        const struct fixture_row *row = &fixture_rows[i];
        char p[600];
        snprintf(p, sizeof p, "%s/%s", fx, row->file);
        struct run r;
        run_one(&r, p);
        cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
        cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
        cr_assert_eq(r.stats[0].packets, row->packets, "%s", row->file);
        cr_assert_eq(r.sink.n, row->ike, "%s: %zu datagrams", row->file, r.sink.n);
        cr_assert_eq(r.sink.esp_seen, row->esp + row->esp_ip, "%s: %zu ESP packets", row->file, r.sink.esp_seen);
        cr_assert_eq(r.stats[0].ike_datagrams, row->ike, "%s", row->file);
        cr_assert_eq(r.stats[0].esp_in_udp, row->esp, "%s", row->file);
        cr_assert_eq(r.stats[0].esp, row->esp_ip, "%s", row->file);
        cr_assert_eq(r.stats[0].nat_keepalives, row->keepalives, "%s", row->file);
        cr_assert_eq(r.stats[0].reassembled, row->reassembled, "%s", row->file);
        cr_assert_eq(r.stats[0].frag_timeouts, 0, "%s", row->file);
        sink_clear(&r.sink);
    }
}

Test(fixtures, ipsec_client_fragmented_ike_auth)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    char p[600];
    snprintf(p, sizeof p, "%s/zeek-spicy-ipsec/ipsec_client.pcap", fx);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.sink.n, 5);
    /* tshark: frames 3+4+5, 6+7+8 and 9+10+11 are three IKE_AUTH retransmissions. */
    const uint64_t want[5][3] = { { 1 }, { 2 }, { 3, 4, 5 }, { 6, 7, 8 }, { 9, 10, 11 } };
    const size_t nwant[5] = { 1, 1, 3, 3, 3 };
    for (size_t i = 0; i < 5; i++) {
        struct got *g = &r.sink.items[i];
        cr_assert_eq(g->nframes, nwant[i], "datagram %zu", i);
        for (size_t k = 0; k < nwant[i]; k++)
            cr_assert_eq(g->frames[k], want[i][k], "datagram %zu frame %zu", i, k);
        char src[46];
        cap_addr_str(&g->src, src, sizeof src);
        cr_assert_str_eq(src, i == 1 ? "144.76.154.114" : "192.168.0.10");
    }
    /* The IKE length field of the reassembled message equals what was delivered. */
    struct got *g = &r.sink.items[2];
    cr_assert_geq(g->len, 28);
    uint32_t ike_len = (uint32_t)g->data[24] << 24 | (uint32_t)g->data[25] << 16 |
                       (uint32_t)g->data[26] << 8 | g->data[27];
    cr_assert_eq(ike_len, g->len);
    cr_assert_eq(g->data[18], 35, "exchange type IKE_AUTH");
    cr_assert_eq(r.stats[0].ip_fragments, 9); /* frames 3-11 are all fragments */
    sink_clear(&r.sink);
}

Test(fixtures, isakmp4500_framing)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    char p[600];
    snprintf(p, sizeof p, "%s/tcpdump/isakmp4500.pcap", fx);
    struct run r;
    run_one(&r, p);
    cr_assert_eq(r.sink.n, 15);
    for (size_t i = 0; i < r.sink.n; i++) {
        struct got *g = &r.sink.items[i];
        bool natt = g->sport == 4500;
        cr_assert_eq(g->framing, natt ? CAP_FRAMING_UDP_NONESP : CAP_FRAMING_UDP);
        cr_assert_eq(g->frames[0] >= 7, natt, "frame %llu", (unsigned long long)g->frames[0]);
    }
    cr_assert_eq(r.sink.esp_seen, r.stats[0].esp_in_udp, "ESP in UDP is handed on (as CHILD_SA evidence)");
    sink_clear(&r.sink);
}

Test(fixtures, gzip_of_a_real_capture_and_merge_with_itself, .init = make_dir,
     .fini = remove_dir)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    char p[600];
    snprintf(p, sizeof p, "%s/zeek-spicy-ipsec/ipsec_client.pcap", fx);
    const char *gz = path_in("client.pcap.gz");
    gzip_file(p, gz);
    const char *paths[] = { p, gz };
    struct run r;
    run_files(&r, paths, 2);
    cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
    cr_assert_eq(r.sink.n, 10);
    for (size_t i = 0; i < 10; i += 2) {
        cr_assert_eq(r.sink.items[i].input, 0);
        cr_assert_eq(r.sink.items[i + 1].input, 1);
        cr_assert_eq(r.sink.items[i].nframes, r.sink.items[i + 1].nframes);
    }
    cr_assert_eq(r.stats[1].reassembled, 3);
    sink_clear(&r.sink);
}

/* Every external capture, malformed ones included, reads without crashing. */
Test(fixtures, every_external_capture_reads)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    char cmd[700];
    snprintf(cmd, sizeof cmd,
             "find '%s' -type f \\( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \\)", fx);
    FILE *list = popen(cmd, "r");
    cr_assert_not_null(list);
    char line[800];
    size_t files = 0;
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = '\0';
        struct run r;
        run_one(&r, line);
        cr_assert_eq(r.open_rc, CAP_OK, "%s", r.err);
        cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
        cr_assert_gt(r.stats[0].packets, 0, "%s", line);
        sink_clear(&r.sink);
        files++;
    }
    pclose(list);
    cr_assert_gt(files, 10);
}

/* tcpdump's deliberately broken ISAKMP captures: every packet `tshark -Y isakmp` lists is
 * delivered (flagged incomplete when the capture cut it); the rest is counted. */
struct broken_row {
    const char *file;
    uint64_t packets, delivered, incomplete, undecodable, non_ike;
    uint64_t frames[2]; /* of the delivered ones */
};

static const struct broken_row broken_rows[] = {
    /* UDP length 456 beyond a whole 166-byte IP datagram: tshark "Malformed"; version 11 */
    { "tcpdump/isakmp-delete-segfault.pcap", 1, 1, 0, 0, 0, { 1 } },
    /* first fragments cut by the snap length; the later fragment is cut too (undecodable) */
    { "tcpdump/isakmp-various-oobr.pcap", 2, 1, 1, 1, 0, { 1 } },
    { "tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap", 1, 1, 1, 0, 0, { 1 } },
    { "tcpdump/isakmpv1-attr-oobr.pcap", 1, 1, 1, 0, 0, { 1 } },
    /* frame 2 is a fragment of protocol 40 (IL), not UDP */
    { "tcpdump/isakmp-ikev1_n_print-oobr.pcap", 3, 2, 2, 0, 1, { 1, 3 } },
    /* UDP 4500 with no payload byte captured: tshark does not call it ISAKMP either */
    { "tcpdump/isakmp-3948-oobr-2.pcap", 1, 0, 0, 1, 0, { 0 } },
    /* 22 frames of ethertype 0x3030, one UDP 4500 header with nothing after it */
    { "tcpdump/isakmp-rfc3948-oobr.pcap", 23, 0, 0, 1, 22, { 0 } },
};

Test(fixtures, broken_tcpdump_captures_match_tshark)
{
    const char *fx = fixtures_dir();
    if (!fx)
        cr_skip_test("IKESCOPE_FIXTURES (../shared/fixtures/external) is missing: "
                     "the real-capture tests did NOT run");
    for (size_t i = 0; i < sizeof broken_rows / sizeof broken_rows[0]; i++) {
        const struct broken_row *row = &broken_rows[i];
        char p[600];
        snprintf(p, sizeof p, "%s/%s", fx, row->file);
        struct run r;
        run_one(&r, p);
        cr_assert_eq(r.run_rc, CAP_OK, "%s", r.err);
        const struct cap_stats *st = &r.stats[0];
        cr_assert_eq(st->packets, row->packets, "%s", row->file);
        cr_assert_eq(r.sink.n, row->delivered, "%s: %zu delivered", row->file, r.sink.n);
        cr_assert_eq(st->ike_datagrams, row->delivered, "%s", row->file);
        cr_assert_eq(st->incomplete_delivered, row->incomplete, "%s", row->file);
        cr_assert_eq(st->undecodable, row->undecodable, "%s", row->file);
        cr_assert_eq(st->non_ike, row->non_ike, "%s", row->file);
        /* every packet is delivered or counted somewhere */
        cr_assert_eq(st->packets, st->ike_datagrams + st->undecodable + st->non_ike,
                     "%s", row->file);
        for (size_t k = 0; k < r.sink.n; k++) {
            cr_assert_eq(r.sink.items[k].nframes, 1, "%s", row->file);
            cr_assert_eq(r.sink.items[k].frames[0], row->frames[k], "%s", row->file);
        }
        sink_clear(&r.sink);
    }
}
