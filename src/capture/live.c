/* live.c: packets from a network interface through libpcap, for `ikescope analyze -i`:
 * the same decoder as for files, fed as packets arrive, with a clock tick so that SAs are
 * judged and reported once they fall silent even when no packet comes. */
#include "capture/live.h"

#include "capture/internal.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define SNAPLEN 262144       /* whole packets: IKE_AUTH with certificates is large */
#define READ_TIMEOUT_MS 250  /* how long the loop waits for packets before it looks at the clock */

struct cap_live {
    pcap_t *pcap;
    char name[128];
    int dlt;
    uint64_t frame;
    struct cap_stats stats;
    struct cap_config cfg;
    struct cap_decoder *dec;
    int fd;
};


/*
 * What the kernel hands over: IKE on UDP 500/4500 and any --ike-port, IKE over TCP 4500
 * (RFC 8229), ESP (evidence of a CHILD_SA), ICMP errors about IKE datagrams, DNS and HTTP
 * (CRL and OCSP fetches), and every IP fragment after the first, which carries no UDP
 * header: a filter on ports alone would drop the rest of every large IKE_AUTH message.
 */
void cap_live_filter(const struct cap_config *cfg, char *out, size_t len)
{
    char f[400];
    int n = snprintf(f, sizeof f,
                     "udp port 500 or udp port 4500 or tcp port 4500 or ip proto 50 or ip6 proto 50 or icmp or "
                     "icmp6 or udp port 53 or tcp port 80 or (ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)");
    for (size_t i = 0; i < cfg->n_extra_ports && n > 0 && (size_t)n < sizeof f; i++)
        n += snprintf(f + n, sizeof f - (size_t)n, " or udp port %u", cfg->extra_ports[i]);
    /* A span port often carries 802.1Q-tagged frames, which the same expression does not
     * match: "vlan" moves the offsets past the tag for what follows it, so the expression
     * comes once as is and once after it. */
    snprintf(out, len, "(%s) or (vlan and (%s))", f, f);
}

enum cap_err cap_live_open(struct cap_live **out, const char *iface, const struct cap_config *cfg, char *err,
                           size_t len)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    *out = NULL;
    struct cap_live *lv = calloc(1, sizeof *lv);
    if (!lv) {
        cap_put_err(err, len, "out of memory");
        return CAP_ERR_NOMEM;
    }
    snprintf(lv->name, sizeof lv->name, "live:%s", iface);
    lv->cfg = *cfg;
    lv->pcap = pcap_create(iface, pe);
    if (!lv->pcap) {
        cap_put_err(err, len, "%s: cannot capture: %s", iface, pe);
        free(lv);
        return CAP_ERR_OPEN;
    }
    pcap_set_snaplen(lv->pcap, SNAPLEN);
    pcap_set_promisc(lv->pcap, 1); /* a span port delivers other hosts' traffic */
    pcap_set_timeout(lv->pcap, READ_TIMEOUT_MS);
    pcap_set_immediate_mode(lv->pcap, 1);
    pcap_set_buffer_size(lv->pcap, 16 << 20);
    int rc = pcap_activate(lv->pcap);
    if (rc < 0) {
        const char *why = rc == PCAP_ERROR_PERM_DENIED ? "permission denied (run as root, or give the binary "
                                                         "cap_net_raw,cap_net_admin)"
                          : rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface (ip link lists them)"
                                                            : pcap_geterr(lv->pcap);
        cap_put_err(err, len, "%s: cannot capture: %s", iface, why);
        pcap_close(lv->pcap);
        free(lv);
        return CAP_ERR_OPEN;
    }
    lv->dlt = pcap_datalink(lv->pcap);
    if (!cap_linktype_supported(lv->dlt)) {
        cap_put_err(err, len, "%s: link type %s is not one ikescope decodes (Ethernet, Linux cooked, raw IP, loopback)",
                iface, pcap_datalink_val_to_name(lv->dlt) ? pcap_datalink_val_to_name(lv->dlt) : "?");
        pcap_close(lv->pcap);
        free(lv);
        return CAP_ERR_LINKTYPE;
    }
    char filter[1024];
    struct bpf_program prog;
    cap_live_filter(cfg, filter, sizeof filter);
    if (pcap_compile(lv->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0) {
        if (pcap_setfilter(lv->pcap, &prog) != 0)
            fprintf(stderr, "ikescope: %s: the capture filter was refused (%s); reading every packet\n", iface,
                    pcap_geterr(lv->pcap));
        pcap_freecode(&prog);
    }
    /* Reads never block: the loop waits in poll() instead, so that the clock, the limits
     * and Ctrl-C are looked at even when no packet comes (libpcap's read timeout does not
     * hold in immediate mode on every platform). */
    lv->fd = pcap_get_selectable_fd(lv->pcap);
    if (lv->fd < 0 || pcap_setnonblock(lv->pcap, 1, pe) != 0) {
        cap_put_err(err, len, "%s: cannot capture: the interface cannot be polled", iface);
        pcap_close(lv->pcap);
        free(lv);
        return CAP_ERR_OPEN;
    }
    *out = lv;
    return CAP_OK;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct cap_live *lv = (struct cap_live *)user;
    cap_decoder_packet(lv->dec, 0, lv->dlt, ++lv->frame, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, bytes,
                       h->caplen, h->len, &lv->stats);
}

enum cap_err cap_live_run(struct cap_live *lv, cap_ike_fn fn, void *ctx, const struct cap_live_limits *lim,
                          char *err, size_t len)
{
    if (cap_decoder_new(&lv->dec, &lv->cfg, fn, ctx) != CAP_OK) {
        cap_put_err(err, len, "out of memory");
        return CAP_ERR_NOMEM;
    }
    enum cap_err result = CAP_OK;
    struct timeval start, now;
    gettimeofday(&start, NULL);
    int64_t last_tick = start.tv_sec;
    for (;;) {
        if (lim->stop && *lim->stop)
            break;
        if (lim->max_packets && lv->stats.packets >= lim->max_packets)
            break;
        struct pollfd pfd = { .fd = lv->fd, .events = POLLIN };
        int ready = poll(&pfd, 1, READ_TIMEOUT_MS);
        if (ready < 0 && errno != EINTR) {
            cap_put_err(err, len, "%s: capture failed: %s", lv->name, strerror(errno));
            lv->stats.read_error = true;
            result = CAP_ERR_READ;
            break;
        }
        uint64_t left = lim->max_packets ? lim->max_packets - lv->stats.packets : 0;
        int got = ready > 0 ? pcap_dispatch(lv->pcap, left && left < 1000 ? (int)left : 1000, on_packet, (u_char *)lv)
                            : 0;
        if (got == PCAP_ERROR) {
            cap_put_err(err, len, "%s: capture failed: %s", lv->name, pcap_geterr(lv->pcap));
            lv->stats.read_error = true;
            result = CAP_ERR_READ;
            break;
        }
        gettimeofday(&now, NULL);
        if (lim->seconds && now.tv_sec - start.tv_sec >= (time_t)lim->seconds)
            break;
        /* Once a second: fragments and TCP streams time out, and the caller's tick
         * releases SAs that fell silent, although no packet brought the time. */
        if (now.tv_sec != last_tick) {
            last_tick = now.tv_sec;
            cap_decoder_expire_input(lv->dec, 0, now.tv_sec, &lv->stats);
            if (lim->tick)
                lim->tick(lim->tick_ctx, now.tv_sec, (uint32_t)now.tv_usec);
        }
        if (lim->after_read)
            lim->after_read(lim->after_read_ctx);
    }
    cap_decoder_expire_input(lv->dec, 0, INT64_MAX, &lv->stats);
    cap_decoder_free(lv->dec);
    lv->dec = NULL;
    return result;
}

bool cap_live_drops(const struct cap_live *lv, uint64_t *dropped, uint64_t *if_dropped)
{
    struct pcap_stat ps;
    if (!lv || pcap_stats(lv->pcap, &ps) != 0)
        return false;
    *dropped = ps.ps_drop;
    *if_dropped = ps.ps_ifdrop;
    return true;
}

const char *cap_live_name(const struct cap_live *lv)
{
    return lv->name;
}

const struct cap_stats *cap_live_stats(const struct cap_live *lv)
{
    return &lv->stats;
}

void cap_live_close(struct cap_live *lv)
{
    if (!lv)
        return;
    if (lv->dec)
        cap_decoder_free(lv->dec);
    pcap_close(lv->pcap);
    free(lv);
}
