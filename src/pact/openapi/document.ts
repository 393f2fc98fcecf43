/**
 * An OpenAPI 3 description read for checking: its operations found by method and concrete path, `$ref`s
 * resolved, `allOf` merged. By default the slice of Twilio's description the package ships (Account, Message,
 * Media and Feedback of API 2010-04-01, MIT © Twilio: contracts/openapi/ in the package); any description in the same
 * shape (Twilio's whole twilio_api_v2010.json) can be given instead.
 */
import slice from '../../../contracts/openapi/twilio_api_v2010.messaging-slice.json' with { type: 'json' }
import { TwilioDoubleError } from '../../errors/twilio-api-error.js'

/** A JSON schema of the description (the subset Twilio's description uses). */
export type Schema = { [keyword: string]: any }

/** An operation found for a method and a concrete path. */
export interface FoundOperation {
  /** The path template, e.g. `/2010-04-01/Accounts/{AccountSid}/Messages.json`. */
  template: string
  operationId: string
  operation: Schema
  /** Values of the template's parameters in the concrete path. */
  pathParams: Record<string, string>
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

interface Route {
  template: string
  names: string[]
  pattern: RegExp
  item: Schema
}

/** The path of a URL or of a path with a query: no scheme, host, query or fragment. */
export function pathOnly(urlOrPath: string): string {
  const p = /^https?:\/\//i.test(urlOrPath) ? new URL(urlOrPath).pathname : urlOrPath
  const end = p.search(/[?#]/)
  return end >= 0 ? p.slice(0, end) : p
}

/**
 * An OpenAPI description ready for checks. Make one per description: it compiles its path templates once.
 *
 * @example
 * const twilio = new OpenApiDescription()
 * twilio.findOperation('POST', '/2010-04-01/Accounts/AC…/Messages.json')?.operationId // 'CreateMessage'
 */
export class OpenApiDescription {
  readonly document: Schema
  /** Where the description came from (a file path, or the shipped slice). */
  readonly source: string
  private readonly routes: Route[]

  constructor(
    document: Schema = slice as Schema,
    source = 'the Twilio OpenAPI slice shipped in twilio-double',
  ) {
    if (!document || typeof document !== 'object' || typeof document.paths !== 'object')
      throw new TwilioDoubleError(
        `${source} is not an OpenAPI description (no "paths"); pass Twilio's JSON file`,
      )
    this.document = document
    this.source = source
    this.routes = Object.keys(document.paths).map((template) => {
      const names: string[] = []
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          if (!part.startsWith('{')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          names.push(part.slice(1, -1))
          return '([^/]+)'
        })
        .join('')
      return { template, names, pattern: new RegExp(`^${source}$`), item: document.paths[template] }
    })
  }

  /** The `info.title` and `info.version` of the description. */
  get title(): string {
    const info = this.document.info ?? {}
    return [info.title, info.version].filter(Boolean).join(' ') || this.source
  }

  /** The operation for a method and a concrete path (query ignored; a full URL is accepted). */
  findOperation(method: string, urlOrPath: string): FoundOperation | undefined {
    const m = method.toLowerCase()
    const path = pathOnly(urlOrPath)
    for (const route of this.routes) {
      const match = route.pattern.exec(path)
      const operation = match && METHODS.has(m) ? route.item[m] : undefined
      if (!match || !operation) continue
      const pathParams: Record<string, string> = {}
      route.names.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(match[i + 1]!)
      })
      return {
        template: route.template,
        operationId: operation.operationId ?? `${m.toUpperCase()} ${route.template}`,
        operation,
        pathParams,
      }
    }
    return undefined
  }

  /** The methods declared for a concrete path (to say what exists when the method does not). */
  methodsOf(urlOrPath: string): string[] {
    const path = pathOnly(urlOrPath)
    const route = this.routes.find((r) => r.pattern.test(path))
    return route
      ? Object.keys(route.item)
          .filter((k) => METHODS.has(k))
          .map((k) => k.toUpperCase())
      : []
  }

  /** Follows `$ref`s (`#/components/schemas/…`) to the schema they name. */
  deref(schema: Schema | undefined): Schema | undefined {
    let s = schema
    for (let i = 0; s && typeof s.$ref === 'string'; i++) {
      if (i > 32) throw new TwilioDoubleError(`${this.source}: $ref loop at ${s.$ref}`)
      const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref)
      const next = m ? this.document.components?.schemas?.[m[1]!] : undefined
      if (!next) throw new TwilioDoubleError(`${this.source}: unresolved $ref ${s.$ref}`)
      s = next
    }
    return s
  }

  /** A schema with its `$ref` followed and its `allOf` members merged into one object schema. */
  resolve(schema: Schema | undefined): Schema | undefined {
    const s = this.deref(schema)
    if (!s || !Array.isArray(s.allOf)) return s
    const { allOf, ...rest } = s
    const merged: Schema = { ...rest, properties: { ...(rest.properties ?? {}) } }
    const required = new Set<string>(rest.required ?? [])
    for (const member of allOf) {
      const m = this.resolve(member) ?? {}
      for (const [k, v] of Object.entries(m)) {
        if (k === 'properties') Object.assign(merged.properties, v)
        else if (k === 'required') for (const r of v as string[]) required.add(r)
        else if (!(k in merged)) merged[k] = v
      }
    }
    if (required.size > 0) merged.required = [...required]
    if (Object.keys(merged.properties).length === 0) delete merged.properties
    return merged
  }

  /** The name of a schema reference (`api.v2010.account.message`), for messages. */
  static refName(schema: Schema | undefined): string | undefined {
    const ref = schema?.$ref
    return typeof ref === 'string' ? ref.replace(/^#\/components\/schemas\//, '') : undefined
  }
}
