// A value now or later (a store answers at once on SQLite, with a promise on PostgreSQL): hot paths stay synchronous
// when the answer is already there and wait only when it is not.
export type Awaitable<T> = T | Promise<T>;

/** `fn` of `value`: at once when `value` is not a promise, once it settles when it is. */
export function andThen<T, R>(value: Awaitable<T>, fn: (value: T) => Awaitable<R>): Awaitable<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
