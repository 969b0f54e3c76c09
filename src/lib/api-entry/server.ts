// authctl/server: the reference API server (kube-apiserver's authentication chain and RBAC) for tests and demos.
export {AuthctlError} from '../output/errors.js'
export {startServer, type RunningServer, type ServerOptions} from '../server/server.js'
