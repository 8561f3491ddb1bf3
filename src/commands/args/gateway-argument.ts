// The gateway argument of every command that works on one gateway, as commander declares it: optional,
// because the profile's default gateway stands in for it (resolveGateway in gateway.ts), and completed
// with the gateway ids of the target by the shell completion scripts.
import { Argument } from 'commander';
import { completeWith } from '../../completion/dynamic.js';

export function gatewayArgument(name = 'gateway'): Argument {
  return completeWith(
    new Argument(`[${name}]`, "gateway id (default: the profile's default gateway)"),
    'gateways',
  );
}
