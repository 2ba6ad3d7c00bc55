/**
 * Seqs of records whose commit is still in flight, per lift. A replay of such a record is skipped
 * before detection and acknowledged only once its first copy's commit succeeded; a failed commit
 * forgets the seq, so the terminal's resend is stored (never acknowledged-but-lost). Only seqs in
 * flight are kept: memory per record waiting, not per lift. A later replay runs the rules again
 * (harmless: alert occurrences are unique per record, and an older status never rewinds a lift's
 * state) and is dropped by the store's key.
 */
export function createInflightSeqs() {
  const byLift = new Map<string, Map<number, Promise<void>>>();
  return {
    /** The commit of an earlier copy of this record, if one is in flight. */
    earlier: (liftId: string, seq: number): Promise<void> | undefined => byLift.get(liftId)?.get(seq),
    remember(liftId: string, seq: number, committed: Promise<void>): void {
      let seen = byLift.get(liftId);
      if (!seen) byLift.set(liftId, (seen = new Map()));
      const lift = seen;
      lift.set(seq, committed);
      const forget = () => {
        if (lift.get(seq) === committed) lift.delete(seq);
        if (lift.size === 0 && byLift.get(liftId) === lift) byLift.delete(liftId);
      };
      committed.then(forget, forget);
    },
    size: (): number => byLift.size,
  };
}

export type InflightSeqs = ReturnType<typeof createInflightSeqs>;
