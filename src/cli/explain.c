/* explain.c: `ikescope explain X`, X a rule id, a Windows ERROR_IPSEC_IKE_* code (decimal
 * or 0x hex) or name, or an IKEv1/IKEv2 notify name or number (case-insensitive): what it
 * means, the common causes with how a capture confirms each, and what to change. The
 * knowledge is in tables (src/analyze/kb*.c, rule_registry.c); this file only prints. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/kb.h"
#include "analyze/rule_registry.h"
#include "analyze/windows_errors.h"
#include "cli/explain.h"
#include "ike/names.h"

static const char usage_explain[] =
    "Usage: ikescope explain X\n"
    "\n"
    "Explains X: a rule id (auth.no_peer_cert), a Windows IKE error code in decimal or hex\n"
    "(13887, 0x363F) or its name (ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH), or an IKEv1/IKEv2\n"
    "notify name or number (NO_PROPOSAL_CHOSEN, 14). Case does not matter. Prints what it\n"
    "means, common causes and how to confirm each in a capture with ikescope, and what to\n"
    "change on Windows, strongSwan, libreswan and Cisco-style peers.\n";

#define WIDTH 78

/* Prints `text` wrapped at WIDTH, the first line after `lead`, the others indented by
 * `indent` spaces. */
static void wrap(FILE *f, const char *lead, size_t indent, const char *text)
{
    size_t col = strlen(lead);
    fputs(lead, f);
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        if (!first && col + 1 + w > WIDTH) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += w;
        p += w;
        first = false;
    }
    fputc('\n', f);
}

static void windows_rules(FILE *f, unsigned code)
{
    char line[1024];
    size_t used = 0;
    line[0] = '\0';
    for (size_t i = 0; i < an_rule_count(); i++) {
        const struct an_rule_def *d = an_rule_at(i);
        if (d->windows_code != code)
            continue;
        int n = snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "", d->id);
        if (n < 0 || (size_t)n >= sizeof line - used)
            break;
        used += (size_t)n;
    }
    if (used)
        wrap(f, "ikescope rules that report it: ", 2, line);
    else
        wrap(f, "ikescope rules that report it: ", 2, "none directly; see 'Where to look'.");
}

static void explain_windows(FILE *f, unsigned code)
{
    const char *name = an_windows_error_name(code);
    const struct an_kb_windows *k = an_kb_windows_find(code);
    fprintf(f, "%u (0x%04X) %s\n\n", code, code, name ? name : "unknown");
    if (!k)
        return;
    fprintf(f, "What it means:\n");
    wrap(f, "  ", 2, k->meaning);
    if (k->causes[0].cause) {
        fprintf(f, "\nCommon causes, and how to confirm each in a capture with ikescope:\n");
        for (size_t i = 0; i < AN_KB_MAX_CAUSES && k->causes[i].cause; i++) {
            char lead[16];
            snprintf(lead, sizeof lead, "  %zu. ", i + 1);
            wrap(f, lead, 5, k->causes[i].cause);
            wrap(f, "     In the capture: ", 5, k->causes[i].confirm);
        }
    }
    const struct an_kb_fixes *x = &k->fix;
    if (x->windows || x->strongswan || x->libreswan || x->cisco) {
        fprintf(f, "\nWhat to change:\n");
        if (x->windows)
            wrap(f, "  Windows: ", 4, x->windows);
        if (x->strongswan)
            wrap(f, "  strongSwan: ", 4, x->strongswan);
        if (x->libreswan)
            wrap(f, "  libreswan: ", 4, x->libreswan);
        if (x->cisco)
            wrap(f, "  Cisco-style peers: ", 4, x->cisco);
    }
    fprintf(f, "\nWhere to look:\n");
    wrap(f, "  ", 2, k->look);
    fputc('\n', f);
    windows_rules(f, code);
}

static void explain_notify(FILE *f, const struct an_kb_notify *n)
{
    char name[IKE_NAME_BUF];
    ike_notify_name(n->version, n->type, name, sizeof name);
    fprintf(f, "%s (IKEv%u error notify %u)\n\n", name, n->version, n->type);
    fprintf(f, "What it means:\n");
    wrap(f, "  ", 2, n->meaning);
    fprintf(f, "\nWhere to look:\n");
    wrap(f, "  ", 2, n->look);
    if (n->windows_code) {
        fprintf(f, "\nWindows reports it as:\n");
        explain_windows(f, n->windows_code);
    }
}

static void explain_status_notify(FILE *f, uint8_t version, uint16_t type)
{
    char name[IKE_NAME_BUF];
    ike_notify_name(version, type, name, sizeof name);
    fprintf(f, "%s (IKEv%u status notify %u)\n\n", name, version, type);
    fprintf(f, "What it means:\n");
    wrap(f, "  ", 2,
         "A status notify, not an error: it announces a capability or carries data for the exchange "
         "(RFC 7296 §3.10.1, RFC 2408 §3.14.1). It does not by itself explain a failure; ikescope shows it "
         "in the timeline as N(NAME).");
}

static void explain_rule(FILE *f, const struct an_rule_def *d)
{
    char needs[80];
    fprintf(f, "%s: %s\n\n", d->id, d->title);
    fprintf(f, "  Severity: %s by default; confidence: %s\n", an_severity_name(d->severity),
            an_confidence_name(d->confidence));
    fprintf(f, "  Needs: %s\n", an_rule_needs_text(d->needs, needs, sizeof needs));
    fprintf(f, "  About: %s\n", d->scope == AN_SCOPE_INPUT ? "an input file as a whole" : "one IKE SA");
    fprintf(f, "\nWhat it means:\n");
    wrap(f, "  ", 2, d->meaning);
    if (d->windows_code) {
        fprintf(f, "\nWindows reports this failure as:\n");
        explain_windows(f, d->windows_code);
    }
}

/* A number in decimal or 0x hex, at most 65535... or a Windows code; false otherwise. */
static bool parse_number(const char *s, unsigned long *v)
{
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (base == 10 ? !isdigit((unsigned char)*p) : !isxdigit((unsigned char)*p))
            return false;
    errno = 0;
    char *end;
    *v = strtoul(s, &end, base);
    return errno == 0 && *end == '\0';
}

/* Prints every notify of that number or name; returns how many. */
static int explain_notifies(FILE *f, const char *name, long number)
{
    int found = 0;
    for (uint8_t version = 2; version >= 1; version--) {
        for (unsigned t = 1; t <= 65535; t++) {
            if (number >= 0 && t != (unsigned long)number)
                continue;
            if (!ike_notify_known(version, (uint16_t)t))
                continue;
            if (name) {
                char buf[IKE_NAME_BUF];
                if (strcasecmp(ike_notify_name(version, (uint16_t)t, buf, sizeof buf), name) != 0)
                    continue;
            }
            if (found++)
                fprintf(f, "\n----\n\n");
            const struct an_kb_notify *n = an_kb_notify_find(version, (uint16_t)t);
            if (n)
                explain_notify(f, n);
            else if (!ike_notify_is_error(version, (uint16_t)t))
                explain_status_notify(f, version, (uint16_t)t);
            else
                fprintf(f, "%s (IKEv%u error notify %u)\n\nWhat it means:\n  An error notify without an entry of its own; the sender's log says why.\n",
                        ike_notify_name(version, (uint16_t)t, NULL, 0), version, t);
        }
    }
    return found;
}

/* Rule ids are lower case; X may not be. */
static const struct an_rule_def *rule_nocase(const char *x)
{
    for (size_t i = 0; i < an_rule_count(); i++)
        if (strcasecmp(an_rule_at(i)->id, x) == 0)
            return an_rule_at(i);
    return NULL;
}

static int explain(FILE *f, const char *x)
{
    const struct an_rule_def *d = rule_nocase(x);
    if (d) {
        explain_rule(f, d);
        return 0;
    }
    unsigned long v;
    if (parse_number(x, &v)) {
        if (v >= 13800 && v <= 13909 && an_windows_error_name((unsigned)v)) {
            explain_windows(f, (unsigned)v);
            return 0;
        }
        if (v <= 65535 && explain_notifies(f, NULL, (long)v) > 0)
            return 0;
        return -1;
    }
    unsigned code = an_kb_windows_code_by_name(x);
    if (code) {
        explain_windows(f, code);
        return 0;
    }
    return explain_notifies(f, x, -1) > 0 ? 0 : -1;
}

int cli_explain_command(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage_explain, stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '\0') {
        fprintf(stderr, "ikescope explain: give one rule id, Windows error code or name, or notify; usage: "
                        "ikescope explain X\n");
        return 2;
    }
    if (explain(stdout, argv[1]) != 0) {
        fprintf(stderr, "ikescope explain: '%s' is not a rule id, Windows IKE error code or name, or IKE notify "
                        "name or number; 'ikescope rules' lists the rules\n", argv[1]);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 2;
}
