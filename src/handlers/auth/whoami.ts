import type {Handler} from '../../cli/handler.js'
import type AuthWhoami from '../../commands/auth/whoami.js'
import {formatErrorLine} from '../../lib/output/errors.js'
import {toKubectlYaml} from '../../lib/go/yaml.js'
import {openContext} from '../../lib/kube/context.js'
import {kubectlReview, localClaimsText, reviewJson, whoami, whoamiTable} from '../../lib/kube/whoami.js'
import {ageOptions} from '../age-options.js'
import {tokenExplainer} from '../authentication-config.js'

const authWhoami: Handler<typeof AuthWhoami> = async ({flags}, io) => {
  const explainToken = await tokenExplainer(flags.authenticationConfig, io)
  const {client} = await openContext({...flags, age: ageOptions(flags, io)}, io)
  try {
    const result = await whoami(client, io.now(), {explainToken})
    if (result.confirmed) {
      const {review} = result
      if (flags.output === 'json') io.out(reviewJson(review))
      else if (flags.output === 'yaml') io.out(toKubectlYaml(kubectlReview(review)))
      else io.out(whoamiTable(review.status?.userInfo ?? {}))
      return {document: review}
    }
    // No SelfSubjectReview API: kubectl's error, plus what the credential itself claims (never confirmed).
    if (result.local) io.out(localClaimsText(result.local))
    io.err(formatErrorLine(result.error) + '\n')
    return {document: {confirmed: false, error: result.error.toJSON(), local: result.local ?? null}, exitCode: result.error.exitCode}
  } finally {
    client.close()
  }
}

export default authWhoami
