/**
 * The browser's CORS check and CORS-filtered response, for answers that never crossed the network
 * (the in-page mock transport). A page then reads exactly what it could read from a real server:
 * a response without a matching `Access-Control-Allow-Origin` fails like fetch does, and only
 * safelisted headers and those in `Access-Control-Expose-Headers` are visible.
 * @see https://fetch.spec.whatwg.org/#cors-check
 * @see https://fetch.spec.whatwg.org/#concept-filtered-response-cors
 */

/** CORS-safelisted response header names: always readable. */
const SAFELISTED = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

export function corsFiltered(response: Response, pageOrigin: string, request: Request): Response {
  if (new URL(request.url).origin === pageOrigin) return response;
  const credentialed = request.credentials === 'include';
  const allowOrigin = response.headers.get('access-control-allow-origin');
  const originOk = allowOrigin === pageOrigin || (allowOrigin === '*' && !credentialed);
  const credentialsOk = !credentialed || response.headers.get('access-control-allow-credentials') === 'true';
  if (!originOk || !credentialsOk) throw new TypeError('Failed to fetch');
  const exposed = (response.headers.get('access-control-expose-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const all = exposed.includes('*') && !credentialed;
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie' || name === 'set-cookie2') return;
    if (all || SAFELISTED.has(name) || exposed.includes(name)) headers.append(name, value);
  });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
