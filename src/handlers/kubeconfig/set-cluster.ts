import type {Handler} from '../../cli/handler.js'
import type SetCluster from '../../commands/kubeconfig/set-cluster.js'
import {setCluster} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof SetCluster> = async ({args, flags}, io) =>
  report(await setCluster(commandContext(flags, io), args.name, {
    certificateAuthority: flags.certificateAuthority,
    embedCerts: flags.embedCerts,
    insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
    proxyUrl: flags.proxyUrl,
    server: flags.server,
    tlsServerName: flags.tlsServerName,
  }), io)

export default handler
