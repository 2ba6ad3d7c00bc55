import type { Awaitable, Hazard, HazardCategory, HazardSource, HazardState, PublicLift } from '@liftwatch/contract';

/**
 * Hazards on lifts and the lifts' public pages (docs/hazards.md): the state store's hazards, and what
 * a resident may read about a lift. Without it the hazard routes are not there.
 */
export interface HazardsPort {
  /** What the lift's public page shows; undefined: the platform knows no such lift. */
  publicLift(liftId: string): Promise<PublicLift | undefined>;
  open(input: { liftId: string; source: HazardSource; category: HazardCategory; description: string; contact: string | null; reportedBy: string | null }, at: number): Promise<Hazard>;
  get(id: number): Promise<Hazard | undefined>;
  /** Newest first; `active`: not yet closed. */
  list(filter: { state?: HazardState | 'active'; liftId?: string; limit: number }): Promise<Hazard[]>;
  rectify(id: number, fix: { note: string; photo: { contentType: string; bytes: Buffer } }, actor: string, at: number): Promise<Hazard>;
  review(id: number, accept: boolean, note: string, actor: string, at: number): Promise<Hazard>;
  photo(id: number): Promise<{ contentType: string; sha256: string; bytes: Buffer } | undefined>;
  /** Hazards not yet closed, per lift. */
  activeCounts(): Awaitable<Map<string, number>>;
}
