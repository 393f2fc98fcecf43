import type { Faker } from '@faker-js/faker'
import { faker as englishFaker } from '@faker-js/faker/locale/en'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_START_TIME } from '../config.js'
import { toEpochMs } from '../util/dates.js'
import type { FactoryChannel, FactoryOptions } from './types.js'

/** The path prefix of Twilio's REST API. */
export const API = '/2010-04-01'

/** Content types of generated media. */
export const MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'video/mp4',
  'audio/mpeg',
  'application/pdf',
]

/** What every factory of a set shares: the set's options, its seeded faker and the values drawn from it. */
export interface FactoryContext {
  readonly faker: Faker
  readonly accountSid: string
  readonly authToken: string
  /** Reference time (epoch ms): resources are dated in the 30 days before it. */
  readonly now: number
  /** A SID: `prefix` and 32 lower-case hexadecimal digits. */
  sid(prefix: string): string
  /** A fictional US number (555-01XX range). */
  phone(): string
  /** `number` (default: a new one) as an address of `channel` (`whatsapp:` prefixed for WhatsApp). */
  address(channel: FactoryChannel, number?: string): string
  /** A message body of one of the kinds apps send (codes, notices, reminders, text, emoji). */
  body(): string
  /** The URL of a media item of a message. */
  mediaUrl(messageSid: string, mediaSid: string, accountSid: string): string
}

/** The Faker class, taken from the English instance so that the other locales are never loaded. */
const FakerClass = englishFaker.constructor as new (options: { locale: unknown }) => Faker

function referenceTime(now: FactoryOptions['now']): number {
  return now === undefined ? DEFAULT_START_TIME : toEpochMs(now, 'createFactories({ now }):')
}

/** The context of a new factory set: its faker seeded with `options.seed` (default 1). */
export function factoryContext(options: FactoryOptions): FactoryContext {
  const now = referenceTime(options.now)
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions })
  faker.seed(options.seed ?? 1)
  faker.setDefaultRefDate(new Date(now))

  const hex = () => faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })
  const sid = (prefix: string) => prefix + hex()
  const phone = () =>
    `+1${faker.number.int({ min: 2, max: 9 })}${faker.string.numeric(2)}55501${faker.string.numeric(2)}`
  return {
    faker,
    accountSid: options.accountSid ?? DEFAULT_ACCOUNT_SID,
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    now,
    sid,
    phone,
    address: (channel, number = phone()) =>
      channel === 'whatsapp' && !number.startsWith('whatsapp:') ? `whatsapp:${number}` : number,
    body: () =>
      faker.helpers.arrayElement([
        () => `Your verification code is ${faker.string.numeric(6)}`,
        () => `Hi ${faker.person.firstName()}, your order #${faker.string.numeric(5)} has shipped.`,
        () => `Reminder: your appointment is on ${faker.date.soon({ days: 14 }).toISOString().slice(0, 10)}.`,
        () => faker.lorem.sentence({ min: 4, max: 14 }),
        () => `${faker.lorem.sentence()} 👍`,
        () => faker.lorem.paragraph({ min: 4, max: 8 }),
      ])(),
    mediaUrl: (messageSid, mediaSid, acc) =>
      `https://api.twilio.com${API}/Accounts/${acc}/Messages/${messageSid}/Media/${mediaSid}`,
  }
}
