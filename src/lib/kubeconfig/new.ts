// `kubeconfig new`: a ready-to-use kubeconfig for a freshly issued kubernetes-user client certificate, everything
// embedded (kubeadm's `kubeconfig user`). Pure: the caller issues the certificate and decides where it goes.
import {emptyKubeconfig, type Kubeconfig, mergeFile} from './load.js'
import {decodeFile, type Body} from './schema.js'

export interface NewKubeconfigInput {
  user: string
  server: string
  /** PEM of the CA that verifies the API server. */
  serverCaPem: string
  certPem: string
  keyPem: string
  /** Cluster entry name (default "kubernetes", as kubeadm). */
  cluster?: string
  /** Context name (default `<user>@<cluster>`, as kubeadm). */
  context?: string
  namespace?: string
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64')

/** The v1 document (kubectl's key order). */
export function newKubeconfigDocument(input: NewKubeconfigInput): Body {
  const cluster = input.cluster || 'kubernetes'
  const context = input.context || `${input.user}@${cluster}`
  const contextBody: Body = {cluster, user: input.user}
  if (input.namespace) contextBody.namespace = input.namespace
  return {
    apiVersion: 'v1',
    clusters: [{cluster: {'certificate-authority-data': b64(input.serverCaPem), server: input.server}, name: cluster}],
    contexts: [{context: contextBody, name: context}],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{name: input.user, user: {'client-certificate-data': b64(input.certPem), 'client-key-data': b64(input.keyPem)}}],
  }
}

/** The same document as an in-memory config, for merging into an existing file. */
export function asKubeconfig(document: Body, origin: string): Kubeconfig {
  const config = emptyKubeconfig()
  mergeFile(config, decodeFile(document, origin), origin)
  return config
}
