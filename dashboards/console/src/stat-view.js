// The view the statistics screens are of (area code or district, and months), kept in the address after "?".
export const VIEW_KEYS = ['areaCode', 'district', 'from', 'to'];

/** The view in the current address. */
export function currentView() {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  return Object.fromEntries(VIEW_KEYS.flatMap((k) => (q.get(k) ? [[k, q.get(k)]] : [])));
}

/** `?a=b&…` of these keys of the view (all keys when none are named), or '' when it has none. */
export function query(view, keys = VIEW_KEYS, extra = {}) {
  const q = new URLSearchParams({ ...Object.fromEntries(keys.flatMap((k) => (view[k] ? [[k, view[k]]] : []))), ...extra });
  return q.size ? `?${q}` : '';
}
