import type { BackendEvent } from '../../messaging/backend.js'
import { handler } from './route.js'
import type { ScopeView } from './scope.js'
import { controlMessage } from './wait.js'

const encoder = new TextEncoder()

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

function describeEvent(double: ScopeView, e: BackendEvent): unknown {
  if (e.type === 'message') {
    const message = double.messages.get(e.sid)
    return { ...e, message: message ? controlMessage(message) : null }
  }
  return e
}

/** Most events buffered for a slow reader before its stream is ended. */
const MAX_BUFFERED_EVENTS = 10_000

/** GET /events: server-sent events of messages and callbacks, until the client leaves or the server closes. */
export const events = handler({
  run: ({ request, scope }, { streams }) => {
    const double = scope.view
    let cleanup = () => {}
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true
        const close = () => {
          if (!open) return
          open = false
          unsubscribe()
          clearInterval(heartbeat)
          streams.delete(close)
          request.signal.removeEventListener('abort', close)
          try {
            controller.close()
          } catch {
            // already closed or errored
          }
        }
        const send = (chunk: Uint8Array) => {
          if (!open) return
          if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_EVENTS) return close()
          controller.enqueue(chunk)
        }
        const unsubscribe = double.subscribe((e) => send(frame(e.type, describeEvent(double, e))))
        const heartbeat = setInterval(() => send(encoder.encode(': keep-alive\n\n')), 15_000)
        heartbeat.unref?.()
        streams.add(close)
        request.signal.addEventListener('abort', close)
        cleanup = close
        controller.enqueue(encoder.encode(`retry: 1000\n\n`))
        controller.enqueue(frame('hello', { now: double.now().toISOString() }))
      },
      cancel() {
        cleanup()
      },
    })
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    })
  },
})
