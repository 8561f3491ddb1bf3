// Whether a flow can run: what the contract's element shapes cannot say. A version that has problems is kept
// (the API's `is_valid: false`), but is never deployed and never runs.
import { conditionProblems } from './conditions.js';
import { type Element, type Flow, flowOf, outputsOf, percentOf } from './elements.js';

const MAX_PERCENT_OUTPUTS = 5;

/** Every problem of a flow, as sentences naming the element; empty when it can run. */
export function flowProblems(elements: readonly Element[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const element of elements) {
    if (seen.has(element.id)) problems.push(`two elements have the id "${element.id}"`);
    seen.add(element.id);
  }
  const starts = elements.filter((e) => e.type === 'start');
  if (starts.length !== 1) {
    problems.push(`a route has exactly one start element, not ${starts.length}`);
  }
  const flow = flowOf(elements);
  for (const element of elements) {
    for (const [name, target] of outputsOf(element)) {
      if (!flow.elements.has(target)) {
        problems.push(`${label(element)}: output "${name}" leads to "${target}", which is not an element`);
      } else if (flow.elements.get(target)!.type === 'start') {
        problems.push(`${label(element)}: output "${name}" leads back to the start`);
      }
    }
    problems.push(...elementProblems(element));
  }
  if (problems.length > 0) return problems;

  const cycle = findCycle(flow);
  if (cycle) problems.push(`the flow loops: ${cycle.join(' -> ')}`);
  if (!modelReachable(flow, flow.start!.id)) {
    problems.push('no model element can be reached from the start');
  }
  return problems;
}

function elementProblems(element: Element): string[] {
  const where = label(element);
  switch (element.type) {
    case 'conditional':
      return conditionProblems(element.properties.conditions ?? {}, `${where}: conditions`);
    case 'percentage': {
      const problems: string[] = [];
      let total = 0;
      let named = 0;
      for (const name of Object.keys(element.outputs)) {
        if (name === 'else') continue;
        const share = percentOf(name);
        if (share === null) {
          problems.push(`${where}: output "${name}" is not a percentage like "20%" (or "else")`);
          continue;
        }
        total += share;
        named++;
      }
      if (named === 0) problems.push(`${where}: no percentage outputs`);
      if (named > MAX_PERCENT_OUTPUTS) {
        problems.push(`${where}: ${named} percentage outputs (at most ${MAX_PERCENT_OUTPUTS}, plus "else")`);
      }
      if (total > 100 + 1e-9) problems.push(`${where}: the percentages add up to ${total}%, over 100%`);
      else if (total < 100 - 1e-9 && !('else' in element.outputs)) {
        problems.push(`${where}: the percentages add up to ${total}% and there is no "else" output`);
      }
      return problems;
    }
    case 'rate': {
      const { limit, window, key } = element.properties;
      const problems: string[] = [];
      if (!(limit > 0)) problems.push(`${where}: limit must be greater than 0`);
      if (!(window > 0)) problems.push(`${where}: window must be greater than 0 seconds`);
      if (key.trim() === '') problems.push(`${where}: key must name what requests are counted by`);
      return problems;
    }
    case 'model': {
      const { provider, model, timeout, retries } = element.properties;
      const problems: string[] = [];
      if (provider.trim() === '') problems.push(`${where}: provider is empty`);
      if (model.trim() === '') problems.push(`${where}: model is empty`);
      if (!(timeout > 0)) problems.push(`${where}: timeout must be greater than 0 ms`);
      if (!(Number.isInteger(retries) && retries >= 0 && retries <= 4)) {
        problems.push(`${where}: retries must be a whole number from 0 to 4`);
      }
      return problems;
    }
    default:
      return [];
  }
}

function label(element: Element): string {
  return `${element.type} "${element.id}"`;
}

/** Whether some path from the element `from` (included) reaches a model element. */
export function modelReachable(flow: Flow, from: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const element = flow.elements.get(id);
    if (!element || seen.has(id)) continue;
    if (element.type === 'model') return true;
    seen.add(id);
    for (const [, next] of outputsOf(element)) stack.push(next);
  }
  return false;
}

function findCycle(flow: Flow): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    const mark = state.get(id);
    if (mark === 'done') return null;
    if (mark === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const [, next] of outputsOf(flow.elements.get(id)!)) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of flow.elements.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return null;
}
