// Schema migrations, applied in order; the index + 1 is the schema version (PRAGMA user_version).
// Never edit a migration that has shipped: append a new one.

export const migrations: string[] = [
  // 1: gateways, logs, cache
  `
  CREATE TABLE gateways (
    account_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    config      TEXT NOT NULL,          -- JSON: every gateway field except id and timestamps
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE logs (
    seq                    INTEGER PRIMARY KEY,   -- insertion order; id is the public ULID
    id                     TEXT NOT NULL UNIQUE,
    account_id             TEXT NOT NULL,
    gateway_id             TEXT NOT NULL,
    created_at             TEXT NOT NULL,         -- RFC 3339
    created_ms             INTEGER NOT NULL,
    provider               TEXT NOT NULL,
    model                  TEXT NOT NULL,
    model_type             TEXT,
    path                   TEXT NOT NULL,
    request_type           TEXT,
    status_code            INTEGER,
    success                INTEGER NOT NULL,
    cached                 INTEGER NOT NULL,
    duration               INTEGER NOT NULL,
    tokens_in              INTEGER,
    tokens_out             INTEGER,
    cost                   REAL,
    custom_cost            INTEGER NOT NULL DEFAULT 0,
    metadata               TEXT,                  -- JSON object string, as Cloudflare returns it
    step                   INTEGER,
    event_id               TEXT,
    feedback               INTEGER,
    score                  REAL,
    user_agent             TEXT,
    authentication         INTEGER NOT NULL DEFAULT 0,
    request_content_type   TEXT,
    response_content_type  TEXT,
    request_size           INTEGER,
    response_size          INTEGER,
    request_head           TEXT,
    response_head          TEXT,
    request_head_complete  INTEGER NOT NULL DEFAULT 1,
    response_head_complete INTEGER NOT NULL DEFAULT 1,
    request_body           BLOB,
    response_body          BLOB,
    error                  TEXT                   -- gateway-side failure (reset, timeout, client abort)
  );
  CREATE INDEX logs_by_gateway_time ON logs (account_id, gateway_id, created_ms);
  CREATE INDEX logs_by_gateway_provider ON logs (account_id, gateway_id, provider, created_ms);
  CREATE INDEX logs_by_gateway_model ON logs (account_id, gateway_id, model, created_ms);
  CREATE INDEX logs_by_gateway_success ON logs (account_id, gateway_id, success, created_ms);
  CREATE INDEX logs_by_event ON logs (event_id) WHERE event_id IS NOT NULL;

  CREATE TABLE cache_entries (
    key         TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    provider    TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL,              -- JSON array of [name, value]
    body        BLOB NOT NULL,
    streamed    INTEGER NOT NULL DEFAULT 0,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    model       TEXT
  ) WITHOUT ROWID;
  CREATE INDEX cache_by_gateway ON cache_entries (account_id, gateway_id);
  CREATE INDEX cache_by_expiry ON cache_entries (expires_ms);
  `,
  // 2: account-level custom providers (`custom-{slug}` on the data plane)
  `
  CREATE TABLE custom_providers (
    account_id   TEXT NOT NULL,
    id           TEXT NOT NULL,                 -- uuid
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    base_url     TEXT NOT NULL,
    headers      TEXT,                          -- JSON object string, as given
    description  TEXT,
    enable       INTEGER NOT NULL DEFAULT 1,
    beta         INTEGER NOT NULL DEFAULT 0,
    position     INTEGER NOT NULL DEFAULT 0,
    link         TEXT,
    logo         TEXT,
    curl_example TEXT,
    js_example   TEXT,
    created_at   TEXT NOT NULL,
    modified_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, slug)
  ) WITHOUT ROWID;
  CREATE INDEX cache_by_provider ON cache_entries (account_id, provider);
  `,
  // 3: pricing rules of custom providers (deleted with their provider)
  `
  CREATE TABLE custom_provider_costs (
    account_id          TEXT NOT NULL,
    id                  TEXT NOT NULL,          -- uuid
    account_provider_id TEXT NOT NULL,          -- custom_providers.id
    model               TEXT NOT NULL,
    model_rule          TEXT NOT NULL,          -- equals | starts-with | contains
    cost_type           TEXT NOT NULL,
    cost_in             REAL,
    cost_out            REAL,
    enable              INTEGER NOT NULL DEFAULT 1,
    token_pricing       TEXT,                   -- JSON object string
    changed_by          TEXT NOT NULL DEFAULT 'manual',
    created_at          TEXT NOT NULL,
    modified_at         TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, account_provider_id) REFERENCES custom_providers (account_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX custom_provider_costs_by_provider ON custom_provider_costs (account_id, account_provider_id);
  `,
  // 4: indexes for the logs API's filters and orders (cached; feedback, which few logs have)
  `
  CREATE INDEX logs_by_gateway_cached ON logs (account_id, gateway_id, cached, created_ms);
  CREATE INDEX logs_by_gateway_feedback ON logs (account_id, gateway_id, feedback, created_ms)
    WHERE feedback IS NOT NULL;
  `,
  // 5: analytics (the GraphQL dataset aiGatewayRequestsAdaptiveGroups). One row per request, kept when its log
  // is deleted or was never collected, as Cloudflare's analytics are; costs in integer picodollars so sums are
  // exact. An hourly rollup, kept by a trigger, answers grouped sums without reading every request.
  `
  CREATE TABLE analytics_requests (
    seq         INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    cached      INTEGER NOT NULL,
    errored     INTEGER NOT NULL,
    tokens_in   INTEGER NOT NULL,
    tokens_out  INTEGER NOT NULL,
    cost_pico   INTEGER NOT NULL,
    metadata    TEXT
  );
  CREATE INDEX analytics_requests_by_time ON analytics_requests (account_id, created_ms);
  CREATE TABLE analytics_hours (
    account_id          TEXT NOT NULL,
    bucket_ms           INTEGER NOT NULL,         -- the hour, epoch ms
    gateway_id          TEXT NOT NULL,
    provider            TEXT NOT NULL,
    model               TEXT NOT NULL,
    requests            INTEGER NOT NULL,
    cached_requests     INTEGER NOT NULL,
    errored_requests    INTEGER NOT NULL,
    cached_tokens_in    INTEGER NOT NULL,
    cached_tokens_out   INTEGER NOT NULL,
    uncached_tokens_in  INTEGER NOT NULL,
    uncached_tokens_out INTEGER NOT NULL,
    cost_pico           INTEGER NOT NULL,
    PRIMARY KEY (account_id, bucket_ms, gateway_id, provider, model)
  ) WITHOUT ROWID;
  CREATE TRIGGER analytics_hours_add AFTER INSERT ON analytics_requests BEGIN
    INSERT INTO analytics_hours VALUES (NEW.account_id, NEW.created_ms - NEW.created_ms % 3600000, NEW.gateway_id,
      NEW.provider, NEW.model, 1, NEW.cached, NEW.errored, NEW.cached * NEW.tokens_in, NEW.cached * NEW.tokens_out,
      (1 - NEW.cached) * NEW.tokens_in, (1 - NEW.cached) * NEW.tokens_out, NEW.cost_pico)
    ON CONFLICT DO UPDATE SET requests = requests + 1, cached_requests = cached_requests + excluded.cached_requests,
      errored_requests = errored_requests + excluded.errored_requests,
      cached_tokens_in = cached_tokens_in + excluded.cached_tokens_in,
      cached_tokens_out = cached_tokens_out + excluded.cached_tokens_out,
      uncached_tokens_in = uncached_tokens_in + excluded.uncached_tokens_in,
      uncached_tokens_out = uncached_tokens_out + excluded.uncached_tokens_out,
      cost_pico = cost_pico + excluded.cost_pico;
  END;
  CREATE TRIGGER logs_counted AFTER INSERT ON logs BEGIN
    INSERT INTO analytics_requests (account_id, gateway_id, created_ms, provider, model, cached, errored, tokens_in,
      tokens_out, cost_pico, metadata)
    VALUES (NEW.account_id, NEW.gateway_id, NEW.created_ms, NEW.provider, NEW.model, NEW.cached, NEW.success = 0,
      coalesce(NEW.tokens_in, 0), coalesce(NEW.tokens_out, 0), coalesce(CAST(round(NEW.cost * 1e12) AS INTEGER), 0),
      NEW.metadata);
  END;
  -- Logs stored before this version count too.
  INSERT INTO analytics_requests (account_id, gateway_id, created_ms, provider, model, cached, errored, tokens_in,
    tokens_out, cost_pico, metadata)
  SELECT account_id, gateway_id, created_ms, provider, model, cached, success = 0, coalesce(tokens_in, 0),
    coalesce(tokens_out, 0), coalesce(CAST(round(cost * 1e12) AS INTEGER), 0), metadata FROM logs ORDER BY seq;
  `,
  // 6: what the log writer inserts into: a log row, or for a request whose log is not kept (collect_logs off,
  // cf-aig-collect-log: false, a full STOP_INSERTING gateway) only its analytics row, as keep_log says.
  `
  CREATE VIEW log_writes AS SELECT logs.*, 1 AS keep_log FROM logs WHERE 0;
  CREATE TRIGGER log_writes_insert INSTEAD OF INSERT ON log_writes BEGIN
    INSERT INTO logs (id, account_id, gateway_id, created_at, created_ms, provider, model, model_type, path, request_type,
      status_code, success, cached, duration, tokens_in, tokens_out, cost, custom_cost, metadata, step, event_id,
      user_agent, authentication, request_content_type, response_content_type, request_size, response_size,
      request_head, response_head, request_body, response_body, error)
    SELECT NEW.id, NEW.account_id, NEW.gateway_id, NEW.created_at, NEW.created_ms, NEW.provider, NEW.model,
      NEW.model_type, NEW.path, NEW.request_type, NEW.status_code, NEW.success, NEW.cached, NEW.duration,
      NEW.tokens_in, NEW.tokens_out, NEW.cost, NEW.custom_cost, NEW.metadata, NEW.step, NEW.event_id,
      NEW.user_agent, NEW.authentication, NEW.request_content_type, NEW.response_content_type, NEW.request_size,
      NEW.response_size, NEW.request_head, NEW.response_head, NEW.request_body, NEW.response_body, NEW.error
    WHERE NEW.keep_log;
    INSERT INTO analytics_requests (account_id, gateway_id, created_ms, provider, model, cached, errored, tokens_in,
      tokens_out, cost_pico, metadata)
    SELECT NEW.account_id, NEW.gateway_id, NEW.created_ms, NEW.provider, NEW.model, NEW.cached, NEW.success = 0,
      coalesce(NEW.tokens_in, 0), coalesce(NEW.tokens_out, 0), coalesce(CAST(round(NEW.cost * 1e12) AS INTEGER), 0),
      NEW.metadata
    WHERE NOT NEW.keep_log;
  END;
  `,
  // 7: the logs API's plans. The time index becomes a covering one for the numbers filters and the min/max
  // summary read, so a count over them scans the index instead of the rows and their bodies. The query planner
  // is given fixed statistics describing a large store (many logs per gateway, few per event id or with
  // feedback), so that it picks the same plans from the first log on instead of, say, walking a million logs
  // in time order to find one event id (sqlite_stat1 may be written by hand:
  // https://sqlite.org/queryplanner-ng.html#howtofix).
  `
  DROP INDEX logs_by_gateway_time;
  CREATE INDEX logs_by_gateway_time ON logs (account_id, gateway_id, created_ms, seq, cost, duration,
    tokens_in, tokens_out, success, cached, feedback);
  ANALYZE logs_by_event;
  DELETE FROM sqlite_stat1 WHERE tbl = 'logs';
  INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('logs', 'sqlite_autoindex_logs_1', '1000000 1'),
    ('logs', 'logs_by_gateway_time', '1000000 500000 500000 1 1 1 1 1 1 1 1 1'),
    ('logs', 'logs_by_gateway_provider', '1000000 500000 500000 100000 1'),
    ('logs', 'logs_by_gateway_model', '1000000 500000 500000 50000 1'),
    ('logs', 'logs_by_gateway_success', '1000000 500000 500000 250000 1'),
    ('logs', 'logs_by_gateway_cached', '1000000 500000 500000 250000 1'),
    ('logs', 'logs_by_gateway_feedback', '1000 500 500 300 1'),
    ('logs', 'logs_by_event', '10000 2');
  ANALYZE sqlite_schema;
  `,
  // 8: the log writer stores analytics rows itself and folds each batch into the hourly rollup (per-row
  // triggers cost as much as the log insert); the mark says how far the rollup has got.
  `
  DROP TRIGGER log_writes_insert;
  DROP VIEW log_writes;
  DROP TRIGGER logs_counted;
  DROP TRIGGER analytics_hours_add;
  CREATE TABLE analytics_rolled (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL                      -- analytics_requests up to this seq are in analytics_hours
  );
  INSERT INTO analytics_rolled VALUES (1, (SELECT coalesce(max(seq), 0) FROM analytics_requests));
  `,
  // 9: datasets (a gateway's saved log filters) and evaluations (a snapshot of those logs' cost, speed and
  // feedback), deleted with their gateway. An evaluation keeps copies of its datasets as they were, and its
  // results as JSON; `until_ms` bounds the logs it reads to those written when it was created.
  `
  CREATE TABLE datasets (
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    enable      INTEGER NOT NULL,
    filters     TEXT NOT NULL,                  -- JSON array of {key, operator, value}
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (account_id, gateway_id, id),
    FOREIGN KEY (account_id, gateway_id) REFERENCES gateways (account_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE TABLE evaluations (
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    datasets    TEXT NOT NULL,                  -- JSON array: the datasets as they were at creation
    until_ms    INTEGER NOT NULL,
    processed   INTEGER NOT NULL DEFAULT 0,
    total_logs  INTEGER NOT NULL DEFAULT 0,
    results     TEXT NOT NULL,                  -- JSON array of aig_EvaluationResult, one per type
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (account_id, gateway_id, id),
    FOREIGN KEY (account_id, gateway_id) REFERENCES gateways (account_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  `,
  // 10: provider keys (BYOK). A gateway's provider configs go with it; the secrets they use live in a table of
  // their own that nothing else reads, and a secret no config uses any more is deleted with its last config.
  `
  CREATE TABLE provider_configs (
    account_id        TEXT NOT NULL,
    gateway_id        TEXT NOT NULL,
    id                TEXT NOT NULL,
    provider_slug     TEXT NOT NULL,
    alias             TEXT NOT NULL,
    default_config    INTEGER NOT NULL,
    secret_id         TEXT NOT NULL,          -- provider_secrets.id
    rate_limit        REAL,
    rate_limit_period REAL NOT NULL,
    created_at        TEXT NOT NULL,
    modified_at       TEXT NOT NULL,
    PRIMARY KEY (account_id, gateway_id, id),
    UNIQUE (account_id, gateway_id, provider_slug, alias),
    FOREIGN KEY (account_id, gateway_id) REFERENCES gateways (account_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX provider_configs_by_secret ON provider_configs (account_id, secret_id);
  CREATE TABLE provider_secrets (
    account_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    value       TEXT NOT NULL,
    preview     TEXT NOT NULL,                -- what the API shows instead of the value
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE TRIGGER provider_secrets_unused AFTER DELETE ON provider_configs BEGIN
    DELETE FROM provider_secrets WHERE account_id = OLD.account_id AND id = OLD.secret_id
      AND NOT EXISTS (SELECT 1 FROM provider_configs WHERE account_id = OLD.account_id AND secret_id = OLD.secret_id);
  END;
  `,
  // 11: dynamic routes. A route belongs to a gateway (deleted with it); its versions are its flows, in order, and
  // its deployments say which version ran when (the newest is the one deployed).
  `
  CREATE TABLE routes (
    seq         INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    UNIQUE (account_id, gateway_id, id),
    UNIQUE (account_id, gateway_id, name),
    FOREIGN KEY (account_id, gateway_id) REFERENCES gateways (account_id, id) ON DELETE CASCADE
  );
  CREATE TABLE route_versions (
    seq         INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    route_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    elements    TEXT NOT NULL,          -- JSON array, as the API returns it
    is_valid    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, gateway_id, route_id, id),
    FOREIGN KEY (account_id, gateway_id, route_id) REFERENCES routes (account_id, gateway_id, id) ON DELETE CASCADE
  );
  CREATE TABLE route_deployments (
    seq         INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    gateway_id  TEXT NOT NULL,
    route_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    version_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, gateway_id, route_id, id),
    FOREIGN KEY (account_id, gateway_id, route_id) REFERENCES routes (account_id, gateway_id, id) ON DELETE CASCADE
  );
  `,
  // 12: which dynamic route served a log: the route's name when it ran (a later rename does not rewrite
  // history), the version deployed then and the model element tried. Null for requests outside a route.
  `
  ALTER TABLE logs ADD COLUMN route_name TEXT;
  ALTER TABLE logs ADD COLUMN route_version TEXT;
  ALTER TABLE logs ADD COLUMN route_element TEXT;
  `,
];
