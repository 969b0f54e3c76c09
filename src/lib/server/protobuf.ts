// Just enough of the Kubernetes protobuf wire format to read review request bodies (kubectl 1.32 sends them as
// protobuf): the `k8s\0` + runtime.Unknown envelope and the review messages, turned into their JSON shape.
// Unknown fields are skipped by wire type; explicit empty strings and zero values read as unset.
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

type Field = {no: number; type: number; value: bigint | Buffer}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n
  let shift = 0n
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint')
    const byte = buf[pos++]
    result |= BigInt(byte & 0x7f) << shift
    if (!(byte & 0x80)) return [result, pos]
    shift += 7n
    if (shift > 63n) throw new Error('varint too long')
  }
}

export function readFields(buf: Buffer): Field[] {
  const fields: Field[] = []
  let pos = 0
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos)
    pos = next
    const no = Number(key >> 3n)
    const type = Number(key & 7n)
    if (no === 0) throw new Error('invalid field number 0')
    if (type === 0) {
      const [v, p] = readVarint(buf, pos)
      fields.push({no, type, value: v})
      pos = p
    } else if (type === 2) {
      const [len, p] = readVarint(buf, pos)
      const end = p + Number(len)
      if (end > buf.length) throw new Error('truncated length-delimited field')
      fields.push({no, type, value: buf.subarray(p, end)})
      pos = end
    } else if (type === 1) pos += 8
    else if (type === 5) pos += 4
    else throw new Error(`unsupported wire type ${type}`)
    if (pos > buf.length) throw new Error('truncated field')
  }
  return fields
}

const bytesOf = (fields: Field[], no: number) => fields.filter((f) => f.no === no && f.type === 2).map((f) => f.value as Buffer)
const str = (fields: Field[], no: number) => {
  const all = bytesOf(fields, no)
  const last = all.at(-1)
  return last && last.length ? last.toString('utf8') : undefined
}
const strs = (fields: Field[], no: number) => bytesOf(fields, no).map((b) => b.toString('utf8'))
const msg = (fields: Field[], no: number) => {
  const all = bytesOf(fields, no)
  return all.length ? readFields(all.at(-1)!) : undefined
}

function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T
}

function resourceAttributes(f: Field[]) {
  return compact({group: str(f, 3), name: str(f, 7), namespace: str(f, 1), resource: str(f, 5), subresource: str(f, 6), verb: str(f, 2), version: str(f, 4)})
}

const nonResourceAttributes = (f: Field[]) => compact({path: str(f, 1), verb: str(f, 2)})

function accessSpec(spec: Field[]) {
  const ra = msg(spec, 1)
  const nra = msg(spec, 2)
  return compact({nonResourceAttributes: nra && nonResourceAttributes(nra), resourceAttributes: ra && resourceAttributes(ra)})
}

function metadataName(object: Field[]) {
  const meta = msg(object, 1)
  return meta ? compact({name: str(meta, 1), namespace: str(meta, 3)}) : {}
}

/** Decodes the message of `kind` into the JSON object a JSON client would have sent. */
function decodeObject(kind: string, raw: Buffer): Record<string, unknown> {
  const object = readFields(raw)
  const spec = msg(object, 2) ?? []
  const metadata = metadataName(object)
  switch (kind) {
    case 'SelfSubjectReview':
      return {metadata}
    case 'SelfSubjectAccessReview':
      return {metadata, spec: accessSpec(spec)}
    case 'LocalSubjectAccessReview':
    case 'SubjectAccessReview': {
      const extra: Record<string, string[]> = {}
      for (const entry of bytesOf(spec, 5)) {
        const e = readFields(entry)
        const key = str(e, 1) ?? ''
        const value = msg(e, 2)
        extra[key] = value ? strs(value, 1) : []
      }
      const groups = strs(spec, 4)
      return {
        metadata,
        spec: compact({
          ...accessSpec(spec),
          extra: Object.keys(extra).length ? extra : undefined,
          groups: groups.length ? groups : undefined,
          uid: str(spec, 6),
          user: str(spec, 3),
        }),
      }
    }
    case 'SelfSubjectRulesReview':
      return {metadata, spec: compact({namespace: str(spec, 1)})}
    case 'TokenReview': {
      const audiences = strs(spec, 2)
      return {metadata, spec: compact({audiences: audiences.length ? audiences : undefined, token: str(spec, 1)})}
    }
    default:
      throw new Error(`unsupported protobuf kind ${JSON.stringify(kind)}`)
  }
}

/** Decodes a `k8s\0`-prefixed body into {apiVersion, kind, ...object}. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) throw new Error('provided object is not a Kubernetes protobuf envelope')
  const unknown = readFields(body.subarray(4))
  const typeMeta = msg(unknown, 1) ?? []
  const apiVersion = str(typeMeta, 1) ?? ''
  const kind = str(typeMeta, 2) ?? ''
  const raw = bytesOf(unknown, 2).at(-1) ?? Buffer.alloc(0)
  return {apiVersion, kind, ...decodeObject(kind, raw)}
}
