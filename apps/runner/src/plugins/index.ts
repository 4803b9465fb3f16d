export * from './discover.js'
export * from './install.js'
export * from './load.js'
export * from './registry.js'
