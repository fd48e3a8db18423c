import { existsSync } from 'node:fs';

/** Debian's Chromium, installed by `.ci/run` (`apt-get install -y chromium`) when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this closed network needs: without the networking ones Chromium stalls. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * `describe` when Chromium is installed. In CI (`CI=true`) a missing browser fails the suite;
 * on a laptop without it the suite is skipped with a loud message.
 */
export function describeWithBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, fn);
  if (process.env.CI === 'true') {
    return describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(
          `${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium.`,
        );
      });
    });
  }
  console.warn(
    `\n!!! SKIPPING browser tests "${name}": ${CHROMIUM} not found (apt-get install -y chromium).\n`,
  );
  describe.skip(name, fn);
}
