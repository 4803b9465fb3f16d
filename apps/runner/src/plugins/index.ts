export * from './discover.js'
export * from './load.js'
export * from './registry.js'
