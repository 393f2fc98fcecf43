/**
 * Writes contracts/openapi/twilio_api_v2010.messaging-slice.json: the Message and Account slice of Twilio's
 * OpenAPI description of the 2010-04-01 API (twilio/twilio-oai spec/json/twilio_api_v2010.json, MIT).
 *
 * Keeps the five Message / Media / Feedback paths and the two Account paths (the operations the double
 * answers), the component schemas they reference (transitively),
 * servers, security and a short info block. Drops all prose (description, summary), examples, response
 * headers (CORS boilerplate) and the non-structural x-twilio hints (pii, defaultOutputProperties...).
 * Below the top level, keys are sorted recursively, so the same input always gives byte-identical output.
 *
 * Usage: npx tsx scripts/slice-openapi.ts [source.json] [out.json]
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const source = resolve(process.argv[2] ?? '/work/shared/reference/twilio_api_v2010.json')
const target = resolve(
  process.argv[3] ?? resolve(root, 'contracts/openapi/twilio_api_v2010.messaging-slice.json'),
)

export const SLICE_PATHS = [
  '/2010-04-01/Accounts.json',
  '/2010-04-01/Accounts/{Sid}.json',
  '/2010-04-01/Accounts/{AccountSid}/Messages.json',
  '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json',
  '/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json',
  '/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json',
  '/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Feedback.json',
]

/** Keywords that only carry prose or sample data. */
const DROP_KEYS = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'termsOfService'])
/** x-twilio members kept because they carry structure, not documentation. */
const KEEP_X_TWILIO = new Set(['conditional', 'pathType', 'parent', 'dependentProperties', 'ignoreFormat'])
/** Objects whose keys are names (of properties, media types, status codes...), not keywords. */
const NAME_MAPS = new Set(['properties', 'content', 'responses', 'paths', 'schemas', 'securitySchemes'])

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function clean(value: Json, parentKey = ''): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => clean(v) ?? null)
  if (!isObject(value)) return value
  const namesOnly = NAME_MAPS.has(parentKey)
  const out: JsonObject = {}
  for (const key of Object.keys(value).sort()) {
    const v = value[key] as Json
    if (!namesOnly) {
      if (DROP_KEYS.has(key)) continue
      // response headers: only CORS boilerplate in this spec
      if (key === 'headers' && parentKey === 'response') continue
    }
    let child: Json | undefined
    if (!namesOnly && key === 'x-twilio' && isObject(v)) {
      const kept: JsonObject = {}
      for (const k of Object.keys(v).sort())
        if (KEEP_X_TWILIO.has(k)) kept[k] = clean(v[k] as Json, k) ?? null
      child = Object.keys(kept).length > 0 ? kept : undefined
    } else {
      // members of `responses` are response objects: mark them so their `headers` can be dropped
      child = clean(v, parentKey === 'responses' ? 'response' : namesOnly ? '' : key)
    }
    if (child !== undefined) out[key] = child
  }
  return out
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into)
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v)
      else collectRefs(v, into)
    }
  }
}

function collectTags(paths: JsonObject): Set<string> {
  const tags = new Set<string>()
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue
    for (const op of Object.values(item)) {
      if (isObject(op) && Array.isArray(op.tags))
        for (const t of op.tags) if (typeof t === 'string') tags.add(t)
    }
  }
  return tags
}

export function slice(spec: JsonObject, sourceSha256: string): JsonObject {
  const allPaths = spec.paths as JsonObject
  const allSchemas = (spec.components as JsonObject).schemas as JsonObject

  const paths: JsonObject = {}
  for (const p of SLICE_PATHS) {
    const item = allPaths[p]
    if (!isObject(item)) throw new Error(`path missing from source: ${p}`)
    paths[p] = item
  }

  // transitive closure of component references
  const schemas: JsonObject = {}
  const pending = new Set<string>()
  collectRefs(paths, pending)
  while (pending.size > 0) {
    const ref = pending.values().next().value as string
    pending.delete(ref)
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref)
    if (!m) throw new Error(`unsupported $ref: ${ref}`)
    const name = m[1]!
    if (name in schemas) continue
    const schema = allSchemas[name]
    if (schema === undefined) throw new Error(`unresolved $ref: ${ref}`)
    schemas[name] = schema
    const next = new Set<string>()
    collectRefs(schema, next)
    for (const r of next) pending.add(r)
  }

  const usedTags = collectTags(paths)
  const tags = ((spec.tags as Json[] | undefined) ?? []).filter(
    (t) => isObject(t) && typeof t.name === 'string' && usedTags.has(t.name),
  )
  const srcInfo = spec.info as JsonObject

  const out: JsonObject = {
    openapi: spec.openapi as string,
    info: {
      title: `${srcInfo.title as string} (Message and Account slice)`,
      version: srcInfo.version as string,
      license: { name: 'MIT', url: 'https://github.com/twilio/twilio-oai/blob/main/LICENSE' },
      'x-slice': {
        note: 'Trimmed slice of the Twilio 2010-04-01 API description: Account, Message, Media and Feedback paths only, prose and examples removed. Not the complete API.',
        source: 'twilio/twilio-oai spec/json/twilio_api_v2010.json',
        sourceSha256,
        licenseFile: 'LICENSE',
        generator: 'scripts/slice-openapi.ts',
      },
    },
    servers: spec.servers as Json,
    security: spec.security as Json,
    tags,
    paths,
    components: {
      securitySchemes: (spec.components as JsonObject).securitySchemes as Json,
      schemas,
    },
  }
  // conventional order at the top level, sorted keys everywhere below
  const ordered: JsonObject = {}
  for (const key of ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']) {
    const v = clean(out[key] as Json, key)
    if (v !== undefined) ordered[key] = v
  }
  return ordered
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const raw = readFileSync(source)
  const sha = createHash('sha256').update(raw).digest('hex')
  const result = slice(JSON.parse(raw.toString('utf8')) as JsonObject, sha)
  const text = `${JSON.stringify(result, null, 2)}\n`
  writeFileSync(target, text)
  const ops = Object.values(result.paths as JsonObject).flatMap((item) =>
    Object.values(item as JsonObject).filter((o) => isObject(o) && typeof o.operationId === 'string'),
  )
  const nSchemas = Object.keys(((result.components as JsonObject).schemas as JsonObject) ?? {}).length
  console.log(`wrote ${target}: ${text.length} bytes, ${ops.length} operations, ${nSchemas} schemas`)
}
