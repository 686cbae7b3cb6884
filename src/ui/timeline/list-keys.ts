/**
 * Keyboard movement in the event list (a listbox): which row a key selects. Pure, so the
 * contract (↑ ↓, Page Up/Down, Home, End; nothing selected yet → the first or last row) is tested.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/listbox/#keyboardinteraction
 */
export function nextIndex(key: string, from: number, count: number, page: number): number | undefined {
  const last = count - 1;
  if (last < 0) return undefined;
  const none = from < 0 || from > last;
  switch (key) {
    case 'ArrowDown':
      return none ? 0 : Math.min(last, from + 1);
    case 'ArrowUp':
      return none ? last : Math.max(0, from - 1);
    case 'PageDown':
      return none ? Math.min(last, page) : Math.min(last, from + page);
    case 'PageUp':
      return none ? Math.max(0, last - page) : Math.max(0, from - page);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
