import { type ToolLike, visibilityOf } from './ui-meta';

export type Verdict = { allowed: true } | { allowed: false; reason: string; ruleIds: string[] };

const deny = (reason: string, ruleIds: string[]): Verdict => ({ allowed: false, reason, ruleIds });

/** A1, A3: an app may call a tool the server lists, when apps are on and the tool is visible to apps. */
export function authorizeAppToolCall(
  name: string,
  tools: readonly ToolLike[] | undefined,
  appsEnabled = true,
): Verdict {
  if (!appsEnabled) return deny('MCP Apps are turned off: apps cannot call tools.', ['A1']);
  if (!tools)
    return deny('The tool list could not be read, so no app call is allowed (fail closed).', ['A3']);
  const tool = tools.find((t) => t.name === name);
  if (!tool) return deny(`The app asked for "${name}", which this server does not list.`, ['A3']);
  if (!visibilityOf(tool).includes('app'))
    return deny(`"${name}" is hidden from apps (visibility: ${visibilityOf(tool).join(', ')}).`, ['A3']);
  return { allowed: true };
}

const MAX_DECODE_PASSES = 5;

/**
 * A4: decodes percent-encoding until it stops changing (bounded), so `%252e%252e` is seen as `..`.
 * Undecodable input, or input still changing after the bound, is refused.
 */
export function fullyDecode(uri: string): string | undefined {
  let cur = uri;
  for (let i = 0; i < MAX_DECODE_PASSES; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      return undefined;
    }
    if (next === cur) return cur;
    cur = next;
  }
  return undefined;
}

/** A4: whether the path has `.` or `..` segments (after decoding; `/` and `\` both separate). */
function hasDotSegment(decoded: string): boolean {
  const afterScheme = decoded.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return afterScheme.split(/[/\\?#]/).some((seg) => seg === '.' || seg === '..');
}

/**
 * A4: a `{var}` of a URI template matches one segment without `/?#&=`; literal parts match
 * exactly. Only level-1 templates are honoured; anything fancier matches nothing.
 */
export function matchesTemplate(uri: string, template: string): boolean {
  if (/\{[^}]*[^A-Za-z0-9_]+[^}]*\}/.test(template)) return false;
  const pattern = template
    .split(/(\{[A-Za-z0-9_]+\})/)
    .map((part) =>
      /^\{[A-Za-z0-9_]+\}$/.test(part) ? '[^/?#&=]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`).test(uri);
}

export interface AdvertisedResources {
  /** `resources/list` URIs; undefined when the list could not be fetched. */
  resources: readonly string[] | undefined;
  /** `resources/templates/list` URI templates; undefined when it could not be fetched. */
  templates: readonly string[] | undefined;
}

/**
 * A4: an app may read `ui://` URIs and URIs the server advertises (an exact `resources/list` entry
 * or a template match), judged after full percent-decoding with dot segments refused. If the lists
 * cannot be fetched, nothing but `ui://` is allowed (fail closed).
 */
export function authorizeAppResourceRead(
  uri: string,
  advertised: AdvertisedResources,
  appsEnabled = true,
): Verdict {
  if (!appsEnabled) return deny('MCP Apps are turned off: apps cannot read resources.', ['A1']);
  const decoded = fullyDecode(uri);
  if (decoded === undefined) return deny(`"${uri}" cannot be decoded (or keeps decoding): refused.`, ['A4']);
  if (hasDotSegment(decoded))
    return deny(`"${uri}" climbs out of its path ("." or ".." after decoding): refused.`, ['A4']);
  if (decoded.startsWith('ui://')) return { allowed: true };
  if (!advertised.resources || !advertised.templates)
    return deny(
      "The server's resource lists could not be read, so only ui:// resources are allowed (fail closed).",
      ['A4'],
    );
  if (advertised.resources.some((r) => r === decoded || r === uri)) return { allowed: true };
  if (advertised.templates.some((t) => matchesTemplate(decoded, t))) return { allowed: true };
  return deny(`"${uri}" is not a resource this server advertises.`, ['A4']);
}
