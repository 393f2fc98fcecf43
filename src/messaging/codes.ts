/**
 * One-time codes and links in a message body, as an end-to-end test reads them ("Your code is 123456").
 *
 * Codes are found in two ways:
 * - a number of 4 to 8 digits standing alone (`123456`, `G-123456`, `【LINE】認証番号：7391`), or two groups of
 *   3 or 4 digits written as one code (`123-456`, `123 456`), given without the separator;
 * - letters and digits together after a word that names a code (`code: AB12CD`, `確認コード：X7K9P2`,
 *   `código es 4KQ9Z`).
 *
 * Numbers that are something else are left out: phone numbers (`+1 415 555 0100`, `(415) 555-0100`,
 * `0120-123-456`), dates and times (`2024-05-01`, `12/25/2024`, `May 1, 2024`, `2024年`, `12:30`), amounts
 * (`$1,299.00`, `1500円`, `2500 JPY`, `20%`) and references (`#12345`, `card ending in 4242`, `****4242`).
 * Full-width digits, letters and colons (`１２３４５６`, `：`) count as their ASCII forms. Digits inside a link are
 * not codes; links are `http(s)://…` and `www.…` URLs, with trailing punctuation left off.
 */
export interface BodyFindings {
  /** The one-time codes, in the order they appear, each once. */
  codes: string[]
  /** The links (URLs), in the order they appear, each once. */
  links: string[]
}

/** Characters a URL is written with (RFC 3986); anything else (a space, a quote, a Japanese letter) ends it. */
const LINK = /\b(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&*+,;=%()]+/gi

/** Left off the end of a link: sentence punctuation, and closing brackets that the link did not open. */
function trimLink(link: string): string {
  let end = link.length
  for (;;) {
    const last = link[end - 1]
    if (last !== undefined && '.,;:!?*'.includes(last)) end--
    else if (last === ')' || last === ']') {
      const open = last === ')' ? '(' : '['
      const part = link.slice(0, end)
      if (part.split(open).length >= part.split(last).length) break
      end--
    } else break
  }
  return link.slice(0, end)
}

/**
 * A run of digit groups joined by single characters (`123456`, `123-456`, `1,299.00`, `+1 415 555 0100`,
 * `(415) 555-0100`), not glued to a word of a spaced alphabet (`abc123`, `user1234`). Scripts written
 * without spaces (Japanese, Chinese, Korean) may touch a code: `認証番号は7391です`.
 */
const NUMBER_RUN =
  /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\d_+])(?:\+\s?|\(\d+\)\s?)?\d+(?:(?:[ \-./,:']|\)\s?)\d+)*(?![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\d_])/gu

/** A currency or percent sign, or a currency word, just before or after a number: an amount. */
const CURRENCY_BEFORE = /(?:[$€£¥₹₩₽¢฿₫₺₦]|\b(?:USD|EUR|GBP|JPY|CNY|INR|CHF|CAD|AUD|Rs\.?|R\$|RM|Rp))\s?$/iu
const CURRENCY_AFTER =
  /^\s?(?:[$€£¥₹₩₽¢฿₫₺₦%円元원圓]|(?:USD|EUR|GBP|JPY|CNY|INR|CHF|CAD|AUD|yen|dollars?|euros?|pesos?|reais|rupees?|руб|zł|kr|Kč|Ft)(?![\p{L}\d]))/iu

/** What comes before a reference number rather than a code: `#`, `No.`, a card mask, `ending in`. */
const REFERENCE_BEFORE = /(?:[#№*•]|\bNo\.?\s?|\bending(?:\s+(?:in|with))?\s|末尾\s?)$/iu

/** Month names (English, French, Spanish, Portuguese, German, Italian) before a year: `May 1, 2024`. */
const MONTH_BEFORE =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|januar|februar|märz|juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre)\b\.?(?:\s+\d{1,2}(?:st|nd|rd|th|er|\.)?)?,?\s+(?:de\s+)?$/iu

/** After a year: 年 (Japanese, Chinese), 년 (Korean). */
const YEAR_AFTER = /^\s?[年년]/u

/**
 * A word naming a code, then what joins it to the code (`code: `, `code is `, `コード：`, `código es `).
 * The words are those of one-time code messages in English, Spanish, Portuguese, French, German, Italian,
 * Dutch, Polish, Russian, Japanese, Chinese and Korean.
 */
const CODE_PHRASE =
  /(?:\b(?:code|passcode|one-time password|OTP|PIN|token|código|codigo|codice|kod|kode)|[Cc]ode\b|Код|код|コード|パスワード|パスコード|暗証番号|認証番号|确认码|验证码|驗證碼|校验码|인증번호|인증 번호|인증코드)(?:\s*(?:is|es|est|ist|lautet|è|é|je|to|:)\s*:?\s*|\s*(?:は|：|:|为|為|是)\s*|\s+)[「『[(“"']?/giu

/** The code after a phrase: letters and digits (a dash may join two parts), at least one of each. */
const ALPHANUMERIC_CODE = /^[A-Za-z0-9]{2,10}(?:-[A-Za-z0-9]{2,10})?(?![\p{L}\p{N}])/u

/** Full-width digits, colon and Latin letters. */
const FULL_WIDTH = /[\uFF10-\uFF1A\uFF21-\uFF3A\uFF41-\uFF5A]/g

function pushCode(found: Array<[number, string]>, at: number, code: string): void {
  found.push([at, code])
}

/** Codes among the digits of `text` (links already blanked out). */
function numericCodes(text: string, found: Array<[number, string]>): void {
  for (const m of text.matchAll(NUMBER_RUN)) {
    const run = m[0]
    const at = m.index
    if (/^[+(]/.test(run)) continue // a phone number: +1 415…, (415) 555-0100
    const before = text.slice(Math.max(0, at - 40), at)
    const after = text.slice(at + run.length, at + run.length + 12)
    if (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after)) continue
    if (REFERENCE_BEFORE.test(before)) continue
    const groups = run.split(/[^\d]+/)
    const joiners = run.match(/[^\d]+/g) ?? []
    if (groups.length === 1) {
      if (run.length < 4 || run.length > 8) continue
      if (/^(?:19|20)\d\d$/.test(run) && (MONTH_BEFORE.test(before) || YEAR_AFTER.test(after))) continue
      pushCode(found, at, run)
      continue
    }
    if (groups.length === 2) {
      const [a, b] = groups as [string, string]
      const joiner = joiners[0]
      // one code written in two halves: 123-456, 123 456, 1234-5678
      if ((joiner === '-' || joiner === ' ') && a.length === b.length && (a.length === 3 || a.length === 4)) {
        pushCode(found, at, a + b)
        continue
      }
      // numbers side by side in a sentence ("code 4821 5 tries left"): each on its own, unless a phone
      // number (555 1234)
      if (joiner === ' ' && !(a.length === 3 && b.length === 4)) {
        if (a.length >= 4 && a.length <= 8) pushCode(found, at, a)
        if (b.length >= 4 && b.length <= 8 && !CURRENCY_AFTER.test(after))
          pushCode(found, at + a.length + 1, b)
      }
    }
    // three groups or more, or two joined by . / , : ' — a phone number, date, time or amount
  }
}

/** Codes of letters and digits after a word naming a code (`code: AB12CD`). */
function alphanumericCodes(text: string, found: Array<[number, string]>): void {
  for (const m of text.matchAll(CODE_PHRASE)) {
    const at = m.index + m[0].length
    const code = ALPHANUMERIC_CODE.exec(text.slice(at))?.[0]
    if (code === undefined || !/[A-Za-z]/.test(code) || !/\d/.test(code)) continue
    // G-123456: the digits are the code, found as a number
    if (code.split('-').some((part) => /^\d{4,8}$/.test(part))) continue
    pushCode(found, at, code)
  }
}

/**
 * Finds the one-time codes and links in a message body.
 *
 * @example
 * findCodesAndLinks('Your Acme code is 482913. Or open https://acme.test/l/xyz.')
 * // { codes: ['482913'], links: ['https://acme.test/l/xyz'] }
 * findCodesAndLinks('【Acme】認証コード：AB12CD（10分間有効）').codes // ['AB12CD']
 * findCodesAndLinks('Call +1 415 555 0100 before May 1, 2024 to pay $1,299.00').codes // []
 */
export function findCodesAndLinks(body: string): BodyFindings {
  const links: string[] = []
  let rest = ''
  let last = 0
  for (const m of body.matchAll(LINK)) {
    const link = trimLink(m[0])
    if (!links.includes(link)) links.push(link)
    rest += body.slice(last, m.index) + ' '.repeat(link.length)
    last = m.index + link.length
  }
  rest += body.slice(last)
  // full-width digits, letters and colons read as ASCII ones (１２３４５６ → 123456, ： → :); other
  // full-width signs stay (a Japanese comma after a code does not join it to the next number)
  const text = rest.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  const found: Array<[number, string]> = []
  numericCodes(text, found)
  alphanumericCodes(text, found)
  found.sort((x, y) => x[0] - y[0])
  const codes: string[] = []
  for (const [, code] of found) if (!codes.includes(code)) codes.push(code)
  return { codes, links }
}
