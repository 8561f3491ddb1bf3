// Dynamic routes in the store: routes (per gateway, unique by name), their versions (each a flow) and their
// deployments (the newest names the version that runs). Creating a route saves its flow as version 1 and deploys
// it, as Cloudflare does. The data plane looks a route up by name on every `dynamic/{name}` request, through a
// map every write keeps current; deleting a gateway deletes its routes (a foreign key) and forgets them here.
import { randomUUID } from 'node:crypto';
import type { Element } from '../../flow/elements.js';
import type { Store } from './db.js';
import type { GatewayRepository } from './gateways.js';

export interface RouteVersion {
  id: string;
  /** The flow, as stored (the API's `data` is this JSON text). */
  elements: Element[];
  data: string;
  isValid: boolean;
  createdAt: string;
}

export interface RouteDeployment {
  id: string;
  versionId: string;
  createdAt: string;
}

/** A route with the version it runs and the deployment that made it run. */
export interface StoredRoute {
  id: string;
  name: string;
  gatewayId: string;
  createdAt: string;
  modifiedAt: string;
  version: RouteVersion;
  deployment: RouteDeployment;
}

export interface Page {
  limit: number;
  offset: number;
}

interface RouteRow {
  id: string;
  name: string;
  gateway_id: string;
  created_at: string;
  modified_at: string;
}

interface VersionRow {
  id: string;
  elements: string;
  is_valid: number;
  created_at: string;
}

interface DeploymentRow {
  id: string;
  version_id: string;
  created_at: string;
}

/** Remembered lookups per gateway; past this many gateways the map starts over. */
const MEMO_GATEWAYS = 1024;

export class RouteRepository {
  private readonly byName = new Map<string, Map<string, StoredRoute | null>>();

  constructor(
    private readonly store: Store,
    gateways: GatewayRepository,
  ) {
    gateways.onChange((accountId, before, after) => {
      if (before && !after) this.byName.delete(gatewayKey(accountId, before.id));
    });
  }

  list(accountId: string, gatewayId: string, page: Page): StoredRoute[] {
    const rows = this.store
      .statement(
        `SELECT id, name, gateway_id, created_at, modified_at FROM routes WHERE account_id = ? AND gateway_id = ?
         ORDER BY seq DESC LIMIT ? OFFSET ?`,
      )
      .all(accountId, gatewayId, page.limit, page.offset) as unknown as RouteRow[];
    return rows.map((row) => this.complete(accountId, row));
  }

  count(accountId: string, gatewayId: string): number {
    return this.countOf('routes', 'account_id = ? AND gateway_id = ?', accountId, gatewayId);
  }

  get(accountId: string, gatewayId: string, id: string): StoredRoute | null {
    const row = this.store
      .statement(
        `SELECT id, name, gateway_id, created_at, modified_at FROM routes
         WHERE account_id = ? AND gateway_id = ? AND id = ?`,
      )
      .get(accountId, gatewayId, id) as RouteRow | undefined;
    return row ? this.complete(accountId, row) : null;
  }

  /** The route a `dynamic/{name}` request names, with the version it runs (null: there is none). */
  deployedByName(accountId: string, gatewayId: string, name: string): StoredRoute | null {
    const key = gatewayKey(accountId, gatewayId);
    let names = this.byName.get(key);
    const hit = names?.get(name);
    if (hit !== undefined) return hit;
    const row = this.store
      .statement(
        `SELECT id, name, gateway_id, created_at, modified_at FROM routes
         WHERE account_id = ? AND gateway_id = ? AND name = ?`,
      )
      .get(accountId, gatewayId, name) as RouteRow | undefined;
    const route = row ? this.complete(accountId, row) : null;
    if (!names) {
      if (this.byName.size >= MEMO_GATEWAYS) this.byName.clear();
      names = new Map();
      this.byName.set(key, names);
    }
    // Unknown names are remembered too; a client naming random routes only grows its own gateway's map.
    if (names.size >= MEMO_GATEWAYS) names.clear();
    names.set(name, route);
    return route;
  }

  /** A new route with its flow as version 1, deployed; 'name-taken' when the gateway has a route by that name. */
  create(
    accountId: string,
    gatewayId: string,
    name: string,
    elements: Element[],
    isValid: boolean,
    now: Date,
  ): StoredRoute | 'name-taken' {
    const id = randomUUID();
    const stamp = now.toISOString();
    return this.write(accountId, gatewayId, [name], () => {
      const inserted = this.store
        .statement(
          `INSERT INTO routes (account_id, gateway_id, id, name, created_at, modified_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(accountId, gatewayId, id, name, stamp, stamp);
      if (inserted.changes === 0) return 'name-taken';
      const version = this.insertVersion(accountId, gatewayId, id, elements, isValid, stamp);
      this.insertDeployment(accountId, gatewayId, id, version.id, stamp);
      return this.get(accountId, gatewayId, id)!;
    });
  }

  rename(
    accountId: string,
    gatewayId: string,
    id: string,
    name: string,
    now: Date,
  ): StoredRoute | 'name-taken' | null {
    const before = this.get(accountId, gatewayId, id);
    if (!before) return null;
    if (before.name === name) return before;
    return this.write(accountId, gatewayId, [before.name, name], () => {
      const taken = this.store
        .statement('SELECT 1 FROM routes WHERE account_id = ? AND gateway_id = ? AND name = ?')
        .get(accountId, gatewayId, name);
      if (taken) return 'name-taken';
      this.store
        .statement(
          'UPDATE routes SET name = ?, modified_at = ? WHERE account_id = ? AND gateway_id = ? AND id = ?',
        )
        .run(name, now.toISOString(), accountId, gatewayId, id);
      return this.get(accountId, gatewayId, id)!;
    });
  }

  /** Deletes a route with its versions and deployments; returns what it was, or null. */
  delete(accountId: string, gatewayId: string, id: string): StoredRoute | null {
    const before = this.get(accountId, gatewayId, id);
    if (!before) return null;
    return this.write(accountId, gatewayId, [before.name], () => {
      this.store
        .statement('DELETE FROM routes WHERE account_id = ? AND gateway_id = ? AND id = ?')
        .run(accountId, gatewayId, id);
      return before;
    });
  }

  /** Versions, newest first. */
  versions(accountId: string, gatewayId: string, routeId: string, page: Page): RouteVersion[] {
    const rows = this.pageOf<VersionRow>('route_versions', 'id, elements, is_valid, created_at', page, [
      accountId,
      gatewayId,
      routeId,
    ]);
    return rows.map(versionOf);
  }

  countVersions(accountId: string, gatewayId: string, routeId: string): number {
    return this.countOf(
      'route_versions',
      'account_id = ? AND gateway_id = ? AND route_id = ?',
      accountId,
      gatewayId,
      routeId,
    );
  }

  version(accountId: string, gatewayId: string, routeId: string, versionId: string): RouteVersion | null {
    const row = this.store
      .statement(
        `SELECT id, elements, is_valid, created_at FROM route_versions
         WHERE account_id = ? AND gateway_id = ? AND route_id = ? AND id = ?`,
      )
      .get(accountId, gatewayId, routeId, versionId) as VersionRow | undefined;
    return row ? versionOf(row) : null;
  }

  /** Saves a flow as the route's newest version (not deployed); null when the route does not exist. */
  addVersion(
    accountId: string,
    gatewayId: string,
    routeId: string,
    elements: Element[],
    isValid: boolean,
    now: Date,
  ): RouteVersion | null {
    const route = this.get(accountId, gatewayId, routeId);
    if (!route) return null;
    const stamp = now.toISOString();
    return this.write(accountId, gatewayId, [], () => {
      const version = this.insertVersion(accountId, gatewayId, routeId, elements, isValid, stamp);
      this.touch(accountId, gatewayId, routeId, stamp);
      return version;
    });
  }

  /** Deployments, newest first. */
  deployments(accountId: string, gatewayId: string, routeId: string, page: Page): RouteDeployment[] {
    const rows = this.pageOf<DeploymentRow>('route_deployments', 'id, version_id, created_at', page, [
      accountId,
      gatewayId,
      routeId,
    ]);
    return rows.map(deploymentOf);
  }

  countDeployments(accountId: string, gatewayId: string, routeId: string): number {
    return this.countOf(
      'route_deployments',
      'account_id = ? AND gateway_id = ? AND route_id = ?',
      accountId,
      gatewayId,
      routeId,
    );
  }

  /** Makes a version of the route the one that runs; the caller checked that both exist. */
  deploy(
    accountId: string,
    gatewayId: string,
    route: StoredRoute,
    versionId: string,
    now: Date,
  ): StoredRoute {
    const stamp = now.toISOString();
    return this.write(accountId, gatewayId, [route.name], () => {
      this.insertDeployment(accountId, gatewayId, route.id, versionId, stamp);
      this.touch(accountId, gatewayId, route.id, stamp);
      return this.get(accountId, gatewayId, route.id)!;
    });
  }

  /** Runs a write in a transaction, then forgets the lookups of the route names it touched. */
  private write<T>(accountId: string, gatewayId: string, names: string[], what: () => T): T {
    const { db } = this.store;
    db.exec('BEGIN');
    let result: T;
    try {
      result = what();
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    const memo = this.byName.get(gatewayKey(accountId, gatewayId));
    for (const name of names) memo?.delete(name);
    return result;
  }

  private insertVersion(
    accountId: string,
    gatewayId: string,
    routeId: string,
    elements: Element[],
    isValid: boolean,
    stamp: string,
  ): RouteVersion {
    const row: VersionRow = {
      id: randomUUID(),
      elements: JSON.stringify(elements),
      is_valid: isValid ? 1 : 0,
      created_at: stamp,
    };
    this.store
      .statement(
        `INSERT INTO route_versions (account_id, gateway_id, route_id, id, elements, is_valid, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(accountId, gatewayId, routeId, row.id, row.elements, row.is_valid, row.created_at);
    return versionOf(row);
  }

  private insertDeployment(
    accountId: string,
    gatewayId: string,
    routeId: string,
    versionId: string,
    stamp: string,
  ): void {
    this.store
      .statement(
        `INSERT INTO route_deployments (account_id, gateway_id, route_id, id, version_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(accountId, gatewayId, routeId, randomUUID(), versionId, stamp);
  }

  private touch(accountId: string, gatewayId: string, routeId: string, stamp: string): void {
    this.store
      .statement('UPDATE routes SET modified_at = ? WHERE account_id = ? AND gateway_id = ? AND id = ?')
      .run(stamp, accountId, gatewayId, routeId);
  }

  /** A route row with its deployed version and latest deployment (every route has one: create deploys). */
  private complete(accountId: string, row: RouteRow): StoredRoute {
    const deployment = this.store
      .statement(
        `SELECT id, version_id, created_at FROM route_deployments
         WHERE account_id = ? AND gateway_id = ? AND route_id = ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(accountId, row.gateway_id, row.id) as unknown as DeploymentRow;
    const version = this.version(accountId, row.gateway_id, row.id, deployment.version_id)!;
    return {
      id: row.id,
      name: row.name,
      gatewayId: row.gateway_id,
      createdAt: row.created_at,
      modifiedAt: row.modified_at,
      version,
      deployment: deploymentOf(deployment),
    };
  }

  /** A page of a route's versions or deployments, newest first. */
  private pageOf<T>(table: string, columns: string, page: Page, route: [string, string, string]): T[] {
    return this.store
      .statement(
        `SELECT ${columns} FROM ${table} WHERE account_id = ? AND gateway_id = ? AND route_id = ?
         ORDER BY seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...route, page.limit, page.offset) as unknown as T[];
  }

  private countOf(table: string, where: string, ...params: string[]): number {
    const row = this.store.statement(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as {
      n: number;
    };
    return row.n;
  }
}

function gatewayKey(accountId: string, gatewayId: string): string {
  return `${accountId}\u0000${gatewayId}`;
}

function versionOf(row: VersionRow): RouteVersion {
  return {
    id: row.id,
    elements: JSON.parse(row.elements) as Element[],
    data: row.elements,
    isValid: row.is_valid === 1,
    createdAt: row.created_at,
  };
}

function deploymentOf(row: DeploymentRow): RouteDeployment {
  return { id: row.id, versionId: row.version_id, createdAt: row.created_at };
}
