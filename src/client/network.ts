// Why a request got no answer. fetch says only "fetch failed"; the reason is a code further down its
// chain of causes (ECONNREFUSED, ENOTFOUND, a TLS verification code...), said here in words. Messages
// taken from the chain may hold URLs, so credentials in them are masked before anything shows them.
import { maskUrlCredentials } from '../io/url-credentials.js';

export interface NetworkFailure {
  /** The system or TLS code, e.g. ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT, when there is one. */
  code?: string;
  /** What it means, for "Could not reach host: <text>." */
  text: string;
  /** The server's certificate was refused. */
  tls: boolean;
}

const meanings: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing is listening there)',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up (DNS did not answer)',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server accepted the connection but did not answer in time',
  ECONNRESET: 'the server closed the connection (reset)',
  UND_ERR_SOCKET: 'the server closed the connection before answering',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the server closed the connection while the request was sent',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS failed: the server does not speak https there (try http://)',
  EPROTO: 'TLS failed: the server does not speak https there (try http://)',
};

const certificateMeanings: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed, so it is not trusted",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's TLS certificate chain ends in a certificate authority that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's TLS certificate could not be verified (its issuer is not trusted)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the server's TLS certificate could not be verified (its issuer is not trusted)",
  UNABLE_TO_GET_ISSUER_CERT: "the server's TLS certificate could not be verified (its issuer is unknown)",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  CERT_NOT_YET_VALID: "the server's TLS certificate is not valid yet (check the clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host name",
};

/** The first code in the error's chain of causes (and AggregateError's errors) that says why, if any. */
export function networkFailure(err: unknown): NetworkFailure | undefined {
  let fallback: NetworkFailure | undefined;
  for (const item of chain(err)) {
    // fetch's own refusal of the ports the Fetch standard blocks (1, 22, 25...) has no code.
    if (item instanceof Error && item.message === 'bad port')
      return { text: 'fetch never connects to this port (the Fetch standard blocks it)', tls: false };
    const code = (item as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (certificateMeanings[code]) return { code, text: certificateMeanings[code], tls: true };
    if (meanings[code]) return { code, text: meanings[code], tls: false };
    // Another TLS verification failure (Node's codes for them are OpenSSL's names, all upper case).
    if (/CERT|SIGNATURE/.test(code))
      return { code, text: "the server's TLS certificate was not accepted", tls: true };
    fallback ??= { code, text: 'the connection failed', tls: false };
  }
  return fallback;
}

/** The messages down the chain, for --debug: "fetch failed: connect ECONNREFUSED 127.0.0.1:1". */
export function describeChain(err: unknown): string {
  const messages: string[] = [];
  for (const item of chain(err)) {
    const message = item instanceof Error ? item.message : String(item);
    if (message && !messages.includes(message)) messages.push(message);
  }
  return maskUrlCredentials(messages.join(': '));
}

function* chain(err: unknown): Generator<unknown> {
  const queue = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === undefined || item === null || seen.has(item)) continue;
    seen.add(item);
    yield item;
    if (item instanceof AggregateError) queue.push(...item.errors);
    if (item instanceof Error) queue.push(item.cause);
  }
}
