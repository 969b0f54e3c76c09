import type {Handler} from '../../cli/handler.js'
import type SetCredentials from '../../commands/kubeconfig/set-credentials.js'
import {setCredentials} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof SetCredentials> = async ({args, flags}, io) =>
  report(await setCredentials(commandContext(flags, io), args.name, {
    authProvider: flags.authProvider,
    authProviderArgs: flags.authProviderArg,
    clientCertificate: flags.clientCertificate,
    clientKey: flags.clientKey,
    embedCerts: flags.embedCerts,
    execApiVersion: flags.execApiVersion,
    execArgs: flags.execArg,
    execCommand: flags.execCommand,
    execEnv: flags.execEnv,
    execInteractiveMode: flags.execInteractiveMode,
    execProvideClusterInfo: flags.execProvideClusterInfo,
    password: flags.password,
    token: flags.token,
    username: flags.username,
  }), io)

export default handler
