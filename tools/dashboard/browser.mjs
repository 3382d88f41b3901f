// Debian's chromium driven by playwright-core: never a downloaded browser.
import { chromium } from 'playwright-core';

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

/** Signs in through the page's own form, as a finance officer would. */
export async function signIn(page, baseUrl, key) {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('h1', { hasText: 'Overview' }).waitFor();
}
