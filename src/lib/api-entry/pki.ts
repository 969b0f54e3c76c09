// authctl/pki: CAs, keys, CSRs, Kubernetes-user / Talos-client / server certificates, inspection, chain verification.
export {AuthctlError} from '../output/errors.js'
export {type KeyAlgorithm, KEY_ALGORITHMS, type KeyFormat, KEY_FORMATS, encodePrivateKey, generatePrivateKey, parsePrivateKey, spkiSha256} from '../pki/keys.js'
export {type CertAndKey, type LoadedPair, loadCaFromTalosSecrets, loadCertAndKey, parseCa, parsePair} from '../pki/load.js'
export {createCa, createCsr, signCsr} from '../pki/issue.js'
export {issueKubernetesUser, issueServer, issueTalosClient, type LeafOptions, PROFILES, type Profile} from '../pki/profiles.js'
export {inspectPem, type Report} from '../pki/inspect.js'
export {readCertificates, type Usage, verifyCertificate} from '../pki/verify.js'
export {needsRenewal, parseThreshold} from '../pki/renewal.js'
