// Placeholder: the AI gateway data plane.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import { sendJson } from '../server.js';

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
  /** Flushes pending log writes. */
  close(): Promise<void>;
}

export function createDataPlane(_runtime: Runtime): DataPlane {
  return {
    handle: (_req, res) =>
      sendJson(res, 404, { success: false, errors: [{ code: 7000, message: 'No route' }] }),
    close: async () => {},
  };
}
