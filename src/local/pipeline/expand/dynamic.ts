// Dynamic routes: a compat chat completion (on /compat/chat/completions, or a universal `compat` step) whose
// model is `dynamic/{name}` runs the flow the gateway's route of that name has deployed. The flow is walked (../../../flow/walk.ts) to a model element, which becomes a compat
// step for `{provider}/{model}` with the element's timeout and retries; when that step fails, the walk goes on
// from the element's fallback output. A step is the last one (its failure is the answer) when no model can be
// reached from its fallback. Answers say which model, provider, route and version served (cf-aig-model,
// cf-aig-provider, cf-aig-route, cf-aig-route-version) and which attempt (cf-aig-step, 0 for the first model;
// in a universal body, the step's own index).

import { modelReachable } from '../../../flow/check.js';
import type { RequestFacts } from '../../../flow/conditions.js';
import { type Flow, flowOf, type RateElement } from '../../../flow/elements.js';
import { advance, type Stop } from '../../../flow/walk.js';
import type { StoredRoute } from '../../store/routes.js';
import { GatewayCode, GatewayError } from '../errors.js';
import type { RequestState, StepSource, UpstreamStep } from '../state.js';
import { type CompatCall, compatStep } from './compat.js';

const flows = new WeakMap<StoredRoute['version'], Flow>();

export function dynamicSteps(state: RequestState, name: string, call: CompatCall): StepSource {
  const gateway = state.gateway!;
  const accountId = state.route!.accountId;
  const route = state.services.runtime.routes.deployedByName(accountId, gateway.id, name);
  if (!route) {
    throw new GatewayError(
      404,
      GatewayCode.UnknownProvider,
      `Gateway '${gateway.id}' has no dynamic route named '${name}'`,
    );
  }
  let flow = flows.get(route.version);
  if (!flow) {
    flow = flowOf(route.version.elements);
    flows.set(route.version, flow);
  }
  return new RouteSteps(state, route, flow, call);
}

class RouteSteps implements StepSource {
  private from: string;
  private attempt = 0;
  private stop: Stop | null = null;
  private readonly facts: RequestFacts;
  /** Budget elements the request passed: the cost of the model that answers counts against them. */
  private readonly budgets: { element: RateElement; key: string }[] = [];

  constructor(
    private readonly state: RequestState,
    private readonly route: StoredRoute,
    private readonly flow: Flow,
    private readonly call: CompatCall,
  ) {
    this.from = flow.start?.id ?? '';
    // A universal step's conditions see its merged headers, as its provider would.
    const headers: Record<string, string> = {};
    for (const [n, v] of Object.entries(call.requestHead)) if (typeof v === 'string') headers[n] = v;
    this.facts = { metadata: call.opts.metadata ?? {}, body: call.body, headers };
  }

  next(): { step: UpstreamStep; isLast: boolean } | null {
    const { services } = this.state;
    const limits = services.routeLimits;
    const prefix = `${this.state.route!.accountId}\u0000${this.state.gateway!.id}\u0000${this.route.id}\u0000`;
    const stop = advance(this.flow, this.from, this.facts, {
      random: services.random,
      admit: (element, key) => {
        const { limit, limitType, window, technique = 'sliding' } = element.properties;
        const id = `${prefix}${element.id}\u0000${key}`;
        const now = this.state.startMs;
        const used = limits.used(id, window, technique, now);
        if (limitType === 'count') {
          if (used + 1 > limit) return false;
          limits.add(id, 1, window, technique, now);
          return true;
        }
        if (used >= limit) return false;
        this.budgets.push({ element, key: id });
        return true;
      },
    });
    this.stop = stop;
    if (stop.kind !== 'model') return null;
    const element = stop.element;
    this.from = element.outputs.fallback.elementId;
    const { provider, model, timeout, retries } = element.properties;
    const opts = {
      ...this.call.opts,
      requestTimeoutMs: timeout > 0 ? timeout : this.call.opts.requestTimeoutMs,
      attempts: Math.min(5, Math.max(1, Math.trunc(retries) + 1)),
    };
    const step = compatStep(this.state, {
      ...this.call,
      body: { ...this.call.body, model: `${provider}/${model}` },
      opts,
      index: this.call.index ?? this.attempt,
    });
    this.attempt++;
    step.served = { route: this.route.name, version: this.route.version.id, element: element.id };
    const budgets = [...this.budgets];
    step.onCost = (cost) => {
      if (cost === null || cost <= 0) return;
      for (const { element: budget, key } of budgets) {
        const { window, technique = 'sliding' } = budget.properties;
        limits.add(key, cost, window, technique, services.now());
      }
    };
    return { step, isLast: !modelReachable(this.flow, this.from) };
  }

  /** Why no model answered: a limit's fallback led to the end, or every model failed. */
  failure(): GatewayError {
    const stop = this.stop;
    const where = `dynamic route '${this.route.name}'`;
    if (stop?.kind === 'end' && stop.limited) {
      const { id, properties } = stop.limited;
      return properties.limitType === 'cost'
        ? new GatewayError(429, GatewayCode.SpendLimited, `Spend limit exceeded: ${where}, element '${id}'`)
        : new GatewayError(429, GatewayCode.RateLimited, `Rate limited: ${where}, element '${id}'`);
    }
    if (stop?.kind === 'broken') {
      return new GatewayError(500, GatewayCode.Internal, `The flow of ${where} is broken: ${stop.message}`);
    }
    return new GatewayError(502, GatewayCode.ProviderFailure, `No model of ${where} answered`);
  }
}
