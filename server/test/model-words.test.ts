import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, PRECURSOR_NAMES } from '@liftwatch/models';
// @ts-expect-error: the console's sources are plain JavaScript modules without typings
import { HEALTH_WORDS } from '../../dashboards/console/src/words-health.js';

/**
 * The lift page names each model feature and each precursor the serving lists, in the reader's language:
 * a feature or precursor added to the models without a word in every language shows English to a Chinese
 * reader (or a bare key), which this catches.
 */
const words = HEALTH_WORDS as Record<'zh-CN' | 'en', Record<string, string>>;

describe('the console has a word for everything the models can name', () => {
  it.each(['zh-CN', 'en'] as const)('%s: every feature and every precursor', (lang) => {
    const missing = [
      ...FEATURE_NAMES.map((n) => `feat.${n}`),
      ...PRECURSOR_NAMES.map((n) => `pre.${n}`),
    ].filter((key) => !(words[lang][key] ?? '').trim());
    expect(missing).toEqual([]);
  });

  it('the Chinese words are Chinese', () => {
    const notChinese = [...FEATURE_NAMES.map((n) => `feat.${n}`), ...PRECURSOR_NAMES.map((n) => `pre.${n}`)]
      .filter((key) => !/[\u4e00-\u9fff]/.test(words['zh-CN'][key] ?? ''));
    expect(notChinese).toEqual([]);
  });
});
