import type { ChecklistItem, ItemSetId, MaintenanceClass } from './maintenance.js';

/**
 * The maintenance items per class, after the structure of TSG T5002-2017's annexes (A: traction and
 * positive-drive lifts, B: hydraulic lifts, D: escalators and moving walks). The item texts are
 * liftwatch's summaries, not the standard's wording, and the lists are shorter than its tables:
 * unverified against the text (docs/maintenance.md#item-sets). A maintenance unit's own checklist
 * replaces them without a code change through setting maintenanceItemsFile.
 */
type Row = readonly [id: string, zh: string, en: string];
const rows = (cls: MaintenanceClass, list: readonly Row[]): ChecklistItem[] => list.map(([id, zh, en]) => ({ id, class: cls, zh, en }));

const TRACTION: ChecklistItem[] = [
  ...rows('halfMonthly', [
    ['T-H01', '机房、滑轮间环境', 'Machine room and pulley room: clean, door locked, lighting works'],
    ['T-H02', '手动紧急操作装置', 'Manual emergency operation: tools in place, instructions posted'],
    ['T-H03', '驱动主机运行', 'Machine runs without unusual noise or vibration'],
    ['T-H04', '制动器各销轴部位', 'Brake pivots move freely, lubricated'],
    ['T-H05', '制动器间隙', 'Brake shoes clear the drum or disc when lifted'],
    ['T-H06', '编码器', 'Encoder clean and firmly fixed'],
    ['T-H07', '限速器各销轴部位', 'Overspeed governor pivots move freely, lubricated'],
    ['T-H08', '层站召唤、层楼显示', 'Landing call buttons and position indicators work'],
    ['T-H09', '轿厢照明、风扇、应急照明', 'Car lighting, fan and emergency lighting work'],
    ['T-H10', '轿内报警装置、对讲系统', 'Alarm button and intercom in the car work'],
    ['T-H11', '轿门防撞击保护装置', 'Car door safety edge or light curtain works'],
    ['T-H12', '轿门门锁电气触点', 'Car door lock contacts clean and working'],
    ['T-H13', '轿厢平层准确度', 'Car stops level with the landings'],
    ['T-H14', '层门自动关门装置', 'Landing doors close by themselves'],
    ['T-H15', '层门门锁电气触点', 'Landing door lock contacts clean and working'],
    ['T-H16', '层门锁紧元件啮合长度', 'Landing door locks engage at least 7 mm'],
    ['T-H17', '底坑环境、底坑急停开关', 'Pit clean and dry; pit stop switch works'],
    ['T-H18', '轿顶检修开关、停止装置', 'Car-top inspection control and stop switch work'],
    ['T-H19', '对重块及其压板', 'Counterweight filler weights and their clamp secure'],
    ['T-H20', '井道照明', 'Hoistway lighting works'],
  ]),
  ...rows('quarterly', [
    ['T-Q01', '减速机润滑油', 'Gearbox oil level and no leaks'],
    ['T-Q02', '制动衬', 'Brake linings clean, wear within limits'],
    ['T-Q03', '曳引轮槽、悬挂装置', 'Traction sheave grooves and suspension ropes or belts: wear, tension even'],
    ['T-Q04', '限速器轮槽、限速器钢丝绳', 'Governor sheave groove and governor rope clean and undamaged'],
    ['T-Q05', '靴衬、滚轮', 'Guide shoe linings and rollers: wear within limits'],
    ['T-Q06', '层门、轿门传动钢丝绳、链条、传动带', 'Door drive ropes, chains and belts: tension and wear'],
    ['T-Q07', '层门门导靴', 'Landing door guide shoes in place'],
    ['T-Q08', '消防开关', 'Firefighters\' switch works'],
    ['T-Q09', '耗能缓冲器', 'Energy-dissipating buffers: oil level, switch works'],
  ]),
  ...rows('halfYearly', [
    ['T-Y01', '电动机与减速机联轴器', 'Motor-to-gearbox coupling: bolts tight'],
    ['T-Y02', '驱动轮、导向轮轴承部', 'Drive and deflector sheave bearings: no noise, lubricated'],
    ['T-Y03', '制动器上检测开关', 'Brake monitoring switches work'],
    ['T-Y04', '控制柜内各接线端子', 'Controller terminals tight'],
    ['T-Y05', '反绳轮轴承部', 'Diverter pulley bearings on car, counterweight and hoistway'],
    ['T-Y06', '悬挂装置、补偿绳', 'Suspension and compensation ropes: wear, broken wires, tension'],
    ['T-Y07', '随行电缆', 'Travelling cable undamaged'],
    ['T-Y08', '上、下极限开关', 'Upper and lower final limit switches work'],
  ]),
  ...rows('yearly', [
    ['T-A01', '控制柜接触器、继电器触点', 'Controller contactor and relay contacts: wear'],
    ['T-A02', '制动器铁芯（柱塞）', 'Brake plunger cleaned and lubricated'],
    ['T-A03', '制动弹簧压缩量', 'Brake spring compression as set'],
    ['T-A04', '导电回路绝缘性能测试', 'Insulation of power and safety circuits tested'],
    ['T-A05', '限速器安全钳联动试验', 'Governor and safety gear tripped together (with the periodic test of the governor\'s speed)'],
    ['T-A06', '上行超速保护装置动作试验', 'Ascending car overspeed protection tested'],
    ['T-A07', '轿厢意外移动保护装置动作试验', 'Unintended car movement protection tested'],
    ['T-A08', '轿厢和对重的导轨及支架', 'Car and counterweight guide rails and brackets secure'],
    ['T-A09', '层门装置和地坎', 'Landing door assemblies and sills secure'],
    ['T-A10', '轿厢称重装置', 'Car load weighing device accurate'],
    ['T-A11', '缓冲器', 'Buffers secure and undamaged'],
  ]),
];

const HYDRAULIC: ChecklistItem[] = [
  ...rows('halfMonthly', [
    ['Y-H01', '机房环境', 'Machine room clean, door locked, lighting works'],
    ['Y-H02', '应急照明', 'Emergency lighting works'],
    ['Y-H03', '油箱油位、油温', 'Tank oil level and temperature normal'],
    ['Y-H04', '液压管路及接头', 'Pipes and fittings without leaks'],
    ['Y-H05', '层门、轿门门锁电气触点', 'Landing and car door lock contacts clean and working'],
    ['Y-H06', '轿门防撞击保护装置', 'Car door safety edge or light curtain works'],
    ['Y-H07', '轿厢平层准确度及再平层', 'Car stops level; re-levelling works'],
    ['Y-H08', '轿内报警装置、对讲系统', 'Alarm button and intercom in the car work'],
    ['Y-H09', '底坑环境、底坑急停开关', 'Pit clean and dry; pit stop switch works'],
    ['Y-H10', '轿顶检修开关、停止装置', 'Car-top inspection control and stop switch work'],
  ]),
  ...rows('quarterly', [
    ['Y-Q01', '液压油清洁度', 'Hydraulic oil clean'],
    ['Y-Q02', '柱塞、导向装置', 'Ram and its guides clean, no scoring'],
    ['Y-Q03', '靴衬、滚轮', 'Guide shoe linings and rollers: wear within limits'],
  ]),
  ...rows('halfYearly', [
    ['Y-Y01', '溢流阀', 'Pressure relief valve set and sealed'],
    ['Y-Y02', '悬挂钢丝绳（间接式）', 'Suspension ropes of an indirect-acting lift: wear and tension'],
    ['Y-Y03', '控制柜内各接线端子', 'Controller terminals tight'],
  ]),
  ...rows('yearly', [
    ['Y-A01', '破裂阀（限速切断阀）动作试验', 'Rupture valve tested'],
    ['Y-A02', '沉降试验', 'Creep (settling) of the loaded car measured'],
    ['Y-A03', '导电回路绝缘性能测试', 'Insulation of power and safety circuits tested'],
    ['Y-A04', '油缸及其固定', 'Cylinder and its fixing secure, no leaks'],
  ]),
];

const ESCALATOR: ChecklistItem[] = [
  ...rows('halfMonthly', [
    ['E-H01', '设备运行状况', 'Runs without unusual noise or vibration'],
    ['E-H02', '主驱动链', 'Main drive chain: running, lubricated'],
    ['E-H03', '制动器机械装置及状态监测开关', 'Brake moves freely; its monitoring switch works'],
    ['E-H04', '梳齿板开关、梳齿与踏面齿槽', 'Comb plate switch works; comb teeth intact and meshing'],
    ['E-H05', '梯级或踏板下陷、缺失监测装置', 'Step sag and missing-step detection work'],
    ['E-H06', '超速或非操纵逆转监测装置', 'Overspeed and unintended reversal detection work'],
    ['E-H07', '检修盖板和楼层板', 'Inspection covers and floor plates secure; their switches work'],
    ['E-H08', '梯级与围裙板间隙', 'Gap between steps and skirt within limits'],
    ['E-H09', '扶手带及入口保护开关', 'Handrails undamaged; handrail entry switches work'],
    ['E-H10', '出入口照明、警示标志、紧急停止开关', 'Landing lighting, safety signs and stop switches'],
  ]),
  ...rows('quarterly', [
    ['E-Q01', '扶手带运行速度', 'Handrail speed matches the steps'],
    ['E-Q02', '梯级链张紧装置', 'Step chain tension device works'],
    ['E-Q03', '梯级链润滑', 'Step chain lubricated'],
  ]),
  ...rows('halfYearly', [
    ['E-Y01', '制动衬厚度', 'Brake lining thickness within limits'],
    ['E-Y02', '空载向下运行制动距离', 'Stopping distance running down empty within limits'],
    ['E-Y03', '附加制动器', 'Auxiliary brake works'],
    ['E-Y04', '减速机润滑油', 'Gearbox oil'],
  ]),
  ...rows('yearly', [
    ['E-A01', '主接触器', 'Main contactors: wear'],
    ['E-A02', '围裙板安全开关', 'Skirt switches work'],
    ['E-A03', '电气安全装置', 'Electrical safety devices tested'],
    ['E-A04', '导电回路绝缘性能测试', 'Insulation of power and safety circuits tested'],
  ]),
];

/** Every item of every set, as liftwatch ships them. */
export const DEFAULT_ITEM_SETS: Readonly<Record<ItemSetId, readonly ChecklistItem[]>> = { traction: TRACTION, hydraulic: HYDRAULIC, escalator: ESCALATOR };
