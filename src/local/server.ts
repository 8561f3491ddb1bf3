// The local AI gateway: one node:http server. /client/v4/... is the control plane (the management API),
// /v1/... is the data plane (the AI gateway itself), and so is the REST API's chat completions
// (/client/v4/accounts/{account_id}/ai/v1/chat/completions, a gateway's compat endpoint).
import { createServer, type IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { answerClientError, clientLimits } from './client-limits.js';
import { createControlPlane } from './control-plane/router.js';
import { answerHealth, HEALTH_PATH } from './health.js';
import { answeredAtTheDoor, sendJson } from './http.js';
import { mockBases, mockWanted, startMockUpstream } from './mock/server.js';
import { createDataPlane } from './pipeline/index.js';
import { isApiChat } from './pipeline/routes.js';
import {
  defaultLocalGatewayOptions,
  type LocalGatewayOptions,
  type Runtime,
  type StoreRuntime,
} from './runtime.js';
import { CustomProviderRepository } from './store/custom-providers.js';
import { openStore } from './store/db.js';
import { GatewayRepository } from './store/gateways.js';
import { LogWriter } from './store/logs/writer.js';
import { ProviderKeyRepository } from './store/provider-keys.js';
import { RouteRepository } from './store/routes.js';

export interface LocalGateway {
  /** http://host:port */
  url: string;
  port: number;
  runtime: Runtime;
  /** Stops accepting connections, flushes pending logs, closes the store. */
  close(): Promise<void>;
}

/** How long a keep-alive connection idle when the proxy starts stopping is left open for a request in transit. */
const IDLE_CLOSE_DELAY_MS = 250;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export async function startLocalGateway(partial: Partial<LocalGatewayOptions>): Promise<LocalGateway> {
  const options: LocalGatewayOptions = { ...defaultLocalGatewayOptions, ...partial };
  const store = openStore(options.inMemory ? { inMemory: true } : { dataDir: options.dataDir });
  const gateways = new GatewayRepository(store);
  const stores: StoreRuntime = {
    options,
    store,
    gateways,
    customProviders: new CustomProviderRepository(store),
  };
  const runtime: Runtime = {
    ...stores,
    routes: new RouteRepository(store, gateways),
    logs: new LogWriter(stores),
    providerKeys: new ProviderKeyRepository(store),
  };
  // A deleted gateway takes its keys with it (a cascade in the store); the data plane must forget them too.
  runtime.gateways.onChange(() => runtime.providerKeys.forget());
  // The mock is an upstream like any other: its own server, which the data plane only knows by URL.
  const mock = mockWanted(options.mock) ? await startMockUpstream({ host: '127.0.0.1', port: 0 }) : null;
  const controlPlane = createControlPlane(runtime);
  const dataPlane = createDataPlane(runtime, mock && mockBases(mock, options.mock));
  const startedMs = options.now().getTime();

  let stopping = false;
  const serverOptions = {
    keepAliveTimeout: 65_000,
    ...clientLimits(options),
    ServerResponse: stoppableResponse(() => stopping),
  };
  const server = createServer(serverOptions, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (answeredAtTheDoor(req, res, url, options)) return;
    const { pathname } = url;
    if (pathname === HEALTH_PATH) {
      answerHealth(res, req.method, runtime, startedMs);
      return;
    }
    const handler: Handler | null =
      pathname.startsWith('/v1/') || isApiChat(pathname)
        ? dataPlane.handle
        : pathname.startsWith('/client/v4/')
          ? controlPlane
          : null;
    if (!handler) {
      sendJson(res, 404, { success: false, errors: [{ code: 7000, message: 'No route for that URI' }] });
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((err: unknown) => {
        if (!res.headersSent) {
          sendJson(res, 500, {
            success: false,
            errors: [{ code: 10001, message: `Internal error: ${message(err)}` }],
          });
        } else {
          res.destroy();
        }
      });
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(err, socket, options),
  );

  try {
    await listen(server, options.port, options.host);
  } catch (err) {
    await mock?.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const displayHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${displayHost}:${port}`,
    port,
    runtime,
    close: () => {
      closing ??= (async () => {
        stopping = true;
        await new Promise<void>((resolve) => {
          // Answers from now on say Connection: close. A keep-alive connection idle at this moment may be
          // carrying a client's next request, sent as its last answer came: closing it now would reset that
          // request unanswered. So new connections are refused at once (net's close: http's own would close
          // the idle ones too), and idle ones are closed after a moment, by when such a request has arrived
          // (and is answered with Connection: close); then each as soon as its last answer is out. Each sweep
          // runs right after the event loop has read what the sockets received (setImmediate), so a request
          // that arrived while the loop was busy is never taken for an idle connection.
          const closeIdle = () => setImmediate(() => server.closeIdleConnections());
          let sweep: NodeJS.Timeout | undefined;
          const firstSweep = setTimeout(() => {
            closeIdle();
            sweep = setInterval(closeIdle, 50).unref();
          }, IDLE_CLOSE_DELAY_MS).unref();
          NetServer.prototype.close.call(server, () => {
            clearTimeout(firstSweep);
            clearInterval(sweep);
            resolve();
          });
          // Requests in flight get the grace period to finish; what is still running then is cut (and logged
          // as cut by the proxy, not as a client that went away).
          setTimeout(() => {
            dataPlane.stopping();
            server.closeAllConnections();
          }, options.shutdownGraceMs).unref();
        });
        // None is left; this also ends http's own timer that checks connections for timeouts.
        server.closeAllConnections();
        await dataPlane.close();
        await runtime.logs.close();
        await mock?.close();
        store.close();
      })();
      return closing;
    },
  };
}

/**
 * Responses whose head is written once the proxy is stopping say `Connection: close` (and the connection closes
 * after them), so a client does not send its next request on a connection about to close, where it would be
 * reset unanswered; it opens a new one, which is refused: a request never sent.
 */
function stoppableResponse(stopping: () => boolean): typeof ServerResponse {
  return class<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    override writeHead(...args: unknown[]): this {
      if (stopping()) this.shouldKeepAlive = false;
      return (super.writeHead as (...a: unknown[]) => this).apply(this, args);
    }
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
