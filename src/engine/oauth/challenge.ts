import { LabError } from '../errors';
import type { BearerChallenge } from './types';

/**
 * Parses `WWW-Authenticate` into its challenges (RFC 9110 §11.6.1): `scheme` followed by
 * comma-separated `name=value` auth-params, values as tokens or quoted strings with `\` escapes.
 * Several challenges may share one header. Malformed input is a typed error that quotes the header.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function parseWwwAuthenticate(
  header: string,
): Array<{ scheme: string; params: Record<string, string> }> {
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new LabError(
      'protocol',
      `Failed to read the WWW-Authenticate header: ${why} in ${JSON.stringify(header)}.`,
      {
        hint: 'The server sent a malformed challenge (RFC 9110 §11.6.1); report it to the server owner.',
        ruleIds: ['DISC-1'],
      },
    );
  };
  const skipSpace = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = () => {
    const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(header.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  const quoted = () => {
    let out = '';
    i++; // opening quote
    while (i < header.length) {
      const c = header[i++];
      if (c === '\\') {
        if (i >= header.length) fail('a dangling escape');
        out += header[i++];
      } else if (c === '"') return out;
      else out += c;
    }
    return fail('an unterminated quoted string');
  };
  skipSpace();
  while (i < header.length) {
    const scheme = token();
    if (!scheme) fail(`an unexpected character at position ${i}`);
    const params: Record<string, string> = {};
    challenges.push({ scheme, params });
    skipSpace();
    // token68 form (e.g. `Negotiate abc==`) has no params.
    const t68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(header.slice(i));
    if (
      t68 &&
      !header
        .slice(i + t68[0].length)
        .trimStart()
        .startsWith('=')
    ) {
      i += t68[0].length;
      skipSpace();
      if (header[i] === ',') i++;
      skipSpace();
      continue;
    }
    for (;;) {
      skipSpace();
      if (i >= header.length) break;
      const save = i;
      const name = token();
      skipSpace();
      if (!name || header[i] !== '=') {
        // The next challenge starts here (a scheme without '=').
        i = save;
        break;
      }
      i++;
      skipSpace();
      const value = header[i] === '"' ? quoted() : token();
      params[name.toLowerCase()] = value;
      skipSpace();
      if (header[i] === ',') i++;
      else if (i < header.length) break;
    }
    skipSpace();
  }
  return challenges;
}

/** The Bearer challenge of a response, if any (DISC-1, DISC-3, SCP-1). */
export function bearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const bearer = parseWwwAuthenticate(header).find((c) => c.scheme.toLowerCase() === 'bearer');
  if (!bearer) return undefined;
  const p = bearer.params;
  const out: BearerChallenge = { scheme: bearer.scheme };
  if (p.error) out.error = p.error;
  if (p.error_description) out.errorDescription = p.error_description;
  if (p.scope) out.scope = p.scope;
  if (p.realm) out.realm = p.realm;
  if (p.resource_metadata) {
    try {
      out.resourceMetadataUrl = new URL(p.resource_metadata).href;
    } catch {
      throw new LabError(
        'protocol',
        `Failed to read the challenge: resource_metadata "${p.resource_metadata}" is not an absolute URL.`,
        {
          ruleIds: ['DISC-3'],
        },
      );
    }
  }
  return out;
}
