/**
 * The figures users feel: whole calls to Twilio's API through `double.handle()` (the door msw and the
 * `twilio` client's `httpClient()` reach), body read, in a double holding a few hundred messages.
 */
import type { Graph } from './variants.js'

export type Figure = 'create' | 'fetch' | 'list'

export const FIGURES: Record<Figure, string> = {
  create: 'create (POST Messages.json, 20 recipients in turn)',
  fetch: 'fetch (GET a message, one of the last 200)',
  list: 'list page (GET Messages.json?PageSize=50, re-read)',
}

const ACCOUNT = 'AC00000000000000000000000000000001'
const TOKEN = 'twilio-double-auth-token-0000001'
const BASE = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages`
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`
const FORM = 'application/x-www-form-urlencoded'

/** The body the `twilio` client sends for `messages.create({ to, from, body, statusCallback })`. */
const createBody = (i: number) =>
  `To=%2B1555010${String(1000 + (i % 20))}&From=%2B15005550006&Body=Your+verification+code+is+${100000 + (i % 900000)}&StatusCallback=https%3A%2F%2Fexample.com%2Fstatus`

export type Calls = Record<Figure, (i: number) => Promise<string>>

/** A double of `graph` with 200 messages, and the calls of each figure on it. */
export async function userCalls(graph: Graph): Promise<Calls> {
  const double = graph.index.createTwilioDouble({ maxQueueSeconds: false })
  const call = async (url: string, init?: RequestInit): Promise<string> => {
    const response: Response = await double.handle(
      new Request(url, { ...init, headers: { authorization: AUTH, ...init?.headers } }),
    )
    const text = await response.text()
    if (response.status >= 300) throw new Error(`${response.status} ${text}`)
    return text
  }
  const create = (i: number) =>
    call(`${BASE}.json`, { method: 'POST', headers: { 'content-type': FORM }, body: createBody(i) })
  const sids: string[] = []
  for (let i = 0; i < 200; i++) sids.push(JSON.parse(await create(i)).sid)
  return {
    create: (i) => create(i),
    fetch: (i) => call(`${BASE}/${sids[sids.length - 1 - (i % 200)]}.json`),
    list: () => call(`${BASE}.json?PageSize=50`),
  }
}
