/* keys.c: --keys loading for analyze, and `ikescope keys convert` between key formats. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capture/capture.h"
#include "cli/suggest.h"
#include "cli/cli.h"
#include "cli/keymatch.h"
#include "cli/keyout.h"
#include "ike/crypto/keyfile.h"
#include "ike/crypto/keyset.h"

int cli_keys_load(struct cli_keys *k, const char *const *paths, size_t n, char *err, size_t errlen)
{
    k->store = NULL;
    if (n == 0)
        return 0;
    k->store = ike_keystore_new();
    if (!k->store) {
        snprintf(err, errlen, "out of memory loading key files");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        enum ike_key_status st = ike_keystore_load(k->store, paths[i], err, errlen);
        /* A log of a negotiation that never reached key derivation is not an
         * error: say so and go on with the other files. */
        if (st == IKE_KEY_NO_MATERIAL)
            fprintf(stderr, "ikescope: warning: %s\n", err);
        else if (st != IKE_KEY_OK)
            return -1;
    }
    ike_keystore_index(k->store);
    return 0;
}

void cli_keys_free(struct cli_keys *k)
{
    ike_keystore_free(k->store);
    k->store = NULL;
}

static const char usage_convert[] =
    "Usage: ikescope keys convert --to wireshark|ikescope [-o OUT] [--capture PCAP]... KEYFILE...\n"
    "\n"
    "Reads key files in any format ikescope accepts (Wireshark ikev1/ikev2\n"
    "decryption tables, tcpdump -E secrets, libreswan pluto logs, strongSwan\n"
    "charon logs at ike=4, ikescope keylog) and writes them in one format.\n"
    "\n"
    "  --to wireshark      Wireshark tables OUT.ikev2_decryption_table and\n"
    "                      OUT.ikev1_decryption_table (OUT defaults to 'ikescope');\n"
    "                      copy them into your Wireshark profile folder as\n"
    "                      ikev2_decryption_table and ikev1_decryption_table\n"
    "  --to ikescope       the ikescope keylog (docs/keys.md), to OUT or stdout\n"
    "  -o, --output OUT    where to write\n"
    "  -c, --capture PCAP  a capture of the connections the keys belong to\n"
    "                      (repeatable). Needed for keys that name no SPIs\n"
    "                      (charon logs) or hold only a DH secret or SKEYSEED:\n"
    "                      ikescope finds the IKE SA each one decrypts and\n"
    "                      writes it with that SA's SPIs and keys\n"
    "\n"
    "Files are created readable by their owner only (mode 0600): they hold keys.\n";

typedef enum ike_key_status (*key_writer)(const struct ike_keystore *, FILE *, size_t *, size_t *);

static int write_one(const struct ike_keystore *ks, key_writer w, const char *path, const char *what)
{
    char err[512];
    struct cli_keyout out;
    if (cli_keyout_open(&out, path, err, sizeof err) != 0) {
        fprintf(stderr, "ikescope keys convert: %s\n", err);
        return 2;
    }
    size_t written = 0, skipped = 0;
    enum ike_key_status st = w(ks, out.f, &written, &skipped);
    /* A write error (IKE_KEY_IO) left ferror set: closing reports it with its reason. */
    if (st != IKE_KEY_OK && st != IKE_KEY_IO) {
        cli_keyout_discard(&out);
        fprintf(stderr, "ikescope keys convert: could not write %s\n", what);
        return 2;
    }
    /* A failed write is said once, and nothing claims the keys were written. */
    if (cli_keyout_close(&out, err, sizeof err) != 0) {
        fprintf(stderr, "ikescope keys convert: %s\n", err);
        return 2;
    }
    fprintf(stderr, "ikescope keys: %zu key set%s written as %s%s%s", written, written == 1 ? "" : "s", what,
            path ? " to " : "", path ? path : "");
    if (skipped)
        fprintf(stderr, " (%zu skipped: the format cannot carry them; see docs/keys.md)", skipped);
    fputc('\n', stderr);
    return 0;
}

#define MAX_CAPTURES 32

/* Replaces *store by the sets matched to the captures' SAs; 0, or 2 after printing why not. */
static int match_captures(struct ike_keystore **store, const char *const *captures, size_t ncaptures, bool wireshark)
{
    struct cap_config cfg;
    cap_config_defaults(&cfg);
    struct ike_keystore *matched;
    struct cli_keymatch_stats st;
    char err[512];
    if (cli_keys_match_captures(*store, captures, ncaptures, &cfg, &matched, &st, err, sizeof err) != 0) {
        fprintf(stderr, "ikescope keys convert: %s\n", err);
        return 2;
    }
    size_t total = ike_keystore_count(*store);
    ike_keystore_free(*store);
    *store = matched;
    if (st.needed == 0)
        return 0;
    const char *cap = ncaptures == 1 ? captures[0] : "the captures";
    if (st.matched == 0 && (wireshark ? st.needed == total : false)) {
        fprintf(stderr,
                "ikescope keys convert: none of the %zu key set%s without SPIs decrypts an IKE SA in %s "
                "(pass a capture of the same connections, and keys from the same run)\n",
                st.needed, st.needed == 1 ? "" : "s", cap);
        return 2;
    }
    fprintf(stderr, "ikescope keys: %zu of %zu key set%s without SPIs matched %zu IKE SA%s in %s", st.matched,
            st.needed, st.needed == 1 ? "" : "s", st.sas, st.sas == 1 ? "" : "s", cap);
    if (st.matched < st.needed)
        fprintf(stderr, "; %zu decrypt%s none there%s", st.needed - st.matched, st.needed - st.matched == 1 ? "s" : "",
                wireshark ? " and cannot go into a Wireshark table" : " and keep no SPIs");
    fputc('\n', stderr);
    return 0;
}

static int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "to", required_argument, NULL, 't' },
        { "output", required_argument, NULL, 'o' },
        { "capture", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *to = NULL, *out = NULL, *captures[MAX_CAPTURES];
    size_t ncaptures = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:o:c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'c':
            if (ncaptures == MAX_CAPTURES) {
                fprintf(stderr, "ikescope keys convert: too many --capture files (at most %d); merge some\n",
                        MAX_CAPTURES);
                return 2;
            }
            captures[ncaptures++] = optarg;
            break;
        case 'h': fputs(usage_convert, stdout); return 0;
        default: return cli_option_error("keys convert", c, argv, optind);
        }
    }
    if (!to || (strcmp(to, "wireshark") != 0 && strcmp(to, "ikescope") != 0) || optind >= argc) {
        fprintf(stderr, "ikescope keys convert: give --to wireshark|ikescope and at least one key file\n");
        return 2;
    }
    bool wireshark = strcmp(to, "wireshark") == 0;
    struct cli_keys keys;
    char err[512];
    int rc = 2;
    if (cli_keys_load(&keys, (const char *const *)argv + optind, (size_t)(argc - optind), err, sizeof err) != 0) {
        fprintf(stderr, "ikescope: %s\n", err);
        goto done;
    }
    if (ike_keystore_count(keys.store) == 0) {
        fprintf(stderr, "ikescope keys convert: the key files hold no keys; nothing written\n");
        goto done;
    }
    if (ncaptures) {
        if ((rc = match_captures(&keys.store, captures, ncaptures, wireshark)) != 0)
            goto done;
        rc = 2;
    } else if (wireshark) {
        /* A Wireshark row needs SPIs and SK_e keys: without a capture these sets would vanish from the table. */
        size_t need = 0;
        for (size_t i = 0; i < ike_keystore_count(keys.store); i++)
            need += cli_keyset_needs_capture(ike_keystore_get(keys.store, i));
        if (need) {
            bool one = need == 1;
            fprintf(stderr,
                    "ikescope keys convert: %zu key set%s no SPIs or %s only a DH secret, SKEYSEED or SKEYID "
                    "(as charon logs do), so a Wireshark table cannot hold %s: pass --capture FILE with a capture "
                    "of %s connection%s, and ikescope matches %s to %s IKE SA%s\n",
                    need, one ? " names" : "s name", one ? "holds" : "hold", one ? "it" : "them",
                    one ? "its" : "their", one ? "" : "s", one ? "it" : "them", one ? "its" : "their", one ? "" : "s");
            goto done;
        }
    }
    if (!wireshark) {
        rc = write_one(keys.store, ike_keystore_write_ikescope, out, "ikescope keylog");
    } else {
        char v2[4096], v1[4096];
        const char *base = out ? out : "ikescope";
        snprintf(v2, sizeof v2, "%s.ikev2_decryption_table", base);
        snprintf(v1, sizeof v1, "%s.ikev1_decryption_table", base);
        rc = write_one(keys.store, ike_keystore_write_wireshark_v2, v2, "Wireshark ikev2_decryption_table");
        int rc1 = write_one(keys.store, ike_keystore_write_wireshark_v1, v1, "Wireshark ikev1_decryption_table");
        rc = rc ? rc : rc1;
    }
done:
    cli_keys_free(&keys);
    return rc;
}

int cli_keys_command(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_convert, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    fprintf(stderr, "ikescope keys: unknown command '%s'; the only one is 'convert'\n", argv[1]);
    return 2;
}
