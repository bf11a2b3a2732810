// readMemory and writeMemory: DAP's memory references are the adapter's own text, here
// always a "0x..." guest address (frames' instruction pointers, variables' addresses).
import type { Sandbox } from '../api/sandbox.js';

const kPage = 4096n;
/** More than any view asks at once; a bound on what one request makes the engine copy. */
export const kMaxReadBytes = 1 << 20;

export function parseMemoryReference(reference: string, offset = 0): bigint {
  if (!/^\s*0x[0-9a-f]+\s*$/i.test(reference) && !/^\s*\d+\s*$/.test(reference)) {
    throw new Error(`'${reference}' is not a memory reference: use a guest address such as 0x100020`);
  }
  const address = BigInt(reference.trim()) + BigInt(offset);
  if (address < 0n) throw new Error(`${reference} ${offset} is before address 0`);
  return address;
}

/**
 * The bytes from `address` that guest memory has, up to `count`: a range that runs into
 * memory the guest doesn't have stops there (DAP's unreadableBytes are the rest).
 */
export function readReadable(sandbox: Sandbox, address: bigint, count: number): Uint8Array {
  const wanted = Math.min(count, kMaxReadBytes);
  try {
    return sandbox.readMemory(address, wanted);
  } catch {
    // Page by page, to the first one that isn't there.
    const chunks: Uint8Array[] = [];
    let at = address;
    const end = address + BigInt(wanted);
    while (at < end) {
      const next = (at / kPage + 1n) * kPage;
      const length = Number((next < end ? next : end) - at);
      try {
        chunks.push(sandbox.readMemory(at, length));
      } catch {
        break;
      }
      at += BigInt(length);
    }
    return Uint8Array.from(chunks.flatMap((chunk) => [...chunk]));
  }
}
