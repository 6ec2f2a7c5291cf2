"""libreswan's pluto as a lab peer, without installing the libreswan package.

libreswan conflicts with strongSwan in Debian, so the lab unpacks the .deb
(`apt-get download libreswan; dpkg-deb -x`) into a cache directory and runs pluto
from there. pluto hard-codes /usr/libexec/ipsec (for addconn), so it runs in a
private mount namespace where a tmpfs over /usr/libexec gets a bind mount of the
unpacked programs, and a tmpfs over /run. Runtime libraries it needs beyond
strongSwan's: libldns3 libevent-pthreads-2.1-7 libnss3-tools (no conflicts).

IKE over TCP (RFC 8229) needs the kernel's "espintcp" TCP upper layer protocol,
which the lab kernel lacks (no CONFIG_INET_ESP): pluto then runs with
espintcp_shim.so preloaded, which does the RFC 8229 length framing in userspace
(see that file for why pluto's own impairment is no substitute).
"""

import glob
import os
import re
import shutil
import signal
import subprocess
import time

from lab import LabError, sh

CACHE = os.environ.get('IKESCOPE_LAB_LIBRESWAN', '/var/tmp/ikescope-lab-libreswan')
SHIM_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'espintcp_shim.c')


def ensure_unpacked(log=print):
    """Return the unpacked libexec/ipsec directory, fetching the .deb if needed."""
    execdir = os.path.join(CACHE, 'root', 'usr', 'libexec', 'ipsec')
    if not os.path.exists(os.path.join(execdir, 'pluto')):
        os.makedirs(CACHE, exist_ok=True)
        debs = glob.glob(os.path.join(CACHE, 'libreswan_*.deb'))
        if not debs:
            log('libreswan: apt-get download libreswan (not installed: it conflicts with strongSwan)')
            sh(['apt-get', 'download', 'libreswan'], timeout=180, check=True)
            for d in glob.glob('libreswan_*.deb'):
                shutil.move(d, CACHE)
            debs = glob.glob(os.path.join(CACHE, 'libreswan_*.deb'))
        if not debs:
            raise LabError('could not download libreswan')
        sh(['dpkg-deb', '-x', debs[0], os.path.join(CACHE, 'root')], timeout=60)
    # pluto's own libraries and NSS's certutil/pk12util, as the package declares them: they do
    # not conflict with strongSwan (only the libreswan package itself does). A fresh Debian
    # lacks some (libunbound8, libcurl3-nss); tools/bootstrap --test installs the usual ones.
    debs = glob.glob(os.path.join(CACHE, 'libreswan_*.deb'))
    declared = sh(['dpkg-deb', '-f', debs[0], 'Depends'], timeout=10, check=False).stdout if debs else ''
    deps = [alt.split('|')[0].split('(')[0].strip() for alt in declared.split(',')]
    deps = [p for p in deps if p.startswith('lib')] or ['libldns3', 'libevent-pthreads-2.1-7', 'libnss3-tools']
    absent = [p for p in deps if 'install ok installed' not in
              sh(['dpkg-query', '-W', '-f=${Status}', p], timeout=10, check=False).stdout]
    if absent:
        log('libreswan: apt-get install %s' % ' '.join(absent))
        sh(['apt-get', 'install', '-y', '-qq', '--no-install-recommends'] + absent, timeout=300,
           check=True)
    r = sh(['ldd', os.path.join(execdir, 'pluto')], timeout=10, check=False)
    missing = re.findall(r'(\S+) => not found', r.stdout)
    if missing:
        raise LabError('pluto needs %s: apt-get install %s' % (', '.join(missing), ' '.join(deps)))
    return execdir


def version():
    """The libreswan package version of the unpacked .deb, e.g. '4.10-2+deb12u1'."""
    debs = sorted(glob.glob(os.path.join(CACHE, 'libreswan_*.deb')))
    if not debs:
        return 'unknown'
    r = sh(['dpkg-deb', '-f', debs[0], 'Version'], timeout=10, check=False)
    return r.stdout.strip() or 'unknown'


def build_shim(outdir):
    """Compile espintcp_shim.c into outdir; return the .so path."""
    cc = shutil.which('cc') or shutil.which('gcc')
    if not cc:
        raise LabError('IKE over TCP needs a C compiler for espintcp_shim.c (apt-get install gcc)')
    so = os.path.join(outdir, 'espintcp_shim.so')
    if os.path.exists(so):
        return so
    sh([cc, '-shared', '-fPIC', '-O2', '-Wall', '-o', so, SHIM_SRC, '-ldl'], timeout=60)
    return so


class PlutoInstance:
    """One pluto daemon with its own NSS db, config, rundir and log."""

    def __init__(self, lab, role, ns):
        self.lab, self.role, self.ns = lab, role, ns
        self.dir = os.path.join(lab.work, role)
        self.nss = os.path.join(self.dir, 'nss')
        self.run = os.path.join(self.dir, 'run')
        for d in (self.nss, self.run):
            os.makedirs(d, exist_ok=True)
        self.conf = os.path.join(self.dir, 'ipsec.conf')
        self.secrets = os.path.join(self.dir, 'ipsec.secrets')
        self.log = os.path.join(self.dir, 'pluto.log')
        self.proc = None
        self.execdir = None

    def setup_nss(self, pki, cert, cacerts, intermediates=()):
        """cacerts are trust anchors; intermediates are only held (trust ',,'), so that
        `sendca=issuer` can send the one that issued our certificate."""
        self.execdir = ensure_unpacked()  # also installs certutil and pk12util
        sh(['certutil', '-N', '-d', 'sql:' + self.nss, '--empty-password'])
        for ca in cacerts:
            sh(['certutil', '-A', '-d', 'sql:' + self.nss, '-n', ca, '-t', 'CT,,', '-a',
                '-i', os.path.join(pki, ca + '.crt')])
        for ca in intermediates:
            sh(['certutil', '-A', '-d', 'sql:' + self.nss, '-n', ca, '-t', ',,', '-a',
                '-i', os.path.join(pki, ca + '.crt')])
        if cert:
            p12 = os.path.join(self.dir, cert + '.p12')
            sh(['openssl', 'pkcs12', '-export', '-passout', 'pass:lab', '-name', cert,
                '-inkey', os.path.join(pki, cert + '.key'), '-in', os.path.join(pki, cert + '.crt'),
                '-out', p12])
            sh(['pk12util', '-i', p12, '-d', 'sql:' + self.nss, '-W', 'lab'])

    def write(self, conn, secrets='', setup=()):
        """setup: extra `config setup` lines, e.g. 'listen-tcp=yes'."""
        with open(self.conf, 'w') as f:
            f.write('config setup\n\tplutodebug=all,private\n\tnssdir=%s\n\tipsecdir=%s\n'
                    '\tdumpdir=%s\n\tsecretsfile=%s\n\tlogtime=yes\n\tikev1-policy=accept\n' % (
                        self.nss, self.dir, self.run, self.secrets))
            for line in setup:
                f.write('\t%s\n' % line)
            f.write('\n')
            f.write(conn)
        with open(self.secrets, 'w') as f:
            f.write(secrets)
        os.chmod(self.secrets, 0o600)

    def start(self, preload=None):
        """preload: a shared object for LD_PRELOAD (the espintcp shim)."""
        self.execdir = ensure_unpacked()
        pluto = os.path.join(self.execdir, 'pluto')
        script = ('mount -t tmpfs lab-libexec /usr/libexec && mkdir /usr/libexec/ipsec && '
                  'mount --bind "$1" /usr/libexec/ipsec && mount -t tmpfs lab-run /run && '
                  'exec "$0" --nofork --stderrlog --config "$2" --rundir "$3"')
        cmd = ['ip', 'netns', 'exec', self.ns, 'unshare', '-m', '--propagation', 'private',
               'sh', '-c', script, pluto, self.execdir, self.conf, self.run]
        env = dict(os.environ)
        if preload:
            env['LD_PRELOAD'] = preload
        out = open(self.log, 'w')
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.lab.procs.append(self.proc)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise LabError('pluto exited rc=%s, see %s' % (self.proc.returncode, self.log))
            with open(self.log, errors='replace') as f:
                text = f.read()
            if re.search(r'added (IKEv[12] )?connection "lab"', text) or \
                    re.search(r'"lab": added', text):
                return
            time.sleep(0.2)
        raise LabError('pluto did not load connection "lab" (see %s)' % self.log)

    def initiate(self, timeout):
        """`whack --initiate` on conn lab. whack talks to pluto over <rundir>/pluto.ctl
        (a path, so no namespace is needed) and returns once IKE_AUTH is answered or
        given up; its output is pluto's progress lines (RC codes)."""
        whack = os.path.join(self.execdir, 'whack')
        return sh([whack, '--rundir', self.run, '--name', 'lab', '--initiate'],
                  timeout=timeout, check=False)

    def stop(self, graceful=False):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def secrets_lines(log):
    """tcpdump -E style lines that pluto prints under plutodebug=private (without '| ').
    libreswan 4.10 prints them for IKEv2 SAs only; IKEv1 keys stay inside NSS."""
    out = []
    rx = re.compile(r'\| (ikev[12] [IR] 0x[0-9a-f]+ 0x[0-9a-f]+ .*)$')
    with open(log, errors='replace') as f:
        for line in f:
            m = rx.search(line.rstrip('\n'))
            if m and m.group(1) not in out:
                out.append(m.group(1))
    return out


def conn_text(sd, local, remote, lts, rts):
    """ipsec.conf `conn lab` for a side dict (see scenarios.side); left is this side."""
    L = ['conn lab',
         '\tikev2=%s' % ('insist' if sd['version'] == 2 else 'no'),
         '\tleft=%s' % local, '\tright=%s' % remote,
         '\tleftid=@%s' % sd['id'], '\trightid=@%s' % sd['remote_id'],
         '\tleftsubnet=%s' % lts, '\trightsubnet=%s' % rts,
         '\tike=%s' % sd['pluto_ike'], '\tesp=%s' % sd['pluto_esp'],
         '\tauto=add']
    if sd['auth'] == 'psk':
        L.append('\tauthby=secret')
    else:
        L += ['\tauthby=rsasig', '\tleftcert=%s' % sd['cert'], '\tleftsendcert=always',
              '\trightca=%any']
        if sd.get('pluto_sendca'):
            L.append('\tsendca=%s' % sd['pluto_sendca'])
    if sd.get('pluto_tcp'):
        # RFC 8229 only, no UDP first; libreswan's default remote TCP port is 4500 too
        L += ['\tenable-tcp=yes', '\ttcp-remoteport=4500']
    return '\n'.join(L) + '\n'
