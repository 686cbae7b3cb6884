import { LabError, messageOf } from '../../engine/errors';
import type { Recording } from '../../engine/timeline/events';
import { parseRecording } from '../../engine/timeline/export-json';
import { base64UrlToBytes, bytesToBase64Url } from './jwt';

/**
 * A recording in a link: JSON → deflate-raw → base64url, in the URL fragment (`#share=…`), which
 * browsers never send to a server. Events were redacted at the source (T7), so a link holds no
 * secret. Opening a link goes through `parseRecording`, so old and malformed links are handled
 * like files.
 * @see https://compression.spec.whatwg.org/#compression-stream
 */

/** The fragment key. */
export const SHARE_PARAM = 'share';

/** Longest encoded recording put in a link (characters); longer ones are exported as files. */
export const SHARE_LINK_MAX = 60_000;

async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The recording as base64url text of its deflate-raw compressed JSON. */
export async function encodeShare(recording: Recording): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(recording));
  return bytesToBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

const fail = (why: string, cause?: unknown) =>
  new LabError('invalid_input', `Failed to open the shared link: ${why}.`, {
    hint: 'Ask for the link again, or for the exported JSON file.',
    ...(cause !== undefined ? { cause } : {}),
  });

/** The encoded part of a link, a fragment (`#share=…`), `share=…`, or the bare data. */
export function shareData(input: string): string {
  const hashAt = input.indexOf('#');
  const fragment = hashAt >= 0 ? input.slice(hashAt + 1) : input;
  if (!fragment.includes('=')) return fragment.trim();
  const value = new URLSearchParams(fragment).get(SHARE_PARAM);
  return (value ?? '').trim();
}

/**
 * Opens a shared link: a whole URL, its fragment, or the data alone.
 * @throws LabError `invalid_input` when the data is missing, damaged or not a recording.
 */
export async function decodeShare(fragment: string): Promise<Recording> {
  const data = shareData(fragment);
  if (!data) throw fail(`it carries no "#${SHARE_PARAM}=" data`);
  const bytes = base64UrlToBytes(data);
  if (!bytes) throw fail('the data is not base64url (was the link cut short?)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      await pipe(bytes, new DecompressionStream('deflate-raw')),
    );
  } catch (e) {
    throw fail(`the data does not decompress (${messageOf(e)}); the link may be cut short`, e);
  }
  return parseRecording(text);
}

/**
 * A link that opens the recording: `baseUrl` without its fragment, plus `#share=<data>`.
 * Undefined when the data would exceed SHARE_LINK_MAX: export the file instead.
 */
export async function shareUrl(recording: Recording, baseUrl: string): Promise<string | undefined> {
  const data = await encodeShare(recording);
  if (data.length > SHARE_LINK_MAX) return undefined;
  const hashAt = baseUrl.indexOf('#');
  const base = hashAt >= 0 ? baseUrl.slice(0, hashAt) : baseUrl;
  return `${base}#${SHARE_PARAM}=${data}`;
}
