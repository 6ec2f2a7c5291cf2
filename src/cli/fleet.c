/* fleet.c: `ikescope fleet STORE`: what a fleet store (store.c) holds, across every run
 * that wrote to it: how many negotiations came up, which problems hit how many SAs and
 * peers and when last, and which peer pairs fail most, each with its main cause. */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/json.h"
#include "analyze/windows_errors.h"
#include "cli/fleet.h"
#include "cli/suggest.h"

#define TOP 25
#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage_fleet[] =
    "Usage: ikescope fleet [--format text|json] [--since TIME] STORE\n"
    "\n"
    "Sums up a fleet store that 'ikescope analyze --store STORE' runs filled: outcomes,\n"
    "the problems found (SAs and peer pairs each hit, Windows code, last seen), and\n"
    "the peer pairs with the most failing negotiations, each with its main cause.\n"
    "--since TIME counts only SAs that started at or after TIME (ISO 8601 UTC, e.g.\n"
    "2026-12-01 or 2026-12-01T08:00:00Z).\n";

struct fleet {
    sqlite3 *db;
    const char *since; /* ISO prefix, compared as text: "" counts everything */
    bool json;
    struct aj j;
};

static sqlite3_stmt *query(struct fleet *fl, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(fl->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_text(st, 1, fl->since, -1, SQLITE_STATIC);
    return st;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void totals(struct fleet *fl)
{
    sqlite3_stmt *st = query(fl, "SELECT count(*), min(first_seen), max(first_seen),"
                                 " (SELECT count(*) FROM runs) FROM sas WHERE first_seen >= ?1");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return;
    }
    int64_t n = sqlite3_column_int64(st, 0), runs = sqlite3_column_int64(st, 3);
    if (fl->json) {
        aj_uint(&fl->j, "runs", (uint64_t)runs);
        aj_uint(&fl->j, "sas", (uint64_t)n);
        if (n) {
            aj_str(&fl->j, "first", col(st, 1));
            aj_str(&fl->j, "last", col(st, 2));
        }
    } else {
        printf("%lld IKE SAs from %lld run%s", (long long)n, (long long)runs, runs == 1 ? "" : "s");
        if (n)
            printf(", %.10s to %.10s", col(st, 1), col(st, 2));
        printf("%s%s%s\n", fl->since[0] ? " (since " : "", fl->since, fl->since[0] ? ")" : "");
    }
    sqlite3_finalize(st);
    st = query(fl, "SELECT outcome, count(*) FROM sas WHERE first_seen >= ?1 GROUP BY outcome ORDER BY 2 DESC");
    if (fl->json)
        aj_obj_begin(&fl->j, "outcomes");
    else
        printf("  outcomes:");
    bool first = true;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        if (fl->json)
            aj_uint(&fl->j, col(st, 0), (uint64_t)sqlite3_column_int64(st, 1));
        else
            printf("%s %s %lld", first ? "" : ",", col(st, 0), (long long)sqlite3_column_int64(st, 1));
        first = false;
    }
    if (fl->json)
        aj_obj_end(&fl->j);
    else
        printf("\n\n");
    sqlite3_finalize(st);
}

/* Problems (errors and warnings) by rule: SAs and peer pairs hit, share of them certain. */
static void problems(struct fleet *fl)
{
    sqlite3_stmt *st = query(fl,
        "SELECT f.rule, max(f.windows_code), count(DISTINCT f.sa), count(DISTINCT s.initiator || '>' || s.responder),"
        " max(s.first_seen), count(DISTINCT CASE WHEN f.confidence = 'certain' THEN f.sa END), max(f.severity = 'error')"
        " FROM findings f JOIN sas s ON s.id = f.sa"
        " WHERE f.severity IN ('error', 'warning') AND s.first_seen >= ?1"
        " GROUP BY f.rule ORDER BY 7 DESC, 3 DESC, 1 LIMIT " STR(TOP));
    if (fl->json)
        aj_arr_begin(&fl->j, "problems");
    else
        printf("Problems (rule, Windows code, SAs hit, of them certain, peer pairs, last seen):\n");
    bool any = false;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        any = true;
        int code = sqlite3_column_int(st, 1);
        const char *wname = code > 0 ? an_windows_error_name((unsigned)code) : NULL;
        if (fl->json) {
            aj_obj_begin(&fl->j, NULL);
            aj_str(&fl->j, "rule", col(st, 0));
            if (wname) {
                aj_uint(&fl->j, "windows_code", (uint64_t)code);
                aj_str(&fl->j, "windows_name", wname);
            } else {
                aj_null(&fl->j, "windows_code");
            }
            aj_uint(&fl->j, "sas", (uint64_t)sqlite3_column_int64(st, 2));
            aj_uint(&fl->j, "certain", (uint64_t)sqlite3_column_int64(st, 5));
            aj_uint(&fl->j, "peer_pairs", (uint64_t)sqlite3_column_int64(st, 3));
            aj_str(&fl->j, "last_seen", col(st, 4));
            aj_obj_end(&fl->j);
        } else {
            char c[16] = "-";
            if (code > 0)
                snprintf(c, sizeof c, "%d", code);
            printf("  %-32s %-6s %6lld SA%s %6lld certain %5lld pair%s  last %.19s\n", col(st, 0), c,
                   (long long)sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 2) == 1 ? " " : "s",
                   (long long)sqlite3_column_int64(st, 5), (long long)sqlite3_column_int64(st, 3),
                   sqlite3_column_int64(st, 3) == 1 ? " " : "s", col(st, 4));
        }
    }
    if (fl->json)
        aj_arr_end(&fl->j);
    else
        printf("%s\n", any ? "" : "  none");
    sqlite3_finalize(st);
}

/* Peer pairs by SAs with an error, with the error that hit them most. */
static void peers(struct fleet *fl)
{
    sqlite3_stmt *st = query(fl,
        "SELECT s.initiator, s.responder, count(*) AS total,"
        " sum(EXISTS(SELECT 1 FROM findings f WHERE f.sa = s.id AND f.severity = 'error')) AS failing,"
        " sum(s.outcome = 'established'), max(s.first_seen),"
        " (SELECT f.rule FROM findings f JOIN sas t ON t.id = f.sa WHERE t.initiator = s.initiator"
        "  AND t.responder = s.responder AND f.severity = 'error' AND t.first_seen >= ?1"
        "  GROUP BY f.rule ORDER BY count(*) DESC, f.rule LIMIT 1)"
        " FROM sas s WHERE s.first_seen >= ?1 GROUP BY s.initiator, s.responder HAVING failing > 0"
        " ORDER BY failing DESC, total DESC LIMIT " STR(TOP));
    if (fl->json)
        aj_arr_begin(&fl->j, "failing_peers");
    else
        printf("Peer pairs with failing SAs (initiator -> responder: SAs with an error / all, established, main "
               "cause, last seen):\n");
    bool any = false;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        any = true;
        if (fl->json) {
            aj_obj_begin(&fl->j, NULL);
            aj_str(&fl->j, "initiator", col(st, 0));
            aj_str(&fl->j, "responder", col(st, 1));
            aj_uint(&fl->j, "sas", (uint64_t)sqlite3_column_int64(st, 2));
            aj_uint(&fl->j, "with_error", (uint64_t)sqlite3_column_int64(st, 3));
            aj_uint(&fl->j, "established", (uint64_t)sqlite3_column_int64(st, 4));
            aj_str(&fl->j, "main_cause", col(st, 6));
            aj_str(&fl->j, "last_seen", col(st, 5));
            aj_obj_end(&fl->j);
        } else {
            char pair[140];
            snprintf(pair, sizeof pair, "%s -> %s", col(st, 0), col(st, 1));
            printf("  %-40s %5lld/%-5lld %5lld  %-30s last %.19s\n", pair, (long long)sqlite3_column_int64(st, 3),
                   (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 4), col(st, 6),
                   col(st, 5));
        }
    }
    if (fl->json)
        aj_arr_end(&fl->j);
    else if (!any)
        printf("  none\n");
    sqlite3_finalize(st);
}

int cli_fleet_command(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "since", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct fleet fl = { .since = "" };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
                fprintf(stderr, "ikescope fleet: --format '%s' is not known; use text or json\n", optarg);
                return 2;
            }
            fl.json = strcmp(optarg, "json") == 0;
            break;
        case 's':
            /* Compared with the stored ISO 8601 text: a date, or a date and time, will do. */
            if (strlen(optarg) < 10 || optarg[4] != '-' || optarg[7] != '-') {
                fprintf(stderr, "ikescope fleet: --since '%s' is not an ISO 8601 date (2026-12-01, "
                                "2026-12-01T08:00:00Z)\n", optarg);
                return 2;
            }
            fl.since = optarg;
            break;
        case 'h':
            fputs(usage_fleet, stdout);
            return 0;
        default:
            return cli_option_error("fleet", c, argv, optind);
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "ikescope fleet: give one store; usage: ikescope fleet [--format text|json] STORE\n");
        return 2;
    }
    const char *path = argv[optind];
    if (sqlite3_open_v2(path, &fl.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "ikescope fleet: %s: cannot open the store: %s (fill one with 'ikescope analyze --store %s "
                        "FILE')\n", path, fl.db ? sqlite3_errmsg(fl.db) : "out of memory", path);
        sqlite3_close(fl.db);
        return 2;
    }
    sqlite3_busy_timeout(fl.db, 30000);
    sqlite3_stmt *probe = NULL;
    if (sqlite3_prepare_v2(fl.db, "SELECT value FROM meta WHERE key = 'schema'", -1, &probe, NULL) != SQLITE_OK ||
        sqlite3_step(probe) != SQLITE_ROW) {
        fprintf(stderr, "ikescope fleet: %s: not an ikescope store (%s)\n", path, sqlite3_errmsg(fl.db));
        sqlite3_finalize(probe);
        sqlite3_close(fl.db);
        return 2;
    }
    sqlite3_finalize(probe);
    if (fl.json) {
        aj_init(&fl.j, stdout);
        aj_obj_begin(&fl.j, NULL);
        aj_str(&fl.j, "schema", "ikescope-fleet/1");
        aj_str(&fl.j, "store", path);
        if (fl.since[0])
            aj_str(&fl.j, "since", fl.since);
    } else {
        printf("Fleet store %s: ", path);
    }
    totals(&fl);
    problems(&fl);
    peers(&fl);
    if (fl.json) {
        aj_obj_end(&fl.j);
        aj_flush(&fl.j);
        fputc('\n', stdout);
    }
    sqlite3_close(fl.db);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
}
