import { describe, expect, it } from 'vitest'
import { findCodesAndLinks } from './codes.js'

/** One-time code messages as services send them, with the codes a test should read. */
const WITH_CODES: Array<[string, string[]]> = [
  // English
  ['Your Acme verification code is 482913. Do not share it with anyone.', ['482913']],
  ['123456 is your Instagram code. Don’t share it.', ['123456']],
  ['G-739201 is your Google verification code.', ['739201']],
  [
    '<#> Your WhatsApp code: 481-927\nYou can also tap on this link to verify your phone: v.whatsapp.com/481927',
    ['481927'],
  ],
  ['Your code is 123 456. It expires in 10 minutes.', ['123456']],
  ['Use 4821 to sign in. Reply STOP to opt out.', ['4821']],
  ['Your Microsoft account security code: 5821. If you did not request it, ignore this.', ['5821']],
  ['Your one-time password is 90817263 (valid 5 min).', ['90817263']],
  ['Your login code: AB12CD', ['AB12CD']],
  ['Your verification code is: X7K9P2. It expires at 12:30.', ['X7K9P2']],
  ['PIN: 2580', ['2580']],
  ['Your OTP for a transaction of Rs. 1,499.00 on card ending in 4242 is 839201.', ['839201']],
  ['Your code is 2019', ['2019']],
  ['Codes: 1234, 5678', ['1234', '5678']],
  // Spanish, Portuguese, French, German, Italian, Dutch, Polish, Russian
  ['Tu código de verificación es 839201', ['839201']],
  ['Seu código Acme é 662541. Não compartilhe.', ['662541']],
  ['Votre code de vérification est : 5821', ['5821']],
  ['Ihr Bestätigungscode lautet 417263. Gültig bis 31.12.2024.', ['417263']],
  ['Il tuo codice è 2839', ['2839']],
  ['Je verificatiecode is 774512', ['774512']],
  ['Twój kod to 3B7K9Q', ['3B7K9Q']],
  ['Код подтверждения: 5521. Никому не сообщайте его.', ['5521']],
  // Japanese
  ['【Acme】認証コード：123456 有効期限は10分です。', ['123456']],
  ['認証コードは 482913 です。このコードを他人に教えないでください。', ['482913']],
  ['[LINE] 認証番号：7391', ['7391']],
  ['認証番号は7391です', ['7391']],
  ['確認コード：AB12CD（10分間有効）', ['AB12CD']],
  ['認証コード：１２３４５６', ['123456']],
  ['ワンタイムパスワード 839201 をご入力ください。2024年5月1日 10:00 まで有効。', ['839201']],
  // Chinese, Korean
  ['【某某】您的验证码是 739201，5分钟内有效。', ['739201']],
  ['[Web발신] 인증번호 [428193]를 입력해주세요.', ['428193']],
]

/** Messages whose numbers are not codes: phone numbers, dates, times, prices and amounts, references. */
const WITHOUT_CODES: string[] = [
  'Call us at +1 415 555 0100 if you need help.',
  'Call (415) 555-0100 or 1-800-555-0199.',
  'Questions? 555-0100',
  'お問い合わせは0120-123-456まで',
  'Your appointment is on March 3, 2025 at 10:30.',
  'Votre rendez-vous : 3 mars 2025.',
  'Cita: 5 de mayo de 2025',
  'Delivery on 2024-12-25, or 12/25/2024, or 25.12.2024.',
  'ご予約は2024年5月1日です。',
  'Total: $1,299.00',
  'Pay 2500 JPY or 1500円 or €4500 or 4500 EUR or 12 345 € today.',
  'Save 2000% on 1,000,000 items',
  'ご利用金額 12,800円',
  'Your order #12345 has shipped.',
  'Card ****4242 was charged.',
  'Hi user1234, meet at room B2020.',
  'Reply YES to confirm, or call 555 1234.',
  'Your code expires soon.',
  'Your code is valid for 10 minutes.',
]

describe('findCodesAndLinks', () => {
  it.each(WITH_CODES)('reads the codes of %j', (body, codes) => {
    expect(findCodesAndLinks(body).codes).toEqual(codes)
  })

  it.each(WITHOUT_CODES)('finds no code in %j', (body) => {
    expect(findCodesAndLinks(body).codes).toEqual([])
  })

  it('reads links, leaving off the punctuation after them and the text they touch', () => {
    expect(
      findCodesAndLinks(
        'Sign in: https://acme.test/magic?t=a1b2&u=9, or (https://acme.test/x). こちら：https://acme.test/jp/ログイン',
      ).links,
    ).toEqual(['https://acme.test/magic?t=a1b2&u=9', 'https://acme.test/x', 'https://acme.test/jp/'])
    expect(findCodesAndLinks('See https://en.wikipedia.org/wiki/Foo_(bar).').links).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ])
    expect(findCodesAndLinks('Go to www.acme.test/verify!').links).toEqual(['www.acme.test/verify'])
    expect(findCodesAndLinks('no link here, only example.test').links).toEqual([])
  })

  it('finds no code inside a link, and each code and link once', () => {
    expect(findCodesAndLinks('Open https://acme.test/v/482913 or enter 771234')).toEqual({
      codes: ['771234'],
      links: ['https://acme.test/v/482913'],
    })
    expect(findCodesAndLinks('Code 4821. Again: 4821. https://a.test https://a.test')).toEqual({
      codes: ['4821'],
      links: ['https://a.test'],
    })
  })

  it('answers empty lists for an empty body', () => {
    expect(findCodesAndLinks('')).toEqual({ codes: [], links: [] })
  })
})
