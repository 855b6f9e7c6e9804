// The engine-neutral shape of a store: the SQLite store's methods, each allowed to answer with a promise.
// SQLite (synchronous, one connection) answers at once; PostgreSQL answers later. Callers always `await`.
export type Awaitable<T> = T | Promise<T>;

/** Every method of `T` may return a promise of what it returns on SQLite; other members stay as they are. */
export type AsyncStore<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Awaitable<Awaited<R>> : T[K];
};
