// The PKI library's public surface: node:crypto plus a small DER reader and writer; no X.509 library is loaded.
export {type KeyAlgorithm, KEY_ALGORITHMS, type KeyFormat, KEY_FORMATS, encodePrivateKey, generatePrivateKey, parsePrivateKey, spkiSha256} from './keys.js'
export {type CertAndKey, loadCaFromTalosSecrets, loadCertAndKey, parseCa, parsePair} from './load.js'
export {createCa, createCsr, signCsr} from './issue.js'
export {issueKubernetesUser, issueServer, issueTalosClient, PROFILES, type Profile} from './profiles.js'
export {inspectPem, type Report} from './inspect.js'
export {readCertificates, type Usage, verifyCertificate} from './verify.js'
export {needsRenewal, parseThreshold} from './renewal.js'
