/* kb_windows.c: every ERROR_IPSEC_IKE_* code (winerror.h, shared/reference/
 * windows-ike-errors.tsv) explained for administrators: the common failures in full
 * (causes, how a capture confirms each, fixes per platform), every other code with its
 * meaning and where to look. Written from RFC 7296/2409 and the daemons' behaviour. */
#include "analyze/kb.h"

#include <stddef.h>
#include <stdio.h>
#include <strings.h>

#include "analyze/windows_errors.h"

/* Texts that several entries share. */
#define WIN_STORES                                                                                         \
    "The machine certificate and its private key belong in Local Computer\\Personal (certlm.msc; "        \
    "certutil -store My lists it), the root in Local Computer\\Trusted Root Certification Authorities "   \
    "(certutil -store Root), intermediates in Intermediate Certification Authorities (certutil -store "   \
    "CA). Check the whole chain as IKEEXT will with certutil -verify -urlfetch peer.cer, then restart "    \
    "the service (net stop IKEEXT & net start IKEEXT)."
#define SWAN_CERTS                                                                                         \
    "Put the CA and intermediate certificates in /etc/swanctl/x509ca (ipsec.d/cacerts), the own "         \
    "certificate in x509 and its key in private, reload with swanctl --load-creds, and check with "       \
    "swanctl --list-certs; set send_cert = always on the connection's local section."
#define LIBRESWAN_CERTS                                                                                    \
    "Import the CA with certutil -A -d sql:/var/lib/ipsec/nss -n ca -t 'CT,,' -i ca.pem and the own "     \
    "certificate and key with ipsec import host.p12; set leftcert= and leftsendcert=always; list with "   \
    "ipsec listcerts (or certutil -L -d sql:/var/lib/ipsec/nss)."
#define CISCO_CERTS                                                                                        \
    "Enrol the router in a crypto pki trustpoint that holds the issuing CA (crypto pki authenticate) "    \
    "and its own certificate (crypto pki enroll); reference the trustpoint in the IKEv2 profile "         \
    "(pki trustpoint NAME); show crypto pki certificates verbose; debug crypto pki transactions."
/* The seven causes the public pages give for the three certificate errors, each with what
 * a capture can show. */
#define CAUSE_CHAIN                                                                                        \
    { "The certificate does not chain to a CA the verifying side trusts (the trust chain is broken).",    \
      "chain.untrusted_root confirms it when ikescope is given the verifier's anchors (--ca, "            \
      "--system-ca); no chain.* finding with the right anchors rules it out. Without anchors, keys that " \
      "decrypt IKE_AUTH are enough for a likely chain.untrusted_root: the chain sent comes from a CA of "  \
      "another organisation than every CA the verifier asked for in CERTREQ (listed per SA, named from "   \
      "--ca/--intermediate/--system-ca too). With no keys at all, chain.policy_suspected (likely) says "   \
      "when the CAs asked for in the clear share nothing with the other side's requests or with the CA " \
      "files you give." }
#define CAUSE_INTERMEDIATE                                                                                 \
    { "An intermediate CA certificate is missing: the peer sent only its own certificate and the "        \
      "verifier does not hold the intermediate.",                                                          \
      "chain.missing_intermediate confirms it (give the root with --ca, not the intermediate); the "      \
      "report lists every CERT payload, so a single certificate from an intermediate-issued leaf shows." }
#define CAUSE_ROOT                                                                                         \
    { "The root CA is not in the verifier's Trusted Root store (or has expired there).",                   \
      "chain.untrusted_root names the root the chain ends at; cert.expired covers an expired CA in the "  \
      "chain. Whether the root is installed on the Windows host itself is not on the wire: check with "   \
      "certutil -store Root." }
#define CAUSE_TIME                                                                                         \
    { "Clocks out of step: the certificate is not yet valid or already expired in the verifier's view.",   \
      "cert.not_yet_valid and cert.expired compare validity with the capture's timestamps (or --at, to "   \
      "replay the verifier's clock); the gap they print shows clock skew. No such finding rules out "      \
      "validity at capture time. The IKE signature itself carries no time." }
#define CAUSE_CRL                                                                                          \
    { "The revocation check fails: the CRL distribution point in the certificate cannot be reached, or "  \
      "the CRL lists the certificate.",                                                                    \
      "the report lists each certificate's CRL and OCSP locations; when the capture holds more than IKE "  \
      "(a span port, tcpdump -i any), revocation.unreachable confirms a failed lookup or connection and " \
      "revocation.fetched rules it out, with frame numbers. In an IKE-only capture it is not visible. "    \
      "With the CRL given as --crl, cert.revoked confirms or rules out revocation." }
#define CAUSE_STORE                                                                                        \
    { "The certificate sits in the user store instead of the computer store, or has no private key, so " \
      "IKEEXT cannot use it.",                                                                             \
      "not visible on the wire, but its effect is: the Windows side sends no CERT (auth.no_peer_cert when " \
      "it signs anyway), or another certificate than intended (see the certificates listed per SA)." }
#define CAUSE_GPO                                                                                          \
    { "A Group Policy (connection security rule or VPN profile) requires a different certificate or CA "   \
      "than the one installed.",                                                                           \
      "not visible on the wire as such; in effect the CERTREQ of the Windows side names a CA the peer's "   \
      "certificate does not chain to, or Windows sends no CERT. Check gpresult /h and the rule's "          \
      "authentication set (Get-NetIPsecPhase1AuthSet)." }

#define SHORT(c, m, l) { .code = (c), .meaning = (m), .look = (l) }
#define LOOK_LOG "Its cause is local to the Windows host: the IKEEXT event log and netsh wfp show netevents say more."
#define LOOK_PROCESS                                                                                       \
    "ikescope's timeline shows the message and the payload in question; anomalies (ike.*) flag malformed " \
    "content. The sender's implementation is named by its Vendor IDs."

static const struct an_kb_windows kb[] = {
    SHORT(13800, "Not an error: the first number of the IKE negotiation status range in winerror.h.",
          "Nothing to look for; a real failure has another code."),
    { .code = 13801,
      .meaning = "IKE authentication credentials are unacceptable: one side could not authenticate the other. "
                 "Windows uses it for a rejected pre-shared key, a rejected or unverifiable certificate, an "
                 "identity the peer does not accept, and for an AUTHENTICATION_FAILED notify from the peer.",
      .look = "Run ikescope with the keys: the IKE_AUTH exchange shows who refused whom (auth.failed names the "
              "side rejected and how it authenticated).",
      .causes = {
          { "The two sides hold different pre-shared keys.",
            "auth.failed after a PSK AUTH, or IKEv1 auth.invalid_hash; with keys and --psk-file candidates, "
            "psk.mismatch confirms it and psk.matched rules it out." },
          { "The peer does not accept the certificate (untrusted CA, expired, revoked, wrong usage).",
            "cert.expired, cert.not_yet_valid, cert.key_usage, cert.eku_mismatch, chain.* with --ca and "
            "--crl." },
          { "The identity one side presents is not the one the other expects.",
            "id.mismatch compares the initiator's IDr with the responder's ID and certificate names." },
          { "A signature AUTH without the certificate to verify it.",
            "auth.no_peer_cert." },
          { "EAP (user name and password, MSCHAPv2) rejected by the RADIUS or NPS server.",
            "Only the EAP exchange sizes are visible without keys; with keys the EAP-Failure is in IKE_AUTH. "
            "The NPS log says why." },
      },
      .fix = { .windows = "PSK: re-enter the key in the VPN profile (Set-VpnConnection -L2tpPsk for "
                          "L2TP/IPsec). Certificates: " WIN_STORES,
               .strongswan = "Compare secrets in swanctl.conf (secrets { ike-x { id = ... secret = ... } }) and "
                             "remote { id = ... }; the charon log at ike=2 names the failing check.",
               .libreswan = "Compare the PSK in ipsec.secrets for the right ID pair and leftid/rightid; "
                            "ipsec whack --status and the pluto log.",
               .cisco = "Compare the keyring (crypto ikev2 keyring, pre-shared-key) or the trustpoint and "
                        "the identity match in the IKEv2 profile (match identity remote); debug crypto ikev2." } },
    SHORT(13802, "The security association attributes the peer proposed are not acceptable (an attribute "
                 "value Windows does not support).",
          "Compare the proposals in the SA payloads in ikescope's report; proposal.no_common when the peer says so."),
    SHORT(13803, "Not a failure: a negotiation is still in progress.",
          "Wait for the final result; a capture that ends here may show peer.no_response."),
    SHORT(13804, "A general processing error in IKEEXT: something in a received message or local state "
                 "could not be handled.", LOOK_PROCESS " " LOOK_LOG),
    { .code = 13805,
      .meaning = "Negotiation timed out: the peer did not answer a request in time, so Windows gave up.",
      .look = "ikescope reports the request nobody answered.",
      .causes = {
          { "UDP 500 or 4500 is blocked on the way, or the peer is down.",
            "peer.no_response (certain when an ICMP port unreachable came back, path.icmp_error for other "
            "ICMP)." },
          { "IKE_AUTH carrying certificates is larger than the path MTU and its IP fragments are dropped "
            "(typical of NAT routers and mobile networks).",
            "path.fragments_lost: small messages are answered, the fragmented one is not; "
            "capture.fragments_missing when the capture itself lacks fragments." },
          { "The peer received the request but dropped it (no matching connection, an error it does not "
            "report).",
            "peer.no_response after earlier exchanges were answered; capture.one_direction when the capture "
            "saw only one direction." },
      },
      .fix = { .windows = "Allow UDP 500/4500 (and ESP) through every firewall; for NAT on the server side set "
                          "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent "
                          "AssumeUDPEncapsulationContextOnSendRule = 2; recent Windows 10/11 builds "
                          "use IKEv2 fragmentation (RFC 7383) when the server offers it.",
               .strongswan = "fragmentation = yes (the default) in the connection; check the charon log for the "
                             "request arriving at all.",
               .libreswan = "fragmentation=yes (default); ipsec whack --trafficstatus.",
               .cisco = "crypto ikev2 fragmentation mtu 1400; check ACLs for UDP 500/4500." } },
    { .code = 13806,
      .meaning = "IKE found no valid machine certificate of its own to authenticate with.",
      .look = "A local problem of the Windows side; the capture shows its effect (no CERT, or no IKE_AUTH at all).",
      .causes = {
          CAUSE_STORE,
          { "The certificate lacks the EKU or key usage the policy requires, or is not issued by a CA the "
            "peer asked for in CERTREQ.",
            "The report lists the CAs the peer requested; a Windows client picks only a certificate "
            "chaining to one of them." },
          { "The certificate has expired.", "not on the wire when it is never sent; certutil -store My shows it." },
      },
      .fix = { .windows = WIN_STORES " A client certificate needs the Client Authentication EKU.",
               .strongswan = "Send CERTREQ for the CA that issued the Windows certificate: put that CA in x509ca.",
               .libreswan = "Make the CA that issued the client's certificate known in the NSS database.",
               .cisco = "The trustpoint's CA must be the client certificate's issuer." } },
    SHORT(13807, "The peer deleted the IKE SA before the negotiation completed.",
          "Look for a Delete payload or INFORMATIONAL exchange in ikescope's timeline, and which side sent it."),
    SHORT(13808, "The IKE SA was deleted (reaped) locally before the negotiation completed.",
          "Look at the gaps in the timeline; " LOOK_LOG),
    SHORT(13809, "A Main Mode negotiation request waited in IKEEXT's queue too long and was dropped.",
          LOOK_LOG),
    SHORT(13810, "A Quick Mode negotiation request waited in IKEEXT's queue too long and was dropped.", LOOK_LOG),
    SHORT(13811, "A request waited too long in the queue for its Main Mode and was dropped.",
          "A phase 1 that did not complete: see ikescope's findings for the IKE SA. " LOOK_LOG),
    SHORT(13812, "A request waited too long in the queue, with no Main Mode for it, and was dropped.", LOOK_LOG),
    { .code = 13813,
      .meaning = "Windows dropped the negotiation because the peer did not respond to it.",
      .look = "ikescope reports the request nobody answered; see also 13805.",
      .causes = {
          { "The peer is unreachable on UDP 500/4500 (firewall, wrong address, daemon down).",
            "peer.no_response; path.icmp_error when ICMP errors came back." },
          { "A large message (certificates) is lost as IP fragments.", "path.fragments_lost." },
          { "The capture saw only one direction, so the answers may exist.", "capture.one_direction." },
      },
      .fix = { .windows = "Allow UDP 500/4500 outbound and to the server (Test-NetConnection "
                          "checks TCP only; the capture shows whether UDP gets through).",
               .strongswan = "Check that charon listens (swanctl --stats) and the firewall allows UDP 500/4500.",
               .libreswan = "ipsec status; firewall rules for UDP 500/4500.",
               .cisco = "show crypto ikev2 stats; ACLs on the outside interface." } },
    SHORT(13814, "The Main Mode negotiation took too long and was abandoned.",
          "Several IKE SAs between the same hosts in the timeline are the usual sign. " LOOK_LOG),
    SHORT(13815, "The Quick Mode negotiation took too long and was abandoned.", LOOK_LOG),
    SHORT(13816, "An unspecified IKE error.", LOOK_PROCESS " " LOOK_LOG),
    { .code = 13817,
      .meaning = "The certificate revocation check failed on this Windows host: it could not fetch or "
                 "validate the CRL for the peer's certificate, or found it revoked.",
      .look = "The CRL fetch is not IKE traffic; an IKE-only capture does not show it.",
      .causes = { CAUSE_CRL,
                  { "The CRL has expired (nextUpdate passed) and the CA has not published a new one.",
                    "Give the CRL with --crl: ikescope reports it when it cannot be used at the capture time." } },
      .fix = { .windows = "certutil -verify -urlfetch peer.cer shows which URL fails; publish the CRL at a "
                          "reachable CDP. netsh advfirewall show global shows StrongCRLCheck (1: fail on a "
                          "revoked certificate, 2: fail on any CRL error); lower it only to test.",
               .strongswan = "The CA's crl_uris in swanctl.conf authorities; revocation = relaxed for testing.",
               .libreswan = "crlcheckinterval and strictcrlpolicy=no in config setup.",
               .cisco = "revocation-check none (testing) or a reachable CDP in the trustpoint." } },
    { .code = 13818,
      .meaning = "Invalid certificate key usage: the certificate may not be used for what IKE needs (signing "
                 "the AUTH payload, or the EKU Windows requires).",
      .look = "ikescope checks keyUsage and extendedKeyUsage of the certificates sent.",
      .causes = {
          { "keyUsage without digitalSignature.", "cert.key_usage (error; a warning with nonRepudiation only)." },
          { "extendedKeyUsage without Server Authentication (responder) or Client Authentication "
            "(initiator) and without IP security IKE intermediate.",
            "cert.eku_mismatch." },
      },
      .fix = { .windows = "Issue the certificate from a template with Digital Signature key usage and the "
                          "Server Authentication (VPN server) or Client Authentication (client) EKU.",
               .strongswan = "pki --issue --flag serverAuth (or clientAuth) --flag ikeIntermediate.",
               .libreswan = "Reissue with the serverAuth/clientAuth EKU; libreswan checks it when "
                            "require-id-on-certificate is set.",
               .cisco = "Reissue from the CA with the right EKU; eku request server-auth in the trustpoint." } },
    SHORT(13819, "The certificate type is not supported (not an X.509 signature certificate Windows can use).",
          "The report names each CERT payload's encoding (X.509, PKCS#7, raw key, hash and URL)."),
    { .code = 13820,
      .meaning = "The certificate selected has no private key associated with it on this host, so it cannot "
                 "sign its AUTH.",
      .look = "Not visible on the wire: the Windows side simply stops before sending IKE_AUTH, or sends no "
              "signature.",
      .causes = {
          { "The certificate was imported without its key (a .cer instead of the .pfx), or into another "
            "store than the key.",
            "not visible on the wire; certutil -store My shows 'Private key is NOT present'. In the capture "
            "the Windows side sends no IKE_AUTH after a completed IKE_SA_INIT." },
          { "The key is in a provider IKEEXT cannot use or lacks permission to.",
            "not visible on the wire; certutil -repairstore My SERIAL re-links key and certificate." },
      },
      .fix = { .windows = "Import the PKCS#12 file into the computer store: certutil -importpfx -f client.pfx "
                          "(or Import-PfxCertificate -CertStoreLocation Cert:\\LocalMachine\\My).",
               .strongswan = "The same error on the gateway is 'no private key found': put the key in "
                             "/etc/swanctl/private and run swanctl --load-creds.",
               .libreswan = "ipsec import host.p12 imports certificate and key together.",
               .cisco = "crypto pki import NAME pkcs12 with the key." } },
    SHORT(13822, "The Diffie-Hellman computation failed.",
          "Compare the KE payload's group in the timeline with the chosen proposal; ke.invalid_group when "
          "the peer refused the group."),
    SHORT(13824, "Invalid IKE header received.",
          "ikescope's anomalies ike.header.* and ike.truncated on the message say what is wrong with it."),
    { .code = 13825,
      .meaning = "No policy is configured for this traffic: Windows has no IPsec rule or VPN connection that "
                 "matches the peer's request.",
      .look = "The request itself is in the capture; compare its identities and traffic selectors with the "
              "Windows configuration.",
      .causes = {
          { "The peer's addresses or traffic selectors match no connection security rule.",
            "The IDi/IDr and TSi/TSr (or quick-mode IDci/IDcr) in ikescope's timeline show what was asked." },
      },
      .fix = { .windows = "Get-NetIPsecRule and Get-VpnServerConfiguration; add a rule for the peer.",
               .strongswan = "Narrow remote_ts/local_ts to what Windows expects.",
               .libreswan = "leftsubnet/rightsubnet.",
               .cisco = "The crypto ACL / IKEv2 profile match statements." } },
    { .code = 13826,
      .meaning = "Invalid signature: the signature the peer sent (IKEv2 AUTH, IKEv1 SIG) did not verify with "
                 "the public key of the certificate Windows used for it, or the certificate could not be "
                 "validated well enough to trust its key. The public pages mostly blame trust and time; the "
                 "signature check itself fails only when key and certificate do not belong together or the "
                 "two sides compute the signed data differently.",
      .look = "ikescope with keys shows the AUTH method and the certificates each side sent, and checks them "
              "as Windows would.",
      .causes = {
          CAUSE_CHAIN, CAUSE_INTERMEDIATE, CAUSE_ROOT, CAUSE_TIME, CAUSE_CRL, CAUSE_STORE, CAUSE_GPO,
          { "The certificate sent is not the one whose key signed (a renewed certificate with an old key, "
            "or the wrong one of several), or the hash algorithm the signer used is one the verifier did "
            "not announce (RFC 7427 SIGNATURE_HASH_ALGORITHMS).",
            "auth.invalid_signature when the peer says INVALID_SIGNATURE (IKEv1); the AUTH method and the "
            "notify SIGNATURE_HASH_ALGORITHMS of each side are in the report." },
      },
      .fix = { .windows = WIN_STORES " Sync time: w32tm /resync, w32tm /query /status.",
               .strongswan = SWAN_CERTS,
               .libreswan = LIBRESWAN_CERTS,
               .cisco = CISCO_CERTS } },
    SHORT(13827, "Kerberos authentication failed (IKEv1/AuthIP with Kerberos, inside a domain).",
          "Not visible in IKE payloads; check domain connectivity and the Kerberos event log."),
    SHORT(13828, "The peer's certificate has no public key Windows can use.",
          "--dump-certs and openssl x509 -text show the key algorithm; the report lists it per certificate."),
    SHORT(13829, "Error processing an error payload (the notify the peer sent could not be handled).", LOOK_PROCESS),
    SHORT(13830, "Error processing the SA payload: the proposal structure is malformed or unacceptable.",
          LOOK_PROCESS " Compare the proposals; proposal.no_common if the peer refused them."),
    SHORT(13831, "Error processing a Proposal payload.", LOOK_PROCESS),
    SHORT(13832, "Error processing a Transform payload (an unknown or badly encoded transform).", LOOK_PROCESS),
    SHORT(13833, "Error processing the KE payload: its length does not fit the Diffie-Hellman group.",
          "Compare the KE length in the timeline with the group; ke.invalid_group if the peer refused it."),
    { .code = 13834,
      .meaning = "Error processing the ID payload: the peer's identity has an unsupported type or does not "
                 "match what the policy expects.",
      .look = "The identities of both sides (type and value) are in ikescope's SA header.",
      .causes = {
          { "The peer identifies itself with a type Windows cannot match (for example a KEY_ID, or an IP "
            "address where a name is expected).",
            "The ID types and values in the report; id.mismatch for the IKEv2 IDr check." },
          { "An IKEv1 peer answered INVALID_ID_INFORMATION.", "auth.invalid_id." },
      },
      .fix = { .windows = "Windows clients send their IP address or certificate subject as ID: match the "
                          "gateway's remote id to it.",
               .strongswan = "remote { id = %any } while testing, then the exact ID from the report.",
               .libreswan = "rightid=%fromcert or the exact ID.",
               .cisco = "match identity remote address/fqdn/any in the IKEv2 profile." } },
    { .code = 13835,
      .meaning = "Error processing the CERT payload: the certificate the peer sent could not be parsed or "
                 "accepted.",
      .look = "ikescope lists each CERT payload with its encoding and parse result.",
      .causes = {
          { "An encoding Windows does not take (PKCS#7 bundle, raw key, hash and URL).",
            "The CERT encoding per payload in the report." },
          { "The peer rejects our certificate (IKEv1 INVALID_CERTIFICATE).", "cert.invalid." },
          { "A certificate problem Windows reports here instead of 13801.",
            "cert.* and chain.* with --ca." },
      },
      .fix = { .windows = WIN_STORES, .strongswan = SWAN_CERTS, .libreswan = LIBRESWAN_CERTS, .cisco = CISCO_CERTS } },
    SHORT(13836, "Error processing a CERTREQ payload.",
          "The CAs each side asked for are listed per SA (resolved to names when their certificates were seen)."),
    SHORT(13837, "Error processing the HASH payload (IKEv1).",
          "With pre-shared keys this usually means different keys: auth.invalid_hash, or 13870."),
    SHORT(13838, "Error processing the signature payload: in IKEv2 Windows reports it too for a signature "
                 "whose hash its policy forbids (SHA-1, by Group Policy or a hardened profile).",
          "auth.sha1_refused names a valid SHA-1 signature the receiver refused; auth.invalid_signature with "
          "the cause 'not acceptable' a hash the receiver's SIGNATURE_HASH_ALGORITHMS did not list. Run with "
          "--peer-profile windows when the receiver is Windows. Otherwise see 13826."),
    SHORT(13839, "Error processing the Nonce payload (a nonce too short or too long).",
          "Nonce sizes are in the timeline's payload lengths; RFC 7296 requires 16 to 256 octets."),
    SHORT(13840, "Error processing a Notify payload.", LOOK_PROCESS),
    SHORT(13841, "Error processing a Delete payload.", LOOK_PROCESS),
    SHORT(13842, "Error processing a Vendor ID payload.", "The Vendor IDs are listed per SA; " LOOK_PROCESS),
    { .code = 13843,
      .meaning = "Invalid payload received: a message was malformed or had payloads in the wrong place.",
      .look = "ikescope's anomalies on the message (ike.payload.*, ike.sk.*) say what is malformed.",
      .causes = {
          { "A malformed message from the peer.", "ike.payload.* and ike.header.* anomalies." },
          { "The peer reported INVALID_SYNTAX about our message.", "ike.invalid_syntax." },
          { "Keys that disagree: a message decrypts to garbage.", "decrypt.wrong_keys, ike.sk.decrypt_failed." },
      },
      .fix = { .windows = "Update Windows; check middleboxes that rewrite UDP 500/4500.",
               .strongswan = "The charon log at enc=2 shows the parse error.",
               .libreswan = "plutodebug=all shows it.",
               .cisco = "debug crypto ikev2 packet." } },
    SHORT(13844, "Soft SA loaded: traffic falls back to clear text under the policy (fallback to clear).",
          "Look for failed negotiations before it in ikescope's report."),
    SHORT(13845, "The soft SA (fallback to clear text) was torn down.", LOOK_LOG),
    SHORT(13846, "Invalid cookie received: the SPI/cookie of a message matches no SA.",
          "Compare SPIs in the timeline; a peer that restarted shows a new IKE SA. INVALID_IKE_SPI notifies say so."),
    { .code = 13847,
      .meaning = "The peer failed to send a valid machine certificate: Windows asked for one (CERTREQ) and "
                 "got none it could use to verify the peer's signature.",
      .look = "Decrypt IKE_AUTH (IKEv2) or main mode 5/6 (IKEv1) with the peer's keys to see whether a CERT "
              "payload was in it.",
      .causes = {
          { "The peer sends no certificate at all (send policy 'if asked' with a CA it does not recognise, "
            "or 'never').",
            "auth.no_peer_cert (likely when the peer was asked with CERTREQ and signed without CERT); "
            "a CERT payload in the report rules it out." },
          CAUSE_CHAIN, CAUSE_INTERMEDIATE, CAUSE_ROOT, CAUSE_TIME, CAUSE_CRL, CAUSE_STORE, CAUSE_GPO,
      },
      .fix = { .windows = WIN_STORES,
               .strongswan = "send_cert = always in the local section; the CA named in Windows' CERTREQ must "
                             "issue the gateway's certificate. " SWAN_CERTS,
               .libreswan = "leftsendcert=always. " LIBRESWAN_CERTS,
               .cisco = "The IKEv2 profile must name a trustpoint with an enrolled certificate (pki trustpoint "
                        "NAME sign). " CISCO_CERTS } },
    { .code = 13848,
      .meaning = "The peer's certificate failed its revocation check (its CRL could not be fetched or lists it).",
      .look = "The CRL fetch is not IKE traffic; give the CRL with --crl to check revocation.",
      .causes = { CAUSE_CRL },
      .fix = { .windows = "certutil -verify -urlfetch peer.cer; publish a reachable CDP.",
               .strongswan = "crl_uris on the CA; keep the CRL fresh.",
               .libreswan = "ipsec crls; strictcrlpolicy.",
               .cisco = "revocation-check crl with a reachable CDP." } },
    SHORT(13849, "A new IPsec policy invalidated the SAs made under the old one.",
          "Retry; a Group Policy refresh (gpupdate) during connection is the usual cause."),
    SHORT(13850, "No Main Mode (phase 1) authentication policy for this peer.",
          "Get-NetIPsecPhase1AuthSet and the VPN profile's authentication settings."),
    SHORT(13851, "IKEEXT lacks the privilege it needs (TCB privilege).", LOOK_LOG),
    SHORT(13852, "IKEEXT could not load the security library (SECURITY.DLL).", LOOK_LOG),
    SHORT(13853, "The security support provider failed to initialise.", LOOK_LOG),
    SHORT(13854, "Querying the security support provider failed.", LOOK_LOG),
    SHORT(13855, "IKEEXT could not obtain its Kerberos server credentials; Kerberos authentication will not work, most often because the machine is not a domain member.", LOOK_LOG),
    SHORT(13856, "Querying credentials from the security provider failed.", LOOK_LOG),
    SHORT(13857, "Getting a new SPI from the IPsec driver failed.", LOOK_LOG),
    SHORT(13858, "The filter for this negotiation is invalid.", "Get-NetIPsecRule; " LOOK_LOG),
    SHORT(13859, "IKEEXT ran out of memory.", LOOK_LOG),
    SHORT(13860, "Adding the negotiated SA to the IPsec driver failed.", LOOK_LOG),
    SHORT(13861, "The IPsec policy is invalid.", "Check the connection security rules and VPN profile; " LOOK_LOG),
    SHORT(13862, "Unknown domain of interpretation (IKEv1 DOI other than IPsec).",
          "The SA payload's DOI in the timeline; only DOI 1 (IPsec) is defined."),
    SHORT(13863, "Invalid situation in the IKEv1 SA payload.", "The SA payload in the timeline."),
    SHORT(13864, "The Diffie-Hellman computation failed.", "See 13822; compare the KE payload and the chosen group."),
    { .code = 13865,
      .meaning = "Invalid Diffie-Hellman group: the group the peer proposed or used is not allowed by the policy.",
      .look = "The chosen proposal and each KE payload's group are in ikescope's report.",
      .causes = {
          { "The responder wants another DH group than the initiator's KE payload carries.",
            "ke.invalid_group names the group wanted; ke.invalid_group_retry shows a successful retry." },
          { "Windows' default proposal uses MODP-1024 (group 2), which modern gateways refuse.",
            "The proposals offered (SA payload of the first message) list the groups." },
      },
      .fix = { .windows = "Set-VpnConnectionIPsecConfiguration -ConnectionName VPN -AuthenticationTransformConstants "
                          "SHA256128 -CipherTransformConstants AES256 -EncryptionMethod AES256 "
                          "-IntegrityCheckMethod SHA256 -DHGroup Group14 -PfsGroup PFS2048 -Force",
               .strongswan = "Add the group Windows offers to proposals (e.g. aes256-sha256-modp2048), or "
                             "configure Windows as above.",
               .libreswan = "ike=aes256-sha2;modp2048.",
               .cisco = "group 14 in the crypto ikev2 proposal." } },
    SHORT(13866, "Encryption of an IKE message failed locally.", LOOK_LOG),
    SHORT(13867, "Decryption of a received IKE message failed: the keys disagree or the message was damaged.",
          "decrypt.damaged_message and ike.sk.decrypt_failed with the keys; with a PSK in IKEv1, different "
          "keys also show here."),
    { .code = 13868,
      .meaning = "Policy match error: no proposal of the peer matches the local policy (algorithms, DH group, "
                 "authentication method, lifetimes).",
      .look = "ikescope shows every proposal offered and which one (if any) was chosen.",
      .causes = {
          { "No common set of encryption, integrity, PRF and DH group.",
            "proposal.no_common (NO_PROPOSAL_CHOSEN); proposal.weak flags deprecated ones offered." },
          { "The Windows default proposal (3DES, SHA-1, MODP-1024) against a gateway that allows only modern "
            "algorithms.",
            "The initiator's proposals in the first message of the timeline." },
          { "IKEv1: different authentication methods (PSK against certificate) or lifetimes.",
            "The Oakley attributes of each transform in the report." },
      },
      .fix = { .windows = "Set-VpnConnectionIPsecConfiguration -ConnectionName VPN -AuthenticationTransformConstants "
                          "SHA256128 -CipherTransformConstants AES256 -EncryptionMethod AES256 "
                          "-IntegrityCheckMethod SHA256 -DHGroup Group14 -PfsGroup PFS2048 -Force",
               .strongswan = "proposals = aes256-sha256-modp2048 (IKE) and esp_proposals = aes256-sha256 "
                             "to meet Windows; swanctl --list-conns shows them.",
               .libreswan = "ike=aes256-sha2;modp2048 and esp=aes256-sha2.",
               .cisco = "crypto ikev2 proposal with encryption aes-cbc-256, integrity sha256, group 14; "
                        "crypto ipsec transform-set to match." } },
    SHORT(13869, "The peer's identity type is not supported.",
          "The ID payload types in the report; Windows supports IP addresses, FQDNs, DNs and e-mail names."),
    { .code = 13870,
      .meaning = "Hash verification failed: the peer's HASH (IKEv1) or integrity data did not match.",
      .look = "In IKEv1 main mode with pre-shared keys, HASH_I/HASH_R are keyed with the PSK.",
      .causes = {
          { "Different pre-shared keys on the two sides.",
            "auth.invalid_hash (INVALID_HASH_INFORMATION from the peer); with keys, decryption of message 5 "
            "fails (ike.sk.decrypt_failed) because the keys derive from the PSK." },
          { "A middlebox changed the packet.", "decrypt.damaged_message when other messages verify." },
      },
      .fix = { .windows = "Re-enter the pre-shared key (L2TP: Set-VpnConnection -L2tpPsk).",
               .strongswan = "The secret for the peer's ID in swanctl.conf secrets.",
               .libreswan = "ipsec.secrets.",
               .cisco = "pre-shared-key in the keyring / crypto isakmp key." } },
    SHORT(13871, "The hash algorithm is invalid or not supported.", "The chosen proposal's integrity/PRF in the report."),
    SHORT(13872, "The hash has the wrong size.", LOOK_PROCESS),
    SHORT(13873, "The encryption algorithm is invalid or not supported.", "The chosen proposal's encryption in the report."),
    SHORT(13874, "The authentication algorithm is invalid or not supported.",
          "The AUTH method of each side in the report (RFC 7427 digital signature, PSK, RSA)."),
    SHORT(13875, "Invalid signature on the peer's authentication data.", "See 13826."),
    SHORT(13876, "Loading the IPsec policy or a certificate failed.", LOOK_LOG),
    SHORT(13877, "Deleted via an RPC call (an administrator or a service removed the SA).",
          "Not a protocol failure; a Delete follows in the timeline."),
    SHORT(13878, "A temporary state was created to reinitialise a negotiation (benign).", "Nothing to fix."),
    SHORT(13879, "The lifetime in the peer's RESPONDER_LIFETIME notify is below the configured minimum.",
          "The IKEv1 notify RESPONDER_LIFETIME in the timeline; align the lifetimes."),
    { .code = 13881,
      .meaning = "The certificate's key is shorter than the policy allows.",
      .look = "The key algorithm and size of each certificate are in ikescope's report.",
      .causes = {
          { "An RSA key of 1024 bits or less, which current Windows policies refuse.",
            "The certificates listed per SA show 'RSA 1024'; --dump-certs for the PEM." },
      },
      .fix = { .windows = "Issue certificates with RSA 2048 or more, or ECDSA P-256/P-384.",
               .strongswan = "pki --gen --type rsa --size 3072 (or --type ecdsa) and reissue.",
               .libreswan = "Reissue the certificate with a longer key and re-import it.",
               .cisco = "crypto key generate rsa modulus 2048 and re-enrol." } },
    SHORT(13882, "The limit of Main Mode SAs for this peer was reached.", "Many parallel IKE SAs in the report. " LOOK_LOG),
    SHORT(13883, "IKE negotiation is disabled by policy.", "Check the IKEEXT service and IPsec settings."),
    SHORT(13884, "The limit of Quick Mode SAs was reached.", LOOK_LOG),
    SHORT(13885, "The Main Mode SA's lifetime expired, or the peer deleted it.", "Rekey timing in the timeline."),
    SHORT(13886, "The Main Mode SA is assumed invalid because the peer stopped responding.",
          "INITIAL_CONTACT or INVALID_SPI notifies in the timeline."),
    { .code = 13887,
      .meaning = "Certificate chain policy mismatch: the peer's certificate does not chain to a root the IPsec "
                 "policy names as trusted (Windows: the VPN profile's or rule's root CA list, or its Trusted "
                 "Root store).",
      .look = "ikescope with the root Windows trusts as --ca builds the chain the way Windows does.",
      .causes = {
          CAUSE_CHAIN, CAUSE_INTERMEDIATE, CAUSE_ROOT, CAUSE_TIME, CAUSE_CRL, CAUSE_STORE, CAUSE_GPO,
          { "The IPsec policy names a specific root (machine tunnel or connection security rule with a CA "
            "restriction) other than the one the peer's certificate chains to.",
            "Compare the CERTREQ of the Windows side (the CAs it will accept) with the issuer of the peer's "
            "CERT; chain.untrusted_root with the policy's root as --ca." },
      },
      .fix = { .windows = "Add the issuing root to Local Computer\\Trusted Root Certification Authorities "
                          "(certutil -addstore Root root.cer) and intermediates to CA; for a rule with a root "
                          "restriction, check Get-NetIPsecPhase1AuthSet. " WIN_STORES,
               .strongswan = "Send the intermediate (add it to x509ca and send_cert = always) and issue the "
                             "gateway's certificate from the CA Windows trusts. " SWAN_CERTS,
               .libreswan = LIBRESWAN_CERTS,
               .cisco = "Include the intermediate in the trustpoint chain (chain-validation continue) and "
                        "enrol from the CA the clients trust. " CISCO_CERTS } },
    SHORT(13888, "A message arrived with an unexpected message ID.",
          "Message IDs are in the timeline; retransmissions and out-of-window IDs show there."),
    SHORT(13889, "Invalid authentication data received (Microsoft's text speaks of invalid AuthIP user-mode attributes).",
          "The AUTH method of each side in the report; auth.failed if the peer refused it."),
    SHORT(13890, "Windows sent a DoS-protection cookie (IKEv2 COOKIE) because it is under load.",
          "N(COOKIE) in the IKE_SA_INIT response, then a retry with the cookie, in the timeline."),
    SHORT(13891, "IKEEXT is shutting down.", "Not a peer problem."),
    SHORT(13892, "Could not verify the binding between a CGA address and its certificate.", LOOK_LOG),
    SHORT(13893, "Error processing the NAT-OA payload (IKEv1 NAT traversal).", LOOK_PROCESS),
    SHORT(13894, "The Main Mode SA parameters do not fit the Quick Mode request.", LOOK_LOG),
    SHORT(13895, "The IPsec driver expired the Quick Mode SA.", "Rekey timing in the timeline."),
    SHORT(13896, "Too many dynamically added IKEEXT filters.", "Reduce the IPsec rules; " LOOK_LOG),
    SHORT(13897, "Not an error: the end of the original IKE status range.", "Nothing to look for."),
    SHORT(13898, "NAP re-authentication succeeded, so the dummy NAP IKEv2 tunnel is removed.", "Not a peer problem."),
    { .code = 13899,
      .meaning = "The gateway could not assign an inner (virtual) IP address to the client.",
      .look = "With keys, the CP payloads of IKE_AUTH show the request and the answer.",
      .causes = {
          { "The address pool is empty or exhausted, or the client asked for a family the gateway has no "
            "pool for.",
            "internal_address.failure (INTERNAL_ADDRESS_FAILURE from the responder)." },
      },
      .fix = { .windows = "RRAS server: widen the static pool or fix DHCP relay.",
               .strongswan = "pools { p { addrs = 10.10.0.0/24 } } and pools = p on the connection.",
               .libreswan = "addresspool= on the connection.",
               .cisco = "ip local pool and client address pool in the authorization policy." } },
    { .code = 13900,
      .meaning = "The gateway requires a configuration payload (virtual IP request) the client did not send.",
      .look = "With keys, IKE_AUTH shows whether a CP(CFG_REQUEST) was sent.",
      .causes = {
          { "The client is configured as site-to-site (no virtual IP) against a remote-access gateway.",
            "cp.required (FAILED_CP_REQUIRED)." },
      },
      .fix = { .windows = "Use a VPN connection (Add-VpnConnection), which always requests an address.",
               .strongswan = "vips = 0.0.0.0 on the client connection.",
               .libreswan = "modecfgclient=yes / narrowing with the CP request.",
               .cisco = "Match the profile to the client type; aaa authorization for the pool." } },
    SHORT(13902, "The SA was deleted by the IKEv1/AuthIP coexistence check.", LOOK_LOG),
    SHORT(13903, "An incoming SA request was dropped by the rate limit on the peer's IP address.",
          "Many IKE_SA_INIT requests from many hosts in the capture; ikescope reports the peers."),
    SHORT(13904, "The peer does not support MOBIKE, which this connection requires.",
          "N(MOBIKE_SUPPORTED) missing from a side's IKE_AUTH (with keys)."),
    { .code = 13905,
      .meaning = "Authorization failed: the peer authenticated, but is not allowed to connect.",
      .look = "Authentication succeeded on the wire; the decision is in the server's policy.",
      .causes = {
          { "The NPS network policy or the RRAS dial-in permission refuses the user or machine.",
            "not visible on the wire beyond an AUTHENTICATION_FAILED or a Delete after a complete IKE_AUTH; "
            "the NPS event log (event 6273) names the policy." },
          { "The IPsec rule allows only listed machines or users (authorization list).",
            "not visible on the wire; Get-NetIPsecRule shows RemoteMachine/RemoteUser." },
      },
      .fix = { .windows = "Allow the account in its dial-in properties or the NPS network policy conditions.",
               .strongswan = "The counterpart is remote groups = ... in swanctl.conf.",
               .libreswan = "No direct counterpart: check the peer's connection restrictions.",
               .cisco = "aaa authorization network policy in the IKEv2 profile." } },
    SHORT(13906, "Not authorised: there is no sufficiently strong (PKINIT-based) credential.",
          "See 13905; check the certificate-to-account mapping."),
    SHORT(13907, "Not authorised; different or updated credentials (such as a smart card) may succeed.", "See 13905."),
    SHORT(13908, "Not authorised: no sufficiently strong (PKINIT-based) credential, possibly because certificate-to-account mapping failed.",
          "See 13905; check name mapping in Active Directory (altSecurityIdentities)."),
    SHORT(13909, "Not an error: the end of the extended IKE status range.", "Nothing to look for."),
};

const struct an_kb_windows *an_kb_windows_find(unsigned code)
{
    for (size_t i = 0; i < sizeof kb / sizeof kb[0]; i++)
        if (kb[i].code == code)
            return &kb[i];
    return NULL;
}

/* winerror.h numbers its IKE codes from 13800 to 13909 (NEG_STATUS_BEGIN..EXTENDED_END). */
unsigned an_kb_windows_code_by_name(const char *name)
{
    for (unsigned c = 13800; c <= 13909; c++) {
        const char *n = an_windows_error_name(c);
        if (n && strcasecmp(n, name) == 0)
            return c;
    }
    return 0;
}
