/**
 * The error catalog: every Twilio error code the double can answer with, its HTTP status
 * and the message text. Runtime message texts follow the ones Twilio's API returns; other codes
 * use the title from Twilio's error dictionary.
 */

/** Values a catalog message can mention (the offending number, parameter, path, ...). */
export interface ErrorDetails {
  to?: string
  from?: string
  path?: string
  param?: string
  value?: string
  sid?: string
  message?: string
  /** Replaces the catalog text entirely (a scenario's own message). */
  override?: string
}

interface CatalogEntry {
  status: number
  message: string | ((d: ErrorDetails) => string)
}

const entries: Record<number, CatalogEntry> = {
  20001: { status: 400, message: (d) => d.message ?? `Invalid parameter${d.param ? ` '${d.param}'` : ''}` },
  20003: { status: 401, message: 'Authenticate' },
  20004: { status: 405, message: (d) => `Method not allowed${d.path ? `: ${d.path}` : ''}` },
  20005: { status: 403, message: 'Account not active' },
  20007: { status: 400, message: 'Page size too large. Maximum page size is 1000.' },
  20008: { status: 403, message: 'Resource not accessible with Test Account Credentials' },
  20009: {
    status: 400,
    message: 'Cannot delete message because delivery has not been completed.',
  },
  20404: {
    status: 404,
    message: (d) => `The requested resource ${d.path ?? ''} was not found`,
  },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'Internal Server Error' },
  20503: { status: 503, message: 'Service unavailable' },
  21211: { status: 400, message: (d) => `The 'To' number ${d.to ?? ''} is not a valid phone number.` },
  21212: {
    status: 400,
    message: (d) =>
      `The 'From' number ${d.from ?? ''} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  },
  21408: {
    status: 400,
    message: (d) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${d.to ?? ''}`,
  },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21606: {
    status: 400,
    message: (d) =>
      `The From phone number ${d.from ?? ''} is not a valid, SMS-capable inbound phone number or short code for your account.`,
  },
  21609: { status: 400, message: (d) => `The StatusCallback URL ${d.value ?? ''} is not a valid URL.` },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21611: {
    status: 400,
    message: (d) => `The 'From' number ${d.from ?? ''} has exceeded the maximum number of queued messages`,
  },
  21612: {
    status: 400,
    message: (d) =>
      `The 'To' phone number: ${d.to ?? ''}, is not currently reachable using the 'From' phone number: ${d.from ?? ''} via SMS.`,
  },
  21614: { status: 400, message: (d) => `To number: ${d.to ?? ''}, is not a mobile number` },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  21619: { status: 400, message: (d) => `Unable to create record${d.message ? `: ${d.message}` : ''}` },
  21620: {
    status: 400,
    message: (d) => `Media urls: ${d.value ?? ''} are invalid. Please use only valid http and https urls`,
  },
  21623: { status: 400, message: 'Too many media urls. Please limit the number of media urls to 10' },
  21624: {
    status: 400,
    message: (d) => `Invalid validity period value${d.value !== undefined ? `: ${d.value}` : ''}`,
  },
  // Not in the dictionary snapshot of the reference material: the descriptions of Twilio's error pages.
  21627: { status: 400, message: 'Max Price must be a valid positive float' },
  21654: { status: 400, message: 'ContentSid Required' },
  21655: { status: 400, message: (d) => `The Content Sid ${d.value ?? ''} is invalid.` },
  21656: { status: 400, message: 'The ContentVariables Parameter is invalid.' },
  // Not in the dictionary snapshot of the reference material: the text of Twilio's runtime answer.
  21910: { status: 400, message: 'Invalid From and To pair. From and To should be of the same channel' },
  21701: {
    status: 400,
    message: (d) => `The Messaging Service Sid ${d.sid ?? ''} is invalid.`,
  },
  21703: {
    status: 400,
    message: 'The Messaging Service does not have a phone number available to send a message',
  },
  21704: { status: 400, message: 'The Messaging Service contains no phone numbers' },
  // Not in the dictionary snapshot of the reference material: the descriptions of Twilio's error pages.
  30029: { status: 400, message: 'ContentRetention value used in the request is invalid' },
  30030: { status: 400, message: 'AddressRetention value used in the request is invalid' },
  30409: {
    status: 400,
    message: 'Message cannot be canceled. Only messages with status scheduled can be canceled.',
  },
  35111: { status: 400, message: 'SendAt timestamp is missing' },
  35114: {
    status: 400,
    message: (d) => `Scheduling does not support this timestamp${d.message ? `: ${d.message}` : ''}`,
  },
  35118: { status: 400, message: 'MessagingServiceSid is required to schedule a message' },
  35125: { status: 400, message: 'Maximum limit reached in the account for scheduling messages' },
}

/**
 * Titles of Twilio's messaging error dictionary, for codes without a runtime text above
 * (delivery errors 30001-30035 and channel errors 63001-63040 included).
 *
 * @example
 * ERROR_TITLES[30003] // 'Unreachable destination handset'
 */
export const ERROR_TITLES: Readonly<Record<number, string>> = {
  // Inbound webhooks and messaging TwiML (logged by Twilio's debugger, never API answers)
  11100: 'Invalid URL format',
  11200: 'HTTP retrieval failure',
  12100: 'Document parse failure',
  12102: 'The root element must be Response',
  12200: 'Schema validation warning',
  12300: 'Invalid Content-Type',
  14101: 'Invalid "To" attribute',
  14102: 'Invalid "From" attribute',
  14103: 'Invalid Body',
  14105: 'Invalid statusCallback attribute',
  14106: 'Document retrieval limit reached',
  20001: 'Unknown parameters',
  20003: 'Permission Denied',
  20004: 'Method not allowed',
  20005: 'Account not active',
  20007: 'Page size too large',
  20008: 'Test Credentials',
  20009: 'Cannot delete this resource before it is complete',
  20404: 'Not Found',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service unavailable',
  21211: "Invalid 'To' Phone Number",
  21212: 'Invalid From Number (caller ID)',
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  21601: 'Phone number is not a valid SMS-capable inbound phone number',
  21602: 'Message body is required',
  21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
  21604: "The destination 'To' phone number is required to send an SMS",
  21606:
    "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination.",
  21607: "The 'from' phone number must be the sandbox phone number for trial accounts.",
  21608: "The 'to' phone number provided is not yet verified for this account.",
  21609: "Invalid 'StatusCallback'",
  21610: 'Attempt to send to unsubscribed recipient',
  21611: "This 'From' number has exceeded the maximum number of queued messages",
  21612: "The 'To' phone number is not currently reachable via SMS",
  21614: "'To' number is not a valid mobile number",
  21617: 'The concatenated message body exceeds the 1600 character limit',
  21619: 'Unable to create record',
  21620: 'Invalid media URL(s)',
  21621: "The 'From' number has not been enabled for MMS",
  21622: 'MMS has not been enabled for your account',
  21623: 'Number of media files exceeds allowed limit',
  21624: 'Invalid validity period value',
  21627: 'Max Price must be a valid float',
  21654: 'ContentSid Required',
  21655: 'The ContentSid is Invalid',
  21656: 'The ContentVariables Parameter is invalid',
  21701: 'The Messaging Service does not exist',
  21703: 'The Messaging Service does not have a phone number available to send a message',
  21704: 'The Messaging Service contains no phone numbers',
  21705: 'The Messaging Service is invalid',
  21910: 'Invalid From and To pair',
  23001: 'Message Redaction Incompatible Configuration: Long code STOP filtering',
  30001: 'Queue overflow',
  30002: 'Account suspended',
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
  30009: 'Missing inbound segment',
  30010: 'Message price exceeds max price',
  30011: 'MMS not supported by the receiving phone number in this region',
  30012: 'TTL is too small',
  30017: 'Carrier network congestion',
  30018: 'Destination carrier requires sender ID pre-registration',
  30019: 'Content size exceeds carrier limit',
  30020: 'Internal Failure with Message Scheduling',
  30022: 'US A2P 10DLC - Rate Limits Exceeded',
  30023: 'US A2P 10DLC - Daily Message Cap Reached',
  30024: 'Numeric Sender ID Not Provisioned on Carrier',
  30029: 'Invalid ContentRetention',
  30030: 'Invalid AddressRetention',
  30032: 'Toll-Free Number Has Not Been Verified',
  30034: 'US A2P 10DLC - Message from an Unregistered Number',
  30035: 'US A2P 10DLC - Message from a number still being configured',
  30036: 'Validity Period Expired',
  30409: 'This message cannot be canceled',
  35111: 'SendAt timestamp is missing',
  35114: 'Scheduling does not support this timestamp',
  35118: 'MessagingServiceSid is required to schedule a message',
  35125: 'Maximum limit reached in the account for scheduling messages',
  35126: 'The ScheduleType value provided is not supported for this channel',
  63001:
    'Channel could not authenticate the request. Please see Channel specific error message for more information',
  63002: 'Channel could not find the From address',
  63003: 'Channel could not find To address',
  63005:
    'Channel did not accept given content. Please see Channel specific error message for more information',
  63006:
    'Could not format given content for the channel. Please see Channel specific error message for more information',
  63007: 'Twilio could not find a Channel with the specified From address',
  63008:
    'Could not execute the request because the channel module has been misconfigured. Please check the Channel configuration in Twilio',
  63009:
    'Channel provider returned an internal service error (HTTP 5xx). Please see Channel specific error message for more information',
  63010: "Twilio's platform encountered an internal error processing this message",
  63011: 'Invalid Request: Twilio encountered an error while processing your request',
  63012: 'Channel provider returned an internal service error',
  63013: 'Channel policy violation',
  63014: 'Channel message blocked by user action',
  63015: 'Channel Sandbox can only send messages to phone numbers that have joined the Sandbox',
  63016:
    'Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.',
  63017: 'Rate limit exceeded',
  63018: 'Rate limit exceeded for Channel',
  63019: 'Media failed to download',
  63020: 'Twilio encountered a Business Manager account error',
  63021: 'Channel invalid content error',
  63022: 'Invalid vname certificate',
  63023: 'Channel generic error',
  63024: 'Invalid message recipient',
  63025: 'Media already exists',
  63026: 'Channel sender content flagged as spam',
  63027: 'Template does not exist for a language and locale',
  63028: 'Number of parameters provided does not match the expected number of parameters',
  63029: 'The receiver failed to download the template',
  63030: 'Unsupported parameter for type of channels message',
  63031: 'Channels message cannot have same From and To',
  63032: 'We cannot send this message to this user because of a WhatsApp limitation.',
  63033: 'Recipient blocked to receive message',
  63034: 'Media exceeds size limit',
  63035:
    'This operation is blocked because the RBM agent has not launched and the recipient has not been invited and accepted the invitation to become a tester.',
  63036: 'The specified phone number cannot be reached by RBM at this time.',
  63037: 'Channel Media Upload Error',
  63038: 'Account exceeded the daily messages limit',
  63039:
    'Facebook requires you to decrease the rate at which you are sending messages outside the 24-hour window.',
  63040: 'Template Rejected',
}

/**
 * Every code the catalog knows.
 *
 * @example
 * knownErrorCodes().includes(21211) // true
 */
export function knownErrorCodes(): number[] {
  return Object.keys(ERROR_TITLES).map(Number)
}

/** True when `code` is in the catalog. */
export function isKnownErrorCode(code: number): boolean {
  return code in ERROR_TITLES || code in entries
}

/**
 * HTTP status Twilio answers with for an API error `code` (400 unless the catalog says otherwise).
 *
 * @example
 * errorStatus(20404) // 404
 */
export function errorStatus(code: number): number {
  return entries[code]?.status ?? 400
}

/**
 * The message text of an API error `code`, filled in with `details`.
 *
 * @example
 * errorMessage(21211, { to: '+1asd' }) // "The 'To' number +1asd is not a valid phone number."
 */
export function errorMessage(code: number, details: ErrorDetails = {}): string {
  if (details.override !== undefined) return details.override
  const entry = entries[code]
  if (entry) return typeof entry.message === 'function' ? entry.message(details) : entry.message
  return details.message ?? ERROR_TITLES[code] ?? `Error ${code}`
}

/** The human-readable text stored in a message's `error_message` for a delivery error code. */
export function deliveryErrorMessage(code: number): string {
  return ERROR_TITLES[code] ?? `Error ${code}`
}

/** Twilio's documentation link for `code`. */
export function moreInfo(code: number): string {
  return `https://www.twilio.com/docs/errors/${code}`
}
