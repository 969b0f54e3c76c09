// Tokens: unverified decoding, verification (jose, loaded lazily), test-token minting, and the Kubernetes claim rules
// other areas reuse (identity.ts: ServiceAccount and OIDC users, time/audience/issuer checks with the API server's
// wording).
export * from './describe.js'
export * from './fetch.js'
export * from './identity.js'
export * from './jwt.js'
export * from './keys.js'
export * from './sign.js'
export * from './verify.js'
