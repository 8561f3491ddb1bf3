// The command tree: one module per noun adds its verbs. Verb implementations load on demand.
//
// How every noun defines its verbs (copy gateway/ when adding one):
// - <noun>/index.ts registers the verbs (commander definitions, help, examples) and nothing else; each action
//   imports its verb's module when it runs (start-up budget) and calls `<verb>Command(args..., flags, ctx)`.
// - <noun>/<verb>.ts exports `<verb>Command`: flags -> options, then the work (a private `run<Verb>(options, ctx)`
//   that returns data, where there is more than a call to make), then output. One-verb nouns name it after the
//   noun (`costsCommand`, `requestCommand`, `proxyCommand`); a noun inside a noun prefixes its own
//   (`providers costs add` -> `costsAddCommand`).
// - Output: data on stdout through src/io's renderers (`--json`: the object; piped: rows, or the id of what
//   changed); then, for a verb that changed something, one `ctx.io.success('<Did what> <to what>.')`: a past-tense
//   sentence that src/io shows on stderr in a terminal only, never with --json. Other messages (nothing to do,
//   hints, warnings) go to stderr with ctx.io.err / ctx.io.warn; a command to paste is ctx.hint('<command>').
// - What several nouns share lives in args/ (arguments: the gateway, `[gateway] <id>`, log filter flags, secrets,
//   tokens), src/io or src/config, never in another noun's folder.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { registerAuth } from './auth/index.js';
import { registerCassettes } from './cassettes/index.js';
import { registerCompletion } from './completion.js';
import { registerCosts } from './costs/index.js';
import { registerDatasets } from './datasets/index.js';
import { registerEvals } from './evals/index.js';
import { registerGateway } from './gateway/index.js';
import { registerHelpTopics } from './help.js';
import { registerKeys } from './keys/index.js';
import { registerLogs } from './logs/index.js';
import { registerProfile } from './profile/index.js';
import { registerProviders } from './providers/index.js';
import { registerProxy } from './proxy.js';
import { registerRequest } from './request.js';
import { registerRoutes } from './routes/index.js';

export function registerCommands(program: Command, ctx: Context): void {
  registerGateway(program, ctx);
  registerLogs(program, ctx);
  registerDatasets(program, ctx);
  registerEvals(program, ctx);
  registerKeys(program, ctx);
  registerProviders(program, ctx);
  registerProxy(program, ctx);
  registerRequest(program, ctx);
  registerRoutes(program, ctx);
  registerCosts(program, ctx);
  registerCassettes(program, ctx);
  registerAuth(program, ctx);
  registerProfile(program, ctx);
  registerCompletion(program, ctx);
  registerHelpTopics(program, ctx);
}
