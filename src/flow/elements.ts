// A dynamic route's flow: the elements the management API stores (aig_RouteElement in the contract) and the
// graph they form. Pure: shared by the local gateway (which runs flows), `aigw routes test` (which walks one
// without calling any model) and the CLI's tree drawing.

interface Output {
  elementId: string;
}

interface StartElement {
  id: string;
  type: 'start';
  outputs: { next: Output };
}

interface ConditionalElement {
  id: string;
  type: 'conditional';
  properties: { conditions?: Record<string, unknown> };
  outputs: { true: Output; false: Output };
}

export interface PercentageElement {
  id: string;
  type: 'percentage';
  /** "NN%" (fractions allowed) or "else" -> the next element. */
  outputs: Record<string, Output>;
}

export interface RateElement {
  id: string;
  type: 'rate';
  properties: {
    /** What requests are counted by, e.g. "metadata.user_id". */
    key: string;
    limit: number;
    limitType: 'count' | 'cost';
    /** Seconds. */
    window: number;
    /** Not in the contract; Cloudflare's docs name it. Sliding unless it says fixed. */
    technique?: 'sliding' | 'fixed';
  };
  outputs: { success: Output; fallback: Output };
}

export interface ModelElement {
  id: string;
  type: 'model';
  properties: { provider: string; model: string; timeout: number; retries: number };
  outputs: { success: Output; fallback: Output };
}

export interface EndElement {
  id: string;
  type: 'end';
  outputs: Record<string, Output>;
}

export type Element =
  | StartElement
  | ConditionalElement
  | PercentageElement
  | RateElement
  | ModelElement
  | EndElement;

/** Elements by id, and the start element (the first one, if a route has several: check() flags that). */
export interface Flow {
  readonly elements: ReadonlyMap<string, Element>;
  readonly start: StartElement | null;
}

export function flowOf(elements: readonly Element[]): Flow {
  const byId = new Map<string, Element>();
  let start: StartElement | null = null;
  for (const element of elements) {
    if (!byId.has(element.id)) byId.set(element.id, element);
    if (element.type === 'start' && start === null) start = element;
  }
  return { elements: byId, start };
}

/** An element's outputs as [name, element id] pairs, in the order a reader expects them. */
export function outputsOf(element: Element): [string, string][] {
  switch (element.type) {
    case 'start':
      return [['next', element.outputs.next.elementId]];
    case 'conditional':
      return [
        ['true', element.outputs.true.elementId],
        ['false', element.outputs.false.elementId],
      ];
    case 'rate':
    case 'model':
      return [
        ['success', element.outputs.success.elementId],
        ['fallback', element.outputs.fallback.elementId],
      ];
    default:
      return Object.entries(element.outputs).map(([name, out]) => [name, out.elementId]);
  }
}

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/** The share (0..100) a percentage output name stands for, or null when it is not "NN%". */
export function percentOf(name: string): number | null {
  const match = PERCENT.exec(name);
  return match ? Number(match[1]) : null;
}
