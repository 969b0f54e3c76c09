// IP addresses as bytes and as text: Go's net.IP String() and ParseIP, for SANs, name constraints and host names.

/** Dotted quad for 4 bytes; RFC 5952 text (the longest run of zero groups as ::) for 16. */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
  const text = groups.join(':')
  const runs = text.match(/(^|:)0(:0)+(:|$)/g)
  if (!runs) return text
  return text.replace(runs.reduce((a, b) => (b.length > a.length ? b : a)), '::')
}

/** An IPv4 (no leading zeros) or IPv6 address (an embedded IPv4 tail allowed); undefined for anything else. */
export function parseIp(text: string): Buffer | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.')
    return parts.every((p) => Number(p) <= 255 && (p === '0' || !p.startsWith('0'))) ? Buffer.from(parts.map(Number)) : undefined
  }
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const expand = (list: string[]) => list.flatMap((g) => {
    const v4 = g.includes('.') ? parseIp(g) : undefined
    return v4 ? [((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16)] : [g]
  })
  const head = expand(groups(halves[0]))
  const tail = halves.length === 2 ? expand(groups(halves[1])) : []
  const fill = 8 - head.length - tail.length
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return undefined
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail]
  if (all.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}
