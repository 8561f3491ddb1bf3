// A flow drawn as a tree for a terminal, from its start: conditions, percentage shares, limits, models and their
// fallbacks. An element reached a second time is named, not drawn again.
import { describeCondition } from '../../flow/conditions.js';
import { type Element, type Flow, outputsOf } from '../../flow/elements.js';

export function flowTree(flow: Flow): string[] {
  const lines: string[] = [];
  const drawn = new Set<string>();
  const draw = (id: string, lead: string, prefix: string, rest: string): void => {
    const element = flow.elements.get(id);
    if (!element) {
      lines.push(`${prefix}${lead}${id} (missing)`);
      return;
    }
    if (drawn.has(id)) {
      lines.push(`${prefix}${lead}${describe(element)} (see above)`);
      return;
    }
    drawn.add(id);
    lines.push(`${prefix}${lead}${describe(element)}`);
    const outputs = outputsOf(element);
    outputs.forEach(([name, next], i) => {
      const last = i === outputs.length - 1;
      draw(next, `${name} → `, rest + (last ? '└─ ' : '├─ '), rest + (last ? '   ' : '│  '));
    });
  };
  if (flow.start) draw(flow.start.id, '', '', '');
  return lines;
}

function describe(element: Element): string {
  switch (element.type) {
    case 'start':
      return 'start';
    case 'end':
      return 'end';
    case 'conditional':
      return `if ${describeCondition(element.properties.conditions ?? {})} [${element.id}]`;
    case 'percentage':
      return `split [${element.id}]`;
    case 'rate': {
      const { limit, limitType, window, key } = element.properties;
      const what = limitType === 'cost' ? `$${limit} of cost` : `${limit} requests`;
      return `limit ${what} per ${window}s by ${key} [${element.id}]`;
    }
    case 'model': {
      const { provider, model, timeout, retries } = element.properties;
      return `model ${provider}/${model} (timeout ${timeout} ms, ${retries} retries) [${element.id}]`;
    }
  }
}
