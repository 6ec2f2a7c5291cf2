/* pipeline.c: captures in, finished IKE SAs out (see pipeline.h). */
#include "cli/pipeline.h"

#include <stdio.h>

void cli_pipeline_close(struct cli_pipeline *p)
{
    ike_tracker_free(p->tracker);
    cap_files_close(p->files);
    p->tracker = NULL;
    p->files = NULL;
}

int cli_pipeline_open(struct cli_pipeline *p, const char *const *paths, size_t n, const struct cap_config *cfg,
                      const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx, char *err, size_t errlen)
{
    p->files = NULL;
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
