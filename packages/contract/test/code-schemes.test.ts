import { describe, expect, it } from 'vitest';
import {
  CODE_SCHEMES, decodeMessage, decodeSourceCode, FAULT_CODES, GOLDEN, GOLDEN_LIFT_ID, liftTopic, schemeTable, type FaultRecord,
} from '../src/index.js';

const { code: _code, ...faultWithoutCode } = GOLDEN.fault;
const decodeFault = (fields: Record<string, unknown>) => decodeMessage(liftTopic(GOLDEN_LIFT_ID, 'fault'), Buffer.from(JSON.stringify({ ...faultWithoutCode, ...fields })));

describe('decoders of GB/T 24476-2017 and 15-fault codes', () => {
  it('map every GB/T 24476-2017 fault, event, alarm and escalator code of the field implementations', () => {
    const gb = (n: string) => decodeSourceCode('gbt24476-2017', n);
    const expected: Record<string, string> = {
      '01': 'E07', '02': 'E09', '03': 'E09', '04': 'E06', '05': 'E02', '06': 'E11', '07': 'E10', '08': 'E12', '09': 'E05', '10': 'E05', '11': 'E01',
      '40': 'U04', '41': 'E13', '42': 'U04', '43': 'U04', '44': 'U04', '45': 'U04', '46': 'U04', '47': 'U04', '90': 'E01',
      '61': 'S01', '62': 'S02', '63': 'S03', '64': 'S04', '65': 'S05',
    };
    for (const [n, code] of Object.entries(expected)) expect(gb(n), `GB/T code ${n}`).toMatchObject({ ok: true, code: { code } });
    expect(schemeTable('gbt24476-2017').map((r) => r.sourceCode)).toEqual(Object.keys(expected).sort());
  });

  it('map all 15 regulator faults and the escalator rows 23–36', () => {
    const gov = (n: number) => decodeSourceCode('gov15', String(n));
    const first15 = ['E05', 'E05', 'E04', 'E03', 'E02', 'E06', 'E01', 'E01', 'E13', 'E07', 'E09', 'E09', 'E08', 'E14', 'E15'];
    first15.forEach((code, i) => expect(gov(i + 1), `15-fault ${i + 1}`).toMatchObject({ ok: true, code: { code } }));
    const escalator = ['S01', 'S02', 'S03', 'S04', 'S06', 'S12', 'S12', 'S11', 'S07', 'S08', 'S04', 'S09', 'S10', 'S12'];
    escalator.forEach((code, i) => expect(gov(23 + i), `15-fault ${23 + i}`).toMatchObject({ ok: true, code: { code } }));
  });

  it('read "1" and "001" as GB/T "01", and "07" as 15-fault 7', () => {
    expect(decodeSourceCode('gbt24476-2017', '1')).toMatchObject({ ok: true, code: { code: 'E07' } });
    expect(decodeSourceCode('gbt24476-2017', '001')).toMatchObject({ ok: true, code: { code: 'E07' } });
    expect(decodeSourceCode('gov15', '07')).toMatchObject({ ok: true, code: { code: 'E01' } });
  });

  it('reject an unknown code naming the scheme and the code and listing the known ones', () => {
    const out = decodeSourceCode('gbt24476-2017', '99');
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.reason).toContain('GB/T 24476-2017 code "99"');
    expect(out.reason).toContain('known codes: 01, 02');
    const gov = decodeSourceCode('gov15', '77');
    expect(gov.ok ? '' : gov.reason).toContain('15-fault list code "77"');
  });

  it('say why a known code has no liftwatch code', () => {
    const out = decodeSourceCode('gov15', '39');
    expect(out.ok ? '' : out.reason).toMatch(/39 未佩戴口罩.*has no liftwatch code/);
  });

  it('map to no code that is missing from the table', () => {
    const codes = new Set(FAULT_CODES.map((c) => c.code));
    for (const scheme of CODE_SCHEMES) for (const r of schemeTable(scheme)) expect(codes.has(r.code.code)).toBe(true);
  });
});

describe('a fault record in another scheme', () => {
  it('is stored with the mapped code and the original beside it', () => {
    const out = decodeFault({ sourceScheme: 'gbt24476-2017', sourceCode: '11' });
    expect(out.rejections).toEqual([]);
    const rec = out.records[0]?.record as FaultRecord;
    expect(rec).toMatchObject({ code: 'E01', sourceScheme: 'gbt24476-2017', sourceCode: '11', state: 'raised' });
  });

  it('may carry the liftwatch code too when the two agree', () => {
    expect(decodeFault({ code: 'E01', sourceScheme: 'gov15', sourceCode: '8' }).records[0]?.record).toMatchObject({ code: 'E01', sourceCode: '8' });
  });

  it('is rejected when the two disagree, naming both', () => {
    const out = decodeFault({ code: 'E07', sourceScheme: 'gov15', sourceCode: '8' });
    expect(out.rejections[0]?.code).toBe('LW_ERR_UNKNOWN_FAULT_CODE');
    expect(out.rejections[0]?.reason).toContain('fault.code "E07" disagrees with gov15 code "8", which is E01');
  });

  it('is rejected with the scheme and code when the code is unknown', () => {
    const out = decodeFault({ sourceScheme: 'gov15', sourceCode: '99' });
    expect(out.rejections[0]).toMatchObject({ code: 'LW_ERR_UNKNOWN_FAULT_CODE', reason: expect.stringContaining('15-fault list code "99"') });
  });

  it('is rejected with a sourceCode but no scheme, or with no code at all', () => {
    expect(decodeFault({ sourceCode: '11' }).rejections[0]?.reason).toContain('sourceScheme and sourceCode go together');
    expect(decodeFault({}).rejections[0]?.reason).toContain('no code: send code');
  });

  it('is rejected when the scheme is not one liftwatch reads', () => {
    const out = decodeFault({ sourceScheme: 'kone', sourceCode: '11' });
    expect(out.rejections[0]?.code).toBe('LW_ERR_PAYLOAD_INVALID');
    expect(out.rejections[0]?.reason).toContain('"gbt24476-2017", "gov15"');
  });
});
