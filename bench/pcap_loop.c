/* pcap_loop.c: the floor for any capture reader: a bare libpcap read loop that touches
 * every packet and does nothing else. ikescope's speed is measured against it. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    unsigned long long packets = 0, bytes = 0, sum = 0;
    for (int i = 1; i < argc; i++) {
        pcap_t *p = pcap_open_offline(argv[i], err);
        if (!p) {
            fprintf(stderr, "pcap_loop: %s\n", err);
            return 2;
        }
        struct pcap_pkthdr *h;
        const unsigned char *data;
        while (pcap_next_ex(p, &h, &data) == 1) {
            packets++;
            bytes += h->caplen;
            if (h->caplen)
                sum += data[h->caplen - 1];
        }
        pcap_close(p);
    }
    printf("%llu packets, %llu bytes (checksum %llu)\n", packets, bytes, sum);
    return 0;
}
