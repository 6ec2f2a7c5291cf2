/* endpoint_log.c: statements from endpoint logs. Daemon logs are read line by line; only
 * lines that one of the tables below recognises become statements, and their text is cut
 * from the message, never from a debug or dump line. */
#include "analyze/endpoint_log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "analyze/windows_errors.h"

#define MAX_LOG_BYTES (512u << 20) /* an endpoint log larger than this is not one */

/* ------------------------------------------------------------------ */
/* What the daemons say, and which ikescope rules say the same */

struct phrase {
    const char *has, *and_has; /* both substrings must be in the message (and_has may be NULL) */
    enum an_ep_kind kind;
    const char *rules[AN_EP_MAX_RULES]; /* "cert." names the family of certificate rules */
};

static const struct phrase charon_phrases[] = {
    { "IKE_SA ", " established between", AN_EP_ESTABLISHED, { NULL } },
    { "no issuer certificate found", NULL, AN_EP_FAILED, { "chain.missing_intermediate", "chain.untrusted_root" } },
    /* charon's summary when no certificate it trusts verifies the AUTH: any certificate or
     * chain reason, the identity, or no certificate at all. */
    { "public key found for", "no trusted", AN_EP_FAILED, { "cert.", "chain.", "id.mismatch", "auth.no_peer_cert" } },
    { "constraint check failed", NULL, AN_EP_FAILED, { "auth.sha1_refused", "auth.invalid_signature" } },
    { "certificate was revoked", NULL, AN_EP_FAILED, { "cert.revoked" } },
    { "subject certificate invalid", NULL, AN_EP_FAILED, { "cert.", "chain." } },
    { "certificate invalid (valid from", NULL, AN_EP_FAILED, { "cert.expired", "cert.not_yet_valid", "chain." } },
    { "MAC mismatched", NULL, AN_EP_FAILED, { "psk.mismatch" } },
    { "received AUTHENTICATION_FAILED notify error", NULL, AN_EP_FAILED, { "auth.failed" } },
    { "received NO_PROPOSAL_CHOSEN notify error", NULL, AN_EP_FAILED, { "proposal.no_common" } },
    { "no acceptable proposal found", NULL, AN_EP_FAILED, { "proposal.no_common" } },
    { "giving up after", "retransmits", AN_EP_FAILED, { "peer.no_response", "path.fragments_lost" } },
    { "no matching peer config found", NULL, AN_EP_FAILED, { "id.mismatch" } },
    { "signature validation failed", NULL, AN_EP_FAILED, { "auth.invalid_signature", "cert.", "chain." } },
    { "rejecting certificate without digitalSignature", NULL, AN_EP_FAILED, { "cert.key_usage" } },
    { "received TS_UNACCEPTABLE notify", NULL, AN_EP_FAILED, { "ts.unacceptable" } },
    { "no acceptable traffic selectors found", NULL, AN_EP_FAILED, { "ts.unacceptable" } },
    { "crl fetching failed", NULL, AN_EP_FAILED, { "revocation.unreachable" } },
};

static const struct phrase pluto_phrases[] = {
    { "established IKE SA", NULL, AN_EP_ESTABLISHED, { NULL } },
    { "IKE SA established", NULL, AN_EP_ESTABLISHED, { NULL } },
    { "established Child SA", NULL, AN_EP_ESTABLISHED, { NULL } },
    { "TS_UNACCEPTABLE", NULL, AN_EP_FAILED, { "ts.unacceptable" } },
    { "AUTHENTICATION_FAILED", NULL, AN_EP_FAILED, { "auth.failed" } },
    { "NO_PROPOSAL_CHOSEN", NULL, AN_EP_FAILED, { "proposal.no_common" } },
    { "SEC_ERROR_UNKNOWN_ISSUER", NULL, AN_EP_FAILED, { "chain.missing_intermediate", "chain.untrusted_root" } },
    { "SEC_ERROR_UNTRUSTED_ISSUER", NULL, AN_EP_FAILED, { "chain.untrusted_root", "chain.missing_intermediate" } },
    { "SEC_ERROR_EXPIRED_CERTIFICATE", NULL, AN_EP_FAILED, { "cert.expired" } },
    { "SEC_ERROR_REVOKED_CERTIFICATE", NULL, AN_EP_FAILED, { "cert.revoked" } },
    { "authentication failed", NULL, AN_EP_FAILED, { "auth.invalid_signature", "psk.mismatch", "auth.failed" } },
    { "no suitable connection", NULL, AN_EP_FAILED, { "id.mismatch" } },
    { "max number of retransmissions", NULL, AN_EP_FAILED, { "peer.no_response", "path.fragments_lost" } },
};

/* A line that carries, or may carry, key material is never a statement. */
static bool secret_looking(const char *m)
{
    return strcasestr(m, "secret") || strstr(m, "=> ") || strstr(m, "chunk_") || strstr(m, "@0x");
}

static void copy_printable(char *out, size_t len, const char *s)
{
    size_t o = 0;
    for (; *s && *s != '\n' && *s != '\r' && o + 1 < len; s++)
        out[o++] = (unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f ? '?' : *s;
    out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* Addresses: "from A[500] to B[500]" (charon), "from A:500 to B:500" (pluto) */

static bool parse_addr(const char *tok, size_t n, struct cap_addr *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    char *br = strchr(buf, '[');
    if (br)
        *br = '\0';
    if (buf[0] == '[') { /* [v6]:port */
        memmove(buf, buf + 1, strlen(buf));
        char *end = strchr(buf, ']');
        if (end)
            *end = '\0';
    }
    if (cap_addr_parse(buf, out))
        return true;
    char *colon = strrchr(buf, ':'); /* v4:port */
    if (colon) {
        *colon = '\0';
        return cap_addr_parse(buf, out);
    }
    return false;
}

static size_t token_len(const char *s)
{
    size_t n = 0;
    while (s[n] && (isxdigit((unsigned char)s[n]) || strchr(".:[]", s[n])))
        n++;
    return n;
}

/* A line naming both ends of a datagram; sets who is local by the verb. */
static bool from_to(const char *line, struct cap_addr *local, struct cap_addr *peer)
{
    const char *f = strstr(line, "from ");
    const char *t = f ? strstr(f, " to ") : NULL;
    if (!f || !t)
        return false;
    struct cap_addr a, b;
    if (!parse_addr(f + 5, token_len(f + 5), &a) || !parse_addr(t + 4, token_len(t + 4), &b))
        return false;
    bool sent = strstr(line, "sending") || strstr(line, "sent ");
    bool received = strstr(line, "received") || strstr(line, "receiving");
    if (sent == received)
        return false;
    *local = sent ? a : b;
    *peer = sent ? b : a;
    return true;
}

/* ------------------------------------------------------------------ */
/* Daemon lines */

/* "Dec  5 05:09:02", "Dec  5 05:09:02.123456:" at the start: month, day, second of day. */
static const char *syslog_time(const char *line, struct an_ep_stmt *st)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(line, "%b %e %H:%M:%S", &tm);
    if (!end)
        return line;
    while (*end == '.' || isdigit((unsigned char)*end))
        end++;
    if (*end == ':')
        end++;
    st->clock = AN_EP_CLOCK_LOCAL_NO_YEAR;
    st->mon = tm.tm_mon;
    st->mday = tm.tm_mday;
    st->sec = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return end;
}

/* charon's "09[IKE] " (after an optional host and "charon:"), the message after it. */
static const char *charon_message(const char *s)
{
    for (const char *p = s; (p = strchr(p, '[')) != NULL; p++) {
        if (isupper((unsigned char)p[1]) && isupper((unsigned char)p[2]) && isupper((unsigned char)p[3]) &&
            p[4] == ']' && p[5] == ' ')
            return p + 6;
    }
    return NULL;
}

/* pluto's `"conn" #3: ` or `"conn"[1] 192.0.2.1 #3: `; NULL for its "| " debug lines. */
static const char *pluto_message(const char *s)
{
    const char *q = strchr(s, '"');
    if (!q || strstr(s, "| ") == s)
        return NULL;
    const char *hash = strstr(q, " #");
    if (!hash)
        return NULL;
    const char *p = hash + 2;
    while (isdigit((unsigned char)*p))
        p++;
    return p[0] == ':' && p[1] == ' ' ? p + 2 : NULL;
}

static bool match(const struct phrase *tab, size_t n, const char *m, struct an_ep_stmt *st)
{
    for (size_t i = 0; i < n; i++) {
        if (!strstr(m, tab[i].has) || (tab[i].and_has && !strstr(m, tab[i].and_has)))
            continue;
        st->kind = tab[i].kind;
        memcpy(st->rules, tab[i].rules, sizeof st->rules);
        copy_printable(st->reason, sizeof st->reason, m);
        return true;
    }
    return false;
}

bool an_ep_parse_daemon_line(const char *line, struct an_ep_stmt *st)
{
    memset(st, 0, sizeof *st);
    const char *rest = syslog_time(line, st);
    const char *m;
    if ((m = charon_message(rest)) != NULL) {
        if (secret_looking(m) || !match(charon_phrases, sizeof charon_phrases / sizeof charon_phrases[0], m, st))
            return false;
        st->source = "strongSwan charon";
        return true;
    }
    while (*rest == ' ')
        rest++;
    if ((m = pluto_message(rest)) != NULL) {
        if (secret_looking(m) || !match(pluto_phrases, sizeof pluto_phrases / sizeof pluto_phrases[0], m, st))
            return false;
        st->source = "libreswan pluto";
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* The log */

static struct an_ep_stmt *push(struct an_endpoint_log *log)
{
    if (log->n == log->cap) {
        size_t want = log->cap ? log->cap * 2 : 32;
        struct an_ep_stmt *grown = realloc(log->v, want * sizeof *grown);
        if (!grown)
            return NULL;
        log->v = grown;
        log->cap = want;
    }
    return &log->v[log->n++];
}

static void where(struct an_ep_stmt *st, const char *path, size_t line)
{
    snprintf(st->where, sizeof st->where, "%.180s:%zu", path, line);
}

/* charon's "IKE_SA name[1] established between 192.0.2.1[id]...192.0.2.2[id]": the local
 * address, then the peer's. */
static bool between(const char *line, struct cap_addr *local, struct cap_addr *peer)
{
    const char *b = strstr(line, " established between ");
    if (!b)
        return false;
    b += strlen(" established between ");
    const char *dots = strstr(b, "...");
    const char *l_end = strchr(b, '[');
    if (!dots || !l_end || l_end > dots)
        return false;
    const char *p = dots + 3, *p_end = strchr(p, '[');
    return p_end && parse_addr(b, (size_t)(l_end - b), local) && parse_addr(p, (size_t)(p_end - p), peer);
}

/* charon's worker thread: the number before its "[IKE] " tag, or -1. One thread handles
 * one message at a time, so on a busy gateway the datagram line a statement belongs to is
 * the last one of its own thread, not of the log. */
#define MAX_THREADS 1024
static int charon_thread(const char *rest)
{
    const char *m = charon_message(rest);
    if (!m)
        return -1;
    const char *tag = m - 6, *p = tag;
    while (p > rest && isdigit((unsigned char)p[-1]))
        p--;
    if (p == tag || tag - p > 4)
        return -1;
    int id = atoi(p);
    return id < MAX_THREADS ? id : -1;
}

struct last_datagram {
    bool have;
    struct cap_addr local, peer;
};

/* Daemon logs: each recognised line, with the addresses it names itself, else those of the
 * last datagram line of its charon thread (of the log, for pluto, which has one thread). */
static int load_daemon(struct an_endpoint_log *log, const char *path, char *text, bool *recognised)
{
    struct last_datagram global = { 0 }, *threads = calloc(MAX_THREADS, sizeof *threads);
    if (!threads)
        return -1;
    size_t lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        struct an_ep_stmt st;
        const char *rest = syslog_time(line, &st);
        if (charon_message(rest) || strstr(line, "pluto[") || strstr(rest, "\" #"))
            *recognised = true;
        int tid = charon_thread(rest);
        struct last_datagram *mine = tid >= 0 ? &threads[tid] : &global;
        struct cap_addr l, p;
        if (from_to(line, &l, &p))
            *mine = (struct last_datagram){ true, l, p };
        if (!an_ep_parse_daemon_line(line, &st))
            continue;
        where(&st, path, lineno);
        if (between(line, &l, &p)) {
            st.local = l;
            st.peer = p;
            st.has_local = st.has_peer = true;
        } else if (mine->have) {
            st.local = mine->local;
            st.peer = mine->peer;
            st.has_local = st.has_peer = true;
        }
        struct an_ep_stmt *slot = push(log);
        if (!slot) {
            free(threads);
            return -1;
        }
        *slot = st;
    }
    free(threads);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Windows: a small reader for the few elements used, in the XML netsh and the event
 * viewer write (no DTD, no entities beyond the five predefined ones). */

/* The text of the first <tag>...</tag> (or <Data Name="tag">...</Data>) in [s, end). */
static bool xml_text(const char *s, const char *end, const char *tag, bool data_name, char *out, size_t len)
{
    char open[80];
    if (data_name)
        snprintf(open, sizeof open, "<Data Name=\"%s\">", tag);
    else
        snprintf(open, sizeof open, "<%s>", tag);
    const char *p = memmem(s, (size_t)(end - s), open, strlen(open));
    if (!p)
        return false;
    p += strlen(open);
    const char *q = memmem(p, (size_t)(end - p), "</", 2);
    if (!q)
        return false;
    size_t o = 0;
    for (; p < q && o + 1 < len; p++) {
        if (*p == '&') {
            static const struct { const char *ent; char c; } ents[] = {
                { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' } };
            bool done = false;
            for (size_t k = 0; k < 5 && !done; k++)
                if ((size_t)(q - p) >= strlen(ents[k].ent) && strncmp(p, ents[k].ent, strlen(ents[k].ent)) == 0) {
                    out[o++] = ents[k].c;
                    p += strlen(ents[k].ent) - 1;
                    done = true;
                }
            if (done)
                continue;
        }
        out[o++] = (unsigned char)*p < 0x20 ? ' ' : *p;
    }
    out[o] = '\0';
    return true;
}

static bool iso_time(const char *s, int64_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return false;
    *out = (int64_t)timegm(&tm);
    return true;
}

/* The Windows error a text names: a number 13800-13999, or an ERROR_IPSEC_IKE_* name. */
static unsigned windows_code_in(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (isdigit((unsigned char)*p) && (p == text || !isalnum((unsigned char)p[-1]))) {
            unsigned v = (unsigned)strtoul(p, NULL, 10);
            if (v >= 13800 && v <= 13999 && an_windows_error_name(v))
                return v;
        }
    }
    for (unsigned v = 13800; v <= 13999; v++) {
        const char *name = an_windows_error_name(v);
        if (name && strstr(text, name))
            return v;
    }
    return 0;
}

/* Windows' own messages for the failures users meet most, as events 4653/4654 word them. */
static unsigned windows_code_of_reason(const char *text)
{
    static const struct { const char *words; unsigned code; } reasons[] = {
        { "authentication credentials are unacceptable", 13801 },
        { "Negotiation timed out", 13805 },
        { "failed to find valid machine certificate", 13806 },
        { "No policy configured", 13825 },
        { "doesn't chain to a trusted root", 13887 },
        { "Certificate Revocation Check failed", 13817 },
        { "Invalid certificate signature", 13826 },
        { "No certificate was received from the peer", 13847 },
    };
    unsigned code = windows_code_in(text);
    for (size_t i = 0; !code && i < sizeof reasons / sizeof reasons[0]; i++)
        if (strcasestr(text, reasons[i].words))
            code = reasons[i].code;
    return code;
}

static void set_addr(const char *text, struct cap_addr *a, bool *has)
{
    *has = parse_addr(text, strlen(text), a);
}

/* `netsh wfp show netevents` (FWPM_NET_EVENT0..5 as XML): <item> with <header> and <type>. */
static int load_netevents(struct an_endpoint_log *log, const char *path, const char *text)
{
    const char *end = text + strlen(text);
    for (const char *p = text; (p = strstr(p, "<type>FWPM_NET_EVENT_TYPE_IKEEXT_")) != NULL;) {
        /* The event runs from the <header> before its type to the next <header>. */
        const char *start = p;
        while (start > text && strncmp(start, "<header>", 8) != 0)
            start--;
        const char *stop = strstr(p + 1, "<header>");
        if (!stop)
            stop = end;
        char type[96] = "", code[32] = "", point[64] = "", role[64] = "", t[64] = "", addr[64] = "";
        xml_text(start, stop, "type", false, type, sizeof type);
        p = stop;
        struct an_ep_stmt *st = push(log);
        if (!st)
            return -1;
        memset(st, 0, sizeof *st);
        snprintf(st->where, sizeof st->where, "%.150s: event at %.40s", path,
                 xml_text(start, stop, "timeStamp", false, t, sizeof t) ? t : "?");
        st->source = "Windows WFP net event";
        st->kind = AN_EP_FAILED;
        if (iso_time(t, &st->sec))
            st->clock = AN_EP_CLOCK_UTC;
        if (xml_text(start, stop, "localAddrV4", false, addr, sizeof addr) ||
            xml_text(start, stop, "localAddrV6", false, addr, sizeof addr))
            set_addr(addr, &st->local, &st->has_local);
        if (xml_text(start, stop, "remoteAddrV4", false, addr, sizeof addr) ||
            xml_text(start, stop, "remoteAddrV6", false, addr, sizeof addr))
            set_addr(addr, &st->peer, &st->has_peer);
        xml_text(start, stop, "failureErrorCode", false, code, sizeof code);
        xml_text(start, stop, "failurePoint", false, point, sizeof point);
        xml_text(start, stop, "saRole", false, role, sizeof role);
        st->windows_code = windows_code_in(code);
        const char *name = an_windows_error_name(st->windows_code);
        const char *shown_type = strncmp(type, "FWPM_NET_EVENT_TYPE_", 20) == 0 ? type + 20 : type;
        snprintf(st->reason, sizeof st->reason, "%s: error %s%s%s, failure point %s, role %s", shown_type,
                 code[0] ? code : "?", name ? " " : "", name ? name : "", point[0] ? point : "?",
                 role[0] ? role : "?");
    }
    return 0;
}

/* Security log events 4653 (Main Mode failed) and 4654 (Quick Mode failed), exported as XML. */
static int load_security_xml(struct an_endpoint_log *log, const char *path, const char *text)
{
    for (const char *p = text; (p = strstr(p, "<Event")) != NULL;) {
        const char *stop = strstr(p + 6, "</Event>");
        if (!stop)
            break;
        char id[16] = "", t[64] = "", addr[64] = "", reason[200] = "", point[64] = "";
        xml_text(p, stop, "EventID", false, id, sizeof id);
        const char *ts = memmem(p, (size_t)(stop - p), "SystemTime=\"", 12);
        if (strcmp(id, "4653") == 0 || strcmp(id, "4654") == 0) {
            struct an_ep_stmt *st = push(log);
            if (!st)
                return -1;
            memset(st, 0, sizeof *st);
            if (ts) {
                snprintf(t, sizeof t, "%.30s", ts + 12);
                t[strcspn(t, "\"")] = '\0';
            }
            snprintf(st->where, sizeof st->where, "%.150s: event %s at %.30s", path, id, t[0] ? t : "?");
            st->source = id[3] == '3' ? "Windows Security event 4653" : "Windows Security event 4654";
            st->kind = AN_EP_FAILED;
            if (iso_time(t, &st->sec))
                st->clock = AN_EP_CLOCK_UTC;
            if (xml_text(p, stop, "LocalAddress", true, addr, sizeof addr))
                set_addr(addr, &st->local, &st->has_local);
            if (xml_text(p, stop, "RemoteAddress", true, addr, sizeof addr))
                set_addr(addr, &st->peer, &st->has_peer);
            xml_text(p, stop, "FailureReason", true, reason, sizeof reason);
            xml_text(p, stop, "FailurePoint", true, point, sizeof point);
            st->windows_code = windows_code_of_reason(reason);
            snprintf(st->reason, sizeof st->reason, "%s (failure point %s)", reason[0] ? reason : "no reason given",
                     point[0] ? point : "?");
        }
        p = stop;
    }
    return 0;
}

/* The same events exported as CSV from Event Viewer: "Keywords,Date and Time,Source,Event
 * ID,Task Category,<message>", the message holding "Local Address:", "Remote Address:",
 * "Failure Reason:" lines. */
static int load_security_csv(struct an_endpoint_log *log, const char *path, char *text)
{
    size_t lineno = 1;
    for (char *rec = text; rec && *rec;) {
        /* A record ends at a newline outside quotes. */
        size_t first_line = lineno;
        char *p = rec;
        bool quoted = false;
        for (; *p && (quoted || *p != '\n'); p++) {
            if (*p == '"')
                quoted = !quoted;
            if (*p == '\n')
                lineno++;
        }
        char *next = *p ? p + 1 : NULL;
        *p = '\0';
        lineno++;
        char *id = NULL, *when = NULL;
        int field = 0;
        char *f = rec;
        for (char *c = rec; field < 5; c++) {
            if (*c == ',' || *c == '\0') {
                bool last = *c == '\0';
                *c = '\0';
                if (field == 1)
                    when = f;
                if (field == 3)
                    id = f;
                field++;
                if (last) {
                    f = c; /* the record ended: no message field (never past its end) */
                    break;
                }
                f = c + 1;
            }
        }
        if (field == 5 && id && (strcmp(id, "4653") == 0 || strcmp(id, "4654") == 0)) {
            struct an_ep_stmt *st = push(log);
            if (!st)
                return -1;
            memset(st, 0, sizeof *st);
            snprintf(st->where, sizeof st->where, "%.150s:%zu", path, first_line);
            st->source = id[3] == '3' ? "Windows Security event 4653" : "Windows Security event 4654";
            st->kind = AN_EP_FAILED;
            struct tm tm;
            memset(&tm, 0, sizeof tm);
            /* Event Viewer writes local time without a zone: matched like a syslog stamp. */
            if (when && strptime(when, "%m/%d/%Y %I:%M:%S %p", &tm)) {
                st->clock = AN_EP_CLOCK_LOCAL_NO_YEAR;
                st->mon = tm.tm_mon;
                st->mday = tm.tm_mday;
                st->sec = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
            }
            /* The message: "Local Endpoint:" and "Remote Endpoint:" sections, each with a
             * "Network Address:" line, then "Failure Reason:". */
            char value[200];
            const char *le = strstr(f, "Local Endpoint:"), *re = strstr(f, "Remote Endpoint:");
            const char *la = le ? strstr(le, "Network Address:") : NULL;
            const char *ra = re ? strstr(re, "Network Address:") : NULL;
            const char *fr = strstr(f, "Failure Reason:");
            if (la && sscanf(la + 16, " %63s", value) == 1)
                set_addr(value, &st->local, &st->has_local);
            if (ra && sscanf(ra + 16, " %63s", value) == 1)
                set_addr(value, &st->peer, &st->has_peer);
            if (fr) {
                fr += 15;
                while (*fr == ' ' || *fr == '\t' || *fr == '\r' || *fr == '\n')
                    fr++;
                copy_printable(st->reason, sizeof st->reason, fr);
            }
            st->windows_code = windows_code_of_reason(st->reason);
        }
        rec = next;
    }
    return 0;
}

int an_endpoint_log_load(struct an_endpoint_log *log, const char *path, char *err, size_t len)
{
    struct stat sb;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &sb) != 0) {
        snprintf(err, len, "%s: cannot open: %s (check the --endpoint-log path)", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if ((uint64_t)sb.st_size > MAX_LOG_BYTES) {
        snprintf(err, len, "%s: %lld bytes, more than an endpoint log can be (512 MiB); cut it to the time of "
                 "the capture", path, (long long)sb.st_size);
        fclose(f);
        return -1;
    }
    char *text = malloc((size_t)sb.st_size + 1);
    size_t got = text ? fread(text, 1, (size_t)sb.st_size, f) : 0;
    fclose(f);
    if (!text) {
        snprintf(err, len, "%s: out of memory", path);
        return -1;
    }
    int rc = an_endpoint_log_load_buf(log, path, text, got, err, len);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The index by address */

static int addr_cmp(const struct cap_addr *x, const struct cap_addr *y)
{
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return memcmp(x->bytes, y->bytes, x->family == 6 ? 16 : 4);
}

static int by_addr_cmp(const void *pa, const void *pb)
{
    const struct an_ep_by_addr *x = pa, *y = pb;
    int c = addr_cmp(&x->addr, &y->addr);
    return c ? c : (x->stmt > y->stmt) - (x->stmt < y->stmt);
}

static int build_index(struct an_endpoint_log *log)
{
    free(log->by_addr);
    free(log->addrless);
    log->by_addr = NULL;
    log->addrless = NULL;
    log->nby_addr = log->naddrless = 0;
    if (!log->n)
        return 0;
    log->by_addr = malloc(log->n * sizeof *log->by_addr);
    log->addrless = malloc(log->n * sizeof *log->addrless);
    if (!log->by_addr || !log->addrless)
        return -1;
    for (size_t i = 0; i < log->n; i++) {
        const struct an_ep_stmt *st = &log->v[i];
        /* An SA matches only when each address a statement gives is one of the SA's, so
         * one address is enough to file it under. */
        if (st->has_local || st->has_peer)
            log->by_addr[log->nby_addr++] = (struct an_ep_by_addr){ st->has_local ? st->local : st->peer, i };
        else
            log->addrless[log->naddrless++] = i;
    }
    qsort(log->by_addr, log->nby_addr, sizeof *log->by_addr, by_addr_cmp);
    return 0;
}

/* The first entry filed under `a`, or nby_addr. */
static size_t lower_bound(const struct an_endpoint_log *log, const struct cap_addr *a)
{
    size_t lo = 0, hi = log->nby_addr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (addr_cmp(&log->by_addr[mid].addr, a) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int size_cmp(const void *pa, const void *pb)
{
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    return (x > y) - (x < y);
}

long an_endpoint_log_candidates(const struct an_endpoint_log *log, const struct cap_addr *a,
                                const struct cap_addr *b, size_t **out)
{
    *out = NULL;
    if (!log)
        return 0;
    const struct cap_addr *addrs[2] = { a, b && (!a || addr_cmp(a, b) != 0) ? b : NULL };
    size_t from[2] = { 0, 0 }, to[2] = { 0, 0 }, total = log->naddrless;
    for (int k = 0; k < 2; k++) {
        if (!addrs[k])
            continue;
        from[k] = to[k] = lower_bound(log, addrs[k]);
        while (to[k] < log->nby_addr && addr_cmp(&log->by_addr[to[k]].addr, addrs[k]) == 0)
            to[k]++;
        total += to[k] - from[k];
    }
    if (!total)
        return 0;
    size_t *v = malloc(total * sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < log->naddrless; i++)
        v[n++] = log->addrless[i];
    for (int k = 0; k < 2; k++)
        for (size_t i = from[k]; i < to[k]; i++)
            v[n++] = log->by_addr[i].stmt;
    /* Each statement is filed once, so the lists do not overlap: log order is one sort. */
    qsort(v, n, sizeof *v, size_cmp);
    *out = v;
    return (long)n;
}

int an_endpoint_log_load_buf(struct an_endpoint_log *log, const char *path, const char *data, size_t size,
                             char *err, size_t len)
{
    char *text = malloc(size + 1);
    if (!text) {
        snprintf(err, len, "%s: out of memory", path);
        return -1;
    }
    memcpy(text, data, size);
    size_t got = size;
    text[got] = '\0';
    for (size_t i = 0; i < got; i++) /* NULs (UTF-16, binary) end nothing early */
        if (!text[i])
            text[i] = ' ';
    int rc;
    bool recognised = false;
    if (strstr(text, "FWPM_NET_EVENT_TYPE_")) {
        recognised = true;
        rc = load_netevents(log, path, text);
    } else if (strstr(text, "<Event") && strstr(text, "<EventID>")) {
        recognised = true;
        rc = load_security_xml(log, path, text);
    } else if (strstr(text, "Event ID") && strstr(text, "Task Category")) {
        recognised = true;
        rc = load_security_csv(log, path, text);
    } else {
        rc = load_daemon(log, path, text, &recognised);
    }
    free(text);
    if (rc == 0)
        rc = build_index(log);
    if (rc != 0) {
        snprintf(err, len, "%s: out of memory", path);
        return -1;
    }
    if (!recognised) {
        snprintf(err, len, "%s: not an endpoint log ikescope reads (a strongSwan charon or libreswan pluto log, "
                 "netsh wfp show netevents XML, or Security events 4653/4654 as XML or CSV)", path);
        return -1;
    }
    log->files++;
    return 0;
}

void an_endpoint_log_free(struct an_endpoint_log *log)
{
    free(log->v);
    free(log->by_addr);
    free(log->addrless);
    memset(log, 0, sizeof *log);
}
