/**
 * The messaging TwiML interpreter's reading step: an app's answer to an inbound-message webhook,
 * turned into the verbs Twilio would run and the debugger entries Twilio would log. Pure: no I/O.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** A `<Message>` (or its legacy alias `<Sms>`) verb: one reply to send. */
export interface TwimlMessage {
  verb: 'Message'
  /** Text of the message: the verb's own text, or the text of its `<Body>` nouns. */
  body: string
  /** URLs of its `<Media>` nouns, in document order. */
  media: string[]
  to?: string
  from?: string
  /** Where the reply's status callbacks go (`action`, or the older `statusCallback` attribute). */
  action?: string
  /** The HTTP method of those callbacks, upper-cased as written (GET or POST; POST when absent). */
  method?: string
}

/** A `<Redirect>` verb: control moves to the TwiML at `url`. */
export interface TwimlRedirect {
  verb: 'Redirect'
  url: string
  method: 'GET' | 'POST'
}

export type TwimlVerb = TwimlMessage | TwimlRedirect

/**
 * An entry Twilio would write in its debugger for a document: errors stop the document (and make
 * Twilio try the fallback URL), warnings do not.
 */
export interface TwimlIssue {
  code: number
  level: 'error' | 'warning'
  message: string
}

/** What an app's answer means to Twilio. */
export interface ParsedTwiml {
  /** The verbs to run, in order. Empty for an empty answer, an empty `<Response/>` or a fatal error. */
  verbs: TwimlVerb[]
  issues: TwimlIssue[]
  /** True when an error (not a warning) stopped the document. */
  fatal: boolean
}

/** Content types Twilio reads as TwiML. `text/plain` is sent back as one message. */
const XML_TYPES = new Set(['text/xml', 'application/xml', 'text/html'])
const MESSAGE_ATTRIBUTES = new Set(['to', 'from', 'action', 'method', 'statusCallback'])
const REDIRECT_ATTRIBUTES = new Set(['method'])

type Node = Record<string, unknown> & { ':@'?: Record<string, string> }

function fatal(code: number, message: string): ParsedTwiml {
  return { verbs: [], issues: [{ code, level: 'error', message }], fatal: true }
}

function nameOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@')
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return ''
  let out = ''
  for (const child of children as Node[]) {
    const name = nameOf(child)
    if (name === '#text') out += String(child['#text'] ?? '')
  }
  return out
}

function checkAttributes(
  tag: string,
  attrs: Record<string, string> | undefined,
  allowed: Set<string>,
  issues: TwimlIssue[],
): void {
  for (const key of Object.keys(attrs ?? {}))
    if (!allowed.has(key))
      issues.push({
        code: 12200,
        level: 'warning',
        message: `Schema validation warning: attribute '${key}' is not allowed on <${tag}>`,
      })
}

function readMessage(children: Node[], attrs: Record<string, string>, issues: TwimlIssue[]): TwimlMessage {
  const bodies: string[] = []
  const media: string[] = []
  let text = ''
  for (const child of children) {
    const name = nameOf(child)
    if (name === '#text') text += String(child['#text'] ?? '')
    else if (name === 'Body') bodies.push(textOf(child.Body))
    else if (name === 'Media') {
      const url = textOf(child.Media).trim()
      if (url) media.push(url)
    } else if (name !== undefined)
      issues.push({
        code: 12200,
        level: 'warning',
        message: `Schema validation warning: <${name}> is not allowed inside <Message>; use <Body> or <Media>`,
      })
  }
  const message: TwimlMessage = {
    verb: 'Message',
    body: bodies.length > 0 ? bodies.join('') : text.trim(),
    media,
  }
  if (attrs.to !== undefined) message.to = attrs.to.trim()
  if (attrs.from !== undefined) message.from = attrs.from.trim()
  const action = attrs.action ?? attrs.statusCallback
  if (action !== undefined) message.action = action.trim()
  if (attrs.method !== undefined) message.method = attrs.method.trim().toUpperCase()
  return message
}

/**
 * Reads an app's answer to an inbound-message webhook as Twilio's messaging TwiML interpreter does.
 *
 * - An empty body, or an empty `<Response/>`, sends nothing and logs nothing.
 * - `text/plain` bodies are sent back to the sender as one message.
 * - `text/xml`, `application/xml` and `text/html` are parsed as TwiML: the root must be `<Response>`
 *   (else 12102); `<Message>`/`<Sms>` with text or `<Body>`/`<Media>` nouns, and `<Redirect>`
 *   (verbs after it are unreachable). Malformed XML is 12100; unknown verbs, nouns or attributes are
 *   12200 warnings (the verb is skipped, the rest runs).
 * - Any other content type is 12300.
 *
 * @example
 * const { verbs } = parseTwiml('<Response><Message>Thanks!</Message></Response>', 'text/xml')
 * verbs[0] // { verb: 'Message', body: 'Thanks!', media: [] }
 */
export function parseTwiml(body: string, contentType: string | undefined): ParsedTwiml {
  if (body.trim() === '') return { verbs: [], issues: [], fatal: false }
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (mime === 'text/plain')
    return { verbs: [{ verb: 'Message', body: body.trim(), media: [] }], issues: [], fatal: false }
  if (!XML_TYPES.has(mime))
    return fatal(
      12300,
      `Invalid Content-Type: '${contentType ?? '(none)'}' is not a TwiML type; answer with text/xml (or text/plain for a plain reply)`,
    )

  const valid = XMLValidator.validate(body)
  if (valid !== true) {
    // the validator lists tags still open at the end as a JSON array: name them
    const open = /^Invalid '(\[[^']*\])' found\.$/.exec(valid.err.msg)
    let tags: unknown
    try {
      tags = open ? JSON.parse(open[1]!) : undefined
    } catch {
      tags = undefined
    }
    if (Array.isArray(tags) && tags.length > 0)
      return fatal(
        12100,
        `Document parse failure: unclosed ${tags.map((t) => `<${String(t)}>`).join(', ')} at the end of the document`,
      )
    return fatal(
      12100,
      `Document parse failure: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    )
  }
  // The validator accepts text after the root element; an XML document does not.
  if (body.slice(body.lastIndexOf('>') + 1).trim() !== '')
    return fatal(12100, 'Document parse failure: text after the root element')
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: true,
  })
  let doc: Node[]
  try {
    doc = parser.parse(body) as Node[]
  } catch (err) {
    return fatal(12100, `Document parse failure: ${err instanceof Error ? err.message : String(err)}`)
  }
  const roots: Node[] = []
  for (const node of doc) {
    const name = nameOf(node)
    if (name === '?xml') continue
    if (name === '#text') {
      if (String(node['#text'] ?? '').trim() !== '')
        return fatal(12100, 'Document parse failure: text outside the root element')
      continue
    }
    roots.push(node)
  }
  if (roots.length !== 1)
    return fatal(12100, 'Document parse failure: a TwiML document has exactly one root element')
  const root = roots[0]!
  const rootName = nameOf(root)
  if (rootName !== 'Response')
    return fatal(12102, `The root element must be Response (found <${rootName ?? ''}>)`)

  const issues: TwimlIssue[] = []
  const verbs: TwimlVerb[] = []
  for (const node of (root.Response as Node[] | undefined) ?? []) {
    const name = nameOf(node)
    if (name === undefined) continue
    if (name === '#text') {
      if (String(node['#text'] ?? '').trim() !== '')
        issues.push({
          code: 12200,
          level: 'warning',
          message:
            'Schema validation warning: text directly inside <Response> is ignored; wrap it in <Message>',
        })
      continue
    }
    const attrs = node[':@'] ?? {}
    if (name === 'Message' || name === 'Sms') {
      checkAttributes(name, attrs, MESSAGE_ATTRIBUTES, issues)
      verbs.push(readMessage((node[name] as Node[] | undefined) ?? [], attrs, issues))
    } else if (name === 'Redirect') {
      checkAttributes(name, attrs, REDIRECT_ATTRIBUTES, issues)
      const url = textOf(node.Redirect).trim()
      const method = (attrs.method ?? 'POST').trim().toUpperCase()
      if (!url) {
        issues.push({
          code: 12200,
          level: 'warning',
          message: 'Schema validation warning: <Redirect> needs a URL',
        })
        continue
      }
      verbs.push({ verb: 'Redirect', url, method: method === 'GET' ? 'GET' : 'POST' })
      break
    } else {
      issues.push({
        code: 12200,
        level: 'warning',
        message: `Schema validation warning: <${name}> is not a messaging TwiML verb (use <Message> or <Redirect>)`,
      })
    }
  }
  return { verbs, issues, fatal: false }
}
