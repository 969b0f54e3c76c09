// Private keys: reading every format users meet (PKCS#8, PKCS#1, SEC1, Talos's `ED25519 PRIVATE KEY`, encrypted
// PKCS#8 and legacy encrypted PEM) and writing them the way Talos and Go do. node:crypto only.
import {createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject} from 'node:crypto'
import {promisify} from 'node:util'

import {AuthctlError} from '../output/errors.js'
import {parsePem, toPem} from './pem.js'

export const KEY_ALGORITHMS = ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number]

/** `talos`: the labels Talos/Go write (ED25519 PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY); `pkcs8`: PRIVATE KEY. */
export const KEY_FORMATS = ['talos', 'pkcs8'] as const
export type KeyFormat = (typeof KEY_FORMATS)[number]

export type KeyEncoding = 'encrypted' | 'pkcs1' | 'pkcs8' | 'sec1' | 'talos-ed25519'

export interface ParsedPrivateKey {
  key: KeyObject
  algorithm: KeyAlgorithm
  encoding: KeyEncoding
}

const generate = promisify(generateKeyPair)

export async function generatePrivateKey(algorithm: KeyAlgorithm): Promise<KeyObject> {
  switch (algorithm) {
    case 'ed25519':
      return (await generate('ed25519')).privateKey
    case 'ecdsa-p256':
      return (await generate('ec', {namedCurve: 'prime256v1'})).privateKey
    case 'ecdsa-p384':
      return (await generate('ec', {namedCurve: 'secp384r1'})).privateKey
    default:
      return (await generate('rsa', {modulusLength: Number(algorithm.slice(4))})).privateKey
  }
}

/** The authctl algorithm name of a key, or an error for keys authctl does not issue with. */
export function keyAlgorithm(key: KeyObject, what = 'key'): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519'
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return 'ecdsa-p256'
    if (details.namedCurve === 'secp384r1') return 'ecdsa-p384'
  }
  if (key.asymmetricKeyType === 'rsa') {
    const name = `rsa-${details.modulusLength}`
    if ((KEY_ALGORITHMS as readonly string[]).includes(name)) return name as KeyAlgorithm
  }
  const desc = [key.asymmetricKeyType, details.namedCurve ?? details.modulusLength].filter(Boolean).join(' ')
  throw new AuthctlError(`unsupported ${what} algorithm ${desc}`, {code: 'UNSUPPORTED_KEY', hint: `supported: ${KEY_ALGORITHMS.join(', ')}`})
}

export interface KeyReadOptions {
  passphrase?: string
  /** What the key is for, in messages: "client key", "CA key". */
  what?: string
  /** Where it came from (a path, or a field such as `client-key-data`), named in every error. */
  source?: string
  /** The flag that gives this consumer a passphrase; without one, encrypted keys are refused with how to decrypt. */
  passphraseFlag?: string
}

const READABLE = 'PRIVATE KEY, ED25519 PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY'

/**
 * The one private-key reader: the first private key in a PEM text, in every format `pki` documents. Every consumer
 * (TLS clients and servers, token signing and verification, CA keys, doctor) goes through it.
 */
export function parsePrivateKey(pem: Buffer | string, options: KeyReadOptions = {}): ParsedPrivateKey {
  const what = `${options.what ?? 'private key'}${options.source ? ` ${JSON.stringify(options.source)}` : ''}`
  const block = parsePem(pem, what).find((b) => b.label.endsWith('PRIVATE KEY'))
  if (!block) throw new AuthctlError(`invalid ${what}: no PRIVATE KEY block found`, {code: 'BAD_KEY', hint: `expected one of ${READABLE}`})
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || Boolean(block.headers['Proc-Type']?.includes('ENCRYPTED'))
  if (encrypted && options.passphrase === undefined) {
    const file = options.source && !/-data$|Data$/.test(options.source) ? options.source : 'KEY'
    throw new AuthctlError(`${what} is encrypted`, {
      code: 'KEY_ENCRYPTED',
      hint: options.passphraseFlag
        ? `pass its passphrase with ${options.passphraseFlag}`
        : `no passphrase can be given here; decrypt it first: openssl pkey -in ${file} -out ${file === 'KEY' ? 'PLAIN.key' : `${file}.plain`}`,
    })
  }
  const encoding: KeyEncoding = encrypted
    ? 'encrypted'
    : block.label === 'RSA PRIVATE KEY'
      ? 'pkcs1'
      : block.label === 'EC PRIVATE KEY'
        ? 'sec1'
        : block.label === 'ED25519 PRIVATE KEY'
          ? 'talos-ed25519'
          : 'pkcs8'
  let key: KeyObject
  try {
    if (block.headers['Proc-Type']) {
      key = createPrivateKey({format: 'pem', key: toLegacyPem(block.label, block.headers, block.der), passphrase: options.passphrase})
    } else if (encoding === 'pkcs1' || encoding === 'sec1') {
      key = createPrivateKey({format: 'der', key: block.der, type: encoding})
    } else if (encrypted) {
      key = createPrivateKey({format: 'der', key: block.der, passphrase: options.passphrase, type: 'pkcs8'})
    } else {
      // Talos labels Ed25519 PKCS#8 keys `ED25519 PRIVATE KEY`, which OpenSSL cannot read under that label.
      key = createPrivateKey({format: 'der', key: block.der, type: 'pkcs8'})
    }
  } catch (error) {
    const message = (error as Error).message
    if (encrypted && /bad decrypt|decrypt|passphrase/i.test(message)) {
      throw new AuthctlError(`cannot decrypt ${what}: wrong passphrase`, {code: 'BAD_PASSPHRASE', hint: options.passphraseFlag ? `check ${options.passphraseFlag}` : undefined})
    }
    throw new AuthctlError(`invalid ${what}: ${block.label} is not a readable key (${message.replace(/^error:\w+:/, '')})`, {code: 'BAD_KEY', hint: `expected one of ${READABLE}`})
  }
  return {algorithm: keyAlgorithm(key, what), encoding, key}
}

/** PKCS#8 `PRIVATE KEY` PEM: the one form node's TLS (OpenSSL) decoder reads for every algorithm. */
export function tlsKeyPem(pem: Buffer | string, options: KeyReadOptions = {}): string {
  return encodePrivateKey(parsePrivateKey(pem, options).key, 'pkcs8')
}

function toLegacyPem(label: string, headers: Record<string, string>, body: Buffer): string {
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')
  return toPem(label, body).replace('-----\n', `-----\n${head}\n`)
}

/** PEM of a private key as authctl writes it; `passphrase` encrypts it (PKCS#8, AES-256-CBC). */
export function encodePrivateKey(key: KeyObject, format: KeyFormat = 'pkcs8', passphrase?: string): string {
  if (passphrase !== undefined) {
    return key.export({cipher: 'aes-256-cbc', format: 'pem', passphrase, type: 'pkcs8'}).toString()
  }
  const pkcs8 = key.export({format: 'der', type: 'pkcs8'})
  if (format === 'pkcs8') return toPem('PRIVATE KEY', pkcs8)
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return toPem('ED25519 PRIVATE KEY', pkcs8)
    case 'ec':
      return key.export({format: 'pem', type: 'sec1'}).toString()
    case 'rsa':
      return key.export({format: 'pem', type: 'pkcs1'}).toString()
    default:
      return toPem('PRIVATE KEY', pkcs8)
  }
}

/** `sha256:<hex>` over the SubjectPublicKeyInfo DER, as talosctl writes to `<name>.sha256`. */
export function spkiSha256(key: KeyObject): string {
  const spki = createPublicKey(key).export({format: 'der', type: 'spki'})
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`
}
