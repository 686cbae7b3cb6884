#!/usr/bin/env node
/**
 * MCP Lab on the command line: `npm run lab -- connect <url> [options]`. Runs the engine headless
 * against any MCP server (or an in-process mock), prints the timeline as it happens, then the result.
 */
import { parseArgs } from 'node:util';
import { messageOf } from '../engine/errors';
import type { AuthRevision } from '../engine/oauth/types';
import { printable } from '../engine/timeline/printable';
import { type ConnectOptions, parseArgsJson, runConnect } from './connect';

const USAGE = `Usage: npm run lab -- connect [<url>] [options]

  --mock <id>                 start the mock servers in this process and connect to one
                              (noauth, dcr, prereg, cimd, apikey, legacy)
  --auth headless|mock|none   how authorization is approved (default headless):
                              headless follows the authorization URL and reads the redirect,
                              mock answers the mock AS's decision API, none sends no token
  --client-id <id>            a pre-registered client (else CIMD or dynamic registration)
  --client-secret <secret>
  --client-metadata-url <url> a Client ID Metadata Document URL
  --scope <scope>
  --revision <date>           authorization spec revision: 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28
  --protocol-version <date>   MCP protocol version; 2026-07-28 negotiates the stateless era
  --header <name=value>       extra header on every MCP request (repeatable)
  --call <tool>               call a tool after connecting (repeatable)
  --args <json>               arguments for the --call at the same position (repeatable)
  --attempts <n>              connect attempts before giving up (default 3, backoff 2 s × attempt)
  --no-list                   skip tools/list
  --json                      print the timeline and the result as JSON lines
`;

const REVISIONS = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'];

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mock: { type: 'string' },
      auth: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'client-metadata-url': { type: 'string' },
      scope: { type: 'string' },
      revision: { type: 'string' },
      'protocol-version': { type: 'string' },
      header: { type: 'string', multiple: true },
      call: { type: 'string', multiple: true },
      args: { type: 'string', multiple: true },
      'no-list': { type: 'boolean' },
      attempts: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, urlArg] = positionals;
  if (values.help || command !== 'connect') {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const auth = (values.auth ?? 'headless') as ConnectOptions['auth'];
  if (!['headless', 'mock', 'none'].includes(auth))
    throw new Error(`--auth must be headless, mock or none, not "${values.auth}".`);
  if (values.revision && !REVISIONS.includes(values.revision))
    throw new Error(`--revision must be one of ${REVISIONS.join(', ')}.`);
  let url = urlArg;
  let closeMocks: (() => void) | undefined;
  if (values.mock) {
    const { startMockServer } = await import('../../mocks/node');
    const mocks = startMockServer();
    closeMocks = mocks.close;
    const def = mocks.world.servers.find((s) => s.id === values.mock);
    if (!def)
      throw new Error(
        `No mock server "${values.mock}". Known: ${mocks.world.servers.map((s) => s.id).join(', ')}.`,
      );
    // Headless runs need an authorization endpoint that redirects straight back.
    if (auth === 'headless') mocks.world.setKnobs(def.id, { autoApprove: true });
    url ??= def.mcpUrl;
  }
  if (!url) throw new Error('Give the MCP server URL, or --mock <id>.');
  try {
    new URL(url);
  } catch {
    throw new Error(`"${url}" is not an absolute URL.`);
  }
  const calls = (values.call ?? []).map((tool, i) => ({
    tool,
    args: values.args?.[i] ? parseArgsJson(values.args[i] ?? '{}', tool) : {},
  }));
  const headers = Object.fromEntries(
    (values.header ?? []).map((h) => {
      const i = h.indexOf('=');
      if (i < 1) throw new Error(`--header must be name=value, got "${h}".`);
      return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
    }),
  );
  const attempts = values.attempts === undefined ? undefined : Number(values.attempts);
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1))
    throw new Error(`--attempts must be a whole number ≥ 1, not "${values.attempts}".`);
  const json = values.json === true;
  // HX5: text output quotes servers (tool names, results, errors): no raw control characters. JSON escapes its own.
  const write = (line: string) => process.stdout.write(`${json ? line : printable(line, true)}\n`);
  try {
    const outcome = await runConnect(
      {
        url,
        auth,
        calls,
        json,
        listTools: values['no-list'] !== true,
        redirectUri: 'http://127.0.0.1:33418/oauth/callback',
        ...(Object.keys(headers).length ? { headers } : {}),
        ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
        ...(values['client-secret'] ? { clientSecret: values['client-secret'] } : {}),
        ...(values['client-metadata-url'] ? { clientMetadataUrl: values['client-metadata-url'] } : {}),
        ...(values.scope ? { scope: values.scope } : {}),
        ...(attempts ? { attempts } : {}),
        ...(values.revision ? { revision: values.revision as AuthRevision } : {}),
        ...(values['protocol-version'] ? { protocolVersion: values['protocol-version'] } : {}),
      },
      write,
    );
    if (json)
      write(
        JSON.stringify({
          type: 'result',
          ok: outcome.ok,
          reason: outcome.reason,
          tools: outcome.tools,
          results: outcome.results,
        }),
      );
    else {
      write('');
      if (outcome.tools) write(`Tools: ${outcome.tools.join(', ')}`);
      for (const r of outcome.results) write(`${r.tool}: ${r.error ?? JSON.stringify(r.result)}`);
      write(outcome.ok ? 'OK' : `FAILED: ${outcome.reason}`);
    }
    if (!outcome.ok && json) process.stderr.write(`${printable(outcome.reason ?? '')}\n`);
    return outcome.ok ? 0 : 1;
  } finally {
    closeMocks?.();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`mcp-lab: ${printable(messageOf(e))}\n`);
    process.exit(2);
  },
);
