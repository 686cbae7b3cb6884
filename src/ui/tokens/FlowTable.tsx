import type { FlowRecord, FlowStatus } from '../../engine/flows/types';
import { formatAge, formatDuration } from './countdown';
import { flowView } from './grouping';

const STATUS_CLASS: Record<FlowStatus, string> = {
  PENDING: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  COMPLETED: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  FAILED: 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200',
};

/** Flow records (S1) as rows: id, type, status (`data-state`), age and tenant; never the sealed metadata. */
export function FlowTable({
  flows,
  now,
  caption,
}: {
  flows: readonly FlowRecord[];
  now: number;
  caption: string;
}) {
  if (!flows.length) return null;
  return (
    <table className="mt-2 w-full text-left text-xs">
      <caption className="mb-1 text-left text-sm font-medium text-slate-700 dark:text-slate-300">
        {caption}
      </caption>
      <thead className="text-slate-500 dark:text-slate-400">
        <tr>
          <th scope="col" className="py-1 pr-2 font-normal">
            Flow id
          </th>
          <th scope="col" className="py-1 pr-2 font-normal">
            Type
          </th>
          <th scope="col" className="py-1 pr-2 font-normal">
            Status
          </th>
          <th scope="col" className="py-1 pr-2 font-normal">
            Age
          </th>
          <th scope="col" className="py-1 font-normal">
            Tenant
          </th>
        </tr>
      </thead>
      <tbody>
        {flows.map((record) => {
          const f = flowView(record);
          return (
            <tr
              key={`${f.type}/${f.id}`}
              data-testid="flow-row"
              data-state={f.status}
              data-flow-id={f.id}
              data-flow-type={f.type}
              className="border-t border-slate-100 align-top dark:border-slate-800"
            >
              <td className="max-w-56 py-1 pr-2 font-mono break-all">
                {f.id}
                {f.authorizationUrl && (
                  <a
                    href={f.authorizationUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="ml-1 text-sky-700 underline dark:text-sky-400"
                  >
                    authorization URL
                  </a>
                )}
              </td>
              <td className="py-1 pr-2 font-mono">{f.type}</td>
              <td className="py-1 pr-2">
                <span className={`rounded px-1.5 py-0.5 font-medium ${STATUS_CLASS[f.status]}`}>
                  {f.status}
                </span>
                {f.timedOut && <span className="ml-1 text-slate-500 dark:text-slate-400">timed out</span>}
                {f.error && <div className="mt-0.5 text-red-700 dark:text-red-300">{f.error}</div>}
              </td>
              <td className="py-1 pr-2" title={new Date(f.createdAt).toISOString()}>
                {formatAge(f.createdAt, now)}
                {f.endedAt !== undefined && (
                  <span className="text-slate-500 dark:text-slate-400">
                    {' '}
                    · took {formatDuration(f.endedAt - f.createdAt)}
                  </span>
                )}
              </td>
              <td className="py-1 font-mono">{f.tenant ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
