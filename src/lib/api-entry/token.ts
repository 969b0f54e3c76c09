// authctl/token: decode JWTs, verify them as kube-apiserver's ServiceAccount and OIDC authenticators do, sign test tokens.
export {AuthctlError} from '../output/errors.js'
export {type DecodedJwt, parseJwt, unverifiedClaims} from '../token/jwt.js'
export {parseAlgorithms, verifyToken, type VerifyOptions, type VerifyReport} from '../token/verify.js'
export {parseJwksText, parsePemKeys, type VerificationKeys} from '../token/keys.js'
export {boundServiceAccountClaims, type BoundClaimsInput, legacyServiceAccountClaims, signToken, type SignOptions} from '../token/sign.js'
