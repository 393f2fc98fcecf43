// Imports the setup entry before vitest on purpose: the matcher types must hold in any import order
// (this file is type-checked first, by name).
import { type TwilioDoubleAssertion, twilioDouble } from 'twilio-double/vitest'
import { expect, it } from 'vitest'

it('types expect(double) with the matchers', () => {
  const assertion: TwilioDoubleAssertion = expect(twilioDouble)
  assertion.toHaveSentMessages(0)
  expect(twilioDouble).not.toHaveSentMessage({ body: /anything/ })
})
