/**
 * Content templates (Twilio's Content API, `content.twilio.com/v1/Content`) of one account: created through the API
 * or declared in the double's options, with their WhatsApp approval; and the rendering of a template into the body
 * (and media) of a message sent with `ContentSid` and `ContentVariables`. No HTTP here: the HTTP layer reads the
 * Content API's JSON into the commands below and renders the records.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { Scheduler } from '../time/scheduler.js'
import type { SeededRandom } from '../util/random.js'
import type { Channel } from './address.js'
import type { ApprovalRequestCommand, CreateContentCommand } from './commands.js'
import { NotFoundError } from './errors.js'

/** Where a template's WhatsApp approval is (Twilio's statuses, lower-case). */
export type ApprovalStatus =
  | 'unsubmitted'
  | 'received'
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'paused'
  | 'disabled'

/** The WhatsApp categories of a template Twilio takes in an approval request. */
export const APPROVAL_CATEGORIES = ['UTILITY', 'MARKETING', 'AUTHENTICATION'] as const

/** A template's WhatsApp approval request and its outcome. */
export interface WhatsAppApproval {
  name: string
  category: string
  status: ApprovalStatus
  rejectionReason: string
}

/** A content template as the double keeps it. */
export interface ContentTemplate {
  sid: string
  accountSid: string
  friendlyName: string
  language: string
  /** Default values of the placeholders (`{"1": "Customer"}`). */
  variables: Record<string, string>
  /** The template's content types, as given (`{"twilio/text": {"body": "Hi {{1}}"}}`). */
  types: Record<string, Record<string, unknown>>
  dateCreated: number
  dateUpdated: number
  /** Absent until the template is submitted for WhatsApp approval (or declared with one). */
  whatsapp?: WhatsAppApproval
}

/** A template declared in the double's options (see `contentTemplates`), resolved: SID and account known. */
export interface DeclaredTemplate {
  sid: string
  accountSid: string
  friendlyName?: string
  language?: string
  variables?: Record<string, string>
  types: Record<string, Record<string, unknown>>
  whatsapp?: { name?: string; category?: string; status?: ApprovalStatus; rejectionReason?: string }
}

/** Virtual time a WhatsApp approval request made through the API takes to be approved. */
export const APPROVAL_DELAY_MS = 60 * 60 * 1000

/**
 * The content templates of one account: those its options declare (back after every reset) and those created
 * through the Content API.
 *
 * @example
 * const templates = new ContentTemplates('AC…', random, scheduler, [])
 * const t = templates.create({ accountSid: 'AC…', language: 'en', types: { 'twilio/text': { body: 'Hi {{1}}' } } })
 * renderTemplate(templates.get(t.sid), 'sms', '{"1":"Ann"}').body // 'Hi Ann'
 */
export class ContentTemplates {
  private readonly bySid = new Map<string, ContentTemplate>()

  constructor(
    private readonly random: SeededRandom,
    private readonly scheduler: Scheduler,
    declared: readonly DeclaredTemplate[],
  ) {
    const now = scheduler.now()
    for (const d of declared) {
      const template: ContentTemplate = {
        sid: d.sid,
        accountSid: d.accountSid,
        friendlyName: d.friendlyName ?? '',
        language: d.language ?? 'en',
        variables: { ...d.variables },
        types: structuredClone(d.types),
        dateCreated: now,
        dateUpdated: now,
      }
      if (d.whatsapp)
        template.whatsapp = {
          name: d.whatsapp.name ?? '',
          category: d.whatsapp.category ?? 'UTILITY',
          status: d.whatsapp.status ?? 'approved',
          rejectionReason: d.whatsapp.rejectionReason ?? '',
        }
      this.bySid.set(template.sid, template)
    }
  }

  /** Creates a template (its approval unsubmitted). */
  create(command: CreateContentCommand): ContentTemplate {
    const now = this.scheduler.now()
    const template: ContentTemplate = {
      sid: this.random.sid('HX'),
      accountSid: command.accountSid,
      friendlyName: command.friendlyName ?? '',
      language: command.language,
      variables: { ...command.variables },
      types: structuredClone(command.types),
      dateCreated: now,
      dateUpdated: now,
    }
    this.bySid.set(template.sid, template)
    return template
  }

  /** The template of a SID, or undefined. */
  find(sid: string): ContentTemplate | undefined {
    return this.bySid.get(sid)
  }

  /** The template of a SID; a {@link NotFoundError} when there is none. */
  get(sid: string): ContentTemplate {
    const t = this.bySid.get(sid)
    if (!t) throw new NotFoundError('content', sid)
    return t
  }

  /** Every template, newest first. */
  list(): ContentTemplate[] {
    return [...this.bySid.values()].reverse()
  }

  delete(sid: string): void {
    if (!this.bySid.delete(sid)) throw new NotFoundError('content', sid)
  }

  /**
   * Submits a template for WhatsApp approval: `received` at once, `approved` after {@link APPROVAL_DELAY_MS} of
   * virtual time (`settle()` runs it). A name other than lower-case letters, digits and underscores, or a category
   * WhatsApp does not know, is refused (20001).
   */
  requestApproval(command: ApprovalRequestCommand): ContentTemplate {
    const template = this.get(command.contentSid)
    if (!/^[a-z0-9_]{1,512}$/.test(command.name))
      throw new TwilioApiError(20001, {
        message: `Invalid name '${command.name}': use lower-case letters, digits and underscores`,
      })
    if (!(APPROVAL_CATEGORIES as readonly string[]).includes(command.category))
      throw new TwilioApiError(20001, {
        message: `Invalid category '${command.category}': use one of ${APPROVAL_CATEGORIES.join(', ')}`,
      })
    const approval: WhatsAppApproval = {
      name: command.name,
      category: command.category,
      status: 'received',
      rejectionReason: '',
    }
    template.whatsapp = approval
    template.dateUpdated = this.scheduler.now()
    this.scheduler.schedule(this.scheduler.now() + APPROVAL_DELAY_MS, () => {
      if (template.whatsapp !== approval || !this.bySid.has(template.sid)) return
      approval.status = 'approved'
      template.dateUpdated = this.scheduler.now()
    })
    return template
  }
}

/** Whether WhatsApp has approved a template: only such a template is sent outside the 24-hour window. */
export function isApproved(template: ContentTemplate): boolean {
  return template.whatsapp?.status === 'approved'
}

/**
 * The content type a message of `channel` is sent with, most specific first: SMS takes text and media; WhatsApp,
 * Messenger and RCS take their rich types, then text and media.
 */
const TYPES_BY_CHANNEL: Record<'sms' | 'rich', readonly string[]> = {
  sms: ['twilio/text', 'twilio/media'],
  rich: [
    'whatsapp/card',
    'twilio/card',
    'twilio/carousel',
    'twilio/list-picker',
    'twilio/call-to-action',
    'twilio/quick-reply',
    'twilio/media',
    'twilio/text',
  ],
}

/** A `{{1}}` or `{{name}}` placeholder. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g

/**
 * Renders a template for a message of `channel`: the body (and media URLs) of its content type for that channel,
 * each `{{key}}` replaced by the value `ContentVariables` gives it, else the template's default. Refused with 21656
 * when `ContentVariables` is no JSON object of values, or a placeholder has no value.
 *
 * @example
 * renderTemplate(template, 'whatsapp', '{"1":"Ann"}') // { body: 'Hi Ann', mediaUrls: [] }
 */
export function renderTemplate(
  template: ContentTemplate,
  channel: Channel,
  contentVariables: string | undefined,
): { body: string; mediaUrls: string[] } {
  const values: Record<string, string> = { ...template.variables }
  if (contentVariables !== undefined && contentVariables !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(contentVariables)
    } catch {
      throw new TwilioApiError(21656)
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new TwilioApiError(21656)
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') values[key] = value
      else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value)
      else throw new TwilioApiError(21656)
    }
  }
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, key: string) => {
      const value = values[key]
      if (value === undefined) throw new TwilioApiError(21656)
      return value
    })
  const order = TYPES_BY_CHANNEL[channel === 'sms' ? 'sms' : 'rich']
  const name =
    order.find((t) => template.types[t] !== undefined) ??
    // a type the channel has no better one for: its text is sent
    Object.keys(template.types).find((t) => typeof template.types[t]?.body === 'string')
  const type = name === undefined ? undefined : template.types[name]
  const text = typeof type?.body === 'string' ? type.body : typeof type?.title === 'string' ? type.title : ''
  const media = Array.isArray(type?.media) ? type.media.filter((m): m is string => typeof m === 'string') : []
  return { body: fill(text), mediaUrls: media.map(fill) }
}
