export * from './common.js'
export * from './message.js'
export * from './params.js'
export * from './webhooks.js'
