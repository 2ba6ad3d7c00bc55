/**
 * Limits of the standards that more than one part of liftwatch measures against: the health score's
 * absolute parts and caps, the models' precursor bands and the calibrated threshold rules read them
 * here, so a corrected figure changes everywhere at once. Sources and how sure each is:
 * docs/reference-values.md.
 */
export const REFERENCE_LIMITS = Object.freeze({
  /** GB/T 10058-2009 ride quality: A95 of horizontal (x, y) vibration, m/s² (unverified). */
  rideA95XYMps2: 0.15,
  /** GB/T 10058-2009 ride quality: A95 of vertical (z) vibration, m/s² (unverified). */
  rideA95ZMps2: 0.2,
  /** GB/T 10058-2009 Table 1: door time per movement of a centre-opening door of 800–1000 mm clear width, s (unverified). */
  doorCloseS: 4.0,
  /** EN 81-20 / GB/T 10058 stopping accuracy, ± mm (unverified). */
  stopErrMm: 10,
  /** Motor winding temperature at which controllers typically trip (class F insulation is 155 °C), °C (unverified). */
  windingTripC: 130,
});
