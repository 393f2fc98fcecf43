/**
 * Virtual time that follows the wall clock: the standalone server's default. Every `everyMs` the double's
 * virtual time moves on by the wall-clock time that passed, so messages go queued → delivered in seconds as on
 * Twilio and sender queues drain, while `advance()` and `settle()` still jump ahead.
 */
import type { TwilioDouble } from '../double.js'

/** How the standalone server's time passes: see `twilio-double serve --clock`. */
export type ServerClock = 'virtual' | 'manual' | 'real'

/** Options of {@link followWallClock}. */
export interface WallClockOptions {
  /** The wall clock in epoch milliseconds (default `Date.now`). */
  now?: () => number
  /** How often virtual time catches up, in milliseconds (default 100). */
  everyMs?: number
}

/** A running follower: {@link WallClock.tick} catches up now; {@link WallClock.stop} ends it. */
export interface WallClock {
  /** Moves virtual time on by the wall-clock time passed since the last tick (and runs what falls due). */
  tick(): Promise<void>
  stop(): void
}

/**
 * Makes the double's virtual time follow the wall clock from now on. An error a task throws while time moves
 * is dropped: the follower goes on.
 *
 * @example
 * const clock = followWallClock(double)
 * // ... messages move on by themselves; double.advance('1h') still jumps ahead
 * clock.stop()
 */
export function followWallClock(double: TwilioDouble, options: WallClockOptions = {}): WallClock {
  const now = options.now ?? Date.now
  const everyMs = options.everyMs ?? 100
  let last = now()
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async (): Promise<void> => {
    const at = now()
    const passed = at - last
    last = at
    if (passed > 0) await double.advance(passed)
  }
  const loop = () => {
    timer = setTimeout(() => {
      tick()
        .catch(() => {})
        .finally(() => {
          if (!stopped) loop()
        })
    }, everyMs)
    timer.unref?.()
  }
  loop()
  return {
    tick,
    stop: () => {
      stopped = true
      clearTimeout(timer)
    },
  }
}
