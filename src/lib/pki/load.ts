// Loading a CA (or any cert + key pair) for signing: files, PEM strings or a Talos secrets bundle. node:crypto and
// yaml (lazily) only.
import {isStrictBase64} from '../go/base64.js'
import type {AgeOptions} from '../files/age.js'
import {readInput} from '../files/read.js'
import {AuthctlError} from '../output/errors.js'
import {readCertificates} from './cert.js'
import type {CertFields} from './certinfo.js'
import {encodePrivateKey, type KeyAlgorithm, type ParsedPrivateKey, parsePrivateKey} from './keys.js'
import {loadYaml} from '../output/yaml.js'

export interface CertAndKey {
  certPem: string
  keyPem: string
}

/** A certificate and its key, parsed once: the PEM texts with the certificate's fields and the key object. */
export interface LoadedPair extends CertAndKey {
  fields: CertFields
  key: ParsedPrivateKey['key']
  algorithm: KeyAlgorithm
}

/** Parses and cross-checks a certificate and its key; `what` names them in errors ("CA"). */
export interface PairReadOptions {
  passphrase?: string
  /** The flag that gives the key's passphrase, named when the key is encrypted. */
  passphraseFlag?: string
  what?: string
  /** The key file, named in key errors. */
  keySource?: string
  /** Identities for age-encrypted files (default: from the environment). */
  age?: AgeOptions
}

export function parsePair(pair: CertAndKey, options: PairReadOptions = {}): LoadedPair {
  const prefix = options.what ? `${options.what} ` : ''
  const [cert] = readCertificates(pair.certPem, `${prefix}certificate`)
  const {fields} = cert
  const parsed = parsePrivateKey(pair.keyPem, {passphrase: options.passphrase, passphraseFlag: options.passphraseFlag, source: options.keySource, what: `${prefix}key`})
  if (!cert.x509.checkPrivateKey(parsed.key)) {
    throw new AuthctlError(`${prefix}key does not match the ${prefix}certificate "${fields.subject.dn}"`, {
      code: 'KEY_MISMATCH',
      hint: 'pass the key that was generated with this certificate',
    })
  }
  return {algorithm: parsed.algorithm, certPem: pair.certPem, fields, key: parsed.key, keyPem: pair.keyPem}
}

/** A pair usable as an issuer: a CA certificate allowed to sign certificates. A loaded pair is not parsed again. */
export function parseCa(pair: CertAndKey | LoadedPair, options: {passphrase?: string} = {}): LoadedPair {
  const ca = 'fields' in pair ? pair : parsePair(pair, {...options, what: 'CA'})
  const ext = ca.fields.extensions
  if (ext.basicConstraints?.ca !== true) {
    throw new AuthctlError(`"${ca.fields.subject.dn}" is not a CA certificate (BasicConstraints CA:FALSE or absent)`, {code: 'NOT_A_CA'})
  }
  if (ext.keyUsage && !ext.keyUsage.includes('keyCertSign')) {
    throw new AuthctlError(`CA "${ca.fields.subject.dn}" lacks the keyCertSign key usage`, {code: 'NOT_A_CA'})
  }
  return ca
}

/** Reads both PEM files (any supported key format) and checks the key matches; `what` ("CA") names them in errors. */
export async function loadCertAndKey(certPath: string, keyPath: string, options: PairReadOptions = {}): Promise<LoadedPair> {
  const prefix = options.what ? `${options.what} ` : ''
  const certPem = (await readInput(certPath, {age: options.age, what: `${prefix}certificate`})).toString('utf8')
  const keyPem = (await readInput(keyPath, {age: options.age, what: `${prefix}key`})).toString('utf8')
  const pair = parsePair({certPem, keyPem}, {keySource: keyPath, ...options})
  return {...pair, certPem: trimToCertificate(certPem), keyPem: encodePrivateKey(pair.key)}
}

function trimToCertificate(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem)
  return m ? m[0] + '\n' : pem
}

function decodeBase64Field(value: unknown, field: string, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AuthctlError(`${JSON.stringify(path)} has no ${field}`, {code: 'BAD_SECRETS', hint: 'expected a Talos secrets bundle (talosctl gen secrets)'})
  }
  const text = value.replace(/\s+/g, '')
  if (!isStrictBase64(text)) {
    throw new AuthctlError(`${field} in ${JSON.stringify(path)} is not valid base64`, {code: 'BAD_SECRETS'})
  }
  return Buffer.from(text, 'base64').toString('utf8')
}

/** The Talos OS CA (`certs.os`) of a secrets bundle, key re-encoded as authctl writes it. */
export async function loadCaFromTalosSecrets(path: string, age?: AgeOptions): Promise<LoadedPair> {
  const text = (await readInput(path, {age, what: 'secrets bundle'})).toString('utf8')
  const {parse} = await loadYaml()
  let doc: any
  try {
    doc = parse(text)
  } catch (error) {
    throw new AuthctlError(`invalid secrets bundle ${JSON.stringify(path)}: ${(error as Error).message.split('\n')[0]}`, {code: 'BAD_SECRETS'})
  }
  const os = doc?.certs?.os
  const certPem = decodeBase64Field(os?.crt, 'certs.os.crt', path)
  const keyPem = decodeBase64Field(os?.key, 'certs.os.key', path)
  const pair = parseCa({certPem, keyPem})
  return {...pair, certPem: trimToCertificate(certPem), keyPem: encodePrivateKey(pair.key, 'talos')}
}
