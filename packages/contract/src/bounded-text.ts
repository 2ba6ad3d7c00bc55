/**
 * Texts about untrusted values (error reasons, log lines) that stay short whatever the value:
 * nothing here recurses, stringifies a whole value or throws. `JSON.stringify` of a value nested
 * a few thousand levels deep overflows the stack, so a reason that quotes the offending value must
 * be written with these.
 */

/** Longest log line liftwatch writes, characters: a line that quotes a topic or an error is cut to fit. */
export const MAX_LOG_LINE_CHARS = 2000;

/** `text` cut to at most `max` characters, ending in `...` when it was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 3 ? text.slice(0, max) : `${text.slice(0, max - 3)}...`;
}

type Step = { text: string } | { value: unknown };

function scalar(value: unknown, max: number): string | undefined {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > max ? value.slice(0, max) : value);
    case 'number': return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean': return String(value);
    case 'undefined': return 'nothing';
    case 'bigint': return `${value}n`;
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    default: return value === null ? 'null' : undefined;
  }
}

/** The steps that write an array or an object: its brackets and at most `max` of its members. */
function members(value: object, max: number): Step[] {
  const steps: Step[] = [];
  if (Array.isArray(value)) {
    steps.push({ text: '[' });
    const n = Math.min(value.length, max);
    for (let i = 0; i < n; i++) steps.push(...(i > 0 ? [{ text: ',' }] : []), { value: value[i] as unknown });
    steps.push({ text: value.length > n ? ',...]' : ']' });
    return steps;
  }
  steps.push({ text: '{' });
  let n = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (n >= max) {
      steps.push({ text: ',...' });
      break;
    }
    steps.push({ text: `${n > 0 ? ',' : ''}${scalar(key, max)}:` }, { value: (value as Record<string, unknown>)[key] });
    n++;
  }
  steps.push({ text: '}' });
  return steps;
}

/**
 * A short text of any value, written like JSON (`{"a":[1,"two"]}`), at most `max` characters:
 * for the reason of a rejection ("got …"). Iterative, so a deep or cyclic value is fine; a value
 * that throws when read (a getter, a proxy) is named, not shown.
 */
export function preview(value: unknown, max = 80): string {
  try {
    let out = '';
    const todo: Step[] = [{ value }];
    while (todo.length > 0 && out.length <= max) {
      const step = todo.pop()!;
      if ('text' in step) {
        out += step.text;
        continue;
      }
      const text = scalar(step.value, max);
      if (text !== undefined) out += text;
      else todo.push(...members(step.value as object, max).reverse());
    }
    return clip(out, max);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** An error's name and message, at most `max` characters; never throws, whatever was thrown. */
export function errorText(err: unknown, max = 300): string {
  try {
    const text = err instanceof Error ? `${String(err.name)}: ${String(err.message)}` : typeof err === 'string' ? err : preview(err, max);
    return clip(text, max);
  } catch {
    return 'an error that cannot be shown';
  }
}
