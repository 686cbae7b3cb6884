import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { type MockStatus, probeMocks } from './ui/servers/mock-status';
import './index.css';

declare global {
  interface Window {
    /** Automation hook for QA and Playwright: the embedded mock world. */
    mcpLab?: { world: import('../mocks/world').MockWorld };
  }
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let status: MockStatus;
  try {
    // The mocks load as their own chunk, so the first paint does not wait for MSW's code.
    const { startMockWorker } = await import('../mocks/browser');
    const { world } = await startMockWorker();
    window.mcpLab = { world };
    status = await probeMocks(world);
  } catch (e) {
    status = { state: 'failed', reason: (e as Error).message };
  }
  root.render(
    <StrictMode>
      <App status={status} />
    </StrictMode>,
  );
}

void boot();
