import type { HealthView } from '@liftwatch/contract';

const GRADES = [null, 'A', 'B', 'C', 'D', 'E'] as const;
const COMPONENTS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const;

/**
 * The latest score of every lift, in typed arrays (about 70 bytes a lift): what lists, district grade
 * counts and /metrics read. The full score with reasons is made again from the lift's state when a
 * page asks for it (health-service.ts), so a city's scores cost a few megabytes, not a view object
 * each. Also remembers, per lift, the last score written to the history.
 */
export function createServedScores() {
  const index = new Map<string, number>();
  const ids: string[] = [];
  let cap = 0;
  let at = new Float64Array(0); let writtenAt = new Float64Array(0);
  let score = new Float32Array(0); let confidence = new Float32Array(0); let writtenScore = new Float32Array(0); let comps = new Float32Array(0);
  let grade = new Uint8Array(0); let writtenGrade = new Uint8Array(0); let flags = new Uint8Array(0);
  const versions: string[] = [];
  let version = new Uint8Array(0);

  function grow(): void {
    cap = Math.max(1024, cap * 2);
    const f64 = (a: Float64Array, n = 1) => { const b = new Float64Array(cap * n); b.set(a); return b; };
    const f32 = (a: Float32Array, n = 1) => { const b = new Float32Array(cap * n); b.set(a); return b; };
    const u8 = (a: Uint8Array) => { const b = new Uint8Array(cap); b.set(a); return b; };
    at = f64(at); writtenAt = f64(writtenAt); score = f32(score); confidence = f32(confidence); writtenScore = f32(writtenScore); comps = f32(comps, 6);
    grade = u8(grade); writtenGrade = u8(writtenGrade); flags = u8(flags); version = u8(version);
  }
  function slot(liftId: string): number {
    let i = index.get(liftId);
    if (i === undefined) {
      i = ids.length;
      if (i >= cap) grow();
      ids.push(liftId);
      index.set(liftId, i);
      writtenAt[i] = -Infinity;
    }
    return i;
  }
  const gradeNumber = (g: HealthView['grade']) => GRADES.indexOf(g);

  return {
    /** Keeps a score; false when the lift has a newer one (an older computation finished late). */
    set(v: HealthView): boolean {
      const i = slot(v.liftId);
      if (at[i]! > v.at) return false;
      at[i] = v.at; score[i] = v.score; confidence[i] = v.confidence; grade[i] = gradeNumber(v.grade); flags[i] = (v.provisional === true ? 1 : 0) | 2;
      COMPONENTS.forEach((c, k) => { comps[6 * i + k] = v.components[c] ?? NaN; });
      let n = versions.indexOf(v.paramsVersion);
      if (n < 0) n = versions.push(v.paramsVersion) - 1;
      version[i] = n;
      return true;
    },
    /** The kept score as a view without reasons (lists), or null. */
    get(liftId: string): HealthView | null {
      const i = index.get(liftId);
      if (i === undefined || (flags[i]! & 2) === 0) return null;
      return {
        liftId, at: at[i]!, score: Math.round(score[i]! * 10) / 10, grade: GRADES[grade[i]!] ?? null, provisional: (flags[i]! & 1) === 1,
        confidence: Math.round(confidence[i]! * 1000) / 1000, paramsVersion: versions[version[i]!] ?? '', components: Object.fromEntries(COMPONENTS.map((c, k) => [c, Math.round(comps[6 * i + k]! * 10) / 10])),
        reasons: [], caps: [],
      };
    },
    has: (liftId: string) => { const i = index.get(liftId); return i !== undefined && (flags[i]! & 2) !== 0; },
    atOf: (liftId: string) => { const i = index.get(liftId); return i === undefined ? -Infinity : at[i]!; },
    grade: (liftId: string): string => { const i = index.get(liftId); return i === undefined || (flags[i]! & 2) === 0 ? 'none' : GRADES[grade[i]!] ?? 'none'; },
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
      for (let i = 0; i < ids.length; i++) {
        if ((flags[i]! & 2) === 0) continue;
        grades[GRADES[grade[i]!] ?? 'none']!++;
        bins[Math.min(9, Math.max(0, Math.floor(score[i]! / 10)))]!++;
      }
      return { grades, bins };
    },
    size: () => index.size,
  };
}
export type ServedScores = ReturnType<typeof createServedScores>;
