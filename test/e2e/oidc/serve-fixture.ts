// A real OpenID provider and `serve` configured for it (--oidc-* flags), as the kubectl-with-OIDC tests need them.
import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {makePki, startProvider, type TestPki, type TestProvider} from '../../commands/oidc/provider.js'

export interface OidcServeFixture {
  tmp: {dir: string; cleanup: () => Promise<void>}
  pki: TestPki
  op: TestProvider
  server: RunningServer
  close(): Promise<void>
}

export async function startOidcServe(prefix: string): Promise<OidcServeFixture> {
  const tmp = await makeTempDir(prefix)
  const pki = makePki(tmp.dir)
  const op = await startProvider(pki)
  const server = await startServer({
    oidc: {caFile: pki.caFile, clientId: 'kubernetes', groupsClaim: 'groups', groupsPrefix: 'oidc:', issuerUrl: op.issuer, usernameClaim: 'email'},
    port: 0,
    reloadIntervalMs: 0,
  })
  return {
    async close() {
      await server.close()
      await op.close()
      await tmp.cleanup()
    },
    op, pki, server, tmp,
  }
}
