/* fuzz_keyed.c: libFuzzer target over whole capture files analysed WITH keys, so that
 * decryption and everything that reads decrypted payloads (identities, certificates and
 * their chains, AUTH, PSK candidates, traffic selectors, the reports) is reached. At start
 * it loads every key file, CA certificate and the lab's pre-shared keys found in the lab
 * folder (IKESCOPE_FUZZ_PCAPS, default the source tree's pcaps/); seeds are the lab
 * captures, which those keys decrypt. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze/psk_auth.h"
#include "analyze/report.h"
#include "fuzz_common.h"
#include "analyze/trust.h"
#include "capture/capture.h"
#include "capture/netlog.h"
#include "ike/crypto/keyfile.h"
#include "ike/crypto/keyset.h"
#include "ike/sa.h"

#ifndef IKESCOPE_PCAPS
#define IKESCOPE_PCAPS "pcaps"
#endif

static FILE *sink;
static struct ike_keystore *keys;
static struct an_trust *trust;
static struct an_psk_list psks;

static bool is_key_file(const char *name)
{
    static const char *const names[] = { "ikev1_decryption_table", "ikev2_decryption_table", "ikescope-keys.txt",
                                         "tcpdump-secrets.txt", "charon-initiator.log", "charon-responder.log",
                                         "pluto-initiator.log", "pluto-responder.log" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Every key file and CA certificate of every lab scenario. */
static void load_lab(const char *dir)
{
    char err[512], path[1024];
    keys = ike_keystore_new();
    trust = an_trust_new(64);
    DIR *top = opendir(dir);
    struct dirent *s;
    while (top && (s = readdir(top))) {
        if (s->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, s->d_name);
        DIR *sc = opendir(path);
        struct dirent *f;
        while (sc && (f = readdir(sc))) {
            char file[1300];
            snprintf(file, sizeof file, "%s/%s", path, f->d_name);
            if (keys && is_key_file(f->d_name))
                (void)ike_keystore_load(keys, file, err, sizeof err);
            else if (trust && strncmp(f->d_name, "ca-", 3) == 0 && strstr(f->d_name, ".pem"))
                (void)an_trust_add_ca(trust, file, err, sizeof err);
        }
        if (sc)
            closedir(sc);
    }
    if (top)
        closedir(top);
    if (keys)
        ike_keystore_index(keys);
    /* The lab's throw-away pre-shared keys (tests/lab/ikelab/scenarios.py) and a wrong one. */
    static const char *const lab_psks[] = { "ikescope-lab-psk-0123456789", "wrong-psk", "a-different-secret-987654321" };
    for (size_t i = 0; i < sizeof lab_psks / sizeof lab_psks[0]; i++)
        (void)an_psk_add(&psks, (const uint8_t *)lab_psks[i], strlen(lab_psks[i]), "fuzz");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("IKESCOPE_FUZZ_PCAPS");
    load_lab(dir ? dir : IKESCOPE_PCAPS);
    sink = fopen("/dev/null", "w");
    return 0;
}

static void run_once(const char *path, enum an_format fmt)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    struct cap_netlog *log = cap_netlog_new();
    cfg.netlog = log;
    char err[256];
    const char *paths[1] = { path };
    struct cap_files *cf;
    if (cap_files_open(&cf, paths, 1, &cfg, err, sizeof err) != CAP_OK) {
        cap_netlog_free(log);
        return;
    }
    struct an_report *r = an_report_new(sink, fmt, "fuzz");
    struct ike_tracker *t;
    if (r) {
        an_report_set_trust(r, trust, NULL);
        an_report_set_psks(r, &psks);
        an_report_set_netlog(r, log);
    }
    if (r && ike_tracker_new(&t, NULL, keys, an_report_sa, r) == 0) {
        cap_files_run(cf, ike_tracker_datagram, t, err, sizeof err);
        ike_tracker_finish(t);
        struct an_input in = { path, cap_files_stats(cf, 0), ike_tracker_input(t, 0), NULL };
        an_report_finish(r, &in, 1);
        ike_tracker_free(t);
    }
    an_report_free(r);
    cap_files_close(cf);
    cap_netlog_free(log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink)
        LLVMFuzzerInitialize(NULL, NULL);
    fuzz_run_as_file(data, size, run_once);
    return 0;
}
