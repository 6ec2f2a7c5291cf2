/* rules_endpoint.c: what the endpoints' own logs say about an SA (--endpoint-log), read
 * beside the wire: endpoint.reason where they agree or add what the wire cannot show,
 * endpoint.disagrees where the two tell different stories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/endpoint_log.h"
#include "analyze/rules.h"
#include "analyze/rules_internal.h"
#include "analyze/windows_errors.h"
#include "ike/names.h"

#define SLACK_BEFORE 5 /* seconds a log line may precede the SA's first message */
#define SLACK_AFTER 60 /* ... and follow its last one (retransmissions give up later) */

static bool addr_match(const struct an_ep_stmt *st, const struct ike_sa *sa)
{
    const struct cap_addr *i = &sa->initiator.addr, *r = &sa->responder.addr;
    if (st->has_local && !cap_addr_eq(&st->local, i) && !cap_addr_eq(&st->local, r))
        return false;
    if (st->has_peer && !cap_addr_eq(&st->peer, i) && !cap_addr_eq(&st->peer, r))
        return false;
    return true;
}

/* Is the statement's time inside the SA's span? A syslog stamp has no year and no zone:
 * the SA's year is taken, and whole hours of zone offset (up to 14) are allowed. */
static bool time_match(const struct an_ep_stmt *st, const struct ike_sa *sa)
{
    int64_t first = sa->first_seen.sec, span = sa->last_seen.sec - first;
    if (st->clock == AN_EP_CLOCK_UTC) {
        int64_t d = st->sec - first;
        return d >= -SLACK_BEFORE && d <= span + SLACK_AFTER;
    }
    if (st->clock != AN_EP_CLOCK_LOCAL_NO_YEAR)
        return true;
    time_t t = (time_t)first;
    struct tm now;
    if (!gmtime_r(&t, &now))
        return false;
    struct tm day = { .tm_year = now.tm_year, .tm_mon = st->mon, .tm_mday = st->mday };
    int64_t at = (int64_t)timegm(&day) + st->sec;
    for (int k = 0; k <= 14; k++)
        for (int sign = -1; sign <= 1; sign += 2) {
            int64_t d = at - first + sign * k * 3600;
            if (d >= -SLACK_BEFORE && d <= span + SLACK_AFTER)
                return true;
        }
    return false;
}

static const char *writer(const struct an_ep_stmt *st, const struct ike_sa *sa)
{
    if (st->has_local && cap_addr_eq(&st->local, &sa->initiator.addr))
        return "initiator";
    if (st->has_local && cap_addr_eq(&st->local, &sa->responder.addr))
        return "responder";
    return "endpoint";
}

/* The first finding of this SA (from index `from`) that the statement names: a rule it lists,
 * or its Windows code. */
static const struct an_finding *agreeing(const struct an_ep_stmt *st, const struct an_findings *out, size_t from,
                                         unsigned sa_id)
{
    for (size_t i = from; i < out->n; i++) {
        const struct an_finding *f = &out->v[i];
        if (f->sa != sa_id || f->severity == AN_SEV_INFO)
            continue;
        /* A rule ending in '.' names a family: "cert." is every certificate rule. */
        for (size_t k = 0; k < AN_EP_MAX_RULES && st->rules[k]; k++) {
            size_t n = strlen(st->rules[k]);
            if (st->rules[k][n - 1] == '.' ? strncmp(f->rule, st->rules[k], n) == 0 : strcmp(f->rule, st->rules[k]) == 0)
                return f;
        }
        if (st->windows_code && f->windows_code == st->windows_code)
            return f;
    }
    return NULL;
}

/* The first error of this SA that names a cause: auth.failed only says that a peer refused,
 * so a log that names why is its cause, not a contradiction. */
static const struct an_finding *first_cause(const struct an_findings *out, size_t from, unsigned sa_id,
                                            const struct an_finding **generic)
{
    *generic = NULL;
    const struct an_finding *cause = NULL;
    for (size_t i = from; i < out->n; i++) {
        const struct an_finding *f = &out->v[i];
        if (f->sa != sa_id || f->severity != AN_SEV_ERROR)
            continue;
        if (strcmp(f->rule, "auth.failed") == 0) {
            if (!*generic)
                *generic = f;
        } else if (!cause) {
            cause = f;
        }
    }
    return cause;
}

/* auth.failed says the initiator refused the responder (certain or likely). */
static bool initiator_refused(const struct an_finding *generic)
{
    return generic && (strncmp(generic->title, "Initiator", 9) == 0 ||
                       strstr(generic->title, "initiator most likely rejected") != NULL);
}

static const char *code_text(unsigned code, char *buf, size_t len)
{
    const char *name = an_windows_error_name(code);
    if (!code)
        return "";
    snprintf(buf, len, "%u%s%s", code, name ? " " : "", name ? name : "");
    return buf;
}

/* How one statement reads against this SA's findings. */
enum reading {
    READ_SKIP,               /* established, and the capture agrees: no news */
    READ_RESPONDER_FIRST,    /* the responder's "established" before the initiator refused */
    READ_UNPROVEN,           /* "established" where the capture cannot prove it */
    READ_ESTABLISHED_FAILED, /* "established" where the capture shows a failure */
    READ_AGREES,             /* a reason a finding states too */
    READ_CAUSE,              /* the cause behind a bare auth.failed */
    READ_OTHER_REASON,       /* another reason than the findings, or a failure on an established SA */
    READ_NOT_VISIBLE,        /* a reason nothing on the wire confirms or contradicts */
};

static enum reading read_statement(const struct an_ep_stmt *st, const struct ike_sa *sa, const char *who,
                                   const struct an_finding *same, const struct an_finding *err,
                                   const struct an_finding *generic)
{
    if (st->kind == AN_EP_ESTABLISHED) {
        if (strcmp(who, "responder") == 0 && initiator_refused(generic))
            return READ_RESPONDER_FIRST;
        if (sa->outcome == IKE_OUTCOME_UNKNOWN)
            return READ_UNPROVEN;
        return sa->outcome == IKE_OUTCOME_FAILED ? READ_ESTABLISHED_FAILED : READ_SKIP;
    }
    if (same)
        return READ_AGREES;
    if (!err && generic)
        return READ_CAUSE;
    return err || sa->outcome == IKE_OUTCOME_ESTABLISHED ? READ_OTHER_REASON : READ_NOT_VISIBLE;
}

void an_rule_endpoint(struct an_rule_ctx *ctx, size_t from, struct an_findings *out)
{
    char codebuf[80];
    const struct an_endpoint_log *log = ctx->endpoints;
    const struct ike_sa *sa = ctx->sa;
    if (!log || !log->n)
        return;
    const bool keyless = sa->keys == IKE_SA_KEYS_NOT_GIVEN;
    size_t *cand;
    long ncand = an_endpoint_log_candidates(log, &sa->initiator.addr, &sa->responder.addr, &cand);
    size_t shown = 0;
    for (long c = 0; c < ncand && shown < 8; c++) {
        const struct an_ep_stmt *st = &log->v[cand[c]];
        if (!addr_match(st, sa) || !time_match(st, sa))
            continue;
        const char *who = writer(st, sa);
        const struct an_finding *same = agreeing(st, out, from, sa->id);
        const struct an_finding *generic, *err = first_cause(out, from, sa->id, &generic);
        enum reading how = read_statement(st, sa, who, same, err, generic);
        if (how == READ_SKIP)
            continue;
        bool disagrees = how == READ_ESTABLISHED_FAILED || how == READ_OTHER_REASON;
        struct an_finding *f = an_rule_add(out, disagrees ? "endpoint.disagrees" : "endpoint.reason", sa, NULL);
        if (!f)
            break;
        /* Every detail quotes the endpoint first, then reads it against the capture. */
        an_rule_textf(f->detail, sizeof f->detail, "%s (%s) says: \"%s\"%s%s.", st->source, st->where, st->reason,
                      st->windows_code ? ", Windows error " : "", code_text(st->windows_code, codebuf, sizeof codebuf));
        size_t n = strlen(f->detail);
        char *rest = f->detail + n;
        size_t room = sizeof f->detail - n;
        switch (how) {
        case READ_RESPONDER_FIRST:
            /* RFC 7296 §2.21.2: a responder is done once it sent its IKE_AUTH response; the
             * initiator's refusal comes after, in an INFORMATIONAL exchange. */
            an_rule_textf(f->title, sizeof f->title, "The responder's log says established, before the initiator "
                          "refused it");
            an_rule_textf(rest, room,
                          " A responder considers the IKE SA established once it has sent its IKE_AUTH response; "
                          "the initiator checked that response afterwards and refused it (\"%s\"), so the log and "
                          "the capture tell the same story (RFC 7296 section 2.21.2).",
                          generic->title);
            break;
        case READ_UNPROVEN:
            an_rule_textf(f->title, sizeof f->title, "The %s's log says the SA was established", who);
            an_rule_textf(rest, room, " The capture alone shows no proof of it (no ESP, no later exchange), so its "
                          "outcome stays unknown; the log is the endpoint's word for it.");
            break;
        case READ_ESTABLISHED_FAILED:
            an_rule_textf(f->title, sizeof f->title, "The %s's log says established; the capture shows a failure",
                          who);
            an_rule_textf(rest, room,
                          " The capture shows this SA failed%s%s. Either the log line belongs to another SA of the "
                          "same hosts (a retry), or the capture misses what followed.",
                          err ? ": " : "", err ? err->title : "");
            break;
        case READ_AGREES:
            an_rule_textf(f->title, sizeof f->title, "The %s's log agrees: %s", who, same->rule);
            an_rule_textf(rest, room, " The capture shows the same: \"%s\" (%s).", same->title, same->rule);
            break;
        case READ_CAUSE:
            an_rule_textf(f->title, sizeof f->title, "The %s's log names the cause behind auth.failed", who);
            an_rule_textf(rest, room, " The capture shows the refusal (\"%s\") but not its cause%s.", generic->title,
                          keyless ? "; keys for this SA would let ikescope look for it on the wire" : "");
            break;
        case READ_OTHER_REASON:
            an_rule_textf(f->title, sizeof f->title, "The %s's log gives another reason than the capture shows", who);
            an_rule_textf(rest, room,
                          " The capture shows: %s%s. When both are right, the log's reason came first and hid the "
                          "other, or the line belongs to another SA of the same hosts.",
                          err ? err->title : "the SA established",
                          err ? "" : (sa->esp.packets ? " with ESP after it" : ""));
            break;
        default:
            an_rule_textf(f->title, sizeof f->title, "The %s's log gives the reason the capture cannot show", who);
            an_rule_textf(rest, room, " Nothing in the capture contradicts it; %s",
                          keyless ? "keys for this SA would let ikescope check it on the wire."
                                  : "it is not visible on the wire.");
            break;
        }
        shown++;
    }
    free(cand);
}
