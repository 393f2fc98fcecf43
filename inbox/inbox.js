// The inbox of twilio-double: plain browser JavaScript, no dependencies. Every read and every action goes
// through the control API under /__double/; live updates come from its server-sent events.

const API = '/__double'
/** The header that makes a control request act on one account alone. */
const ACCOUNT_HEADER = 'x-twilio-double-account'
const DEFAULT_FROM = '+15005550006'
const STATUS_TONES = {
  delivered: 'ok',
  read: 'ok',
  received: 'ok',
  failed: 'fail',
  undelivered: 'fail',
  canceled: 'warn',
  sent: 'sent',
  partially_delivered: 'sent',
}
const DIRECTIONS = {
  'outbound-api': 'Outgoing API',
  'outbound-reply': 'Outgoing reply',
  'outbound-call': 'Outgoing call',
  inbound: 'Incoming',
}

const state = {
  filters: { q: '', status: '', direction: '', channel: '' },
  /** The account the page shows and acts on (from ?account= or the filter); '' for every account. */
  account: new URLSearchParams(location.search).get('account') ?? '',
  events: null,
  offset: 0,
  limit: 50,
  total: 0,
  storeTotal: null,
  rows: new Map(),
  firstRender: true,
  route: { name: 'home', params: new URLSearchParams() },
  credentials: null,
  open: new Set(),
  lastInbound: null,
  now: null,
  /** How time passes on the server: virtual (follows the wall clock), manual or real. */
  clockMode: null,
  /** The wait for the next message under way: its number and how to stop it. */
  wait: null,
}

// ------------------------------------------------------------------ helpers

const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id))

/** Builds an element; text is always set as text, never parsed as HTML. */
function h(tag, props, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'class') el.className = value
    else if (key === 'text') el.textContent = String(value)
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

class ControlApiError extends Error {
  constructor(status, data) {
    super(data?.message ?? `the control API answered HTTP ${status}`)
    this.status = status
    this.data = data
  }
}

async function api(path, options = {}) {
  const init = {
    method: options.method ?? 'GET',
    headers: { accept: 'application/json' },
    signal: options.signal,
  }
  // with an account chosen, every read and action is that account's alone (options.everyAccount: the server's)
  if (state.account && !options.everyAccount) init.headers[ACCOUNT_HEADER] = state.account
  if (options.body !== undefined) {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify(options.body)
  }
  const res = await fetch(API + path, init)
  const text = await res.text()
  let data = {}
  try {
    data = text ? JSON.parse(text) : {}
  } catch {
    data = { message: text }
  }
  if (!res.ok) throw new ControlApiError(res.status, data)
  return data
}

/** Runs `fn` at most once per `wait` ms; a call while it runs schedules one more run. */
function throttled(fn, wait) {
  let timer = null
  let running = false
  let again = false
  const run = async () => {
    timer = null
    running = true
    again = false
    try {
      await fn()
    } catch (err) {
      notify(describeError(err), 'error')
    } finally {
      running = false
      if (again) trigger()
    }
  }
  const trigger = () => {
    if (running) {
      again = true
      return
    }
    if (timer === null) timer = setTimeout(run, wait)
  }
  return trigger
}

function describeError(err) {
  if (err instanceof ControlApiError) {
    const code = err.data?.code ? ` (error ${err.data.code})` : ''
    return `${err.message}${code}`
  }
  if (err instanceof TypeError)
    return `The server cannot be reached (${err.message}). Is twilio-double still running?`
  return String(err?.message ?? err)
}

let noticeTimer = null
function notify(text, kind = 'info') {
  const el = byId('notice')
  el.textContent = text
  el.dataset.kind = kind
  el.hidden = false
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  clearTimeout(noticeTimer)
  noticeTimer = setTimeout(() => {
    el.hidden = true
  }, 10_000)
}

/** Runs an action with its button disabled, reporting errors. */
async function act(button, fn) {
  if (button) {
    button.disabled = true
    button.setAttribute('aria-busy', 'true')
  }
  try {
    return await fn()
  } catch (err) {
    notify(describeError(err), 'error')
    return undefined
  } finally {
    if (button) {
      button.disabled = false
      button.removeAttribute('aria-busy')
    }
  }
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0')
}

/** `2024-01-01 00:00:05` (UTC), with milliseconds when `ms` is set and they are not zero. */
function formatTime(value, ms = false) {
  if (value === null || value === undefined) return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return ms && d.getUTCMilliseconds() !== 0 ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base
}

function formatDelta(ms) {
  if (!Number.isFinite(ms)) return ''
  if (ms < 1000) return `+${ms} ms`
  const s = ms / 1000
  if (s < 60) return `+${Number.isInteger(s) ? s : s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  const rest = Math.round(s - m * 60)
  if (m < 60) return `+${m} min${rest ? ` ${rest} s` : ''}`
  const hours = Math.floor(m / 60)
  return `+${hours} h${m % 60 ? ` ${m % 60} min` : ''}`
}

function statusLabel(status) {
  const s = String(status ?? '').replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function badge(status) {
  return h('span', {
    class: 'badge',
    'data-tone': STATUS_TONES[status] ?? 'pending',
    text: statusLabel(status),
  })
}

function channelOf(m) {
  const address = `${m.to ?? ''} ${m.from ?? ''}`
  if (/(^|\s)whatsapp:/i.test(address)) return 'WhatsApp'
  if (/(^|\s)messenger:/i.test(address)) return 'Messenger'
  if (/(^|\s)rcs:/i.test(address)) return 'RCS'
  return Number(m.num_media) > 0 ? 'MMS' : 'SMS'
}

/** Prices as Twilio's console shows them: `$0.0079`, with the unit when it is not USD; `—` while pending. */
function formatPrice(price, unit) {
  if (price === null || price === undefined || price === '') return '—'
  const n = Math.abs(Number(price))
  if (!Number.isFinite(n)) return String(price)
  const digits = String(price).split('.')[1]?.length ?? 2
  const amount = n.toFixed(Math.min(Math.max(digits, 2), 6))
  const u = String(unit ?? 'USD').toUpperCase()
  return u === 'USD' ? `$${amount}` : `${amount} ${u}`
}

function errorDocsUrl(code) {
  return `https://www.twilio.com/docs/errors/${encodeURIComponent(code)}`
}

function httpTone(status) {
  if (status === undefined || status === null) return 'fail'
  return status >= 200 && status < 400 ? 'ok' : 'fail'
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text)
    notify(`${what} copied to the clipboard.`, 'ok')
  } catch {
    notify(`Could not copy ${what.toLowerCase()}: select it and copy it by hand.`, 'error')
  }
}

function copyButton(text, what, key) {
  return h('button', {
    type: 'button',
    class: 'small quiet',
    'data-fk': key,
    'aria-label': `Copy ${what.toLowerCase()}`,
    text: 'Copy',
    onclick: () => copyText(text, what),
  })
}

function messageHref(sid) {
  return `#/messages/${encodeURIComponent(sid)}`
}

// ------------------------------------------------------------------ credentials, curl line, empty state

async function loadCredentials() {
  try {
    state.credentials = await api('/credentials')
  } catch {
    // older servers have no credentials endpoint: fall back to the account SIDs of the health check
    const health = await api('/health').catch(() => ({ accounts: [] }))
    state.credentials = {
      accounts: (health.accounts ?? []).map((sid) => ({ sid, authToken: null, phoneNumbers: null })),
      defaultFrom: DEFAULT_FROM,
    }
  }
  renderCredentials()
  renderInboundDefaults()
}

function primaryAccount() {
  return state.credentials?.accounts?.[0]
}

function senderOf(account) {
  const owned = account?.phoneNumbers?.find((p) => /^\+\d+$/.test(p.number))
  return owned?.number ?? state.credentials?.defaultFrom ?? DEFAULT_FROM
}

function curlLine(account) {
  const token = account?.authToken ?? 'YOUR_AUTH_TOKEN'
  const sid = account?.sid ?? 'YOUR_ACCOUNT_SID'
  return [
    `curl -u ${sid}:${token} \\`,
    '  --data-urlencode To=+15558675310 \\',
    `  --data-urlencode From=${senderOf(account)} \\`,
    '  --data-urlencode Body=Hello \\',
    `  ${location.origin}/2010-04-01/Accounts/${sid}/Messages.json`,
  ].join('\n')
}

function nodeSnippet(account) {
  const sid = account?.sid ?? 'AC…'
  const token = account?.authToken ?? '…'
  return [
    "import { twilioClientForServer } from 'twilio-double/server'",
    '',
    `const client = await twilioClientForServer('${location.origin}')`,
    `await client.messages.create({ to: '+15558675310', from: '${senderOf(account)}', body: 'Hello' })`,
    '',
    '// or a twilio client of your own, its requests sent to this server:',
    "import twilio from 'twilio'",
    "import { redirectingRequestClient } from 'twilio-double/server'",
    `const httpClient = redirectingRequestClient(twilio, '${location.origin}')`,
    `const own = twilio('${sid}', '${token}', { httpClient })`,
  ].join('\n')
}

function credentialRows(account, full) {
  const rows = [
    ['Account SID', account.sid],
    ['Auth token', account.authToken ?? '(see the server output)'],
  ]
  if (full) {
    for (const key of account.apiKeys ?? [])
      rows.push(['API key SID', key.sid], ['API key secret', key.secret])
    rows.push(['From', senderOf(account)])
    for (const service of account.messagingServices ?? []) rows.push(['Messaging service', service.sid])
  }
  rows.push(['API base URL', location.origin])
  return rows
}

function renderCredentials() {
  for (const host of document.querySelectorAll('[data-credentials]')) {
    const full = host.hasAttribute('data-full')
    const prefix = full ? 'connect' : 'empty'
    const account = primaryAccount()
    const parts = []
    if (account) {
      const dl = h('dl', { class: 'credentials' })
      for (const [label, value] of credentialRows(account, full)) {
        dl.append(
          h('dt', { text: label }),
          h('dd', null, h('code', { text: value }), copyButton(value, label, `${prefix}-copy-${label}`)),
        )
      }
      parts.push(dl)
    }
    const curl = curlLine(account)
    parts.push(
      h(
        'div',
        { class: 'code-head' },
        h('h4', { text: 'Send a message with curl' }),
        copyButton(curl, 'The curl command', `${prefix}-copy-curl`),
      ),
      h('pre', { class: 'curl', 'data-testid': 'curl' }, h('code', { text: curl })),
    )
    if (full) {
      const node = nodeSnippet(account)
      parts.push(
        h(
          'div',
          { class: 'code-head' },
          h('h4', { text: 'With the twilio Node client' }),
          copyButton(node, 'The Node example', `${prefix}-copy-node`),
        ),
        h('pre', null, h('code', { text: node })),
        h('h4', { text: 'Other accounts' }),
        h(
          'p',
          { class: 'hint' },
          (state.credentials?.accounts?.length ?? 0) > 1
            ? state.credentials.accounts
                .slice(1)
                .map((a) => `${a.sid} (token ${a.authToken ?? '?'})`)
                .join(', ')
            : 'None: start the server with --account-sid and --auth-token to use your own.',
        ),
        h(
          'p',
          { class: 'hint' },
          'Everything is also available to scripts: GET /__double/health, /messages, /callbacks, /scenarios, ',
          'POST /advance, /settle, /inbound, /reset and the event stream GET /__double/events.',
        ),
      )
    }
    host.replaceChildren(...parts)
  }
}

// ------------------------------------------------------------------ the message list

function listQuery() {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value)
  params.set('limit', String(state.limit))
  params.set('offset', String(state.offset))
  return params.toString()
}

const refreshList = throttled(async () => {
  const [health, page] = await Promise.all([api('/health'), api(`/messages?${listQuery()}`)])
  // every account's health names them all: accounts created meanwhile join the filter
  if (!state.account) syncAccounts(health.accounts ?? [])
  setClock(health.now)
  setClockMode(health.clock)
  state.storeTotal = health.messages
  const total = page.total ?? page.count ?? page.messages.length
  if (state.offset > 0 && state.offset >= total) {
    state.offset = Math.max(0, Math.floor((total - 1) / state.limit) * state.limit)
    refreshList()
    return
  }
  state.total = total
  renderList(page.messages)
}, 80)

function cell(label, className, ...content) {
  return h('td', { 'data-label': label, class: className }, ...content)
}

function renderRow(m, previous) {
  const selected = state.route.name === 'message' && state.route.sid === m.sid
  const tr = h('tr', { 'data-sid': m.sid, 'aria-current': selected ? 'true' : undefined })
  if (!state.firstRender && !previous) tr.classList.add('flash')
  const status = cell(
    'Status',
    previous && previous !== m.status ? 'col-status flash' : 'col-status',
    badge(m.status),
    callbackMark(m.callbackSummary),
  )
  status.dataset.status = m.status
  tr.append(
    cell(
      'Date',
      'col-date',
      h('a', {
        class: 'row-link',
        href: messageHref(m.sid),
        'aria-label': `${statusLabel(m.status)} message ${m.sid} to ${m.to}`,
        text: formatTime(m.date_sent ?? m.date_created),
      }),
    ),
    cell('Direction', 'col-direction col-optional', DIRECTIONS[m.direction] ?? m.direction),
    cell('From', 'col-from mono col-optional', m.from ?? m.messaging_service_sid ?? '—'),
    cell('To', 'col-to mono', m.to),
    cell('Type', 'col-type col-optional', channelOf(m)),
    cell('Body', 'col-body', h('span', { text: m.body ?? '' })),
    status,
    cell('Segments', 'col-segments num col-optional', m.num_segments ?? '—'),
    cell('Price', 'col-price num col-optional', formatPrice(m.price, m.price_unit)),
    cell(
      'Error',
      'col-error',
      m.error_code
        ? h('span', { class: 'error-code', title: m.error_message ?? '', text: String(m.error_code) })
        : h('span', { class: 'muted', text: '—' }),
    ),
  )
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a, button')) return
    if (String(window.getSelection?.() ?? '') !== '') return
    location.hash = messageHref(m.sid)
  })
  return tr
}

/**
 * How a message's status callbacks (received: its webhook) went, from the list's `callbackSummary`: every one
 * answered, some failed, registered but none sent yet, or none registered.
 */
function callbackMark(summary) {
  if (!summary) return null
  const webhook = summary.kind === 'inbound'
  const what = webhook ? 'webhook' : 'callbacks'
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
  const marks = {
    ok: {
      text: `✓ ${what}`,
      title: webhook
        ? 'The webhook was answered with success'
        : `Every status callback was answered with success (${plural(summary.sent, 'callback')})`,
    },
    failed: {
      text: webhook ? '✗ webhook' : `✗ ${summary.failed} of ${plural(summary.sent, 'callback')}`,
      title: webhook
        ? 'The webhook failed: an error status, no answer or a timeout'
        : `${summary.failed} of ${plural(summary.sent, 'status callback')} failed: an error status, no answer or a timeout`,
    },
    pending: { text: '… callbacks', title: 'A status callback URL is set; no callback was sent yet' },
    none: {
      text: webhook ? 'no webhook' : 'no callback',
      title: webhook
        ? 'No webhook was sent: the number has no SMS URL'
        : 'No status callback is registered (no StatusCallback, no messaging service callback)',
    },
  }
  const mark = marks[summary.state]
  if (!mark) return null
  return h('span', {
    class: 'callback-mark',
    'data-callbacks': summary.state,
    title: mark.title,
    text: mark.text,
  })
}

function renderList(messages) {
  const tbody = byId('message-rows')
  const focusedSid = tbody.contains(document.activeElement)
    ? document.activeElement.closest('tr')?.dataset.sid
    : undefined
  const rows = messages.map((m) => renderRow(m, state.rows.get(m.sid)))
  tbody.replaceChildren(...rows)
  state.rows = new Map(messages.map((m) => [m.sid, m.status]))
  state.firstRender = false
  if (focusedSid)
    tbody.querySelector(`tr[data-sid="${CSS.escape(focusedSid)}"] a`)?.focus({ preventScroll: true })

  const filtered = Object.values(state.filters).some(Boolean)
  const emptyStore = state.storeTotal === 0
  byId('empty').hidden = !emptyStore
  byId('no-match').hidden = emptyStore || messages.length > 0 || !filtered
  byId('table-wrap').hidden = messages.length === 0
  document.querySelector('.pager').hidden = state.total <= 25 && state.offset === 0
  const from = messages.length ? state.offset + 1 : 0
  const to = state.offset + messages.length
  const fmt = (n) => n.toLocaleString('en-US')
  byId('page-info').textContent = `${fmt(from)}–${fmt(to)} of ${fmt(state.total)}`
  byId('page-newer').disabled = state.offset === 0
  byId('page-older').disabled = to >= state.total
  const all = state.storeTotal ?? state.total
  byId('count').textContent = filtered
    ? `${fmt(state.total)} of ${fmt(all)} messages match`
    : `${fmt(all)} message${all === 1 ? '' : 's'}`
}

function markSelectedRow() {
  for (const tr of byId('message-rows').children) {
    const selected = state.route.name === 'message' && tr.dataset.sid === state.route.sid
    if (selected) tr.setAttribute('aria-current', 'true')
    else tr.removeAttribute('aria-current')
  }
}

/** How the server's time passes (GET /__double/health `clock`): the label, its explanation and the hint. */
const CLOCK_MODES = {
  virtual: {
    label: 'Virtual time',
    title: 'Follows the wall clock: messages move on by themselves; Advance and Settle jump ahead.',
    hint: [
      'Time follows the wall clock: messages move on by themselves; ',
      'Advance',
      ' or ',
      'Settle',
      ' to jump ahead.',
    ],
  },
  manual: {
    label: 'Virtual time (manual)',
    title: 'Stands still: messages move on only when you Advance or Settle the clock.',
    hint: ['Time is virtual: messages move on when you ', 'Advance', ' or ', 'Settle', ' the clock.'],
  },
  real: {
    label: 'Real time',
    title: 'The process clock: messages move on by themselves; Settle runs everything pending now.',
    hint: ['Time is real: messages move on by themselves; ', 'Settle', ' runs everything pending now.'],
  },
}

function setClockMode(mode) {
  const m = CLOCK_MODES[mode]
  if (!m || state.clockMode === mode) return
  state.clockMode = mode
  const label = byId('clock-label')
  label.textContent = m.label
  label.title = m.title
  byId('clock').title = m.title
  document.body.dataset.clock = mode
  // the hint's words alternate: plain text, then a button's name in bold
  byId('clock-hint').replaceChildren(
    ...m.hint.map((text, i) => {
      if (i % 2 === 0) return document.createTextNode(text)
      const strong = document.createElement('strong')
      strong.textContent = text
      return strong
    }),
  )
}

function setClock(iso) {
  if (!iso) return
  state.now = iso
  const el = byId('clock')
  el.textContent = `${formatTime(iso, true)} UTC`
  el.setAttribute('datetime', iso)
}

// ------------------------------------------------------------------ one message

const refreshDetail = throttled(async () => {
  if (state.route.name !== 'message') return
  const sid = state.route.sid
  let data
  try {
    data = await api(`/messages/${encodeURIComponent(sid)}`)
  } catch (err) {
    if (err instanceof ControlApiError && err.status === 404) {
      if (state.route.name === 'message' && state.route.sid === sid) renderMissing(sid)
      return
    }
    throw err
  }
  let replies = []
  const m = data.message
  if (m.direction === 'inbound') {
    const q = new URLSearchParams({ direction: 'outbound-reply', to: m.from, from: m.to, limit: '20' })
    const created = Date.parse(m.date_created)
    replies = (await api(`/messages?${q}`)).messages.filter((r) => Date.parse(r.date_created) >= created)
  }
  if (state.route.name === 'message' && state.route.sid === sid) renderDetail(data, replies)
}, 60)

function withFocusKept(container, render) {
  const key = container.contains(document.activeElement) ? document.activeElement.dataset?.fk : undefined
  render()
  if (key) container.querySelector(`[data-fk="${CSS.escape(key)}"]`)?.focus({ preventScroll: true })
}

function renderMissing(sid) {
  const host = byId('message-detail')
  host.replaceChildren(
    h(
      'div',
      { class: 'pane-head' },
      h('h2', {
        id: 'message-heading',
        tabindex: '-1',
        'data-fk': 'message-heading',
        text: 'Message not found',
      }),
      h('a', { href: '#/', class: 'close-link', text: 'Close' }),
    ),
    h('p', null, `No message ${sid} is stored: it may have been removed by a reset.`),
  )
}

function section(title, key, ...content) {
  return h('section', { class: 'detail-section', 'data-section': key }, h('h3', { text: title }), ...content)
}

function keptDetails(key, summary, ...content) {
  const details = h('details', { 'data-key': key }, summary, ...content)
  if (state.open.has(key)) details.open = true
  details.addEventListener('toggle', () => {
    if (details.open) state.open.add(key)
    else state.open.delete(key)
  })
  return details
}

function propsList(entries) {
  const dl = h('dl', { class: 'props' })
  for (const [label, value] of entries) {
    if (value === undefined) continue
    dl.append(h('dt', { text: label }), h('dd', null, value === null || value === '' ? '—' : value))
  }
  return dl
}

function paramsTable(params, caption) {
  const entries = Object.entries(params ?? {})
  if (entries.length === 0) return h('p', { class: 'hint', text: 'No parameters.' })
  return h(
    'table',
    { class: 'params' },
    h('caption', { class: 'visually-hidden', text: caption }),
    h(
      'tbody',
      null,
      entries.map(([k, v]) => h('tr', null, h('th', { scope: 'row', text: k }), h('td', { text: v }))),
    ),
  )
}

function deliveryItem(d, kind) {
  const key = `${kind}-${d.id}-${d.attempt}`
  const response =
    d.responseStatus !== undefined && d.responseStatus !== null
      ? h('span', {
          class: 'http',
          'data-tone': httpTone(d.responseStatus),
          text: `HTTP ${d.responseStatus}`,
        })
      : h('span', { class: 'http', 'data-tone': 'fail', text: 'no answer' })
  const summary = h(
    'summary',
    { 'data-fk': `summary-${key}` },
    kind === 'status' ? badge(d.status) : h('span', { class: 'badge', text: d.method }),
    h('span', { class: 'delivery-url', text: d.url }),
    response,
    h('span', { class: 'muted', text: d.durationMs !== undefined ? `${d.durationMs} ms` : '' }),
  )
  const body = h(
    'div',
    { class: 'delivery-body' },
    propsList([
      ['URL', h('code', { text: d.url })],
      ['Method', d.method],
      ['Sent at (virtual)', h('span', { class: 'mono', text: formatTime(d.at, true) })],
      ['Attempt', String(d.attempt)],
      ['X-Twilio-Signature', h('code', { class: 'signature', text: d.signature })],
      [
        'Response',
        d.responseStatus !== undefined
          ? `HTTP ${d.responseStatus}${d.responseContentType ? ` · ${d.responseContentType}` : ''}`
          : null,
      ],
      ['Took (real time)', d.durationMs !== undefined ? `${d.durationMs} ms` : null],
      ['Error', d.error ? h('span', { class: 'error-code', text: d.error }) : undefined],
    ]),
    h('h4', { text: kind === 'status' ? 'Parameters' : 'Webhook parameters' }),
    paramsTable(d.params, `Parameters of delivery ${d.id}`),
    h('h4', { text: kind === 'status' ? 'Response body' : 'TwiML answer' }),
    d.responseBody
      ? h('pre', { class: 'response-body' }, h('code', { text: d.responseBody }))
      : h('p', { class: 'hint', text: d.error ? 'No answer.' : 'Empty body.' }),
  )
  return h('li', { 'data-delivery': String(d.id) }, keptDetails(key, summary, body))
}

function timeline(m, history, callbacks) {
  const start = Date.parse(history[0]?.at ?? m.date_created)
  const ol = h('ol', { class: 'timeline', 'aria-label': 'Status timeline' })
  for (const step of history) {
    const at = Date.parse(step.at)
    const sent = callbacks.filter((d) => d.status === step.status)
    ol.append(
      h(
        'li',
        { 'data-tone': STATUS_TONES[step.status] ?? 'pending', 'data-status': step.status },
        h(
          'div',
          { class: 'step-head' },
          badge(step.status),
          h('time', { class: 'step-time', datetime: step.at, text: formatTime(step.at, true) }),
          h('span', { class: 'step-delta', text: at === start ? 'start' : formatDelta(at - start) }),
          step.errorCode ? h('span', { class: 'error-code', text: `error ${step.errorCode}` }) : null,
        ),
        sent.length
          ? h(
              'ul',
              { class: 'step-callbacks' },
              sent.map((d) =>
                h(
                  'li',
                  null,
                  `callback → ${d.responseStatus !== undefined ? `HTTP ${d.responseStatus}` : (d.error ?? 'no answer')}`,
                ),
              ),
            )
          : null,
      ),
    )
  }
  return ol
}

function renderDetail(data, replies) {
  const { message: m, history = [], callbacks = [] } = data
  const media = data.media ?? (data.mediaUrls ?? []).map((url) => ({ url }))
  const status = callbacks.filter((d) => d.kind === 'status')
  const webhooks = callbacks.filter((d) => d.kind === 'inbound')
  const inbound = m.direction === 'inbound'
  const host = byId('message-detail')
  const parts = [
    h(
      'div',
      { class: 'pane-head' },
      h('h2', {
        id: 'message-heading',
        tabindex: '-1',
        'data-fk': 'message-heading',
        text: inbound ? 'Incoming message' : 'Message',
      }),
      h('a', { href: '#/', class: 'close-link', text: 'Close' }),
    ),
    h(
      'div',
      { class: 'detail-status' },
      badge(m.status),
      h('span', { class: 'sid', text: m.sid }),
      copyButton(m.sid, 'Message SID', 'copy-sid'),
    ),
  ]
  if (m.error_code) {
    parts.push(
      h(
        'div',
        { class: 'error-box', role: 'note' },
        h('strong', { text: `Error ${m.error_code}` }),
        ` – ${m.error_message ?? 'see the error reference'} `,
        h('a', {
          href: errorDocsUrl(m.error_code),
          target: '_blank',
          rel: 'noreferrer noopener',
          text: 'Error reference',
        }),
      ),
    )
  }
  parts.push(
    h('div', { class: 'message-body', 'aria-label': 'Body' }, m.body || h('em', { text: '(no body)' })),
    codeChips(m, 'detail'),
  )
  parts.push(
    propsList([
      ['From', h('span', { class: 'mono', text: m.from ?? '—' })],
      ['To', h('span', { class: 'mono', text: m.to })],
      ['Direction', DIRECTIONS[m.direction] ?? m.direction],
      ['Type', channelOf(m)],
      ['Segments', m.num_segments],
      ['Media', m.num_media],
      ['Price', formatPrice(m.price, m.price_unit)],
      ['Created', formatTime(m.date_created)],
      ['Sent', m.date_sent ? formatTime(m.date_sent) : null],
      ['Updated', formatTime(m.date_updated)],
      [
        'Messaging service',
        m.messaging_service_sid ? h('span', { class: 'mono', text: m.messaging_service_sid }) : null,
      ],
    ]),
  )
  const actions = h(
    'p',
    { class: 'actions' },
    h('a', { class: 'button-link', href: conversationHref(sidesOf(m)), text: 'Open the conversation' }),
  )
  if (inbound) {
    actions.append(
      h('a', {
        class: 'button-link',
        href: `#/inbound?${new URLSearchParams({ from: m.from ?? '', to: m.to })}`,
        text: 'Simulate another message from this user',
      }),
    )
  } else {
    actions.append(
      h('a', {
        class: 'button-link',
        href: `#/inbound?${new URLSearchParams({ from: m.to, to: m.from ?? '' })}`,
        text: 'Simulate a reply from the recipient',
      }),
      h('a', {
        class: 'button-link quiet',
        href: `#/scenarios?${new URLSearchParams({ to: m.to })}`,
        text: 'Add a scenario for this number',
      }),
    )
  }
  parts.push(actions)
  parts.push(section('Status timeline', 'timeline', timeline(m, history, status)))

  if (inbound) {
    const errors = state.lastInbound?.sid === m.sid ? state.lastInbound.errors : []
    const webhookParts = []
    if (errors.length) {
      webhookParts.push(
        h(
          'div',
          { class: 'warning-box', role: 'note' },
          h('strong', { text: 'Twilio would log:' }),
          h(
            'ul',
            null,
            errors.map((e) => h('li', null, `${e.level} ${e.code}: ${e.message}`)),
          ),
        ),
      )
    }
    if (webhooks.length === 0) {
      webhookParts.push(
        h(
          'p',
          { class: 'hint' },
          `No webhook was sent: ${m.to} has no SMS URL and its messaging service no inbound request URL. `,
          'Configure one (phoneNumbers[].smsUrl) to see the request and the TwiML your app answers.',
        ),
      )
    } else {
      webhookParts.push(
        h(
          'ol',
          { class: 'deliveries' },
          webhooks.map((d) => deliveryItem(d, 'inbound')),
        ),
      )
      const last = webhooks[webhooks.length - 1]
      webhookParts.push(
        h('h4', { text: 'TwiML your app answered' }),
        last.responseBody
          ? h('pre', { class: 'twiml', 'data-testid': 'twiml' }, h('code', { text: last.responseBody }))
          : h('p', {
              class: 'hint',
              text: last.error ? `No answer: ${last.error}` : 'An empty answer: no reply.',
            }),
      )
    }
    if (replies.length) {
      webhookParts.push(
        h('h4', { text: 'Replies' }),
        h(
          'ul',
          { class: 'media-list' },
          replies.map((r) =>
            h(
              'li',
              null,
              h('a', { href: messageHref(r.sid), text: r.sid }),
              ' ',
              badge(r.status),
              ` ${r.body}`,
            ),
          ),
        ),
      )
    }
    parts.push(section('Webhook', 'webhook', ...webhookParts))
  }

  if (!inbound)
    parts.push(
      section(
        `Status callbacks (${status.length})`,
        'callbacks',
        status.length
          ? h(
              'ol',
              { class: 'deliveries' },
              status.map((d) => deliveryItem(d, 'status')),
            )
          : h(
              'p',
              { class: 'hint' },
              'None yet. A message created with StatusCallback (or through a messaging service with one) gets a signed POST for each status: Advance or Settle the clock to move it on.',
            ),
      ),
    )
  if (media.length) {
    parts.push(
      section(
        `Media (${media.length})`,
        'media',
        h(
          'ul',
          { class: 'media-list' },
          media.map((item) =>
            h(
              'li',
              null,
              // Twilio's own media URLs need the account's credentials: show them, do not link them
              /^https:\/\/([a-z0-9-]+\.)*twilio\.com\//i.test(item.url)
                ? h('code', { text: item.url })
                : h('a', { href: item.url, target: '_blank', rel: 'noreferrer noopener', text: item.url }),
              item.contentType ? h('span', { class: 'muted', text: ` ${item.contentType}` }) : null,
            ),
          ),
        ),
      ),
    )
  }
  const json = JSON.stringify(m, null, 2)
  parts.push(
    section(
      'Resource',
      'resource',
      h(
        'div',
        { class: 'code-head' },
        h('span', { class: 'hint', text: 'As the API returns it' }),
        copyButton(json, 'The JSON', 'copy-json'),
      ),
      h('pre', { class: 'resource-json', 'data-testid': 'resource-json' }, h('code', { text: json })),
    ),
  )
  withFocusKept(host, () => host.replaceChildren(...parts))
}

// ------------------------------------------------------------------ conversations

/** How the status of a message sent shows in a conversation, as chat apps do: a clock, ticks, a cross. */
const TICKS = {
  accepted: '○',
  scheduled: '○',
  queued: '○',
  sending: '○',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  partially_delivered: '✓',
  failed: '✗',
  undelivered: '✗',
  canceled: '⊘',
}

/** The sides of the conversation a message belongs to (as the control API groups them). */
function sidesOf(m) {
  if (m.direction === 'inbound') return { ours: m.to, theirs: m.from ?? '' }
  return { ours: m.from ?? m.messaging_service_sid ?? '', theirs: m.to }
}

function conversationHref({ ours, theirs }) {
  return `#/conversations/${encodeURIComponent(ours)}/${encodeURIComponent(theirs)}`
}

function conversationPath({ ours, theirs }) {
  return `/conversations/${encodeURIComponent(ours)}/${encodeURIComponent(theirs)}`
}

function ticks(m) {
  return h('span', {
    class: 'ticks',
    'data-status': m.status,
    'data-tone': STATUS_TONES[m.status] ?? 'pending',
    role: 'img',
    'aria-label': statusLabel(m.status),
    title: statusLabel(m.status),
    text: TICKS[m.status] ?? '○',
  })
}

/** The one-time codes of a message, each with a button that copies it. */
function codeChips(m, key) {
  const codes = m.codes ?? []
  if (codes.length === 0) return null
  return h(
    'ul',
    { class: 'codes', 'aria-label': 'Codes' },
    codes.map((code, i) =>
      h(
        'li',
        null,
        h('code', { class: 'code', text: code }),
        h('button', {
          type: 'button',
          class: 'small',
          'data-fk': `${key}-code-${i}`,
          'aria-label': `Copy code ${code}`,
          text: 'Copy',
          onclick: () => copyText(code, `Code ${code}`),
        }),
      ),
    ),
  )
}

function linkList(m) {
  const links = m.links ?? []
  if (links.length === 0) return null
  return h(
    'ul',
    { class: 'bubble-links', 'aria-label': 'Links' },
    links.map((url) =>
      h(
        'li',
        null,
        /^https?:\/\//i.test(url)
          ? h('a', { href: url, target: '_blank', rel: 'noreferrer noopener', text: url })
          : h('code', { text: url }),
      ),
    ),
  )
}

/** One message as a chat bubble: ours on the right with its status ticks, theirs on the left. */
function bubble(m) {
  const mine = m.direction !== 'inbound'
  return h(
    'li',
    { class: mine ? 'bubble mine' : 'bubble theirs', 'data-sid': m.sid, 'data-status': m.status },
    h(
      'div',
      { class: 'bubble-body' },
      m.body || h('em', { text: Number(m.num_media) > 0 ? '(media)' : '(no body)' }),
    ),
    Number(m.num_media) > 0 && m.body ? h('p', { class: 'hint', text: `${m.num_media} media` }) : null,
    codeChips(m, m.sid),
    linkList(m),
    h(
      'div',
      { class: 'bubble-meta' },
      h('a', {
        href: messageHref(m.sid),
        class: 'bubble-time',
        'aria-label': `${mine ? 'Sent' : 'Received'} message ${m.sid}`,
        text: formatTime(m.date_created),
      }),
      m.error_code
        ? h('span', { class: 'error-code', title: m.error_message ?? '', text: String(m.error_code) })
        : null,
      mine ? ticks(m) : null,
    ),
  )
}

const refreshConversations = throttled(async () => {
  if (state.route.name !== 'conversations') return
  const { ours, theirs } = state.route
  if (ours !== undefined && theirs !== undefined) {
    const thread = await api(`${conversationPath({ ours, theirs })}?limit=200`)
    const same =
      state.route.name === 'conversations' && state.route.ours === ours && state.route.theirs === theirs
    if (same) renderThread(thread)
  } else {
    const { conversations, total } = await api('/conversations?limit=100')
    if (state.route.name === 'conversations' && state.route.ours === undefined)
      renderConversationList(conversations, total)
  }
}, 80)

function renderConversationList(conversations, total) {
  const host = byId('conversation-view')
  if (conversations.length === 0) {
    host.replaceChildren(
      h('p', { class: 'hint', text: 'No conversation yet: messages sent and received show here by number.' }),
    )
    return
  }
  const items = conversations.map((c) =>
    h(
      'li',
      { 'data-theirs': c.theirs, 'data-ours': c.ours },
      h(
        'a',
        { href: conversationHref(c), class: 'conversation-link' },
        h(
          'span',
          { class: 'conversation-who' },
          h('strong', { class: 'mono', text: c.theirs }),
          h('span', { class: 'muted', text: ` with ${c.ours}` }),
        ),
        h('span', { class: 'conversation-last', text: c.last.body || '(no body)' }),
        h(
          'span',
          { class: 'conversation-meta' },
          `${c.count} message${c.count === 1 ? '' : 's'} · ${formatTime(c.last.date_created)} `,
          c.last.direction === 'inbound' ? badge(c.last.status) : ticks(c.last),
        ),
      ),
    ),
  )
  withFocusKept(host, () =>
    host.replaceChildren(
      h('h3', {
        text: total > conversations.length ? `The ${conversations.length} latest of ${total}` : 'By number',
      }),
      h('ul', { class: 'conversations' }, items),
    ),
  )
}

function renderThread(thread) {
  const host = byId('conversation-view')
  const scrolled = host.querySelector('.thread')
  const atBottom = !scrolled || scrolled.scrollHeight - scrolled.scrollTop - scrolled.clientHeight < 40
  const parts = [
    h(
      'div',
      { class: 'thread-head' },
      h(
        'h3',
        null,
        h('span', { class: 'mono', text: thread.theirs }),
        h('span', { class: 'muted', text: ` with ${thread.ours}` }),
      ),
      h('a', { href: '#/conversations', text: 'All conversations' }),
    ),
    h(
      'p',
      { class: 'hint' },
      `${thread.total} message${thread.total === 1 ? '' : 's'}`,
      thread.total > thread.messages.length ? ` (the latest ${thread.messages.length})` : '',
      `: sent from ${thread.ours} on the right, received on the left.`,
    ),
  ]
  parts.push(
    thread.messages.length
      ? h(
          'ol',
          { class: 'thread', 'aria-label': `Messages between ${thread.ours} and ${thread.theirs}` },
          thread.messages.map(bubble),
        )
      : h('p', { class: 'hint', text: 'No message between these numbers yet.' }),
  )
  parts.push(
    h(
      'p',
      { class: 'actions' },
      h('a', {
        class: 'button-link',
        href: `#/inbound?${new URLSearchParams({ from: thread.theirs, to: thread.ours })}`,
        text: `Simulate a message from ${thread.theirs}`,
      }),
    ),
  )
  withFocusKept(host, () => host.replaceChildren(...parts))
  const list = host.querySelector('.thread')
  if (list && atBottom) list.scrollTop = list.scrollHeight
}

function stopWaiting() {
  state.wait?.controller.abort()
  state.wait = null
  byId('wait-stop').hidden = true
  byId('wait-start').disabled = false
}

/**
 * Waits for the next message to `to`: the newest stored one is found first (a wait with no time to wait
 * answers it at once), then GET /messages/wait answers the first created after it, waiting again after
 * each 408 until it comes or the user stops.
 */
async function startWaiting(to) {
  stopWaiting()
  const controller = new AbortController()
  const wait = { to, controller }
  state.wait = wait
  const result = byId('wait-result')
  const query = (extra) => `/messages/wait?${new URLSearchParams({ to, ...extra })}`
  byId('wait-start').disabled = true
  byId('wait-stop').hidden = false
  try {
    let after
    try {
      after = (await api(query({ timeout: '0s' }), { signal: controller.signal })).message.sid
    } catch (err) {
      if (!(err instanceof ControlApiError && err.status === 408)) throw err
    }
    result.replaceChildren(
      h('p', { class: 'waiting', 'data-waiting': to }, `Waiting for the next message to ${to}…`),
    )
    for (;;) {
      try {
        const { message } = await api(query({ timeout: '60s', ...(after ? { after } : {}) }), {
          signal: controller.signal,
        })
        showArrived(message)
        notify(
          `A message to ${to} arrived${message.codes?.length ? `: code ${message.codes[0]}` : ''}.`,
          'ok',
        )
        return
      } catch (err) {
        if (err instanceof ControlApiError && err.status === 408) continue
        throw err
      }
    }
  } catch (err) {
    if (controller.signal.aborted) {
      if (state.wait === null) result.replaceChildren()
      return
    }
    result.replaceChildren(h('p', { class: 'error-box', role: 'alert', text: describeError(err) }))
  } finally {
    if (state.wait === wait) stopWaiting()
  }
}

function showArrived(m) {
  byId('wait-result').replaceChildren(
    h(
      'div',
      { class: 'arrived', 'data-sid': m.sid },
      h('h3', { text: `Arrived: a message to ${m.to}` }),
      h('ol', { class: 'thread' }, bubble(m)),
      h(
        'p',
        { class: 'actions' },
        h('a', { class: 'button-link quiet', href: messageHref(m.sid), text: 'Open the message' }),
        h('a', {
          class: 'button-link quiet',
          href: conversationHref(sidesOf(m)),
          text: 'Open the conversation',
        }),
      ),
    ),
  )
}

function submitWait(event) {
  event.preventDefault()
  const input = byId('wait-to')
  const to = input.value.trim()
  if (!to) {
    notify('Enter the number to wait for a message to, such as +15558675310.', 'error')
    input.focus()
    return
  }
  startWaiting(to)
}

// ------------------------------------------------------------------ routes and panes

/** A segment of the address decoded, or as written when its escapes are malformed (an address typed by hand). */
function decodedSegment(segment) {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function parseRoute() {
  let raw = location.hash.replace(/^#/, '') || '/'
  try {
    raw = decodeURI(raw)
  } catch {
    // keep it as it is
  }
  const [path, query = ''] = raw.split('?')
  const params = new URLSearchParams(query)
  const m = /^\/messages\/([^/]+)$/.exec(path)
  if (m) return { name: 'message', sid: decodedSegment(m[1]), params }
  const c = /^\/conversations(?:\/([^/]+)\/([^/]+))?$/.exec(path)
  if (c)
    return c[1] === undefined
      ? { name: 'conversations', params }
      : { name: 'conversations', ours: decodedSegment(c[1]), theirs: decodedSegment(c[2]), params }
  if (path === '/inbound' || path === '/scenarios' || path === '/connect')
    return { name: path.slice(1), params }
  return { name: 'home', params }
}

function showRoute(initial = false) {
  const previous = state.route
  state.route = parseRoute()
  const { name } = state.route
  document.body.dataset.route = name
  for (const pane of document.querySelectorAll('[data-pane]')) pane.hidden = pane.dataset.pane !== name
  for (const link of document.querySelectorAll('[data-route-link]')) {
    if (link.dataset.routeLink === name) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  markSelectedRow()
  // numbers and their webhooks may have changed since the page loaded (PUT /__double/numbers/:number)
  if (name === 'inbound' && !initial) loadCredentials()
  if (name === 'message') {
    if (previous.name !== 'message' || previous.sid !== state.route.sid) {
      byId('message-detail').replaceChildren(
        h('h2', { id: 'message-heading', tabindex: '-1', 'data-fk': 'message-heading', text: 'Message' }),
        h('p', { class: 'hint', text: 'Loading…' }),
      )
      state.open.clear()
    }
    refreshDetail()
  }
  if (name === 'conversations') {
    const thread = state.route.theirs !== undefined
    const changed =
      previous.name !== 'conversations' ||
      previous.ours !== state.route.ours ||
      previous.theirs !== state.route.theirs
    if (changed) {
      byId('conversation-view').replaceChildren(h('p', { class: 'hint', text: 'Loading…' }))
      if (thread && !state.wait) byId('wait-to').value = state.route.theirs
    }
    refreshConversations()
  }
  if (name === 'inbound') prefillInbound(state.route.params)
  if (name === 'scenarios') {
    prefillScenario(state.route.params)
    loadScenarios()
  }
  if (!initial) focusPane(name)
}

function focusPane(name) {
  const headings = {
    home: 'messages-heading',
    message: 'message-heading',
    inbound: 'inbound-heading',
    scenarios: 'scenarios-heading',
    connect: 'connect-heading',
    conversations: 'conversations-heading',
  }
  const target = byId(headings[name])
  if (name === 'message') {
    // the heading is replaced when the message loads: focus the pane's first heading after it renders
    requestAnimationFrame(() => byId('message-heading')?.focus())
    return
  }
  target?.focus()
}

// ------------------------------------------------------------------ simulate an inbound message

function ownNumbers() {
  const out = []
  for (const account of state.credentials?.accounts ?? []) {
    // webhooks set at run time (PUT /__double/numbers/:number) win over the numbers' own
    for (const p of account.webhooks ?? []) out.push(p)
    for (const p of account.phoneNumbers ?? []) if (!out.some((o) => o.number === p.number)) out.push(p)
    for (const service of account.messagingServices ?? [])
      for (const sender of service.senders ?? [])
        if (!out.some((p) => p.number === sender))
          out.push({ number: sender, inboundRequestUrl: service.inboundRequestUrl })
  }
  return out
}

function renderInboundDefaults() {
  const numbers = ownNumbers()
  byId('own-numbers').replaceChildren(...numbers.map((p) => h('option', { value: p.number })))
  const to = byId('inbound-to')
  if (!to.value) to.value = senderOf(primaryAccount())
  describeWebhook()
}

function describeWebhook() {
  const value = byId('inbound-to')
    .value.trim()
    .replace(/^whatsapp:/i, '')
  const number = ownNumbers().find((p) => p.number.replace(/^whatsapp:/i, '') === value)
  const hint = byId('inbound-webhook')
  if (number?.smsUrl) hint.textContent = `Webhook: ${number.smsMethod ?? 'POST'} ${number.smsUrl}`
  else if (number?.inboundRequestUrl) hint.textContent = `Webhook: POST ${number.inboundRequestUrl}`
  else
    hint.textContent = 'No webhook is configured for this number: the message is stored and no app is called.'
}

function prefillInbound(params) {
  const form = byId('inbound-form')
  const from = params.get('from')
  const to = params.get('to')
  const whatsapp = /^whatsapp:/i.test(from ?? '') || /^whatsapp:/i.test(to ?? '')
  if (from) form.elements.from.value = from.replace(/^whatsapp:/i, '')
  if (to) form.elements.to.value = to.replace(/^whatsapp:/i, '')
  if (from || to) form.elements.channel.value = whatsapp ? 'whatsapp' : 'sms'
  syncInboundChannel()
  describeWebhook()
}

function syncInboundChannel() {
  const whatsapp = byId('inbound-form').elements.channel.value === 'whatsapp'
  for (const el of document.querySelectorAll('[data-whatsapp-only]')) el.hidden = !whatsapp
}

async function submitInbound(event) {
  event.preventDefault()
  const form = event.currentTarget
  const els = form.elements
  const channel = els.channel.value
  const mediaUrls = els.media.value
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
  const body = { from: els.from.value.trim(), to: els.to.value.trim(), body: els.body.value }
  if (!body.from || !body.to) {
    notify('From and To are required: From is the user, To one of your numbers.', 'error')
    ;(body.from ? els.to : els.from).focus()
    return
  }
  if (channel === 'whatsapp') body.channel = 'whatsapp'
  if (mediaUrls.length) body.mediaUrls = mediaUrls
  if (channel === 'whatsapp' && els.profileName.value.trim()) body.profileName = els.profileName.value.trim()
  const result = await act(form.querySelector('button[type=submit]'), () =>
    api('/inbound', { method: 'POST', body }),
  )
  if (!result?.message) return
  const sid = result.message.sid
  state.lastInbound = { sid, errors: result.errors ?? [] }
  const answered = result.delivery
    ? `the webhook answered ${result.delivery.responseStatus !== undefined ? `HTTP ${result.delivery.responseStatus}` : (result.delivery.error ?? 'nothing')}`
    : 'no webhook is configured'
  const replies = result.replies?.length ?? 0
  const box = byId('inbound-result')
  box.hidden = false
  box.replaceChildren(
    h(
      'p',
      null,
      'Received ',
      h('a', { href: messageHref(sid), text: sid }),
      `: ${answered}; ${replies} repl${replies === 1 ? 'y' : 'ies'}.`,
    ),
    result.errors?.length
      ? h(
          'ul',
          null,
          result.errors.map((e) => h('li', null, `${e.level} ${e.code}: ${e.message}`)),
        )
      : null,
  )
  notify(
    `Incoming message ${sid} received; ${answered}.`,
    result.errors?.some((e) => e.level === 'error') ? 'error' : 'ok',
  )
  refreshList()
  location.hash = messageHref(sid)
}

// ------------------------------------------------------------------ scenarios

const CODE_DEFAULTS = { failed: '30008', undelivered: '30003', reject: '21610' }

function syncScenarioFields() {
  const outcome = byId('scenario-outcome').value
  const needsCode = outcome in CODE_DEFAULTS
  for (const el of document.querySelectorAll('[data-needs="code"]')) el.hidden = !needsCode
  for (const el of document.querySelectorAll('[data-needs="duration"]')) el.hidden = needsCode
  const label = document.querySelector('label[for="scenario-duration"]')
  label.textContent =
    outcome === 'read' ? 'Read receipt after' : 'Time in each status (queued, sending, sent)'
}

function prefillScenario(params) {
  const to = params.get('to')
  if (to) byId('scenario-to').value = to
}

function scenarioFromForm(form) {
  const els = form.elements
  const outcome = els.outcome.value
  const to = els.to.value.trim()
  const code = Number(els.code.value.trim())
  const duration = els.duration.value.trim()
  const then = {}
  if (outcome in CODE_DEFAULTS && (!Number.isInteger(code) || code <= 0))
    throw new Error('Enter an error code, such as 30008.')
  if (!(outcome in CODE_DEFAULTS) && !duration) throw new Error('Enter a duration, such as 30s or 5m.')
  if (outcome === 'failed') Object.assign(then, { deliver: 'failed', errorCode: code })
  if (outcome === 'undelivered') Object.assign(then, { deliver: 'undelivered', errorCode: code })
  if (outcome === 'reject') Object.assign(then, { reject: code })
  if (outcome === 'delay') then.delays = { queued: duration, sending: duration, sent: duration }
  if (outcome === 'read') Object.assign(then, { deliver: 'read', readAfter: duration })
  const scenario = { then }
  if (to) scenario.when = { to }
  const times = els.times.value.trim()
  if (times) {
    const n = Number(times)
    if (!Number.isInteger(n) || n < 1)
      throw new Error('Number of messages must be a whole number of at least 1.')
    scenario.times = n
  }
  return scenario
}

async function addScenario(scenario, button) {
  const result = await act(button, () => api('/scenarios', { method: 'POST', body: scenario }))
  if (!result) return false
  renderScenarios(result.scenarios ?? [])
  notify(`Scenario added: ${describeScenario(scenario)}.`, 'ok')
  return true
}

async function submitScenario(event) {
  event.preventDefault()
  const form = event.currentTarget
  let scenario
  try {
    scenario = scenarioFromForm(form)
  } catch (err) {
    notify(err.message, 'error')
    return
  }
  await addScenario(scenario, form.querySelector('button[type=submit]'))
}

async function submitScenarioJson(event) {
  event.preventDefault()
  const form = event.currentTarget
  let scenario
  try {
    scenario = JSON.parse(form.elements.json.value)
  } catch (err) {
    notify(`The scenario is not valid JSON: ${err.message}`, 'error')
    return
  }
  await addScenario(scenario, form.querySelector('button[type=submit]'))
}

function describeOutcome(then) {
  if (!then || typeof then !== 'object') return String(then)
  const parts = []
  if (then.reject) parts.push(`reject the request with error ${then.reject}`)
  if (then.fault) parts.push(`answer HTTP ${then.fault}`)
  if (then.networkError) parts.push('cut the connection')
  if (then.deliver === 'failed' || then.deliver === 'undelivered')
    parts.push(`${then.deliver}${then.errorCode ? ` with error ${then.errorCode}` : ''}`)
  else if (then.errorCode) parts.push(`undelivered with error ${then.errorCode}`)
  if (then.deliver === 'sent') parts.push('no delivery receipt')
  if (then.deliver === 'read' || then.readAfter)
    parts.push(`read receipt${then.readAfter ? ` after ${then.readAfter}` : ''}`)
  if (then.delays)
    parts.push(
      `wait ${Object.entries(then.delays)
        .map(([status, d]) => `${d} in ${status}`)
        .join(', ')}`,
    )
  if (then.latency) parts.push(`${then.latency} of latency`)
  if (then.tamperSignature) parts.push('wrong callback signatures')
  if (then.duplicateCallbacks) parts.push('duplicate callbacks')
  if (then.reorderCallbacks) parts.push('callbacks in reverse order')
  return parts.length ? parts.join('; ') : JSON.stringify(then)
}

function describeScenario(s) {
  const to = s.when?.to
    ? typeof s.when.to === 'string'
      ? s.when.to
      : `/${s.when.to.source}/`
    : 'every message'
  const times = s.times ? ` (next ${s.times} message${s.times === 1 ? '' : 's'})` : ''
  const text = `${to}: ${describeOutcome(s.then)}${times}`
  return s.name ? `${s.name} (${text})` : text
}

async function loadScenarios() {
  const result = await act(null, () => api('/scenarios'))
  if (result) renderScenarios(result.scenarios ?? [])
}

function renderScenarios(list) {
  byId('scenario-list').replaceChildren(
    ...list.map((s) =>
      h(
        'li',
        null,
        h('strong', { text: describeScenario(s) }),
        h('br'),
        h('code', { class: 'muted', text: JSON.stringify({ when: s.when, then: s.then, times: s.times }) }),
      ),
    ),
  )
  byId('scenario-none').hidden = list.length > 0
  byId('clear-scenarios').hidden = list.length === 0
}

// ------------------------------------------------------------------ the clock and reset

async function advance(event) {
  event.preventDefault()
  const input = byId('advance-by')
  const by = input.value.trim()
  if (!by) {
    notify('Enter how far to move virtual time, such as 30s, 5m or 1h.', 'error')
    input.focus()
    return
  }
  const result = await act(event.submitter ?? event.currentTarget.querySelector('button[type=submit]'), () =>
    api('/advance', { method: 'POST', body: { by: /^\d+$/.test(by) ? Number(by) : by } }),
  )
  if (!result) return
  setClock(result.now)
  notify(`Virtual time moved by ${by}: now ${formatTime(result.now, true)} UTC.`, 'ok')
  refreshList()
  refreshDetail()
}

async function settle(event) {
  const result = await act(event.currentTarget, () => api('/settle', { method: 'POST' }))
  if (!result) return
  setClock(result.now)
  notify(`Settled: everything pending ran; virtual time is ${formatTime(result.now, true)} UTC.`, 'ok')
  refreshList()
  refreshDetail()
}

async function reset() {
  const result = await act(byId('reset-button'), () => api('/reset', { method: 'POST' }))
  if (!result) return
  setClock(result.now)
  state.lastInbound = null
  state.offset = 0
  notify('The double was reset: no messages, callbacks or scenarios.', 'ok')
  if (state.route.name === 'message') location.hash = '#/'
  if (state.route.name === 'scenarios') renderScenarios([])
  refreshList()
}

// ------------------------------------------------------------------ live events

function setLive(value) {
  const el = byId('live')
  el.dataset.state = value
  el.textContent = value
  el.title =
    value === 'live' ? 'New messages and status changes appear as they happen' : 'Waiting for the server…'
}

/** Fills the account filter with the server's accounts (shown once there is more than one). */
async function loadAccounts() {
  const health = await api('/health', { everyAccount: true }).catch(() => ({ accounts: [] }))
  syncAccounts(health.accounts ?? [])
}

function syncAccounts(list) {
  const accounts = [...list]
  if (state.account && !accounts.includes(state.account)) accounts.push(state.account)
  const select = /** @type {HTMLSelectElement} */ (byId('filter-account'))
  const shown = [...select.options].map((o) => o.value).slice(1)
  if (shown.join() === accounts.join()) return
  select.replaceChildren(
    h('option', { value: '' }, 'Every account'),
    ...accounts.map((sid) => h('option', { value: sid }, sid)),
  )
  select.value = state.account
  byId('filter-account-field').hidden = accounts.length < 2
}

/** Shows and acts on one account (or every one): the list, the credentials and the event stream follow. */
function chooseAccount(sid) {
  if (sid === state.account) return
  state.account = sid
  const url = new URL(location.href)
  if (sid) url.searchParams.set('account', sid)
  else url.searchParams.delete('account')
  history.replaceState(null, '', url)
  state.events?.close()
  state.events = connectEvents()
  loadCredentials()
}

function connectEvents() {
  const source = new EventSource(
    `${API}/events${state.account ? `?account=${encodeURIComponent(state.account)}` : ''}`,
  )
  source.addEventListener('open', () => setLive('live'))
  source.addEventListener('error', () =>
    setLive(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  )
  source.addEventListener('hello', (e) => {
    setLive('live')
    setClock(JSON.parse(e.data).now)
    // after a reconnection, catch up with whatever happened meanwhile
    refreshList()
    refreshDetail()
    refreshConversations()
  })
  source.addEventListener('message', (e) => {
    const data = JSON.parse(e.data)
    refreshList()
    if (state.route.name === 'message' && data.sid === state.route.sid) refreshDetail()
    refreshConversations()
  })
  source.addEventListener('callback', (e) => {
    const data = JSON.parse(e.data)
    // the list marks how each message's callbacks went
    refreshList()
    if (state.route.name === 'message' && data.delivery?.messageSid === state.route.sid) refreshDetail()
  })
  source.addEventListener('reset', () => {
    state.offset = 0
    refreshList()
    if (state.route.name === 'message') refreshDetail()
    if (state.route.name === 'scenarios') loadScenarios()
    refreshConversations()
  })
  return source
}

// ------------------------------------------------------------------ wiring

function readFilters() {
  const form = byId('filters')
  for (const key of Object.keys(state.filters)) state.filters[key] = form.elements[key].value.trim()
  state.offset = 0
  chooseAccount(form.elements.account.value)
}

let searchTimer = null
function start() {
  const filters = byId('filters')
  filters.addEventListener('submit', (e) => {
    e.preventDefault()
    readFilters()
    refreshList()
  })
  filters.addEventListener('change', () => {
    readFilters()
    refreshList()
  })
  byId('filter-q').addEventListener('input', () => {
    clearTimeout(searchTimer)
    searchTimer = setTimeout(() => {
      readFilters()
      refreshList()
    }, 200)
  })
  filters.addEventListener('reset', () => {
    setTimeout(() => {
      readFilters()
      refreshList()
    })
  })
  byId('no-match-clear').addEventListener('click', () => {
    filters.reset()
    byId('filter-q').focus()
  })
  byId('page-newer').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit)
    refreshList()
  })
  byId('page-older').addEventListener('click', () => {
    state.offset += state.limit
    refreshList()
  })
  byId('page-size').addEventListener('change', (e) => {
    state.limit = Number(e.currentTarget.value)
    state.offset = 0
    refreshList()
  })

  byId('clock-form').addEventListener('submit', advance)
  byId('settle-button').addEventListener('click', settle)
  const dialog = /** @type {HTMLDialogElement} */ (byId('reset-dialog'))
  byId('reset-button').addEventListener('click', () => dialog.showModal())
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'reset') reset()
    dialog.returnValue = ''
    byId('reset-button').focus()
  })

  byId('wait-form').addEventListener('submit', submitWait)
  byId('wait-stop').addEventListener('click', () => {
    stopWaiting()
    byId('wait-to').focus()
  })
  byId('inbound-form').addEventListener('submit', submitInbound)
  byId('inbound-form').addEventListener('change', (e) => {
    if (e.target.name === 'channel') syncInboundChannel()
  })
  byId('inbound-to').addEventListener('input', describeWebhook)
  byId('scenario-form').addEventListener('submit', submitScenario)
  byId('scenario-json-form').addEventListener('submit', submitScenarioJson)
  byId('scenario-outcome').addEventListener('change', (e) => {
    const code = CODE_DEFAULTS[e.currentTarget.value]
    if (code) byId('scenario-code').value = code
    syncScenarioFields()
  })
  byId('clear-scenarios').addEventListener('click', async (e) => {
    const result = await act(e.currentTarget, () => api('/scenarios', { method: 'DELETE' }))
    if (!result) return
    renderScenarios([])
    notify('Every scenario was removed.', 'ok')
  })

  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return
    if (e.target.closest?.('input, textarea, select, [contenteditable]')) return
    e.preventDefault()
    byId('filter-q').focus()
  })

  window.addEventListener('hashchange', () => showRoute())
  syncScenarioFields()
  syncInboundChannel()
  showRoute(true)
  loadCredentials()
  loadAccounts()
  refreshList()
  state.events = connectEvents()
}

start()
