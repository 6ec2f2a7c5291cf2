/* store.c: the fleet store (--store FILE): every analysed IKE SA and its findings in one
 * SQLite database, so that captures from many hosts and many days can be asked together
 * (`ikescope fleet FILE`). SQLite because the store is written by several runs at once
 * (one per captured host, a live capture beside them) and read while they write: its
 * locking and write-ahead log give that, and any sqlite3 shell can query the file.
 *
 * One SA is one row, keyed by what identifies the negotiation on the wire (both SPIs, the
 * initiator's address, the first message's time): analysing the same capture again, say
 * with keys this time, replaces that SA's row and findings instead of counting it twice.
 * Nothing secret is stored: the same fields and finding texts as the report, which never
 * holds keys or pre-shared keys. */
#include "cli/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/identity.h"
#include "analyze/report.h"
#include "ike/names.h"

#define SCHEMA_VERSION "1"
/* A transaction holds the store's write lock: it is kept short, so that other runs writing
 * the same store wait at most about a second (they wait up to BUSY_MS). */
#define COMMIT_EVERY 1000 /* SAs */
#define COMMIT_AFTER_SEC 1
#define BUSY_MS 30000

struct cli_store {
    sqlite3 *db;
    sqlite3_stmt *put_sa, *drop_findings, *put_finding;
    int64_t run;
    size_t pending;
    time_t batch_started;
    bool in_batch, each_sa; /* each_sa: commit every SA (live capture: they trickle in) */
    bool failed;
    char error[256];
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, at TEXT NOT NULL, tool TEXT, inputs TEXT,"
    " with_keys INTEGER, with_ca INTEGER);"
    "CREATE TABLE IF NOT EXISTS sas(id INTEGER PRIMARY KEY, run INTEGER NOT NULL REFERENCES runs(id),"
    " version INTEGER, initiator TEXT, iport INTEGER, responder TEXT, rport INTEGER, spi_i TEXT, spi_r TEXT,"
    " first_seen TEXT, last_seen TEXT, outcome TEXT, likely TEXT, impl_i TEXT, impl_r TEXT, id_i TEXT, id_r TEXT,"
    " UNIQUE(spi_i, spi_r, initiator, first_seen));"
    "CREATE TABLE IF NOT EXISTS findings(sa INTEGER NOT NULL REFERENCES sas(id), rule TEXT NOT NULL,"
    " severity TEXT, confidence TEXT, windows_code INTEGER, title TEXT);"
    "CREATE INDEX IF NOT EXISTS findings_sa ON findings(sa);"
    "CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);"
    "CREATE INDEX IF NOT EXISTS sas_first_seen ON sas(first_seen);";

static int fail(struct cli_store *s, char *err, size_t len, const char *what)
{
    snprintf(err, len, "%s", what);
    snprintf(s->error, sizeof s->error, "%s", what);
    s->failed = true;
    return -1;
}

static int exec(struct cli_store *s, const char *sql, char *err, size_t len, const char *path)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    char what[256];
    snprintf(what, sizeof what, "%s: %s", path, msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return fail(s, err, len, what);
}

int cli_store_open(struct cli_store **out, const char *path, const char *inputs, bool with_keys, bool with_ca,
                   bool live, const char *tool_version, char *err, size_t len)
{
    *out = NULL;
    struct cli_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, len, "out of memory");
        return -1;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, len, "%s: cannot open the store: %s (give a writable file; it is created if missing)", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        cli_store_close(s);
        return -1;
    }
    /* Several runs may write at once (one per host, a live capture beside them). */
    sqlite3_busy_timeout(s->db, BUSY_MS);
    s->each_sa = live;
    if (exec(s, schema, err, len, path) != 0) {
        snprintf(err, len, "%s: not an ikescope store, or not writable: %s", path, s->error);
        cli_store_close(s);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    char version[16] = "";
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(version, sizeof version, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (version[0] && strcmp(version, SCHEMA_VERSION) != 0) {
        snprintf(err, len, "%s: a store of schema %s; this ikescope writes schema %s (use a new file)", path,
                 version, SCHEMA_VERSION);
        cli_store_close(s);
        return -1;
    }
    if (exec(s, "INSERT OR IGNORE INTO meta VALUES('schema', '" SCHEMA_VERSION "')", err, len, path) != 0) {
        cli_store_close(s);
        return -1;
    }
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO runs(at, tool, inputs, with_keys, with_ca) VALUES(?,?,?,?,?)", -1,
                           &st, NULL) != SQLITE_OK) {
        fail(s, err, len, sqlite3_errmsg(s->db));
        cli_store_close(s);
        return -1;
    }
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tool_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, inputs, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, with_keys);
    sqlite3_bind_int(st, 5, with_ca);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    s->run = sqlite3_last_insert_rowid(s->db);
    if (rc != SQLITE_DONE ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO sas(run, version, initiator, iport, responder, rport, spi_i, spi_r,"
                           " first_seen, last_seen, outcome, likely, impl_i, impl_r, id_i, id_r)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                           " ON CONFLICT(spi_i, spi_r, initiator, first_seen) DO UPDATE SET run=excluded.run,"
                           " responder=excluded.responder, iport=excluded.iport, rport=excluded.rport,"
                           " last_seen=excluded.last_seen, outcome=excluded.outcome, likely=excluded.likely,"
                           " impl_i=excluded.impl_i, impl_r=excluded.impl_r, id_i=excluded.id_i, id_r=excluded.id_r"
                           " RETURNING id",
                           -1, &s->put_sa, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "DELETE FROM findings WHERE sa=?", -1, &s->drop_findings, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO findings(sa, rule, severity, confidence, windows_code, title)"
                           " VALUES(?,?,?,?,?,?)",
                           -1, &s->put_finding, NULL) != SQLITE_OK) {
        char what[256];
        snprintf(what, sizeof what, "%s: %s", path, sqlite3_errmsg(s->db));
        fail(s, err, len, what);
        cli_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v && v[0])
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static const char *likely_name(enum ike_likely l)
{
    return l == IKE_LIKELY_RESPONDER_REJECTED ? "responder-rejected"
           : l == IKE_LIKELY_INITIATOR_REJECTED ? "initiator-rejected"
                                                : NULL;
}

static int64_t put_sa(struct cli_store *s, const struct ike_sa *sa)
{
    sqlite3_stmt *st = s->put_sa;
    char a[64], b[64], si[24], sr[24], t1[40], t2[40], ii[96], ri[96];
    struct an_identity id_i, id_r;
    bool have_i = an_sa_identity(sa, true, &id_i), have_r = an_sa_identity(sa, false, &id_r);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, s->run);
    sqlite3_bind_int(st, 2, sa->version);
    sqlite3_bind_text(st, 3, cap_addr_str(&sa->initiator.addr, a, sizeof a), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, sa->initiator.port);
    sqlite3_bind_text(st, 5, cap_addr_str(&sa->responder.addr, b, sizeof b), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, sa->responder.port);
    sqlite3_bind_text(st, 7, ike_hex(sa->spi_i, 8, si, sizeof si), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, ike_hex(sa->spi_r, 8, sr, sizeof sr), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, an_time_iso(&sa->first_seen, t1, sizeof t1), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, an_time_iso(&sa->last_seen, t2, sizeof t2), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 11, ike_outcome_name(sa->outcome), -1, SQLITE_STATIC);
    bind_opt(st, 12, likely_name(sa->likely));
    bind_opt(st, 13, an_implementation(sa, true, ii, sizeof ii));
    bind_opt(st, 14, an_implementation(sa, false, ri, sizeof ri));
    bind_opt(st, 15, have_i ? id_i.value : NULL);
    bind_opt(st, 16, have_r ? id_r.value : NULL);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return id;
}

void cli_store_verdict(void *ctx, const struct ike_sa *sa, const struct an_finding *f, size_t n)
{
    struct cli_store *s = ctx;
    if (!s || s->failed)
        return;
    char e[8];
    if (!s->in_batch) {
        if (exec(s, "BEGIN IMMEDIATE", e, sizeof e, "store") != 0)
            return;
        s->in_batch = true;
        s->batch_started = time(NULL);
    }
    int64_t id = put_sa(s, sa);
    if (id < 0) {
        snprintf(s->error, sizeof s->error, "cannot write IKE SA #%u: %s", sa->id, sqlite3_errmsg(s->db));
        s->failed = true;
        return;
    }
    /* A later analysis of the same SA replaces what an earlier one found. */
    sqlite3_reset(s->drop_findings);
    sqlite3_bind_int64(s->drop_findings, 1, id);
    sqlite3_step(s->drop_findings);
    sqlite3_reset(s->drop_findings);
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = s->put_finding;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, f[i].rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, f[i].severity == AN_SEV_ERROR ? "error" : f[i].severity == AN_SEV_WARNING ? "warning" : "info",
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, f[i].confidence == AN_CONF_LIKELY ? "likely" : "certain", -1, SQLITE_STATIC);
        if (f[i].windows_code)
            sqlite3_bind_int(st, 5, (int)f[i].windows_code);
        else
            sqlite3_bind_null(st, 5);
        sqlite3_bind_text(st, 6, f[i].title, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            snprintf(s->error, sizeof s->error, "cannot write a finding of IKE SA #%u: %s", sa->id,
                     sqlite3_errmsg(s->db));
            s->failed = true;
            return;
        }
        sqlite3_reset(st);
    }
    if (++s->pending >= COMMIT_EVERY || s->each_sa || time(NULL) - s->batch_started >= COMMIT_AFTER_SEC) {
        s->pending = 0;
        s->in_batch = false;
        exec(s, "COMMIT", e, sizeof e, "store");
    }
}

int cli_store_commit(struct cli_store *s, char *err, size_t len)
{
    if (s->failed) {
        snprintf(err, len, "%s", s->error);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (!s->in_batch)
        return 0;
    s->in_batch = false;
    return exec(s, "COMMIT", err, len, "store");
}

void cli_store_close(struct cli_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->put_sa);
    sqlite3_finalize(s->drop_findings);
    sqlite3_finalize(s->put_finding);
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s);
}
