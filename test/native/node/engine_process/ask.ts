// A request to the engine process's handler as the UI makes it: every result through
// JSON and checked against its method's schema, as the UI receives it.
import type { Engine } from '../../../../native/node/engine_process/engine.js';
import { checkResponse, type Method, type Params, type Results } from '../../../../native/common/protocol/messages.js';

export function askOf(engine: Engine) {
  return async function ask<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
    const result = await engine.handle({ id: 1, method, params });
    const response = checkResponse(method, JSON.parse(JSON.stringify({ id: 1, ok: true, result })));
    if (!response.ok) throw new Error('unreachable: an ok response');
    return response.result;
  };
}
