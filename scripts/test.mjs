// `npm test`: set-up, then every check, cheapest first: typecheck, lint, unit, integration, browser.
// It ends with one line, "N passed, N failed", taken from vitest's own JSON reports.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, ROOT, run } from './setup.mjs';

/** System programs the tests use, and why (STYLE.md 9: real parts in tests). */
const SYSTEM_NEEDS = [
  { command: 'mosquitto_pub', pkg: 'mosquitto-clients', why: 'a real MQTT client written by someone else' },
  { command: 'chromium', pkg: 'chromium', why: 'the browser tests drive Debian\'s chromium' },
  { command: 'victoria-metrics', pkg: 'victoria-metrics', why: 'the InfluxDB v2 write path of the telemetry store' },
  { command: 'influxd', pkg: 'influxdb', why: 'InfluxQL reads of the telemetry store (InfluxDB 1.6)' },
  { command: 'redis-server', pkg: 'redis-server', why: 'the BullMQ job-queue tests run against a real Redis' },
  { command: 'mosquitto', pkg: 'mosquitto', why: 'the subscriber front door is tested against Mosquitto, a broker written by someone else' },
  { command: 'postgres', path: '/usr/lib/postgresql/15/bin/postgres', pkg: 'postgresql', why: 'the state store\'s contract tests run against a real PostgreSQL (issue 9)' },
  { command: 'haproxy', path: '/usr/sbin/haproxy', pkg: 'haproxy', why: 'HAProxy checks the load-balancer configuration of docker-compose.yml and balances the scale-out test\'s nodes (bench/test/scale-out.int.test.ts)' },
  { command: 'socat', pkg: 'socat', why: 'the edge agent\'s Modbus RTU tests join a serial server to the agent through a pty pair, and through a TCP port as a serial-to-Ethernet converter would' },
  { command: 'chronyd', path: '/usr/sbin/chronyd', pkg: 'chrony', why: 'the edge agent measures its clock offset against a real NTP server (run with -x: it never sets the machine\'s clock)' },
  { command: 'openssl', pkg: 'openssl', why: 'the TLS tests make a throwaway CA and certificates' },
  { command: 'python3-paho', path: '/usr/lib/python3/dist-packages/paho/mqtt/client.py', pkg: 'python3-paho-mqtt', why: 'a Python Paho terminal, a real MQTT client written by someone else' },
  { command: 'fonts-wqy-microhei', path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', pkg: 'fonts-wqy-microhei', why: 'a CJK font, so the console\'s zh-CN screenshots show Chinese, not boxes' },
];

ensureNodeModules();
ensureSystemPackages(SYSTEM_NEEDS);

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const failures = [];
const step = (name, cmd, args) => {
  console.log(`\n== ${name}`);
  const code = run(cmd, args);
  if (code !== 0) failures.push(name);
  return code;
};

step('typecheck', bin('tsc'), ['-b']);
step('lint', bin('eslint'), ['--max-warnings', '0', '.']);
step('console build', bin('vite'), ['build', '--config', join(ROOT, 'dashboards', 'vite.config.js')]);

const out = join(ROOT, '.test-output');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;
for (const project of ['unit', 'integration', 'browser']) {
  const file = join(out, `${project}.json`);
  const code = step(`${project} tests`, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numTotalTests === 0) failures.push(`${project} tests (none ran)`);
  } catch {
    failures.push(`${project} tests (no report)`);
    if (code === 0) failed += 1;
  }
}

console.log('');
if (failures.length > 0) console.log(`failed steps: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failures.length > 0 ? 1 : 0;
