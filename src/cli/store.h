/* store.h: the fleet store (--store FILE), an SQLite database of every analysed IKE SA and
 * its findings, across runs; `ikescope fleet FILE` reads it (fleet.c). */
#ifndef IKESCOPE_CLI_STORE_H
#define IKESCOPE_CLI_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/findings.h"
#include "ike/sa.h"

struct cli_store;

/* Opens (creating if needed) the store at `path` and starts a run that names its inputs
 * ("a.pcap b.pcap" or "live:eth0") and whether keys and CA files were given. SAs are
 * committed in batches (at most a second's worth), or one by one when `live`. Returns 0,
 * or -1 with one line in `err` naming the file and what to do. */
int cli_store_open(struct cli_store **out, const char *path, const char *inputs, bool with_keys, bool with_ca,
                   bool live, const char *tool_version, char *err, size_t len);
/* An an_verdict_fn: keeps the SA and its findings (replacing an earlier analysis of the
 * same SA). Errors are remembered for cli_store_commit. */
void cli_store_verdict(void *ctx, const struct ike_sa *sa, const struct an_finding *f, size_t n);
/* Commits what is left of the run. Returns 0, or -1 with the first error of the run (its
 * batch is rolled back; earlier batches stay). */
int cli_store_commit(struct cli_store *s, char *err, size_t len);
void cli_store_close(struct cli_store *s);

#endif
