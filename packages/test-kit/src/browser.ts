import { chromium, type Browser } from 'playwright-core';

/**
 * Launches Debian's chromium (package chromium) through playwright-core; never a downloaded browser.
 * Sessions and CI run as root, so the sandbox is off; background networking is off because this
 * machine's network is closed.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['LIFTWATCH_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
