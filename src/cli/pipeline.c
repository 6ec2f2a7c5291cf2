/* pipeline.c: captures in, finished IKE SAs out (see pipeline.h). */
#include "cli/pipeline.h"

#include <stdbool.h>
#include <stdio.h>

#include "capture/live.h"

void cli_pipeline_close(struct cli_pipeline *p)
{
    ike_tracker_free(p->tracker);
    cap_files_close(p->files);
    cap_live_close(p->live);
    p->tracker = NULL;
    p->files = NULL;
    p->live = NULL;
}

/* The tracker behind either source (`idle_sec` 0: its default); on failure of the source
 * or of the tracker, everything is closed. */
static int with_tracker(struct cli_pipeline *p, bool source_open, uint32_t idle_sec, const struct ike_keystore *keys,
                        ike_sa_done_fn done, void *ctx, char *err, size_t errlen)
{
    struct ike_tracker_config tc;
    ike_tracker_config_defaults(&tc);
    if (idle_sec)
        tc.idle_timeout_sec = idle_sec;
    if (source_open && ike_tracker_new(&p->tracker, &tc, keys, done, ctx) == 0)
        return 0;
    if (source_open)
        snprintf(err, errlen, "out of memory");
    cli_pipeline_close(p);
    return -1;
}

int cli_pipeline_open(struct cli_pipeline *p, const char *const *paths, size_t n, const struct cap_config *cfg,
                      const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx, char *err, size_t errlen)
{
    *p = (struct cli_pipeline){ 0 };
    bool opened = cap_files_open(&p->files, paths, n, cfg, err, errlen) == CAP_OK;
    return with_tracker(p, opened, 0, keys, done, ctx, err, errlen);
}

enum cap_err cli_pipeline_run(struct cli_pipeline *p, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    enum cap_err rc = cap_files_run(p->files, ike_tracker_datagram, p->tracker, err, errlen);
    ike_tracker_finish(p->tracker);
    return rc;
}

int cli_pipeline_open_live(struct cli_pipeline *p, const char *iface, const struct cap_config *cfg,
                           const struct ike_keystore *keys, uint32_t idle_sec, ike_sa_done_fn done, void *ctx,
                           char *err, size_t errlen)
{
    *p = (struct cli_pipeline){ 0 };
    bool opened = cap_live_open(&p->live, iface, cfg, err, errlen) == CAP_OK;
    return with_tracker(p, opened, idle_sec, keys, done, ctx, err, errlen);
}

static void tracker_tick(void *ctx, int64_t sec, uint32_t usec)
{
    ike_tracker_tick(ctx, sec, usec);
}

enum cap_err cli_pipeline_run_live(struct cli_pipeline *p, struct cap_live_limits *lim, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    lim->tick = tracker_tick;
    lim->tick_ctx = p->tracker;
    enum cap_err rc = cap_live_run(p->live, ike_tracker_datagram, p->tracker, lim, err, errlen);
    ike_tracker_finish(p->tracker);
    return rc;
}
