/**
 * Where a simulated lift stands: a name and an address in Hangzhou, the same for the same lift id on
 * every run, so that the console, the riskiest list and the notifications name a demo lift as a
 * real one would be named (residential compounds, their buildings and lift numbers).
 */
const COMPOUNDS = [
  ['翠苑一区', '西湖区文三路'], ['嘉绿苑', '西湖区天目山路'], ['朝晖六区', '拱墅区朝晖路'], ['采荷人家', '上城区凯旋路'],
  ['闸弄口新村', '上城区天城路'], ['古荡新村', '西湖区古墩路'], ['米市巷小区', '拱墅区米市巷'], ['景芳三区', '上城区景芳路'],
] as const;

/** FNV-1a: a small stable hash of the lift id. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The lift's name (compound, building, lift) and its address. */
export function demoSite(liftId: string): { name: string; address: string } {
  const h = hash(liftId);
  const [compound, street] = COMPOUNDS[h % COMPOUNDS.length]!;
  const building = 1 + ((h >>> 4) % 28);
  const lift = 1 + ((h >>> 9) % 2);
  return { name: `${compound} ${building} 幢 ${lift} 号梯`, address: `浙江省杭州市${street} ${10 + ((h >>> 11) % 290)} 号 ${compound} ${building} 幢` };
}
