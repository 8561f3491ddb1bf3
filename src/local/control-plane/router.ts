// Placeholder: the management API router.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import { sendJson } from '../server.js';

export function createControlPlane(_runtime: Runtime) {
  return (_req: IncomingMessage, res: ServerResponse, _url: URL): void => {
    sendJson(res, 404, { success: false, errors: [{ code: 7000, message: 'No route for that URI' }] });
  };
}
