// The command tree: one module per noun adds its verbs. Verb implementations load on demand.
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
