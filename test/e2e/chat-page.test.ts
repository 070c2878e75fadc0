// example-app's chat page in a real browser: Debian's Chromium, driven by playwright-core, against
// the real `sls-ts server` on free ports. Two pages join the `chat` channel; what one says reaches
// both through ChatChannel's broadcast('chat', …) and the connections table. A screenshot of the
// sender's page goes to a temp dir; `npm run screenshot:chat` sets CHAT_SCREENSHOT to regenerate
// docs/chat.png with this same test.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyApp, createScratch, exampleApp, repoRoot } from '../unit/build/support.js';
import { startServer } from './server-process.js';

const CHROMIUM = '/usr/bin/chromium';
// The flags Chromium needs on these machines (the environment's "Known to work" notes): without the
// background-networking ones it keeps dialling Google's hosts, which the closed network refuses.
// Playwright adds a fresh --user-data-dir of its own for each launch.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// How long a poll may wait for the page: a bound, not a timing assertion — the first message starts
// the channel's worker (a cold start), which a loaded CI machine may take seconds over.
const WAIT = { timeout: 15_000, interval: 50 };

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`chat page test skipped: no ${CHROMIUM} (npm test's pretest, .ci/install-chromium.sh, installs Debian's chromium where it runs as root)`);

describe.skipIf(!hasChromium)('example-app chat page in headless Chromium', () => {
  const cleanups: Array<() => void> = [];
  const scratch = createScratch();
  const shots = mkdtempSync(join(tmpdir(), 'sls-ts-chat-'));
  let browser: Browser;
  let httpUrl: string;
  let wsUrl: string;

  beforeAll(async () => {
    const app = copyApp(exampleApp, scratch.dir);
    // Both ports free ones: the page is told the channel's URL with ?ws=, as it would be when deployed.
    const server = startServer(app, cleanups, ['--websocket-port', '0']);
    httpUrl = (await server.waitFor('stdout', /on (http:\/\/127\.0\.0\.1:\d+)/, 'HTTP URL'))[1]!;
    wsUrl = (await server.waitFor('stdout', /^\s*WS\s+(ws:\/\/127\.0\.0\.1:\d+\/chat)\s/m, 'chat channel URL'))[1]!;
    // The connections table lives in the local DynamoDB engine: wait for it to be up.
    await server.waitFor('stdout', /DynamoDB http:\/\/\S+\s+\(tables: [^)]*connections/, 'local DynamoDB');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    for (const cleanup of cleanups) cleanup();
    scratch.cleanup();
    rmSync(shots, { recursive: true, force: true });
  });

  async function openChat(nick: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 720, height: 560 } });
    await page.goto(`${httpUrl}/chat.html?ws=${encodeURIComponent(wsUrl)}&nick=${nick}`);
    await expect.poll(() => page.locator('#status').getAttribute('data-state'), WAIT).toBe('open');
    return page;
  }

  const lines = (page: Page) => page.locator('#messages li').allInnerTexts();

  it('sends from one page and shows the message on both, then a nick change', async () => {
    const ada = await openChat('ada');
    const bob = await openChat('bob');
    expect(await ada.locator('#status').innerText()).toBe(`connected to ${wsUrl}`);

    await ada.fill('#text', 'hello from Ada');
    await ada.click('#send');
    for (const page of [ada, bob]) {
      await expect.poll(() => lines(page), WAIT).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\s*ada:\s*hello from Ada$/)]);
    }
    expect(await ada.inputValue('#text')).toBe('');

    await bob.fill('#nick', 'bobby');
    await bob.click('#nick-button');
    // The page takes a nick once the channel has announced it, and two actions are two invocations
    // whose broadcasts may overtake each other (as on AWS): wait for the announcement on both pages.
    const announced = [/ada:\s*hello from Ada$/, /bob is now bobby$/].map((line) => expect.stringMatching(line));
    for (const page of [ada, bob]) await expect.poll(() => lines(page), WAIT).toEqual(announced);
    await bob.fill('#text', 'hi Ada!');
    await bob.press('#text', 'Enter');
    const expected = [/ada:\s*hello from Ada$/, /bob is now bobby$/, /bobby:\s*hi Ada!$/].map((line) => expect.stringMatching(line));
    for (const page of [ada, bob]) await expect.poll(() => lines(page), WAIT).toEqual(expected);

    const out = process.env.CHAT_SCREENSHOT ? resolve(repoRoot, process.env.CHAT_SCREENSHOT) : join(shots, 'chat.png');
    await ada.screenshot({ path: out });
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // 720 × 560, from the PNG's IHDR chunk.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([720, 560]);
  });

  it('shows the channel\'s error for an invalid nick, and where it failed to connect', async () => {
    const page = await openChat('carol');
    await page.fill('#nick', 'not a nick!');
    await page.click('#nick-button');
    await expect.poll(() => lines(page), WAIT).toEqual(['error: a nick is 1 to 24 letters, digits, _ . or -']);
    // The refused nick is not taken: the page goes on as carol.
    await page.fill('#text', 'still me');
    await page.click('#send');
    await expect.poll(() => lines(page), WAIT).toEqual([expect.stringMatching(/^error: /), expect.stringMatching(/carol:\s*still me$/)]);
    // The page falls back to the channel's own URL convention and says where it failed to connect.
    await page.goto(`${httpUrl}/chat.html`);
    await expect.poll(() => page.locator('#status').getAttribute('data-state'), WAIT).toBe('closed');
    expect(await page.locator('#status').innerText()).toMatch(new RegExp(`from ws://127\\.0\\.0\\.1:${Number(new URL(httpUrl).port) + 1}/chat$`));
  });
});
