/* netlog.c: DNS questions and answers (RFC 1035 §4.1), TCP connection attempts (RFC 9293
 * §3.5) and HTTP status lines (RFC 9112 §4) seen beside the IKE traffic. */
#include "capture/netlog.h"

#include <stdlib.h>
#include <string.h>


/* Open-addressed index over the facts: slot holds fact index + 1, 0 is empty. */
#define INDEX_SLOTS (2 * NETLOG_MAX)

struct netlog_impl {
    struct cap_netlog pub;
    uint32_t dns_index[INDEX_SLOTS];
    uint32_t tcp_index[INDEX_SLOTS];
};

struct cap_netlog *cap_netlog_new(void)
{
    /* The fact arrays come with the first fact: most IKE captures hold no other traffic. */
    struct netlog_impl *n = calloc(1, sizeof *n);
    return n ? &n->pub : NULL;
}

void cap_netlog_free(struct cap_netlog *log)
{
    if (!log)
        return;
    free(log->dns);
    free(log->tcp);
    free(log); /* pub is the first member of netlog_impl */
}

static uint32_t mix(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t conn_hash(const struct cap_addr *client, uint16_t cport, const struct cap_addr *server,
                          uint16_t sport)
{
    uint32_t h = 2166136261u;
    h = mix(h, client->bytes, 16);
    h = mix(h, &cport, sizeof cport);
    h = mix(h, server->bytes, 16);
    return mix(h, &sport, sizeof sport);
}

/* --- DNS --- */

/* The question name in lower case with dots; false when it is malformed. Questions are
 * not compressed in practice, but a pointer is followed (at most 16 times) to be safe. */
static bool dns_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t outlen)
{
    size_t pos = *off, used = 0, jumps = 0;
    bool jumped = false;
    for (;;) {
        if (pos >= len)
            return false;
        uint8_t l = msg[pos];
        if (l == 0) {
            if (!jumped)
                *off = pos + 1;
            break;
        }
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= len || ++jumps > 16)
                return false;
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            pos = (size_t)(l & 0x3F) << 8 | msg[pos + 1];
            continue;
        }
        if (l > 63 || pos + 1 + l > len || used + l + 2 > outlen)
            return false;
        if (used)
            out[used++] = '.';
        for (size_t i = 0; i < l; i++) {
            char c = (char)msg[pos + 1 + i];
            out[used++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        pos += 1 + (size_t)l;
    }
    out[used] = '\0';
    return true;
}

/* Skips a name in a resource record (labels, or a pointer that ends it). */
static bool dns_skip_name(const uint8_t *msg, size_t len, size_t *off)
{
    size_t pos = *off;
    for (int guard = 0; guard < 128; guard++) {
        if (pos >= len)
            return false;
        uint8_t l = msg[pos];
        if (l == 0) {
            *off = pos + 1;
            return true;
        }
        if ((l & 0xC0) == 0xC0) {
            *off = pos + 2;
            return pos + 2 <= len;
        }
        pos += 1 + (size_t)l;
    }
    return false;
}

static uint32_t dns_key(uint16_t id, const struct cap_addr *client, uint16_t cport)
{
    uint32_t h = mix(2166136261u, &id, sizeof id);
    h = mix(h, client->bytes, 16);
    return mix(h, &cport, sizeof cport);
}

static struct cap_dns_fact *dns_find(struct netlog_impl *n, uint16_t id, const struct cap_addr *client,
                                     uint16_t cport, const char *name)
{
    uint32_t slot = dns_key(id, client, cport) % INDEX_SLOTS;
    for (size_t k = 0; k < INDEX_SLOTS && n->dns_index[slot]; k++, slot = (slot + 1) % INDEX_SLOTS) {
        struct cap_dns_fact *f = &n->pub.dns[n->dns_index[slot] - 1];
        if (f->id == id && f->client_port == cport && cap_addr_eq(&f->client, client) &&
            (!name || strcmp(f->name, name) == 0))
            return f;
    }
    return NULL;
}

void cap_netlog_udp(struct cap_netlog *log, unsigned input, int64_t ts_sec, uint64_t frame,
                    const struct cap_addr *src, const struct cap_addr *dst, uint16_t sport, uint16_t dport,
                    const uint8_t *p, size_t len)
{
    struct netlog_impl *n = (struct netlog_impl *)log;
    if (!log || (sport != 53 && dport != 53) || len < 12)
        return;
    uint16_t id = (uint16_t)(p[0] << 8 | p[1]), flags = (uint16_t)(p[2] << 8 | p[3]);
    uint16_t qd = (uint16_t)(p[4] << 8 | p[5]), an = (uint16_t)(p[6] << 8 | p[7]);
    bool response = flags & 0x8000;
    size_t off = 12;
    char name[256];
    if (qd != 1 || !dns_name(p, len, &off, name, sizeof name) || off + 4 > len)
        return;
    uint16_t qtype = (uint16_t)(p[off] << 8 | p[off + 1]);
    off += 4;
    if (!response) {
        struct cap_dns_fact *f = dns_find(n, id, src, sport, name);
        if (f && !f->answered) {
            f->queries++;
            return;
        }
        if (log->ndns == NETLOG_MAX || (!log->dns && !(log->dns = calloc(NETLOG_MAX, sizeof *log->dns)))) {
            log->dns_dropped++;
            return;
        }
        f = &log->dns[log->ndns++];
        memset(f, 0, sizeof *f);
        f->input = input;
        memcpy(f->name, name, sizeof f->name);
        f->qtype = qtype;
        f->id = id;
        f->client = *src;
        f->server = *dst;
        f->client_port = sport;
        f->ts_sec = ts_sec;
        f->query_frame = frame;
        f->queries = 1;
        uint32_t slot = dns_key(id, src, sport) % INDEX_SLOTS;
        while (n->dns_index[slot])
            slot = (slot + 1) % INDEX_SLOTS;
        n->dns_index[slot] = (uint32_t)log->ndns;
        return;
    }
    struct cap_dns_fact *f = dns_find(n, id, dst, dport, name);
    if (!f || f->answered)
        return;
    f->answered = true;
    f->rcode = flags & 0x0F;
    f->answer_frame = frame;
    for (unsigned i = 0; i < an && off < len; i++) {
        if (!dns_skip_name(p, len, &off) || off + 10 > len)
            return;
        uint16_t type = (uint16_t)(p[off] << 8 | p[off + 1]);
        uint16_t rdlen = (uint16_t)(p[off + 8] << 8 | p[off + 9]);
        off += 10;
        if (rdlen > len - off)
            return;
        if (f->naddrs < NETLOG_ADDRS && ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16))) {
            struct cap_addr *a = &f->addrs[f->naddrs++];
            memset(a, 0, sizeof *a);
            a->family = type == 1 ? 4 : 6;
            memcpy(a->bytes, p + off, rdlen);
        }
        off += rdlen;
    }
}

/* --- TCP --- */

static struct cap_tcp_fact *tcp_find(struct netlog_impl *n, const struct cap_addr *client, uint16_t cport,
                                     const struct cap_addr *server, uint16_t sport)
{
    uint32_t slot = conn_hash(client, cport, server, sport) % INDEX_SLOTS;
    for (size_t k = 0; k < INDEX_SLOTS && n->tcp_index[slot]; k++, slot = (slot + 1) % INDEX_SLOTS) {
        struct cap_tcp_fact *f = &n->pub.tcp[n->tcp_index[slot] - 1];
        if (f->client_port == cport && f->server_port == sport && cap_addr_eq(&f->client, client) &&
            cap_addr_eq(&f->server, server))
            return f;
    }
    return NULL;
}

/* RFC 9112 §4: "HTTP/1.1 200 OK". */
static int http_status(const uint8_t *p, size_t len)
{
    if (len < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ')
        return 0;
    int v = 0;
    for (int i = 9; i < 12; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

void cap_netlog_tcp(struct cap_netlog *log, unsigned input, int64_t ts_sec, uint64_t frame,
                    const struct cap_addr *src, const struct cap_addr *dst, uint16_t sport, uint16_t dport,
                    unsigned flags, const uint8_t *payload, size_t len)
{
    struct netlog_impl *n = (struct netlog_impl *)log;
    if (!log)
        return;
    if ((flags & CAP_TCP_SYN) && !(flags & CAP_TCP_ACK)) {
        struct cap_tcp_fact *f = tcp_find(n, src, sport, dst, dport);
        if (f) {
            f->syns++;
            return;
        }
        if (log->ntcp == NETLOG_MAX || (!log->tcp && !(log->tcp = calloc(NETLOG_MAX, sizeof *log->tcp)))) {
            log->tcp_dropped++;
            return;
        }
        f = &log->tcp[log->ntcp++];
        memset(f, 0, sizeof *f);
        f->input = input;
        f->client = *src;
        f->server = *dst;
        f->client_port = sport;
        f->server_port = dport;
        f->ts_sec = ts_sec;
        f->syn_frame = frame;
        f->syns = 1;
        uint32_t slot = conn_hash(src, sport, dst, dport) % INDEX_SLOTS;
        while (n->tcp_index[slot])
            slot = (slot + 1) % INDEX_SLOTS;
        n->tcp_index[slot] = (uint32_t)log->ntcp;
        return;
    }
    /* From the server: SYN-ACK, RST or data; from the client: only a RST matters. */
    struct cap_tcp_fact *f = tcp_find(n, dst, dport, src, sport);
    bool from_server = f != NULL;
    if (!f)
        f = tcp_find(n, src, sport, dst, dport);
    if (!f)
        return;
    if ((flags & CAP_TCP_RST) && !f->rst_frame) {
        f->rst_frame = frame;
        f->rst_from_server = from_server;
    } else if (from_server && (flags & CAP_TCP_SYN) && (flags & CAP_TCP_ACK) && !f->synack_frame) {
        f->synack_frame = frame;
    } else if (from_server && len && !f->http_status) {
        int st = http_status(payload, len);
        if (st) {
            f->http_status = st;
            f->http_frame = frame;
        }
    }
}
