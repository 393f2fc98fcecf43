// The whole jest setup of a user: the preset, nothing else (CommonJS mode).
module.exports = { preset: 'twilio-double', testEnvironment: 'node' }
