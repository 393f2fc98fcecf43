/**
 * Conversations in the inbox, in Chromium: a thread per pair of numbers with status ticks, a message's codes
 * copied to the clipboard, and waiting for the next message to a number while the real `twilio` client
 * sends it.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_FROM } from '../../src/config.js'
import { WHATSAPP_FROM } from './demo-data.js'
import { APP, useInbox } from './harness.js'

const USER = '+15558675310'
const inbox = useInbox({ viewport: { width: 1280, height: 900 } })

const threadHash = (ours: string, theirs: string) =>
  `#/conversations/${encodeURIComponent(ours)}/${encodeURIComponent(theirs)}`

/** Each bubble of the open conversation: whose it is, its body and its ticks (ours only). */
const bubbles = () =>
  inbox.page.locator('#conversation-view .thread > li').evaluateAll((lis) =>
    lis.map((li) => {
      const ticks = li.querySelector('.ticks') as HTMLElement | null
      return {
        side: li.classList.contains('mine') ? 'mine' : 'theirs',
        body: li.querySelector('.bubble-body')?.textContent,
        ticks: ticks ? `${ticks.dataset.status} ${ticks.textContent}` : null,
      }
    }),
  )

describe('conversations in the inbox', () => {
  it('shows a number pair as a chat, both ways, with status ticks that follow the messages live', async () => {
    const { client, control } = inbox
    await control('/scenarios', {
      method: 'POST',
      body: [
        { when: { to: USER, body: 'Promo: 20% off' }, then: { deliver: 'failed', errorCode: 30008 } },
        { when: { to: USER, body: 'No receipt for this one' }, then: { deliver: 'sent' } },
        { when: { to: `whatsapp:${USER}` }, then: { deliver: 'read', readAfter: '1m' } },
      ],
    })
    const send = (body: string) =>
      client.messages.create({ to: USER, from: DEFAULT_FROM, body, statusCallback: `${APP}/status` })
    await send('Promo: 20% off')
    await send('Your code is 482913')
    await control('/inbound', { method: 'POST', body: { from: USER, to: DEFAULT_FROM, body: 'Got it' } })
    await send('No receipt for this one')
    await control('/settle', { method: 'POST' })
    await client.messages.create({ to: '+15550001111', from: DEFAULT_FROM, body: 'Another conversation' })
    // on WhatsApp, the user writes first (the 24-hour window) and reads the answer
    await control('/inbound', {
      method: 'POST',
      body: { from: USER, to: WHATSAPP_FROM, channel: 'whatsapp', body: 'Hola' },
    })
    await client.messages.create({ to: `whatsapp:${USER}`, from: WHATSAPP_FROM, body: 'Hi! Read me' })

    await inbox.open()
    await inbox.page.getByRole('link', { name: 'Conversations' }).click()
    const list = inbox.page.locator('#conversation-view .conversations > li')
    await list.nth(2).waitFor()
    // by number pair, the most recently active first; the SMS and WhatsApp addresses are two conversations
    const pairs = await list.evaluateAll((lis) =>
      lis.map((li) => `${(li as HTMLElement).dataset.theirs} ${(li as HTMLElement).dataset.ours}`),
    )
    expect(pairs).toEqual([
      `whatsapp:${USER} ${WHATSAPP_FROM}`,
      `+15550001111 ${DEFAULT_FROM}`,
      `${USER} ${DEFAULT_FROM}`,
    ])
    await expect(list.nth(2).textContent()).resolves.toContain('5 messages')

    await list.nth(2).getByRole('link').click()
    expect(new URL(inbox.page.url()).hash).toBe(threadHash(DEFAULT_FROM, USER))
    await inbox.page.locator('#conversation-view .thread > li').nth(4).waitFor()
    expect(await bubbles()).toEqual([
      { side: 'mine', body: 'Promo: 20% off', ticks: 'failed ✗' },
      { side: 'mine', body: 'Your code is 482913', ticks: 'delivered ✓✓' },
      { side: 'theirs', body: 'Got it', ticks: null },
      // the app's TwiML answer to "Got it"
      { side: 'mine', body: 'Thanks! Your order #4711 ships today.', ticks: 'delivered ✓✓' },
      { side: 'mine', body: 'No receipt for this one', ticks: 'sent ✓' },
    ])
    await expect(
      inbox.page.locator('#conversation-view .thread > li').first().locator('.error-code').textContent(),
    ).resolves.toBe('30008')

    // a new message joins the open conversation as it is created, queued, and moves on
    const next = await send('On its way')
    const bubble = inbox.page.locator(`#conversation-view .thread > li[data-sid="${next.sid}"]`)
    await bubble.locator('.ticks[data-status="queued"]').waitFor()
    await expect(bubble.locator('.ticks').textContent()).resolves.toBe('○')
    await inbox.page.getByRole('button', { name: 'Settle' }).click()
    await bubble.locator('.ticks[data-status="delivered"]').waitFor()

    // the WhatsApp conversation: read, in blue ticks
    await inbox.page.goto(`${inbox.server.url}/${threadHash(WHATSAPP_FROM, `whatsapp:${USER}`)}`)
    await inbox.page.locator('#conversation-view .thread > li').nth(2).waitFor()
    expect(await bubbles()).toEqual([
      { side: 'theirs', body: 'Hola', ticks: null },
      { side: 'mine', body: 'Hi! Friday at 10:30 is free: shall we book it?', ticks: 'delivered ✓✓' },
      { side: 'mine', body: 'Hi! Read me', ticks: 'read ✓✓' },
    ])
    // each message links to its details, and its details back to the conversation
    await inbox.page.locator('#conversation-view .thread > li.mine .bubble-time').last().click()
    await inbox.page.locator('#message-detail .timeline').waitFor()
    await inbox.page.getByRole('link', { name: 'Open the conversation' }).click()
    await inbox.page.locator('#conversation-view .thread > li').nth(2).waitFor()
    expect(new URL(inbox.page.url()).hash).toBe(threadHash(WHATSAPP_FROM, `whatsapp:${USER}`))
  })

  it("copies a message's code to the clipboard", async () => {
    await inbox.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inbox.server.url })
    await inbox.client.messages.create({
      to: USER,
      from: DEFAULT_FROM,
      body: 'Your Acme code is 482913. Or sign in with code: AB12CD',
    })
    await inbox.open(threadHash(DEFAULT_FROM, USER))
    const codes = inbox.page.locator('#conversation-view .thread .codes li')
    await codes.nth(1).waitFor()
    await expect(codes.locator('code').allTextContents()).resolves.toEqual(['482913', 'AB12CD'])
    await inbox.page.getByRole('button', { name: 'Copy code 482913' }).click()
    await inbox.page.locator('#notice', { hasText: 'Code 482913 copied to the clipboard.' }).waitFor()
    await expect(inbox.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('482913')
    await inbox.page.getByRole('button', { name: 'Copy code AB12CD' }).click()
    await expect.poll(() => inbox.page.evaluate(() => navigator.clipboard.readText())).toBe('AB12CD')
  })

  it('waits for the next message to a number and shows it, with its code, when the twilio client sends it', async () => {
    const earlier = await inbox.client.messages.create({
      to: USER,
      from: DEFAULT_FROM,
      body: 'Your code is 111111',
    })
    await inbox.open('#/conversations')
    await inbox.page.getByLabel('Wait for the next message to').fill(USER)
    await inbox.page.getByRole('button', { name: 'Wait', exact: true }).click()
    // the message already stored is not the next one: the page waits
    await inbox.page.locator(`#wait-result [data-waiting="${USER}"]`).waitFor()
    await expect(inbox.page.getByRole('button', { name: 'Wait', exact: true }).isDisabled()).resolves.toBe(
      true,
    )
    await inbox.client.messages.create({
      to: '+15550001111',
      from: DEFAULT_FROM,
      body: 'Another number: 222222',
    })

    const sent = await inbox.client.messages.create({
      to: USER,
      from: DEFAULT_FROM,
      body: 'Your Acme code is 482913',
    })
    const arrived = inbox.page.locator('#wait-result .arrived')
    await arrived.waitFor()
    await expect(arrived.getAttribute('data-sid')).resolves.toBe(sent.sid)
    expect(sent.sid).not.toBe(earlier.sid)
    await expect(arrived.locator('.bubble-body').textContent()).resolves.toBe('Your Acme code is 482913')
    await expect(arrived.locator('.codes code').allTextContents()).resolves.toEqual(['482913'])
    await expect(arrived.getByRole('button', { name: 'Copy code 482913' }).isVisible()).resolves.toBe(true)
    await expect(inbox.page.getByRole('button', { name: 'Wait', exact: true }).isEnabled()).resolves.toBe(
      true,
    )

    // waiting again answers the message after that one; Stop waiting ends a wait
    await inbox.page.getByRole('button', { name: 'Wait', exact: true }).click()
    await inbox.page.locator(`#wait-result [data-waiting="${USER}"]`).waitFor()
    await inbox.page.getByRole('button', { name: 'Stop waiting' }).click()
    await inbox.page.locator('#wait-result [data-waiting]').waitFor({ state: 'detached' })
    await expect(inbox.page.getByRole('button', { name: 'Stop waiting' }).isHidden()).resolves.toBe(true)
  })
})
