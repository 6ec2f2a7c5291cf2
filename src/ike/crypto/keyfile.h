/* keyfile.h: `--keys FILE` loading (format detected from content) and `keys convert` writers; see docs/keys.md. */
#ifndef IKESCOPE_IKE_CRYPTO_KEYFILE_H
#define IKESCOPE_IKE_CRYPTO_KEYFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ike/crypto/keyset.h"

/*
 * Accepted formats, detected per file from the content:
 *   - Wireshark ikev2_decryption_table and ikev1_decryption_table CSV rows
 *     (also strongSwan's save-keys output);
 *   - tcpdump -E "ikev2 I|R" lines, with or without libreswan's "| " prefix;
 *   - ikescope-keys v1 lines (our format);
 *   - a strongSwan charon log at ike level 4 (any prefix before "NN[IKE]"),
 *     and a whole libreswan pluto log (debug lines "| text" after a
 *     timestamp, a syslog "pluto[PID]: " tag or nothing), whose key lines
 *     are "| ikev2 I|R ...": in these two log modes unrelated lines are
 *     ignored. A file of nothing but key lines is a table, whatever their
 *     prefixes.
 * In table modes every non-blank line that is not a '#' comment must be
 * valid. On failure nothing from this file stays in the store and errbuf
 * holds "FILE:LINE: what is wrong (what to do)"; messages name fields and
 * lengths, never file content, so no key material can appear in them.
 * A log with no keys at all gives IKE_KEY_NO_MATERIAL and says how to log them.
 * The file is read with read(2) into a buffer that is wiped: no stdio
 * buffer keeps a copy.
 */
enum ike_key_status ike_keystore_load(struct ike_keystore *ks, const char *path,
                                      char *errbuf, size_t errlen);

/* The same from memory; `name` is used in messages and origins. */
enum ike_key_status ike_keystore_load_buf(struct ike_keystore *ks, const char *name,
                                          const uint8_t *buf, size_t len,
                                          char *errbuf, size_t errlen);

/*
 * Writers for `ikescope keys convert`. Each writes the key sets it can
 * express and counts the others in *skipped (may be NULL):
 *   wireshark_v2: IKEv2 sets with SPIs, a Wireshark-nameable suite and
 *                 SK_e keys (ikev2_decryption_table rows);
 *   wireshark_v1: IKEv1 sets with an initiator cookie and an encryption key
 *                 (ikev1_decryption_table rows);
 *   ikescope:     every set (our format is lossless).
 * The output holds key material: the caller creates the file mode 0600.
 * Returns IKE_KEY_IO if writing fails.
 */
enum ike_key_status ike_keystore_write_wireshark_v2(const struct ike_keystore *ks, FILE *out,
                                                    size_t *written, size_t *skipped);
enum ike_key_status ike_keystore_write_wireshark_v1(const struct ike_keystore *ks, FILE *out,
                                                    size_t *written, size_t *skipped);
enum ike_key_status ike_keystore_write_ikescope(const struct ike_keystore *ks, FILE *out,
                                                size_t *written, size_t *skipped);

#endif
