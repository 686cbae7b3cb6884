/**
 * The two official MCP clients behind one small interface, so each interop test runs against both:
 * SDK v1 (`@modelcontextprotocol/sdk`) and SDK v2 (`@modelcontextprotocol/client`).
 */
import {
  Client as ClientV2,
  SSEClientTransport as SSETransportV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as SSETransportV1 } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decideViaApi, type MemoryProvider } from './memory-provider';

export interface SdkClient {
  listTools(params?: { cursor?: string }): Promise<{ tools: Array<{ name: string }>; nextCursor?: string }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

export interface Sdk {
  name: 'sdk-v1' | 'sdk-v2';
  /** Connects over the legacy HTTP+SSE transport. */
  connectSse(url: string): Promise<SdkClient>;
  /** Connects once; rejects with the SDK's UnauthorizedError when the user must authorize. */
  connect(
    url: string,
    provider?: MemoryProvider,
  ): Promise<{ client: SdkClient; finishAuth(callback: URL): Promise<void> }>;
}

export const SDK_V1: Sdk = {
  name: 'sdk-v1',
  async connectSse(url) {
    const client = new ClientV1({ name: 'interop-v1', version: '1.0.0' });
    await client.connect(new SSETransportV1(new URL(url)));
    return client as unknown as SdkClient;
  },
  async connect(url, provider) {
    const transport = new TransportV1(new URL(url), provider ? { authProvider: provider as never } : {});
    const client = new ClientV1({ name: 'interop-v1', version: '1.0.0' });
    const finishAuth = (cb: URL) => transport.finishAuth(cb.searchParams.get('code') ?? '');
    try {
      await client.connect(transport);
    } catch (e) {
      throw Object.assign(e as Error, { finishAuth });
    }
    return { client: client as unknown as SdkClient, finishAuth };
  },
};

export const SDK_V2: Sdk = {
  name: 'sdk-v2',
  async connectSse(url) {
    const client = new ClientV2({ name: 'interop-v2', version: '1.0.0' });
    await client.connect(new SSETransportV2(new URL(url)));
    return client as unknown as SdkClient;
  },
  async connect(url, provider) {
    const transport = new TransportV2(new URL(url), provider ? { authProvider: provider as never } : {});
    const client = new ClientV2({ name: 'interop-v2', version: '1.0.0' });
    const finishAuth = (cb: URL) => transport.finishAuth(cb.searchParams);
    try {
      await client.connect(transport);
    } catch (e) {
      throw Object.assign(e as Error, { finishAuth });
    }
    return { client: client as unknown as SdkClient, finishAuth };
  },
};

export const SDKS: readonly Sdk[] = [SDK_V1, SDK_V2];

/** Connects the way an app does: try, send the user to consent on a 401, finish the flow, connect again. */
export async function connectWithOAuth(
  sdk: Sdk,
  url: string,
  provider: MemoryProvider,
  decision: { scopes?: string[] } = {},
): Promise<SdkClient> {
  try {
    return (await sdk.connect(url, provider)).client;
  } catch (e) {
    const finishAuth = (e as { finishAuth?: (cb: URL) => Promise<void> }).finishAuth;
    if (!finishAuth || !/unauthorized/i.test(String((e as Error).name) + String((e as Error).message)))
      throw e;
    const callback = await decideViaApi(provider.lastAuthorizationUrl, 'approve', decision);
    await finishAuth(callback);
    return (await sdk.connect(url, provider)).client;
  }
}

/** Every tool, following `nextCursor` (SDK v1 returns one page per call). */
export async function listAllTools(client: SdkClient): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    names.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

/** Waits until `check` holds, polling every 5 ms, or fails after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('Timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
