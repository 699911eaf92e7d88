import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; the global setup installs it through apt when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, headless, sandbox-less Chromium in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
