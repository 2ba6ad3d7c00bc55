import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throwaway PKI made with Debian's openssl for one test run: a CA, a server certificate for 127.0.0.1
 * (subjectAltName IP, RFC 6125 §6.2.1) and client certificates whose subject CN is a terminal id.
 * P-256 keys, valid for one day.
 */
export function makeTestPki(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const sign = (name: string, cn: string, ca: string, ext: string) => {
    key(name);
    ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  const selfSigned = (name: string, cn: string) => {
    key(name);
    ssl('req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-days', '1', '-out', `${name}.crt`);
  };
  const read = (file: string) => readFileSync(join(dir, file));
  selfSigned('ca', 'liftwatch test CA');
  sign('server', '127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  return {
    ca: read('ca.crt'),
    server: { key: read('server.key'), cert: read('server.crt') },
    /** A client certificate for `cn`, signed by this CA. */
    client(cn: string) {
      sign(`client-${cn}`, cn, 'ca', 'extendedKeyUsage=clientAuth\n');
      return { key: read(`client-${cn}.key`), cert: read(`client-${cn}.crt`) };
    },
    /** A client certificate for `cn` that no trusted CA signed. */
    forged(cn: string) {
      selfSigned(`forged-${cn}`, cn);
      return { key: read(`forged-${cn}.key`), cert: read(`forged-${cn}.crt`) };
    },
  };
}
