// The sample MCP Apps' HTML, built from mocks/apps/src/ by scripts/build-apps.mjs (postinstall,
// `npm run build:apps`). Loaded on first use, so the playground's main bundle does not carry them.

export type SampleAppName = 'card' | 'dashboard' | 'hostile';

export async function sampleAppHtml(name: SampleAppName): Promise<string> {
  let apps: Readonly<Record<SampleAppName, string>>;
  try {
    ({ SAMPLE_APPS: apps } = await import('./generated/sample-apps'));
  } catch (e) {
    throw new Error('The sample MCP Apps are not built: run npm run build:apps', { cause: e });
  }
  return apps[name];
}
