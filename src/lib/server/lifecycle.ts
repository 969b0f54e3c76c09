// The server's life: its serving certificate, listening, per-protocol counts, reloads on demand, and an orderly close
// (stop watching files, let in-flight requests finish, flush the audit log).
import {AuthctlError} from '../output/errors.js'
import {tlsKeyPem} from '../pki/keys.js'
import type {AuditLog} from './audit.js'
import type {RequestHandler} from './filters.js'
import {readText, type RunningServer, type ServerConfig} from './options.js'
import type {Reloadable} from './reload.js'
import {createServing} from './serving.js'

/** The serving certificate and key, and the certificate clients should trust (the chain's CA when generated). */
async function servingPair(config: ServerConfig): Promise<{ca: string; cert: string; key: string}> {
  const {options} = config
  if (options.tlsCertFile && options.tlsKeyFile) {
    const cert = await readText(options.tlsCertFile, 'serving certificate')
    return {ca: cert, cert, key: tlsKeyPem(await readText(options.tlsKeyFile, 'serving key', options.age), {source: options.tlsKeyFile, what: 'serving key (--tls-private-key-file)'})}
  }
  if (options.tlsCertFile || options.tlsKeyFile) throw new AuthctlError('--tls-cert-file and --tls-private-key-file must be given together', {code: 'USAGE', exitCode: 2})
  if (options.certDir) {
    const {servingFromCertDir} = await import('./cert-dir.js')
    const pair = await servingFromCertDir(options.certDir, config.host, config.now())
    config.log(`${pair.reused ? 'using the serving certificate in' : 'wrote a generated CA and serving certificate to'} ${options.certDir}`)
    return pair
  }
  const {generatedServingCert} = await import('./selfsigned.js')
  return generatedServingCert(config.host, config.now())
}

export interface ServeParts {
  /** The request handler, given whether the server is shutting down. */
  handler(closing: () => boolean): RequestHandler
  reloadables: Reloadable<unknown>[]
  audit: AuditLog
}

export async function serve(config: ServerConfig, {audit, handler, reloadables}: ServeParts): Promise<RunningServer> {
  const {ca, cert, key} = await servingPair(config)
  const served = {h1: 0, h2: 0}
  const serving = createServing({cert, key}, config.limits, (req, res, expectsContinue) => {
    served[req.httpVersionMajor === 2 ? 'h2' : 'h1']++
    handle(req, res, expectsContinue)
  }, config.log)
  const handle = handler(serving.closing)
  const {host} = config
  const port = await serving.listen(config.port, host)
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  let closed: Promise<void> | undefined
  return {
    caCertificate: ca,
    close: () =>
      (closed ??= (async () => {
        for (const r of reloadables) r.stop()
        await serving.close(5000)
        await audit.close()
      })()),
    host,
    port,
    reload: async () => (await Promise.all(reloadables.map((r) => r.check()))).some(Boolean),
    requestsByProtocol: () => ({...served}),
    url: `https://${urlHost}:${port}`,
  }
}
