/* fixture.c: a deliberately small pcap reader for the ike tests (link, IP and UDP headers only). */
#include "fixture.h"

#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *fx_path(const char *rel, char *buf, size_t len)
{
    const char *root = getenv("IKESCOPE_FIXTURES");
    if (!root || !*root)
        return NULL;
    snprintf(buf, len, "%s/%s", root, rel);
    return buf;
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void add(struct fx_capture *c, unsigned frame, uint16_t sport, uint16_t dport, bool frag,
                const uint8_t *p, size_t n)
{
    /* Port 4500: a 4-byte zero non-ESP marker precedes IKE (RFC 3948 §2.2); anything
     * else is ESP or a NAT keepalive. */
    if (sport == 4500 || dport == 4500) {
        if (n < 4 || p[0] || p[1] || p[2] || p[3])
            return;
        p += 4;
        n -= 4;
    }
    c->d = realloc(c->d, (c->n + 1) * sizeof *c->d);
    cr_assert_not_null(c->d);
    struct fx_datagram *d = &c->d[c->n++];
    d->frame = frame;
    d->sport = sport;
    d->dport = dport;
    d->ip_fragment = frag;
    d->data = malloc(n ? n : 1);
    cr_assert_not_null(d->data);
    memcpy(d->data, p, n);
    d->len = n;
}

static void udp(struct fx_capture *c, unsigned frame, bool frag, const uint8_t *p, size_t n)
{
    if (n < 8)
        return;
    uint16_t sport = be16(p), dport = be16(p + 2), ulen = be16(p + 4);
    if (sport != 500 && dport != 500 && sport != 4500 && dport != 4500)
        return;
    size_t plen = n - 8;
    if (!frag && ulen >= 8 && (size_t)ulen - 8 < plen)
        plen = (size_t)ulen - 8; /* Ethernet padding */
    add(c, frame, sport, dport, frag, p + 8, plen);
}

static void ip(struct fx_capture *c, unsigned frame, const uint8_t *p, size_t n)
{
    if (n < 1)
        return;
    if ((p[0] >> 4) == 4) {
        if (n < 20)
            return;
        size_t ihl = (size_t)(p[0] & 0x0f) * 4;
        uint16_t tot = be16(p + 2), off = be16(p + 6);
        if (ihl < 20 || ihl > n || p[9] != 17)
            return;
        if (off & 0x1fff)
            return; /* a later fragment: no UDP header */
        if (tot >= ihl && tot < n)
            n = tot;
        udp(c, frame, (off & 0x2000) != 0, p + ihl, n - ihl);
    } else if ((p[0] >> 4) == 6) {
        if (n < 40)
            return;
        uint8_t nh = p[6];
        size_t off = 40;
        bool frag = false;
        if (nh == 44) { /* one fragment header, enough for these captures */
            if (n < off + 8)
                return;
            if (be16(p + off + 2) & 0xfff8)
                return;
            frag = (p[off + 3] & 1) != 0;
            nh = p[off];
            off += 8;
        }
        if (nh != 17)
            return;
        udp(c, frame, frag, p + off, n - off);
    }
}

void fx_load(const char *rel, struct fx_capture *out)
{
    char path[4096], err[PCAP_ERRBUF_SIZE];
    struct stat st;
    const char *root = getenv("IKESCOPE_FIXTURES");

    memset(out, 0, sizeof *out);
    if (!root || stat(root, &st) != 0) {
        fprintf(stderr, "SKIP %s: external fixtures missing (IKESCOPE_FIXTURES=%s)\n", rel,
                root ? root : "(unset)");
        cr_skip_test("external fixtures missing: set IKESCOPE_FIXTURES to "
                     "../shared/fixtures/external (skipping %s)", rel);
    }
    fx_path(rel, path, sizeof path);
    pcap_t *pc = pcap_open_offline(path, err);
    cr_assert_not_null(pc, "cannot open %s: %s", path, err);
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *p;
    unsigned frame = 0;
    while (pcap_next_ex(pc, &h, &p) == 1) {
        frame++;
        size_t n = h->caplen;
        switch (dlt) {
        case DLT_EN10MB: {
            if (n < 14)
                break;
            size_t off = 12;
            uint16_t et = be16(p + off);
            while ((et == 0x8100 || et == 0x88a8) && n >= off + 6) {
                off += 4;
                et = be16(p + off);
            }
            if (et == 0x0800 || et == 0x86dd)
                ip(out, frame, p + off + 2, n - off - 2);
            break;
        }
        case DLT_NULL:
        case DLT_LOOP:
            if (n > 4)
                ip(out, frame, p + 4, n - 4);
            break;
        case DLT_RAW:
        case 101: /* LINKTYPE_RAW */
        case 228: /* LINKTYPE_IPV4 */
        case 229: /* LINKTYPE_IPV6 */
            ip(out, frame, p, n);
            break;
        case DLT_LINUX_SLL:
            if (n > 16)
                ip(out, frame, p + 16, n - 16);
            break;
        default:
            cr_assert_fail("%s: link type %d not handled by the test reader", rel, dlt);
        }
    }
    pcap_close(pc);
}

void fx_free(struct fx_capture *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->d[i].data);
    free(c->d);
    memset(c, 0, sizeof *c);
}

const struct fx_datagram *fx_frame(const struct fx_capture *c, unsigned frame)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->d[i].frame == frame)
            return &c->d[i];
    return NULL;
}

static int nibble(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

uint8_t *fx_hex(const char *hex, size_t *len)
{
    size_t n = 0, cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);
    cr_assert_not_null(out);
    int hi = -1;
    for (const char *s = hex; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == ':')
            continue;
        int v = nibble(*s);
        cr_assert(v >= 0, "bad hex digit '%c' in test vector", *s);
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    cr_assert(hi < 0, "odd number of hex digits in test vector");
    *len = n;
    return out;
}
