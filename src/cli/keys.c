/* keys.c: --keys loading for analyze, and `ikescope keys convert` between key formats. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
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
    return 0;
}

void cli_keys_free(struct cli_keys *k)
{
    ike_keystore_free(k->store);
    k->store = NULL;
}

static const char usage_convert[] =
    "Usage: ikescope keys convert --to wireshark|ikescope [-o OUT] KEYFILE...\n"
    "\n"
    "Reads key files in any format ikescope accepts (Wireshark ikev1/ikev2\n"
    "decryption tables, tcpdump -E secrets, strongSwan charon logs at ike=4,\n"
    "ikescope keylog) and writes them in one format.\n"
    "\n"
    "  --to wireshark   Wireshark tables: OUT.ikev2_decryption_table and\n"
    "                   OUT.ikev1_decryption_table (OUT defaults to 'ikescope');\n"
    "                   copy them into your Wireshark profile folder\n"
    "  --to ikescope    the ikescope keylog (docs/keys.md), to OUT or stdout\n"
    "  -o, --output OUT where to write\n"
    "\n"
    "Files are created readable by their owner only (mode 0600): they hold keys.\n";

/* Opens a key output file readable by its owner only. */
static FILE *open_private(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return NULL;
    }
    fchmod(fd, 0600);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    }
    return f;
}

typedef enum ike_key_status (*key_writer)(const struct ike_keystore *, FILE *, size_t *, size_t *);

static int write_one(const struct ike_keystore *ks, key_writer w, const char *path, const char *what)
{
    char err[512];
    FILE *f = path ? open_private(path, err, sizeof err) : stdout;
    if (!f) {
        fprintf(stderr, "ikescope keys: %s\n", err);
        return 2;
    }
    size_t written = 0, skipped = 0;
    enum ike_key_status st = w(ks, f, &written, &skipped);
    int rc = 0;
    if (f != stdout && fclose(f) != 0) {
        fprintf(stderr, "ikescope keys: %s: writing failed: %s\n", path, strerror(errno));
        rc = 2;
    }
    if (st != IKE_KEY_OK) {
        fprintf(stderr, "ikescope keys: could not write %s\n", what);
        rc = 2;
    }
    fprintf(stderr, "ikescope keys: %zu key set%s written as %s%s%s", written, written == 1 ? "" : "s", what,
            path ? " to " : "", path ? path : "");
    if (skipped)
        fprintf(stderr, " (%zu skipped: the format cannot carry them; see docs/keys.md)", skipped);
    fputc('\n', stderr);
    return rc;
}

static int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "to", required_argument, NULL, 't' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *to = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'h': fputs(usage_convert, stdout); return 0;
        default: fputs(usage_convert, stderr); return 2;
        }
    }
    if (!to || (strcmp(to, "wireshark") != 0 && strcmp(to, "ikescope") != 0) || optind >= argc) {
        fprintf(stderr, "ikescope keys convert: give --to wireshark|ikescope and at least one key file\n");
        return 2;
    }
    struct cli_keys keys;
    char err[512];
    int rc = 2;
    if (cli_keys_load(&keys, (const char *const *)argv + optind, (size_t)(argc - optind), err, sizeof err) != 0) {
        fprintf(stderr, "ikescope: %s\n", err);
        goto done;
    }
    if (strcmp(to, "ikescope") == 0) {
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
