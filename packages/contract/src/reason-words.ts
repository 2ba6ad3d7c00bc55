/**
 * The reason catalogue: every reason a person reads (why an alert opened, why a health score lost
 * points or is capped) as a key with a sentence in each language, filled from the values the rule or
 * the score gave. No imports: the console bundles this file as it is.
 */

export type ReasonParams = Readonly<Record<string, unknown>>;
type P = ReasonParams;
export interface ReasonWords { readonly 'zh-CN': (p: P) => string; readonly en: (p: P) => string }

/** A number rounded to `digits` decimals, '?' when it is not one. */
const n = (v: unknown, digits = 2): string => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v * 10 ** digits) / 10 ** digits) : '?');
/** A speed without its direction (the status gives down as negative). */
const abs = (v: unknown): unknown => (typeof v === 'number' ? Math.abs(v) : v);
/** A number with exactly `digits` decimals, '?' when it is not one. */
const fixed = (v: unknown, digits: number): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '?');
const has = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const floorZh = (p: P) => (has(p['floor']) ? `，${p['floor']} 层` : '');
const floorEn = (p: P) => (has(p['floor']) ? ` at floor ${p['floor']}` : '');
const placeZh = (p: P) => `${p['floor']} 层${p['doorZone'] === true ? '门区内' : p['doorZone'] === false ? '门区外' : ''}`;
const placeEn = (p: P) => `at floor ${p['floor']}${p['doorZone'] === true ? ' in the door zone' : p['doorZone'] === false ? ' outside the door zone' : ''}`;
const pick = (words: Readonly<Record<string, readonly [string, string]>>, v: unknown, i: 0 | 1) => words[String(v)]?.[i] ?? String(v);
const DOORS: Readonly<Record<string, readonly [string, string]>> = { open: ['开启', 'open'], opening: ['正在开启', 'opening'], closing: ['正在关闭', 'closing'], closed: ['关闭', 'closed'], locked: ['锁闭', 'locked'] };
const DETECTORS: Readonly<Record<string, readonly [string, string]>> = { controller: ['控制柜', 'controller'], terminalRule: ['终端规则', 'terminal rule'], terminal: ['终端', 'terminal'], model: ['模型', 'model'], manual: ['人工', 'a person'] };
const ALARMS: Readonly<Record<string, readonly [string, string]>> = {
  button: ['轿厢内按下报警按钮', 'Alarm button pressed in the car'], intercom: ['轿厢紧急对讲呼叫', 'Emergency intercom call from the car'],
  autoEntrapment: ['终端检测到困人', 'Terminal detected an entrapment'], pit: ['底坑报警', 'Alarm from the pit'], carRoof: ['轿顶报警', 'Alarm from the car roof'],
};
const FAMILIES: Readonly<Record<string, readonly [string, string]>> = {
  doorSystem: ['门系统', 'door system'], guidesRide: ['导向与乘运质量', 'guides and ride'], brake: ['制动器', 'brake'], tractionRopes: ['曳引与钢丝绳', 'traction and ropes'], driveThermal: ['驱动与温升', 'drive and heat'],
};
const signed = (v: unknown) => (typeof v === 'number' && v >= 0 ? `+${n(v, 0)}` : n(v, 0));

/** Why an alert opened: the rules of ingest and the predicted alerts of the models. */
const ALERT_REASONS: Readonly<Record<string, ReasonWords>> = {
  'fault.reported': {
    'zh-CN': (p) => `${p['nameZh'] ?? p['code']}（${p['code']}），由${pick(DETECTORS, p['detector'], 0)}上报${floorZh(p)}${has(p['detail']) ? `：${p['detail']}` : ''}`,
    en: (p) => `${p['nameEn'] ?? p['code']} (${p['code']}) reported by the ${pick(DETECTORS, p['detector'], 1)}${floorEn(p)}${has(p['detail']) ? `: ${p['detail']}` : ''}`,
  },
  'alarm.raised': { 'zh-CN': (p) => `${pick(ALARMS, p['kind'], 0)}${floorZh(p)}`, en: (p) => `${pick(ALARMS, p['kind'], 1)}${floorEn(p)}` },
  'trip.creep': {
    'zh-CN': (p) => `轿厢意外移动：停靠 ${p['floor']} 层后溜车 ${n(p['creepMm'], 0)} mm（规则：超过 ${p['limitMm']} mm），制动器闭合 ${p['brakeDropMs'] ?? '?'} ms`,
    en: (p) => `Unintended car movement: the car crept ${n(p['creepMm'], 0)} mm after stopping at floor ${p['floor']} (rule: more than ${p['limitMm']} mm); brake drop ${p['brakeDropMs'] ?? '?'} ms`,
  },
  'status.doorMoving': {
    'zh-CN': (p) => `轿厢以 ${n(abs(p['speedMps']))} m/s 运行时轿门${pick(DOORS, p['carDoor'], 0)}，位于 ${placeZh(p)}`,
    en: (p) => `Car moving at ${n(abs(p['speedMps']))} m/s with the car door ${pick(DOORS, p['carDoor'], 1)} ${placeEn(p)}`,
  },
  'status.doorOpenedRunning': {
    'zh-CN': (p) => `运行中开门：轿门${pick(DOORS, p['carDoor'], 0)}，速度 ${n(abs(p['speedMps']))} m/s，位于 ${placeZh(p)}；前一状态门已关闭，速度 ${n(abs(p['previousSpeedMps']))} m/s`,
    en: (p) => `Door opened while running: car door ${pick(DOORS, p['carDoor'], 1)} at ${n(abs(p['speedMps']))} m/s ${placeEn(p)}; the status before had the doors shut at ${n(abs(p['previousSpeedMps']))} m/s`,
  },
  'status.overspeed': {
    'zh-CN': (p) => `超速：${n(p['speedMps'])} m/s，位于 ${placeZh(p)}，超过额定速度 ${p['ratedSpeedMps']} m/s × ${p['factor']} = ${n(p['limitMps'])} m/s`,
    en: (p) => `Overspeed: ${n(p['speedMps'])} m/s ${placeEn(p)}, above ${p['factor']} × rated ${p['ratedSpeedMps']} m/s = ${n(p['limitMps'])} m/s`,
  },
  'status.overtravelTop': {
    'zh-CN': (p) => `冲顶：上极限开关动作，${p['floor']} 层，速度 ${n(p['speedMps'])} m/s`,
    en: (p) => `Overtravel at the top: upper final limit switch operated at floor ${p['floor']}, speed ${n(p['speedMps'])} m/s`,
  },
  'status.overtravelBottom': {
    'zh-CN': (p) => `蹲底：下极限开关动作，${p['floor']} 层，速度 ${n(p['speedMps'])} m/s`,
    en: (p) => `Overtravel at the bottom: lower final limit switch operated at floor ${p['floor']}, speed ${n(p['speedMps'])} m/s`,
  },
  'status.entrapment': {
    'zh-CN': (p) => `困人：轿门${pick(DOORS, p['carDoor'], 0)}、轿内有人，轿厢停在 ${placeZh(p)}，已 ${p['stillForS']} 秒（规则：${p['ruleS']} 秒）${Number(p['silentS']) >= 5 ? `；终端已 ${p['silentS']} 秒无状态上报` : ''}`,
    en: (p) => `Passengers trapped: car door ${pick(DOORS, p['carDoor'], 1)}, passengers present and the car still ${placeEn(p)} for ${p['stillForS']} s (rule: ${p['ruleS']} s)${Number(p['silentS']) >= 5 ? `; no status from the terminal for the last ${p['silentS']} s` : ''}`,
  },
  'clock.ahead': {
    'zh-CN': (p) => `终端时钟比服务器快 ${p['offsetS']} 秒（规则：超过 ${p['ruleS']} 秒）：请设置终端的时间源（NTP）；${p['refused'] ? `超前 ${p['maxAheadS']} 秒以上的记录将被拒收` : '在此之前其记录的时间有误'}。安全规则按服务器时钟计时，不受影响。`,
    en: (p) => `Terminal clock ahead of the server's by ${p['offsetS']} s (rule: more than ${p['ruleS']} s): set the terminal's time source (NTP); ${p['refused'] ? `its records more than ${p['maxAheadS']} s ahead are refused until then` : 'its records are stored with the wrong time until then'}. Safety rules time on the server's clock and are not affected.`,
  },
  'clock.behind': {
    'zh-CN': (p) => `终端时钟比服务器慢 ${p['offsetS']} 秒（规则：超过 ${p['ruleS']} 秒）：请设置终端的时间源（NTP）；在此之前其记录的时间有误。安全规则按服务器时钟计时，不受影响。`,
    en: (p) => `Terminal clock behind the server's by ${p['offsetS']} s (rule: more than ${p['ruleS']} s): set the terminal's time source (NTP); its records are stored with the wrong time until then. Safety rules time on the server's clock and are not affected.`,
  },
  predicted: {
    'zh-CN': (p) => `模型 ${p['modelId']} v${p['version']} 预测${pick(FAMILIES, p['family'], 0)}故障：评分 ${n(p['score'], 3)}；${Number(p['outside']) > 0 ? `${p['outside']} 项前兆超出本梯正常范围` : '前兆均在本梯正常范围内'}`,
    en: (p) => `model ${p['modelId']} v${p['version']} predicts a ${pick(FAMILIES, p['family'], 1)} failure: score ${n(p['score'], 3)}; ${Number(p['outside']) > 0 ? `${p['outside']} ${Number(p['outside']) === 1 ? 'precursor' : 'precursors'} outside the lift's normal band` : 'precursors within the lift\'s normal band'}`,
  },
  'predicted.rule': {
    'zh-CN': (p) => `规则预测${pick(FAMILIES, p['family'], 0)}故障（由 ${p['modelId']} v${p['version']} 提供）：${p['over']} 项读数超过限值（规则评分 ${n(p['ruleScore'], 3)}；模型评分 ${n(p['score'], 3)}）`,
    en: (p) => `rule (served by ${p['modelId']} v${p['version']}) predicts a ${pick(FAMILIES, p['family'], 1)} failure: ${Number(p['over']) === 1 ? '1 reading over its limit' : `${p['over']} readings over their limits`} (rule score ${n(p['ruleScore'], 3)}; model score ${n(p['score'], 3)})`,
  },
};

/** Why a health score lost points (components S1–S6) or is capped. */
const HEALTH_REASONS: Readonly<Record<string, ReasonWords>> = {
  S1: { 'zh-CN': (p) => `${p['days']} 天内 ${p['events']} 起安全事件（衰减权重 ${n(p['weight'])}）`, en: (p) => `${p['events']} safety events in ${p['days']} d (decayed weight ${n(p['weight'])})` },
  S2: { 'zh-CN': (p) => `${p['days']} 天内困人 ${p['entrapments']} 次；每月非计划停梯 ${n(p['downtimeH'], 1)} 小时`, en: (p) => `${p['entrapments']} entrapments in ${p['days']} d; ${n(p['downtimeH'], 1)} h unplanned downtime per month` },
  S3: {
    'zh-CN': (p) => `关门时间 P95 ${fixed(p['closeP95S'], 2)} 秒（GB/T 10058：${p['closeLimitS']} 秒），较基线 ${signed(p['closeDriftPct'])} %；重开门占 ${n(p['reopenPct'], 1)} %；门锁闭合 P95 较基线 ${signed(p['lockDriftPct'])} %；${p['days']} 天内 E09 ${p['e09']} 次`,
    en: (p) => `door closing p95 ${fixed(p['closeP95S'], 2)} s (GB/T 10058: ${p['closeLimitS']} s), ${signed(p['closeDriftPct'])} % vs baseline; re-opens ${n(p['reopenPct'], 1)} % of cycles; lock-made p95 ${signed(p['lockDriftPct'])} %; ${p['e09']} E09 in ${p['days']} d`,
  },
  S4: { 'zh-CN': (p) => `水平振动 A95 为 GB/T 10058 限值的 ${p['a95Pct']} %，平均平层误差 ${n(p['stopErrMm'], 1)} mm`, en: (p) => `A95 at ${p['a95Pct']} % of the GB/T 10058 limit, mean |stopping error| ${n(p['stopErrMm'], 1)} mm` },
  S5: {
    'zh-CN': (p) => `制动器时间较基线 ${signed(p['brakeDriftPct'])} %，每百次停靠再平层 ${n(p['relevelsPer100'], 1)} 次，曳引打滑 ${n(p['slipMm'], 1)} mm，绕组温度高于基线 ${n(p['tempExcessC'], 1)} °C（12 小时最高 ${n(p['windingMaxC'], 0)} °C）`,
    en: (p) => `brake timing ${signed(p['brakeDriftPct'])} % vs baseline, ${n(p['relevelsPer100'], 1)} re-levels per 100 stops, |slip| ${n(p['slipMm'], 1)} mm, winding ${n(p['tempExcessC'], 1)} °C above its baseline (12-h max ${n(p['windingMaxC'], 0)} °C)`,
  },
  S6: {
    'zh-CN': (p) => `上次维保 ${n(p['daysSinceVisit'], 1)} 天前（周期 ${p['cycleDays']} 天），最多逾期 ${n(p['lateDays'], 1)} 天；报警装置故障 E18 ${p['e18']} 次`,
    en: (p) => `last visit ${n(p['daysSinceVisit'], 1)} d ago (cycle ${p['cycleDays']} d), at most ${n(p['lateDays'], 1)} d late; ${p['e18']} alarm-system faults (E18)`,
  },
  'S6.noVisits': { 'zh-CN': (p) => `尚无维保记录，未计维保分；报警装置故障 E18 ${p['e18']} 次`, en: (p) => `no maintenance visit recorded: visits not scored; ${p['e18']} alarm-system faults (E18)` },
  'cap.activeP1': { 'zh-CN': (p) => `存在未关闭的 P1 告警：${p['codes']}`, en: (p) => `active P1: ${p['codes']}` },
  'cap.severe7d': { 'zh-CN': (p) => `近 7 天发生 ${p['codes']}`, en: (p) => `${p['codes']} in the last 7 days` },
  'cap.severe30d': { 'zh-CN': (p) => `近 30 天发生 ${p['codes']}`, en: (p) => `${p['codes']} in the last 30 days` },
  'cap.chainOpens': { 'zh-CN': (p) => `7 天内运行中安全回路或门锁回路断开 ${p['count']} 次`, en: (p) => `${p['count']} safety-chain or lock-chain opens while running in 7 days` },
  'cap.maintenanceOverdue': { 'zh-CN': (p) => `维保逾期 ${p['lateDays']} 天`, en: (p) => `maintenance ${p['lateDays']} days past its cycle` },
  'cap.alarmSystem': { 'zh-CN': () => '紧急报警装置失效（EN 81-28 自检或电池）', en: () => 'alarm system failed (EN 81-28 self-test or battery)' },
  'cap.doorLimit': { 'zh-CN': (p) => `关门时间 P95 ${n(p['closeP95S'])} 秒，超过 GB/T 10058 关门时间 ${p['limitS']} 秒`, en: (p) => `door closing p95 ${n(p['closeP95S'])} s, past the GB/T 10058 door time ${p['limitS']} s` },
  'cap.rideLimit': { 'zh-CN': (p) => `水平振动 A95 为 GB/T 10058 限值的 ${p['a95Pct']} %`, en: (p) => `ride vibration A95 at ${p['a95Pct']} % of the GB/T 10058 limit` },
};

export const REASON_WORDS: Readonly<Record<string, ReasonWords>> = Object.freeze({ ...ALERT_REASONS, ...HEALTH_REASONS });
