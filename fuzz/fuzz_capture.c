/* fuzz_capture.c: libFuzzer target over whole capture files: the bytes go through libpcap,
 * the link/IP/UDP/TCP decoders, reassembly, the IKE parser, the SA tracker and both reports. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze/report.h"
#include "fuzz_common.h"
#include "capture/capture.h"
#include "ike/sa.h"

static FILE *sink;

static void run_once(const char *path, enum an_format fmt)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    char err[256];
    const char *paths[1] = { path };
    struct cap_files *cf;
    if (cap_files_open(&cf, paths, 1, &cfg, err, sizeof err) != CAP_OK)
        return;
    struct an_report *r = an_report_new(sink, fmt, "fuzz");
    struct ike_tracker *t;
    if (r && ike_tracker_new(&t, NULL, NULL, an_report_sa, r) == 0) {
        cap_files_run(cf, ike_tracker_datagram, t, err, sizeof err);
        ike_tracker_finish(t);
        struct an_input in = { path, cap_files_stats(cf, 0), ike_tracker_input(t, 0), NULL };
        an_report_finish(r, &in, 1);
        ike_tracker_free(t);
    }
    an_report_free(r);
    cap_files_close(cf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink)
        sink = fopen("/dev/null", "w");
    fuzz_run_as_file(data, size, run_once);
    return 0;
}
