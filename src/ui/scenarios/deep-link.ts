import { useMemo } from 'react';

/** What a scenario deep link asks: `?scenario=ID&autorun=1`. */
export interface ScenarioDeepLink {
  id?: string;
  autorun: boolean;
}

/** Reads `?scenario=ID&autorun=1` (autorun also as `true` or bare `autorun`); no id, no autorun. */
export function parseScenarioDeepLink(search: string): ScenarioDeepLink {
  const params = new URLSearchParams(search);
  const id = params.get('scenario')?.trim();
  if (!id) return { autorun: false };
  const autorun = params.get('autorun');
  return { id, autorun: autorun === '' || autorun === '1' || autorun === 'true' };
}

/** The scenario deep link of this page's address, read once. */
export function useDeepLinkScenario(): ScenarioDeepLink {
  return useMemo(() => parseScenarioDeepLink(globalThis.location?.search ?? ''), []);
}

/** The link that opens (and with `autorun`, runs) a scenario in the playground. */
export function scenarioLink(id: string, autorun: boolean, base = globalThis.location?.href ?? ''): string {
  const url = new URL(base || 'http://localhost/');
  url.search = '';
  url.hash = '';
  url.searchParams.set('scenario', id);
  if (autorun) url.searchParams.set('autorun', '1');
  return url.href;
}

/** `3 passed, 1 failed`. */
export function summarize(results: Iterable<{ passed: boolean }>): string {
  let passed = 0;
  let failed = 0;
  for (const r of results) r.passed ? passed++ : failed++;
  return `${passed} passed, ${failed} failed`;
}

/** `840 ms`, `2.4 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
