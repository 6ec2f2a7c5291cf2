/* files.c: opening pcap/pcapng captures (plain or gzip) and reading several of them as one
 * stream merged by capture time. Classic pcap goes through libpcap, pcapng through our own
 * block reader (pcapng.c), which keeps a link type per interface. */
#include "capture/internal.h"
#include "capture/pcapng.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

/* Capture-time step after which reassembly state is checked for timeouts. */
enum { EXPIRE_EVERY_SEC = 1 };

/* pcapng Section Header Block type (palindromic, so either byte order). */
enum { PCAPNG_MAGIC = 0x0a0d0d0au };

/* First four bytes of the formats we read (pcap-savefile(5), pcapng section header). */
static const uint32_t capture_magics[] = {
    0xa1b2c3d4u, 0xd4c3b2a1u, /* pcap, microseconds, either byte order */
    0xa1b23c4du, 0x4d3cb2a1u, /* pcap, nanoseconds */
    PCAPNG_MAGIC,
};

struct cap_input {
    char *path;
    pcap_t *pcap;               /* classic pcap, read by libpcap */
    struct cap_ng *ng;          /* pcapng, read by pcapng.c */
    int dlt;                    /* classic pcap: the file's one link type */
    struct cap_gzio *gz;        /* non-NULL when the file is gzip-compressed */
    struct cap_stats stats;
    uint64_t frame;             /* packet records read so far */
    bool pending;               /* rec holds the next packet to deliver */
    struct cap_rec rec;         /* borrows the reader's buffer until the next read */
};

struct cap_files {
    struct cap_config cfg;
    struct cap_input *in;
    size_t n;
};


static bool known_magic(uint32_t m)
{
    for (size_t i = 0; i < sizeof capture_magics / sizeof capture_magics[0]; i++)
        if (capture_magics[i] == m)
            return true;
    return false;
}

/* Reads the first 4 bytes; *n says how many there were. */
static bool read_magic(FILE *fp, uint8_t magic[4], size_t *n)
{
    *n = fread(magic, 1, 4, fp);
    return !ferror(fp);
}

static enum cap_err check_magic(const char *path, const uint8_t magic[4], size_t n, bool gz,
                                uint32_t *m, char *errbuf, size_t errlen)
{
    const char *what = gz ? "gzip-compressed data, " : "";
    if (n < 4) {
        cap_put_err(errbuf, errlen, "%s: not a pcap or pcapng capture (%sonly %zu bytes)", path, what,
                n);
        return CAP_ERR_FORMAT;
    }
    struct rd r = rd_make(magic, 4);
    *m = 0;
    rd_u32(&r, m);
    if (!known_magic(*m)) {
        /* A capture printed or exported as text (tshark's summary or -V, a hex dump, JSON)
         * starts with printable characters; no capture magic does. */
        bool text = true;
        for (size_t i = 0; i < 4; i++)
            text = text && ((magic[i] >= 0x20 && magic[i] < 0x7f) || magic[i] == '\t' || magic[i] == '\n' ||
                            magic[i] == '\r');
        cap_put_err(errbuf, errlen, "%s: not a pcap or pcapng capture (%sunknown magic 0x%08" PRIx32 ")%s", path,
                what, *m,
                text ? "; it starts like text: is this a text or hex export? Save the capture itself as pcap "
                       "or pcapng (Wireshark: File > Save As; tcpdump -w; tshark -w)"
                     : "");
        return CAP_ERR_FORMAT;
    }
    return CAP_OK;
}

static enum cap_err linktype_error(const char *path, int dlt, char *errbuf, size_t errlen)
{
    cap_put_err(errbuf, errlen,
            "%s: link type %s (%d) is not supported; ikescope reads Ethernet, Linux cooked, "
            "raw IP and BSD loopback captures",
            path, cap_linktype_name(dlt), dlt);
    return CAP_ERR_LINKTYPE;
}

/* pcapng: our reader, which learns the interfaces described before the first packet. */
static enum cap_err input_open_ng(struct cap_input *in, FILE *fp, const char *path,
                                  char *errbuf, size_t errlen)
{
    char msg[256] = "";
    int first_dlt = 0;
    enum cap_err rc = cap_ng_open(&in->ng, fp, &first_dlt, msg, sizeof msg);
    if (rc == CAP_OK)
        return CAP_OK;
    const char *gzmsg = cap_gzio_error(in->gz);
    if (rc == CAP_ERR_LINKTYPE)
        linktype_error(path, first_dlt, errbuf, errlen);
    else if (gzmsg && rc == CAP_ERR_FORMAT)
        cap_put_err(errbuf, errlen, "%s: the gzip data is damaged or ends early (%s)", path, gzmsg);
    else
        cap_put_err(errbuf, errlen, "%s: %s", path, msg);
    fclose(fp);
    in->gz = NULL;
    return rc;
}

/* Opens one input: sniff gzip by its magic (RFC 1952: 1f 8b), never by name. */
static enum cap_err input_open(struct cap_input *in, const char *path, char *errbuf,
                               size_t errlen)
{
    uint8_t magic[4];
    size_t n;
    uint32_t m;
    char perr[PCAP_ERRBUF_SIZE] = "";
    enum cap_err rc;

    FILE *fp = fopen(path, "rb");
    if (!fp) {
        cap_put_err(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CAP_ERR_OPEN;
    }
    if (!read_magic(fp, magic, &n)) {
        cap_put_err(errbuf, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(fp);
        return CAP_ERR_OPEN;
    }
    bool gz = n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (gz) {
        fclose(fp);
        fp = cap_gzio_open(path, NULL);
        if (!fp) {
            cap_put_err(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
            return CAP_ERR_OPEN;
        }
        if (!read_magic(fp, magic, &n)) {
            cap_put_err(errbuf, errlen, "%s: cannot read the gzip data: it is damaged", path);
            fclose(fp);
            return CAP_ERR_FORMAT;
        }
    }
    if ((rc = check_magic(path, magic, n, gz, &m, errbuf, errlen)) != CAP_OK) {
        fclose(fp);
        return rc;
    }
    /* Start again from byte 0: plain files rewind, gzip streams are simply reopened. */
    if (gz) {
        fclose(fp);
        fp = cap_gzio_open(path, &in->gz);
        if (!fp) {
            cap_put_err(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
            return CAP_ERR_OPEN;
        }
    } else if (fseek(fp, 0, SEEK_SET) != 0) {
        cap_put_err(errbuf, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(fp);
        return CAP_ERR_OPEN;
    }
    if (m == PCAPNG_MAGIC)
        return input_open_ng(in, fp, path, errbuf, errlen);
    in->pcap = pcap_fopen_offline(fp, perr);
    if (!in->pcap) {
        /* libpcap leaves the stream open when it refuses it. */
        fclose(fp);
        in->gz = NULL;
        cap_put_err(errbuf, errlen, "%s: %s", path, perr);
        return CAP_ERR_FORMAT;
    }
    in->dlt = pcap_datalink(in->pcap);
    if (!cap_linktype_supported(in->dlt))
        return linktype_error(path, in->dlt, errbuf, errlen);
    return CAP_OK;
}

static void input_close(struct cap_input *in)
{
    if (in->pcap)
        pcap_close(in->pcap); /* closes the stream, and with it the gzip state */
    in->pcap = NULL;
    cap_ng_close(in->ng);     /* the same */
    in->ng = NULL;
    in->gz = NULL;
    free(in->path);
    in->path = NULL;
}

void cap_files_close(struct cap_files *cf)
{
    if (!cf)
        return;
    for (size_t i = 0; i < cf->n; i++)
        input_close(&cf->in[i]);
    free(cf->in);
    free(cf);
}

enum cap_err cap_files_open(struct cap_files **out, const char *const *paths, size_t n,
                            const struct cap_config *cfg, char *errbuf, size_t errlen)
{
    *out = NULL;
    struct cap_files *cf = calloc(1, sizeof *cf);
    if (!cf || (n > 0 && !(cf->in = calloc(n, sizeof *cf->in)))) {
        free(cf);
        cap_put_err(errbuf, errlen, "out of memory");
        return CAP_ERR_NOMEM;
    }
    if (cfg)
        cf->cfg = *cfg;
    else
        cap_config_defaults(&cf->cfg);
    for (size_t i = 0; i < n; i++) {
        cf->n = i + 1;
        cf->in[i].path = strdup(paths[i]);
        if (!cf->in[i].path) {
            cap_put_err(errbuf, errlen, "out of memory");
            cap_files_close(cf);
            return CAP_ERR_NOMEM;
        }
        enum cap_err rc = input_open(&cf->in[i], paths[i], errbuf, errlen);
        if (rc != CAP_OK) {
            cap_files_close(cf);
            return rc;
        }
    }
    *out = cf;
    return CAP_OK;
}

/* Records that an input stopped early (the first error of the run wins the message).
 * `why` NULL means the file ends inside a record. Damaged gzip data explains either. */
static void read_failed(struct cap_input *in, const char *why, char *errbuf, size_t errlen,
                        enum cap_err *first)
{
    char msg[512], before[64];
    uint64_t n = in->frame + 1;
    if (in->frame == 1)
        snprintf(before, sizeof before, "analysed the 1 packet before it");
    else if (in->frame == 0)
        snprintf(before, sizeof before, "no packet came before it");
    else
        snprintf(before, sizeof before, "analysed the %" PRIu64 " packets before it", in->frame);
    const char *gzmsg = cap_gzio_error(in->gz);
    if (gzmsg)
        snprintf(msg, sizeof msg,
                 "%s: packet %" PRIu64 ": the gzip data is damaged or ends early (%s); %s",
                 in->path, n, gzmsg, before);
    else if (!why)
        snprintf(msg, sizeof msg,
                 "%s: packet %" PRIu64 ": the file ends in the middle of a packet record "
                 "(truncated capture); %s",
                 in->path, n, before);
    else
        snprintf(msg, sizeof msg,
                 "%s: packet %" PRIu64 ": %s; %s",
                 in->path, n, why, before);
    in->stats.read_error = true;
    if (*first == CAP_OK) {
        *first = CAP_ERR_READ;
        cap_put_err(errbuf, errlen, "%s", msg);
    }
}

static bool next_pcap(struct cap_input *in, char *errbuf, size_t errlen, enum cap_err *first)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc = pcap_next_ex(in->pcap, &hdr, &data);
    if (rc == 1) {
        in->rec = (struct cap_rec){ .dlt = in->dlt, .ts_sec = hdr->ts.tv_sec,
                                    .ts_usec = (uint32_t)hdr->ts.tv_usec, .data = data,
                                    .caplen = hdr->caplen, .wirelen = hdr->len };
        return true;
    }
    if (rc == PCAP_ERROR_BREAK && !cap_gzio_error(in->gz))
        return false;
    const char *perr = rc == PCAP_ERROR_BREAK ? "" : pcap_geterr(in->pcap);
    read_failed(in, strstr(perr, "truncated") ? NULL : perr, errbuf, errlen, first);
    return false;
}

static bool next_ng(struct cap_input *in, char *errbuf, size_t errlen, enum cap_err *first)
{
    switch (cap_ng_next(in->ng, &in->rec)) {
    case CAP_NG_PACKET:
        return true;
    case CAP_NG_END:
        if (cap_gzio_error(in->gz))
            read_failed(in, NULL, errbuf, errlen, first);
        return false;
    case CAP_NG_TRUNCATED:
        read_failed(in, NULL, errbuf, errlen, first);
        return false;
    case CAP_NG_NOMEM:
        read_failed(in, "out of memory", errbuf, errlen, first);
        return false;
    case CAP_NG_BAD:
    case CAP_NG_IOERR:
    default:
        read_failed(in, cap_ng_error(in->ng), errbuf, errlen, first);
        return false;
    }
}

/* Reads the next record of one input into its pending slot. Returns false at the end;
 * a read error is reported (first one wins) and ends that input only. */
static bool input_next(struct cap_input *in, char *errbuf, size_t errlen, enum cap_err *first)
{
    in->pending = false;
    bool ok = in->ng ? next_ng(in, errbuf, errlen, first)
              : in->pcap ? next_pcap(in, errbuf, errlen, first)
              : false;
    if (ok) {
        in->frame++;
        in->pending = true;
    }
    return ok;
}

static bool earlier(const struct cap_rec *a, const struct cap_rec *b)
{
    if (a->ts_sec != b->ts_sec)
        return a->ts_sec < b->ts_sec;
    return a->ts_usec < b->ts_usec;
}

enum cap_err cap_files_run(struct cap_files *cf, cap_ike_fn fn, void *ctx, char *errbuf,
                           size_t errlen)
{
    struct cap_decoder *dec;
    enum cap_err first = CAP_OK;

    if (cap_decoder_new(&dec, &cf->cfg, fn, ctx) != CAP_OK) {
        cap_put_err(errbuf, errlen, "out of memory");
        return CAP_ERR_NOMEM;
    }
    for (size_t i = 0; i < cf->n; i++)
        input_next(&cf->in[i], errbuf, errlen, &first);

    bool have_clock = false;
    int64_t last_expire = 0;
    for (;;) {
        /* One pending packet per input; always deliver the earliest (ties: lower input). */
        struct cap_input *best = NULL;
        unsigned best_i = 0;
        for (size_t i = 0; i < cf->n; i++) {
            struct cap_input *in = &cf->in[i];
            if (in->pending && (!best || earlier(&in->rec, &best->rec))) {
                best = in;
                best_i = (unsigned)i;
            }
        }
        if (!best)
            break;
        const struct cap_rec *p = &best->rec;
        int64_t now = p->ts_sec;
        if (!have_clock) {
            have_clock = true;
            last_expire = now;
        } else if (cap_older_than(last_expire, now, EXPIRE_EVERY_SEC - 1)) {
            for (size_t i = 0; i < cf->n; i++)
                cap_decoder_expire_input(dec, (unsigned)i, now, &cf->in[i].stats);
            last_expire = now;
        }
        if (cap_linktype_supported(p->dlt)) {
            cap_decoder_packet(dec, best_i, p->dlt, best->frame, now, p->ts_usec, p->data,
                               p->caplen, p->wirelen, &best->stats);
        } else {
            /* A pcapng interface we cannot decode: counted, the others still are read. */
            best->stats.packets++;
            best->stats.unsupported_linktype++;
        }
        input_next(best, errbuf, errlen, &first);
    }
    /* End of the capture: whatever is still waiting for fragments or TCP data never
     * completed; count it the way a timeout would. Datagrams holding their first fragment
     * are delivered (incomplete) from here, before this function returns. */
    for (size_t i = 0; i < cf->n; i++)
        cap_decoder_expire_input(dec, (unsigned)i, INT64_MAX, &cf->in[i].stats);
    cap_decoder_free(dec);
    return first;
}

size_t cap_files_count(const struct cap_files *cf)
{
    return cf->n;
}

const char *cap_files_path(const struct cap_files *cf, unsigned input)
{
    return input < cf->n ? cf->in[input].path : NULL;
}

const struct cap_stats *cap_files_stats(const struct cap_files *cf, unsigned input)
{
    return input < cf->n ? &cf->in[input].stats : NULL;
}
