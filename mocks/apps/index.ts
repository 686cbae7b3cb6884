// The sample MCP Apps' HTML, built from mocks/apps/src/ by scripts/build-apps.mjs (postinstall,
// `npm run build:apps`). Loaded on first use, so the playground's main bundle does not carry them.

export type SampleAppName = 'card' | 'dashboard' | 'hostile';

/** Static imports, one per app, so a bundler makes each a chunk of its own. */
const LOADERS: Record<SampleAppName, () => Promise<{ default: string }>> = {
  card: () => import('./generated/card'),
  dashboard: () => import('./generated/dashboard'),
  hostile: () => import('./generated/hostile'),
};

export async function sampleAppHtml(name: SampleAppName): Promise<string> {
  try {
    return (await LOADERS[name]()).default;
  } catch (e) {
    throw new Error('The sample MCP Apps are not built: run npm run build:apps', { cause: e });
  }
}
