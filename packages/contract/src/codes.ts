import type { Severity } from './streams/fault.js';

/**
 * The fault and event code table (docs/fault-codes.md, where each column's sources are given). It
 * maps each liftwatch code to
 * - `gbCodes2017`: GB/T 24476-2017 codes as implemented in the field [I],
 * - `govCodes15`: the regulators' "15-fault" numbers, with vendor extensions 16–42 [I],
 * - `en627Items`: EN 627 (= GB/T 24476-2009) minimum-list items [S],
 * - `vendorCodes`: other vendor numbering seen in the field [I],
 * - `bacnet`: the BACnet lift-fault name where one fits,
 * - `severity` P1–P4 (`severityWithPassengers` where passengers raise it).
 * Codes E, D, U and Q are for lifts; S codes are for escalators and moving walks.
 * Empty arrays mean "no code in that family". The table is data; [I]/[M] rows may change with
 * better sources, so nothing else hard-codes these numbers: the decoders of code-schemes.ts
 * are built from it.
 */
export interface FaultCode {
  readonly code: string;
  readonly kind: 'event' | 'degradation' | 'usage' | 'info' | 'data';
  readonly severity: Severity;
  readonly severityWithPassengers?: Severity;
  readonly gbCodes2017: readonly string[];
  readonly govCodes15: readonly number[];
  readonly en627Items: readonly number[];
  readonly bacnet?: string;
  /** Other vendor schemes (entrapment variants 101–109, 209/210 brake-force, 211/212 levelling) [I]. */
  readonly vendorCodes?: readonly number[];
  readonly nameZh: string;
  readonly nameEn: string;
  readonly detection: string;
}

const row = (r: FaultCode): FaultCode => Object.freeze(r);

export const FAULT_CODES: readonly FaultCode[] = Object.freeze([
  row({ code: 'E01', kind: 'event', severity: 'P1', gbCodes2017: ['11', '90'], govCodes15: [7, 8, 21], en627Items: [11], vendorCodes: [101, 102, 103, 104, 105, 106, 107, 108, 109], nameZh: '困人（平层关人 / 非平层关人）', nameEn: 'Entrapment (trapped at a landing or between floors)', detection: 'Doors closed + passengers present + no movement for T (field: 45 s – 3 min), or the alarm button' }),
  row({ code: 'E02', kind: 'event', severity: 'P1', gbCodes2017: ['05'], govCodes15: [5], en627Items: [], bacnet: 'safety interlock', nameZh: '开门走车 / 轿厢意外移动', nameEn: 'Car moves with door open / unintended car movement (UCM)', detection: 'Movement outside the door zone with a door open; creep after stop above a threshold' }),
  row({ code: 'E03', kind: 'event', severity: 'P1', gbCodes2017: [], govCodes15: [4], en627Items: [2], bacnet: 'safety interlock', nameZh: '运行中开门', nameEn: 'Door opens while running', detection: 'Door closed → open while moving outside the door zone' }),
  row({ code: 'E04', kind: 'event', severity: 'P1', gbCodes2017: [], govCodes15: [3], en627Items: [], bacnet: 'governor & safety gear', nameZh: '超速', nameEn: 'Overspeed', detection: 'Speed above 1.15 × rated; governor trip' }),
  row({ code: 'E05', kind: 'event', severity: 'P1', gbCodes2017: ['09', '10'], govCodes15: [1, 2], en627Items: [], bacnet: 'shaft device', nameZh: '冲顶 / 蹲底', nameEn: 'Overtravel at top / bottom', detection: 'Final limit switch or buffer; motion beyond the terminal floor' }),
  row({ code: 'E06', kind: 'event', severity: 'P2', severityWithPassengers: 'P1', gbCodes2017: ['04'], govCodes15: [6], en627Items: [4], bacnet: 'stopped outside landing zone', nameZh: '门区外停梯 / 非平层停梯', nameEn: 'Stopped outside the door zone', detection: 'Stopped outside the zone for 60 s – 3 min; becomes E01 with passengers' }),
  row({ code: 'E07', kind: 'event', severity: 'P2', gbCodes2017: ['01'], govCodes15: [10], en627Items: [1], bacnet: 'safety interlock', nameZh: '安全回路断路', nameEn: 'Safety circuit open', detection: 'Safety chain open while running' }),
  row({ code: 'E08', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [13], en627Items: [2], bacnet: 'safety interlock', nameZh: '门锁回路断路', nameEn: 'Door-lock circuit open', detection: 'Lock chain open while running; floor-specific' }),
  row({ code: 'E09', kind: 'event', severity: 'P2', gbCodes2017: ['03', '02'], govCodes15: [11, 12, 40], en627Items: [3, 8], bacnet: 'door opening/closing fault', nameZh: '开门故障 / 关门故障', nameEn: 'Door open / close fault', detection: 'More than 6 cycles in 2 min; door held open ≥ 3 min; door-time protection' }),
  row({ code: 'E10', kind: 'event', severity: 'P2', gbCodes2017: ['07'], govCodes15: [19], en627Items: [], bacnet: 'position lost', nameZh: '楼层位置丢失', nameEn: 'Floor position lost', detection: 'Correction run; encoder vs door-zone mismatch' }),
  row({ code: 'E11', kind: 'event', severity: 'P2', gbCodes2017: ['06'], govCodes15: [17], en627Items: [], bacnet: 'runtime limit exceeded', nameZh: '电动机运转时间限制器动作', nameEn: 'Motor run-time limiter tripped', detection: 'Motor runs without a floor change for longer than the limit' }),
  row({ code: 'E12', kind: 'event', severity: 'P2', gbCodes2017: ['08'], govCodes15: [], en627Items: [5, 7], bacnet: 'start failure', nameZh: '防止电梯再运行故障', nameEn: 'Prevent-restart lockout', detection: 'Controller lockout' }),
  row({ code: 'E13', kind: 'event', severity: 'P2', severityWithPassengers: 'P1', gbCodes2017: ['41'], govCodes15: [9, 41], en627Items: [9], bacnet: 'power supply', nameZh: '停电', nameEn: 'Power outage', detection: 'Mains lost; checks automatic rescue and the alarm battery' }),
  row({ code: 'E14', kind: 'event', severity: 'P3', gbCodes2017: [], govCodes15: [14], en627Items: [], bacnet: 'call button stuck', nameZh: '层站按钮粘连', nameEn: 'Landing button stuck', detection: 'Input held; calls without boarding' }),
  row({ code: 'E15', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [15], en627Items: [], bacnet: 'drive & motor', nameZh: '电梯速度异常', nameEn: 'Speed abnormal', detection: 'Speed outside 92–105 % of rated, or a profile anomaly' }),
  row({ code: 'E16', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [16], vendorCodes: [209, 210], en627Items: [], bacnet: 'drive & motor', nameZh: '制动系统故障 / 制动力检测', nameEn: 'Brake-system fault or brake-force test failed (P1 when holding is compromised)', detection: 'Self-test result; brake switch mismatch' }),
  row({ code: 'E17', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [18], en627Items: [], bacnet: 'drive temperature exceeded', nameZh: '驱动 / 电机过热', nameEn: 'Drive or motor over-temperature', detection: 'Trip or warning' }),
  row({ code: 'E18', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [22], en627Items: [], nameZh: '报警系统故障', nameEn: 'Alarm system failure', detection: 'No EN 81-28 self-test for 72 h; battery below 1 h of autonomy' }),
  row({ code: 'D01', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '门机磨损', nameEn: 'Door operator wear', detection: 'closeS/openS p95 +10–30 % vs baseline; door-motor current up; re-open and curtain rates up' }),
  row({ code: 'D02', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '门锁触点劣化', nameEn: 'Door lock / contact degradation', detection: 'lockMadeMs drift; intermittent E08; floor localisation' }),
  row({ code: 'D03', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [38], en627Items: [], nameZh: '导靴 / 滚轮磨损，导轨不正', nameEn: 'Guide roller / shoe wear, rail misalignment', detection: 'x, y A95 and peak-to-peak up; kurtosis; roller-frequency peak; position-locked transients' }),
  row({ code: 'D04', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '曳引机轴承 / 齿轮磨损', nameEn: 'Traction machine bearing / gear wear', detection: 'Envelope peaks at BPFO/BPFI; machine vibration RMS and kurtosis; temperature residual' }),
  row({ code: 'D05', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '制动器磨损 / 弹簧疲劳', nameEn: 'Brake wear / air gap / spring fatigue', detection: 'brakeLift/DropMs drift; creepAfterStopMm > 0; stopping-distance trend (P1 on creep)' }),
  row({ code: 'D06', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '曳引力下降 / 绳槽磨损', nameEn: 'Traction loss / sheave groove wear', detection: 'slipMm accumulation; E10 frequency; relevels' }),
  row({ code: 'D07', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '钢丝绳伸长 / 寿命', nameEn: 'Rope elongation / rope end-of-life', detection: 'Load-dependent stopErr bias; relevels; rope bends vs design life' }),
  row({ code: 'D08', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], vendorCodes: [211, 212], en627Items: [], nameZh: '平层系统劣化', nameEn: 'Levelling system degradation', detection: 'stopErr σ and p95 up; E06 precursors' }),
  row({ code: 'D09', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '电机热劣化', nameEn: 'Motor thermal degradation', detection: 'Winding temperature residual vs RC model; rising duty' }),
  row({ code: 'D10', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '控制器 / 变频器老化', nameEn: 'Controller / drive electronics ageing', detection: 'Watchdog or reboot rate; contactor errors; DC-bus ripple; low control voltage' }),
  row({ code: 'D11', kind: 'degradation', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '安全回路间歇断开趋势', nameEn: 'Safety-chain intermittency trend', detection: 'Brief-open count trend; position or floor clustering' }),
  row({ code: 'U01', kind: 'usage', severity: 'P4', gbCodes2017: [], govCodes15: [37], en627Items: [], nameZh: '电动车乘梯', nameEn: 'E-bike in the car', detection: 'Camera AI' }),
  row({ code: 'U02', kind: 'usage', severity: 'P4', gbCodes2017: [], govCodes15: [20], en627Items: [], nameZh: '扒门 / 破坏 / 挡门', nameEn: 'Door abuse / vandalism / holding', detection: 'Door impact g; long dwell; curtain storms' }),
  row({ code: 'U03', kind: 'usage', severity: 'P4', gbCodes2017: [], govCodes15: [], en627Items: [], bacnet: 'car load measurement fault', nameZh: '超载', nameEn: 'Overload', detection: 'loadPct > 100 at start' }),
  row({ code: 'U04', kind: 'info', severity: 'P4', gbCodes2017: ['40', '42', '43', '44', '45', '46', '47'], govCodes15: [], en627Items: [10], nameZh: '模式事件（检修 / 消防 / 应急电源 / 地震）', nameEn: 'Mode events (inspection, fire, emergency power, earthquake)', detection: 'Mode change; maintenance presence' }),
  row({ code: 'Q01', kind: 'data', severity: 'P3', gbCodes2017: [], govCodes15: [42], en627Items: [], nameZh: '终端 / 数据异常', nameEn: 'Terminal or data health', detection: 'Offline > 2 × heartbeat; stuck sensor; locale or unit errors' }),
  row({ code: 'Q02', kind: 'data', severity: 'P3', gbCodes2017: [], govCodes15: [], en627Items: [], nameZh: '终端时钟偏差', nameEn: 'Terminal clock wrong', detection: 'Device time ahead of the server clock by more than a bound (setting, 120 s), or behind it for 10 min while the device time keeps pace' }),
  // Escalators and moving walks: GB/T 24476-2017 codes 61–65 and the regulators' extensions 23–36 [I].
  row({ code: 'S01', kind: 'event', severity: 'P2', gbCodes2017: ['61'], govCodes15: [23], en627Items: [], nameZh: '扶梯安全回路断路', nameEn: 'Escalator: safety circuit open', detection: 'Safety chain of the escalator or moving walk open' }),
  row({ code: 'S02', kind: 'event', severity: 'P1', gbCodes2017: ['62'], govCodes15: [24], en627Items: [], nameZh: '扶梯超速保护', nameEn: 'Escalator: overspeed protection tripped', detection: 'Step band above 1.2 × nominal speed (terminals also report 1.4 ×)' }),
  row({ code: 'S03', kind: 'event', severity: 'P1', gbCodes2017: ['63'], govCodes15: [25], en627Items: [], nameZh: '非操纵逆转保护', nameEn: 'Escalator: unintended reversal', detection: 'Direction of travel reversed without a command' }),
  row({ code: 'S04', kind: 'event', severity: 'P1', gbCodes2017: ['64'], govCodes15: [26, 33], en627Items: [], nameZh: '梯级或踏板缺失保护', nameEn: 'Escalator: missing step or pallet', detection: 'Missing-step detector at the upper or lower landing' }),
  row({ code: 'S05', kind: 'event', severity: 'P2', gbCodes2017: ['65'], govCodes15: [], en627Items: [], nameZh: '扶梯防止重新启动故障', nameEn: 'Escalator: prevent-restart fault', detection: 'Controller lockout after a safety trip' }),
  row({ code: 'S06', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [27], en627Items: [], nameZh: '扶梯未分类故障', nameEn: 'Escalator: unclassified fault', detection: 'A fault the controller does not classify' }),
  row({ code: 'S07', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [31], en627Items: [], nameZh: '扶梯急停开关动作', nameEn: 'Escalator: emergency stop switch operated', detection: 'Stop switch at a landing pressed (someone may have fallen)' }),
  row({ code: 'S08', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [32], en627Items: [], nameZh: '检修盖板或楼层板打开', nameEn: 'Escalator: inspection cover or floor plate open', detection: 'Cover or floor-plate switch open' }),
  row({ code: 'S09', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [34], en627Items: [], nameZh: '扶梯制动系统未释放', nameEn: 'Escalator: service brake not released', detection: 'Brake release monitoring' }),
  row({ code: 'S10', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [35], en627Items: [], nameZh: '梳齿板卡阻', nameEn: 'Escalator: comb plate jammed', detection: 'Comb-plate switch operated' }),
  row({ code: 'S11', kind: 'event', severity: 'P2', gbCodes2017: [], govCodes15: [30], en627Items: [], nameZh: '扶梯主电源断开', nameEn: 'Escalator: mains supply off', detection: 'Main supply lost or switched off' }),
  row({ code: 'S12', kind: 'info', severity: 'P4', gbCodes2017: [], govCodes15: [28, 29, 36], en627Items: [], nameZh: '扶梯模式事件（恢复自动运行 / 检修）', nameEn: 'Escalator: mode events (back to automatic, inspection)', detection: 'Mode change' }),
]);

const byCode = new Map(FAULT_CODES.map((c) => [c.code, c]));

export function faultCode(code: string): FaultCode | undefined {
  return byCode.get(code);
}

/** The P1 codes: life safety or entrapment. */
export const P1_CODES = Object.freeze(FAULT_CODES.filter((c) => c.severity === 'P1').map((c) => c.code));

/** Severity of a code for a situation: passengers on board raise E06 and E13 to P1. */
export function severityOf(code: FaultCode, passengersPresent: boolean | undefined): Severity {
  return passengersPresent === true && code.severityWithPassengers ? code.severityWithPassengers : code.severity;
}
