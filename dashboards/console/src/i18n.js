// The console's words in Chinese (zh-CN, the default) and English; the choice is kept in localStorage.
import { ERROR_SUMMARY_ZH } from '../../../packages/contract/src/errors-zh.ts';
import { reasonIn } from '../../../packages/contract/src/reasons.ts';
import { HEALTH_WORDS } from './words-health.js';

const WORDS = {
  'zh-CN': {
    'nav.inbox': '待办告警', 'nav.district': '区域监管', logout: '退出', zone: '时间均为',
    'sum.lifts': '电梯', 'sum.online': '在线', 'sum.alerts': '未关闭告警',
    'login.title': '登录 liftwatch', 'login.user': '用户名', 'login.password': '密码', 'login.submit': '登录',
    'feed.live': '实时', 'feed.connecting': '连接中…', 'feed.reconnecting': '重新连接中…',
    'inbox.title': '待办告警', 'inbox.none': '没有未关闭的告警。', 'lifts.title': '电梯',
    'lifts.none': '还没有电梯上报数据。', 'col.sev': '级别', 'col.lift': '电梯', 'col.alert': '告警', 'col.why': '原因',
    'col.open': '已开启', 'col.next': '下次升级', 'col.state': '状态', 'col.actions': '处理', 'col.terminal': '终端', 'col.mode': '模式',
    'col.floor': '楼层', 'col.motion': '运行', 'col.doors': '门', 'col.last': '最后记录', 'col.alerts': '告警',
    'act.acknowledge': '确认', 'act.on-site': '到场', 'act.resolve': '解决', 'note': '备注',
    'state.open': '待确认', 'state.acknowledged': '已确认', 'state.onSite': '已到场', 'state.resolved': '已解决', 'state.falseAlarm': '误报',
    'stopped': '已停止', 'none': '—', 'lift.health': '健康评分', 'lift.notYet': '尚未计算（健康评分模块未启用）',
    'h.grade': '等级', 'h.insufficient': '数据不足', 'h.confidence': '数据置信度', 'h.components': '分项', 'h.reasons': '主要原因', 'h.caps': '封顶',
    'h.at': '计算时间', 'h.lost': '扣分', 'h.evidence': '证据记录',
    'S1': '安全事件', 'S2': '困人与可用性', 'S3': '门系统', 'S4': '舒适与平层', 'S5': '曳引机、制动器与驱动', 'S6': '维保与合规',
    'lift.door': '关门时间 (s)', 'lift.vib': '振动 A95 (m/s²)', 'lift.stopErr': '平层误差 (mm)', 'lift.trips': '每日运行次数',
    'lift.events': '事件时间线', 'lift.visits': '维保记录', 'lift.registry': '登记信息', 'lift.noData': '暂无数据',
    'd.title': '区域概览', 'd.area': '区划代码', 'd.lifts': '电梯数', 'd.online': '在线', 'd.silent': '静默终端',
    'd.failures': '故障 /千台/月', 'd.entrap': '困人 /千台/月', 'd.rescue': '救援超 30 分钟', 'd.overdue': '维保超期 (15 天)',
    'd.grades': '健康等级分布', 'd.riskiest': '风险最高的电梯', 'd.export': '导出 CSV', 'col.risk': '风险', 'col.name': '名称',
    'detail.evidence': '证据', 'detail.audit': '处理记录', 'detail.chart': '速度曲线（告警前后）',
    'nav.garbage': '异常数据终端', 'g.title': '发送无法存储数据的终端', 'g.hint': '被拒收的消息作为死信保存（原因和负载前段）；超过每终端配额的只计数，不保存。',
    'g.kept': '已保存死信', 'g.dropped': '超额未保存（本次启动以来）', 'g.flooding': '持续发送垃圾数据（超配额）', 'g.some': '有被拒收的消息', 'g.platform': '平台自身', 'g.none': '没有终端发送无法存储的数据。',
    'col.notified': '已通知 / 下一步', 'esc.next': '下一步', 'esc.reminder': '提醒', 'esc.none': '尚未通知任何人', 'esc.nobody': '无人',
    'esc.unknown': '次结果未知', 'esc.fallback.admins': '无人可达，转管理员', 'esc.fallback.duty': '无人可达，转值班联系人',
    'esc.notice': 'P1 告警未能通知到任何维保人员，已在控制台通知管理员：',
    'out.sent': '已送达', 'out.sending': '发送中', 'out.retrying': '重试中', 'out.failed': '失败', 'out.suppressed': '未发送（个人设置）',
    'pw.link': '修改密码', 'pw.title': '修改密码', 'pw.forced': '您使用的是一次性密码，请先设置自己的密码。', 'pw.current': '当前密码', 'pw.new': '新密码',
    'pw.repeat': '再次输入新密码', 'pw.submit': '保存新密码', 'pw.cancel': '取消', 'pw.mismatch': '两次输入的新密码不一致。',
    'pw.hint': '至少 10 个字符，不要用常见密码、连续或重复字符、用户名；几个不相关的词组成的短语最好。', 'pw.done': '密码已修改。',
    'login.closed': '会话已关闭，请重新登录。',
    'reg.area': '区划代码（平台登记，决定监管范围）', 'reg.reported': '终端上报', 'reg.none': '未登记',
    'f.title': '处理结论', 'f.outcome': '结论', 'f.confirmed': '确认故障', 'f.no-fault-found': '未发现故障', 'f.false-alarm': '误报',
    'f.component': '故障部件', 'f.part': '更换的零件（可不填）', 'f.save': '保存并关闭告警', 'f.cancel': '取消', 'f.skip': '救援已完成，先关闭，稍后补填结论',
    'f.p1hint': 'P1 告警（救援）可以先关闭，处理结论稍后补填。', 'f.needOutcome': '请选择结论。', 'f.needComponent': '确认故障时请选择故障部件。',
    'comp.doorOperator': '门机', 'comp.doorLock': '门锁与门触点', 'comp.guides': '导靴、滚轮与导轨', 'comp.machine': '曳引机（轴承、齿轮）', 'comp.brake': '制动器',
    'comp.ropes': '钢丝绳', 'comp.traction': '曳引轮与曳引力', 'comp.levelling': '平层装置', 'comp.motor': '电动机', 'comp.safetyChain': '安全回路', 'comp.power': '供电',
    'comp.controller': '控制柜与变频器', 'comp.alarmSystem': '紧急报警装置', 'comp.terminal': '监测终端（传感器）', 'comp.other': '其他',
    'p.title': '模型与规则的实测准确率（来自维保处理结论）', 'p.export': '导出训练标签 CSV', 'p.source': '模型 / 规则', 'p.version': '版本', 'p.findings': '结论数',
    'nav.registry': '电梯登记', 'nav.workOrders': '维保工单', 'nav.statistics': '监管统计',
    'p.confirmed': '确认故障', 'p.precision': '准确率', 'p.interval': '95% 置信区间', 'p.rule': '规则', 'p.none': '还没有维保处理结论。',
    'tc.title': '终端', 'nav.terminals': '终端', 'tc.all': '全部终端', 'tc.p.silent': '静默', 'tc.p.behind': '滞后', 'tc.p.misconfigured': '配置未生效', 'tc.none': '没有符合条件的终端。', 'tc.limits': '判定阈值', 'tc.fw': '固件', 'tc.rtt': '链路往返', 'tc.drops': '断线次数', 'tc.backlog': '缓存积压', 'tc.clock': '时钟偏差', 'tc.config': '配置（下发 / 已确认）', 'tc.problems': '问题', 'tc.noConfig': '未下发', 'tc.state.acknowledged': '已确认', 'tc.state.pending': '待确认', 'tc.state.rejected': '被拒绝', 'tc.unacked': '尚未确认配置的终端', 'tc.since': '下发于', 'tc.allAcked': '所有终端都已确认其配置。', 'tc.push': '下发配置', 'tc.command': '下发指令', 'tc.target': '目标', 'tc.targetHint': '电梯编号（逗号分隔）、区划代码或维保单位', 'tc.kind.liftIds': '电梯', 'tc.kind.areaCode': '区划代码', 'tc.kind.maintenanceUnit': '维保单位的全部电梯', 'tc.set.statusIdleS': '静止时状态周期 (s)', 'tc.set.statusMovingS': '运行时状态周期 (s)', 'tc.set.deviceS': '终端自检周期 (s)', 'tc.set.envS': '环境数据周期 (s)', 'tc.set.entrapmentS': '终端困人判定时间 (s)', 'tc.streams': '上报的数据流', 'tc.send': '下发', 'tc.pushed': '已下发', 'tc.sent': '已发送', 'tc.cmd.selfTest': '紧急报警装置自检', 'tc.cmd.restart': '重启终端软件', 'tc.cmd.sendStatus': '立即上报状态', 'tc.cmd.sendWave': '上报最近一次运行的原始波形', 'tc.selfTestHint': 'EN 81-28 要求至少每 3 天远程检查一次紧急报警装置。',
  },
  en: {
    'nav.inbox': 'Alert inbox', 'nav.district': 'District', logout: 'Log out', zone: 'Times in',
    'sum.lifts': 'Lifts', 'sum.online': 'Online', 'sum.alerts': 'Open alerts',
    'login.title': 'Log in to liftwatch', 'login.user': 'User name', 'login.password': 'Password', 'login.submit': 'Log in',
    'feed.live': 'live', 'feed.connecting': 'connecting…', 'feed.reconnecting': 'reconnecting…',
    'inbox.title': 'Open alerts', 'inbox.none': 'No open alerts.', 'lifts.title': 'Lifts',
    'lifts.none': 'No lift has reported yet.', 'col.sev': 'Severity', 'col.lift': 'Lift', 'col.alert': 'Alert', 'col.why': 'Why',
    'col.open': 'Open for', 'col.next': 'Next escalation', 'col.state': 'State', 'col.actions': 'Act', 'col.terminal': 'Terminal', 'col.mode': 'Mode',
    'col.floor': 'Floor', 'col.motion': 'Motion', 'col.doors': 'Doors', 'col.last': 'Last record', 'col.alerts': 'Alerts',
    'act.acknowledge': 'Acknowledge', 'act.on-site': 'On site', 'act.resolve': 'Resolve', 'note': 'Note',
    'state.open': 'open', 'state.acknowledged': 'acknowledged', 'state.onSite': 'on site', 'state.resolved': 'resolved', 'state.falseAlarm': 'false alarm',
    'stopped': 'stopped', 'none': '–', 'lift.health': 'Health score', 'lift.notYet': 'Not yet computed (the health score is not enabled)',
    'h.grade': 'Grade', 'h.insufficient': 'insufficient data', 'h.confidence': 'Data confidence', 'h.components': 'Components', 'h.reasons': 'Top reasons', 'h.caps': 'Caps',
    'h.at': 'Computed for', 'h.lost': 'points lost', 'h.evidence': 'evidence records',
    'S1': 'Safety events', 'S2': 'Entrapment and availability', 'S3': 'Door system', 'S4': 'Ride and levelling', 'S5': 'Machine, brake and drive', 'S6': 'Maintenance and compliance',
    'lift.door': 'Door close time (s)', 'lift.vib': 'Vibration A95 (m/s²)', 'lift.stopErr': 'Stop error (mm)', 'lift.trips': 'Trips per day',
    'lift.events': 'Events', 'lift.visits': 'Maintenance visits', 'lift.registry': 'Registry', 'lift.noData': 'No data yet',
    'd.title': 'District overview', 'd.area': 'Area code', 'd.lifts': 'Lifts', 'd.online': 'Online', 'd.silent': 'Silent terminals',
    'd.failures': 'Failures /1,000 lifts/month', 'd.entrap': 'Entrapments /1,000 lifts/month', 'd.rescue': 'Rescues over 30 min', 'd.overdue': 'Maintenance overdue (15 days)',
    'd.grades': 'Health grades', 'd.riskiest': 'Riskiest lifts', 'd.export': 'Export CSV', 'col.risk': 'Risk', 'col.name': 'Name',
    'detail.evidence': 'Evidence', 'detail.audit': 'Handling', 'detail.chart': 'Speed around the alert',
    'nav.garbage': 'Garbage senders', 'g.title': 'Terminals sending what cannot be stored', 'g.hint': 'Rejected messages are kept as dead letters (reason and first bytes); past a terminal\'s quota they are only counted.',
    'g.kept': 'Dead letters kept', 'g.dropped': 'Not kept, past quota (since start)', 'g.flooding': 'sends garbage (over quota)', 'g.some': 'some messages rejected', 'g.platform': 'the platform itself', 'g.none': 'No terminal sends anything that cannot be stored.',
    'col.notified': 'Notified / next', 'esc.next': 'Next', 'esc.reminder': 'Reminder', 'esc.none': 'nobody notified yet', 'esc.nobody': 'nobody',
    'esc.unknown': 'with no known outcome', 'esc.fallback.admins': 'nobody reachable: the admins', 'esc.fallback.duty': 'nobody reachable: the duty contact',
    'esc.notice': 'A P1 reached no crew; the admins were notified in the console:',
    'out.sent': 'sent', 'out.sending': 'sending', 'out.retrying': 'retrying', 'out.failed': 'failed', 'out.suppressed': 'not sent (preferences)',
    'pw.link': 'Change password', 'pw.title': 'Change your password', 'pw.forced': 'You logged in with a one-time password: choose your own first.', 'pw.current': 'Current password', 'pw.new': 'New password',
    'pw.repeat': 'New password again', 'pw.submit': 'Save the new password', 'pw.cancel': 'Cancel', 'pw.mismatch': 'The two new passwords differ.',
    'pw.hint': 'At least 10 characters; not a common password, a sequence or repetition, or your user name. A phrase of a few unrelated words is best.', 'pw.done': 'Password changed.',
    'login.closed': 'The session was closed: log in again.',
    'reg.area': 'Area code (platform registry: decides who supervises it)', 'reg.reported': 'reported by the terminal', 'reg.none': 'not registered',
    'f.title': 'What the crew found', 'f.outcome': 'Outcome', 'f.confirmed': 'Fault confirmed', 'f.no-fault-found': 'No fault found', 'f.false-alarm': 'False alarm',
    'f.component': 'Component at fault', 'f.part': 'Part replaced (optional)', 'f.save': 'Save and close the alert', 'f.cancel': 'Cancel', 'f.skip': 'Rescue done: close now, add the finding later',
    'f.p1hint': 'A P1 alert (a rescue) can be closed now and its finding added later.', 'f.needOutcome': 'Choose an outcome.', 'f.needComponent': 'A confirmed fault needs the component at fault.',
    'comp.doorOperator': 'Door operator', 'comp.doorLock': 'Door lock and contacts', 'comp.guides': 'Guide shoes, rollers and rails', 'comp.machine': 'Traction machine (bearings, gears)', 'comp.brake': 'Brake',
    'comp.ropes': 'Ropes', 'comp.traction': 'Sheave and traction', 'comp.levelling': 'Levelling', 'comp.motor': 'Motor', 'comp.safetyChain': 'Safety chain', 'comp.power': 'Power supply',
    'comp.controller': 'Controller and drive', 'comp.alarmSystem': 'Alarm system', 'comp.terminal': 'Monitoring terminal (sensor)', 'comp.other': 'Other',
    'p.title': 'Measured precision of models and rules (crews\' findings)', 'p.export': 'Export training labels (CSV)', 'p.source': 'Model / rule', 'p.version': 'Version', 'p.findings': 'Findings',
    'nav.registry': 'Lift registry', 'nav.workOrders': 'Work orders', 'nav.statistics': 'Statistics',
    'p.confirmed': 'Confirmed', 'p.precision': 'Precision', 'p.interval': '95 % interval', 'p.rule': 'rule', 'p.none': 'No findings yet.',
    'tc.title': 'Terminals', 'nav.terminals': 'Terminals', 'tc.all': 'All terminals', 'tc.p.silent': 'silent', 'tc.p.behind': 'behind', 'tc.p.misconfigured': 'misconfigured', 'tc.none': 'No terminal matches.', 'tc.limits': 'Limits', 'tc.fw': 'Firmware', 'tc.rtt': 'Link round trip', 'tc.drops': 'Connections lost', 'tc.backlog': 'Spool depth', 'tc.clock': 'Clock offset', 'tc.config': 'Config (desired / acknowledged)', 'tc.problems': 'Problems', 'tc.noConfig': 'none pushed', 'tc.state.acknowledged': 'acknowledged', 'tc.state.pending': 'pending', 'tc.state.rejected': 'rejected', 'tc.unacked': 'Terminals that have not acknowledged their config', 'tc.since': 'pushed', 'tc.allAcked': 'Every terminal acknowledged its config.', 'tc.push': 'Push a config', 'tc.command': 'Send a command', 'tc.target': 'Target', 'tc.targetHint': 'lift ids (comma-separated), an area code or a maintenance unit', 'tc.kind.liftIds': 'Lifts', 'tc.kind.areaCode': 'Area code', 'tc.kind.maintenanceUnit': 'All lifts of a maintenance unit', 'tc.set.statusIdleS': 'Status period at rest (s)', 'tc.set.statusMovingS': 'Status period while moving (s)', 'tc.set.deviceS': 'Terminal health period (s)', 'tc.set.envS': 'Environment period (s)', 'tc.set.entrapmentS': 'Terminal entrapment timer (s)', 'tc.streams': 'Streams sent', 'tc.send': 'Send', 'tc.pushed': 'Pushed', 'tc.sent': 'Sent', 'tc.cmd.selfTest': 'Self-test of the alarm device', 'tc.cmd.restart': 'Restart the terminal software', 'tc.cmd.sendStatus': 'Send a status now', 'tc.cmd.sendWave': 'Send the last trip\'s raw signals', 'tc.selfTestHint': 'EN 81-28 asks for a remote check of the alarm device at least every 3 days.',
  },
};

/** What a terminal reports (presence, service mode, car door) and who an escalation step reaches, as shown in lists. */
const STATE_WORDS = {
  'zh-CN': {
    'presence.online': '在线', 'presence.offline': '离线', 'presence.unknown': '未知',
    'mode.outOfService': '停止服务', 'mode.normal': '正常', 'mode.inspection': '检修', 'mode.fireRecall': '消防返回', 'mode.firefighter': '消防员操作',
    'mode.emergencyPower': '应急电源', 'mode.earthquake': '地震管制', 'mode.unknown': '未知',
    'door.closed': '关闭', 'door.locked': '锁闭', 'door.opening': '开门中', 'door.open': '打开', 'door.closing': '关门中', 'door.fault': '故障', 'door.outsideZone': '（门区外）',
    'role.primary': '主值班', 'role.backup': '副值班', 'role.supervisor': '主管', 'role.manager': '负责人', 'role.regulator': '监管人员', 'role.reinforcement': '增援', 'role.duty': '24 小时值班联系人',
  },
  en: {
    'presence.online': 'online', 'presence.offline': 'offline', 'presence.unknown': 'unknown',
    'mode.outOfService': 'out of service', 'mode.normal': 'normal', 'mode.inspection': 'inspection', 'mode.fireRecall': 'fire recall', 'mode.firefighter': 'firefighter',
    'mode.emergencyPower': 'emergency power', 'mode.earthquake': 'earthquake', 'mode.unknown': 'unknown',
    'door.closed': 'closed', 'door.locked': 'locked', 'door.opening': 'opening', 'door.open': 'open', 'door.closing': 'closing', 'door.fault': 'fault', 'door.outsideZone': ' (outside the door zone)',
    'role.primary': 'on call', 'role.backup': 'backup', 'role.supervisor': 'supervisor', 'role.manager': 'manager', 'role.regulator': 'regulator', 'role.reinforcement': 'reinforcement', 'role.duty': '24-hour duty contact',
  },
};
for (const l of Object.keys(WORDS)) Object.assign(WORDS[l], STATE_WORDS[l]);
for (const l of Object.keys(WORDS)) Object.assign(WORDS[l], HEALTH_WORDS[l]);

let lang = localStorage.getItem('lw.lang') ?? 'zh-CN';
if (!WORDS[lang]) lang = 'zh-CN';

export const getLang = () => lang;
export function setLang(next) {
  lang = WORDS[next] ? next : 'zh-CN';
  localStorage.setItem('lw.lang', lang);
  document.documentElement.lang = lang;
  translate(document);
}
export const t = (key) => WORDS[lang][key] ?? WORDS.en[key] ?? key;
/** Whether a word exists for this key (in either language). */
export const has = (key) => key in WORDS[lang] || key in WORDS.en;
/** A value a terminal or the API sends, in the page's language when there is a word for it (`kind.value`), else as sent. */
export const word = (kind, value) => (value === undefined || value === null ? '–' : has(`${kind}.${value}`) ? t(`${kind}.${value}`) : String(value));
/** A sentence with parameters: `{name}` in the words is replaced by params.name (numbers in the page's language). */
export const tf = (key, params = {}) => t(key).replace(/\{(\w+)\}/g, (_, k) => {
  const v = params[k];
  return typeof v === 'number' ? v.toLocaleString(lang, { maximumFractionDigits: 2 }) : v === undefined || v === null ? '–' : String(v);
});
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}
/** Alert names: the code table carries both languages. */
export const alertName = (a) => (lang === 'en' ? a.nameEn : a.nameZh);
/** A reason in the page's language from the reason catalogue (an alert's reasonKey, a health reason's key), else its English text. */
/**
 * An API error for the reader: in Chinese the error code's summary first, then the server's own
 * message (it names the field or value at fault, in English); in English the message alone.
 */
export function errorText(error, fallback = '') {
  const message = error?.message ?? fallback;
  const zh = lang === 'zh-CN' ? ERROR_SUMMARY_ZH[error?.code] : undefined;
  return zh === undefined ? message : `${zh}（${message}）`;
}
export const reasonText = (r) => reasonIn(lang, { text: r.reason ?? r.detail ?? '', key: r.reasonKey ?? r.key, params: r.reasonParams ?? r.params });
/** Adds the words of a part of the console ({ 'zh-CN': {…}, en: {…} }), kept in that part's own file. */
export function addWords(words) {
  for (const [l, w] of Object.entries(words)) Object.assign(WORDS[l] ??= {}, w);
}
