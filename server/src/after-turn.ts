/**
 * Work nobody waits for, done after the turn of the event loop that asked for it (setImmediate),
 * in the order asked, all of one turn together: a lift's health score computed again after an
 * alert change leaves the turn that raises a P1 and sends its notification. After close() nothing
 * more runs.
 */
export function afterTurn<T>(fn: (item: T) => void, onError: (err: unknown) => void): { push(item: T): void; close(): void } {
  let waiting: T[] = [];
  let immediate: NodeJS.Immediate | undefined;
  const run = () => {
    immediate = undefined;
    const items = waiting;
    waiting = [];
    for (const item of items) {
      try {
        fn(item);
      } catch (err) {
        onError(err);
      }
    }
  };
  return {
    push(item: T): void {
      waiting.push(item);
      immediate ??= setImmediate(run);
    },
    close(): void {
      if (immediate) clearImmediate(immediate);
      immediate = undefined;
      waiting = [];
    },
  };
}
