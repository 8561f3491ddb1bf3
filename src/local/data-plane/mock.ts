// Deterministic mock upstream for OpenAI-, Anthropic- and Google-shaped APIs.
export interface MockUpstream {
  url: string;
  close(): Promise<void>;
}

export function startMockUpstream(_options?: { port?: number; host?: string }): Promise<MockUpstream> {
  throw new Error('not implemented yet');
}

export function mockBaseUrl(mock: MockUpstream, provider: string): string {
  return `${mock.url}/${provider}`;
}
