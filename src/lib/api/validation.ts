// apimachinery's pkg/util/validation name checks with its messages, for the configuration validation
// (authconfig) and CEL's format library alike.
const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const QUALIFIED_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const LABEL_VALUE_FMT = `(${QUALIFIED_FMT})?`
const QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

const matches = (fmt: string, value: string) => new RegExp(`^(?:${fmt})$`).test(value)

/** validation.RegexError, with its doubled space before " or ". */
function regexError(message: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${fmt}')`
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

const maxLen = (n: number) => `must be no more than ${n} characters`

export function dns1123LabelErrors(value: string): string[] {
  const errors = value.length > 63 ? [maxLen(63)] : []
  if (!matches(LABEL_FMT, value)) {
    errors.push(matches(SUBDOMAIN_FMT, value) ? 'must not contain dots' : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LABEL_FMT, 'my-name', '123-abc'))
  }
  return errors
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errors = value.length > 253 ? [maxLen(253)] : []
  if (!matches(SUBDOMAIN_FMT, value)) errors.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN_FMT, 'example.com'))
  return errors
}

export function dns1035LabelErrors(value: string): string[] {
  const errors = value.length > 63 ? [maxLen(63)] : []
  if (!matches(DNS1035_FMT, value)) errors.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_FMT, 'my-name', 'abc-123'))
  return errors
}

export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/')
  const errors: string[] = []
  if (parts.length > 2) return [`a qualified name ${regexError(QUALIFIED_MSG, QUALIFIED_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  const name = parts.at(-1)!
  if (parts.length === 2) {
    if (parts[0] === '') errors.push('prefix part must be non-empty')
    else errors.push(...dns1123SubdomainErrors(parts[0]).map((e) => `prefix part ${e}`))
  }
  if (name === '') errors.push('name part must be non-empty')
  else if (name.length > 63) errors.push(`name part ${maxLen(63)}`)
  if (!matches(QUALIFIED_FMT, name)) errors.push(`name part ${regexError(QUALIFIED_MSG, QUALIFIED_FMT, 'MyName', 'my.name', '123-abc')}`)
  return errors
}

export function labelValueErrors(value: string): string[] {
  const errors = value.length > 63 ? [maxLen(63)] : []
  if (!matches(LABEL_VALUE_FMT, value)) errors.push(regexError(`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errors
}
