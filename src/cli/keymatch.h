/* keymatch.h: tie key sets that name no SPIs (charon logs, bare DH secrets) to the IKE SAs they open in a capture. */
#ifndef IKESCOPE_CLI_KEYMATCH_H
#define IKESCOPE_CLI_KEYMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/capture.h"

struct ike_keystore;
struct ike_keyset;

/*
 * Does this key set need a capture before a Wireshark table can hold it?
 * True when it names no SPIs (cookies), or holds no ready encryption key
 * (IKEv2: no SK_e, only a DH secret or SKEYSEED; IKEv1: no Ka).
 */
bool cli_keyset_needs_capture(const struct ike_keyset *ks);

struct cli_keymatch_stats {
    size_t needed;    /* input sets for which cli_keyset_needs_capture was true */
    size_t matched;   /* of those, the ones that opened at least one IKE SA */
    size_t sas;       /* IKE SAs that such a set opened (one output set each) */
};

/*
 * Runs the captures through the normal pipeline (cli_pipeline) with `in`
 * and builds *out, a new store, in the order of `in`:
 *   - a set that needs no capture: copied unchanged;
 *   - a set that needs one: once per IKE SA it opened, with that SA's SPIs,
 *     the negotiated algorithms and the keys the decryption used (SK_* derived
 *     from a DH secret or SKEYSEED, IKEv1 Ka); copied unchanged if it opened none.
 * Returns 0, or -1 with "FILE: problem" in err (a capture that cannot be
 * read, out of memory); *out is NULL then. Key bytes are never put in err.
 */
int cli_keys_match_captures(const struct ike_keystore *in, const char *const *captures, size_t ncaptures,
                            const struct cap_config *cfg, struct ike_keystore **out,
                            struct cli_keymatch_stats *stats, char *err, size_t errlen);

#endif
