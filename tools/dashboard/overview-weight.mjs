// node overview-weight.mjs BASE_URL API_KEY PERIOD RUNS — for a fresh tab (empty cache) each run: the bytes
// transferred to open /dashboard/, sign in and show the overview (headers and bodies, as sent on the wire), and the
// time from pressing "Sign in" to the statement's figures being on screen.
import { launch } from './browser.mjs';

const [baseUrl, key, period, runs = '5'] = process.argv.slice(2);
const browser = await launch();
const results = [];
try {
  for (let run = 0; run < Number(runs); run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests = [];
    page.on('requestfinished', (request) => requests.push(request));
    await page.goto(`${baseUrl}/dashboard/#overview?period=${period}`);
    await page.getByLabel('API key').fill(key);
    const start = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#statement tbody tr').first().waitFor();
    const ms = Date.now() - start;
    await page.waitForFunction(() => !document.getElementById('view').hasAttribute('aria-busy'));
    let bytes = 0;
    for (const request of requests) {
      const sizes = await request.sizes();
      bytes += sizes.responseHeadersSize + sizes.responseBodySize;
    }
    results.push({ ms, bytes, requests: requests.length });
    await context.close();
  }
} finally {
  await browser.close();
}

const sorted = (field) => results.map((r) => r[field]).sort((a, b) => a - b);
const median = (field) => sorted(field)[Math.floor(results.length / 2)];
console.log(JSON.stringify({ runs: results, medianMs: median('ms'), maxMs: Math.max(...sorted('ms')), medianBytes: median('bytes'), maxBytes: Math.max(...sorted('bytes')) }));
