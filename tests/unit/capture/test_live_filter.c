/* test_live_filter.c: the kernel filter of `analyze -i` (capture/live.c), compiled by
 * libpcap and run on frames: IKE on 500/4500, a non-first IP fragment (no UDP header), and
 * each of them 802.1Q-tagged as a trunk span port delivers them, must pass; other UDP must
 * not, tagged or not; an --ike-port is added. */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/live.h"

/* Ethernet, optionally one 802.1Q tag, IPv4 (20 bytes) and 8 bytes of UDP header. */
static size_t frame(unsigned char *f, bool tagged, uint16_t sport, uint16_t dport, uint16_t frag_offset)
{
    memset(f, 0, 80);
    size_t l2 = tagged ? 18 : 14;
    if (tagged) {
        f[12] = 0x81;
        f[14] = 0x00;
        f[15] = 10; /* VLAN 10 */
    }
    f[l2 - 2] = 0x08; /* IPv4 */
    unsigned char *ip = f + l2;
    ip[0] = 0x45;
    ip[6] = (unsigned char)(frag_offset >> 8);
    ip[7] = (unsigned char)frag_offset;
    ip[9] = 17;
    unsigned char *udp = ip + 20;
    udp[0] = (unsigned char)(sport >> 8);
    udp[1] = (unsigned char)sport;
    udp[2] = (unsigned char)(dport >> 8);
    udp[3] = (unsigned char)dport;
    return l2 + 28;
}

static bool passes(struct bpf_program *b, bool tagged, uint16_t sport, uint16_t dport, uint16_t frag)
{
    unsigned char f[80];
    struct pcap_pkthdr h = { 0 };
    h.caplen = h.len = (bpf_u_int32)frame(f, tagged, sport, dport, frag);
    return pcap_offline_filter(b, &h, f) != 0;
}

Test(live_filter, ike_fragments_and_tagged_frames_pass_other_udp_does_not)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    cfg.extra_ports[cfg.n_extra_ports++] = 1701;
    char expr[1024];
    cap_live_filter(&cfg, expr, sizeof expr);
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
    struct bpf_program b;
    cr_assert_eq(pcap_compile(p, &b, expr, 1, PCAP_NETMASK_UNKNOWN), 0, "%s: %s", expr, pcap_geterr(p));
    for (int tagged = 0; tagged <= 1; tagged++) {
        cr_expect(passes(&b, tagged, 500, 500, 0), "IKE on 500, tagged %d", tagged);
        cr_expect(passes(&b, tagged, 34567, 4500, 0), "IKE on 4500, tagged %d", tagged);
        cr_expect(passes(&b, tagged, 0x1234, 0x5678, 185), "a later IP fragment, tagged %d", tagged);
        cr_expect(passes(&b, tagged, 40000, 1701, 0), "an --ike-port, tagged %d", tagged);
        cr_expect_not(passes(&b, tagged, 40000, 443, 0), "other UDP, tagged %d", tagged);
    }
    pcap_freecode(&b);
    pcap_close(p);
}
