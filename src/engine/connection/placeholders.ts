import { LabError } from '../errors';

export interface PlaceholderUser {
  id: string;
  /** Custom user variables: `{{user.vars.NAME}}`. */
  vars?: Record<string, string>;
  name?: string;
  email?: string;
}

const PATTERN = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * F1: resolves placeholders in a server config string: `{{user.id}}`, `{{user.name}}`,
 * `{{user.email}}`, `{{user.vars.NAME}}`. An unknown placeholder is an error that names it, so a
 * typo never sends a literal `{{…}}` to a server.
 */
export function resolvePlaceholders(value: string, user: PlaceholderUser): string {
  return value.replace(PATTERN, (whole, path: string) => {
    const [root, key, name] = path.split('.');
    if (root === 'user' && key === 'id') return user.id;
    if (root === 'user' && key === 'name' && user.name !== undefined) return user.name;
    if (root === 'user' && key === 'email' && user.email !== undefined) return user.email;
    if (root === 'user' && key === 'vars' && name && user.vars?.[name] !== undefined) return user.vars[name];
    throw new LabError(
      'invalid_input',
      `Failed to resolve ${whole} in the server configuration: no such value for this user.`,
      {
        hint: 'Use {{user.id}}, {{user.name}}, {{user.email}} or {{user.vars.NAME}} with a variable the user has.',
        ruleIds: ['F1'],
      },
    );
  });
}

/** F1: resolves placeholders in every string of a config object (URL, headers, …) unless it opts out. */
export function resolveConfig<T>(config: T, user: PlaceholderUser, skip = false): T {
  if (skip) return config;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return resolvePlaceholders(v, user);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(config) as T;
}
