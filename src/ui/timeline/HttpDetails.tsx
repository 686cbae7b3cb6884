import type { HttpExchange } from '../../engine/timeline/events';
import { LANE_TITLES } from '../../engine/timeline/events';
import { formatDuration, headerValue, prettyBody } from './format';
import { type DecodedJwt, formatClaim } from './jwt';

/** The redacted HTTP exchange of an event: request, response or failure, headers and bodies. */

function HeadersTable({ headers, caption }: { headers: Record<string, string>; caption: string }) {
  const entries = Object.entries(headers);
  if (!entries.length)
    return <p className="text-xs text-slate-500 dark:text-slate-400">No headers recorded.</p>;
  return (
    <table className="w-full table-fixed border-collapse text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="text-left text-slate-500 dark:text-slate-400">
          <th scope="col" className="w-1/3 py-0.5 pr-2 font-medium">
            Name
          </th>
          <th scope="col" className="py-0.5 font-medium">
            Value
          </th>
        </tr>
      </thead>
      <tbody className="font-mono">
        {entries.map(([name, value]) => (
          <tr key={name} className="border-t border-slate-100 align-top dark:border-slate-800">
            <td className="py-0.5 pr-2 break-all">{name}</td>
            <td className="py-0.5 break-all">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Body({
  body,
  contentType,
  label,
}: {
  body: string | undefined;
  contentType: string;
  label: string;
}) {
  if (body === undefined || body === '') return null;
  const pretty = prettyBody(body, contentType);
  return (
    <div className="mt-2">
      <h5 className="text-xs font-medium text-slate-500 dark:text-slate-400">
        {label} ({pretty.format === 'json' ? 'JSON' : pretty.format === 'form' ? 'form fields' : 'text'})
      </h5>
      <pre className="mt-1 max-h-72 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-800 dark:bg-slate-800 dark:text-slate-100">
        {pretty.text}
      </pre>
    </div>
  );
}

function statusTone(status: number): string {
  if (status >= 500) return 'text-red-700 dark:text-red-400';
  if (status >= 400) return 'text-amber-700 dark:text-amber-400';
  return 'text-emerald-700 dark:text-emerald-400';
}

export function HttpDetails({ http }: { http: HttpExchange }) {
  const { request, response } = http;
  return (
    <section aria-label="HTTP exchange" className="space-y-3">
      <p className="text-xs text-slate-600 dark:text-slate-300">
        {LANE_TITLES[http.from]} → {LANE_TITLES[http.to]}
        {http.label ? ` · ${http.label}` : ''}
        {http.durationMs !== undefined ? ` · ${formatDuration(http.durationMs)}` : ''}
      </p>
      <div>
        <h4 className="text-sm font-semibold">Request</h4>
        <p className="font-mono text-xs break-all">
          <span className="font-bold">{request.method}</span> {request.url}
        </p>
        <HeadersTable headers={request.headers} caption="Request headers" />
        <Body
          body={request.body}
          contentType={headerValue(request.headers, 'content-type') ?? ''}
          label="Body"
        />
      </div>
      <div>
        <h4 className="text-sm font-semibold">Response</h4>
        {response ? (
          <>
            <p className={`font-mono text-xs font-bold ${statusTone(response.status)}`}>
              {response.status} {response.statusText ?? ''}
            </p>
            <HeadersTable headers={response.headers} caption="Response headers" />
            <Body
              body={response.body}
              contentType={headerValue(response.headers, 'content-type') ?? ''}
              label="Body"
            />
          </>
        ) : (
          <p className="rounded bg-red-50 p-2 text-xs text-red-800 dark:bg-red-950/50 dark:text-red-200">
            <span aria-hidden="true">✕ </span>No response: {http.failure ?? 'none recorded yet'}
          </p>
        )}
      </div>
    </section>
  );
}

export function JwtDetails({ jwts }: { jwts: readonly DecodedJwt[] }) {
  if (!jwts.length) return null;
  return (
    <section aria-label="Decoded JWTs" className="space-y-3">
      <h4 className="text-sm font-semibold">Decoded JWT{jwts.length > 1 ? 's' : ''}</h4>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        A JWT is a signed, base64url-encoded JSON token. Its claims are readable by anyone; the signature is
        not checked here. Redacted tokens are never decoded.
      </p>
      {jwts.map((jwt) => (
        <div key={jwt.token} className="rounded border border-slate-200 p-2 dark:border-slate-700">
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Found in {jwt.where} · alg {String(jwt.header.alg)}
            {jwt.signed ? '' : ' · unsigned'}
          </p>
          <table className="mt-1 w-full table-fixed border-collapse text-xs">
            <caption className="sr-only">JWT header and claims</caption>
            <tbody className="font-mono">
              {Object.entries(jwt.header).map(([k, v]) => (
                <tr key={`h-${k}`} className="align-top text-slate-500 dark:text-slate-400">
                  <th scope="row" className="w-1/3 py-0.5 pr-2 text-left font-normal">
                    header.{k}
                  </th>
                  <td className="py-0.5 break-all">{formatClaim(k, v)}</td>
                </tr>
              ))}
              {Object.entries(jwt.payload).map(([k, v]) => (
                <tr key={`p-${k}`} className="border-t border-slate-100 align-top dark:border-slate-800">
                  <th scope="row" className="py-0.5 pr-2 text-left font-normal">
                    {k}
                  </th>
                  <td className="py-0.5 break-all">{formatClaim(k, v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
