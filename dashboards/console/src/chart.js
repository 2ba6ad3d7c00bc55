// A small SVG line chart (no library): mean per bucket, min–max band.
const NS = 'http://www.w3.org/2000/svg';
const el = (name, attrs) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

export function lineChart(points, { width = 320, height = 120, label = '' } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  if (points.length === 0) return svg;
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => [p.min ?? p.y, p.max ?? p.y]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) || 1];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x) => 4 + ((x - x0) / (x1 - x0 || 1)) * (width - 8);
  const sy = (y) => height - 14 - ((y - y0) / (y1 - y0 || 1)) * (height - 24);
  const band = points.map((p) => `${sx(p.x)},${sy(p.max ?? p.y)}`).concat(points.slice().reverse().map((p) => `${sx(p.x)},${sy(p.min ?? p.y)}`));
  svg.append(el('polygon', { points: band.join(' '), class: 'band' }));
  svg.append(el('polyline', { points: points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' '), class: 'line' }));
  const text = el('text', { x: 4, y: height - 2, class: 'axis' });
  text.textContent = `${y0.toFixed(2)} – ${y1.toFixed(2)}`;
  svg.append(text);
  return svg;
}
