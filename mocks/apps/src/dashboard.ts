// The dashboard app (ui://mock/dashboard.html, tools show_dashboard and the app-only
// dashboard_refresh): shows the tool result and has buttons that go back to the server through
// the host: call a tool, read a resource, open a link. The element ids are a contract with the
// browser tests.
import { App } from '@modelcontextprotocol/ext-apps';
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

document.body.append(
  el('h1', { id: 'title' }, 'Mock dashboard'),
  el('p', { id: 'app-status', class: 'status' }, 'connecting…'),
  el('pre', { id: 'tool-result', 'data-state': 'waiting' }, 'waiting for the tool result…'),
  el('h2', {}, 'Ask the server, through the host'),
  el(
    'div',
    {},
    el('button', { id: 'refresh', type: 'button' }, 'Refresh (calls dashboard_refresh)'),
    el('button', { id: 'read-note', type: 'button' }, 'Read lab://notes/welcome'),
    el('button', { id: 'open-docs', type: 'button' }, 'Open modelcontextprotocol.io'),
  ),
  el('h2', {}, 'Refresh'),
  el('pre', { id: 'refresh-result' }, 'not refreshed yet'),
  el('h2', {}, 'Note'),
  el('pre', { id: 'note' }, 'not read yet'),
  el('h2', {}, 'Link'),
  el('pre', { id: 'link-result' }, 'not opened yet'),
);

const app = new App({ name: 'mcp-lab-dashboard', version: '1.0.0' });
app.ontoolresult = (result) => {
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  if (typeof structured?.title === 'string') byId('title').textContent = structured.title;
  const text = firstText(result.content) || '(no text content)';
  show(byId('tool-result'), 'received', structured ? `${text}\n\n${pretty(structured)}` : text);
};
followHostContext(app);
acknowledgeTeardown(app);

/** Runs one button's request; a rejection or a result with isError both end as data-state="error". */
async function run(out: HTMLElement, pending: string, request: () => Promise<string>): Promise<void> {
  show(out, 'pending', pending);
  try {
    show(out, 'ok', await request());
  } catch (e) {
    show(out, 'error', `Error: ${errorMessage(e)}`);
  }
}

byId('refresh').addEventListener('click', () =>
  run(byId('refresh-result'), 'calling dashboard_refresh…', async () => {
    const result = await app.callServerTool({ name: 'dashboard_refresh', arguments: {} });
    const text = firstText(result.content);
    if (result.isError) throw new Error(text || 'the tool answered with isError and no text');
    return result.structuredContent ? `${text}\n\n${pretty(result.structuredContent)}` : text;
  }),
);
byId('read-note').addEventListener('click', () =>
  run(byId('note'), 'reading lab://notes/welcome…', async () => {
    const result = await app.readServerResource({ uri: 'lab://notes/welcome' });
    return firstText(result.contents) || '(the resource has no text)';
  }),
);
byId('open-docs').addEventListener('click', () =>
  run(byId('link-result'), 'asking the host to open the link…', async () => {
    const result = await app.openLink({ url: 'https://modelcontextprotocol.io/' });
    if (result.isError) throw new Error('the host refused to open the link');
    return 'the host opened https://modelcontextprotocol.io/';
  }),
);

app.connect().then(
  () => {
    applyTheme(app.getHostContext());
    byId('app-status').textContent = 'initialized';
    void app.sendLog({ level: 'info', logger: 'dashboard', data: 'dashboard ready' }).catch(() => {});
  },
  (e: unknown) => {
    byId('app-status').textContent = `could not connect: ${errorMessage(e)}`;
  },
);
