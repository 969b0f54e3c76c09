// The Kubernetes protobuf wire format's primitives (the review schemas that use them are in decode.ts): the `k8s\0`
// envelope prefix and base-128 varints, with gogo-protobuf's error texts.
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

/** A malformed wire encoding, worded as gogo-protobuf's generated Unmarshal says it. */
export class WireError extends Error {}

/** Reads a varint at `pos`; returns the value (as an unsigned 64-bit integer) and the position after it. */
export function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n
  for (let shift = 0n; ; shift += 7n) {
    if (shift >= 64n) throw new WireError('proto: integer overflow')
    if (pos >= buf.length) throw new WireError('unexpected EOF')
    const byte = buf[pos++]
    result |= BigInt(byte & 0x7f) << shift
    if (!(byte & 0x80)) return [BigInt.asUintN(64, result), pos]
  }
}
