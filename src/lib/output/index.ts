export * from './errors.js'
export * from './render.js'
