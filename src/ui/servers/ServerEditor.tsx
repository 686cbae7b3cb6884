import { useState } from 'react';
import { EMPTY_FORM, type FormErrors, isServer, type ServerForm, serverFromForm } from '../lab/servers';
import { useController } from '../lab/useLab';

const input =
  'w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm dark:border-slate-600 dark:bg-slate-900';

/** Add a server by URL; bad input is refused inline with the reason. */
export function ServerEditor({ onClose }: { onClose: () => void }) {
  const lab = useController();
  const [form, setForm] = useState<ServerForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const field = <K extends keyof ServerForm>(k: K, v: ServerForm[K]) => setForm({ ...form, [k]: v });
  const err = (k: keyof ServerForm) =>
    errors[k] ? (
      <p
        role="alert"
        data-testid={`server-form-error-${k}`}
        className="text-xs text-red-700 dark:text-red-400"
      >
        {errors[k]}
      </p>
    ) : null;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const builtIn = new Set(
      lab
        .getSnapshot()
        .servers.filter((x) => x.source !== 'custom')
        .map((x) => x.id),
    );
    const result = serverFromForm(form, `custom-${Date.now().toString(36)}`, builtIn);
    if (!isServer(result)) return setErrors(result);
    await lab.saveServer(result);
    onClose();
  }

  return (
    <form
      data-testid="server-editor"
      onSubmit={save}
      className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
      aria-label="Add a server"
    >
      <label className="flex flex-col gap-1">
        URL
        <input
          data-testid="server-form-url"
          className={input}
          value={form.url}
          placeholder="https://example.com/mcp"
          onChange={(e) => field('url', e.target.value)}
        />
      </label>
      {err('url')}
      <label className="flex flex-col gap-1">
        Name
        <input
          data-testid="server-form-title"
          className={input}
          value={form.title}
          onChange={(e) => field('title', e.target.value)}
        />
      </label>
      <label className="flex flex-col gap-1">
        Id (optional: test ids and stored credentials use it)
        <input
          data-testid="server-form-id"
          className={input}
          value={form.id}
          placeholder="made up when empty"
          onChange={(e) => field('id', e.target.value)}
        />
      </label>
      {err('id')}
      <div className="grid grid-cols-2 gap-2">
        <label className="flex flex-col gap-1">
          Transport
          <select
            data-testid="server-form-transport"
            className={input}
            value={form.transport}
            onChange={(e) => field('transport', e.target.value as ServerForm['transport'])}
          >
            <option value="streamable-http">Streamable HTTP</option>
            <option value="sse">HTTP+SSE (legacy)</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Auth spec
          <select
            data-testid="server-form-revision"
            className={input}
            value={form.revision}
            onChange={(e) => field('revision', e.target.value as ServerForm['revision'])}
          >
            {['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="flex flex-col gap-1">
        Client identity
        <select
          data-testid="server-form-client-mode"
          className={input}
          value={form.clientMode}
          onChange={(e) => field('clientMode', e.target.value as ServerForm['clientMode'])}
        >
          <option value="auto">Automatic (dynamic registration)</option>
          <option value="preregistered">Pre-registered client id / secret</option>
          <option value="cimd">Client ID Metadata Document URL</option>
        </select>
      </label>
      {form.clientMode === 'preregistered' && (
        <>
          <input
            aria-label="Client id"
            data-testid="server-form-client-id"
            className={input}
            placeholder="client id"
            value={form.clientId}
            onChange={(e) => field('clientId', e.target.value)}
          />
          {err('clientId')}
          <input
            aria-label="Client secret"
            data-testid="server-form-client-secret"
            type="password"
            className={input}
            placeholder="client secret (empty for a public client)"
            value={form.clientSecret}
            onChange={(e) => field('clientSecret', e.target.value)}
          />
        </>
      )}
      {form.clientMode === 'cimd' && (
        <>
          <input
            aria-label="Client metadata URL"
            data-testid="server-form-cimd"
            className={input}
            placeholder="https://app.example/client.json"
            value={form.clientMetadataUrl}
            onChange={(e) => field('clientMetadataUrl', e.target.value)}
          />
          {err('clientMetadataUrl')}
        </>
      )}
      <label className="flex flex-col gap-1">
        Scope
        <input
          data-testid="server-form-scope"
          className={input}
          value={form.scope}
          onChange={(e) => field('scope', e.target.value)}
        />
      </label>
      <label className="flex flex-col gap-1">
        Extra headers
        <textarea
          data-testid="server-form-headers"
          className={input}
          rows={2}
          placeholder="X-Team: qa"
          value={form.headers}
          onChange={(e) => field('headers', e.target.value)}
        />
      </label>
      {err('headers')}
      <label className="flex flex-col gap-1">
        Allow private hosts (SSRF allow-list)
        <input
          data-testid="server-form-allow-list"
          className={input}
          placeholder="localhost:3000, 10.0.0.5"
          value={form.allowList}
          onChange={(e) => field('allowList', e.target.value)}
        />
      </label>
      {err('allowList')}
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          data-testid="server-form-apps"
          checked={form.appsEnabled}
          onChange={(e) => field('appsEnabled', e.target.checked)}
        />
        MCP Apps on
      </label>
      <div className="flex gap-2">
        <button
          type="submit"
          data-testid="server-form-save"
          className="rounded bg-sky-700 px-3 py-1 text-white"
        >
          Save
        </button>
        <button type="button" onClick={onClose} className="rounded px-3 py-1">
          Cancel
        </button>
      </div>
    </form>
  );
}
