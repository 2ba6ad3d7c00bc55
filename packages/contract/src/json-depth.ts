/**
 * How deep JSON text nests, found by one pass over the text before it is parsed. A record of
 * contract v1 nests at most 2 levels (a wave record's `samples`), 3 inside an array of records;
 * JSON nested thousands of levels deep parses, but anything that walks it recursively afterwards
 * (schema errors, `JSON.stringify`, `structuredClone`) overflows the stack. RFC 8259 §9 lets a
 * parser set a limit on the depth of nesting: liftwatch refuses such text before parsing it.
 */

/** Deepest nesting of arrays and objects accepted by default (MQTT payloads and HTTP bodies). */
export const DEFAULT_MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * The index of the first `[` or `{` that nests deeper than `maxDepth` levels, or -1 when none does.
 * Brackets inside strings are text. It counts, it does not validate: text that is not JSON either
 * passes here and fails in the parser, or is refused here first, both with a reason.
 */
export function jsonDepthExceeded(text: string, maxDepth: number): number {
  if (openingsAtMost(text, maxDepth)) return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return -1; // an unterminated string: the parser says so
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return -1;
}

/**
 * Whether the text holds at most `max` opening brackets in all, strings included: then it cannot nest
 * deeper than `max`. Counted with indexOf (native): a record has one or two, and the walk over its
 * strings below costs more than parsing it.
 */
function openingsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return false;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return false;
  return true;
}

/**
 * The index of the quote that closes the string opened at `open`, or -1. It jumps from quote to
 * quote (indexOf is native: strings are most of a record's text) and skips a quote escaped by an
 * odd number of backslashes. Each backslash is counted once, so the pass stays linear.
 */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let before = at - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((at - 1 - before) % 2 === 0) return at;
  }
}

/** The reason given for text refused by `jsonDepthExceeded`. */
export function tooDeepReason(what: string, at: number, maxDepth: number): string {
  return `${what} nests JSON arrays and objects deeper than ${maxDepth} levels (at character ${at}): liftwatch's messages need a few levels; send flat JSON`;
}
