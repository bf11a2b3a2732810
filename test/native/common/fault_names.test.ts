// Every x86 exception vector, as the engine names it (outcome.cpp's vector_name), has words.
import { describe, expect, it } from 'vitest';

import { faultName } from '../../../native/common/fault_names.js';

const engineNames = ['#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', 'CSO', '#TS', '#NP', '#SS', '#GP', '#PF', '#15'];
const more = ['#MF', '#AC', '#MC', '#XM', '#VE', '#CP', '#22', '#23', '#24', '#25', '#26', '#27', '#HV', '#VC', '#SX', '#31'];

describe('faultName', () => {
  it('says what each of the 32 vectors is', () => {
    for (const vector of [...engineNames, ...more]) expect(faultName(vector), vector).toMatch(/^[a-zA-Z]/);
    expect(faultName('#PF')).toBe('page fault');
    expect(faultName('#DE')).toBe('divide error');
    expect(faultName('#GP')).toBe('general protection fault');
    expect(faultName('#UD')).toBe('invalid opcode');
    expect(faultName('#15')).toBe('reserved vector 15');
  });

  it("names software interrupts and the engine's other outcomes", () => {
    expect(faultName('INT 0x80')).toBe('software interrupt 0x80');
    expect(faultName('triple fault')).toMatch(/shut down/);
    expect(faultName('something new')).toBeNull();
  });
});
