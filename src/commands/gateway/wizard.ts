// The questions `gateway create` asks in a terminal: the id when none was given, and the main settings
// when no setting flag was given.
import type { Prompter } from '../../io/prompter.js';
import { parseDuration, parseRateLimit } from '../../io/values.js';
import { gatewayIdProblem, gatewayIdRule } from '../args/gateway.js';
import type { Settings } from './spec.js';

const valid = (parse: (text: string) => unknown) => (text: string) => {
  try {
    parse(text);
    return true;
  } catch (err) {
    return (err as Error).message;
  }
};

export async function askGatewayId(prompter: Prompter): Promise<string> {
  const id = await prompter.input({
    message: 'Gateway id? (e.g. prod-chat)',
    validate: (text) => {
      const problem = gatewayIdProblem(text.trim());
      return problem === null ? true : `Not a gateway id ${problem}: use ${gatewayIdRule}`;
    },
  });
  return id.trim();
}

export async function gatewayWizard(prompter: Prompter): Promise<Settings> {
  const ttl = await prompter.input({
    message: 'Cache responses for how long? (e.g. 5m, 1h; 0 = no caching)',
    default: '0',
    validate: valid((t) => parseDuration(t, 's')),
  });
  const rate = await prompter.input({
    message: 'Rate limit? (requests/interval, e.g. 100/60s; off = none)',
    default: 'off',
    validate: valid(parseRateLimit),
  });
  const { limit, interval } = parseRateLimit(rate);
  const technique =
    limit > 0
      ? await prompter.select<'fixed' | 'sliding'>({
          message: 'Rate limit window',
          choices: [
            { name: 'fixed', value: 'fixed', description: 'counts reset at the start of each interval' },
            { name: 'sliding', value: 'sliding', description: 'counts the last interval at any moment' },
          ],
          default: 'fixed',
        })
      : 'fixed';
  const collectLogs = await prompter.confirm({ message: 'Collect logs of every request?', default: true });
  const authentication = await prompter.confirm({
    message: 'Require a gateway token from callers (authenticated gateway)?',
    default: false,
  });
  return {
    cache_ttl: parseDuration(ttl, 's'),
    rate_limiting_limit: limit,
    rate_limiting_interval: interval,
    rate_limiting_technique: technique,
    collect_logs: collectLogs,
    authentication,
  };
}
