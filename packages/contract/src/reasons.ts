import { REASON_WORDS, type ReasonParams } from './reason-words.js';

/**
 * Reasons in the languages people read: a rule or the health score gives its reason as English text
 * (what the API and the logs carry) and as a key of the reason catalogue (reason-words.ts) with
 * its values, from which the console and each notification render the reader's language.
 */

/** The languages of the console and of notifications; zh-CN is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
export type { ReasonParams, ReasonWords } from './reason-words.js';

/** A language tag as given (a person's setting, a query) made one of LANGUAGES: English for any en tag, else the default. */
export const languageOf = (tag: string | null | undefined): Language => (tag?.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LANGUAGE);

/**
 * A reason in a language: rendered from its key and values when the catalogue knows the key, else the
 * English text as written (a reason from a version that had no key, or a key added since).
 */
export function reasonIn(language: string, reason: { text: string; key?: string | null | undefined; params?: ReasonParams | null | undefined }): string {
  const words = reason.key ? REASON_WORDS[reason.key] : undefined;
  if (!words) return reason.text;
  try {
    return words[languageOf(language)](reason.params ?? {});
  } catch {
    return reason.text;
  }
}

/** Keys of the catalogue (each with a sentence in every language: kept so by a test). */
export const REASON_KEYS: readonly string[] = Object.freeze(Object.keys(REASON_WORDS));
