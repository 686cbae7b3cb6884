/**
 * The fixture with Chromium's popup blocker on (`test.use({ popupBlocker: true })`, per file: it
 * needs its own browser), as a person's browser has it.
 */
import { expect, test } from './fixture';

test.use({ popupBlocker: true });

test("QA5: a consent popup opened without a person's click is blocked, and the fixture can say so", async ({
  lab,
  page,
}) => {
  await lab.open();
  // A connect that opens its consent window more than 5 s after the last user activation (as after
  // a slow refresh): Chromium's popup blocker refuses the window.
  const failed = await page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          window.mcpLab?.connect('dcr').then(
            () => resolve('connected'),
            (e: Error) => resolve(e.message),
          );
        }, 6000),
      ),
  );
  expect(failed).not.toBe('connected');
  await lab.expectPopupBlocked();
  // With a click, the same connect opens its popup.
  expect((await lab.connect('dcr')).consent).toBe('popup');
});
