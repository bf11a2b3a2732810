// The protocol's checks on what the UI receives: a response is checked against its
// request's method's result, an event against the events there are, and what fails says
// where.
import { describe, expect, it } from 'vitest';

import { checkEvent, checkRequest, checkResponse, isEvent, responseId } from '../../../../native/common/protocol/messages.js';

const registers = { values: { rip: '0x1000', rsp: '0x7ff0' }, flags: { zf: true } };
const stop = { reason: 'breakpoint', rip: '0x1000', symbol: 'fib', file: 'demo.c', line: 14, breakpoint: 1, registers };

describe('checkResponse', () => {
  it("passes a result that is its method's, keeping its fields", () => {
    const response = checkResponse('debug.resume', { id: 7, ok: true, result: stop });
    expect(response).toEqual({ id: 7, ok: true, result: stop });
    expect(checkResponse('call.cancel', { id: 1, ok: true, result: null })).toEqual({ id: 1, ok: true, result: null });
    expect(checkResponse('memory.read', { id: 2, ok: true, result: { bytes: '00ff' } }).ok).toBe(true);
  });

  it("passes the engine's error as it is", () => {
    const error = { kind: 'fault', message: 'page fault', vector: '#PF', rip: '0x1010', cr2: '0x0' };
    expect(checkResponse('call.run', { id: 3, ok: false, error })).toEqual({ id: 3, ok: false, error });
  });

  it('refuses a result of another shape, naming the method and the field', () => {
    expect(() => checkResponse('debug.resume', { id: 7, ok: true, result: { ...stop, rip: 4096 } })).toThrow(/answer to debug\.resume is malformed: rip:/);
    expect(() => checkResponse('debug.resume', { id: 7, ok: true, result: { ...stop, reason: 'bored' } })).toThrow(/reason/);
    expect(() => checkResponse('breakpoint.list', { id: 7, ok: true, result: [{ id: 1 }] })).toThrow(/breakpoint\.list is malformed: 0\.location/);
    expect(() => checkResponse('memory.read', { id: 7, ok: true, result: { bytes: 'xyz' } })).toThrow(/bytes: hex bytes/);
    // A result for another method: a stop where a guest was asked for.
    expect(() => checkResponse('guest.load', { id: 7, ok: true, result: stop })).toThrow(/guest\.load is malformed/);
    expect(() => checkResponse('guest.load', { id: 7, ok: true, result: null })).toThrow(/the result/);
  });

  it('refuses what is not a response at all, keeping its id when it has one', () => {
    expect(() => checkResponse('call.run', 'hello')).toThrow(/not a response/);
    expect(() => checkResponse('call.run', { id: 5, ok: false, error: { message: 'no kind' } })).toThrow(/not a response/);
    expect(responseId({ id: 5, ok: 'yes' })).toBe(5);
    expect(responseId('hello')).toBeUndefined();
  });
});

describe('checkEvent', () => {
  it('passes the events there are', () => {
    expect(checkEvent({ event: 'engine', state: 'running', pid: 42 })).toEqual({ event: 'engine', state: 'running', pid: 42 });
    const progress = { event: 'profile', stage: 'measure', done: 10, total: null, elapsedMs: 5, durationMs: 1000 };
    expect(checkEvent(progress)).toEqual(progress);
    expect(isEvent(progress)).toBe(true);
    expect(isEvent({ id: 1, ok: true, result: null })).toBe(false);
  });

  it('refuses an event there is not, or one of the wrong shape', () => {
    expect(() => checkEvent({ event: 'gossip' })).toThrow(/event from the engine is malformed/);
    expect(() => checkEvent({ event: 'engine', state: 'asleep' })).toThrow(/state/);
    expect(() => checkEvent({ event: 'profile', stage: 'measure', done: -1, total: 1, elapsedMs: 0, durationMs: null })).toThrow(/done/);
  });
});

describe('checkRequest', () => {
  it('names the method and the parameter that is wrong', () => {
    expect(checkRequest({ id: 1, method: 'memory.read', params: { address: '0x10', length: 4 } }).params).toEqual({ address: '0x10', length: 4 });
    expect(() => checkRequest({ id: 1, method: 'memory.read', params: { address: 16, length: 4 } })).toThrow(/memory\.read: address:/);
    expect(() => checkRequest({ id: 1, method: 'toString', params: {} })).toThrow(/there is no method 'toString'/);
  });
});
