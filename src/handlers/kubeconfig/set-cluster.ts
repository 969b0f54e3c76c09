import type {Handler} from '../../cli/handler.js'
import {setCluster} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) =>
  report(await setCluster(commandContext(flags, io), args.name, {
    certificateAuthority: flags['certificate-authority'],
    embedCerts: flags['embed-certs'],
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    proxyUrl: flags['proxy-url'],
    server: flags.server,
    tlsServerName: flags['tls-server-name'],
  }), io)

export default handler
