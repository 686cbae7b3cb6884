import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LabController, LabState } from './controller';

export const LabContext = createContext<LabController | null>(null);

export function useController(): LabController {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useController outside <LabContext.Provider>');
  return lab;
}

/** The playground state, re-rendering on every change. */
export function useLab(): [LabState, LabController] {
  const lab = useController();
  return [useSyncExternalStore(lab.subscribe, lab.getSnapshot), lab];
}
