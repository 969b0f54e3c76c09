// Which proxy a request goes through, and the HTTP CONNECT tunnel to it. The rules are client-go's: a kubeconfig
// `proxy-url` is used for every request; otherwise HTTPS_PROXY/https_proxy applies to https URLs, except for hosts
// NO_PROXY/no_proxy names and for localhost/loopback addresses (Go's golang.org/x/net/http/httpproxy). Plain http
// requests are never proxied.
import {BlockList, isIP} from 'node:net'

import {AuthctlError} from '../output/errors.js'

export interface ProxySettings {
  /** An explicit proxy (kubeconfig proxy-url): used for every https request. */
  proxyUrl?: string
  /** The environment HTTPS_PROXY and NO_PROXY are read from when there is no proxyUrl; none when absent. */
  env?: NodeJS.ProcessEnv
}

function firstSet(env: NodeJS.ProcessEnv, ...names: string[]): string {
  for (const name of names) if (env[name]) return env[name]!
  return ''
}

/** Go's parseProxy: a value without a scheme is an http:// proxy. */
function parseProxy(value: string): URL {
  try {
    const url = new URL(value)
    if (url.host) return url
  } catch {
    // fall through: host[:port] without a scheme
  }
  return new URL(`http://${value}`)
}

function splitHostPort(entry: string): [string, string] {
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(entry)
  if (bracketed) return [bracketed[1], bracketed[2] ?? '']
  const colon = entry.lastIndexOf(':')
  // More than one colon and no brackets: a bare IPv6 address, not host:port.
  if (colon < 0 || entry.indexOf(':') !== colon) return [entry, '']
  return [entry.slice(0, colon), entry.slice(colon + 1)]
}

/** NO_PROXY as Go reads it: `*`, CIDRs, IPs and domains (each optionally with :port; a domain covers its subdomains). */
function bypassesProxy(noProxy: string, hostname: string, port: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  const family = isIP(host)
  if (host === 'localhost') return true
  if (family) {
    const loopback = new BlockList()
    loopback.addSubnet('127.0.0.0', 8, 'ipv4')
    loopback.addAddress('::1', 'ipv6')
    if (loopback.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true
  }
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    const cidr = /^(.+)\/(\d+)$/.exec(entry)
    if (cidr && isIP(cidr[1])) {
      const list = new BlockList()
      const type = isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6'
      list.addSubnet(cidr[1], Number(cidr[2]), type)
      if (family && list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true
      continue
    }
    let [name, entryPort] = splitHostPort(entry)
    if (!name) continue
    const portOk = entryPort === '' || entryPort === port
    if (isIP(name)) {
      if (family && portOk && sameAddress(name, host)) return true
      continue
    }
    if (name.startsWith('*.')) name = name.slice(1)
    const subdomainsOnly = name.startsWith('.')
    const suffix = subdomainsOnly ? name : `.${name}`
    if (portOk && (host.endsWith(suffix) || (!subdomainsOnly && host === name))) return true
  }
  return false
}

function sameAddress(a: string, b: string): boolean {
  const list = new BlockList()
  const type = isIP(a) === 4 ? 'ipv4' : 'ipv6'
  list.addAddress(a, type)
  return list.check(b, isIP(b) === 4 ? 'ipv4' : 'ipv6')
}

/** The proxy for `target`, or undefined for a direct connection. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  if (target.protocol !== 'https:') return undefined
  let proxy: URL
  if (settings.proxyUrl) proxy = new URL(settings.proxyUrl)
  else {
    const env = settings.env ?? {}
    const value = firstSet(env, 'HTTPS_PROXY', 'https_proxy')
    if (!value) return undefined
    if (bypassesProxy(firstSet(env, 'NO_PROXY', 'no_proxy'), target.hostname, target.port || '443')) return undefined
    proxy = parseProxy(value)
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new AuthctlError(`unsupported proxy-url scheme ${JSON.stringify(proxy.protocol.replace(/:$/, ''))}`, {code: 'CONFIG', hint: 'authctl supports http:// and https:// proxies'})
  }
  return proxy
}

/** node's network modules, loaded by the client on its first request. */
export interface Modules {
  http: typeof import('node:http')
  https: typeof import('node:https')
  tls: typeof import('node:tls')
}

/** An https agent that reaches every host through an HTTP CONNECT tunnel to `proxy`, then speaks TLS over it. */
export function connectProxyAgent({http, https, tls}: Modules, proxy: URL, options: import('node:https').AgentOptions): import('node:https').Agent {
  const agent = new https.Agent(options)
  const proxyModule = proxy.protocol === 'https:' ? https : http
  ;(agent as any).createConnection = (opts: import('node:tls').ConnectionOptions & {host: string; port: number}, callback: (err: Error | null, socket?: import('node:tls').TLSSocket) => void) => {
    const headers: Record<string, string> = {Host: `${opts.host}:${opts.port}`}
    if (proxy.username) headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    const req = proxyModule.request({agent: false, headers, host: proxy.hostname, method: 'CONNECT', path: `${opts.host}:${opts.port}`, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80)})
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy()
        callback(new Error(`proxyconnect tcp: the proxy ${proxy.host} answered CONNECT with ${res.statusCode}`))
        return
      }
      callback(null, tls.connect({...opts, socket}))
    })
    req.once('error', (error) => callback(error))
    req.end()
    return undefined
  }
  return agent
}
