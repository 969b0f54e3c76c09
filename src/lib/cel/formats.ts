// Kubernetes' format library (1.31+): format.named(name) and format.<name>() give a kubernetes.NamedFormat whose
// validate(s) is optional.none() for a valid string or the list of apimachinery's validation messages.
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'
import {registerNamespace} from './library.js'
import {parseRequestURI} from './url.js'
import {dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors} from '../api/validation.js'

/** apimachinery's name validators with prefix=true accept a trailing dash (generateName). */
const asPrefix = (validate: (s: string) => string[]) => (s: string) => validate(s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s)

// ---- strfmt (kube-openapi) formats ----
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/

function isDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

function isDateTime(s: string): boolean {
  const m = DATETIME.exec(s)
  return !!m && isDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60
}

const FORMATS: Record<string, (s: string) => string[]> = {
  byte: (s) => (BASE64.test(s) ? [] : ['invalid base64']),
  date: (s) => (isDate(s) ? [] : ['invalid date']),
  datetime: (s) => (isDateTime(s) ? [] : ['invalid datetime']),
  dns1035Label: dns1035LabelErrors,
  dns1035LabelPrefix: asPrefix(dns1035LabelErrors),
  dns1123Label: dns1123LabelErrors,
  dns1123LabelPrefix: asPrefix(dns1123LabelErrors),
  dns1123Subdomain: dns1123SubdomainErrors,
  dns1123SubdomainPrefix: asPrefix(dns1123SubdomainErrors),
  labelValue: labelValueErrors,
  qualifiedName: qualifiedNameErrors,
  uri: (s) => {
    try {
      parseRequestURI(s)
      return []
    } catch (error) {
      return [(error as Error).message]
    }
  },
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
}

class NamedFormat {
  readonly celTypeName = 'kubernetes.NamedFormat'
  constructor(readonly name: string) {}
}

export const formats: CelLibrary = (env, celJs) => {
  env.registerType('kubernetes.NamedFormat', NamedFormat)
  registerNamespace(env, 'format', 'FormatNamespace')
  env
    .registerFunction('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: unknown, name: string) =>
      Object.hasOwn(FORMATS, name) ? celJs.Optional.of(new NamedFormat(name)) : celJs.Optional.none())
    .registerFunction({
      handler: ((f: NamedFormat, s: string) => {
        const validate = FORMATS[f.name]
        if (!validate) throw new CelEvaluationError('no such overload')
        const errors = validate(s)
        return errors.length ? celJs.Optional.of(errors) : celJs.Optional.none()
      }) as (...args: unknown[]) => unknown,
      name: 'validate',
      params: [{name: 'value', type: 'string'}],
      receiverType: 'kubernetes.NamedFormat',
      returnType: 'optional<list<string>>',
    })
  for (const name of Object.keys(FORMATS)) env.registerFunction(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => new NamedFormat(name))
  return env
}
