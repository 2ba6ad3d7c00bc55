import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the console, without types
import { percentText } from '../../console/src/percent.js';

const show = (v: number | null, lang = 'en') => percentText(v, lang) as string;

describe('a share shown as a percentage', () => {
  it('in whole percents in the page\'s language', () => {
    expect(show(0.64)).toBe('64 %');
    expect(show(1.37)).toBe('137 %');
    expect(show(0.4567, 'zh-CN')).toBe('46 %');
    expect(show(null)).toBe('–');
  });

  it('never 100 % or 0 % for a share that is neither: a raise threshold of 0.9986 is 99.8 %', () => {
    expect(show(0.9986)).toBe('99.8 %');
    expect(show(0.99999)).toBe('99.9 %');
    expect(show(0.003)).toBe('0.3 %');
    expect(show(0.00001)).toBe('0.1 %');
    expect(show(1)).toBe('100 %');
    expect(show(0)).toBe('0 %');
  });
});
