/* main.c: the ikescope command line: `analyze` reads captures and reports IKE SAs and findings. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "analyze/certs.h"
#include "analyze/endpoint_log.h"
#include "analyze/peer_profile.h"
#include "analyze/psk_auth.h"
#include "analyze/report.h"
#include "analyze/trust.h"
#include "capture/capture.h"
#include "capture/live.h"
#include "capture/netlog.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/fleet.h"
#include "cli/store.h"
#include "ike/crypto/keyset.h"
#include "ike/sa.h"
#include "cli/explain.h"
#include "cli/suggest.h"
#include "version.h"

enum exit_code { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_main[] =
    "Usage: ikescope COMMAND [OPTIONS]\n"
    "\n"
    "Reads captures of IPsec key exchanges (IKEv1 and IKEv2), rebuilds every\n"
    "negotiation and explains why a VPN did not come up.\n"
    "\n"
    "Commands:\n"
    "  analyze FILE...   report IKE SAs and findings from pcap/pcapng(.gz) files\n"
    "  keys convert      convert key files between formats (see docs/keys.md)\n"
    "  rules             list every rule ikescope can report (--format json)\n"
    "  explain X         explain a rule, a Windows IKE error or an IKE notify\n"
    "  fleet STORE       sum up a fleet store that analyze --store filled\n"
    "\n"
    "Options:\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Run 'ikescope analyze --help' for the analysis options. Manual: ikescope(1).\n";

static const char usage_analyze[] =
    "Usage: ikescope analyze [OPTIONS] FILE...\n"
    "       ikescope analyze [OPTIONS] -i INTERFACE\n"
    "\n"
    "Reads pcap or pcapng captures (gzip-compressed too), several files as one\n"
    "stream in time order, or captures live from an interface, and reports every\n"
    "IKE SA: who talked, what was exchanged, whether it was established, and\n"
    "what went wrong.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT     text (default), json (described in docs/json.md),\n"
    "                          markdown (for tickets) or html (one file to attach)\n"
    "  -o, --output FILE       write the report to FILE instead of stdout\n"
    "  -k, --keys FILE         key file to decrypt with (repeatable; Wireshark\n"
    "                          tables, tcpdump -E lines, charon logs, ikescope\n"
    "                          keylog; see docs/keys.md)\n"
    "      --ike-port N        also treat UDP port N as IKE (repeatable)\n"
    "      --fail-on LEVEL     exit 1 when a finding reaches LEVEL: error (default),\n"
    "                          warning, info, or never\n"
    "      --dump-certs DIR    write every X.509 certificate the peers sent to DIR\n"
    "                          as PEM, sa<ID>-<i|r>-<INDEX>.pem (DIR is created)\n"
    "      --ca FILE|DIR       trust these CA certificates (PEM, DER, bundles, or a\n"
    "                          directory of them; repeatable) and verify each\n"
    "                          side's certificate chain with them\n"
    "      --system-ca         trust OpenSSL's default CA store as well\n"
    "      --intermediate FILE CA certificates that may complete a chain but are\n"
    "                          not trusted (repeatable)\n"
    "      --crl FILE          check revocation with this CRL (repeatable; needs\n"
    "                          --ca or --system-ca)\n"
    "      --at TIME           check certificates at TIME (ISO 8601 UTC, e.g.\n"
    "                          2026-11-24T12:00:00Z) instead of the capture time\n"
    "      --psk SECRET        a candidate pre-shared key: each side's IKEv2\n"
    "                          shared-key AUTH is checked against the candidates\n"
    "                          (repeatable; needs keys with SK_pi/SK_pr, e.g. a\n"
    "                          charon log; reports name candidates by position)\n"
    "      --psk-file FILE     candidate pre-shared keys, one per line\n"
    "      --endpoint-log FILE a log of one endpoint, read beside the capture: a\n"
    "                          strongSwan charon or libreswan pluto log, netsh\n"
    "                          wfp show netevents XML, or Security events\n"
    "                          4653/4654 as XML or CSV (repeatable); the report\n"
    "                          says where its reasons agree with the wire\n"
    "      --peer-profile P    judge what each side received by the rules of P:\n"
    "                          windows, strongswan, libreswan or generic (EKU and\n"
    "                          name checks, SHA-1 policy); initiator=P or\n"
    "                          responder=P for one side (default: inferred from\n"
    "                          Vendor IDs and IKE_SA_INIT, said in the report)\n"
    "      --full              text, markdown, html: write every SA in full (after ten\n"
    "                          SAs with the same outcome and findings, by default\n"
    "                          the others get one line each)\n"
    "      --store FILE        also keep every SA and its findings in the fleet\n"
    "                          store FILE (SQLite, created if missing); 'ikescope\n"
    "                          fleet FILE' sums it up across runs and hosts\n"
    "  -i, --interface IFACE   capture live from IFACE (root, or cap_net_raw);\n"
    "                          each SA is reported once it falls silent, and\n"
    "                          Ctrl-C ends the capture and writes the summary\n"
    "      --duration SEC      live: stop after SEC seconds\n"
    "      --count N           live: stop after N packets\n"
    "      --idle SEC          live: report an SA after SEC seconds of silence\n"
    "                          (default 10; established SAs after ten times that,\n"
    "                          or when deleted)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 no finding at the --fail-on level, 1 at least one,\n"
    "2 usage or input error (the rest of the input is still analysed).\n";

struct analyze_opts {
    enum an_format format;
    const char *output;
    int fail_on; /* severity, or -1 for never */
    struct cap_config cap;
    const char *keys[32];
    size_t nkeys;
    const char *dump_certs; /* directory, or NULL */
    /* Trust input in the order given (kind 'c' --ca, 'i' --intermediate, 'r' --crl). */
    struct { char kind; const char *path; } trust[64];
    size_t ntrust;
    bool system_ca;
    struct an_profile_setting profiles;
    const char *endpoint_logs[16];
    size_t nendpoint_logs;
    bool has_at;
    struct ike_time at;
    /* --psk and --psk-file in the order given: 's' a secret (argv, wiped once copied), 'f' a file. */
    struct { char kind; char *arg; } psk[64];
    size_t npsk;
    /* -i: capture live from this interface instead of reading files. */
    const char *iface;
    uint32_t duration, idle;
    uint64_t count;
    const char *store; /* --store: the fleet store to add this run's SAs to */
    bool full;         /* --full: every SA in full in the text report */
};

/* ISO 8601 UTC: 2026-11-24T12:00:00Z, with a space for the T, without Z or seconds,
 * or a date alone. */
/* ISO 8601 UTC, to the second or finer: "2026-11-24T12:00:00.25Z". Fractions below a
 * microsecond are dropped. */
static int parse_time(const char *s, struct ike_time *out)
{
    static const char *const formats[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                                           "%Y-%m-%d %H:%M", "%Y-%m-%d" };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        const char *end = strptime(s, formats[i], &tm);
        if (!end)
            continue;
        uint32_t usec = 0;
        if (*end == '.' && i < 2) {
            end++;
            if (*end < '0' || *end > '9')
                continue;
            uint32_t scale = 100000;
            for (; *end >= '0' && *end <= '9'; end++, scale /= 10)
                usec += scale * (uint32_t)(*end - '0');
        }
        if (*end == 'Z' || *end == 'z')
            end++;
        if (*end)
            continue;
        out->sec = (int64_t)timegm(&tm);
        out->usec = usec;
        return 0;
    }
    return -1;
}

static int parse_port(const char *s, uint16_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 65535)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

static int parse_analyze_args(int argc, char **argv, struct analyze_opts *o)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "keys", required_argument, NULL, 'k' },
        { "ike-port", required_argument, NULL, 'p' },
        { "fail-on", required_argument, NULL, 'F' },
        { "dump-certs", required_argument, NULL, 'D' },
        { "ca", required_argument, NULL, 'C' },
        { "intermediate", required_argument, NULL, 'I' },
        { "crl", required_argument, NULL, 'R' },
        { "system-ca", no_argument, NULL, 'S' },
        { "at", required_argument, NULL, 'T' },
        { "psk", required_argument, NULL, 'K' },
        { "psk-file", required_argument, NULL, 'P' },
        { "peer-profile", required_argument, NULL, 'W' },
        { "endpoint-log", required_argument, NULL, 'E' },
        { "interface", required_argument, NULL, 'i' },
        { "duration", required_argument, NULL, 'U' },
        { "count", required_argument, NULL, 'N' },
        { "idle", required_argument, NULL, 'L' },
        { "store", required_argument, NULL, 'B' },
        { "full", no_argument, NULL, 'G' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0; /* one line of our own instead of getopt's (cli_option_error) */
    while ((c = getopt_long(argc, argv, ":f:o:k:i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = AN_FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->format = AN_FORMAT_JSON;
            else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0)
                o->format = AN_FORMAT_MARKDOWN;
            else if (strcmp(optarg, "html") == 0)
                o->format = AN_FORMAT_HTML;
            else {
                fprintf(stderr, "ikescope: --format '%s' is not known; use text, json, markdown or html\n", optarg);
                return -1;
            }
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'k':
            if (o->nkeys == sizeof o->keys / sizeof o->keys[0]) {
                fprintf(stderr, "ikescope: too many --keys files (at most 32); merge some\n");
                return -1;
            }
            o->keys[o->nkeys++] = optarg;
            break;
        case 'p': {
            uint16_t port;
            if (parse_port(optarg, &port) != 0) {
                fprintf(stderr, "ikescope: --ike-port '%s' is not a port number (1-65535)\n", optarg);
                return -1;
            }
            if (o->cap.n_extra_ports == sizeof o->cap.extra_ports / sizeof o->cap.extra_ports[0]) {
                fprintf(stderr, "ikescope: too many --ike-port options (at most 16)\n");
                return -1;
            }
            o->cap.extra_ports[o->cap.n_extra_ports++] = port;
            break;
        }
        case 'F':
            if (strcmp(optarg, "never") == 0) {
                o->fail_on = -1;
            } else if ((o->fail_on = an_severity_parse(optarg)) < 0) {
                fprintf(stderr, "ikescope: --fail-on '%s' is not known; use error, warning, info or never\n",
                        optarg);
                return -1;
            }
            break;
        case 'D':
            o->dump_certs = optarg;
            break;
        case 'C':
        case 'I':
        case 'R':
            if (o->ntrust == sizeof o->trust / sizeof o->trust[0]) {
                fprintf(stderr, "ikescope: too many --ca, --intermediate and --crl options (at most 64); "
                                "put the certificates into one bundle\n");
                return -1;
            }
            o->trust[o->ntrust].kind = c == 'C' ? 'c' : c == 'I' ? 'i' : 'r';
            o->trust[o->ntrust++].path = optarg;
            break;
        case 'S':
            o->system_ca = true;
            break;
        case 'T':
            if (parse_time(optarg, &o->at) != 0) {
                fprintf(stderr, "ikescope: --at '%s' is not a time; use ISO 8601 UTC, e.g. 2026-11-24T12:00:00Z\n",
                        optarg);
                return -1;
            }
            o->has_at = true;
            break;
        case 'K':
        case 'P':
            if (o->npsk == sizeof o->psk / sizeof o->psk[0]) {
                fprintf(stderr, "ikescope: too many --psk and --psk-file options (at most 64); "
                                "put the candidates into one --psk-file\n");
                return -1;
            }
            o->psk[o->npsk].kind = c == 'K' ? 's' : 'f';
            o->psk[o->npsk++].arg = optarg;
            break;
        case 'E':
            if (o->nendpoint_logs == sizeof o->endpoint_logs / sizeof o->endpoint_logs[0]) {
                fprintf(stderr, "ikescope analyze: too many --endpoint-log options (at most 16)\n");
                return -1;
            }
            o->endpoint_logs[o->nendpoint_logs++] = optarg;
            break;
        case 'i':
            o->iface = optarg;
            break;
        case 'B':
            o->store = optarg;
            break;
        case 'G':
            o->full = true;
            break;
        case 'U':
        case 'N':
        case 'L': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            const char *name = c == 'U' ? "--duration" : c == 'N' ? "--count" : "--idle";
            if (errno || end == optarg || *end || optarg[0] == '-' || v == 0 || (c != 'N' && v > 31536000)) {
                fprintf(stderr, "ikescope analyze: %s '%s' is not a positive whole number%s\n", name, optarg,
                        c == 'N' ? " of packets" : " of seconds (at most a year)");
                return -1;
            }
            if (c == 'U')
                o->duration = (uint32_t)v;
            else if (c == 'N')
                o->count = v;
            else
                o->idle = (uint32_t)v;
            break;
        }
        case 'W':
            if (an_profile_parse(optarg, &o->profiles) != 0) {
                fprintf(stderr, "ikescope analyze: --peer-profile '%s' is not a profile; use windows, strongswan, "
                                "libreswan or generic, or initiator=P / responder=P\n",
                        optarg);
                return -1;
            }
            break;
        case 'h':
            fputs(usage_analyze, stdout);
            exit(EXIT_CLEAN);
        default:
            cli_option_error("analyze", c, argv, optind);
            return -1;
        }
    }
    bool any_ca = o->system_ca;
    for (size_t i = 0; i < o->ntrust; i++)
        any_ca = any_ca || o->trust[i].kind == 'c';
    for (size_t i = 0; i < o->ntrust; i++)
        if (o->trust[i].kind == 'r' && !any_ca) {
            fprintf(stderr, "ikescope: --crl needs --ca or --system-ca: revocation is checked on a verified chain\n");
            return -1;
        }
    if (o->iface && optind < argc) {
        fprintf(stderr, "ikescope analyze: give capture files or -i INTERFACE, not both\n");
        return -1;
    }
    if (!o->iface && (o->duration || o->count || o->idle)) {
        fprintf(stderr, "ikescope analyze: --duration, --count and --idle are for a live capture (-i INTERFACE)\n");
        return -1;
    }
    if (!o->iface && optind >= argc) {
        fprintf(stderr, "ikescope analyze: no capture file given; usage: ikescope analyze [OPTIONS] FILE... "
                        "(or -i INTERFACE to capture live)\n");
        return -1;
    }
    return 0;
}

/* The tracker is opened before the report exists (so that a missing capture creates no
 * -o file); finished SAs reach the report through this. */
struct report_sink {
    struct an_report *report;
};

/* --dump-certs: each SA's parsed X.509 certificates as PEM files. The first failure is
 * said once, and ends the dumping (a full disk would fail every file alike). */
struct cert_dump {
    const char *dir;
    bool failed;
};

static int dump_dir_ready(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "ikescope: %s: cannot create the --dump-certs directory: %s\n", dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "ikescope: %s: --dump-certs needs a directory, and this is not one\n", dir);
        return -1;
    }
    return 0;
}

static void dump_certs(void *ctx, const struct ike_sa *sa, const struct an_sa_certs *certs)
{
    struct cert_dump *d = ctx;
    for (size_t i = 0; i < certs->ncerts && !d->failed; i++) {
        const struct an_cert *c = &certs->certs[i];
        if (c->kind != AN_CERT_X509 || !c->x || !c->x->cert)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/sa%u-%c-%u.pem", d->dir, sa->id, c->from_initiator ? 'i' : 'r', c->index);
        FILE *f = fopen(path, "w");
        bool ok = f && an_cert_write_pem(c, f);
        int saved = errno;
        if (f && fclose(f) != 0) {
            ok = false;
            saved = errno;
        }
        if (!ok) {
            fprintf(stderr, "ikescope: %s: cannot write the certificate: %s\n", path,
                    saved ? strerror(saved) : "write failed");
            d->failed = true;
        }
    }
}

/* RFC 7296 §2.15: a shared-key AUTH is recomputed with SK_pi/SK_pr, given or derived from
 * SKEYSEED or the DH secret; Wireshark tables and tcpdump lines carry none of these. */
static bool keys_can_check_psk(const struct ike_keystore *ks)
{
    for (size_t i = 0; ks && i < ike_keystore_count(ks); i++) {
        const struct ike_keyset *k = ike_keystore_get(ks, i);
        if (ike_secret_present(&k->sk_pi) || ike_secret_present(&k->dh_secret) || ike_secret_present(&k->skeyseed))
            return true;
    }
    return false;
}

static void report_sa(void *ctx, const struct ike_sa *sa)
{
    struct report_sink *sink = ctx;
    if (sink->report)
        an_report_sa(sink->report, sa);
}

/* A live capture ends on Ctrl-C (SIGINT), SIGTERM, --duration or --count; the report is
 * then finished as at the end of a file. */
#define LIVE_IDLE_SEC 10 /* report an SA this long after it fell silent (files: 120 s) */
static volatile sig_atomic_t live_stop;
static void on_stop_signal(int sig)
{
    (void)sig;
    live_stop = 1;
}

static void flush_report(void *ctx)
{
    fflush(ctx);
}

static enum cap_err run_live(struct cli_pipeline *pipe, const struct analyze_opts *o, FILE *out, char *drops,
                             size_t dlen, char *err, size_t errlen)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "ikescope: capturing on %s; Ctrl-C ends the capture and writes the summary\n", o->iface);
    struct cap_live_limits lim = { .stop = &live_stop, .max_packets = o->count, .seconds = o->duration,
                                   .after_read = flush_report, .after_read_ctx = out };
    enum cap_err rc = cli_pipeline_run_live(pipe, &lim, err, errlen);
    uint64_t dropped = 0, if_dropped = 0;
    if (cap_live_drops(pipe->live, &dropped, &if_dropped) && dropped + if_dropped)
        snprintf(drops, dlen,
                 "the capture lost %" PRIu64 " packets (kernel buffer full or interface drops): messages may be "
                 "missing, so findings about silence or lost fragments may be wrong",
                 dropped + if_dropped);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return rc;
}

static int cmd_analyze(int argc, char **argv)
{
    struct analyze_opts o = { .format = AN_FORMAT_TEXT, .fail_on = AN_SEV_ERROR };
    cap_config_defaults(&o.cap);
    if (parse_analyze_args(argc, argv, &o) != 0)
        return EXIT_USAGE;

    const char *const *paths = (const char *const *)argv + optind;
    size_t npaths = (size_t)(argc - optind);
    char err[512];
    int rc = EXIT_USAGE;
    struct cli_keys keys = { 0 };
    struct cli_pipeline pipe = { 0 };
    struct report_sink sink = { NULL };
    struct cert_dump dump = { o.dump_certs, false };
    struct an_report *report = NULL;
    struct an_input *inputs = NULL;
    struct an_trust *trust = NULL;
    struct an_psk_list psks = { 0 };
    struct cap_netlog *netlog = NULL;
    struct cli_output out = { 0 };
    struct an_endpoint_log endpoints = { 0 };
    struct cli_store *store = NULL;

    /* Candidates first: the --psk strings are wiped from argv (and so from ps) at once. */
    unsigned nsecret = 0;
    bool psk_bad = false;
    for (size_t i = 0; i < o.npsk; i++) {
        char *arg = o.psk[i].arg;
        if (o.psk[i].kind == 'f') {
            if (!psk_bad && an_psk_load_file(&psks, arg, err, sizeof err) != AN_PSK_OK) {
                fprintf(stderr, "ikescope: %s\n", err[0] ? err : "out of memory");
                psk_bad = true;
            }
            continue;
        }
        char origin[32];
        snprintf(origin, sizeof origin, "--psk #%u", ++nsecret);
        if (!arg[0])
            fprintf(stderr, "ikescope analyze: warning: %s is empty and is ignored\n", origin);
        if (!psk_bad && an_psk_add(&psks, (const uint8_t *)arg, strlen(arg), origin) != AN_PSK_OK) {
            fprintf(stderr, "ikescope: out of memory\n");
            psk_bad = true;
        }
        sodium_memzero(arg, strlen(arg));
    }
    if (psk_bad)
        goto cleanup;

    if (o.ntrust || o.system_ca) {
        if (!(trust = an_trust_new(AN_CERT_CACHE_DEFAULT))) {
            fprintf(stderr, "ikescope: out of memory\n");
            goto cleanup;
        }
        int bad = o.system_ca ? an_trust_add_system(trust, err, sizeof err) : 0;
        for (size_t i = 0; i < o.ntrust && bad == 0; i++) {
            const char *p = o.trust[i].path;
            bad = o.trust[i].kind == 'c'   ? an_trust_add_ca(trust, p, err, sizeof err)
                  : o.trust[i].kind == 'i' ? an_trust_add_intermediate(trust, p, err, sizeof err)
                                           : an_trust_add_crl(trust, p, err, sizeof err);
        }
        if (bad) {
            fprintf(stderr, "ikescope: %s\n", err);
            goto cleanup;
        }
    }

    for (size_t i = 0; i < o.nendpoint_logs; i++)
        if (an_endpoint_log_load(&endpoints, o.endpoint_logs[i], err, sizeof err) != 0) {
            fprintf(stderr, "ikescope: %s\n", err);
            goto cleanup;
        }

    if (o.dump_certs && dump_dir_ready(o.dump_certs) != 0)
        goto cleanup;
    if (cli_keys_load(&keys, o.keys, o.nkeys, err, sizeof err) != 0) {
        fprintf(stderr, "ikescope: %s\n", err);
        goto cleanup;
    }
    if (psks.n && !keys_can_check_psk(keys.store))
        fprintf(stderr, "ikescope analyze: warning: --psk and --psk-file need keys that carry SK_pi/SK_pr "
                        "(a charon log at ike = 4, or an ikescope key log with them or with the DH secret); "
                        "%s, so no pre-shared key can be checked\n",
                o.nkeys ? "the keys given carry none" : "no --keys were given");
    /* DNS, TCP and HTTP beside IKE, to tell whether CRL/OCSP locations were reached. */
    o.cap.netlog = netlog = cap_netlog_new();
    int opened = o.iface ? cli_pipeline_open_live(&pipe, o.iface, &o.cap, keys.store, o.idle ? o.idle : LIVE_IDLE_SEC,
                                                  report_sa, &sink, err, sizeof err)
                         : cli_pipeline_open(&pipe, paths, npaths, &o.cap, keys.store, report_sa, &sink, err, sizeof err);
    if (opened != 0) {
        fprintf(stderr, "ikescope: %s\n", err);
        goto cleanup;
    }
    /* A temporary file renamed into place once the whole report is written (cli/output.h). */
    if (cli_output_open(&out, o.output, "the report", 0, err, sizeof err) != 0) {
        fprintf(stderr, "ikescope: %s\n", err);
        goto cleanup;
    }
    /* Reports of big captures are big: write them in large blocks. */
    setvbuf(out.f, NULL, _IOFBF, 1 << 16);
    report = sink.report = an_report_new(out.f, o.format, IKESCOPE_VERSION);
    if (!report) {
        fprintf(stderr, "ikescope: out of memory\n");
        goto cleanup;
    }
    if (o.dump_certs)
        an_report_on_certs(report, dump_certs, &dump);
    an_report_set_trust(report, trust, o.has_at ? &o.at : NULL);
    an_report_set_psks(report, &psks);
    an_report_set_profiles(report, &o.profiles);
    an_report_set_endpoints(report, &endpoints);
    an_report_set_netlog(report, netlog);
    an_report_set_full(report, o.full);
    if (o.store) {
        char desc[1024] = "";
        size_t used = 0;
        for (size_t i = 0; o.iface ? i < 1 : i < npaths; i++) {
            int w = snprintf(desc + used, sizeof desc - used, "%s%s%s", i ? " " : "", o.iface ? "live:" : "",
                             o.iface ? o.iface : paths[i]);
            if (w < 0 || (size_t)w >= sizeof desc - used)
                break;
            used += (size_t)w;
        }
        if (cli_store_open(&store, o.store, desc, o.nkeys > 0, trust != NULL, o.iface != NULL, IKESCOPE_VERSION, err,
                           sizeof err) != 0) {
            fprintf(stderr, "ikescope: %s\n", err);
            goto cleanup;
        }
        an_report_on_verdict(report, cli_store_verdict, store);
    }

    char drops[200] = "";
    enum cap_err read_rc;
    if (o.iface) {
        read_rc = run_live(&pipe, &o, out.f, drops, sizeof drops, err, sizeof err);
        npaths = 1;
    } else {
        read_rc = cli_pipeline_run(&pipe, err, sizeof err);
    }
    struct ike_tracker *tracker = pipe.tracker;

    inputs = calloc(npaths, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "ikescope: out of memory\n");
        goto cleanup;
    }
    for (unsigned i = 0; i < npaths; i++) {
        inputs[i].path = o.iface ? cap_live_name(pipe.live) : cap_files_path(pipe.files, i);
        inputs[i].stats = o.iface ? cap_live_stats(pipe.live) : cap_files_stats(pipe.files, i);
        inputs[i].counts = ike_tracker_input(tracker, i);
    }
    if (drops[0])
        inputs[0].error = drops;
    if (read_rc != CAP_OK && err[0]) {
        for (unsigned i = 0; i < npaths; i++)
            if (inputs[i].stats && inputs[i].stats->read_error)
                inputs[i].error = err;
    }
    an_report_finish(report, inputs, npaths);
    char werr[512];
    bool unwritten = cli_output_commit(&out, werr, sizeof werr) != 0;
    if (unwritten)
        fprintf(stderr, "ikescope: %s\n", werr);
    if (store && cli_store_commit(store, werr, sizeof werr) != 0) {
        fprintf(stderr, "ikescope: %s: %s; the report is complete, the store misses this run\n", o.store, werr);
        unwritten = true;
    }
    if (read_rc != CAP_OK) {
        fprintf(stderr, "ikescope: %s\n", err[0] ? err : "read error");
        rc = EXIT_USAGE;
    } else if (unwritten || dump.failed) {
        rc = EXIT_USAGE;
    } else if (o.fail_on >= 0 && an_report_reaches(report, (enum an_severity)o.fail_on)) {
        rc = EXIT_FINDINGS;
    } else {
        rc = EXIT_CLEAN;
    }

cleanup:
    free(inputs);
    cli_store_close(store);
    cli_pipeline_close(&pipe);
    an_report_free(report);
    an_trust_free(trust);
    an_psk_list_cleanup(&psks);
    cap_netlog_free(netlog);
    an_endpoint_log_free(&endpoints);
    cli_keys_free(&keys);
    cli_output_abort(&out);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("ikescope %s\n", IKESCOPE_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0)
        return cli_keys_command(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cli_rules_command(argc - 1, argv + 1);
    if (strcmp(cmd, "fleet") == 0)
        return cli_fleet_command(argc - 1, argv + 1);
    if (strcmp(cmd, "explain") == 0)
        return cli_explain_command(argc - 1, argv + 1);
    static const char *const commands[] = { "analyze", "keys", "rules", "explain", "fleet", "help", NULL };
    const char *near = cli_suggest(cmd, commands);
    if (near)
        fprintf(stderr, "ikescope: unknown command '%s'; did you mean '%s'? Run 'ikescope --help'\n", cmd, near);
    else
        fprintf(stderr, "ikescope: unknown command '%s'; run 'ikescope --help'\n", cmd);
    return EXIT_USAGE;
}
