/* fuzz_endpointlog.c: libFuzzer target over the --endpoint-log readers: charon and pluto
 * lines, netsh wfp netevents XML, Security events 4653/4654 as XML or CSV, recognised from
 * the content, so one target reaches them all; seeds are the lab's daemon logs and the
 * Windows files in tests/cli/data/. */
#include <stdint.h>
#include <stdio.h>

#include "analyze/endpoint_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct an_endpoint_log log = { 0 };
    char err[512];
    (void)an_endpoint_log_load_buf(&log, "fuzz", (const char *)data, size, err, sizeof err);
    an_endpoint_log_free(&log);
    return 0;
}
