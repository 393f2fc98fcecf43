/**
 * The same one-line setup as a project with a double of its own; run.mjs sets TWILIO_DOUBLE_URL, so each worker
 * uses a tenant of the shared server instead.
 * @type {import('jest').Config}
 */
module.exports = { preset: 'twilio-double', testEnvironment: 'node', maxWorkers: 2 }
