/**
 * The inbox on a laptop's screen (1280×800) in Chromium: the header on one row, and the list marking how each
 * message's status callbacks (or an incoming message's webhook) went.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_FROM } from '../../src/config.js'
import { APP, useInbox } from './harness.js'

const inbox = useInbox({ viewport: { width: 1280, height: 800 } })

/**
 * The vertical extent of the header's parts (brand, clock, tools, clock form) and of each link and control in
 * them (a part that wrapped inside would show as a control below the others).
 */
const headerBoxes = () =>
  inbox.page.evaluate(() =>
    [...document.querySelectorAll('.topbar > *, .topbar nav a, .topbar form > *')]
      .map((el) => {
        const r = el.getBoundingClientRect()
        return { what: (el.textContent || el.id).trim(), top: r.top, bottom: r.bottom, width: r.width }
      })
      .filter((b) => b.width > 1),
  )

const mark = (sid: string) => inbox.page.locator(`#message-rows tr[data-sid="${sid}"] .callback-mark`)

describe('inbox at 1280 px', () => {
  it('has its header on one row: every element overlaps one band, and the header stays one line high', async () => {
    // the longest clock label ("Virtual time (manual)") and every tool in place
    await inbox.open()
    await inbox.page.locator('#clock-label', { hasText: 'Virtual time (manual)' }).waitFor()
    const boxes = await headerBoxes()
    expect(boxes.map((b) => b.what)).toEqual(
      expect.arrayContaining([
        'Conversations',
        'Simulate inbound',
        'Scenarios',
        'Connect',
        'Advance',
        'Settle',
        'Reset…',
      ]),
    )
    const lowestTop = Math.max(...boxes.map((b) => b.top))
    const highestBottom = Math.min(...boxes.map((b) => b.bottom))
    expect(lowestTop, JSON.stringify(boxes)).toBeLessThan(highestBottom)
    const header = await inbox.page.locator('.topbar').boundingBox()
    expect(header!.height).toBeLessThan(64)
    await expect(inbox.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(1280)

    // with a message open beside the list, the header is the same
    const msg = await inbox.client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
    await inbox.page.goto(`${inbox.server.url}/#/messages/${msg.sid}`)
    await inbox.page.locator('#message-detail .timeline').waitFor()
    expect((await inbox.page.locator('.topbar').boundingBox())!.height).toBe(header!.height)
  })

  it("marks each message: callbacks all answered, some failed, not sent yet, none registered; a webhook's outcome", async () => {
    const send = (body: string, statusCallback?: string) =>
      inbox.client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body, statusCallback })
    const fine = await send('Answered', `${APP}/status`)
    const failing = await send('Failing', `${APP}/status/fail`)
    const silent = await send('No callback')
    await inbox.open()
    await expect(mark(fine.sid).getAttribute('data-callbacks')).resolves.toBe('pending')
    await expect(mark(fine.sid).textContent()).resolves.toBe('… callbacks')
    await expect(mark(silent.sid).getAttribute('data-callbacks')).resolves.toBe('none')
    await expect(mark(silent.sid).textContent()).resolves.toBe('no callback')

    // the marks follow the callbacks live, without a reload
    await inbox.page.getByRole('button', { name: 'Settle' }).click()
    await inbox.page
      .locator(`#message-rows tr[data-sid="${fine.sid}"] .callback-mark[data-callbacks="ok"]`)
      .waitFor()
    await inbox.page
      .locator(`#message-rows tr[data-sid="${failing.sid}"] .callback-mark[data-callbacks="failed"]`)
      .waitFor()
    await expect(mark(fine.sid).textContent()).resolves.toBe('✓ callbacks')
    await expect(mark(fine.sid).getAttribute('title')).resolves.toBe(
      'Every status callback was answered with success (2 callbacks)',
    )
    await expect(mark(failing.sid).textContent()).resolves.toBe('✗ 2 of 2 callbacks')
    await expect(mark(failing.sid).getAttribute('title')).resolves.toMatch(/^2 of 2 status callbacks failed/)
    await expect(mark(silent.sid).getAttribute('data-callbacks')).resolves.toBe('none')
    // what the page shows is what the double recorded
    const recorded = inbox.server.double.callbacks.list({ messageSid: failing.sid })
    expect(recorded.map((d) => d.responseStatus)).toEqual([500, 500])

    // an incoming message: its number's webhook was answered
    await inbox.control('/inbound', {
      method: 'POST',
      body: { from: '+15558675310', to: DEFAULT_FROM, body: 'Hi' },
    })
    const [incoming] = inbox.server.double.messages.list({ direction: 'inbound' })
    await inbox.page
      .locator(`#message-rows tr[data-sid="${incoming!.sid}"] .callback-mark[data-callbacks="ok"]`)
      .waitFor()
    await expect(mark(incoming!.sid!).textContent()).resolves.toBe('✓ webhook')
  })
})
