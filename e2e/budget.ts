/**
 * How long the e2e fixture (and so every spec) waits, in one place; playwright.config.ts reads it
 * too. README: QA, "Timeouts".
 */
const scale = Number(process.env.LAB_E2E_TIMEOUT_SCALE ?? 1) || 1;

/**
 * How long the fixture waits, in one place. A connect or call in the page is a chain of network
 * round trips, IndexedDB transactions and WebCrypto work: ~0.3–1 s on an idle machine, several
 * seconds on a loaded 2-core runner. `LAB_E2E_TIMEOUT_SCALE=2` doubles every budget.
 */
export const BUDGET = {
  /** One action to its end: a connect (consent included), a call, a token action. */
  action: 45_000 * scale,
  /** The page loaded and its mock servers answering. */
  boot: 30_000 * scale,
  /** A consent page (mock or a real AS's login) appearing in the popup. */
  consentPage: 30_000 * scale,
  /** One catalogue scenario run in the page. */
  scenario: 90_000 * scale,
  /** Anything else that involves no network: a tab, a toggle, a re-render. */
  ui: 15_000 * scale,
  /** One whole test (Playwright's default of 30 s is less than one action's budget). */
  test: 180_000 * scale,
} as const;

/**
 * Access-token lifetime of the reference stack in e2e runs. Short, so REAL-UI1 sees a real expiry;
 * long enough that a loaded runner finishes a connect (token issued → initialize sent, measured up
 * to ~7 s under load) before the token it just got expires.
 */
export const REFERENCE_TOKEN_TTL_S = 12;
