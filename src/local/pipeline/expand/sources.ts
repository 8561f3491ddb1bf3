// Step sources the URL forms are built from: fixed steps tried in order, and a chain of sources tried one after
// another (the universal endpoint, whose steps may each be a dynamic route's run of models).
import { GatewayCode, GatewayError } from '../errors.js';
import type { StepSource, UpstreamStep } from '../state.js';

/** Steps tried in a fixed order; the last one's failure is the answer. */
export function inOrder(steps: UpstreamStep[]): StepSource {
  let at = 0;
  return {
    next: () => (at < steps.length ? { step: steps[at]!, isLast: ++at === steps.length } : null),
    failure: () => new GatewayError(500, GatewayCode.Internal, 'No step to run'),
  };
}

/**
 * Each source's steps until it has none left, then the next source's. Only the last source's last step is the
 * chain's last; when the last source runs out without one, its failure is the answer.
 */
export function chain(sources: StepSource[]): StepSource {
  let at = 0;
  return {
    next: () => {
      for (; at < sources.length; at++) {
        const next = sources[at]!.next();
        if (next) return { step: next.step, isLast: next.isLast && at === sources.length - 1 };
      }
      return null;
    },
    failure: () => sources[sources.length - 1]!.failure(),
  };
}
