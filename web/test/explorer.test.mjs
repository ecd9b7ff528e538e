// Browser test of the Explorer page (/explorer/) against the real server:
// builds the web bundle and the Go binary, starts `bildungsgraph serve` with
// a temporary embedded store (sample landscape), drives Debian's Chromium via
// playwright-core (no browser download) and checks search + network, the
// network filters (node kind, relationship kind, region, topic; the export
// links carry the same selection), size by centrality within the view,
// details, gap view and shortest paths. A second server with API keys and
// `--read-access token` checks the key control: the hint without a key, login
// (status, search, network), export downloads through fetch with the key,
// contact data in the details, a refused key, logout. Screenshots go to
// web/test/artifacts/.
//
//   npm --prefix web test        (needs: apt-get install chromium)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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

// Builds the web bundle and the Go binary (which embeds it) once for all
// blocks of this file, into a temporary directory removed at the end.
let built;
function buildBinary() {
  built ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bildungsgraph-explorer-bin-'));
    await run(process.execPath, ['build.mjs'], { cwd: webdir, maxBuffer: 1 << 24 });
    const bin = path.join(dir, 'bildungsgraph');
    await run('go', ['build', '-o', bin, './cmd/bildungsgraph'], { cwd: repo, maxBuffer: 1 << 24 });
    return { dir, bin };
  })();
  return built;
}

after(async () => {
  if (built) await rm((await built).dir, { recursive: true, force: true });
});

// Starts `bildungsgraph serve` with a temporary embedded store (sample
// landscape) in tmp, plus extra flags; returns the process and its base URL.
async function startServer(bin, tmp, log, extra = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(bin, ['serve', '--data', path.join(tmp, 'data.db'), '--addr', `127.0.0.1:${port}`, ...extra], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => log.push(String(d)));
  server.stderr.on('data', (d) => log.push(String(d)));
  await waitReady(`${base}/readyz`, server, log);
  return { server, base };
}

async function stopServer(server) {
  if (!server || server.exitCode !== null) return;
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

function launchBrowser() {
  // Fail, never skip: the browser is a required test dependency.
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}; install it with: apt-get install chromium (the test never downloads a browser)`,
  );
  return chromium.launch({
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
}

describe('Explorer im Browser', { timeout: 300_000 }, () => {
  let tmp, server, browser, page, base;
  const serverLog = [];
  const consoleErrors = [];
  const foreignRequests = [];
  const graphqlRequests = []; // operation names of the page's POSTs to /graphql

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    tmp = await mkdtemp(path.join(tmpdir(), 'bildungsgraph-explorer-'));

    // The Go binary embeds the bundle: build it from the current sources first.
    const { bin } = await buildBinary();
    ({ server, base } = await startServer(bin, tmp, serverLog));

    browser = await launchBrowser();
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
      if (url.pathname === '/graphql' && req.method() === 'POST') {
        let name = '?';
        try {
          name = JSON.parse(req.postData() || '{}').operationName || '?';
        } catch {
          // not JSON
        }
        graphqlRequests.push(name);
      }
    });
    const res = await page.goto(`${base}/explorer/`);
    assert.equal(res.status(), 200, 'GET /explorer/');
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async () => {
    if (browser) await browser.close();
    await stopServer(server);
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
    // Without keys the server reads publicly: anonymous, no hint to log in.
    assert.equal(await page.getByTestId('key-status').innerText(), 'anonym');
    assert.ok(await page.getByTestId('auth-hint').isHidden(), 'the hint to enter a key is shown although reading is public');
    assert.ok(await page.getByTestId('key-logout').isHidden(), '„Abmelden“ shown without a key');
    assert.equal(await page.getByTestId('api-key').getAttribute('type'), 'password');
    assert.ok(graphqlRequests.includes('Angemeldet'), `no viewer query: ${graphqlRequests}`);
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

  // --- Filter und Größe nach Kennzahl ---------------------------------------------
  // Every filter step checks the drawn graph (the Cytoscape instance the page
  // exposes as window.explorer.cy) and that the export links carry the same
  // selection: the .cyjs export, computed by the server from the link's
  // parameters, must hold exactly the drawn nodes and relationships.

  // Runs action and waits until the page has redrawn (or resized) and no
  // request is under way; fails on an error in the status line.
  async function settle(action) {
    const before = await page.evaluate(() => window.explorer.version);
    await action();
    await page.waitForFunction((v) => window.explorer.pending === 0 && window.explorer.version > v, before, { timeout: 30_000 });
    const st = page.getByTestId('status');
    assert.ok(!(await st.evaluate((e) => e.classList.contains('error'))), `status: ${await st.innerText()}`);
  }

  function drawn() {
    return page.evaluate(() => {
      const cy = window.explorer.cy;
      const counts = document.querySelector('[data-testid="visible-counts"]');
      return {
        nodes: cy.nodes().map((n) => ({ id: n.id(), kind: n.data('kind'), size: n.width(), visible: n.visible() })),
        edges: cy.edges().map((e) => ({ id: e.data('rel'), kind: e.data('kind'), source: e.data('source'), target: e.data('target') })),
        shownNodes: Number(counts.dataset.nodes),
        shownEdges: Number(counts.dataset.edges),
        countsText: counts.textContent,
        png: cy.png({ full: false }).length,
      };
    });
  }

  // Checks that something is drawn and that the counts say what is drawn.
  function assertDrawn(g, step) {
    assert.ok(g.nodes.length > 0, `${step}: no node drawn`);
    assert.ok(g.nodes.every((n) => n.visible && n.size > 0), `${step}: hidden or zero-size nodes`);
    assert.equal(g.shownNodes, g.nodes.length, `${step}: counts say ${g.shownNodes} nodes, ${g.nodes.length} drawn`);
    assert.equal(g.shownEdges, g.edges.length, `${step}: counts say ${g.shownEdges} relationships, ${g.edges.length} drawn`);
    assert.match(g.countsText, new RegExp(`Sichtbar: ${g.nodes.length} `), `${step}: counts text`);
    assert.ok(g.png > 5000, `${step}: cy.png() is ${g.png} chars: nothing drawn?`);
  }

  // The .cyjs export behind the page's link, as sorted id lists.
  async function exportedSelection() {
    const href = await page.getByTestId('export-cyjs').getAttribute('href');
    assert.ok(href, 'export link without href');
    const res = await fetch(base + href);
    assert.equal(res.status, 200, `GET ${href}`);
    const { elements } = await res.json();
    return {
      href,
      nodes: elements.nodes.map((n) => n.data.id).sort(),
      edges: elements.edges.map((e) => e.data.id).sort(),
    };
  }

  async function assertExportMatches(g, step) {
    const ex = await exportedSelection();
    assert.deepEqual(g.nodes.map((n) => n.id).sort(), ex.nodes, `${step}: drawn nodes differ from ${ex.href}`);
    assert.deepEqual(g.edges.map((e) => e.id).sort(), ex.edges, `${step}: drawn relationships differ from ${ex.href}`);
    return ex.href;
  }

  // Searches by name and opens the network of the result with that id.
  async function openFromSearch(q, id) {
    await page.getByTestId('search-input').fill(q);
    await page.getByTestId('search-button').click();
    const result = page.locator(`[data-testid="search-result"][data-id="${id}"] button.result`);
    await result.waitFor();
    await result.click();
  }

  const kindBox = (kind) => page.locator(`[data-testid="filter-kind"][value="${kind}"]`);
  const edgeBox = (kind) => page.locator(`[data-testid="filter-edge"][value="${kind}"]`);

  it('füllt die Filter aus der Schnittstelle', async () => {
    const regions = await page.$$eval('[data-testid="filter-region"] option', (os) => os.map((o) => o.value));
    for (const id of ['', 'niedersachsen', 'lk-osnabrueck', 'stadt-osnabrueck', 'georgsmarienhuette']) {
      assert.ok(regions.includes(id), `region choice ${id || '(alle)'} missing: ${regions}`);
    }
    // Subregions are indented below their region.
    const gmh = await page.locator('[data-testid="filter-region"] option[value="georgsmarienhuette"]').innerText();
    assert.match(gmh, /^\s+Georgsmarienhütte/, `not indented: ${JSON.stringify(gmh)}`);
    const topics = await page.$$eval('[data-testid="filter-topic"] optgroup', (gs) => gs.map((g) => [g.label, g.children.length]));
    assert.ok(topics.some(([label, n]) => label === 'Aktionsfelder' && n >= 1), `topic groups: ${JSON.stringify(topics)}`);
    assert.equal(await page.locator('[data-testid="filter-kind"]').count(), 10);
    assert.equal(await page.locator('[data-testid="filter-edge"]').count(), 15);
    // The network shown by the previous step: all filters open, export = view.
    const g = await drawn();
    assertDrawn(g, 'unfiltered');
    const href = await assertExportMatches(g, 'unfiltered');
    assert.match(href, /around=os\.bildungsbuero/);
    assert.match(href, /asOf=2026-01-01/);
    assert.doesNotMatch(href, /kind=/);
    assertClean('filter choices');
  });

  it('blendet eine Knotenart aus und wieder ein', async () => {
    const g0 = await drawn();
    assertDrawn(g0, 'before');
    assert.ok(g0.nodes.some((n) => n.kind === 'OFFER'), `no offer in the network: ${JSON.stringify(g0.nodes)}`);
    await settle(() => kindBox('OFFER').uncheck());
    const g1 = await drawn();
    assertDrawn(g1, 'without offers');
    assert.ok(g1.nodes.length < g0.nodes.length, `nodes ${g0.nodes.length} → ${g1.nodes.length}`);
    assert.deepEqual(g1.nodes.filter((n) => n.kind === 'OFFER'), [], 'offers still drawn');
    assert.ok(g1.nodes.some((n) => n.id === 'os.bildungsbuero'), 'focus node gone');
    assert.match(g1.countsText, new RegExp(`Sichtbar: ${g1.nodes.length} von ${g0.nodes.length} Knoten`));
    const offersVisible = g0.nodes.filter((n) => n.kind === 'OFFER').length;
    assert.equal(await page.locator('[data-count="OFFER"]').first().innerText(), `0/${offersVisible}`);
    assert.equal(await page.locator('[data-testid="legend"] li[data-kind="OFFER"]').getAttribute('class'), 'absent');
    const href = await assertExportMatches(g1, 'without offers');
    assert.match(href, /kind=INSTITUTION/);
    assert.doesNotMatch(href, /kind=OFFER/);
    await page.screenshot({ path: path.join(artifacts, 'explorer-filter-art.png'), fullPage: true });

    await settle(() => kindBox('OFFER').check());
    assert.equal((await drawn()).nodes.length, g0.nodes.length, 'offers back');
    assertClean('kind filter');
  });

  it('blendet eine Beziehungsart aus', async () => {
    const g0 = await drawn();
    assert.ok(g0.edges.some((e) => e.kind === 'SERVES'), 'no SERVES relationship in the network');
    await page.locator('[data-testid="filters"] details.checks summary').click();
    await settle(() => edgeBox('SERVES').uncheck());
    const g1 = await drawn();
    assertDrawn(g1, 'without SERVES');
    assert.deepEqual(g1.edges.filter((e) => e.kind === 'SERVES'), [], 'SERVES still drawn');
    assert.ok(g1.edges.length < g0.edges.length, `relationships ${g0.edges.length} → ${g1.edges.length}`);
    const href = await assertExportMatches(g1, 'without SERVES');
    assert.match(href, /edgeKind=LOCATED_IN/);
    assert.doesNotMatch(href, /edgeKind=SERVES/);
    await settle(() => edgeBox('SERVES').check());
    assert.equal((await drawn()).edges.length, g0.edges.length, 'SERVES back');
    assertClean('edge-kind filter');
  });

  it('filtert nach Gebiet und Aktionsfeld, auch zusammen mit der Art', async () => {
    // Two steps out of the Bildungsbüro reaches beyond Stadt Osnabrück.
    await settle(() => page.getByTestId('depth').selectOption('2'));
    const g0 = await drawn();
    assertDrawn(g0, 'depth 2');
    // The server selects the region (as the export does): one request.
    const sent = graphqlRequests.length;
    await settle(() => page.getByTestId('filter-region').selectOption('stadt-osnabrueck'));
    assert.deepEqual(graphqlRequests.slice(sent), ['Netzwerk'], 'requests for the region filter');
    const g1 = await drawn();
    assertDrawn(g1, 'Stadt Osnabrück');
    assert.ok(g1.nodes.length < g0.nodes.length, `nodes ${g0.nodes.length} → ${g1.nodes.length}`);
    assert.ok(g1.nodes.some((n) => n.id === 'stadt-osnabrueck'), 'the region itself is missing');
    // Of the regions only the city itself is left (it has no subregions), not
    // the Land it belongs to.
    assert.ok(g0.nodes.some((n) => n.kind === 'REGION' && n.id !== 'stadt-osnabrueck'), 'depth 2 reaches no other region');
    assert.deepEqual(g1.nodes.filter((n) => n.kind === 'REGION').map((n) => n.id), ['stadt-osnabrueck']);
    let href = await assertExportMatches(g1, 'region');
    assert.match(href, /region=stadt-osnabrueck/);

    // Combined with a kind filter: only the city's institutions (and the focus).
    for (const k of ['ACTOR', 'FOUNDATION', 'COMMITTEE', 'OFFER', 'LIFE_PHASE', 'TRANSITION', 'TARGET_GROUP', 'TOPIC']) {
      await settle(() => kindBox(k).uncheck());
    }
    const g2 = await drawn();
    assertDrawn(g2, 'region + kinds');
    assert.ok(g2.nodes.every((n) => n.kind === 'INSTITUTION' || n.kind === 'REGION'), JSON.stringify(g2.nodes));
    assert.ok(g2.nodes.length < g1.nodes.length);
    await assertExportMatches(g2, 'region + kinds');
    await page.getByTestId('visible-counts').screenshot({ path: path.join(artifacts, 'explorer-zaehler.png') });

    // Topic, without a focus node: the topic and who works on it.
    await settle(() => page.getByTestId('filter-reset').click());
    await settle(() => page.getByTestId('filter-topic').selectOption('thema.uebergangsmanagement'));
    await settle(() => page.getByTestId('show-selection').click());
    const g3 = await drawn();
    assertDrawn(g3, 'topic');
    assert.ok(g3.nodes.some((n) => n.id === 'thema.uebergangsmanagement'), 'the topic itself is missing');
    assert.ok(g3.nodes.length >= 3, `only ${g3.nodes.length} nodes on the topic`);
    for (const n of g3.nodes) {
      if (n.id === 'thema.uebergangsmanagement') continue;
      assert.ok(
        g3.edges.some((e) => e.kind === 'WORKS_ON' && e.source === n.id && e.target === 'thema.uebergangsmanagement'),
        `${n.id} is drawn but does not work on the topic`,
      );
    }
    href = await assertExportMatches(g3, 'topic');
    assert.match(href, /topic=thema\.uebergangsmanagement/);
    assert.doesNotMatch(href, /around=/);
    await page.screenshot({ path: path.join(artifacts, 'explorer-filter-thema.png'), fullPage: true });
    await settle(() => page.getByTestId('filter-reset').click());
    assertClean('region and topic filter');
  });

  it('zeigt Knoten nach Betweenness unterschiedlich groß', async () => {
    await settle(() => openFromSearch('Kreisverwaltung', 'lk-os.kreisverwaltung'));
    const unchecked = await page.locator('[data-testid="filter-kind"]:not(:checked), [data-testid="filter-edge"]:not(:checked)').count();
    if (unchecked > 0 || (await page.getByTestId('filter-region').inputValue()) !== '') {
      await settle(() => page.getByTestId('filter-reset').click()); // after a failed filter test
    }
    const g0 = await drawn();
    assertDrawn(g0, 'Kreisverwaltung');
    const plain = new Set(g0.nodes.filter((n) => n.id !== 'lk-os.kreisverwaltung').map((n) => n.size));
    assert.equal(plain.size, 1, `sizes before choosing a measure: ${[...plain]}`);

    await settle(() => page.getByTestId('size-by').selectOption('betweenness'));
    const g1 = await drawn();
    assertDrawn(g1, 'betweenness');
    assert.deepEqual(g1.nodes.map((n) => n.id).sort(), g0.nodes.map((n) => n.id).sort(), 'sizing changed the nodes');
    assert.match(await page.getByTestId('size-legend').innerText(), /Koordinationsnetz der gezeigten Knoten/);
    const sizes = g1.nodes.map((n) => n.size);
    assert.ok(new Set(sizes).size >= 3, `only ${new Set(sizes).size} distinct sizes: ${sizes}`);
    assert.ok(Math.max(...sizes) >= 2 * Math.min(...sizes), `sizes ${Math.min(...sizes)}…${Math.max(...sizes)}`);

    // The sizes follow the API's values: ask the centrality query directly
    // (the page's default scope: the coordination network among exactly the
    // drawn nodes, on the Stichtag).
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: 'query($s: AnalysisScope) { centrality(scope: $s) { nodes { node { id } betweenness } } }',
        variables: { s: { ids: g1.nodes.map((n) => n.id), asOf: '2026-01-01' } },
      }),
    });
    const body = await res.json();
    assert.ok(!body.errors, JSON.stringify(body.errors));
    const value = new Map(body.data.centrality.nodes.map((x) => [x.node.id, x.betweenness]));
    const measured = g1.nodes.filter((n) => value.has(n.id));
    assert.ok(measured.length >= 3, `only ${measured.length} drawn nodes have a betweenness`);
    for (const a of measured) {
      for (const b of measured) {
        if (value.get(a.id) > value.get(b.id)) {
          assert.ok(a.size > b.size, `${a.id} (${value.get(a.id)}) not larger than ${b.id} (${value.get(b.id)}): ${a.size} vs ${b.size}`);
        }
      }
    }
    // Nodes outside the coordination network are drawn smallest.
    const outside = g1.nodes.filter((n) => !value.has(n.id));
    for (const n of outside) assert.ok(n.size < Math.min(...measured.map((m) => m.size)) + 0.01, `${n.id} outside the scope but size ${n.size}`);

    // The biggest node's details show its betweenness.
    const top = measured.reduce((a, b) => (value.get(b.id) > value.get(a.id) ? b : a));
    const pos = await page.evaluate((id) => window.explorer.cy.getElementById(id).renderedPosition(), top.id);
    const box = await page.getByTestId('graph').boundingBox();
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    await page.waitForFunction((id) => document.querySelector('[data-testid="details-list"]')?.innerText.includes(id), top.id);
    const m = page.getByTestId('details-measure');
    assert.equal(Number(await m.getAttribute('data-value')), value.get(top.id));
    assert.match(await page.getByTestId('details-list').innerText(), /Betweenness/);
    await page.screenshot({ path: path.join(artifacts, 'explorer-groesse.png'), fullPage: true });

    await settle(() => page.getByTestId('size-by').selectOption(''));
    const g2 = await drawn();
    assert.equal(new Set(g2.nodes.filter((n) => n.id !== 'lk-os.kreisverwaltung').map((n) => n.size)).size, 1, 'sizes not equal again');
    assertClean('size by centrality');
  });

  it('zeigt Quellen und Gültigkeit in den Details', async () => {
    // The Bildungsbüro of the previous step's network, clicked in the graph.
    await settle(() => openFromSearch('Bildungsbüro', 'os.bildungsbuero'));
    const list = page.getByTestId('details-list');
    const text = await list.innerText();
    assert.match(text, /Quelle[\s\S]*Lernen vor Ort/, text);
    assert.match(text, /gültig von\s+01\.09\.2009/, text);
    assert.match(text, /gültig bis\s+bis auf Weiteres/, text);
    const rels = page.getByTestId('details-relationships');
    await rels.locator('summary').click();
    const relText = await rels.innerText();
    assert.match(relText, /Quelle: .+/);
    assert.match(relText, /gültig (ab|seit)/);
    // Contact data is for keys only: anonymous, the page never asks for it.
    assert.equal(await page.getByTestId('details-contact').count(), 0, 'contact shown anonymously');
    assert.ok(!graphqlRequests.includes('Kontakt'), `contact requested anonymously: ${graphqlRequests}`);
    assertClean('details');
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

// --- API-Schlüssel ----------------------------------------------------------------
// A second server with a keys file and `--read-access token`: every GraphQL
// and export request needs a key. Proves that the page works in that mode
// (hint without a key, the key on every request, exports through fetch) and
// that contact data shows for a reader's key.

describe('Explorer mit API-Schlüssel (Lesen nur mit Schlüssel)', { timeout: 300_000 }, () => {
  let tmp, server, browser, page, base, readerKey, editorKey;
  const serverLog = [];
  const consoleErrors = [];
  const foreignRequests = [];
  const requests = []; // {name, auth} of the page's POSTs to /graphql
  // Made up for the test: the sample landscape has no contact data.
  const CONTACT = { id: 'lk-os.migrationszentrum', email: 'migrationszentrum@example.org', phone: '0000 000000' };
  const KEY_STORAGE = 'bildungsgraph.apiKey';

  // `bildungsgraph apikey` prints the new key on stdout and appends its hash.
  async function newKey(bin, name, role, file) {
    const { stdout } = await run(bin, ['apikey', '--name', name, '--role', role, '--append', file], { cwd: tmp });
    const key = stdout.trim();
    assert.match(key, /^bg_[\w-]{20,}$/, `apikey printed ${JSON.stringify(stdout)}`);
    return key;
  }

  async function api(query, variables, key) {
    const headers = { 'Content-Type': 'application/json' };
    if (key) headers.Authorization = `Bearer ${key}`;
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: await res.json() };
  }

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    tmp = await mkdtemp(path.join(tmpdir(), 'bildungsgraph-explorer-keys-'));
    const { bin } = await buildBinary();
    const keysFile = path.join(tmp, 'api-keys.txt');
    readerKey = await newKey(bin, 'Testleser', 'reader', keysFile);
    editorKey = await newKey(bin, 'Testredaktion', 'editor', keysFile);
    const lines = await readFile(keysFile, 'utf8');
    assert.ok(!lines.includes(readerKey) && !lines.includes(editorKey), 'the keys file holds a key, not only its hash');
    ({ server, base } = await startServer(bin, tmp, serverLog, ['--api-keys-file', keysFile, '--read-access', 'token']));

    const anon = await api('{ viewer { name } }');
    assert.equal(anon.status, 401, `anonymous request in token mode: ${JSON.stringify(anon)}`);
    const upd = await api(
      'mutation($id: ID!, $p: NodePatch!) { updateNode(id: $id, patch: $p) { id } }',
      { id: CONTACT.id, p: { contactEmail: CONTACT.email, contactPhone: CONTACT.phone } },
      editorKey,
    );
    assert.equal(upd.status, 200, JSON.stringify(upd.body));
    assert.ok(!upd.body.errors, `updateNode: ${JSON.stringify(upd.body.errors)}`);

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'de-DE', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (msg) => {
      // Chromium logs every refused request (401) as an error; they are expected here.
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (url.hostname !== '127.0.0.1') foreignRequests.push(req.url());
      if (url.pathname === '/graphql' && req.method() === 'POST') {
        let name = '?';
        try {
          name = JSON.parse(req.postData() || '{}').operationName || '?';
        } catch {
          // not JSON
        }
        requests.push({ name, auth: req.headers().authorization || '' });
      }
    });
    const res = await page.goto(`${base}/explorer/`);
    assert.equal(res.status(), 200, 'GET /explorer/ (the page itself needs no key)');
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async () => {
    if (browser) await browser.close();
    await stopServer(server);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  function assertClean(step) {
    assert.deepEqual(consoleErrors, [], `${step}: console errors`);
    assert.deepEqual(foreignRequests, [], `${step}: requests to hosts other than 127.0.0.1`);
  }

  const idle = () => page.waitForFunction(() => window.explorer.pending === 0, null, { timeout: 30_000 });
  const keyStatus = () => page.getByTestId('key-status').innerText();
  const stored = () => page.evaluate((k) => ({ session: sessionStorage.getItem(k), local: localStorage.length }), KEY_STORAGE);
  const operationResponse = (name) =>
    page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql' && r.request().postDataJSON()?.operationName === name);

  async function searchFor(q) {
    const answered = operationResponse('Suche');
    await page.getByTestId('search-input').fill(q);
    await page.getByTestId('search-button').click();
    await answered;
    await idle();
  }

  async function login(key) {
    await page.getByTestId('api-key').fill(key);
    await page.getByTestId('key-login').click();
    await idle();
  }

  it('zeigt ohne Schlüssel einen Hinweis statt eines leeren Netzwerks', async () => {
    const hint = page.getByTestId('auth-hint');
    assert.ok(await hint.isVisible(), 'no hint to enter a key');
    assert.match(await hint.innerText(), /nur mit API-Schlüssel/);
    assert.equal(await keyStatus(), 'anonym');
    const st = page.getByTestId('status');
    assert.match(await st.innerText(), /API-Schlüssel eingeben/);
    assert.ok(await st.evaluate((e) => e.classList.contains('error')), 'the hint in the status line is not marked');
    // A search gets the same hint, not a blank list or a raw error.
    await searchFor('Migrationszentrum');
    assert.match(await st.innerText(), /^Dieser Server gibt Daten nur mit API-Schlüssel heraus/);
    assert.equal(await page.getByTestId('search-result').count(), 0);
    assert.equal(await page.evaluate(() => window.explorer.cy.nodes().length), 0, 'a network is drawn without a key');
    assert.ok(requests.length >= 2 && requests.every((r) => r.auth === ''), `requests: ${JSON.stringify(requests)}`);
    assert.ok(!requests.some((r) => r.name === 'Kontakt'), 'contact requested without a key');
    await page.screenshot({ path: path.join(artifacts, 'explorer-schluessel-fehlt.png'), fullPage: true });
    assertClean('without key');
  });

  it('behält einen ungültigen Schlüssel nicht', async () => {
    const bad = 'bg_ungueltigerTestschluessel';
    await login(bad);
    const text = await keyStatus();
    assert.match(text, /^Schlüssel ungültig: /);
    assert.match(text, /the API key is not valid/, 'the server\'s message is missing');
    assert.ok(await page.getByTestId('key-status').evaluate((e) => e.classList.contains('error')));
    assert.deepEqual(await stored(), { session: null, local: 0 }, 'the refused key was kept');
    assert.equal(await page.getByTestId('api-key').inputValue(), '', 'the refused key stays in the field');
    assert.ok(await page.getByTestId('key-logout').isHidden(), '„Abmelden“ shown after a refused key');
    assert.ok(await page.getByTestId('auth-hint').isVisible(), 'the hint is gone after a refused key');
    assert.ok(requests.some((r) => r.name === 'Angemeldet' && r.auth === `Bearer ${bad}`), 'the key was not checked with the server');
    // The next request goes without it.
    const sent = requests.length;
    await searchFor('Migrationszentrum');
    assert.deepEqual(requests.slice(sent), [{ name: 'Suche', auth: '' }]);
    assertClean('invalid key');
  });

  it('meldet mit dem Leserschlüssel an: Suche und Netzwerk', async () => {
    const sent = requests.length;
    await login(readerKey);
    assert.equal(await keyStatus(), 'angemeldet als Testleser (Leser)');
    assert.ok(await page.getByTestId('auth-hint').isHidden(), 'the hint stays after login');
    assert.ok(await page.getByTestId('key-logout').isVisible(), 'no „Abmelden“');
    assert.deepEqual(await stored(), { session: readerKey, local: 0 }, 'the key belongs in sessionStorage only');
    // The choices that failed without a key are loaded now.
    const regions = await page.$$eval('[data-testid="filter-region"] option', (os) => os.map((o) => o.value));
    assert.ok(regions.includes('lk-osnabrueck'), `region choices: ${regions}`);

    await searchFor('Migrationszentrum');
    const result = page.locator(`[data-testid="search-result"][data-id="${CONTACT.id}"] button.result`);
    await result.waitFor();
    await result.click();
    await page.waitForFunction(() => window.explorer.graphReady && window.explorer.cy.nodes().length > 1);
    await idle();
    const st = page.getByTestId('status');
    assert.ok(!(await st.evaluate((e) => e.classList.contains('error'))), `status: ${await st.innerText()}`);
    const graph = await page.evaluate(() => {
      const cy = window.explorer.cy;
      return { nodes: cy.nodes().length, edges: cy.edges().length, png: cy.png({ full: false }).length };
    });
    assert.ok(graph.nodes > 1 && graph.edges >= 1, JSON.stringify(graph));
    assert.ok(graph.png > 5000, `cy.png() is ${graph.png} chars: nothing drawn?`);
    const mine = requests.slice(sent);
    assert.ok(mine.some((r) => r.name === 'Netzwerk'), JSON.stringify(mine));
    for (const r of mine) assert.equal(r.auth, `Bearer ${readerKey}`, `${r.name} without the key`);
    assertClean('login');
  });

  it('zeigt die Kontaktdaten in den Details', async () => {
    // The focus node's details are open after the network loaded.
    const email = page.getByTestId('contact-email');
    await email.waitFor();
    assert.equal(await email.innerText(), CONTACT.email);
    assert.equal(await email.getAttribute('href'), `mailto:${CONTACT.email}`);
    const phone = page.getByTestId('contact-phone');
    assert.equal(await phone.innerText(), CONTACT.phone);
    assert.equal(await phone.getAttribute('href'), 'tel:0000000000');
    const text = await page.getByTestId('details-list').innerText();
    assert.match(text, /E-Mail\s+migrationszentrum@example\.org/);
    assert.match(text, /Telefon\s+0000 000000/);
    assert.ok(requests.some((r) => r.name === 'Kontakt' && r.auth === `Bearer ${readerKey}`), 'no Kontakt request with the key');
    await page.screenshot({ path: path.join(artifacts, 'explorer-kontakt.png'), fullPage: true });

    // Another institution or actor: asked, but without contact data; a region: not asked.
    const others = await page.evaluate((self) => {
      const nodes = window.explorer.cy.nodes().filter((n) => n.id() !== self);
      const pick = (kinds) => (nodes.filter((n) => kinds.includes(n.data('kind')))[0] || { id: () => null }).id();
      return { coord: pick(['INSTITUTION', 'ACTOR', 'COMMITTEE', 'FOUNDATION']), region: pick(['REGION', 'OFFER', 'TOPIC']) };
    }, CONTACT.id);
    assert.ok(others.coord && others.region, JSON.stringify(others));
    // (The block body: returning the element would serialise all of Cytoscape.)
    const tap = (id) => page.evaluate((x) => {
      window.explorer.cy.getElementById(x).emit('tap');
    }, id);
    await tap(others.coord);
    await idle();
    assert.match(await page.getByTestId('details-list').innerText(), new RegExp(others.coord.replace(/\./g, '\\.')));
    assert.match(await page.getByTestId('details-contact').innerText(), /keine Kontaktdaten hinterlegt/);
    await tap(others.region);
    await idle();
    assert.match(await page.getByTestId('details-list').innerText(), new RegExp(others.region.replace(/\./g, '\\.')));
    assert.equal(await page.getByTestId('details-contact').count(), 0, `contact row for ${others.region}`);
    assertClean('contact');
  });

  it('lädt Exporte mit dem Schlüssel herunter', async () => {
    const link = page.getByTestId('export-cyjs');
    const href = await link.getAttribute('href');
    assert.match(href, /^\/export\/landscape\.cyjs\?around=lk-os\.migrationszentrum&depth=1$/);
    const plain = await fetch(base + href);
    assert.equal(plain.status, 401, 'the export is readable without a key: the test proves nothing');

    const [cyjs] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(cyjs.suggestedFilename(), 'landscape.cyjs');
    const doc = JSON.parse(await readFile(await cyjs.path(), 'utf8'));
    const drawn = await page.evaluate(() => window.explorer.cy.nodes().map((n) => n.id()).sort());
    assert.deepEqual(doc.elements.nodes.map((n) => n.data.id).sort(), drawn, 'the download is not the drawn network');
    const node = doc.elements.nodes.find((n) => n.data.id === CONTACT.id);
    assert.equal(node.data.contactEmail, CONTACT.email, 'the export lacks the contact data a reader sees');

    const [gexf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gexf').click()]);
    assert.equal(gexf.suggestedFilename(), 'landscape.gexf');
    const xml = await readFile(await gexf.path(), 'utf8');
    assert.match(xml, /^<\?xml[^>]*\?>\s*<gexf /);
    assert.ok(xml.includes(CONTACT.id), 'GEXF without the network');

    await idle();
    assert.equal(new URL(page.url()).pathname, '/explorer/', 'the click navigated away');
    assert.match(await page.getByTestId('status').innerText(), /Export landscape\.gexf heruntergeladen/);
    assertClean('export');
  });

  it('bleibt nach dem Neuladen im selben Tab angemeldet', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await idle();
    assert.equal(await keyStatus(), 'angemeldet als Testleser (Leser)');
    assert.ok(await page.getByTestId('auth-hint').isHidden(), 'hint after reload with a kept key');
    await searchFor('Migrationszentrum');
    await page.locator(`[data-testid="search-result"][data-id="${CONTACT.id}"] button.result`).click();
    await page.waitForFunction(() => window.explorer.graphReady && window.explorer.cy.nodes().length > 1);
    await page.getByTestId('contact-email').waitFor();
    await idle();
    assertClean('reload');
  });

  it('meldet ab und vergisst den Schlüssel', async () => {
    await page.getByTestId('key-logout').click();
    await idle();
    assert.equal(await keyStatus(), 'anonym');
    assert.deepEqual(await stored(), { session: null, local: 0 });
    assert.ok(await page.getByTestId('auth-hint').isVisible(), 'no hint after logout');
    assert.ok(await page.getByTestId('api-key').isVisible(), 'no key field after logout');
    // Nothing read with the key stays on the shared screen.
    assert.equal(await page.evaluate(() => window.explorer.cy.nodes().length), 0, 'the network stays after logout');
    assert.equal(await page.getByTestId('details-contact').count(), 0, 'contact data stays after logout');
    assert.equal(await page.getByTestId('search-result').count(), 0, 'search results stay after logout');
    assert.match(await page.getByTestId('status').innerText(), /nur mit API-Schlüssel/);
    // The export links are plain links again.
    const href = await page.getByTestId('export-cyjs').getAttribute('href');
    assert.equal(href, '/export/landscape.cyjs');
    assertClean('logout');
  });
});
