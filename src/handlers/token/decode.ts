// token decode: read a token, show header, claims, times and the Kubernetes identity, without verifying it.
import type {Handler} from '../../cli/handler.js'
import type TokenDecode from '../../commands/token/decode.js'
import {describeToken} from '../../lib/token/describe.js'
import {oidcClaimMapping, readToken} from '../../lib/token/input.js'
import {renderDescription} from '../../lib/token/render.js'

const handler: Handler<typeof TokenDecode> = async ({args, flags}, io) => {
  const token = await readToken({arg: args.token, file: flags.file, fromSecret: flags.fromSecret, stdin: io.stdin})
  const description = describeToken(token, io.now(), oidcClaimMapping(flags))
  io.out(renderDescription(description))
  return {document: description}
}

export default handler
