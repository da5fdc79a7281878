// The Api over Electron's preload bridge (`window.porthole`): named functions that resolve to
// an ApiOutcome, so a bad-input error keeps its field across the context bridge.
import type { ApiEvent, ApiMethod, ApiMethods, PortholeBridge } from '../../main/api';
import { ApiCallError } from './api-call-error';
import type { ApiLink } from './link';

export function electronLink(bridge: PortholeBridge): ApiLink {
  return {
    status: 'online',
    onStatus: () => () => undefined,
    async call<M extends ApiMethod>(method: M, ...args: ApiMethods[M]['args']): Promise<ApiMethods[M]['result']> {
      const fn = bridge.api[method] as unknown as (
        ...a: unknown[]
      ) => Promise<{ result: ApiMethods[M]['result'] } | { error: { message: string; field?: string } }>;
      if (typeof fn !== 'function') throw new ApiCallError({ message: `This version of Porthole has no '${method}'` }, method);
      const outcome = await fn(...args);
      if ('error' in outcome) throw new ApiCallError(outcome.error, method);
      return outcome.result;
    },
    subscribe(handler: (event: ApiEvent) => void) {
      return bridge.subscribe(handler);
    },
  };
}
