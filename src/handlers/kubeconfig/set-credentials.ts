import type {Handler} from '../../cli/handler.js'
import {setCredentials} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) =>
  report(await setCredentials(commandContext(flags, io), args.name, {
    authProvider: flags['auth-provider'],
    authProviderArgs: flags['auth-provider-arg'],
    clientCertificate: flags['client-certificate'],
    clientKey: flags['client-key'],
    embedCerts: flags['embed-certs'],
    execApiVersion: flags['exec-api-version'],
    execArgs: flags['exec-arg'],
    execCommand: flags['exec-command'],
    execEnv: flags['exec-env'],
    execInteractiveMode: flags['exec-interactive-mode'],
    execProvideClusterInfo: flags['exec-provide-cluster-info'],
    password: flags.password,
    token: flags.token,
    username: flags.username,
  }), io)

export default handler
