// What a fault's vector means, in words, beside the mnemonic the engine gives ("#PF"):
// every x86 exception vector (Intel SDM vol. 3A, table 6-1; AMD APM vol. 2, 8.2), and the
// engine's own outcomes that are not vectors.

const exceptions: Record<string, string> = {
  '#DE': 'divide error',
  '#DB': 'debug exception',
  NMI: 'non-maskable interrupt',
  '#BP': 'breakpoint (int3)',
  '#OF': 'overflow (into)',
  '#BR': 'BOUND range exceeded',
  '#UD': 'invalid opcode',
  '#NM': 'device not available (no FPU)',
  '#DF': 'double fault',
  CSO: 'coprocessor segment overrun',
  '#TS': 'invalid TSS',
  '#NP': 'segment not present',
  '#SS': 'stack-segment fault',
  '#GP': 'general protection fault',
  '#PF': 'page fault',
  '#MF': 'x87 floating-point error',
  '#AC': 'alignment check',
  '#MC': 'machine check',
  '#XM': 'SIMD floating-point exception',
  '#VE': 'virtualization exception',
  '#CP': 'control protection exception',
  '#HV': 'hypervisor injection exception',
  '#VC': 'VMM communication exception',
  '#SX': 'security exception',
  'triple fault': 'the CPU shut down: a fault while delivering a fault',
  'stray hlt': 'the guest halted outside the call protocol',
  'bad port': 'an I/O port the host does not serve',
  'bad frame': 'a malformed frame to the host',
  unsupported: 'something this backend cannot run safely',
};

/** "page fault" for "#PF"; reserved vectors ("#15", "#22"…) and software interrupts ("INT 0x80") too; null for a name it doesn't know. */
export function faultName(vector: string): string | null {
  const known = exceptions[vector];
  if (known) return known;
  if (/^#\d+$/.test(vector)) return `reserved vector ${vector.slice(1)}`;
  const interrupt = /^INT (0x[0-9a-f]+)$/i.exec(vector);
  if (interrupt) return `software interrupt ${interrupt[1]}`;
  return null;
}
