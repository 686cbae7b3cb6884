/**
 * Unit tests for the pure parts of the sandbox host. IDs beyond the spec (named in sandbox-host.ts):
 * SBX1 proxy origin, SBX2 JSON-RPC validation, SBX3 sandbox-* control messages, SBX4 source/origin
 * checks, SBX5 sandbox models, SBX7 single-line CSP.
 */
import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../engine/apps/csp';
import {
  defaultProxyOrigin,
  fromProxy,
  isJsonRpcMessage,
  isSandboxControl,
  policyString,
  proxyUrl,
  sandboxAttribute,
} from './sandbox-host';

describe('sandbox host', () => {
  it('SBX1: the proxy origin swaps localhost and 127.0.0.1, keeping protocol and port', () => {
    expect(defaultProxyOrigin({ protocol: 'http:', hostname: 'localhost', port: '4174' }, undefined)).toBe(
      'http://127.0.0.1:4174',
    );
    expect(defaultProxyOrigin({ protocol: 'http:', hostname: '127.0.0.1', port: '5173' }, undefined)).toBe(
      'http://localhost:5173',
    );
    expect(defaultProxyOrigin({ protocol: 'https:', hostname: 'localhost', port: '' }, undefined)).toBe(
      'https://127.0.0.1',
    );
  });

  it('SBX1: other hosts need a configured origin; a configured origin is normalised and must differ', () => {
    const host = { protocol: 'https:', hostname: 'lab.example.com', port: '' };
    expect(defaultProxyOrigin(host, undefined)).toBeUndefined();
    expect(defaultProxyOrigin(host, 'https://sandbox.example.net/some/path')).toBe(
      'https://sandbox.example.net',
    );
    expect(defaultProxyOrigin(host, 'https://lab.example.com')).toBeUndefined();
    expect(defaultProxyOrigin(host, 'javascript:alert(1)')).toBeUndefined();
    expect(defaultProxyOrigin(host, 'not a url')).toBeUndefined();
    expect(
      defaultProxyOrigin({ protocol: 'http:', hostname: 'localhost', port: '80' }, 'http://sb.test'),
    ).toBe('http://sb.test');
  });

  it('SBX1: the proxy URL carries the host origin, encoded', () => {
    expect(proxyUrl('http://127.0.0.1:4174', 'http://localhost:4174')).toBe(
      'http://127.0.0.1:4174/sandbox-proxy.html?host=http%3A%2F%2Flocalhost%3A4174',
    );
  });

  it('SBX2: only JSON-RPC 2.0 requests, notifications and responses are messages', () => {
    expect(isJsonRpcMessage({ jsonrpc: '2.0', method: 'ui/initialize', id: 1 })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', method: 'notifications/message' })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: 'a', result: {} })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: 3, error: { code: -1, message: 'x' } })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '1.0', method: 'x' })).toBe(false);
    expect(isJsonRpcMessage({ method: 'x' })).toBe(false);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: 1 })).toBe(false);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: null, result: 1 })).toBe(false);
    expect(isJsonRpcMessage([{ jsonrpc: '2.0', method: 'x' }])).toBe(false);
    expect(isJsonRpcMessage('{"jsonrpc":"2.0","method":"x"}')).toBe(false);
    expect(isJsonRpcMessage(null)).toBe(false);
  });

  it('SBX3: ui/notifications/sandbox-* are control messages; other ui/ methods are not', () => {
    expect(isSandboxControl({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-proxy-ready' })).toBe(true);
    expect(isSandboxControl({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-resource-ready' })).toBe(
      true,
    );
    expect(isSandboxControl({ jsonrpc: '2.0', method: 'ui/notifications/size-changed' })).toBe(false);
    expect(isSandboxControl({ jsonrpc: '2.0', id: 1, result: {} })).toBe(false);
  });

  it('SBX4: a message counts as from the proxy only with the proxy window as source and its origin', () => {
    const proxyWindow = {} as Window;
    const other = {} as Window;
    const origin = 'http://127.0.0.1:4174';
    expect(fromProxy({ source: proxyWindow, origin }, origin, proxyWindow)).toBe(true);
    expect(fromProxy({ source: other, origin }, origin, proxyWindow)).toBe(false);
    expect(fromProxy({ source: proxyWindow, origin: 'http://localhost:4174' }, origin, proxyWindow)).toBe(
      false,
    );
    expect(fromProxy({ source: null, origin }, origin, null)).toBe(false);
  });

  it('SBX5: the opaque model has no allow-same-origin; the same-origin model adds only that', () => {
    expect(sandboxAttribute('opaque')).toBe('allow-scripts');
    expect(sandboxAttribute('same-origin')).toBe('allow-scripts allow-same-origin');
  });

  it('A5: the policy sent to the proxy is the one buildCsp made, unsafe entries already dropped', () => {
    const built = buildCsp({
      connectDomains: ['https://api.example.com', "https://x.test; script-src 'unsafe-eval'"],
    });
    const policy = policyString(built);
    expect(policy).toBe(built.policy);
    expect(policy).toContain('connect-src https://api.example.com');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('SBX7: a policy with a line break or an empty policy is refused', () => {
    expect(() => policyString("default-src 'none'\nscript-src *")).toThrow(/single-line/);
    expect(() => policyString("default-src 'none'\rscript-src *")).toThrow(/single-line/);
    expect(() => policyString('  ')).toThrow(/single-line/);
    expect(policyString("default-src 'none'")).toBe("default-src 'none'");
  });
});

describe('the proxy page and the engine agree', () => {
  it('A5: the proxy falls back to exactly the strict policy buildCsp makes for a resource without _meta.ui.csp', async () => {
    const { readFileSync } = await import('node:fs');
    const js = readFileSync(new URL('../../../public/sandbox-proxy.js', import.meta.url), 'utf8');
    const m = /const DEFAULT_POLICY =\s*((?:"[^"]*"\s*\+?\s*)+);/.exec(js);
    expect(m, 'DEFAULT_POLICY not found in public/sandbox-proxy.js').not.toBeNull();
    const policy = [...(m?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((x) => x[1]).join('');
    expect(policy).toBe(buildCsp(undefined).policy);
  });
});
