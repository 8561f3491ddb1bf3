// `model: "dynamic/{name}"` calls the gateway's route of that name instead of a provider's model.

const PREFIX = 'dynamic/';

/** The route name a body's model names, or null when it names a provider's model. */
export function dynamicRouteName(body: Record<string, unknown>): string | null {
  const model = body.model;
  return typeof model === 'string' && model.startsWith(PREFIX) ? model.slice(PREFIX.length) : null;
}
