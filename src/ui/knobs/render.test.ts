/**
 * The knobs panel's automation contract, rendered to static HTML in Node (no DOM, no effects).
 * Test IDs continue src/ui/knobs/knob-parse.test.ts:
 * - UI-TK11: every knob of the catalogue has a labelled control `knob-<key>` showing the world's
 *   current value, its description and its rule ID badges; the panel's action buttons are there.
 * - UI-TK12: an unknown server id renders a sentence naming the known ones, not a crash.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { KNOBS } from '../../../mocks/knobs';
import { MockWorld } from '../../../mocks/world';
import { KnobsPanel } from './KnobsPanel';

describe('knobs panel markup', () => {
  it('UI-TK11: one labelled control per knob, with current values, descriptions and rule badges', () => {
    const world = new MockWorld();
    world.setKnobs('dcr', {
      accessTokenTtlSec: 42,
      toolScopes: { add_note: 'notes:write' },
      tokenError: { kind: 'invalid_grant', grant: 'any', remaining: 2 },
    });
    world.advanceClock(3_600_000);
    const html = renderToStaticMarkup(createElement(KnobsPanel, { world, serverId: 'dcr' }));
    for (const d of KNOBS) {
      const control = new RegExp(`<(input|select)[^>]*id="([^"]+)"[^>]*data-testid="knob-${d.key}"`).exec(
        html,
      );
      expect(control, d.key).not.toBeNull();
      expect(html, d.key).toContain(`<label for="${control?.[2]}"`);
      expect(html, d.key).toContain(d.description.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    }
    for (const id of [
      'knobs-panel',
      'knobs-reset',
      'knobs-revoke-all',
      'knobs-advance-clock-1m',
      'knobs-advance-clock-1h',
    ])
      expect(html, id).toContain(`data-testid="${id}"`);
    expect(html.match(/data-testid="knob-rule"/g)).toHaveLength(KNOBS.flatMap((k) => k.ruleIds).length);
    expect(html).toMatch(/data-testid="knob-accessTokenTtlSec"[^>]*value="42"/);
    expect(html).toMatch(/data-testid="knob-toolScopes"[^>]*value="add_note=notes:write"/);
    expect(html).toMatch(/data-testid="knob-tokenError-remaining"[^>]*value="2"/);
    expect(html).toContain('1 h ahead of real time');
    expect(html).not.toContain('data-testid="knob-error"');
  });

  it('UI-TK12: an unknown server id names the known servers', () => {
    const html = renderToStaticMarkup(
      createElement(KnobsPanel, { world: new MockWorld(), serverId: 'nope' }),
    );
    expect(html).toContain('data-state="unknown-server"');
    expect(html).toContain('noauth, dcr');
  });
});
