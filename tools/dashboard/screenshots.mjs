// node screenshots.mjs BASE_URL API_KEY OUT_DIR PERIOD — every page, desktop (1280 wide) and phone (375 wide), full page.
import { mkdir } from 'node:fs/promises';
import { launch, signIn } from './browser.mjs';

const [baseUrl, key, outDir, period] = process.argv.slice(2);
const pages = ['overview', 'savings', 'trends', 'budgets', 'approvals'];
const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 812 } };

await mkdir(outDir, { recursive: true });
const browser = await launch();
try {
  for (const [size, viewport] of Object.entries(sizes)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await signIn(page, baseUrl, key);
    for (const name of pages) {
      await page.goto(`${baseUrl}/dashboard/#${name}?period=${period}`);
      await page.reload();
      await page.locator('#view h1').waitFor();
      await page.waitForFunction(() => !document.getElementById('view').hasAttribute('aria-busy'));
      await page.screenshot({ path: `${outDir}/${name}-${size}.png`, fullPage: true });
      console.log(`${outDir}/${name}-${size}.png`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
