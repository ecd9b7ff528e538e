// Browser test of the Explorer page (/explorer/) against the real server:
// builds the web bundle and the Go binary, starts `bildungsgraph serve` with
// a temporary embedded store (sample landscape), drives Debian's Chromium via
// playwright-core (no browser download) and checks search + network, the
// network filters (node kind, relationship kind, region, topic; the export
// links carry the same selection), size by centrality within the view,
// details, gap view and shortest paths. Screenshots go to web/test/artifacts/.
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
  const graphqlRequests = []; // operation names of the page's POSTs to /graphql

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
