// Flags shared by the token command classes; handlers receive the parsed values.
import {Flags} from '@oclif/core'

export const oidcMappingFlags = {
  'oidc-groups-claim': Flags.string({description: 'claim holding the groups (string or list), like --oidc-groups-claim', helpGroup: 'OIDC MAPPING'}),
  'oidc-groups-prefix': Flags.string({description: 'prefix added to every group', helpGroup: 'OIDC MAPPING'}),
  'oidc-username-claim': Flags.string({description: 'claim holding the username (default sub)', helpGroup: 'OIDC MAPPING'}),
  'oidc-username-prefix': Flags.string({
    description: 'prefix added to the username; unset means "<issuer>#" unless the claim is email, "-" means none',
    helpGroup: 'OIDC MAPPING',
  }),
}

export const tokenInputFlags = {
  file: Flags.string({char: 'f', description: 'read the token from this file ("-" for stdin)'}),
  'from-secret': Flags.string({description: 'read data.token from a Secret manifest (YAML or JSON; "-" for stdin)'}),
}
