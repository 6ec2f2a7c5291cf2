/* fuzz_keyfile.c: libFuzzer target over the key-file parsers: every format of docs/keys.md
 * (Wireshark tables, tcpdump -E secrets, charon and pluto logs, ikescope's key log) is
 * detected from the content, so one target reaches them all; seeds are the lab's key
 * files. What was loaded is then written back in each output format. */
#include <stdint.h>
#include <stdio.h>

#include "ike/crypto/keyfile.h"
#include "ike/crypto/keyset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    struct ike_keystore *ks = ike_keystore_new();
    if (!ks)
        return 0;
    char err[512];
    if (ike_keystore_load_buf(ks, "fuzz", data, size, err, sizeof err) == IKE_KEY_OK && sink) {
        ike_keystore_index(ks);
        (void)ike_keystore_write_wireshark_v2(ks, sink, NULL, NULL);
        (void)ike_keystore_write_wireshark_v1(ks, sink, NULL, NULL);
        (void)ike_keystore_write_ikescope(ks, sink, NULL, NULL);
    }
    ike_keystore_free(ks);
    return 0;
}
