import type { MessageRecord } from './types.js'

/**
 * Whether a message goes out as one MMS (one segment, billed per message): as its create decided (`SendAsMms`, or
 * the MMS converter sending it as SMS), else when it has media and is no WhatsApp or other channel message.
 *
 * @example
 * sentAsMms({ channel: 'sms', numMedia: 1 }) // true
 */
export function sentAsMms(r: Pick<MessageRecord, 'channel' | 'numMedia' | 'extra'>): boolean {
  if (r.channel !== 'sms') return false
  const sentAs = r.extra?.sentAs
  return sentAs !== undefined ? sentAs === 'mms' : r.numMedia > 0
}

/** Media content types by file extension, as Twilio reports them for a media URL. */
const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  '3gp': 'video/3gpp',
  pdf: 'application/pdf',
  vcf: 'text/vcard',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
}

/** The content type of a media URL, from its extension (default `application/octet-stream`). */
export function contentTypeOf(url: string): string {
  let path = url
  try {
    path = new URL(url).pathname
  } catch {
    // keep the raw string
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase()
  return (ext && CONTENT_TYPES[ext]) || 'application/octet-stream'
}
