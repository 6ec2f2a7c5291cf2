/* rule_registry.c: the one table of rules. Every finding names a row here; the row gives
 * its default severity and confidence and its Windows error, so those live in one place.
 * To add a rule: add a row (ids sorted by family, then name), emit it with an_rule_add,
 * and describe it in docs/json.md; tests/unit/analyze/test_rule_registry.c and
 * tests/registry/check_ids.py fail on an id that is emitted but not here. */
#include "analyze/rule_registry.h"

#include <stdio.h>
#include <string.h>

#define W_AUTH_FAIL 13801
#define K AN_NEEDS_KEYS
#define C AN_NEEDS_CERTS
#define T AN_NEEDS_TRUST
#define P AN_NEEDS_PSKS
#define E AN_SEV_ERROR
#define WARN AN_SEV_WARNING
#define I AN_SEV_INFO
#define SURE AN_CONF_CERTAIN
#define LIKELY AN_CONF_LIKELY

/* Rows whose severity can be lowered say when in their meaning. */
static const struct an_rule_def registry[] = {
    /* --- Error notifies sent by a peer (rules.c notify_rules[]) --- */
    { .id = "proposal.no_common", .title = "No common proposal", .severity = E, .confidence = SURE,
      .windows_code = 13868,
      .meaning = "A peer answered NO_PROPOSAL_CHOSEN: the two sides share no acceptable set of algorithms "
                 "(or, in IKEv1, lifetimes and authentication method). A warning when the SA was "
                 "established afterwards." },
    { .id = "ke.invalid_group", .title = "Diffie-Hellman group refused", .severity = E, .confidence = SURE,
      .windows_code = 13865,
      .meaning = "The responder answered INVALID_KE_PAYLOAD: it does not accept the initiator's Diffie-Hellman "
                 "group, and names the one it wants. A warning when the SA was established afterwards." },
    { .id = "ke.invalid_group_retry", .title = "Diffie-Hellman group retried", .severity = I, .confidence = SURE,
      .meaning = "INVALID_KE_PAYLOAD followed by a retry with the group the responder named: one round trip "
                 "lost, nothing broken." },
    { .id = "auth.failed", .title = "Authentication failed", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = K,
      .meaning = "A peer answered AUTHENTICATION_FAILED: it could not verify the other side (pre-shared key, "
                 "certificate, signature or identity). The finding narrows the cause from how the rejected "
                 "side authenticated. Usually encrypted, so keys are needed to see it; without keys it is "
                 "likely when the encrypted messages have the shape of a rejection (an IKE_AUTH answer that "
                 "holds only a notify, or one notify-sized INFORMATIONAL right after IKE_AUTH)." },
    { .id = "auth.invalid_id", .title = "Identity refused", .severity = E, .confidence = SURE,
      .windows_code = 13834, .needs = K,
      .meaning = "An IKEv1 peer answered INVALID_ID_INFORMATION: it does not accept the identity (ID payload) "
                 "it was shown, or the quick-mode selectors." },
    { .id = "auth.invalid_hash", .title = "IKEv1 HASH check failed", .severity = E, .confidence = SURE,
      .windows_code = 13870, .needs = K,
      .meaning = "An IKEv1 peer answered INVALID_HASH_INFORMATION: its HASH check failed, which with "
                 "pre-shared keys nearly always means the keys differ." },
    { .id = "auth.invalid_signature", .title = "Signature refused", .severity = E, .confidence = SURE,
      .windows_code = 13826, .needs = K,
      .meaning = "A signature AUTH does not verify with the signer's certificate key, as ikescope checks it "
                 "(auth_checks: not made by that key, signed data that differs, or a hash or method the "
                 "receiver does not accept), or an IKEv1 peer answered INVALID_SIGNATURE." },
    { .id = "cert.invalid", .title = "Certificate refused", .severity = E, .confidence = SURE,
      .windows_code = 13835, .needs = K,
      .meaning = "An IKEv1 peer answered INVALID_CERTIFICATE: it rejected the certificate it was sent." },
    { .id = "ts.unacceptable", .title = "Traffic selectors refused", .severity = E, .confidence = SURE,
      .needs = K,
      .meaning = "The responder answered TS_UNACCEPTABLE: the subnets or protocols configured for the tunnel "
                 "differ between the two sides." },
    { .id = "internal_address.failure", .title = "No virtual IP address", .severity = E, .confidence = SURE,
      .windows_code = 13899, .needs = K,
      .meaning = "The responder answered INTERNAL_ADDRESS_FAILURE: it could not assign the client a virtual "
                 "IP address (empty or exhausted pool)." },
    { .id = "cp.required", .title = "Configuration payload required", .severity = E, .confidence = SURE,
      .windows_code = 13900, .needs = K,
      .meaning = "The responder answered FAILED_CP_REQUIRED: it requires a virtual IP request (CP payload) "
                 "the initiator did not send." },
    { .id = "ike.invalid_syntax", .title = "Message refused as malformed", .severity = E, .confidence = SURE,
      .windows_code = 13843,
      .meaning = "A peer answered INVALID_SYNTAX: it found a message malformed or unexpected." },
    { .id = "temporary.failure", .title = "Peer busy (collision)", .severity = E, .confidence = SURE,
      .needs = K,
      .meaning = "A peer answered TEMPORARY_FAILURE: a rekey collided with another exchange; retry later." },
    { .id = "child_sa.not_found", .title = "CHILD_SA unknown to the peer", .severity = E, .confidence = SURE,
      .needs = K,
      .meaning = "A peer answered CHILD_SA_NOT_FOUND: it does not know the CHILD_SA a request refers to." },
    { .id = "notify.error", .title = "Other error notify", .severity = E, .confidence = SURE,
      .meaning = "A peer sent an error notify that has no rule of its own; `ikescope explain NAME` says "
                 "what it means. A warning when the SA was established afterwards." },

    /* --- Authentication and keys (rules.c) --- */
    { .id = "auth.no_peer_cert", .title = "Signature without a certificate", .severity = E,
      .confidence = LIKELY, .windows_code = 13847, .needs = K,
      .meaning = "A side signed its IKEv2 AUTH but sent no CERT payload; unless the peer already holds that "
                 "certificate it cannot verify the signature. An error when the peer asked for one with "
                 "CERTREQ, otherwise a warning without Windows code. Without keys, likely from sizes: the "
                 "responder's IKE_AUTH answer is too short for a certificate after certificates were asked for." },
    { .id = "decrypt.no_matching_keys", .title = "No key set fits the SA", .severity = WARN,
      .confidence = SURE, .needs = K,
      .meaning = "Keys were given, but none names this SA's SPIs or verifies its messages." },
    { .id = "decrypt.wrong_keys", .title = "The keys do not fit", .severity = WARN, .confidence = SURE,
      .needs = K,
      .meaning = "A key set names this SA but does not decrypt or verify it (or only one side's messages): "
                 "keys from another SA, swapped columns, or other algorithms." },
    { .id = "decrypt.damaged_message", .title = "Message damaged in transit", .severity = WARN,
      .confidence = LIKELY, .needs = K,
      .meaning = "The keys verify other messages from the same sender, so a message that fails its "
                 "integrity check was damaged on the way or in the capture." },

    /* --- Silence and the path (rules_silence.c) --- */
    { .id = "peer.no_response", .title = "No response", .severity = E, .confidence = SURE,
      .windows_code = 13805,
      .meaning = "The last request got no answer in the capture: the peer is down, filtered, or never "
                 "received it. Likely rather than certain when the capture may have ended too soon." },
    { .id = "path.fragments_lost", .title = "IP fragments lost on the path", .severity = E, .confidence = LIKELY,
      .windows_code = 13805,
      .meaning = "A large request went out as IP fragments and was never answered, while small messages "
                 "were: something on the path drops fragments. Enable IKEv2 fragmentation (RFC 7383)." },
    { .id = "capture.fragments_missing", .title = "Fragments missing from the capture", .severity = WARN,
      .confidence = LIKELY,
      .meaning = "The capture holds only part of a fragmented request that got no answer: the capture "
                 "point lost fragments, or the path did." },
    { .id = "capture.one_direction", .title = "Capture of one direction", .severity = WARN, .confidence = SURE,
      .meaning = "Messages that only the other side could have produced prove it answered, but its "
                 "answers are not in the capture: the capture saw one direction only." },
    { .id = "path.icmp_error", .title = "ICMP errors about IKE packets", .severity = WARN, .confidence = SURE,
      .meaning = "ICMP errors (unreachable, too big, time exceeded) came back for this SA's datagrams." },

    /* --- The proposal seen in the clear (rules_proposal.c) --- */
    { .id = "proposal.weak", .title = "Deprecated algorithms chosen", .severity = WARN, .confidence = SURE,
      .meaning = "The chosen proposal uses algorithms RFC 8247 tells implementations to stop using "
                 "(DES, 3DES, MD5, MODP-768/1024...). Info when SHA-1 is the only weakness." },
    { .id = "proposal.weak_offered", .title = "Deprecated algorithms offered", .severity = WARN,
      .confidence = SURE,
      .meaning = "The initiator offers algorithms RFC 8247 tells implementations to stop using, besides or "
                 "instead of what was chosen; the offer is in the clear. Info when a chosen suite exists "
                 "(proposal.weak covers the chosen algorithms)." },
    { .id = "proposal.legacy_only", .title = "Only legacy algorithms offered, refused", .severity = WARN,
      .confidence = SURE,
      .meaning = "Every proposal of the initiator needs MODP-1024 or weaker, 3DES or DES, and the responder "
                 "answered NO_PROPOSAL_CHOSEN: the Windows built-in client's defaults against a modern "
                 "responder. The finding gives the Set-VpnConnectionIPsecConfiguration line." },
    { .id = "child.pfs_mismatch", .title = "CHILD_SA rekey refused over PFS", .severity = E, .confidence = LIKELY,
      .windows_code = 13868, .needs = K,
      .meaning = "A CREATE_CHILD_SA for ESP or AH was answered NO_PROPOSAL_CHOSEN, and one side proposes a "
                 "Diffie-Hellman group (PFS) while the other does not: IKE_AUTH hides this until the first "
                 "rekey, hours after the tunnel came up." },
    { .id = "ikev1.aggressive_psk", .title = "IKEv1 Aggressive Mode with a PSK", .severity = WARN,
      .confidence = SURE,
      .meaning = "Aggressive Mode with a pre-shared key sends a hash anyone who captured it can attack "
                 "offline to recover the key." },

    /* --- Certificates and identities (rules_certs.c) --- */
    { .id = "id.mismatch", .title = "Identity asked for is not the responder's", .severity = E,
      .confidence = SURE, .windows_code = W_AUTH_FAIL, .needs = K,
      .meaning = "The initiator asked for one identity (IDr) and the responder is, or its certificate names, "
                 "another. Likely rather than certain when the responder refused without showing itself." },
    { .id = "cert.expired", .title = "Certificate expired", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = C,
      .meaning = "A certificate sent (or one in its chain) had expired at the capture time (or --at)." },
    { .id = "cert.not_yet_valid", .title = "Certificate not yet valid", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = C,
      .meaning = "A certificate sent was not yet valid at the capture time: often a clock set wrong on the "
                 "CA or on the peer." },
    { .id = "cert.key_usage", .title = "keyUsage forbids signing", .severity = E, .confidence = SURE,
      .windows_code = 13818, .needs = C,
      .meaning = "The end-entity certificate has a keyUsage without digitalSignature. A warning when it has "
                 "nonRepudiation, which some peers accept." },
    { .id = "cert.eku_mismatch", .title = "extendedKeyUsage Windows rejects", .severity = WARN,
      .confidence = SURE, .windows_code = W_AUTH_FAIL, .needs = C,
      .meaning = "The certificate's extendedKeyUsage lacks serverAuth (responder) or clientAuth (initiator) "
                 "and ikeIntermediate, which Windows requires: an error when the receiver's profile is windows, "
                 "a warning when generic, context (info) when it is strongSwan or libreswan, which do not "
                 "check EKU." },
    { .id = "cert.revoked", .title = "Certificate revoked", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = C | T,
      .meaning = "A CRL given with --crl lists the certificate as revoked." },
    { .id = "chain.untrusted_root", .title = "Chain ends at a root the receiver does not trust", .severity = E,
      .confidence = SURE, .windows_code = 13887, .needs = C,
      .meaning = "The certificate chains to a root that is not among the trust anchors given, or (without "
                 "--ca, likely) to a CA of another organisation than every CA the receiver asked for in "
                 "CERTREQ. Windows reports the chain policy mismatch as 13887; a VPN client's dialog often "
                 "shows 13801." },
    { .id = "chain.policy_suspected", .title = "The sides most likely trust different CAs", .severity = E,
      .confidence = LIKELY, .windows_code = 13887,
      .meaning = "Without keys: the CAs asked for in the clear (the responder's CERTREQ; IKEv1 CRs in Main Mode "
                 "messages 3 and 4) share no CA and no organisation with the other side's requests, or with "
                 "the CA files given (--ca, --intermediate), and the authentication that followed has the "
                 "shape of a rejection. Keys make it certain (chain.untrusted_root) or rule it out." },
    { .id = "chain.missing_intermediate", .title = "Intermediate CA missing", .severity = E,
      .confidence = SURE, .windows_code = 13887, .needs = C,
      .meaning = "No chain can be built to a trust anchor because an intermediate CA certificate was neither "
                 "sent nor given, while the CAs asked for (or given with --ca) are of its organisation. "
                 "Without --ca it is likely, and only claimed when every CA asked for is named." },
    { .id = "chain.bad_signature", .title = "Chain signature invalid", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = C | T,
      .meaning = "A certificate in the chain is not signed by the key of the CA it names." },
    { .id = "chain.path_length", .title = "Chain too long for a CA's constraint", .severity = E,
      .confidence = SURE, .windows_code = W_AUTH_FAIL, .needs = C | T,
      .meaning = "A CA's basicConstraints pathLenConstraint forbids a chain this long." },
    { .id = "chain.invalid", .title = "Chain does not verify", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = C | T,
      .meaning = "The chain fails verification for another reason, which the finding quotes." },

    { .id = "auth.sha1_refused", .title = "SHA-1 signature refused by policy", .severity = E,
      .confidence = LIKELY, .windows_code = 13838, .needs = K | C,
      .meaning = "A SHA-1 AUTH signature that verifies was answered with AUTHENTICATION_FAILED and nothing else "
                 "explains it: the receiver's policy forbids SHA-1 (RFC 8247)." },
    { .id = "cert.windows_name", .title = "Certificate lacks the name a Windows client checks", .severity = E,
      .confidence = LIKELY, .windows_code = W_AUTH_FAIL, .needs = K | C,
      .meaning = "A Windows client checks that the server name it dialled is the certificate's subject CN or a "
                 "dNSName SAN, and an IP address it dialled must be a dNSName SAN too; an iPAddress SAN alone "
                 "does not do. Only judged when the initiator's profile is windows." },

    /* --- The endpoints' own logs (rules_endpoint.c) --- */
    { .id = "endpoint.reason", .title = "What an endpoint's log says", .severity = I, .confidence = SURE,
      .meaning = "A line of a log given with --endpoint-log (charon, pluto, Windows netevents or events "
                 "4653/4654) about this SA, matched by addresses and time: where it agrees with a finding, or "
                 "states a reason the capture cannot show." },
    { .id = "endpoint.disagrees", .title = "An endpoint's log contradicts the capture", .severity = WARN,
      .confidence = SURE,
      .meaning = "A log line about this SA tells another story than the wire: established where the capture "
                 "shows a failure, or another reason than the findings. Often a line of another SA of the "
                 "same hosts, or a capture that misses something." },

    /* --- Pre-shared keys (rules_psk.c) --- */
    { .id = "psk.mismatch", .title = "Pre-shared keys differ", .severity = E, .confidence = SURE,
      .windows_code = W_AUTH_FAIL, .needs = K | P,
      .meaning = "A side's shared-key AUTH, recomputed with the candidates, matches none of them." },
    { .id = "psk.matched", .title = "Pre-shared key identified", .severity = I, .confidence = SURE,
      .needs = K | P,
      .meaning = "Which candidate key (by position) each side's shared-key AUTH used." },

    /* --- What the others found, read together (rules_seed.c) --- */
    { .id = "windows.cert_causes", .title = "Causes of a Windows certificate error, checked", .severity = I,
      .confidence = SURE,
      .meaning = "When a finding carries 13826, 13847 or 13887, the causes the public pages on those errors "
                 "give (trust chain, missing intermediate, root not trusted, clock, CRL unreachable, "
                 "certificate in the wrong store, Group Policy), each marked confirmed (with the rule), ruled "
                 "out, not checked (and what would check it), or not visible on the wire." },

    /* --- Inputs as a whole (rules.c an_rules_input) --- */
    { .id = "revocation.unreachable", .title = "CRL or OCSP location not reachable", .severity = WARN,
      .confidence = SURE, .windows_code = 13817, .needs = C,
      .meaning = "A certificate names a CRL distribution point or OCSP responder, and the capture shows the "
                 "lookup or connection to it failing (DNS error or silence, TCP refused or unanswered, HTTP "
                 "error): a peer that checks revocation strictly rejects the certificate." },
    { .id = "revocation.fetched", .title = "CRL or OCSP location reached", .severity = I, .confidence = SURE,
      .needs = C,
      .meaning = "The capture shows a certificate's CRL or OCSP location answering HTTP 2xx: revocation data was "
                 "available, so an unreachable CRL is ruled out as a cause." },
    { .id = "capture.time_backwards", .title = "Timestamps that go backwards", .severity = WARN,
      .confidence = SURE, .scope = AN_SCOPE_INPUT,
      .meaning = "Packets carry an earlier time than the one before them: files joined instead of merged, "
                 "or a clock set back. Exchanges are still linked; time gaps may be wrong." },
    { .id = "capture.reflection", .title = "Answers to requests not in the capture", .severity = WARN,
      .confidence = SURE, .scope = AN_SCOPE_INPUT,
      .meaning = "Several hosts answered one initiator SPI or cookie whose requests the capture does not hold: "
                 "requests sent in another host's name (reflection, amplification) or backscatter." },
    { .id = "capture.snaplen", .title = "Packets cut by the snap length", .severity = WARN, .confidence = SURE,
      .scope = AN_SCOPE_INPUT,
      .meaning = "Packets on IKE ports were cut before their IKE header; capture whole packets." },
    { .id = "capture.tcp_gaps", .title = "IKE over TCP with bytes missing", .severity = WARN,
      .confidence = SURE, .scope = AN_SCOPE_INPUT,
      .meaning = "TCP segments of an RFC 8229 stream are missing, so the messages after the gap are lost." },
    { .id = "capture.tcp_not_rfc8229", .title = "TCP on port 4500 that is not RFC 8229", .severity = WARN,
      .confidence = SURE, .scope = AN_SCOPE_INPUT,
      .meaning = "A TCP stream on port 4500 lacks RFC 8229 length framing." },
    { .id = "capture.not_ike", .title = "Datagrams on IKE ports that are not IKE", .severity = WARN,
      .confidence = SURE, .scope = AN_SCOPE_INPUT,
      .meaning = "Datagrams on the IKE ports are too short or carry another version; not part of any SA." },

    /* --- Parser anomalies: one per ike_anomaly_name (src/ike/msg.c) --- */
    { .id = "ike.truncated", .title = "Message shorter than its header says", .severity = WARN,
      .confidence = SURE, .meaning = "The datagram holds fewer bytes than the IKE header's length." },
    { .id = "ike.header.length_mismatch", .title = "Datagram longer than the IKE length", .severity = WARN,
      .confidence = SURE, .meaning = "Bytes follow the length the IKE header gives." },
    { .id = "ike.header.bad_version", .title = "Unknown IKE version", .severity = WARN, .confidence = SURE,
      .meaning = "The header's major version is neither 1 nor 2." },
    { .id = "ike.payload.length_short", .title = "Payload length below 4", .severity = WARN,
      .confidence = SURE, .meaning = "A payload header gives a length shorter than itself." },
    { .id = "ike.payload.overrun", .title = "Payload runs past the message", .severity = WARN,
      .confidence = SURE, .meaning = "A payload's length reaches beyond the end of the message." },
    { .id = "ike.payload.trailing_bytes", .title = "Bytes after the last payload", .severity = WARN,
      .confidence = SURE, .meaning = "The message continues after its last payload." },
    { .id = "ike.payload.unknown_type", .title = "Unknown payload type", .severity = WARN, .confidence = SURE,
      .meaning = "A payload type the version's registry does not define." },
    { .id = "ike.payload.unknown_critical", .title = "Unknown critical payload", .severity = WARN,
      .confidence = SURE,
      .meaning = "An unknown payload marked critical, which a receiver must reject (RFC 7296 §2.5)." },
    { .id = "ike.payload.too_many", .title = "Too many payloads", .severity = WARN, .confidence = SURE,
      .meaning = "More payloads than ikescope reads in one message; the rest were skipped." },
    { .id = "ike.payload.body_malformed", .title = "Malformed payload body", .severity = WARN,
      .confidence = SURE, .meaning = "A payload's body does not follow its own layout." },
    { .id = "ike.sk.not_last", .title = "SK is not the last payload", .severity = WARN, .confidence = SURE,
      .meaning = "An Encrypted payload followed by others (RFC 7296 §3.14)." },
    { .id = "ike.header.zero_spi_i", .title = "Zero initiator SPI", .severity = WARN, .confidence = SURE,
      .meaning = "The initiator's SPI or cookie is zero, which no conformant peer sends." },
    { .id = "ike.header.nonzero_spi_r", .title = "Responder SPI in a first request", .severity = WARN,
      .confidence = SURE, .meaning = "An IKE_SA_INIT request carries a responder SPI." },
    { .id = "ike.header.reserved_set", .title = "Reserved header bits set", .severity = WARN,
      .confidence = SURE, .meaning = "Header bits that must be zero are not." },
    { .id = "ike.sk.icv_mismatch", .title = "Integrity check failed", .severity = WARN, .confidence = SURE,
      .needs = K, .meaning = "The keys given do not verify this message's integrity check value." },
    { .id = "ike.sk.decrypt_failed", .title = "Decryption gave no valid payloads", .severity = WARN,
      .confidence = SURE, .needs = K, .meaning = "Wrong keys, or a damaged message." },
    { .id = "ike.frag.missing", .title = "Fragments of a message missing", .severity = WARN,
      .confidence = SURE,
      .meaning = "Not every IKE fragment (RFC 7383 or IKEv1) of a message is in the capture. Info when the "
                 "request was answered, so only the capture point lost them." },
    { .id = "ike.frag.inconsistent", .title = "Fragments disagree", .severity = WARN, .confidence = SURE,
      .meaning = "IKE fragments of one message disagree on their total or overlap." },
    { .id = "ike.sk.legacy_icv", .title = "Integrity check over the ciphertext only", .severity = WARN,
      .confidence = SURE, .needs = K,
      .meaning = "The ICV leaves out the IKE header, as old Openswan computed it; conformant peers reject it." },
    { .id = "ike.capture.incomplete", .title = "Only part of the message captured", .severity = WARN,
      .confidence = SURE,
      .meaning = "IP fragments are missing or the snap length cut the packet, so only a prefix is there." },
};

#undef K
#undef C
#undef T
#undef P
#undef E
#undef WARN
#undef I
#undef SURE
#undef LIKELY

size_t an_rule_count(void)
{
    return sizeof registry / sizeof registry[0];
}

const struct an_rule_def *an_rule_at(size_t i)
{
    return i < an_rule_count() ? &registry[i] : NULL;
}

const struct an_rule_def *an_rule_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < an_rule_count(); i++)
        if (strcmp(registry[i].id, id) == 0)
            return &registry[i];
    return NULL;
}

const char *an_rule_need_name(unsigned bit)
{
    static const char *const names[] = { "keys", "certificates", "trust", "psk" };
    return bit < sizeof names / sizeof names[0] ? names[bit] : NULL;
}

const char *an_rule_needs_text(unsigned needs, char *buf, size_t len)
{
    static const char *const long_names[] = { "keys", "certificates", "trust anchors", "candidate PSKs" };
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned b = 0; b < sizeof long_names / sizeof long_names[0]; b++) {
        if (!(needs & (1u << b)))
            continue;
        int n = snprintf(buf + used, len > used ? len - used : 0, "%s%s", used ? ", " : "", long_names[b]);
        if (n < 0 || (size_t)n >= (len > used ? len - used : 0))
            return buf;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "capture only");
    return buf;
}
