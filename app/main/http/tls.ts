/**
 * TLS for a LAN node: the admin's certificate and key (PEM files), or a self-signed certificate made here on first
 * start (ECDSA P-256, valid 825 days, for this machine's names and addresses), kept in `<data>/tls/` (the key
 * readable by this user only) and made again when it expires or no longer names the address served. Clients pin
 * its SHA-256 fingerprint, which `serve` prints. The certificate is written with Node's crypto and the small DER
 * writer below: no OpenSSL binary and no extra package at run time.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import { InvalidOptionError } from '../../common/errors.ts';

// ---- DER, as much as a certificate needs ----
const length = (n: number) => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
/**
 * A non-negative INTEGER from big-endian bytes, in DER's one encoding: leading zero bytes dropped (a random serial
 * starting 00 7f… made ~1 certificate in 170 that OpenSSL refused, "illegal padding"), and one zero put back where
 * the top bit would read as a minus sign.
 */
export function derInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && !(bytes[start + 1]! & 0x80)) start++;
  const value = bytes.subarray(start);
  return tlv(0x02, value[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const octets = (bytes: Buffer) => tlv(0x04, bytes);
const bits = (bytes: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), bytes);
const explicit = (n: number, ...parts: Buffer[]) => tlv(0xa0 + n, ...parts);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (let v of rest) {
    const enc = [v & 0x7f];
    while ((v >>= 7) > 0) enc.unshift((v & 0x7f) | 0x80);
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from([parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])));
}

const VALID_DAYS = 825;

/** A self-signed server certificate for these DNS names and IP addresses; PEM texts. */
export function selfSignedCertificate(names: readonly string[], ips: readonly string[], now = new Date()): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), utf8(`OCR Desk on ${names[0] ?? ips[0] ?? 'this machine'}`))), set(seq(oid('2.5.4.10'), utf8('OCR Desk (self-signed)'))));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const san = seq(...names.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))), ...ips.map((ip) => tlv(0x87, ipBytes(ip))));
  const extensions = seq(
    seq(oid('2.5.29.17'), octets(san)),
    seq(oid('2.5.29.19'), TRUE, octets(seq())),
    seq(oid('2.5.29.15'), TRUE, octets(bits(Buffer.from([0x80]), 7))),
    seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1')))),
  );
  const tbs = seq(
    explicit(0, derInteger(Buffer.from([2]))),
    derInteger(serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now.getTime() - 60_000)), time(new Date(now.getTime() + VALID_DAYS * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const der = seq(tbs, ecdsaSha256, bits(sign('sha256', tbs, privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
  return { cert: pem, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate, colon-separated hex: what clients pin. */
  readonly fingerprint: string;
  readonly selfSigned: boolean;
  /** Where the files are. */
  readonly certFile: string;
}

/** The admin's certificate, or this data folder's self-signed one (made or renewed as needed). */
export async function loadTls(o: { dataDir: string; listen: string; certFile?: string | undefined; keyFile?: string | undefined; now?: Date }): Promise<TlsMaterial> {
  if (o.certFile && o.keyFile) {
    let cert: string;
    let key: string;
    try {
      [cert, key] = await Promise.all([readFile(o.certFile, 'utf8'), readFile(o.keyFile, 'utf8')]);
    } catch (error) {
      throw new InvalidOptionError(`The TLS certificate or key cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check --tls-cert and --tls-key.`);
    }
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(cert);
    } catch {
      throw new InvalidOptionError(`${o.certFile} is not a PEM certificate (--tls-cert).`);
    }
    return { cert, key, fingerprint: x509.fingerprint256, selfSigned: false, certFile: o.certFile };
  }
  const dir = path.join(o.dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const now = o.now ?? new Date();
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const x509 = new X509Certificate(cert);
    const fresh = new Date(x509.validTo).getTime() - now.getTime() > 30 * 86_400_000;
    const covers = isIP(o.listen) ? x509.checkIP(o.listen) !== undefined || isWildcard(o.listen) : x509.checkHost(o.listen) !== undefined;
    if (fresh && covers) return { cert, key, fingerprint: x509.fingerprint256, selfSigned: true, certFile };
  } catch {
    // none yet, or unreadable: make one
  }
  const names = [...new Set(['localhost', hostname().toLowerCase(), ...(isIP(o.listen) ? [] : [o.listen])])].filter((n) => /^[a-z0-9.-]+$/i.test(n));
  // Listening on every address (0.0.0.0, ::): the certificate names each address this machine has now.
  const own = isWildcard(o.listen) ? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)).filter((a) => !a.includes('%')) : [];
  const ips = [...new Set(['127.0.0.1', '::1', ...own, ...(isIP(o.listen) && !isWildcard(o.listen) ? [o.listen] : [])])];
  const made = selfSignedCertificate(names, ips, now);
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, made.key, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  await writeFile(certFile, made.cert);
  return { ...made, fingerprint: new X509Certificate(made.cert).fingerprint256, selfSigned: true, certFile };
}

const isWildcard = (ip: string) => ip === '0.0.0.0' || ip === '::';
