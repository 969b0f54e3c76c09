// Authentication as kube-apiserver does it: the request chain (x509, bearer token union, anonymous), the static
// token file, and the ServiceAccount, OIDC and webhook token authenticators (loaded lazily by the server).
export * from './chain.js'
export * from './tokenfile.js'
export * from './types.js'
export * from './x509.js'
