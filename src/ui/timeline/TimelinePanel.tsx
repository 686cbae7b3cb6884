import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { LANES, type Recording, type TimelineEvent } from '../../engine/timeline/events';
import { TimelineModel } from '../../engine/timeline/model';
import type { TimelineRecorder } from '../../engine/timeline/recorder';
import { applyFilter, kindsInUse, NO_FILTER, openSpanLanes } from './filter';
import { formatDelta, formatOffset, lanesInUse } from './format';
import { KIND_ORDER } from './lane-style';
import { nextIndex } from './list-keys';
import { TimelineDetails } from './TimelineDetails';
import { TimelineExportBar } from './TimelineExportBar';
import { HEADER_HEIGHT, LaneHeader, TimelineRow } from './TimelineRow';
import { DENSITIES, type Density, TimelineToolbar, type TimeMode } from './TimelineToolbar';
import { useTimelineEvents } from './useTimelineEvents';

export interface TimelinePanelProps {
  /** Live source: every event it records appears here (batched per animation frame). */
  recorder?: TimelineRecorder;
  /** Fixed source: an imported or shared recording, replayed read-only. */
  events?: readonly TimelineEvent[];
  /** Replay mode: no "follow" toggle, a replay banner. Defaults to true when there is no recorder. */
  readOnly?: boolean;
  /** Called with a recording the person imported; without it, the panel replays the import itself. */
  onImport?(recording: Recording): void;
  /** Title written into exports and share links. */
  title?: string;
}

/**
 * The timeline: a swimlane sequence view of everything the engine did, one virtualized row per
 * event, with filters, a details pane that explains each rule, exports, import and share links.
 * @see DESIGN.md (Playwright trace viewer: model with no React, views on top, rows virtualized)
 */
export function TimelinePanel({ recorder, events, readOnly, onImport, title }: TimelinePanelProps) {
  const [imported, setImported] = useState<Recording>();
  const source = useTimelineEvents(imported ? undefined : recorder, imported ? imported.events : events);
  const replay = imported !== undefined || (readOnly ?? !recorder);

  const model = useMemo(() => new TimelineModel(source), [source]);
  const lanes = useMemo(() => lanesInUse(model.events), [model]);
  const kinds = useMemo(() => kindsInUse(model.events, KIND_ORDER), [model]);
  const openLanes = useMemo(() => openSpanLanes(model.events), [model]);
  const spanDurations = useMemo(
    () => new Map(model.spans().map((s) => [s.id, s.durationMs] as const)),
    [model],
  );
  const start = model.events[0]?.t ?? 0;

  const [filter, setFilter] = useState(NO_FILTER);
  // Typing in the search box stays responsive on 10,000 events: the text filters at low priority.
  const searchText = useDeferredValue(filter.text);
  const visible = useMemo(
    () => applyFilter(model, { ...filter, text: searchText }, LANES, KIND_ORDER),
    [model, filter, searchText],
  );

  const [density, setDensity] = useState<Density>('normal');
  const [timeMode, setTimeMode] = useState<TimeMode>('since-start');
  const [follow, setFollow] = useState(true);
  const [selectedId, setSelectedId] = useState<string>();
  const selectedIndex = useMemo(
    () => (selectedId ? visible.findIndex((e) => e.id === selectedId) : -1),
    [visible, selectedId],
  );
  const selected =
    selectedIndex >= 0 ? visible[selectedIndex] : model.events.find((e) => e.id === selectedId);

  const rowHeight = DENSITIES[density];
  const listRef = useRef<HTMLDivElement>(null);
  const detailsRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowHeight,
    getItemKey: useCallback((i: number) => visible[i]?.id ?? i, [visible]),
    // Rows start below the sticky lane header, which must not cover a row scrolled into view.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 16,
  });

  // Row heights are estimates cached by the virtualizer: a new density needs a fresh measure.
  const measuredHeight = useRef(rowHeight);
  useLayoutEffect(() => {
    if (measuredHeight.current === rowHeight) return;
    measuredHeight.current = rowHeight;
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  const live = !replay && follow;
  useEffect(() => {
    if (live && visible.length > 0) virtualizer.scrollToIndex(visible.length - 1, { align: 'end' });
  }, [live, visible.length, virtualizer]);

  const select = useCallback(
    (index: number) => {
      const event = visible[index];
      if (!event) return;
      setSelectedId(event.id);
      setFollow(false);
      virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    [visible, virtualizer],
  );

  function onListKey(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 2);
    const next = nextIndex(e.key, selectedIndex, visible.length, page);
    if (next !== undefined) {
      e.preventDefault();
      select(next);
    } else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      detailsRef.current?.focus();
    } else if (e.key === 'Escape' && selectedId) {
      e.preventDefault();
      setSelectedId(undefined);
    }
  }

  function importRecording(recording: Recording) {
    setSelectedId(undefined);
    if (onImport) onImport(recording);
    else setImported(recording);
  }

  const timeLabel = (index: number, event: TimelineEvent) => {
    const previous = visible[index - 1];
    return timeMode === 'since-previous' && previous
      ? formatDelta(event.t - previous.t)
      : formatOffset(event.t, start);
  };

  return (
    <section
      data-testid="timeline-panel"
      data-state={replay ? 'replay' : 'live'}
      aria-labelledby="timeline-heading"
      className="@container flex flex-col rounded-lg border border-slate-200 bg-white text-slate-900 shadow-sm dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex flex-wrap items-baseline gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every request, decision and stored token, left to right by who did it, top to bottom in time.
        </p>
        {replay && (
          <span
            data-testid="timeline-replay-banner"
            className="ml-auto rounded bg-violet-100 px-2 py-0.5 text-xs text-violet-900 dark:bg-violet-900/60 dark:text-violet-100"
          >
            Replay (read-only){imported?.title ? `: ${imported.title}` : ''}
            {imported ? ` · recorded ${imported.createdAt}` : ''}
          </span>
        )}
        {imported && recorder && (
          <button
            type="button"
            data-testid="timeline-back-to-live"
            onClick={() => setImported(undefined)}
            className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-600"
          >
            Back to live
          </button>
        )}
      </header>
      <TimelineExportBar events={model.events} onImport={importRecording} {...(title ? { title } : {})} />
      <TimelineToolbar
        lanes={lanes}
        kinds={kinds}
        filter={filter}
        onFilter={setFilter}
        density={density}
        onDensity={setDensity}
        timeMode={timeMode}
        onTimeMode={setTimeMode}
        shown={visible.length}
        total={model.events.length}
        {...(replay ? {} : { follow, onFollow: setFollow })}
      />
      <div className="grid min-h-0 @4xl:grid-cols-[minmax(0,1fr)_clamp(18rem,30%,26rem)]">
        <div
          ref={listRef}
          role="listbox"
          tabIndex={0}
          aria-label="Timeline events (use arrow keys to move, Enter to read the details)"
          aria-activedescendant={selected && selectedIndex >= 0 ? `timeline-row-${selected.id}` : undefined}
          data-testid="timeline-list"
          onKeyDown={onListKey}
          className="@container/list relative h-[60vh] min-h-64 overflow-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-500"
        >
          <LaneHeader lanes={lanes} />
          {model.events.length === 0 ? (
            <p data-testid="timeline-empty" className="p-4 text-sm text-slate-500 dark:text-slate-400">
              No events yet. Connect to a server: every HTTP request, OAuth step, stored token and decision
              appears here, with the rule that caused it.
            </p>
          ) : visible.length === 0 ? (
            <p data-testid="timeline-no-match" className="p-4 text-sm text-slate-500 dark:text-slate-400">
              No event matches the filters.
            </p>
          ) : null}
          <div className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const event = visible[item.index];
              if (!event) return null;
              return (
                <TimelineRow
                  key={event.id}
                  event={event}
                  lanes={lanes}
                  time={timeLabel(item.index, event)}
                  openLanes={openLanes.get(event.id) ?? []}
                  selected={event.id === selectedId}
                  top={item.start - HEADER_HEIGHT}
                  height={rowHeight}
                  position={item.index + 1}
                  setSize={visible.length}
                  onSelect={() => {
                    select(item.index);
                    // The list keeps focus (aria-activedescendant), so arrow keys go on from here.
                    listRef.current?.focus({ preventScroll: true });
                  }}
                />
              );
            })}
          </div>
        </div>
        <div className="max-h-[60vh] overflow-auto border-t border-slate-200 @4xl:border-t-0 @4xl:border-l dark:border-slate-700">
          <TimelineDetails
            ref={detailsRef}
            event={selected}
            start={start}
            {...(selected?.spanId && selected.phase === 'end'
              ? { spanDurationMs: spanDurations.get(selected.spanId) }
              : {})}
          />
        </div>
      </div>
    </section>
  );
}
