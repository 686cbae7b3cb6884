import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadingIds, REQUIREMENTS } from './requirements';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' ? [] : testFiles(p);
    return /\.test\.ts$/.test(f) ? [p] : [];
  });
}

/** Every string literal that opens a test title: `it('…'`, `it.each(…)('…'`, `test('…'`. */
function titles(files: string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(
      /\b(?:it|test)(?:\.each(?:<[^>]*>)?\([\s\S]*?\]\s*(?:as const)?\))?\(\s*(['"`])((?:(?!\1).)+)\1/g,
    ))
      out.push(m[2] ?? '');
  }
  return out;
}

const engineTitles = titles([...testFiles('src'), ...testFiles('mocks'), ...testFiles('server')]);
const cited = new Set(engineTitles.flatMap(leadingIds));

describe('requirements manifest', () => {
  it('every engine rule and client requirement row is cited by a test title', () => {
    const engineSrcTitles = titles(testFiles('src'));
    const citedBySrc = new Set(engineSrcTitles.flatMap(leadingIds));
    const missing = Object.entries(REQUIREMENTS)
      .filter(([, r]) => r.owner === 'engine')
      .map(([id]) => id)
      .filter((id) => !citedBySrc.has(id));
    expect(missing).toEqual([]);
  });

  it('every ID a test title cites is in the manifest', () => {
    const unknown = [...cited].filter((id) => !(id in REQUIREMENTS));
    expect(unknown).toEqual([]);
  });

  it('reads leading IDs the way titles are written', () => {
    expect(leadingIds('DISC-2 DISC-4 O1: PRM first')).toEqual(['DISC-2', 'DISC-4', 'O1']);
    expect(leadingIds('F1: create')).toEqual(['F1']);
    expect(leadingIds('the app boots')).toEqual([]);
    expect(leadingIds('TOK-5: rotation')).toEqual(['TOK-5']);
  });
});
