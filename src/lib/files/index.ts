export * from './lock.js'
export * from './paths.js'
export * from './read.js'
export * from './write.js'
