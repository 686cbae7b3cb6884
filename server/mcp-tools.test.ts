import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleAppHtml } from '../mocks/apps';
import { buildMcpServer, CARD_URI } from './mcp-tools';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function connected(): Promise<Client> {
  const server = buildMcpServer(new Map());
  const client = new Client({ name: 'mcp-tools-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  open.push(server, client);
  return client;
}

describe('the reference server’s MCP App', () => {
  it('A2: show_card points at ui://reference/card.html, an mcp-app resource serving the built card', async () => {
    const client = await connected();
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'show_card')?._meta).toEqual({ ui: { resourceUri: CARD_URI } });
    expect(CARD_URI).toBe('ui://reference/card.html');

    const { resources } = await client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({ uri: CARD_URI, mimeType: 'text/html;profile=mcp-app' }),
    );
    const { contents } = await client.readResource({ uri: CARD_URI });
    expect(contents).toEqual([
      {
        uri: CARD_URI,
        mimeType: 'text/html;profile=mcp-app',
        text: await sampleAppHtml('card'),
        _meta: {
          ui: {
            csp: { connectDomains: [], resourceDomains: [] },
            permissions: { clipboardWrite: {} },
            prefersBorder: true,
          },
        },
      },
    ]);

    expect(
      await client.callTool({ name: 'show_card', arguments: { title: 'Sales', value: 7 } }),
    ).toMatchObject({
      content: [{ type: 'text', text: 'Sales: 7' }],
      structuredContent: { title: 'Sales', value: 7, server: 'reference' },
    });
  });
});
