"""The lab's scenarios: what each side is configured with and what must happen.

Each scenario is a dict:
  name, summary, outcome (established|failed|incomplete), topo (direct|direct6|nat|dropfrag)
  init / resp: side configs (resp None = responder not running), see side()
  expect: [(side, regex)] that must match the side's charon log (the ground truth)
  quote:  extra [(side, regex)] quoted in scenario.md
  findings: [(rule, severity, windows, why)]
  run_for: seconds to keep capturing after the initiate call returned
  stop_after: (side, regex, grace_s): instead of run_for, cut the capture off grace_s
      seconds after that log line appears (the daemons are then SIGKILLed)
  capture_at: 'init' or 'resp' (whose veth is captured)
  notes: free text for scenario.md
  fresh_pki: issue a root CA (fresh-root) and sun-fresh seconds before the run (pki.fresh)
  http_crl: the responder's namespace serves int-a's CRL over HTTP on port 8080
  resp_cas: also copy the responder's CA certificates into the folder (for scenarios where
      the responder judges the initiator's chain)
"""

DOM = 'lab.ikescope.test'
MOON = 'moon.' + DOM
SUN = 'sun.' + DOM

ESTABLISHED_I = [('init', r'IKE_SA lab\[\d+\] established between'),
                 ('init', r'CHILD_SA lab\{\d+\} established')]
ESTABLISHED_R = [('resp', r'IKE_SA lab\[\d+\] established between'),
                 ('resp', r'CHILD_SA lab\{\d+\} established')]

W_AUTH_FAIL = '13801 ERROR_IPSEC_IKE_AUTH_FAIL'
W_NO_PEER_CERT = '13847 ERROR_IPSEC_IKE_NO_PEER_CERT'
W_INVALID_SIG = '13826 ERROR_IPSEC_IKE_INVALID_SIGNATURE'
W_POLICY_MATCH = '13868 ERROR_IPSEC_IKE_POLICY_MATCH'
W_TIMED_OUT = '13805 ERROR_IPSEC_IKE_TIMED_OUT'
W_KEY_USAGE = '13818 ERROR_IPSEC_IKE_INVALID_KEY_USAGE'
W_CHAIN_POLICY = '13887 ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH'
W_INVALID_GROUP = '13865 ERROR_IPSEC_IKE_INVALID_GROUP'

# The notify-level finding ikescope's rule table already emits (src/analyze/rules.c).
AUTH_FAILED_BY_I = ('auth.failed', 'error', W_AUTH_FAIL,
                    'The initiator rejected the responder and told it so: INFORMATIONAL request '
                    'with N(AUTHENTICATION_FAILED) right after the IKE_AUTH response (encrypted).')
AUTH_FAILED_BY_R = ('auth.failed', 'error', W_AUTH_FAIL,
                    'The responder answered IKE_AUTH with N(AUTHENTICATION_FAILED) (encrypted).')


def side(**kw):
    """A side's configuration with defaults (cert auth, lab root + intermediate)."""
    d = dict(version=2, auth='pubkey', cert=None, id=None, remote_id=None, remote_auth=None,
             cacerts=['root-a', 'int-a'], send_cert=None, proposals='aes256-sha256-modp2048',
             esp='aes256-sha256', psk=None, eap_id=None, eap_secrets=None, aggressive=False,
             fragmentation=None, crl=None, rekey_time='0', child_rekey_time='0', encap=None,
             strongswan={}, remote_eap_id=None, send_certreq=None, extra_certs=[],
             intermediates=[])
    d.update(kw)
    return d


def cert_pair(icert='moon-rsa2048', rcert='sun-rsa2048', **kw):
    ikw = {k[2:]: v for k, v in kw.items() if k.startswith('i_')}
    rkw = {k[2:]: v for k, v in kw.items() if k.startswith('r_')}
    both = {k: v for k, v in kw.items() if not k.startswith(('i_', 'r_'))}
    # Split PKI: moon's certificate comes from the client intermediate (int-b), sun's from
    # the server intermediate (int-a). Each side trusts the root and its own intermediate,
    # so each peer's CERTREQ names those two, and each side sends its end-entity
    # certificate plus the intermediate the peer did not ask for (strongSwan does not
    # send a CA certificate the peer requested).
    i = side(cert=icert, id=MOON, remote_id=SUN, remote_auth='pubkey',
             cacerts=['root-a', 'int-b'], **both)
    r = side(cert=rcert, id=SUN, remote_id=MOON, remote_auth='pubkey',
             cacerts=['root-a', 'int-a'], **both)
    i.update(ikw)
    r.update(rkw)
    return i, r


def psk_pair(proposals, esp, secret='ikescope-lab-psk-0123456789', rsecret=None, **kw):
    i = side(auth='psk', id=MOON, remote_id=SUN, remote_auth='psk', psk=secret, cacerts=[],
             proposals=proposals, esp=esp, **kw)
    r = side(auth='psk', id=SUN, remote_id=MOON, remote_auth='psk', psk=rsecret or secret,
             cacerts=[], proposals=proposals, esp=esp, **kw)
    return i, r


S = []


def scen(name, summary, outcome, init, resp, expect, findings, topo='direct', quote=(),
         run_for=1.5, capture_at='init', notes='', initiate_timeout=20, stop_after=None,
         terminate=False, fresh_pki=False, http_crl=False, resp_cas=False):
    # the SA outcome is not a finding; the root cause goes before the generic auth.failed
    findings = [f for f in findings if f[0] != 'sa.established']
    findings.sort(key=lambda f: f[0] == 'auth.failed')
    S.append(dict(name=name, summary=summary, outcome=outcome, init=init, resp=resp,
                  expect=list(expect), quote=list(quote), findings=findings, topo=topo,
                  run_for=run_for, capture_at=capture_at, notes=notes,
                  initiate_timeout=initiate_timeout, stop_after=stop_after, terminate=terminate,
                  fresh_pki=fresh_pki, http_crl=http_crl, resp_cas=resp_cas))


# ---------------------------------------------------------------- 1. baseline
i, r = cert_pair()
scen('ikev2-cert-rsa-aescbc',
     'IKEv2, AES-CBC-256/HMAC-SHA2-256/MODP-2048, RSA-2048 certificates via an intermediate CA; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'IKE SA and CHILD SA established, both sides authenticated '
       'with RSA certificates that chain to the lab root through the intermediate.')],
     quote=[('init', r'using trusted (intermediate )?ca certificate'),
            ('init', r'authentication of .* with RSA.* successful'),
            ('resp', r'authentication of .* with RSA.* successful')],
     notes='Quick-start capture. Split PKI under one root: moon\'s certificate is issued by the '
           'client intermediate (int-b), sun\'s by the server intermediate (int-a); each side '
           'trusts the root and its own intermediate. So both IKE_AUTH messages carry two CERT '
           'payloads (end-entity + the issuing intermediate). They are larger than 1280 bytes, '
           'so strongSwan sends them as RFC 7383 IKE fragments (SKF), as it does by default.')

# ---------------------------------------------------------------- 2. ciphers
i, r = psk_pair('aes256gcm16-prfsha256-ecp256', 'aes256gcm16')
scen('ikev2-psk-aesgcm', 'IKEv2, AES-GCM-256 (16-octet ICV)/PRF-HMAC-SHA2-256/ECP-256, PSK; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with pre-shared keys on both sides.')],
     quote=[('resp', r'authentication of .* with pre-shared key successful')])

i, r = psk_pair('chacha20poly1305-prfsha256-curve25519', 'chacha20poly1305')
scen('ikev2-chacha20', 'IKEv2, ChaCha20-Poly1305/PRF-HMAC-SHA2-256/Curve25519, PSK; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with ChaCha20-Poly1305 (RFC 7634).')],
     notes='Wireshark 4.0 cannot decrypt ChaCha20-Poly1305 IKE messages and rejects a whole '
           'ikev2_decryption_table that names an unknown cipher, so the keys are written in '
           'ikescope\'s own `ikescope-keys v1` format (`ikescope-keys.txt`, with SK_d and SK_p '
           'too) besides the charon logs; the lab verified them itself (Poly1305 tag check).')

i, r = psk_pair('aes128ctr-sha256-modp2048', 'aes128ctr-sha256')
scen('ikev2-aesctr', 'IKEv2, AES-CTR-128/HMAC-SHA2-256/MODP-2048, PSK; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with AES-CTR (RFC 5930).')])

i, r = psk_pair('3des-sha1-modp1024', '3des-sha1')
scen('ikev2-3des-sha1', 'IKEv2, 3DES/HMAC-SHA1-96/MODP-1024 (Windows legacy defaults), PSK; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established.'),
      ('proposal.weak', 'warning', None, '3DES, HMAC-SHA1 and MODP-1024 (group 2) are deprecated '
       '(RFC 8247).')])

i, r = psk_pair('aes128ccm12-prfsha256-ecp256', 'aes128ccm12')
scen('ikev2-aesccm', 'IKEv2, AES-CCM-128 (12-octet ICV)/PRF-HMAC-SHA2-256/ECP-256, PSK; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with AES-CCM (RFC 5282).')])

i, r = cert_pair('moon-p256', 'sun-p384', proposals='aes256-sha384-ecp384', esp='aes256-sha384')
scen('ikev2-ecdsa', 'IKEv2, AES-CBC-256/HMAC-SHA2-384/ECP-384, ECDSA P-256 (initiator) and '
     'P-384 (responder) certificates; success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with ECDSA certificates.')],
     quote=[('init', r'authentication of .* with .*ECDSA.* successful'),
            ('resp', r'authentication of .* with .*ECDSA.* successful')])

i, r = cert_pair('moon-ed25519', 'sun-ed25519', proposals='aes256-sha512-curve25519',
                 esp='aes256-sha512')
scen('ikev2-ed25519', 'IKEv2, AES-CBC-256/HMAC-SHA2-512/Curve25519, Ed25519 certificates; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with Ed25519 certificates (RFC 8420).')],
     quote=[('init', r'authentication of .* with .*(ED25519|Ed25519).* successful')])

# ---------------------------------------------------------------- 3. failures
i, r = cert_pair(r_send_cert='never')
scen('ikev2-no-peer-cert', 'IKEv2, responder configured with send_cert = never: its IKE_AUTH '
     'response carries no CERT, the initiator has no copy of it; initiator fails',
     'failed', i, r,
     [('init', r'no trusted .* public key found for .*sun\.lab\.ikescope\.test'),
      ('init', r'sending INFORMATIONAL|generating INFORMATIONAL')],
     [AUTH_FAILED_BY_I, ('auth.no_peer_cert', 'error', W_NO_PEER_CERT,
       'The responder answered IKE_AUTH with AUTH but without a CERT payload although the '
       'initiator sent CERTREQ; the initiator holds no certificate for the responder identity.')],
     quote=[('resp', r'authentication of .* with RSA.* successful')])

i, r = cert_pair(rcert='sun-rootb', r_cacerts=['root-a', 'root-b'])
scen('ikev2-untrusted-root', 'IKEv2, responder certificate issued by an unrelated root CA the '
     'initiator does not trust; initiator fails', 'failed', i, r,
     [('init', r'no issuer certificate found|no trusted .* public key found')],
     [AUTH_FAILED_BY_I, ('chain.untrusted_root', 'error', W_CHAIN_POLICY,
       'The responder certificate chains to "ikescope Unrelated Root CA", which is not among the '
       'initiator\'s trust anchors (it asked for the lab root in CERTREQ).')])

i, r = cert_pair(r_cacerts=['root-a'])
scen('ikev2-missing-intermediate', 'IKEv2, responder sends only its leaf certificate (it has no '
     'copy of its issuing intermediate CA) and the initiator lacks that intermediate too; '
     'initiator fails',
     'failed', i, r,
     [('init', r'no issuer certificate found for'),
      ('init', r'no trusted .* public key found')],
     [AUTH_FAILED_BY_I, ('chain.missing_intermediate', 'error', W_CHAIN_POLICY,
       'The responder certificate is issued by "ikescope Lab Server Intermediate CA", which is neither '
       'in the IKE_AUTH response nor in the initiator\'s store; the chain cannot be built to the '
       'trusted root.')],
     notes='The responder loads only the root CA, not the server intermediate (int-a) that '
           'issued its own certificate, so it can only send its end-entity certificate; the '
           'initiator trusts the root and the client intermediate, not int-a. The responder '
           'itself validates the initiator fine (moon sends int-b).')

i, r = cert_pair(rcert='sun-expired')
scen('ikev2-expired-cert', 'IKEv2, responder certificate expired on 2025-01-01; initiator fails',
     'failed', i, r, [('init', r'certificate (was not valid|invalid)|not valid|expired')],
     [AUTH_FAILED_BY_I, ('cert.expired', 'error', W_AUTH_FAIL,
       'Responder end-entity certificate validity 2024-01-02 .. 2025-01-01 ended before the '
       'capture time.')])

i, r = cert_pair(rcert='sun-notyet')
scen('ikev2-not-yet-valid', 'IKEv2, responder certificate valid only from 2040-01-01; initiator fails',
     'failed', i, r, [('init', r'certificate (was not valid|invalid)|not valid|not yet')],
     [AUTH_FAILED_BY_I, ('cert.not_yet_valid', 'error', W_AUTH_FAIL,
       'Responder end-entity certificate notBefore 2040-01-01 is after the capture time.')])

i, r = cert_pair(rcert='sun-revoked', i_crl=['sun-revoked'])
scen('ikev2-revoked', 'IKEv2, responder certificate revoked in a CRL loaded on the initiator; '
     'initiator fails', 'failed', i, r, [('init', r'revoked')],
     [AUTH_FAILED_BY_I, ('cert.revoked', 'error', W_AUTH_FAIL,
       'Responder certificate serial is listed (reason keyCompromise) in the server '
       'intermediate CA\'s CRL (crl-server-intermediate.pem).')],
     notes='The CRL is signed freshly on every run (valid 30 days) by the lab intermediate; '
           'ikescope needs it as extra input (it is not in the capture).')

i, r = cert_pair(rcert='sun-clientauth')
scen('ikev2-wrong-eku', 'IKEv2, responder certificate has only the clientAuth EKU; strongSwan '
     'accepts it (it does not check EKUs), Windows would reject it', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R,
     [('cert.eku_mismatch', 'info', W_AUTH_FAIL,
       'Responder certificate EKU is clientAuth only: no serverAuth (1.3.6.1.5.5.7.3.1) and no '
       'IKE Intermediate (1.3.6.1.5.5.8.2.2). strongSwan accepted it; a Windows client rejects '
       'such a server certificate (13801 per Microsoft\'s Always On VPN troubleshooting; the '
       'chain-policy code 13887 ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH is the closer name).')],
     notes='Ground truth: strongSwan 5.9.8 does not enforce extended key usage for IKE peers, so '
           'this connection is established. The finding is a portability warning.')

i, r = cert_pair(rcert='sun-crlsign-ku')
scen('ikev2-bad-keyusage', 'IKEv2, responder certificate keyUsage is cRLSign only (no '
     'digitalSignature); the initiator rejects its AUTH signature', 'failed', i, r,
     [('init', r'rejecting certificate without digitalSignature'),
      ('init', r'signature validation failed')],
     [AUTH_FAILED_BY_I, ('cert.key_usage', 'error', W_KEY_USAGE,
       'Responder certificate has a critical keyUsage of cRLSign only, without '
       'digitalSignature, yet it is used to sign the IKE AUTH payload.')],
     quote=[('resp', r'received AUTHENTICATION_FAILED|AUTH_FAILED')],
     notes='Ground truth: strongSwan 5.9.8 enforces keyUsage (unlike EKU): the initiator logs '
           '"rejecting certificate without digitalSignature or nonRepudiation keyUsage flags" and '
           'sends an INFORMATIONAL with AUTHENTICATION_FAILED. The responder had already '
           'installed its CHILD SA.')

i, r = cert_pair(i_remote_id='vpn.' + DOM)
scen('ikev2-id-mismatch', 'IKEv2, initiator requests IDr vpn.lab.ikescope.test but the responder '
     'is sun.lab.ikescope.test (certificate has no such name); fails',
     'failed', i, r, [('resp', r'no matching peer config found|looking for peer configs'),
                      ('init', r'received AUTHENTICATION_FAILED')],
     [AUTH_FAILED_BY_R, ('id.mismatch', 'error', W_AUTH_FAIL,
       'IDr sent by the initiator (FQDN vpn.lab.ikescope.test) matches neither the responder\'s '
       'configured identity nor any subjectAltName of its certificate.')])

i, r = psk_pair('aes256-sha256-modp2048', 'aes256-sha256', rsecret='a-different-secret-987654321')
scen('ikev2-psk-mismatch', 'IKEv2, pre-shared keys differ; responder rejects the initiator AUTH',
     'failed', i, r,
     [('resp', r'tried \d+ shared key.* but MAC mismatched'),
      ('init', r'received AUTHENTICATION_FAILED')],
     [AUTH_FAILED_BY_R, ('psk.mismatch', 'error', W_AUTH_FAIL,
       'The responder could not verify the initiator\'s PSK AUTH payload and answered '
       'AUTHENTICATION_FAILED. With the logged SK_pi the AUTH value can be recomputed: it does '
       'not match the responder\'s secret.')])

i, r = psk_pair('aes128-sha1-modp2048', 'aes128-sha1')
r['proposals'], r['esp'] = 'aes256gcm16-prfsha384-ecp384', 'aes256gcm16'
scen('ikev2-no-proposal', 'IKEv2, IKE proposals have nothing in common; responder answers '
     'NO_PROPOSAL_CHOSEN', 'failed', i, r,
     [('resp', r'received proposals unacceptable'),
      ('init', r'received NO_PROPOSAL_CHOSEN')],
     [('proposal.no_common', 'error', W_POLICY_MATCH,
       'Initiator offered AES-CBC-128/HMAC-SHA1/MODP-2048 only; responder accepts only '
       'AES-GCM-256/PRF-SHA384/ECP-384.')],
     quote=[('resp', r'configured proposals')])

i, r = cert_pair(proposals='aes256-sha256-ecp256-modp2048', r_proposals='aes256-sha256-modp2048')
scen('ikev2-invalid-ke', 'IKEv2, initiator guesses ECP-256 for its first KE, responder insists on '
     'MODP-2048 (INVALID_KE_PAYLOAD), initiator retries; success', 'established', i, r,
     [('init', r"didn't accept DH group|INVALID_KE_PAYLOAD"),
      ('resp', r'DH group \S+ unacceptable, requesting'),
      ('init', r'IKE_SA lab\[\d+\] established between')] + ESTABLISHED_R,
     [('ke.invalid_group_retry', 'info', None,
       'First IKE_SA_INIT rejected with INVALID_KE_PAYLOAD (accepted group MODP-2048); the '
       'initiator retried with the requested group, costing one round trip.'),
      ('sa.established', 'info', None, 'Established after the retry.')])

i, r = cert_pair()
scen('ikev2-no-response', 'IKEv2, no IKE daemon on the responder host; initiator retransmits '
     'IKE_SA_INIT and gives up (ICMP port unreachable in the capture)', 'incomplete', i, None,
     [('init', r'retransmit \d+ of request'), ('init', r'giving up after \d+ retransmits')],
     [('peer.no_response', 'error', W_TIMED_OUT,
       'IKE_SA_INIT was sent 3 times without any IKE answer; the host answered with ICMP port '
       'unreachable (Windows RAS shows 809).')],
     run_for=0.5, initiate_timeout=30)
S[-1]['init']['strongswan'] = {'retransmit_tries': '2', 'retransmit_timeout': '1',
                               'retransmit_base': '1.5'}

i, r = cert_pair('moon-rsa4096', 'sun-rsa4096', fragmentation='no')
i['strongswan'] = {'retransmit_tries': '2', 'retransmit_timeout': '1', 'retransmit_base': '1.5'}
scen('ikev2-frag-dropped', 'IKEv2, big RSA-4096 IKE_AUTH without IKE fragmentation; a router on '
     'the path drops IP fragments, IKE_AUTH is retransmitted into silence', 'incomplete', i, r,
     [('init', r'retransmit \d+ of request with message ID 1'),
      ('init', r'giving up after \d+ retransmits')],
     [('path.fragments_lost', 'error', W_TIMED_OUT,
       'IKE_SA_INIT completed, then the IP-fragmented IKE_AUTH request got no answer and was '
       'retransmitted until the initiator gave up; IKE fragmentation (RFC 7383) was not '
       'negotiated. Classic cause: a middlebox dropping fragments (Windows RAS shows 809).'),
      ('peer.no_response', 'error', W_TIMED_OUT, 'No IKE_AUTH response.')],
     topo='dropfrag', run_for=0.5, initiate_timeout=30,
     notes='Topology: moon 198.51.100.1 -- router (nftables drops every IPv4 fragment in a '
           'prerouting chain at priority -450, before defragmentation) -- sun 203.0.113.2. '
           'Captured on the initiator\'s link.')

# ---------------------------------------------------------------- 4. transport & exchanges
i, r = cert_pair('moon-rsa4096', 'sun-rsa4096')
for x in (i, r):
    x['strongswan'] = {'fragment_size': '576'}
scen('ikev2-ikefrag', 'IKEv2, RSA-4096 certificates, IKE_AUTH split into RFC 7383 fragments '
     '(fragment_size 576); success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R + [('init', r'splitting IKE message \(\d+ bytes\) into \d+ fragments')],
     [('ike.fragmented', 'info', None, 'IKE_AUTH messages were sent as IKEv2 fragments (SKF) '
       'and reassembled.'), ('sa.established', 'info', None, 'Established.')])

i, r = cert_pair('moon-rsa4096', 'sun-rsa4096', fragmentation='no')
scen('ikev2-ipfrag', 'IKEv2, RSA-4096 certificates, IKE fragmentation disabled: IKE_AUTH travels '
     'as IP fragments; success', 'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('ip.fragmented', 'info', None, 'IKE_AUTH messages exceeded the MTU and were IP-fragmented '
       '(works here, fragile across NAT/firewalls).'), ('sa.established', 'info', None,
                                                        'Established.')])

i, r = cert_pair()
r['remote_addrs'] = '%any'
scen('ikev2-natt', 'IKEv2 through a NAT router (masquerade): NAT detected, IKE_AUTH moves from '
     'UDP 500 to UDP 4500 with the non-ESP marker; success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R + [('init', r'local host is behind NAT')],
     [('nat.detected', 'info', None, 'NAT_DETECTION_SOURCE_IP does not match the address seen by '
       'the responder: the initiator is behind NAT; the exchange floated to port 4500.'),
      ('sa.established', 'info', None, 'Established.')],
     topo='nat', capture_at='resp',
     notes='Topology: moon 198.51.100.1 -- router (nftables masquerade, 203.0.113.254) -- sun '
           '203.0.113.2. Captured on the responder\'s link (after NAT).')

i, r = cert_pair()
scen('ikev2-ipv6', 'IKEv2 over IPv6 (2001:db8::/32 documentation prefix), RSA certificates; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established over IPv6.')], topo='direct6')

i, r = cert_pair(i_rekey_time='9s', i_over_time='30s', i_child_rekey_time='4s',
                 i_child_life_time='30s')
scen('ikev2-rekey', 'IKEv2, IKE SA rekeyed after 9 s and CHILD SA every 4 s by the initiator '
     '(CREATE_CHILD_SA); capture ~14 s', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R + [('init', r'IKE_SA lab\[\d+\] rekeyed between'),
                                      ('resp', r'IKE_SA lab\[\d+\] rekeyed between'),
                                      ('init', r'CHILD_SA lab\{[2-9]\} established')],
     [('sa.rekeyed', 'info', None, 'CHILD SA and IKE SA rekeyed with CREATE_CHILD_SA; the new '
       'IKE SA has new SPIs and keys (second row of ikev2_decryption_table).'),
      ('sa.established', 'info', None, 'Established.')],
     run_for=14, quote=[('init', r'rekeying CHILD_SA|CHILD_SA .*rekey')])

i = side(auth='eap-mschapv2', id='carol@' + DOM, eap_id='carol', remote_id=SUN, cacerts=['root-a'],
         remote_auth='pubkey', eap_secrets={'carol': 'Carol-Lab-Passw0rd'})
r = side(cert='sun-rsa2048', id=SUN, remote_id='%any', remote_auth='eap-mschapv2',
         remote_eap_id='%any', eap_secrets={'carol': 'Carol-Lab-Passw0rd'})
scen('ikev2-eap-mschapv2', 'IKEv2, EAP-MSCHAPv2 client (as Windows uses) against a responder '
     'authenticating with an RSA certificate; success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R + [('resp', r'EAP method EAP_MSCHAPV2 succeeded')],
     [('sa.established', 'info', None, 'Established; client authenticated by EAP-MSCHAPv2, '
       'server by certificate.')],
     quote=[('init', r'authentication of .* with RSA.* successful'),
            ('init', r'EAP_MSCHAPV2|EAP method')])

i, r = cert_pair(version=1)
scen('ikev1-main-cert', 'IKEv1 Main Mode with RSA certificates + Quick Mode, '
     'AES-CBC-256/SHA2-256/MODP-2048; success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'ISAKMP SA and IPsec SA established.')])

i, r = psk_pair('aes128-sha1-modp2048', 'aes128-sha1', version=1)
scen('ikev1-main-psk', 'IKEv1 Main Mode with PSK + Quick Mode, AES-CBC-128/SHA1/MODP-2048; success, '
     'then the initiator deletes the SAs (encrypted INFORMATIONAL exchanges)',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'ISAKMP SA and IPsec SA established, then deleted by the '
       'initiator with Delete payloads in encrypted INFORMATIONAL messages.')],
     terminate=True)

i, r = psk_pair('aes256-sha256-modp2048', 'aes256-sha256', version=1, aggressive=True)
for x in (i, r):
    x['strongswan'] = {'i_dont_care_about_security_and_use_aggressive_mode_psk': 'yes'}
scen('ikev1-aggressive-psk', 'IKEv1 Aggressive Mode with PSK + Quick Mode; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established.'),
      ('ikev1.aggressive_psk', 'warning', None, 'Aggressive Mode with PSK exposes the identity '
       'in clear and an offline-crackable PSK hash.')])

# ---------------------------------------------------------------- 5. libreswan interop
LSW_NOTE = ('The responder is libreswan 4.10 (Debian 12 package, unpacked, not installed: it '
            'conflicts with strongSwan) running pluto with `plutodebug=all,private`; its log is '
            '`pluto-responder.log` and the tcpdump `-E` style key lines it prints are in '
            '`tcpdump-secrets.txt`. This kernel has no XFRM and libreswan has no userspace '
            'IPsec, so pluto cannot install the CHILD SA ("netlink response for Add SA ...: '
            'Protocol not supported") and answers the CHILD SA part with an error notify: the '
            'IKE SA itself is established on both sides. That notify is a lab artefact, but it '
            'is exactly what a peer with a broken kernel IPsec stack sends.')
LSW_TS = ('ts.unacceptable', 'error', None,
          'The IKE_AUTH response carries N(TS_UNACCEPTABLE) instead of SA/TSi/TSr: no CHILD SA. '
          'Here the real cause is the responder\'s kernel (see the pluto log), not the selectors.')
i, _ = cert_pair(i_cacerts=['root-a', 'int-b', 'int-a'])
r = side(daemon='libreswan', cert='sun-rsa2048', id=SUN, remote_id=MOON, remote_auth='pubkey',
         cacerts=['root-a', 'int-a'], pluto_ike='aes256-sha2_256;modp2048',
         pluto_esp='aes256-sha2_256')
scen('ikev2-cert-libreswan', 'IKEv2, strongSwan initiator against a libreswan 4.10 responder, '
     'RSA-2048 certificates, AES-CBC-256/SHA2-256/MODP-2048; IKE SA established, CHILD SA '
     'refused (TS_UNACCEPTABLE: libreswan cannot install it without XFRM)', 'established', i, r,
     [('init', r'IKE_SA lab\[\d+\] established between'),
      ('init', r'received TS_UNACCEPTABLE notify'),
      ('resp', r'responder established IKE SA'),
      ('resp', r'netlink response for Add SA .*Protocol not supported')],
     [LSW_TS], notes=LSW_NOTE + ' libreswan sends only its end-entity certificate (no '
     'intermediate), so the initiator here also holds the server intermediate. libreswan '
     'fragments its IKE_AUTH response itself (RFC 7383).')

LSW1_NOTE = (
    'The responder is libreswan 4.10 (Debian 12 package, unpacked, not installed: it conflicts '
    'with strongSwan) running pluto with `plutodebug=all,private`; its log is '
    '`pluto-responder.log`. Main Mode completes: both sides authenticate with RSA signatures '
    '(strongSwan sends its certificate and the client intermediate in MM5, as IKEv1 '
    'fragments; libreswan sends only its end-entity certificate in MM6) and log the ISAKMP SA '
    'as established. Then the Quick Mode fails for a lab reason: this kernel has no XFRM and '
    'libreswan has no userspace IPsec, so pluto cannot install the inbound IPsec SA ("netlink '
    'response for Add SA ...: Protocol not supported", "setup_half_ipsec_sa() hit fail", '
    '"state transition function for STATE_QUICK_R0 had internal error") and drops the exchange '
    'without a notify or a DELETE: strongSwan retransmits the Quick Mode request (QM1) into '
    'silence, in the same ISAKMP SA. **Deterministic cut-off**: the lab stops the capture '
    '0.5 s after the initiator logs its second retransmission of QM1 and then SIGKILLs both '
    'daemons, so the capture ends with QM1 sent three times (at 0, 1 and 2.5 s) and no answer. '
    'Left running, strongSwan would give up after the third retransmission (~8 s), destroy the '
    'ISAKMP SA without a DELETE and start a new Main Mode (the Quick Mode task is still '
    'pending), every ~8 s. '
    'Two configuration details make this interop work at all: (1) strongSwan sends its '
    'certificate only when asked (`send_cert = ifasked`), and libreswan sends no CERTREQ with '
    '`rightca=%any`, so the initiator uses `send_cert = always` (without it pluto logs "no '
    'certificate matched RSA with SHA1" and answers INVALID_KEY_INFORMATION); (2) with '
    '`rekey_time = 0` and `reauth_time = 0` strongSwan proposes an ISAKMP SA Life-Duration of '
    '0 seconds, which libreswan accepts and expires at once ("IKE SA expired"), replacing and '
    're-initiating in a storm of ~120 messages per second, so the initiator sets '
    '`reauth_time = 1h` (Life-Duration 3600 s). The ESP proposal includes MODP-2048 because '
    'libreswan requires PFS by default (without it: "we require PFS but Quick I1 SA specifies '
    'no GROUP_DESCRIPTION" and N(NO_PROPOSAL_CHOSEN)). Vendor IDs: strongSwan sends XAUTH, '
    'RFC 3706 DPD, FRAGMENTATION, RFC 3947 NAT-T and `draft-ietf-ipsec-nat-t-ike-02\\n`; libreswan '
    'answers FRAGMENTATION, DPD and RFC 3947 NAT-T. Neither sends its own product vendor ID '
    '(both are off by default), so the implementations are not named on the wire. Wireshark 4.0 '
    'decrypts MM5, MM6 and the first QM1 with `ikev1_decryption_table` but shows the two '
    'byte-identical QM1 retransmissions as malformed: it chains the CBC IV from the previous '
    'packet of the same message ID, which is wrong for a retransmission.')
i, _ = cert_pair(version=1, i_cacerts=['root-a', 'int-b', 'int-a'], esp='aes256-sha256-modp2048',
                 send_cert='always', reauth_time='1h')
r = side(daemon='libreswan', version=1, cert='sun-rsa2048', id=SUN, remote_id=MOON,
         remote_auth='pubkey', cacerts=['root-a', 'int-a'], pluto_ike='aes256-sha2_256;modp2048',
         pluto_esp='aes256-sha2_256;modp2048')
QM_RETRANSMIT_2 = r'sending retransmit 2 of request message ID [1-9]'
scen('ikev1-main-libreswan', 'IKEv1 Main Mode, strongSwan initiator against a libreswan 4.10 '
     'responder, RSA-2048 certificates, AES-CBC-256/SHA2-256/MODP-2048; ISAKMP SA established, '
     'Quick Mode unanswered (libreswan cannot install the IPsec SA without XFRM)',
     'established', i, r,
     [('init', r'sending end entity cert'), ('init', r'sending issuer cert'),
      ('init', r'splitting IKE message \(\d+ bytes\) into \d+ fragments'),
      ('init', r'authentication of .sun\.lab\.ikescope\.test. with RSA\S* successful'),
      ('init', r'IKE_SA lab\[\d+\] established between'),
      ('resp', r'authenticated peer .* signature using peer certificate'),
      ('resp', r'IKE SA established \{auth=RSA_SIG'),
      ('init', r'generating QUICK_MODE request \d+ \[ HASH SA No KE ID ID \]'),
      ('resp', r'netlink response for Add SA .*Protocol not supported'),
      ('resp', r'STATE_QUICK_R0 had internal error'),
      ('init', QM_RETRANSMIT_2)],
     [('peer.no_response', 'error', W_TIMED_OUT,
       'Main Mode completed (the responder answered MM2, MM4 and MM6), then the Quick Mode '
       'request (QM1, encrypted) was sent 3 times without any answer: no IPsec SA. The responder '
       'is alive, so the silence is the responder\'s own failure; here (see pluto-responder.log) '
       'its kernel could not install the IPsec SA and pluto dropped the exchange without a '
       'notify.')],
     notes=LSW1_NOTE, stop_after=('init', QM_RETRANSMIT_2, 0.5), initiate_timeout=30)

LSW_TCP_NOTE = (
    'Both peers are libreswan 4.10 pluto (Debian 12 package, unpacked, not installed: it '
    'conflicts with strongSwan), each in its own namespace, `plutodebug=all,private`: no '
    'strongSwan takes part. The initiator is started with `whack --initiate --name lab`; '
    '`enable-tcp=yes` makes it open TCP to port 4500 at once (no UDP attempt), the responder '
    'accepts with `listen-tcp=yes`. IKE over TCP needs the kernel\'s `espintcp` TCP upper '
    'layer protocol: pluto writes the non-ESP marker and the IKE message and leaves the '
    'RFC 8229 2-octet length to the kernel, on send and on receive. The lab kernel has no '
    'ESP (no `CONFIG_INET_ESP`, so no `espintcp`), the `setsockopt(TCP_ULP, "espintcp")` '
    'fails and pluto closes the socket. pluto\'s impairment `tcp-skip-setsockopt-espintcp` '
    'is no way around it: it skips the setsockopt, and with it the framing, so the stream '
    'carries `IKETCP` and then marker + message with **no length field** (not RFC 8229; '
    'ikescope rightly frames nothing in such a capture). Instead both plutos run with '
    '`tests/lab/ikelab/espintcp_shim.c` preloaded (`LD_PRELOAD`), which makes that '
    'setsockopt succeed and does what the kernel would for IKE messages: each write becomes '
    'one record `[length = n + 2][n bytes]`, each read returns one record without its '
    'length. Each log says so once (`espintcp-shim: socket N: TCP_ULP "espintcp" emulated '
    'in userspace`). So the TCP stream is RFC 8229: `IKETCP` (6 octets, once, from the '
    'initiator), then one length-framed record per IKE message, each starting with the '
    '4-octet non-ESP marker. Each side sends its RSA-4096 certificate and the intermediate '
    'that issued it (`sendca=issuer`; each NSS trusts only the lab root), so each IKE_AUTH '
    'record is about 3.1 KB and travels in three TCP segments (MSS 1448; the lab sets '
    '`gso_max_segs 1` on the veths so the capture shows wire-sized segments, not one GSO '
    'super-packet); libreswan does not use IKE fragmentation over TCP. The IKE SA is '
    'established on both sides; then the responder cannot install the CHILD SA ("netlink '
    'response for Add SA ...: Protocol not supported (errno 93)": no ESP in the kernel) and '
    'answers the CHILD SA part of IKE_AUTH with N(TS_UNACCEPTABLE); the initiator logs "IKE_AUTH '
    'response rejected Child SA with TS_UNACCEPTABLE" and keeps the IKE SA. Nothing else is '
    'sent before the capture stops (then both daemons are SIGKILLed, so there is no FIN or '
    'RST in the capture). Both pluto logs print the tcpdump `-E` key lines of the one IKE SA '
    '(`tcpdump-secrets.txt`); the Wireshark table is converted from them. **Wireshark 4.0 '
    'cannot dissect IKE over TCP**: it has no RFC 8229 dissector and by default shows the '
    'segments as plain TCP. Its `tcpencap` dissector (`-d tcp.port==4500,tcpencap`) is '
    'Cisco\'s proprietary IPsec-over-TCP (port 10000, a 16-octet trailer): it shows every '
    'segment as ESP, the length field and half the marker taken for the SPI (0x01cc0000 '
    'for the 460-octet IKE_SA_INIT record), without reassembly. `isakmp` on a TCP port '
    '(`-d tcp.port==4500,isakmp`; its default TCP port is 500) reads each segment as a bare '
    'ISAKMP message: the length field and marker become the start of the initiator SPI '
    '(`01cc00000000...`) and most frames are Malformed. So tshark finds no `isakmp` frame '
    'here, and the identities and keys below were checked by the lab\'s own RFC 8229 parser '
    'and key check.')
LSW_TCP_SIDE = dict(daemon='libreswan', remote_auth='pubkey', cacerts=['root-a'],
                    pluto_ike='aes256-sha2_256;modp2048', pluto_esp='aes256-sha2_256',
                    pluto_tcp=True, pluto_sendca='issuer')
i = side(cert='moon-rsa4096', id=MOON, remote_id=SUN, intermediates=['int-b'], **LSW_TCP_SIDE)
r = side(cert='sun-rsa4096', id=SUN, remote_id=MOON, intermediates=['int-a'], **LSW_TCP_SIDE)
scen('ikev2-tcp-libreswan', 'IKEv2 over TCP (RFC 8229), libreswan 4.10 on both sides, RSA-4096 '
     'certificates plus their intermediates: each IKE_AUTH spans three TCP segments; IKE SA '
     'established, CHILD SA refused (TS_UNACCEPTABLE: no ESP in the lab kernel)',
     'established', i, r,
     [('init', r'espintcp-shim: socket \d+: TCP_ULP "espintcp" emulated'),
      ('resp', r'espintcp-shim: socket \d+: TCP_ULP "espintcp" emulated'),
      ('init', r'"lab" #1: sent IKE_SA_INIT request to 192\.0\.2\.2:4500'),
      ('resp', r'IKETCP ACCEPTED: socket \d+: accepted connection'),
      ('init', r'initiator established IKE SA; authenticated peer .* using peer certificate '
               r"'@sun\.lab\.ikescope\.test'"),
      ('resp', r'responder established IKE SA; authenticated peer .* using peer certificate '
               r"'@moon\.lab\.ikescope\.test'"),
      ('resp', r'netlink response for Add SA .*Protocol not supported'),
      ('init', r'IKE_AUTH response rejected Child SA with TS_UNACCEPTABLE')],
     [('ts.unacceptable', 'error', None,
       'The IKE_AUTH response (over TCP, decrypted) carries N(TS_UNACCEPTABLE) instead of '
       'SA/TSi/TSr: no CHILD SA. Here the real cause is the responder\'s kernel (no ESP, see '
       'the pluto log), not the selectors.')],
     quote=[('init', r'sent IKE_AUTH request'),
            ('resp', r'IKETCP ACCEPTED: socket \d+: accepted connection')],
     notes=LSW_TCP_NOTE)


# ---------------------------------------------------------------- 5. signatures and policy
i, r = cert_pair(auth='rsa/pss-sha256')
scen('ikev2-rsa-pss', 'IKEv2, RSA-2048 certificates, both AUTH signatures RSASSA-PSS with SHA-256 '
     '(RFC 7427, local auth = rsa/pss-sha256); success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established with RSA-PSS signatures (RFC 7427).')],
     quote=[('init', r'authentication of .* with RSA_EMSA_PSS.* successful'),
            ('resp', r'authentication of .* with RSA_EMSA_PSS.* successful')])

i, r = cert_pair(r_strongswan={'signature_authentication': 'no'}, i_remote_auth='pubkey-sha256')
scen('ikev2-sha1-refused', 'IKEv2, the responder signs its AUTH with RSA SHA-1 (method 1: '
     'signature_authentication = no turns RFC 7427 off) and the initiator requires SHA-256 (remote '
     'auth = pubkey-sha256); initiator fails', 'failed', i, r,
     [('init', r'constraint check failed|signature scheme .* not acceptable|no trusted .* public key')],
     [AUTH_FAILED_BY_I, ('auth.sha1_refused', 'error', '13838 ERROR_IPSEC_IKE_PROCESS_ERR_SIG',
       'The responder\'s SHA-1 signature verifies, yet the initiator refused it: its policy requires '
       'SHA-256 (strongSwan: "constraint check failed").')],
     notes='The SHA-1 policy a Windows peer enforces (13838), reproduced with strongSwan\'s '
           'signature-scheme constraint.')

i, r = cert_pair(rcert='sun-ipsan', r_id='192.0.2.2', i_remote_id='192.0.2.2')
scen('ikev2-ip-identity', 'IKEv2, the responder is known by its address: IDr IPV4_ADDR 192.0.2.2 and '
     'a certificate whose only subjectAltName is iPAddress 192.0.2.2; strongSwan accepts it, a '
     'Windows client would not', 'established', i, r, ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established: strongSwan matches the IP identity against the '
       'iPAddress SAN. With --peer-profile initiator=windows ikescope reports cert.windows_name.')])

i, r = cert_pair(rcert='sun-fresh', i_cacerts=['root-a', 'int-b', 'fresh-root'])
scen('ikev2-fresh-ca', 'IKEv2, the responder certificate and its root CA were issued two seconds '
     'before the run (as automated PKIs do); success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R,
     [('sa.established', 'info', None, 'Established: a chain valid from a few seconds before the '
       'negotiation is valid.')],
     fresh_pki=True,
     notes='ca-fresh-root.pem and the responder certificate are issued anew by every run '
           '(pki.fresh), so their notBefore lies seconds before the capture.')

i, r = cert_pair(rcert='sun-cdp')
scen('ikev2-crl-fetched', 'IKEv2, the responder certificate names a CRL distribution point that the '
     'responder\'s host serves over HTTP; the initiator fetches the CRL during IKE_AUTH; success',
     'established', i, r, ESTABLISHED_I + ESTABLISHED_R + [('init', r'fetching crl from')],
     [('revocation.fetched', 'info', None, 'The initiator fetched the CRL from '
       'http://192.0.2.2:8080/int-a.crl (HTTP 200), visible in the capture.')],
     http_crl=True, quote=[('init', r'crl correctly signed|certificate status is good')])

i, r = cert_pair(rcert='sun-cdp-refused')
scen('ikev2-crl-refused', 'IKEv2, the responder certificate names a CRL distribution point whose '
     'port refuses connections; the initiator cannot fetch it and goes on (relaxed revocation '
     'policy); success', 'established', i, r,
     ESTABLISHED_I + ESTABLISHED_R + [('init', r'fetching crl from')],
     [('revocation.unreachable', 'warning', '13817 ERROR_IPSEC_IKE_CRL_FAILED',
       'The CRL distribution point http://192.0.2.2:8081/int-a.crl refused the connection (TCP '
       'reset in the capture); a peer that checks revocation strictly rejects the certificate.')],
     quote=[('init', r'crl fetching failed|certificate status is not available')])

i, r = cert_pair(version=1, r_send_cert='never')
scen('ikev1-no-peer-cert', 'IKEv1 Main Mode, responder configured with send_cert = never: its '
     'message 6 carries no CERT, the initiator has no copy of it; initiator fails', 'failed', i, r,
     [('init', r'no trusted .* public key found for .*sun\.lab\.ikescope\.test')],
     [('auth.failed', 'error', W_AUTH_FAIL,
       'Instead of Quick Mode the initiator deleted the ISAKMP SA right after message 6 (encrypted '
       'INFORMATIONAL with a Delete): it refused the responder.'),
      ('auth.no_peer_cert', 'error', W_NO_PEER_CERT,
       'Main Mode message 6 (ID, SIG) carries no CERT although the initiator sent CR; the '
       'initiator holds no certificate for the responder identity.')],
     notes='Without keys the shape shows it: message 6 is far shorter than message 5, which '
           'carries the initiator\'s certificate.')

i, r = cert_pair(icert='moon-rootb')
scen('ikev2-initiator-untrusted-root', 'IKEv2, initiator certificate issued by an unrelated root CA '
     'the responder does not trust; the responder refuses IKE_AUTH', 'failed', i, r,
     [('resp', r'no issuer certificate found|no trusted .* public key found')],
     [AUTH_FAILED_BY_R, ('chain.untrusted_root', 'error', W_CHAIN_POLICY,
       'The initiator certificate chains to "ikescope Unrelated Root CA", which the responder '
       'neither trusts nor asked for in CERTREQ (it asked for the lab root and its server '
       'intermediate).')],
     resp_cas=True,
     notes='The mirror of ikev2-untrusted-root: here the responder judges the initiator\'s chain. '
           'The responder sends its refusal before any certificate of its own, so the folder also '
           'holds the CA certificates the responder trusts (ca-server-intermediate.pem), which name '
           'the CAs of its CERTREQ.')

BY_NAME = {s['name']: s for s in S}
