/**
 * `twilio-double/client`: for tests that run in another process than the double (browser tests, tests of an app
 * started on its own, a CI fleet sharing one server, scripts): a small typed client of the standalone server's
 * control API (`/__double/…`) over `fetch`, and tenants of a shared server (`createTenant()`). It imports nothing
 * of the double itself; only a tenant's `twilio` client loads the `twilio` package (an optional peer dependency).
 */
export * from './control.js'
export * from './tenant.js'
