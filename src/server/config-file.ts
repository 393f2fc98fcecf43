/**
 * The JSON configuration file of `twilio-double serve --config <file>`: the `createTwilioDouble()` options that
 * JSON can say (accounts with their numbers' webhooks, messaging services, seed, clock, delays, prices, …),
 * checked strictly so that a misspelt key is an error rather than a setting silently ignored.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type {
  AccountOptions,
  ApplicationOptions,
  MessagingServiceOptions,
  PhoneNumberOptions,
} from '../config.js'
import type { CreateTwilioDoubleOptions } from '../double.js'

const duration = z.union([z.number().nonnegative(), z.string().min(1)], {
  error: 'expected a duration: milliseconds (a number >= 0) or a string such as "90s"',
})
const method = z.enum(['GET', 'POST'])
const price = z.union([z.number().nonnegative(), z.record(z.string(), z.number().nonnegative())], {
  error:
    'expected a price (a number >= 0) or prices by ISO country code ({"US": 0.0079, "GB": 0.04, "default": 0.05})',
})

// a number alone ("+15005550006") or with its webhooks
const phoneNumberObject = z.strictObject({
  number: z.string().min(1),
  smsUrl: z.string().optional(),
  smsMethod: method.optional(),
  smsFallbackUrl: z.string().optional(),
  smsFallbackMethod: method.optional(),
})
const phoneNumber = z.preprocess((v) => (typeof v === 'string' ? { number: v } : v), phoneNumberObject)
const messagingService = z.strictObject({
  sid: z.string(),
  senders: z.array(z.string().min(1)).optional(),
  statusCallback: z.string().optional(),
  inboundRequestUrl: z.string().optional(),
  inboundMethod: method.optional(),
  fallbackUrl: z.string().optional(),
  fallbackMethod: method.optional(),
  linkShortening: z.strictObject({ domain: z.string().min(1) }).optional(),
})
const application = z.strictObject({ sid: z.string(), messageStatusCallback: z.string().optional() })

const account = z.strictObject({
  sid: z.string(),
  authToken: z.string().min(1),
  friendlyName: z.string().min(1).optional(),
  apiKeys: z.array(z.strictObject({ sid: z.string(), secret: z.string().min(1) })).optional(),
  phoneNumbers: z.array(phoneNumber).optional(),
  messagingServices: z.array(messagingService).optional(),
  applications: z.array(application).optional(),
})

// a content template as createTwilioDouble's contentTemplates takes it
const contentTemplate = z.strictObject({
  sid: z.string().optional(),
  accountSid: z.string().optional(),
  friendlyName: z.string().optional(),
  language: z.string().optional(),
  variables: z.record(z.string(), z.string()).optional(),
  types: z.record(z.string(), z.record(z.string(), z.unknown())),
  whatsapp: z
    .strictObject({
      name: z.string().optional(),
      category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']).optional(),
      status: z.enum(['received', 'pending', 'approved', 'rejected', 'paused', 'disabled']).optional(),
      rejectionReason: z.string().optional(),
    })
    .optional(),
})

/** The options a configuration file may hold (every key optional; unknown keys refused). */
export const serveConfigSchema = z.strictObject({
  accounts: z.array(account).min(1).optional(),
  seed: z.union([z.string(), z.number()], { error: 'expected a string or a number' }).optional(),
  strictAccounts: z.boolean().optional(),
  startTime: z
    .union([z.string(), z.number()], { error: 'expected an ISO date string or epoch milliseconds' })
    .optional(),
  // virtual: follows the wall clock, advance and settle jump ahead; manual: moves only by them; real: process timers
  clock: z.enum(['virtual', 'manual', 'real']).optional(),
  // host names the server answers besides localhost, IP addresses and its own (DNS rebinding protection)
  allowedHosts: z.union([z.array(z.string().min(1)), z.literal(true)]).optional(),
  strictNumbers: z.boolean().optional(),
  magicNumbers: z.boolean().optional(),
  scheduling: z
    .strictObject({
      minAhead: duration.optional(),
      maxAhead: duration.optional(),
      fromOnly: z.enum(['drop', 'reject']).optional(),
      maxScheduled: z.number().int().nonnegative().optional(),
    })
    .optional(),
  maxValidityPeriod: z.number().int().positive().optional(),
  maxPrice: z.enum(['checked', 'obsolete']).optional(),
  applicationCallback: z.enum(['replaces', 'fallback']).optional(),
  contentTemplates: z.array(contentTemplate).optional(),
  mmsCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO country code such as "US"'))
    .optional(),
  delays: z
    .strictObject({
      accepted: duration.optional(),
      queued: duration.optional(),
      sending: duration.optional(),
      sent: duration.optional(),
      delivered: duration.optional(),
    })
    .optional(),
  prices: z
    .strictObject({ sms: price.optional(), mms: price.optional(), whatsapp: price.optional() })
    .optional(),
  senderRates: z
    .strictObject({
      longCode: z.number().positive().optional(),
      shortCode: z.number().positive().optional(),
      tollFree: z.number().positive().optional(),
      alphanumeric: z.number().positive().optional(),
      whatsapp: z.number().positive().optional(),
    })
    .optional(),
  maxQueueSeconds: z.union([z.number().positive(), z.literal(false)]).optional(),
  validityErrorCode: z.number().int().optional(),
  callbacks: z
    .strictObject({
      timeoutMs: z.number().positive().optional(),
      retries: z.number().int().nonnegative().optional(),
      maxRecorded: z.number().int().nonnegative().optional(),
      network: z.boolean().optional(),
    })
    .optional(),
  retention: z.strictObject({ maxMessages: z.number().int().positive().optional() }).optional(),
})

// the file says every option JSON can say: an option added to createTwilioDouble() and not here does not compile
const covered: {
  options: Record<keyof CreateTwilioDoubleOptions, unknown>
  account: Record<keyof AccountOptions, unknown>
  phoneNumber: Record<keyof PhoneNumberOptions, unknown>
  messagingService: Record<keyof MessagingServiceOptions, unknown>
  application: Record<keyof ApplicationOptions, unknown>
} = {
  options: serveConfigSchema.shape,
  account: account.shape,
  phoneNumber: phoneNumberObject.shape,
  messagingService: messagingService.shape,
  application: application.shape,
}
void covered

/** What a configuration file holds: the JSON-expressible part of {@link CreateTwilioDoubleOptions}. */
export type ServeConfig = z.infer<typeof serveConfigSchema> &
  Omit<CreateTwilioDoubleOptions, 'clock'> & { clock?: 'virtual' | 'manual' | 'real' }

/** The schema inside optional and preprocessing wrappers. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema
  for (;;) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType
    else return s
  }
}

/** The keys an object of the schema takes at `path` (for an unknown key's message). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = serveConfigSchema
  for (const step of path) {
    schema = unwrap(schema)
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType
    else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(step)]
    else return []
  }
  schema = unwrap(schema)
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

/** Where in the file an issue is, as `accounts[0].phoneNumbers[1].smsMethod`. */
function where(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`
  return out || '(top level)'
}

/**
 * Checks parsed JSON as a configuration: the options, or an error naming every problem with its place in the
 * file (unknown keys with the known ones).
 *
 * @example
 * parseServeConfig({ accounts: [{ sid: 'AC…', authToken: 't', phoneNumbers: [{ number: '+15005550006', smsUrl: 'http://127.0.0.1:3000/sms' }] }] })
 */
export function parseServeConfig(value: unknown): ServeConfig {
  const result = serveConfigSchema.safeParse(value)
  if (result.success) return result.data as ServeConfig
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `${where(issue.path)}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (known: ${knownKeys(issue.path).join(', ')})`
    return `${where(issue.path)}: ${issue.message}`
  })
  throw new Error(problems.join('; '))
}

/**
 * Reads and checks a configuration file.
 *
 * @example
 * const options = readServeConfig('twilio-double.json')
 */
export function readServeConfig(file: string): ServeConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`--config: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`--config: ${file} is not valid JSON (${(err as Error).message})`)
  }
  try {
    return parseServeConfig(json)
  } catch (err) {
    throw new Error(`--config: ${file}: ${(err as Error).message}`)
  }
}
