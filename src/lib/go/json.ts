// encoding/json's words for a JSON value of the wrong type, as kube-apiserver's decoders report it.

/** `json: cannot unmarshal <kind> into Go value of type T`, or `… into Go struct field F of type T` with a field. */
export function unmarshalError(value: unknown, goType: string, field?: string): string {
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value
  return `json: cannot unmarshal ${kind} into Go ${field === undefined ? 'value' : `struct field ${field}`} of type ${goType}`
}
