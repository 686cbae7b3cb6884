// Test IDs of the timeline panel's rule map (no spec rule covers the UI):
// UI-TL4  every rule of spec/behaviour.md (F, D, O, S, T, A) and every requirement row of
//         mcp-auth-requirements.md (DISC … AR) has a one-line explanation; every ID the engine and the
//         mocks cite is in the map; references link to the right RFC section; unknown IDs still explain.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainRule, RULES, refHref, ruleFamily } from './rules';

const range = (prefix: string, n: number, dash = '') =>
  Array.from({ length: n }, (_, i) => `${prefix}${dash}${i + 1}`);

/** The IDs as the two spec files number them. */
const SPEC_IDS = [
  ...range('F', 22),
  ...range('D', 8),
  ...range('O', 10),
  ...range('S', 7),
  ...range('T', 8),
  ...range('A', 6),
  ...range('DISC', 6, '-'),
  ...range('ASM', 4, '-'),
  ...range('REG', 7, '-'),
  ...range('PKCE', 3, '-'),
  ...range('RES', 2, '-'),
  ...range('SCP', 6, '-'),
  ...range('TOK', 5, '-'),
  ...range('AR', 3, '-'),
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Rule IDs of known families quoted inside `ruleIds: [...]` (and `ruleIds.push(...)`) in the code. */
function citedIds(files: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/ruleIds\??(?::\s*\[|\.push\()([^\])]*)/g))
      for (const q of (m[1] ?? '').matchAll(/'([A-Z]+-?\d+)'/g)) if (q[1] && ruleFamily(q[1])) ids.add(q[1]);
  }
  return ids;
}

describe('rule map', () => {
  it('UI-TL4: every spec rule and requirement ID has a one-line title, and nothing else is in the map', () => {
    expect(Object.keys(RULES).sort()).toEqual([...SPEC_IDS].sort());
    for (const id of SPEC_IDS) {
      const rule = explainRule(id);
      expect(rule.known, id).toBe(true);
      expect(rule.title.length, id).toBeGreaterThan(10);
      expect(rule.title, id).not.toMatch(/\n/);
    }
  });

  it('UI-TL4: every rule ID the engine and the mocks cite is explained', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const files = ['src/engine', 'mocks'].flatMap((d) => {
      try {
        return sourceFiles(join(root, d));
      } catch {
        return [];
      }
    });
    const cited = citedIds(files);
    expect(cited.size).toBeGreaterThan(10);
    expect([...cited].filter((id) => !(id in RULES))).toEqual([]);
  });

  it('UI-TL4: families come from the ID; RFC references link to their section', () => {
    expect(ruleFamily('F13')).toBe('F');
    expect(ruleFamily('DISC-3')).toBe('DISC');
    expect(ruleFamily('TL5')).toBeUndefined();
    expect(explainRule('O1')).toMatchObject({
      family: 'OAuth handler',
      ref: 'RFC 9728 §3',
      href: 'https://www.rfc-editor.org/rfc/rfc9728#section-3',
    });
    expect(explainRule('AR-2').href).toBe('https://www.rfc-editor.org/rfc/rfc9207#section-2.4');
    expect(refHref('RFC 8707')).toBe('https://www.rfc-editor.org/rfc/rfc8707');
    expect(refHref('MCP spec: Authorization')).toMatch(/^https:\/\/modelcontextprotocol\.io\//);
    expect(refHref('somewhere')).toBeUndefined();
    expect(explainRule('F1').href).toBeUndefined();
  });

  it('UI-TL4: an unknown ID still says its family, and that the map lacks it', () => {
    expect(explainRule('O99')).toMatchObject({ id: 'O99', family: 'OAuth handler', known: false });
    expect(explainRule('TL5')).toMatchObject({ family: 'Other', known: false });
    expect(explainRule('TL5').title).toMatch(/not in the lab's rule map/);
  });
});
