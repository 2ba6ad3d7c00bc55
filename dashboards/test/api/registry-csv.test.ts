import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../test-app.js';

// The registry as CSV (src/api/registry-csv.ts): every line checked, all or none, and an export that imports as it is.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await t.ports.deps.crews.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: '杭州电梯维保有限公司' });
  await t.ports.deps.crews.upsertOrg({ id: 'uu-1', kind: 'useUnit', name: '西湖小区' });
});
afterAll(() => t.close());

const HEADER = 'liftId,registrationCode,name,maintenanceUnit,useUnit,address,latitude,longitude,areaCode,type,ratedSpeedMps,ratedLoadKg,floors,installDate,inspectionDate,inspectionResult,inspectionNextDue';
const code = (i: number) => `3110330106201${String(i).padStart(7, '0')}`;
const line = (i: number) => `CSV-${i},${code(i)},"${i}号楼 1号梯",mu-1,uu-1,"西湖区 ${i} 号, 杭州",30.2${i % 10},120.1${i % 10},330106,traction,1.75,1000,${6 + (i % 30)},2012-05-01,2024-06-01,pass,2025-06-01`;
const send = (body: string, query = '') => t.call('admin', 'POST', `/api/lift-registry/import${query}`, body, { 'content-type': 'text/csv' });
type Report = { rows: number; imported: number; inspections: number; errors: Array<{ line: number; liftId: string | null; column: string | null; message: string }>; error?: { code: string; message: string } };

describe('registry CSV import', () => {
  it('10,000 lifts with lines at fault: each line and column named, nothing written', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => line(i));
    lines[99] = lines[99]!.replace(code(99), 'ABC'); // line 101
    lines[4_999] = lines[4_999]!.replace(',mu-1,', ',mu-nobody,'); // line 5001
    lines[7_000] = lines[7_000]!.replace(',1.75,', ',fast,'); // line 7002
    lines[8_000] = lines[8_000]!.replace(code(8_000), code(8_001)); // line 8002: the code of line 8003
    lines[9_998] = `CSV-1,${code(99_999)},x,mu-1,,,,,,traction,,,,,,,`; // line 10000: lift given twice
    const r = await send(`${HEADER}\r\n${lines.join('\r\n')}\r\n`);
    expect(r.status).toBe(422);
    const report = r.json<Report>();
    expect(report).toMatchObject({ rows: 10_000, imported: 0, error: { code: 'LW_ERR_IMPORT_INVALID', message: expect.stringMatching(/^5 problems in 5 of 10000 lines; nothing was written\. First, line 101, registrationCode: registration code "ABC" is not 20 digits/) } });
    expect(report.errors.map((e) => [e.line, e.liftId, e.column])).toEqual([
      [101, 'CSV-99', 'registrationCode'], [5001, 'CSV-4999', 'maintenanceUnit'], [7002, 'CSV-7000', 'ratedSpeedMps'], [8003, 'CSV-8001', 'registrationCode'], [10000, 'CSV-1', 'liftId'],
    ]);
    expect(report.errors[2]!.message).toMatch(/"fast" is not valid for ratedSpeedMps: give a number 0–20/);
    expect(report.errors[3]!.message).toMatch(/is lift CSV-8000's on line 8002 too/);
    expect(report.errors[4]!.message).toMatch(/lift CSV-1 is on line 3 already/);
    expect(t.ports.deps.liftRegistry.entries.size).toBe(0);
  });

  it('a clean file is written whole, with its inspections; the export reads back the same and imports as it is', async () => {
    const body = `\uFEFF${HEADER}\n${Array.from({ length: 300 }, (_, i) => line(i)).join('\n')}\n`;
    expect((await send(body, '?dryRun=true')).json()).toMatchObject({ rows: 300, imported: 0, dryRun: true, errors: [] });
    expect(t.ports.deps.liftRegistry.entries.size).toBe(0);
    expect((await send(body)).json()).toEqual({ rows: 300, imported: 300, inspections: 300, dryRun: false, errors: [] });
    expect(t.ports.deps.liftRegistry.entries.get('CSV-7')).toMatchObject({ name: '7号楼 1号梯', address: '西湖区 7 号, 杭州', latitude: 30.27, floors: 13, maintenanceUnit: 'mu-1' });
    expect(await t.ports.deps.crews.getLift('CSV-7')).toMatchObject({ maintenanceUnit: 'mu-1', useUnit: 'uu-1' });
    const exported = await t.call('admin', 'GET', '/api/exports/lift-registry.csv');
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    const rows = exported.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('liftId,registrationCode,name,rescueCode,useUnit,maintenanceUnit,address,latitude,longitude,areaCode,type,ratedSpeedMps,ratedLoadKg,floors,installDate,inspectionDate,inspectionResult,inspectionNextDue');
    expect(rows).toHaveLength(301);
    expect((await send(exported.body)).json()).toMatchObject({ rows: 300, imported: 300, errors: [] });
  });

  it('columns left out are kept, an empty cell clears; a wrong header or no CSV is refused at once', async () => {
    expect((await send('liftId,name,address\nCSV-7,,新地址\n')).json()).toMatchObject({ imported: 1 });
    expect(t.ports.deps.liftRegistry.entries.get('CSV-7')).toMatchObject({ name: null, address: '新地址', registrationCode: code(7) });
    const unknown = await send('liftId,colour\nCSV-7,red\n');
    expect(unknown.status).toBe(422);
    expect(unknown.json<Report>().error?.message).toMatch(/unknown column "colour": the columns are liftId, registrationCode/);
    expect((await send('name\nx\n')).json<Report>().error?.message).toMatch(/has no liftId column/);
    expect((await send('liftId,name\n"CSV-7,x\n')).json<Report>().error?.message).toMatch(/the file is not CSV/);
    const partial = await send('liftId,inspectionDate,inspectionResult,inspectionNextDue\nCSV-7,2024-01-01,,2025-01-01\n');
    expect(partial.json<Report>().errors).toEqual([{ line: 2, liftId: 'CSV-7', column: 'inspectionResult', message: expect.stringMatching(/needs inspectionDate, inspectionResult and inspectionNextDue together/) }]);
  });

  it('only admins import; a regulator exports only the lifts of their area', async () => {
    t.user('reg-x', 'regulator', 'd-x', { areaCode: '330199' });
    expect((await t.call('reg-x', 'POST', '/api/lift-registry/import', `${HEADER}\n`, { 'content-type': 'text/csv' })).status).toBe(403);
    await t.call('admin', 'PUT', '/api/lift-registry/CSV-3', { areaCode: '330199' });
    const rows = (await t.call('reg-x', 'GET', '/api/exports/lift-registry.csv')).body.trim().split('\r\n');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['CSV-3']);
  });
});
