// The card app (ui://mock/card.html, tool show_card): shows the tool input and result it is sent,
// the host context, and what the sandbox lets it do (origin, storage, permissions). The element ids
// are a contract with the browser tests.
import { App, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import {
  acknowledgeTeardown,
  applyTheme,
  byId,
  el,
  errorMessage,
  firstText,
  followHostContext,
  pretty,
  show,
} from './shared';

const row = (label: string, id: string, text = '…') => [el('dt', {}, label), el('dd', { id }, text)];

document.body.append(
  el('h1', {}, 'Tool result card'),
  el('p', { id: 'app-status', class: 'status' }, 'connecting…'),
  el('h2', {}, 'Tool input'),
  el('pre', { id: 'tool-input' }, 'waiting for the tool input…'),
  el('h2', {}, 'Tool result'),
  el('pre', { id: 'tool-result', 'data-state': 'waiting' }, 'waiting for the tool result…'),
  el('h2', {}, 'Host context'),
  el(
    'dl',
    {},
    ...row('Theme', 'host-theme'),
    ...row('Locale', 'host-locale'),
    ...row('Display', 'host-display'),
  ),
  el('h2', {}, 'Sandbox'),
  el(
    'dl',
    {},
    ...row('Origin', 'app-origin', self.origin),
    ...row('Storage', 'app-storage', probeStorage()),
    ...row('Permissions', 'app-permissions', probePermissions()),
  ),
);

function probeStorage(): string {
  try {
    localStorage.setItem('mcp-lab-probe', '1');
    const back = localStorage.getItem('mcp-lab-probe');
    localStorage.removeItem('mcp-lab-probe');
    return back === '1' ? `available (origin ${self.origin})` : `blocked: wrote 1, read back ${back}`;
  } catch (e) {
    return `blocked: ${errorMessage(e)}`;
  }
}

function probePermissions(): string {
  const policy = (document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } })
    .featurePolicy;
  if (!policy) return 'unknown: this browser has no document.featurePolicy';
  return ['camera', 'microphone', 'geolocation', 'clipboard-write']
    .map((f) => `${f}: ${policy.allowsFeature(f) ? 'allowed' : 'denied'}`)
    .join(', ');
}

function showContext(ctx: McpUiHostContext | undefined): void {
  byId('host-theme').textContent = ctx?.theme ?? '(not given)';
  byId('host-locale').textContent = ctx?.locale ?? '(not given)';
  byId('host-display').textContent = ctx?.displayMode ?? '(not given)';
}

const app = new App({ name: 'mcp-lab-card', version: '1.0.0' });
app.ontoolinput = ({ arguments: args }) => {
  byId('tool-input').textContent = pretty(args ?? {});
};
app.ontoolresult = (result) => {
  const text = firstText(result.content) || '(no text content)';
  const structured = result.structuredContent ? `\n\n${pretty(result.structuredContent)}` : '';
  show(byId('tool-result'), 'received', `${text}${structured}`);
};
followHostContext(app, showContext);
acknowledgeTeardown(app);

app.connect().then(
  () => {
    applyTheme(app.getHostContext());
    showContext(app.getHostContext());
    byId('app-status').textContent = 'initialized';
  },
  (e: unknown) => {
    byId('app-status').textContent = `could not connect: ${errorMessage(e)}`;
  },
);
