export * from './model.js'
export * from './errors.js'
export * from './connector.js'
export * from './directory.js'
