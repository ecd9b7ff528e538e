// Browser test of the Explorer page (/explorer/) against the real server:
// builds the web bundle and the Go binary, starts `bildungsgraph serve` with
// a temporary embedded store (sample landscape), drives Debian's Chromium via
// playwright-core (no browser download) and checks search + network, gap
// view and shortest paths. Screenshots go to web/test/artifacts/.
//
//   npm --prefix web test        (needs: apt-get install chromium)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const webdir = path.resolve(here, '..');
const repo = path.resolve(webdir, '..');
const artifacts = path.join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, log, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms:\n${log.join('')}`);
}

describe('Explorer im Browser', { timeout: 300_000 }, () => {
  let tmp, server, browser, page, base;
  const serverLog = [];
  const consoleErrors = [];
  const foreignRequests = [];

  before(async () => {
    // Fail, never skip: the browser is a required test dependency.
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}; install it with: apt-get install chromium (the test never downloads a browser)`,
    );
    await mkdir(artifacts, { recursive: true });
    tmp = await mkdtemp(path.join(tmpdir(), 'bildungsgraph-explorer-'));

    // The Go binary embeds the bundle: build it from the current sources first.
    await run(process.execPath, ['build.mjs'], { cwd: webdir, maxBuffer: 1 << 24 });
    const bin = path.join(tmp, 'bildungsgraph');
    await run('go', ['build', '-o', bin, './cmd/bildungsgraph'], { cwd: repo, maxBuffer: 1 << 24 });

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(bin, ['serve', '--data', path.join(tmp, 'data.db'), '--addr', `127.0.0.1:${port}`], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => serverLog.push(String(d)));
    server.stderr.on('data', (d) => serverLog.push(String(d)));
    await waitReady(`${base}/readyz`, server, serverLog);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'de-DE' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (url.hostname !== '127.0.0.1') foreignRequests.push(req.url());
    });
    const res = await page.goto(`${base}/explorer/`);
    assert.equal(res.status(), 200, 'GET /explorer/');
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async () => {
    if (browser) await browser.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          server.kill('SIGKILL');
          r();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  function assertClean(step) {
    assert.deepEqual(consoleErrors, [], `${step}: console errors`);
    assert.deepEqual(foreignRequests, [], `${step}: requests to hosts other than 127.0.0.1`);
  }

  it('leitet / auf den Explorer um und verlinkt Exporte und GraphiQL', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/explorer/');
    for (const id of ['export-gexf', 'export-graphml', 'export-cyjs', 'export-json', 'link-graphiql']) {
      const href = await page.getByTestId(id).getAttribute('href');
      const r = await fetch(base + href);
      assert.equal(r.status, 200, `${id}: GET ${href}`);
    }
    assertClean('start');
  });

  it('sucht „Bildungsbüro“ und zeigt das Netzwerk', async () => {
    // A Stichtag goes into every query from here on (asOf).
    await page.getByTestId('asof').fill('2026-01-01');
    await page.getByTestId('search-input').fill('Bildungsbüro');
    await page.getByTestId('search-button').click();
    const result = page.getByTestId('search-result').filter({ hasText: 'Bildungsbüro Stadt Osnabrück' });
    await result.waitFor();
    await result.locator('button.result').click();
    await page.waitForFunction(() => window.explorer && window.explorer.graphReady && window.explorer.cy.nodes().length > 1);
    const graph = await page.evaluate(() => {
      const cy = window.explorer.cy;
      const bb = cy.elements().renderedBoundingBox();
      return { nodes: cy.nodes().length, edges: cy.edges().length, w: bb.w, h: bb.h, png: cy.png({ full: false }).length };
    });
    assert.ok(graph.nodes > 1, `nodes: ${graph.nodes}`);
    assert.ok(graph.edges >= 1, `edges: ${graph.edges}`);
    assert.ok(graph.w > 0 && graph.h > 0, `rendered bounding box ${graph.w}×${graph.h}`);
    const canvas = await page.locator('[data-testid="graph"] canvas').first().boundingBox();
    assert.ok(canvas && canvas.width > 100 && canvas.height > 100, `canvas box ${JSON.stringify(canvas)}`);
    assert.ok(graph.png > 5000, `cy.png() is ${graph.png} chars: nothing drawn?`);

    // Click the focus node: its details appear in the side panel.
    const pos = await page.evaluate(() => {
      const n = window.explorer.cy.getElementById('os.bildungsbuero').renderedPosition();
      return { x: n.x, y: n.y };
    });
    const box = await page.getByTestId('graph').boundingBox();
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    const details = page.getByTestId('details-list');
    await details.waitFor();
    const text = await details.innerText();
    for (const want of ['Bildungsbüro Stadt Osnabrück', 'Einrichtung', 'Kategorie', 'Quelle', 'gültig von']) {
      assert.ok(text.includes(want), `details lack ${want}:\n${text}`);
    }
    await page.screenshot({ path: path.join(artifacts, 'explorer-netzwerk.png'), fullPage: true });
    assertClean('network');
  });

  it('zeigt Lücken der Förderkette für Neuzugewanderte im Landkreis Osnabrück', async () => {
    await page.getByTestId('gap-phase').selectOption('phase.ankommen');
    await page.getByTestId('gap-target').selectOption('zielgruppe.neuzugewanderte');
    await page.getByTestId('gap-region').selectOption('lk-osnabrueck');
    await page.getByTestId('gap-button').click();
    await page.getByTestId('coverage-table').waitFor();
    assert.match(await page.getByTestId('coverage-table').locator('caption').innerText(), /Stichtag 2026-01-01/);
    const gaps = await page.$$eval('[data-testid="coverage-table"] td.gap', (tds) => tds.map((td) => td.title));
    assert.ok(gaps.length >= 1, 'no .gap cell');
    for (const title of gaps) assert.ok(title.trim().length > 0, 'gap cell without title');
    const items = await page.getByTestId('gap-list').locator('li').count();
    assert.ok(items >= 1, 'no gaps listed');
    await page.getByTestId('coverage').screenshot({ path: path.join(artifacts, 'explorer-luecken.png') });
    assertClean('gap view');
  });

  it('findet den Weg vom Migrationszentrum zur Kooperationskonferenz', async () => {
    await page.getByTestId('path-from').fill('lk-os.migrationszentrum');
    await page.getByTestId('path-to').fill('lk-os.kooperationskonferenz');
    await page.getByTestId('path-button').click();
    const first = page.getByTestId('path-explanation').first();
    await first.waitFor();
    assert.match(await first.innerText(), /Kooperationskonferenz/);
    const hl = await page.evaluate(() => window.explorer.cy.$('.highlight').length);
    assert.ok(hl >= 3, `highlighted elements: ${hl}`);
    await page.screenshot({ path: path.join(artifacts, 'explorer-weg.png'), fullPage: true });
    assertClean('paths');
  });
});
