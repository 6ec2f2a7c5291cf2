"""Throw-away test PKI for the lab, generated with strongSwan's `pki` tool.

Everything lands in tests/lab/pki/ (committed; never reuse these keys).
Existing files are reused, so the corpus stays reproducible; delete a file to
regenerate it (and everything issued from it).
"""

import os
import subprocess

DATEFORM = '%Y-%m-%d %H:%M:%S'
DOMAIN = 'lab.ikescope.test'
WIN_EKU = ['serverAuth', 'ikeIntermediate']

# name: (keytype, size, issuer, subject CN/DN, sans, flags, not_before, not_after, is_ca)
CERTS = [
    ('root-a', 'rsa', 4096, None, 'C=XX, O=ikescope lab, CN=ikescope Lab Root CA', [], [],
     '2024-01-01 00:00:00', '2049-12-31 23:59:59', True),
    ('int-a', 'rsa', 2048, 'root-a', 'C=XX, O=ikescope lab, CN=ikescope Lab Server Intermediate CA', [], [],
     '2024-01-01 00:00:00', '2049-06-30 23:59:59', True),
    ('int-b', 'rsa', 2048, 'root-a', 'C=XX, O=ikescope lab, CN=ikescope Lab Client Intermediate CA',
     [], [], '2024-01-01 00:00:00', '2049-06-30 23:59:59', True),
    ('root-b', 'rsa', 2048, None, 'C=XX, O=ikescope other lab, CN=ikescope Unrelated Root CA', [], [],
     '2024-01-01 00:00:00', '2049-12-31 23:59:59', True),
]


def _leaf(name, ktype, size, host, issuer=None, flags=None, nb='2025-01-01 00:00:00',
          na='2045-12-31 23:59:59'):
    # servers (sun) from int-a, clients (moon) from int-b, like a real split PKI
    if issuer is None:
        issuer = 'int-b' if host == 'moon' else 'int-a'
    return (name, ktype, size, issuer,
            'C=XX, O=ikescope lab, CN=%s.%s' % (host, DOMAIN), ['%s.%s' % (host, DOMAIN)],
            WIN_EKU if flags is None else flags, nb, na, False)


CERTS += [
    _leaf('moon-rsa2048', 'rsa', 2048, 'moon'),
    _leaf('sun-rsa2048', 'rsa', 2048, 'sun'),
    _leaf('moon-rsa4096', 'rsa', 4096, 'moon'),
    _leaf('sun-rsa4096', 'rsa', 4096, 'sun'),
    _leaf('moon-p256', 'ecdsa', 256, 'moon'),
    _leaf('sun-p384', 'ecdsa', 384, 'sun'),
    _leaf('moon-ed25519', 'ed25519', 0, 'moon'),
    _leaf('sun-ed25519', 'ed25519', 0, 'sun'),
    # deliberately broken responder certificates
    _leaf('sun-expired', 'rsa', 2048, 'sun', nb='2024-01-02 00:00:00', na='2025-01-01 00:00:00'),
    _leaf('sun-notyet', 'rsa', 2048, 'sun', nb='2040-01-01 00:00:00', na='2045-12-31 23:59:59'),
    _leaf('sun-revoked', 'rsa', 2048, 'sun'),
    _leaf('sun-clientauth', 'rsa', 2048, 'sun', flags=['clientAuth']),
    _leaf('sun-crlsign-ku', 'rsa', 2048, 'sun', flags=['crlSign', 'serverAuth', 'ikeIntermediate']),
    _leaf('sun-rootb', 'rsa', 2048, 'sun', issuer='root-b'),
    _leaf('moon-rootb', 'rsa', 2048, 'moon', issuer='root-b'),
    # sun known by its address only: an iPAddress SAN and no dNSName (what Windows rejects)
    ('sun-ipsan', 'rsa', 2048, 'int-a', 'C=XX, O=ikescope lab, CN=sun by address', ['192.0.2.2'],
     WIN_EKU, '2025-01-01 00:00:00', '2045-12-31 23:59:59', False),
    # CRL distribution points: one the responder's namespace serves over HTTP, one refused
    _leaf('sun-cdp', 'rsa', 2048, 'sun'),
    _leaf('sun-cdp-refused', 'rsa', 2048, 'sun'),
]

# Extra `pki --issue` arguments per certificate.
EXTRA = {
    'sun-cdp': ['--crl', 'http://192.0.2.2:8080/int-a.crl'],
    'sun-cdp-refused': ['--crl', 'http://192.0.2.2:8081/int-a.crl'],
}

BY_NAME = {c[0]: c for c in CERTS}


def _run(cmd, stdin=None):
    r = subprocess.run(cmd, input=stdin, capture_output=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(cmd), r.stderr.decode(errors='replace')))
    return r.stdout


def ensure(pkidir, log=print):
    """Create whatever is missing; return the directory."""
    os.makedirs(pkidir, exist_ok=True)
    for (name, ktype, size, issuer, dn, sans, flags, nb, na, ca) in CERTS:
        key = os.path.join(pkidir, name + '.key')
        crt = os.path.join(pkidir, name + '.crt')
        if not os.path.exists(key):
            log('pki: generating %s key (%s %s)' % (name, ktype, size or ''))
            cmd = ['pki', '--gen', '--type', ktype, '--outform', 'pem']
            if size:
                cmd += ['--size', str(size)]
            with open(key, 'wb') as f:
                f.write(_run(cmd))
            if os.path.exists(crt):
                os.unlink(crt)
        if os.path.exists(crt):
            continue
        log('pki: issuing %s' % name)
        dates = ['--dateform', DATEFORM, '--not-before', nb, '--not-after', na]
        if issuer is None:
            out = _run(['pki', '--self', '--in', key, '--type', 'priv', '--dn', dn, '--ca',
                        '--outform', 'pem'] + dates)
        else:
            pub = _run(['pki', '--pub', '--in', key, '--type', 'priv'])
            cmd = ['pki', '--issue', '--cacert', os.path.join(pkidir, issuer + '.crt'),
                   '--cakey', os.path.join(pkidir, issuer + '.key'), '--type', 'pub',
                   '--dn', dn, '--outform', 'pem'] + dates
            for s in sans:
                cmd += ['--san', s]
            for fl in flags:
                cmd += ['--flag', fl]
            if ca:
                cmd += ['--ca', '--pathlen', '0']
            cmd += EXTRA.get(name, [])
            out = _run(cmd, stdin=pub)
        with open(crt, 'wb') as f:
            f.write(out)
    return pkidir


def fresh(outdir, seconds_before=2):
    """A root CA and a responder certificate issued `seconds_before` seconds before now, as
    automated PKIs and test labs do just before a negotiation: fresh-root.crt/.key and
    sun-fresh.crt/.key in `outdir` (made on every run, never committed as PKI)."""
    import datetime
    os.makedirs(outdir, exist_ok=True)
    now = datetime.datetime.utcnow().replace(microsecond=0)
    nb = (now - datetime.timedelta(seconds=seconds_before)).strftime(DATEFORM)
    na = (now + datetime.timedelta(days=365)).strftime(DATEFORM)
    dates = ['--dateform', DATEFORM, '--not-before', nb, '--not-after', na]
    for name in ('fresh-root', 'sun-fresh'):
        with open(os.path.join(outdir, name + '.key'), 'wb') as f:
            f.write(_run(['pki', '--gen', '--type', 'rsa', '--size', '2048', '--outform', 'pem']))
    root_key, root_crt = os.path.join(outdir, 'fresh-root.key'), os.path.join(outdir, 'fresh-root.crt')
    with open(root_crt, 'wb') as f:
        f.write(_run(['pki', '--self', '--in', root_key, '--type', 'priv', '--ca', '--outform', 'pem',
                      '--dn', 'C=XX, O=ikescope lab, CN=ikescope Fresh Root CA'] + dates))
    pub = _run(['pki', '--pub', '--in', os.path.join(outdir, 'sun-fresh.key'), '--type', 'priv'])
    with open(os.path.join(outdir, 'sun-fresh.crt'), 'wb') as f:
        f.write(_run(['pki', '--issue', '--cacert', root_crt, '--cakey', root_key, '--type', 'pub',
                      '--dn', 'C=XX, O=ikescope lab, CN=sun.%s' % DOMAIN, '--san', 'sun.%s' % DOMAIN,
                      '--flag', 'serverAuth', '--flag', 'ikeIntermediate', '--outform', 'pem'] + dates,
                     stdin=pub))
    return nb


def signcrl(pkidir, issuer, revoke, out_pem, outform='pem'):
    """CRL from `issuer` revoking the certificates named in `revoke` (fresh each run)."""
    cmd = ['pki', '--signcrl', '--cacert', os.path.join(pkidir, issuer + '.crt'),
           '--cakey', os.path.join(pkidir, issuer + '.key'), '--lifetime', '30',
           '--outform', outform]
    for r in revoke:
        cmd += ['--reason', 'key-compromise', '--cert', os.path.join(pkidir, r + '.crt')]
    with open(out_pem, 'wb') as f:
        f.write(_run(cmd))
