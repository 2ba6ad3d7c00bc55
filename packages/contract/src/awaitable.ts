/** A value, or a promise of it: what a port may return when one adapter answers at once and another over the network. */
export type Awaitable<T> = T | Promise<T>;
