/* test_keyconvert.c: `keys convert` pieces: key sets without SPIs matched to the SAs of a real capture, and key
 * output files that leave no key text in freed memory. */
#include <glob.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli/keymatch.h"
#include "cli/keyout.h"
#include "ike/crypto/keyfile.h"
#include "ike/crypto/keyset.h"
#include "heapscan.h"
#include "testutil.h"

static const char *pcaps_dir(void)
{
    const char *root = getenv("IKESCOPE_PCAPS");
    return root ? root : "pcaps";
}

/* Path of pcaps/NAME/FILE, or skip loudly when the lab files are not there. */
static const char *lab_file(const char *name, const char *file, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s/%s", pcaps_dir(), name, file);
    if (access(buf, R_OK) != 0)
        cr_skip_test("SKIPPED: %s is missing (produced by the lab setup)", buf);
    return buf;
}

static struct ike_keystore *load(const char *path)
{
    struct ike_keystore *ks = ike_keystore_new();
    char err[512] = "";
    cr_assert_eq(ike_keystore_load(ks, path, err, sizeof err), IKE_KEY_OK, "%s", err);
    return ks;
}

static void assert_same_keys(const struct ike_keyset *x, const struct ike_keyset *y, const char *what)
{
    cr_assert_eq(x->version, y->version, "%s", what);
    cr_assert(x->has_spis && y->has_spis, "%s", what);
    cr_assert_arr_eq(x->spi_i, y->spi_i, 8, "%s: SPIi", what);
    if (x->version == 2) {
        cr_assert_arr_eq(x->spi_r, y->spi_r, 8, "%s: SPIr", what);
        cr_assert_eq(x->suite.encr, y->suite.encr, "%s", what);
        cr_assert_eq(ike_v2_encr_key_len(&x->suite), ike_v2_encr_key_len(&y->suite), "%s", what);
        cr_assert_eq(x->suite.integ, y->suite.integ, "%s", what);
        cr_assert(ike_secret_equal(&x->sk_ei, &y->sk_ei) && ike_secret_equal(&x->sk_er, &y->sk_er) &&
                  ike_secret_equal(&x->sk_ai, &y->sk_ai) && ike_secret_equal(&x->sk_ar, &y->sk_ar),
                  "%s: keys differ", what);
    } else {
        cr_assert(ike_secret_equal(&x->v1_enc_key, &y->v1_enc_key), "%s: Ka differs", what);
    }
}

/*
 * Every lab scenario with a charon log and a verified Wireshark table: the log's
 * SPI-less key sets, matched against the capture, are exactly the table's rows.
 */
Test(keyconvert, charon_logs_get_the_spis_of_their_sas, .timeout = 120)
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/*/charon-initiator.log", pcaps_dir());
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0)
        cr_skip_test("SKIPPED: no pcaps/*/charon-initiator.log (produced by the lab setup)");
    size_t compared = 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        const char *log = g.gl_pathv[f];
        int dir = (int)(strrchr(log, '/') - log);
        char pcap[1200], table[1200];
        snprintf(pcap, sizeof pcap, "%.*s/capture.pcap", dir, log);
        struct ike_keystore *in = ike_keystore_new(), *want = ike_keystore_new(), *out = NULL;
        char err[512] = "";
        if (ike_keystore_load(in, log, err, sizeof err) != IKE_KEY_OK) { /* a log without key dumps */
            ike_keystore_free(in);
            ike_keystore_free(want);
            continue;
        }
        for (int v = 1; v <= 2; v++) {
            snprintf(table, sizeof table, "%.*s/ikev%d_decryption_table", dir, log, v);
            if (access(table, R_OK) == 0)
                cr_assert_eq(ike_keystore_load(want, table, err, sizeof err), IKE_KEY_OK, "%s", err);
        }
        struct cap_config cfg;
        cap_config_defaults(&cfg);
        struct cli_keymatch_stats st;
        const char *caps[] = { pcap };
        cr_assert_eq(cli_keys_match_captures(in, caps, 1, &cfg, &out, &st, err, sizeof err), 0, "%s", err);
        cr_assert_eq(st.needed, ike_keystore_count(in), "%s: charon key sets name no SPIs", log);
        cr_assert_eq(st.matched, st.needed, "%s: a key set opened no SA of %s", log, pcap);
        cr_assert_eq(ike_keystore_count(out), st.sas);
        for (size_t i = 0; i < ike_keystore_count(out); i++) {
            const struct ike_keyset *k = ike_keystore_get(out, i);
            cr_assert(k->has_spis && !cli_keyset_needs_capture(k), "%s: set %zu", log, i);
            cr_assert_not_null(strstr(k->origin, "charon-initiator.log:"), "origin is kept: %s", k->origin);
            const struct ike_keyset *w = ike_keystore_find_by_spi(want, k->version, k->spi_i, k->spi_r);
            if (!w)
                continue; /* no Wireshark name for the suite (ChaCha20): no table row */
            assert_same_keys(k, w, log);
            compared++;
        }
        ike_keystore_free(out);
        ike_keystore_free(in);
        ike_keystore_free(want);
    }
    globfree(&g);
    cr_assert_gt(compared, 0);
}

/* Sets that carry SPIs pass through unchanged; a capture of another connection matches nothing. */
Test(keyconvert, sets_with_spis_pass_and_strangers_stay)
{
    char a[1024], b[1024], p[1024];
    lab_file("ikev2-cert-libreswan", "tcpdump-secrets.txt", a, sizeof a);
    lab_file("ikev2-psk-aesgcm", "charon-initiator.log", b, sizeof b);
    lab_file("ikev2-cert-libreswan", "capture.pcap", p, sizeof p);
    struct ike_keystore *in = load(a);
    char err[512] = "";
    cr_assert_eq(ike_keystore_load(in, b, err, sizeof err), IKE_KEY_OK, "%s", err);
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    struct ike_keystore *out = NULL;
    struct cli_keymatch_stats st;
    const char *caps[] = { p };
    cr_assert_eq(cli_keys_match_captures(in, caps, 1, &cfg, &out, &st, err, sizeof err), 0, "%s", err);
    cr_assert_eq(st.needed, 1);
    cr_assert_eq(st.matched, 0);
    cr_assert_eq(ike_keystore_count(out), 2);
    assert_same_keys(ike_keystore_get(out, 0), ike_keystore_get(in, 0), "tcpdump set");
    cr_assert_not(ike_keystore_get(out, 1)->has_spis, "an unmatched set stays as it was");
    ike_keystore_free(out);

    /* A capture that cannot be read is an error naming it. */
    const char *bad[] = { "/nonexistent/capture.pcap" };
    cr_assert_neq(cli_keys_match_captures(in, bad, 1, &cfg, &out, &st, err, sizeof err), 0);
    cr_assert_null(out);
    cr_assert_not_null(strstr(err, "/nonexistent/capture.pcap"), "%s", err);
    ike_keystore_free(in);
}

static const char key_hex[] = "9e2673484b63b944aceb15b2e1c4b7e20cfd64753650616749b664b71199a821";

/* Writing converted keys leaves no key text in freed memory: stdio's buffer is ours and wiped. */
Test(keyconvert, key_output_leaves_no_key_text_in_freed_memory)
{
    struct ike_keystore *ks = ike_keystore_new();
    char line[512], err[256] = "";
    snprintf(line, sizeof line,
             "ikescope-keys v1 version=2 spi_i=191ccd371a7a1f7b spi_r=bc123d15e4af593f encr=AES_CBC encr_bits=256 "
             "integ=HMAC_SHA2_256_128 sk_ei=%s sk_er=%s sk_ai=%s sk_ar=%s\n", key_hex, key_hex, key_hex, key_hex);
    cr_assert_eq(ike_keystore_load_buf(ks, "keys.txt", (const uint8_t *)line, strlen(line), err, sizeof err),
                 IKE_KEY_OK, "%s", err);
    char path[] = "/tmp/ikescope-keyout-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    chmod(path, 0644);

    heapscan_start();
    heapscan_watch(key_hex, 32);
    struct cli_keyout o;
    cr_assert_eq(cli_keyout_open(&o, path, err, sizeof err), 0, "%s", err);
    cr_assert_eq(ike_keystore_write_wireshark_v2(ks, o.f, NULL, NULL), IKE_KEY_OK);
    cr_assert_eq(cli_keyout_close(&o, err, sizeof err), 0, "%s", err);
    size_t hits = heapscan_stop();
    ike_keystore_free(ks);

    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0600, "a key file is readable by its owner only, even if it existed");
    FILE *f = fopen(path, "r");
    char got[2048] = "";
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = 0;
    fclose(f);
    unlink(path);
    cr_assert_not_null(strstr(got, "191ccd371a7a1f7b,bc123d15e4af593f," "9e2673484b63b944"), "%s", got);
    cr_assert_eq(hits, 0, "%zu freed heap block(s) still held key text after writing a key file", hits);
}
