/** The form decoder `parseForm` against `URLSearchParams`. */
import type { FormParams } from '../../src/http/form.js'
import type { Micro } from './micro.js'

/** The plain way: `URLSearchParams`, repeated keys becoming arrays. */
export function plainParseForm(text: string): FormParams {
  const out: FormParams = Object.create(null)
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key) continue
    const prev = out[key]
    if (prev === undefined) out[key] = value
    else if (Array.isArray(prev)) prev.push(value)
    else out[key] = [prev, value]
  }
  return out
}

const BODIES = [
  'To=%2B15550101001&From=%2B15005550006&Body=Your+verification+code+is+123456&StatusCallback=https%3A%2F%2Fexample.com%2Fstatus',
  'To=whatsapp%3A%2B15550101002&From=whatsapp%3A%2B15005550006&Body=Ol%C3%A1%21+Seu+pedido+foi+enviado',
  'To=%2B15550101003&MessagingServiceSid=MG00000000000000000000000000000001&Body=Hi&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png',
  'PageSize=50&To=%2B15550101001',
]

export const form: Micro = {
  id: 'form',
  fastPath: 'form decoder `parseForm` (src/http/form.ts, with `hexValue` for escapes)',
  plainWay: '`URLSearchParams`',
  swaps: [{ name: 'parseForm', plain: 'plainParseForm', from: import.meta.url }],
  targets: ['create', 'list'],
  isolated: (fast, plain) => [
    {
      label: 'parseForm of create bodies and a list query',
      fast: (i) => fast.form.parseForm(BODIES[i & 3]!),
      plain: (i) => plain.form.parseForm(BODIES[i & 3]!),
    },
  ],
}
