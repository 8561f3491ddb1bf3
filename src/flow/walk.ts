// Walking a flow: from an element, through conditionals, percentage splits and rate / budget limits, to the next
// model to call or to the end. The local gateway walks from the start, calls the model, and walks again from the
// model's fallback output when it fails; `aigw routes test` does the same without calling anything.
import { lookup, matches, type RequestFacts } from './conditions.js';
import type { EndElement, Flow, ModelElement, PercentageElement, RateElement } from './elements.js';
import { percentOf } from './elements.js';

/** What a walk depends on besides the request: chance and the limits' counters. */
export interface WalkHooks {
  /** Uniform in [0, 1). */
  random(): number;
  /** Whether a request counted by `key` is within the element's limit (and, if so, counts it). */
  admit(element: RateElement, key: string): boolean;
}

/** One decision on the way: the element and the output taken. */
interface Turn {
  elementId: string;
  type: string;
  output: string;
}

export type Stop =
  | { kind: 'model'; element: ModelElement; turns: Turn[] }
  /** `limited`: the rate / budget element whose fallback led here, when that is how the walk ended. */
  | { kind: 'end'; element: EndElement; turns: Turn[]; limited: RateElement | null }
  | { kind: 'broken'; message: string; turns: Turn[] };

/** Walks from the element `from` (inclusive) to the next model or end. */
export function advance(flow: Flow, from: string, facts: RequestFacts, hooks: WalkHooks): Stop {
  const turns: Turn[] = [];
  let limited: RateElement | null = null;
  let id = from;
  // A checked flow has no loops; a bound keeps an unchecked one from spinning.
  for (let hops = 0; hops <= flow.elements.size; hops++) {
    const element = flow.elements.get(id);
    if (!element)
      return { kind: 'broken', message: `the flow leads to "${id}", which is not an element`, turns };
    const take = (output: string, next: string) => {
      turns.push({ elementId: element.id, type: element.type, output });
      id = next;
    };
    switch (element.type) {
      case 'model':
        return { kind: 'model', element, turns };
      case 'end':
        return { kind: 'end', element, turns, limited };
      case 'start':
        take('next', element.outputs.next.elementId);
        break;
      case 'conditional': {
        const holds = matches(element.properties.conditions ?? {}, facts);
        take(String(holds), holds ? element.outputs.true.elementId : element.outputs.false.elementId);
        break;
      }
      case 'percentage': {
        const [name, next] = pick(element, hooks.random());
        take(name, next);
        break;
      }
      case 'rate': {
        const ok = hooks.admit(element, rateKey(element, facts));
        limited = ok ? null : element;
        take(
          ok ? 'success' : 'fallback',
          ok ? element.outputs.success.elementId : element.outputs.fallback.elementId,
        );
        break;
      }
    }
  }
  return { kind: 'broken', message: 'the flow loops', turns };
}

/** The output a draw in [0, 1) selects: the named shares in order, then `else` (or the last share). */
function pick(element: PercentageElement, draw: number): [string, string] {
  const point = draw * 100;
  let cumulative = 0;
  let last: [string, string] | null = null;
  for (const [name, output] of Object.entries(element.outputs)) {
    const share = percentOf(name);
    if (share === null) continue;
    cumulative += share;
    last = [name, output.elementId];
    if (point < cumulative) return last;
  }
  const rest = element.outputs.else;
  if (rest) return ['else', rest.elementId];
  // Only an unchecked flow gets here (its shares do not reach 100% and it has no else).
  return last ?? ['else', ''];
}

/** The bucket a request counts in: the value its key names ("" for requests without one). */
function rateKey(element: RateElement, facts: RequestFacts): string {
  const { key } = element.properties;
  // A bare name ("user_id") is a metadata key.
  const value = lookup(facts, /^(metadata|body|headers)\./.test(key) ? key : `metadata.${key}`);
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One way a request can go: how likely (0..1, from the percentage splits on the way) and where it stops. */
export interface Outcome {
  share: number;
  stop: Stop;
}

/**
 * Every way a request with these facts can go from `from`, without calling or counting anything: conditions are
 * evaluated, each percentage split branches (with its share), and limits are taken as not reached yet.
 */
export function outcomes(flow: Flow, from: string, facts: RequestFacts): Outcome[] {
  const found: Outcome[] = [];
  const explore = (draws: number[], share: number): void => {
    let used = 0;
    const stop = advance(flow, from, facts, {
      random: () => {
        used++;
        // Past the scripted draws: the first share, until the split is branched over below.
        return used <= draws.length ? draws[used - 1]! : 0;
      },
      admit: () => true,
    });
    const splits = stop.turns.filter((t) => t.type === 'percentage');
    if (splits.length <= draws.length) {
      found.push({ share, stop });
      return;
    }
    // The first split not drawn for yet: one branch per share, drawn at the middle of its range.
    const element = flow.elements.get(splits[draws.length]!.elementId) as PercentageElement;
    let low = 0;
    for (const name of Object.keys(element.outputs)) {
      const width = percentOf(name);
      if (width === null) continue;
      explore([...draws, (low + width / 2) / 100], (share * width) / 100);
      low += width;
    }
    if (low < 100 && element.outputs.else)
      explore([...draws, (low + 100) / 200], (share * (100 - low)) / 100);
  };
  explore([], 1);
  return found;
}
