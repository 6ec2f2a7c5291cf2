/* pipeline.c: captures in, finished IKE SAs out (see pipeline.h). */
#include "cli/pipeline.h"

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

int cli_pipeline_open(struct cli_pipeline *p, const char *const *paths, size_t n, const struct cap_config *cfg,
                      const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx, char *err, size_t errlen)
{
    p->files = NULL;
    p->live = NULL;
    p->tracker = NULL;
    if (cap_files_open(&p->files, paths, n, cfg, err, errlen) != CAP_OK)
        goto fail;
    if (ike_tracker_new(&p->tracker, NULL, keys, done, ctx) != 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    return 0;
fail:
    cli_pipeline_close(p);
    return -1;
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
    p->files = NULL;
    p->live = NULL;
    p->tracker = NULL;
    if (cap_live_open(&p->live, iface, cfg, err, errlen) != CAP_OK)
        goto fail;
    struct ike_tracker_config tc;
    ike_tracker_config_defaults(&tc);
    if (idle_sec)
        tc.idle_timeout_sec = idle_sec;
    if (ike_tracker_new(&p->tracker, &tc, keys, done, ctx) != 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    return 0;
fail:
    cli_pipeline_close(p);
    return -1;
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
