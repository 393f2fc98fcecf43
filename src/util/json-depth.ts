/**
 * Whether `value` (parsed JSON) nests arrays and objects more than `max` deep, walked without recursion: a body
 * nested thousands deep would overflow the stack of whatever reads it next (its validation, its error message).
 *
 * @example
 * nestsDeeperThan(JSON.parse('{"a":[1]}'), 1) // true
 * nestsDeeperThan(JSON.parse('{"a":[1]}'), 2) // false
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next
    if (item === null || typeof item !== 'object') continue
    if (depth >= max) return true
    for (const child of Object.values(item)) pending.push([child, depth + 1])
  }
  return false
}
