/* kb_notify.c: every IKEv2 error notify (RFC 7296 §3.10.1 and later RFCs) and IKEv1 error
 * notify (RFC 2408 §3.14.1) explained for administrators, with the Windows error that
 * corresponds and where to look. The notify names are src/ike/names.c's. */
#include "analyze/kb.h"

#include <stddef.h>

#define N2(t, w, m, l) { .version = 2, .type = (t), .windows_code = (w), .meaning = (m), .look = (l) }
#define N1(t, w, m, l) { .version = 1, .type = (t), .windows_code = (w), .meaning = (m), .look = (l) }
#define LOOK_TIMELINE "The message it answers is the request before it in ikescope's timeline."
#define LOOK_KEYS "It is usually encrypted: give ikescope the keys to see it and the request it answers."

static const struct an_kb_notify kb[] = {
    /* IKEv2 */
    N2(1, 0, "The receiver met a payload marked critical that it does not implement, and rejected the message.",
       "The payload types of the request (ike.payload.unknown_critical when ikescope does not know them "
       "either); the sender uses an extension the peer lacks."),
    N2(4, 13846, "The receiver has no IKE SA with these SPIs: it restarted, deleted the SA, or the message "
                 "was sent to the wrong peer.",
       "Compare SPIs in the timeline; a new IKE_SA_INIT after it is the sender recovering."),
    N2(5, 0, "The receiver does not speak the IKE major version of the message (for example an IKEv1-only "
             "peer receiving IKEv2).",
       "The version in ikescope's SA header; configure both sides for the same IKE version."),
    N2(7, 13843, "The receiver found the message malformed or unexpected in the exchange.",
       "ike.invalid_syntax; anomalies (ike.*) on the request in ikescope's timeline. " LOOK_KEYS),
    N2(9, 13888, "The message ID is outside the receiver's window: the two sides lost step.",
       "Message IDs in the timeline; retransmissions and a restarted peer cause it."),
    N2(11, 0, "The receiver got an ESP/AH packet or a request for a CHILD_SA SPI it does not know.",
       "Delete and rekey exchanges before it in the timeline; a peer that restarted. " LOOK_KEYS),
    N2(14, 13868, "No proposal chosen: the responder accepts none of the offered algorithm sets (IKE SA in "
                  "IKE_SA_INIT, CHILD_SA in IKE_AUTH or CREATE_CHILD_SA).",
       "proposal.no_common; compare the SA payloads offered with the responder's configuration."),
    N2(17, 13865, "Invalid KE payload: the responder wants another Diffie-Hellman group, named in the notify data.",
       "ke.invalid_group, or ke.invalid_group_retry when the initiator retried with that group."),
    N2(24, 13801, "Authentication failed: the sender could not verify the other side's AUTH (pre-shared key, "
                  "certificate, signature or identity).",
       "auth.failed narrows the cause; psk.mismatch, cert.*, chain.*, id.mismatch confirm one. " LOOK_KEYS),
    N2(34, 0, "Single pair required: the responder accepts only traffic selectors for one pair of addresses.",
       "The TSi/TSr of the request. " LOOK_KEYS),
    N2(35, 0, "No additional SAs: the responder refuses another CHILD_SA on this IKE SA.",
       "CREATE_CHILD_SA requests in the timeline. " LOOK_KEYS),
    N2(36, 13899, "Internal address failure: the responder could not assign the requested virtual IP address.",
       "internal_address.failure; the CP payloads of IKE_AUTH. " LOOK_KEYS),
    N2(37, 13900, "Failed CP required: the responder requires a configuration payload the initiator did not send.",
       "cp.required. " LOOK_KEYS),
    N2(38, 0, "Traffic selectors unacceptable: the responder accepts none of the proposed subnets or protocols.",
       "ts.unacceptable; compare TSi/TSr with both configurations. " LOOK_KEYS),
    N2(39, 0, "Invalid selectors: an ESP packet arrived whose addresses do not match its SA's selectors.",
       "The notify data holds the offending packet's start. " LOOK_KEYS),
    N2(40, 0, "Unacceptable addresses (MOBIKE, RFC 4555): the responder rejects the new addresses of an "
              "address update.",
       "UPDATE_SA_ADDRESSES before it. " LOOK_KEYS),
    N2(41, 0, "Unexpected NAT detected (MOBIKE): a NAT sits where the policy forbids one.",
       "NAT_DETECTION payloads in the timeline."),
    N2(42, 0, "Use assigned home address (Mobile IPv6, RFC 5026): the client must use the address it was given.",
       LOOK_KEYS),
    N2(43, 0, "Temporary failure: the responder is busy with a colliding exchange (simultaneous rekey); retry later.",
       "temporary.failure; look for two CREATE_CHILD_SA in flight. " LOOK_KEYS),
    N2(44, 0, "CHILD_SA not found: the responder does not know the CHILD_SA a rekey or delete refers to.",
       "child_sa.not_found. " LOOK_KEYS),
    N2(45, 0, "Invalid group ID (G-IKEv2 group key management): the group member asked for an unknown group.",
       LOOK_KEYS),
    N2(46, 13905, "Authorization failed (G-IKEv2): the sender authenticated the peer but does not authorise it.",
       "Authentication succeeded; the authorisation policy decides. " LOOK_KEYS),
    N2(47, 0, "State not found (RFC 8019 puzzles): the responder no longer holds the state for this request.",
       LOOK_TIMELINE),
    N2(48, 0, "TS max queue (RFC 9611): the responder has no room for more per-resource CHILD_SAs.",
       LOOK_KEYS),
    N2(49, 0, "Registration failed (G-IKEv2): the group controller refused the registration.", LOOK_KEYS),
    /* IKEv1 */
    N1(1, 13843, "Invalid payload type: the message carries a payload type the receiver does not know.",
       "The payloads of the request in the timeline; anomalies ike.payload.*."),
    N1(2, 13862, "DOI not supported: the SA payload's domain of interpretation is not IPsec.",
       "The SA payload of the first message."),
    N1(3, 13863, "Situation not supported: the SA payload's situation field is not one the receiver handles.",
       "The SA payload of the first message."),
    N1(4, 13846, "Invalid cookie: the receiver has no ISAKMP SA with these cookies (it restarted or deleted it).",
       "Compare cookies in the timeline."),
    N1(5, 0, "Invalid major version: the receiver does not speak this ISAKMP version.",
       "The header version in the report."),
    N1(6, 0, "Invalid minor version.", "The header version in the report."),
    N1(7, 0, "Invalid exchange type: the receiver does not support the exchange (for example Aggressive Mode).",
       "The exchange type in the timeline; configure the same mode on both sides."),
    N1(8, 0, "Invalid flags in the ISAKMP header.", "The header flags; ike.header.reserved_set."),
    N1(9, 13888, "Invalid message ID: no exchange with this ID is in progress.",
       "Message IDs in the timeline."),
    N1(10, 0, "Invalid protocol ID in a proposal, notify or delete.", "The proposal's protocol in the timeline."),
    N1(11, 0, "Invalid SPI: the receiver does not know the SPI the message refers to.",
       "Delete and quick-mode messages before it."),
    N1(12, 13832, "Invalid transform ID: a transform the receiver does not support.",
       "The transforms of the proposal in the report."),
    N1(13, 13802, "Attributes not supported: a transform attribute (key length, lifetime...) is not acceptable.",
       "The Oakley or IPsec attributes of the proposal."),
    N1(14, 13868, "No proposal chosen: none of the phase 1 or phase 2 proposals is acceptable.",
       "proposal.no_common; compare encryption, hash, authentication method, group and lifetimes."),
    N1(15, 13830, "Bad proposal syntax: the SA payload's proposals are malformed.", "The SA payload; anomalies."),
    N1(16, 13843, "Payload malformed: a payload's content does not parse.",
       "Anomalies ike.payload.* on the request; with a PSK, different keys make main mode 5/6 decrypt "
       "to garbage and peers answer this."),
    N1(17, 13833, "Invalid key information: the KE payload does not fit the group.", "The KE payload length."),
    N1(18, 13834, "Invalid ID information: the receiver does not accept the identity or quick-mode IDs.",
       "auth.invalid_id; the ID payloads of both sides."),
    N1(19, 13835, "Invalid certificate encoding: the CERT payload's encoding is not understood.",
       "The CERT encoding per payload in the report."),
    N1(20, 13835, "Invalid certificate: the receiver rejected the certificate (untrusted, expired, revoked).",
       "cert.invalid; check the chain with --ca (chain.*, cert.*)."),
    N1(21, 13819, "Certificate type unsupported.", "The CERT encoding per payload."),
    N1(22, 0, "Invalid certificate authority: the CA named in a CERTREQ or issuing the certificate is not "
              "acceptable (Windows reports such chains as 13887).",
       "The CAs asked for in CERTREQ against the issuer of the CERT sent; chain.untrusted_root with --ca."),
    N1(23, 13870, "Invalid hash information: the HASH check failed; with pre-shared keys the keys differ.",
       "auth.invalid_hash."),
    N1(24, 13801, "Authentication failed: the receiver could not verify the other side.", "auth.failed."),
    N1(25, 13826, "Invalid signature: the signature did not verify with the sender's certificate.",
       "auth.invalid_signature; the certificates sent and the chain (--ca)."),
    N1(26, 0, "Address notification (error range, rarely used): an address problem in the exchange.", LOOK_TIMELINE),
    N1(27, 0, "SA lifetime notification: the lifetime in the proposal is not acceptable.",
       "The lifetime attributes; RESPONDER_LIFETIME notifies."),
    N1(28, 13847, "Certificate unavailable: the sender has no certificate of the requested kind.",
       "The CERTREQ it answered; auth.no_peer_cert for the IKEv2 counterpart."),
    N1(29, 0, "Unsupported exchange type.", "The exchange type in the timeline."),
    N1(30, 0, "Unequal payload lengths: a payload's length disagrees with the message's.", "Anomalies ike.payload.*."),
};

const struct an_kb_notify *an_kb_notify_find(uint8_t version, uint16_t type)
{
    for (size_t i = 0; i < sizeof kb / sizeof kb[0]; i++)
        if (kb[i].version == version && kb[i].type == type)
            return &kb[i];
    return NULL;
}

const struct an_kb_notify *an_kb_notify_at(unsigned i)
{
    return i < sizeof kb / sizeof kb[0] ? &kb[i] : NULL;
}
