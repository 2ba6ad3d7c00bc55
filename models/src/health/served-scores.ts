import type { HealthView } from '@liftwatch/contract';
import { createLiftNumbers, grown, type LiftNumbers } from '../serving/lift-numbers.js';

const GRADES = [null, 'A', 'B', 'C', 'D', 'E'] as const;
const COMPONENTS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const;

/**
 * The latest score of every lift, in typed arrays (about 70 bytes a lift): what lists, district grade
 * counts and /metrics read. The full score with reasons is made again from the lift's state when a
 * page asks for it (health-service.ts), so a city's scores cost a few megabytes, not a view object
 * each. Also remembers, per lift, the last score written to the history.
 */
export function createServedScores(lifts: LiftNumbers = createLiftNumbers()) {
  /** Columns by lift number (lift-numbers.ts). */
  let at = new Float64Array(0); let writtenAt = new Float64Array(0);
  let score = new Float32Array(0); let confidence = new Float32Array(0); let writtenScore = new Float32Array(0); let comps = new Float32Array(0);
  let grade = new Uint8Array(0); let writtenGrade = new Uint8Array(0); let flags = new Uint8Array(0);
  const versions: string[] = [];
  let version = new Uint8Array(0);
  let kept = 0;

  function slot(liftId: string): number {
    const i = lifts.numberOf(liftId);
    if (i >= at.length) {
      const n = i + 1;
      at = grown(at, n, 0); writtenAt = grown(writtenAt, n, -Infinity); score = grown(score, n, 0); confidence = grown(confidence, n, 0);
      writtenScore = grown(writtenScore, n, 0); comps = grown(comps, n, 0, 6);
      grade = grown(grade, n, 0); writtenGrade = grown(writtenGrade, n, 0); flags = grown(flags, n, 0); version = grown(version, n, 0);
    }
    return i;
  }
  /** The lift's number if it has a kept score. */
  function found(liftId: string): number | undefined {
    const i = lifts.find(liftId);
    return i === undefined || i >= at.length || (flags[i]! & 2) === 0 ? undefined : i;
  }
  const gradeNumber = (g: HealthView['grade']) => GRADES.indexOf(g);

  return {
    /** Keeps a score; false when the lift has a newer one (an older computation finished late). */
    set(v: HealthView): boolean {
      const i = slot(v.liftId);
      if (at[i]! > v.at) return false;
      if ((flags[i]! & 2) === 0) kept++;
      at[i] = v.at; score[i] = v.score; confidence[i] = v.confidence; grade[i] = gradeNumber(v.grade); flags[i] = (v.provisional === true ? 1 : 0) | 2;
      COMPONENTS.forEach((c, k) => { comps[6 * i + k] = v.components[c] ?? NaN; });
      let n = versions.indexOf(v.paramsVersion);
      if (n < 0) n = versions.push(v.paramsVersion) - 1;
      version[i] = n;
      return true;
    },
    /** The kept score as a view without reasons (lists), or null. */
    get(liftId: string): HealthView | null {
      const i = found(liftId);
      if (i === undefined) return null;
      return {
        liftId, at: at[i]!, score: Math.round(score[i]! * 10) / 10, grade: GRADES[grade[i]!] ?? null, provisional: (flags[i]! & 1) === 1,
        confidence: Math.round(confidence[i]! * 1000) / 1000, paramsVersion: versions[version[i]!] ?? '', components: Object.fromEntries(COMPONENTS.map((c, k) => [c, Math.round(comps[6 * i + k]! * 10) / 10])),
        reasons: [], caps: [],
      };
    },
    has: (liftId: string) => found(liftId) !== undefined,
    atOf: (liftId: string) => { const i = found(liftId); return i === undefined ? -Infinity : at[i]!; },
    grade: (liftId: string): string => { const i = found(liftId); return i === undefined ? 'none' : GRADES[grade[i]!] ?? 'none'; },
    /** Whether a score is a new history row: the grade changed, the score moved by `minChange`, or `everyMs` passed since the last row. */
    due(v: HealthView, minChange: number, everyMs: number): boolean {
      const i = slot(v.liftId);
      return writtenAt[i] === -Infinity || GRADES[writtenGrade[i]!] !== v.grade || Math.abs(writtenScore[i]! - v.score) >= minChange || v.at - writtenAt[i]! >= everyMs;
    },
    written(v: HealthView): void {
      const i = slot(v.liftId);
      writtenAt[i] = v.at; writtenScore[i] = v.score; writtenGrade[i] = gradeNumber(v.grade);
    },
    /** Lifts per grade ('none': no grade yet), and scores in 10-point bins (index 0: below 10 … 9: 90 and above). */
    distribution() {
      const grades: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0, none: 0 };
      const bins = new Array<number>(10).fill(0);
      for (let i = 0; i < at.length; i++) {
        if ((flags[i]! & 2) === 0) continue;
        grades[GRADES[grade[i]!] ?? 'none']!++;
        bins[Math.min(9, Math.max(0, Math.floor(score[i]! / 10)))]!++;
      }
      return { grades, bins };
    },
    /** Lifts with a kept score. */
    size: () => kept,
  };
}
export type ServedScores = ReturnType<typeof createServedScores>;
