/** The lift ids of the scale-out run: SCALE-000000, SCALE-000001 … */
export const scaleOutLiftId = (i: number) => `SCALE-${String(i).padStart(6, '0')}`;
