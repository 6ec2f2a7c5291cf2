/* pipeline.h: captures in, finished IKE SAs out: the reading, tracking and decryption every command shares. */
#ifndef IKESCOPE_CLI_PIPELINE_H
#define IKESCOPE_CLI_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"
#include "ike/sa.h"

struct ike_keystore;

/*
 * The analysis pipeline without a report: capture files -> IKE datagrams ->
 * SA tracker (which decrypts with `keys`) -> done(ctx, sa) for every SA.
 * Both members are owned; they stay valid until cli_pipeline_close so a
 * caller can read per-input statistics after the run.
 */
struct cli_pipeline {
    struct cap_files *files;
    struct cap_live *live;   /* instead of files, for -i */
    struct ike_tracker *tracker;
};

/*
 * Opens the captures (several are read as one stream in time order) and a
 * tracker. `keys` may be NULL and is borrowed: keep it alive until close.
 * Returns 0, or -1 with "FILE: problem" (or "out of memory") in err; the
 * pipeline is then closed already.
 */
int cli_pipeline_open(struct cli_pipeline *p, const char *const *paths, size_t n, const struct cap_config *cfg,
                      const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx, char *err, size_t errlen);

/* Reads every packet and finishes every SA still live. CAP_OK, or the first read error (err names the file);
 * the SAs read before the error are finished either way. */
enum cap_err cli_pipeline_run(struct cli_pipeline *p, char *err, size_t errlen);

/* The same from a network interface (capture/live.h): SAs silent for `idle_sec` (0: the
 * tracker's default) are judged and reported while the capture goes on. */
struct cap_live_limits;
int cli_pipeline_open_live(struct cli_pipeline *p, const char *iface, const struct cap_config *cfg,
                           const struct ike_keystore *keys, uint32_t idle_sec, ike_sa_done_fn done, void *ctx,
                           char *err, size_t errlen);
/* Captures until a limit in `lim` (its tick is the tracker's; set only stop, the limits and
 * after_read), then finishes every SA still live. */
enum cap_err cli_pipeline_run_live(struct cli_pipeline *p, struct cap_live_limits *lim, char *err, size_t errlen);

/* NULL members are fine. */
void cli_pipeline_close(struct cli_pipeline *p);

#endif
