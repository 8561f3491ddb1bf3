// Flow files for `aigw routes create|deploy -f`: JSON or YAML holding {name?, elements: [...]} or a bare list of
// elements, in the API's shape. The spellings of Cloudflare's docs are accepted too and sent as the API's:
// `condition` for `conditions`, type `rate_limit` for `rate`, `interval` for `window`, an `end` without outputs.
import type { Element } from './elements.js';

export interface FlowFile {
  name?: string;
  elements: Element[];
}

export function parseFlowFile(data: unknown): { flow: FlowFile } | { error: string } {
  let name: unknown;
  let list: unknown = data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    ({ name, elements: list } = data as { name?: unknown; elements?: unknown });
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      return { error: '"name" must be a non-empty string' };
    }
  }
  if (!Array.isArray(list)) return { error: 'expected {"elements": [...]} or a list of elements' };
  const elements: Element[] = [];
  for (const [i, raw] of list.entries()) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return { error: `elements[${i}] must be an object` };
    elements.push(normalized(raw as Record<string, unknown>));
  }
  return { flow: name === undefined ? { elements } : { name: name as string, elements } };
}

function normalized(raw: Record<string, unknown>): Element {
  const element: Record<string, unknown> = { ...raw };
  if (element.type === 'rate_limit') element.type = 'rate';
  const props = element.properties;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    const p: Record<string, unknown> = { ...(props as Record<string, unknown>) };
    if (element.type === 'conditional' && p.conditions === undefined && p.condition !== undefined) {
      p.conditions = p.condition;
      delete p.condition;
    }
    if (element.type === 'rate' && p.window === undefined && p.interval !== undefined) {
      p.window = p.interval;
      delete p.interval;
    }
    element.properties = p;
  }
  if (element.type === 'end' && element.outputs === undefined) element.outputs = {};
  return element as unknown as Element;
}
