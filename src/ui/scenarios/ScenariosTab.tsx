import { lazy, Suspense } from 'react';
import type { MockWorld } from '../../../mocks/world';

export { useDeepLinkScenario } from './deep-link';

/** The panel, the catalogue and the runner load when the tab first opens, not with the playground. */
const ScenariosPanel = lazy(() => import('./ScenariosPanel').then((m) => ({ default: m.ScenariosPanel })));

/** The playground's Scenarios tab: `ScenariosPanel` over the page's mock world, loaded on demand. */
export function ScenariosTab({ world }: { world: MockWorld }) {
  return (
    <Suspense
      fallback={
        <p data-testid="scenarios-loading" className="p-4 text-sm text-slate-600 dark:text-slate-400">
          Loading the scenarios…
        </p>
      }
    >
      <ScenariosPanel world={world} />
    </Suspense>
  );
}
