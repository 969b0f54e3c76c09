// The reference Kubernetes API server (`authctl serve`), for the CLI, the quickstart demo and other areas' tests.
export {startServer, type RunningServer, type ServerOptions} from './server.js'
