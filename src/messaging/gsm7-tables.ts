// Data: TwilioDevEd/message-segment-calculator@a50230f (MIT © 2021 Twilio Inc), via gsm7-smart-encoding-tables.json.
// Generated from that JSON table: same entries, the SmartEncoding map grouped by replacement.

/** GSM 03.38 basic character set: each character costs one septet. */
export const GSM7_BASIC_CHARS =
  '\n\r !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz' +
  '¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ'

/** GSM 03.38 extension table: each character costs two septets (ESC + char). */
export const GSM7_EXTENSION_CHARS = '\f[\\]^{|}~€'

/** Segment capacity in GSM-7 septets / UCS-2 code units: a lone segment vs. each part of a concatenated message. */
export const SEGMENT_LIMITS = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const

/**
 * SmartEncoding look-alikes, grouped as [replacement, every character replaced by it]. Kept as in the
 * source, including its quirks: NBSP and most Unicode spaces become two spaces, a tab becomes seven.
 */
const SMART_ENCODING_GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['', '\u0000\u0003\u0004\u0010\u0011\u0012\u0013\u0014\u0017\u0019\u200B\u2060\uFEFF'],
  [' ', '\u2001\u2028\u2029'],
  [
    ' '.repeat(2),
    '\u0080\u008D\u0090\u009B\u009F\u00A0\u2000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000',
  ],
  [' '.repeat(7), '\u0009'],
  ['!', '\u01C3\uFE15\uFE57\uFF01'],
  ['!!', '\u203C'],
  ['"', '\u00AB\u00BB\u02BA\u02EE\u201C\u201D\u201E\u201F\u275D\u275E\u301D\u301E\uFF02'],
  ['#', '\uFE5F\uFF03'],
  ['$', '\uFE69\uFF04'],
  ['%', '\uFE6A\uFF05'],
  ['&', '\uFE60\uFF06'],
  [
    "'",
    '\u0060\u00B4\u02B9\u02BB\u02BC\u02BD\u02C8\u02CA\u02CB\u0313\u0314\u2018\u2019\u201B\u275B\u275C\uFE10\uFE11\uFF07',
  ],
  ['(', '\u2768\u276A\u27EE\u2985\uFE59\uFF08'],
  [')', '\u2769\u276B\u27EF\u2986\uFE5A\uFF09'],
  [
    '*',
    '\u204E\u2217\u229B\u2722\u2723\u2724\u2725\u2731\u2732\u2733\u273A\u273B\u273C\u273D\u2743\u2749\u274A\u274B\u29C6\uFE61\uFF0A',
  ],
  ['+', '\u02D6\uFE62\uFF0B'],
  [',', '\u0326\u201A\u3001\uFE50\uFE51\uFF0C\uFF64'],
  ['-', '\u2010\u2013\u2014\u2015\u2022\u2043\u23BC\u23BD\uFE63\uFF0D'],
  ['.', '\u3002\uFE52\uFF0E\uFF61'],
  ['...', '\u2026'],
  ['/', '\u00F7\u0337\u0338\u2044\u2215\u29F8\uFF0F'],
  ['0', '\uFF10'],
  ['1', '\uFF11'],
  ['1/2', '\u00BD'],
  ['1/4', '\u00BC'],
  ['2', '\uFF12'],
  ['3', '\uFF13'],
  ['3/4', '\u00BE'],
  ['4', '\uFF14'],
  ['5', '\uFF15'],
  ['6', '\uFF16'],
  ['7', '\uFF17'],
  ['8', '\uFF18'],
  ['9', '\uFF19'],
  [':', '\u02D0\u02F8\u2982\uA789\uFE13\uFF1A'],
  [';', '\u204F\uFE14\uFE54\uFF1B'],
  ['<', '\u203A\uFE64\uFF1C'],
  ['=', '\u0347\uA78A\uFE66\uFF1D'],
  ['>', '\u2039\uFE65\uFF1E'],
  ['?', '\uFE16\uFE56\uFF1F'],
  ['@', '\uFE6B\uFF20'],
  ['A', '\u1D00\uFF21'],
  ['B', '\u0299\uFF22'],
  ['C', '\u1D04\uFF23'],
  ['D', '\u1D05\uFF24'],
  ['E', '\u1D07\uFF25'],
  ['F', '\uA730\uFF26'],
  ['G', '\u0262\uFF27'],
  ['H', '\u029C\uFF28'],
  ['I', '\u026A\uFF29'],
  ['J', '\u1D0A\uFF2A'],
  ['K', '\u1D0B\uFF2B'],
  ['L', '\u029F\uFF2C'],
  ['M', '\u1D0D\uFF2D'],
  ['N', '\u0274\uFF2E'],
  ['O', '\u1D0F\uFF2F'],
  ['P', '\u1D18\uFF30'],
  ['Q', '\uFF31'],
  ['R', '\u0280\uFF32'],
  ['S', '\uA731\uFF33'],
  ['T', '\u1D1B\uFF34'],
  ['U', '\u1D1C\uFF35'],
  ['V', '\u1D20\uFF36'],
  ['W', '\u1D21\uFF37'],
  ['X', '\uFF38'],
  ['Y', '\u028F\uFF39'],
  ['Z', '\u1D22\uFF3A'],
  ['[', '\uFF3B'],
  ['\\', '\u20E5\u29F5\u29F9\uFE68\uFF3C'],
  [']', '\uFF3D'],
  ['^', '\u02C6\u0302\u1DCD\uFF3E'],
  ['_', '\u0332\u2017\uFF3F'],
  ['{', '\u2774\uFE5B\uFF5B'],
  ['|', '\u20D2\u20D3\u2223\u239C\u239F\u23B8\u23B9\u23D0\uFF5C'],
  ['}', '\u2775\uFE5C\uFF5D'],
  ['~', '\u02DC\u02F7\u0303\u0330\u0334\u223C\uFF5E'],
]

/** SmartEncoding map: one Unicode look-alike (a single BMP code unit) → its GSM-7 replacement. */
export const SMART_ENCODING_MAP: ReadonlyMap<string, string> = new Map(
  SMART_ENCODING_GROUPS.flatMap(([replacement, chars]) => [...chars].map((c) => [c, replacement] as const)),
)
