// Flows (dynamic route elements) the route tests share.

const to = (elementId: string) => ({ elementId });

/** start -> model A, falling back to model B -> end. */
export function twoModelFlow(providerA: string, modelA: string, providerB: string, modelB: string) {
  return [
    { id: 'start', type: 'start', outputs: { next: to('a') } },
    {
      id: 'a',
      type: 'model',
      properties: { provider: providerA, model: modelA, timeout: 30000, retries: 0 },
      outputs: { success: to('end'), fallback: to('b') },
    },
    {
      id: 'b',
      type: 'model',
      properties: { provider: providerB, model: modelB, timeout: 30000, retries: 0 },
      outputs: { success: to('end'), fallback: to('end') },
    },
    { id: 'end', type: 'end', outputs: {} },
  ];
}
