// Test IDs of the timeline panel's share links (no spec rule covers the UI):
// UI-TL3  a recording survives JSON → deflate-raw → base64url → link → back, byte for byte; links stay
//         under the size limit or are refused; damaged links fail with a message a person can act on.
import { describe, expect, it } from 'vitest';
import { isLabError } from '../../engine/errors';
import { toRecording } from '../../engine/timeline/export-json';
import { sampleEvents } from '../../engine/timeline/testing';
import { bytesToBase64Url } from './jwt';
import { decodeShare, encodeShare, SHARE_LINK_MAX, shareData, shareUrl } from './share';
import { syntheticEvents } from './synthetic';

const at = new Date('2026-01-01T00:00:00.000Z');

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('share links', () => {
  it('UI-TL3: encode then decode gives back the same recording', async () => {
    const recording = toRecording(sampleEvents(), 'Sample: 401, discovery, refresh', at);
    const data = await encodeShare(recording);
    expect(data).toMatch(/^[\w-]+$/);
    expect(await decodeShare(data)).toEqual(recording);
  });

  it('UI-TL3: compression makes a realistic 300-event flow fit in a link', async () => {
    const recording = toRecording(syntheticEvents(300), undefined, at);
    const json = JSON.stringify(recording);
    const data = await encodeShare(recording);
    expect(data.length).toBeLessThan(json.length / 5);
    expect(await decodeShare(data)).toEqual(recording);
  });

  it('UI-TL3: shareUrl replaces any fragment of the base with #share=…, and decodes from the whole URL', async () => {
    const recording = toRecording(sampleEvents(), undefined, at);
    const url = await shareUrl(recording, 'https://lab.example/play?x=1#old');
    expect(url).toMatch(/^https:\/\/lab\.example\/play\?x=1#share=[\w-]+$/);
    expect(await decodeShare(url ?? '')).toEqual(recording);
    expect(shareData('#share=abc')).toBe('abc');
    expect(shareData('share=abc&v=1')).toBe('abc');
    expect(shareData('abc')).toBe('abc');
  });

  it('UI-TL3: a recording too large for a link gets no URL', async () => {
    const recording = toRecording(syntheticEvents(6000), undefined, at);
    expect((await encodeShare(recording)).length).toBeGreaterThan(SHARE_LINK_MAX);
    expect(await shareUrl(recording, 'https://lab.example/')).toBeUndefined();
  });

  it('UI-TL3: missing, cut or foreign data fails as invalid_input saying what is wrong', async () => {
    const none = await failure(decodeShare('https://lab.example/#other=1'));
    expect(isLabError(none, 'invalid_input') && none.message).toMatch(
      /Failed to open the shared link: .*#share=/,
    );
    const notBase64 = await failure(decodeShare('#share=@@@'));
    expect(isLabError(notBase64, 'invalid_input') && notBase64.message).toMatch(/not base64url/);
    const data = await encodeShare(toRecording(sampleEvents(), undefined, at));
    const cut = await failure(decodeShare(data.slice(0, data.length / 2)));
    expect(isLabError(cut, 'invalid_input')).toBe(true);
    const foreign = new TextEncoder().encode('{"format":"something-else"}');
    const stream = new Blob([foreign]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const wrong = await failure(decodeShare(bytesToBase64Url(bytes)));
    expect(isLabError(wrong, 'invalid_input') && wrong.message).toMatch(
      /Failed to open the recording: "format"/,
    );
  });
});
