// Where the navigate button of the phone inbox goes (a module of its own, with no browser globals, so tests can import it).

/**
 * A map link: Amap's URI API (uri.amap.com, opens the Amap app on a phone that has it, else its web
 * map), with WGS-84 coordinates as GPS gives them (`coordinate=wgs84`: Amap converts them to its
 * GCJ-02), or a search for the address.
 */
export function mapLink(p) {
  const name = encodeURIComponent(p.name ?? p.address ?? '');
  if (Number.isFinite(p.latitude) && Number.isFinite(p.longitude)) return `https://uri.amap.com/marker?position=${p.longitude},${p.latitude}&name=${name}&coordinate=wgs84&callnative=1`;
  if (p.address) return `https://uri.amap.com/search?keyword=${encodeURIComponent(p.address)}&callnative=1`;
  return null;
}
