import { describe, expect, it } from 'vitest';
import { formatMs, parseScenarioDeepLink, scenarioLink, summarize } from './deep-link';

describe('scenario deep links and the results summary', () => {
  it('UI-SC1: ?scenario=ID&autorun=1 names the scenario and asks to run it', () => {
    expect(parseScenarioDeepLink('?scenario=dcr-first-oauth&autorun=1')).toEqual({
      id: 'dcr-first-oauth',
      autorun: true,
    });
    expect(parseScenarioDeepLink('?scenario=dcr-first-oauth')).toEqual({
      id: 'dcr-first-oauth',
      autorun: false,
    });
    expect(parseScenarioDeepLink('?scenario=x&autorun=0')).toEqual({ id: 'x', autorun: false });
    expect(parseScenarioDeepLink('?scenario=x&autorun')).toEqual({ id: 'x', autorun: true });
    expect(parseScenarioDeepLink('?autorun=1')).toEqual({ autorun: false });
    expect(parseScenarioDeepLink('')).toEqual({ autorun: false });
  });

  it('UI-SC1: a scenario link keeps the page and replaces its query', () => {
    expect(scenarioLink('a b', true, 'https://lab.example/app/?x=1#h')).toBe(
      'https://lab.example/app/?scenario=a+b&autorun=1',
    );
    expect(scenarioLink('x', false, 'http://localhost:5173/')).toBe('http://localhost:5173/?scenario=x');
  });

  it('UI-SC2: the summary counts passed and failed results', () => {
    expect(summarize([])).toBe('0 passed, 0 failed');
    expect(summarize([{ passed: true }, { passed: false }, { passed: true }])).toBe('2 passed, 1 failed');
    expect(formatMs(840.4)).toBe('840 ms');
    expect(formatMs(2430)).toBe('2.4 s');
  });
});
