/* pcapng.h: our own reader of pcapng block streams (draft-ietf-opsawg-pcapng), so that every
 * interface of a file is read whatever its link type (libpcap 1.10 stops at the first
 * interface whose link type differs from the first one's). Internal to the capture module. */
#ifndef IKESCOPE_CAPTURE_PCAPNG_H
#define IKESCOPE_CAPTURE_PCAPNG_H

#include "capture/capture.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest block accepted; a longer one is reported as corrupt rather than allocated. */
enum { CAP_NG_MAX_BLOCK = 16u << 20 };
/* Interfaces per section (the obsolete Packet Block can only name 65536). */
enum { CAP_NG_MAX_IFACES = 65536 };

/* One packet record, in the form files.c merges: borrowed until the next call. */
struct cap_rec {
    int dlt;             /* link type of the packet's interface (DLT_ value) */
    int64_t ts_sec;      /* UTC, if_tsoffset applied */
    uint32_t ts_usec;    /* below 1000000; finer resolutions are truncated like libpcap does */
    const uint8_t *data;
    size_t caplen;       /* bytes in data */
    size_t wirelen;      /* original length on the wire */
};

enum cap_ng_res {
    CAP_NG_PACKET = 0,   /* *rec holds the next packet record (EPB, SPB or PB) */
    CAP_NG_END,          /* clean end of the file, on a block boundary */
    CAP_NG_TRUNCATED,    /* the file ends inside a block */
    CAP_NG_BAD,          /* impossible block content; cap_ng_error() says what */
    CAP_NG_IOERR,        /* the stream failed (errno kept in the message) */
    CAP_NG_NOMEM,
};

struct cap_ng;

/* `fp` is positioned at the first Section Header Block. On success the reader owns it
 * (cap_ng_close closes it); on failure it stays the caller's, like pcap_fopen_offline. Reads up to the first packet record so that the
 * interfaces described before it are known. On failure returns CAP_ERR_FORMAT (no
 * interface could be read; msg says why, without the path), CAP_ERR_LINKTYPE (none of
 * those interfaces has a link type we decode; *first_dlt is the first one's) or
 * CAP_ERR_NOMEM. A broken block after the first interface is not an open error: it is
 * returned by cap_ng_next at its place. */
enum cap_err cap_ng_open(struct cap_ng **out, FILE *fp, int *first_dlt, char *msg,
                         size_t msglen);
/* The next packet record. Blocks other than SHB, IDB, EPB, SPB and PB are skipped. After
 * anything but CAP_NG_PACKET, every later call returns CAP_NG_END. */
enum cap_ng_res cap_ng_next(struct cap_ng *ng, struct cap_rec *rec);
/* Why the last call returned CAP_NG_BAD or CAP_NG_IOERR; never NULL. */
const char *cap_ng_error(const struct cap_ng *ng);
void cap_ng_close(struct cap_ng *ng);

#endif
