// A generated serving certificate for when no --tls-cert-file is given (kube-apiserver does the same): a throwaway
// CA and a serverAuth leaf for the bind address, localhost and 127.0.0.1, made by the pki library. Clients trust
// the returned CA (RunningServer.caCertificate). Kept apart so the issuing code loads only when needed.
import {createCa, issueServer} from '../pki/index.js'

const YEAR_MS = 365 * 24 * 3600 * 1000

export async function generatedServingCert(host: string, now: Date): Promise<{ca: string; cert: string; key: string}> {
  const dnsNames = ['localhost']
  const ips = ['127.0.0.1']
  if (host !== '127.0.0.1' && host !== '0.0.0.0' && host !== 'localhost') (/^[\d.]+$|:/.test(host) ? ips : dnsNames).push(host)
  const ca = await createCa({algorithm: 'ecdsa-p256', cn: `${host}-ca@${Math.floor(now.getTime() / 1000)}`, now, ttlMs: YEAR_MS})
  // Back-dated a minute against clock skew between this process and its clients.
  const leaf = await issueServer(ca, {cn: host, dnsNames, ips, notBeforeSkewMs: 60_000, now, ttlMs: YEAR_MS})
  return {ca: ca.certPem, cert: leaf.certPem, key: leaf.keyPem}
}
