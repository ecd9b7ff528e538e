// Explorer für bildungsgraph: Suche, Netzwerk (Cytoscape), Lückenansicht und
// Wege. Die Seite spricht nur mit der öffentlichen GraphQL-Schnittstelle
// (POST an den Endpunkt, gleiche Herkunft); gebündelt von web/build.mjs.
import cytoscape from 'cytoscape';
import './explorer.css';

const MARKER = '__BILDUNGSGRAPH_GRAPHQL_ENDPOINT__';
const root = document.getElementById('explorer');
const attr = (root && root.getAttribute('data-endpoint')) || '';
const endpoint = attr === '' || attr.includes(MARKER) ? '/graphql' : attr;

const KINDS = {
  ACTOR: { label: 'Akteur', color: '#1f77b4' },
  INSTITUTION: { label: 'Einrichtung', color: '#2ca02c' },
  FOUNDATION: { label: 'Stiftung', color: '#bcbd22' },
  COMMITTEE: { label: 'Gremium', color: '#d62728' },
  REGION: { label: 'Gebiet', color: '#7f7f7f' },
  OFFER: { label: 'Angebot', color: '#ff7f0e' },
  LIFE_PHASE: { label: 'Lebensphase', color: '#9467bd' },
  TRANSITION: { label: 'Übergang', color: '#8c564b' },
  TARGET_GROUP: { label: 'Zielgruppe', color: '#e377c2' },
  TOPIC: { label: 'Aktionsfeld', color: '#17becf' },
};

const RELS = {
  MEMBER_OF: 'Mitglied von',
  COORDINATES: 'koordiniert',
  RESPONSIBLE_FOR: 'verantwortet',
  PART_OF: 'Teil von',
  COOPERATES_WITH: 'kooperiert mit',
  FUNDS: 'fördert',
  PROVIDES: 'bietet an',
  SUPPORTS: 'unterstützt',
  TARGETS: 'richtet sich an',
  SERVES: 'versorgt',
  LOCATED_IN: 'liegt in',
  REFERS_TO: 'vermittelt an',
  WORKS_ON: 'arbeitet in',
  FROM_PHASE: 'beginnt in',
  TO_PHASE: 'führt zu',
};

const GAP_REASONS = {
  NO_OFFER: 'Kein Angebot',
  OFFER_EXPIRED: 'Ausgelaufen',
  ONLY_ELSEWHERE: 'Nur anderswo',
  NO_HANDOVER: 'Keine Übergabe',
  NO_COORDINATION: 'Keine Koordination',
};

// `category` has a different enum type per node type, so each gets an alias.
const NODE_FIELDS = `
fragment N on Node {
  id kind name description source illustrative validFrom validTo
  ... on Actor { catActor: category }
  ... on Institution { catInstitution: category }
  ... on Foundation { catFoundation: category }
  ... on Committee { catCommittee: category }
  ... on Region { catRegion: category }
  ... on Offer { catOffer: category }
  ... on Topic { catTopic: category }
}`;

const REL_FIELDS = 'id kind from { id } to { id } role agreement description source validFrom validTo';

const Q_SEARCH = `query Suche($q: String!, $asOf: Date) {
  nodes(filter: { name: { contains: $q } }, first: 20, asOf: $asOf, orderBy: [{ field: NAME }]) { nodes { id kind name } }
}`;

const Q_NEIGHBOURHOOD = `query Netzwerk($id: ID!, $depth: Int, $asOf: Date) {
  neighbourhood(ids: [$id], depth: $depth, asOf: $asOf, maxNodes: 300) {
    truncated nodes { ...N } relationships { ${REL_FIELDS} }
  }
}${NODE_FIELDS}`;

const Q_PATHS = `query Weg($from: ID!, $to: ID!, $asOf: Date) {
  shortestPaths(from: $from, to: $to, maxPaths: 3, asOf: $asOf) {
    length total truncated from { name } to { name }
    paths { explanation nodes { ...N } steps { relationships { ${REL_FIELDS} } } }
  }
}${NODE_FIELDS}`;

const Q_CHOICES = `query Auswahl {
  phases: nodes(kinds: [LIFE_PHASE], first: 200, orderBy: [{ field: NAME }]) { nodes { id name } }
  targets: nodes(kinds: [TARGET_GROUP], first: 200, orderBy: [{ field: NAME }]) { nodes { id name } }
  regions: nodes(kinds: [REGION], first: 200, orderBy: [{ field: NAME }]) { nodes { id name } }
}`;

const Q_COVERAGE = `query Luecken($fromPhase: ID, $targetGroup: ID, $region: ID!, $asOf: Date) {
  coverage(fromPhase: $fromPhase, targetGroup: $targetGroup, region: $region, asOf: $asOf) {
    asOf district { name } targetGroup { name }
    links { index isTransition node { id name } }
    regions { id name }
    cells { link region { id } offers { name } expired { name } }
    gaps { reason severity link region { id name } explanation }
  }
}`;

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function asOf() {
  return $('asof').value || null;
}

function status(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', isError);
}

async function gql(query, variables = {}) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`Antwort des Servers unlesbar (HTTP ${res.status})`);
  }
  if (body.errors && body.errors.length > 0) {
    throw new Error(body.errors.map((e) => e.message).join('; '));
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return body.data;
}

// Runs an action and reports failures in the page (not on the console).
async function guarded(what, fn) {
  status(`${what} …`);
  try {
    await fn();
    status('');
  } catch (err) {
    status(`${what} fehlgeschlagen: ${err.message}`, true);
  }
}

// --- Netzwerk ----------------------------------------------------------------

const cy = cytoscape({
  container: $('graph'),
  wheelSensitivity: 0.3,
  minZoom: 0.1,
  maxZoom: 3,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        label: 'data(label)',
        'font-size': 9,
        'text-wrap': 'ellipsis',
        'text-max-width': 120,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        color: '#222',
        width: 22,
        height: 22,
      },
    },
    { selector: 'node.focus', style: { width: 34, height: 34, 'border-width': 3, 'border-color': '#111' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f5c400' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': '#b5b5b5',
        'target-arrow-color': '#b5b5b5',
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 7,
        color: '#666',
        'text-rotation': 'autorotate',
        'text-background-color': '#fff',
        'text-background-opacity': 0.8,
      },
    },
    { selector: '.faded', style: { opacity: 0.2 } },
    { selector: 'node.highlight', style: { 'border-width': 4, 'border-color': '#f5c400' } },
    { selector: 'edge.highlight', style: { width: 4, 'line-color': '#f5c400', 'target-arrow-color': '#f5c400' } },
  ],
});

const nodeData = new Map(); // id -> node as returned by the API
const relData = new Map(); // id -> relationship

function category(n) {
  return n.catActor || n.catInstitution || n.catFoundation || n.catCommittee || n.catRegion || n.catOffer || n.catTopic || null;
}

// focusId: concentric layout around it; pathFrom: breadth-first layout from
// the start of a path; neither: cose.
function showGraph(nodes, relationships, focusId, pathFrom) {
  nodeData.clear();
  relData.clear();
  const ids = new Set();
  const elements = [];
  for (const n of nodes) {
    if (ids.has(n.id)) continue;
    ids.add(n.id);
    nodeData.set(n.id, n);
    const kind = KINDS[n.kind] || { color: '#999' };
    elements.push({ group: 'nodes', data: { id: n.id, label: n.name, color: kind.color, kind: n.kind }, classes: n.id === focusId ? 'focus' : '' });
  }
  for (const r of relationships) {
    if (relData.has(r.id) || !ids.has(r.from.id) || !ids.has(r.to.id)) continue;
    relData.set(r.id, r);
    elements.push({ group: 'edges', data: { id: `rel:${r.id}`, rel: r.id, source: r.from.id, target: r.to.id, label: RELS[r.kind] || r.kind } });
  }
  cy.elements().remove();
  cy.add(elements);
  const layout = focusId
    ? {
        // focus in the middle, its direct neighbours around it, the rest outside
        name: 'concentric',
        concentric: (n) => (n.id() === focusId ? 2 : n.edgesWith(cy.getElementById(focusId)).length > 0 ? 1 : 0),
        levelWidth: () => 1,
        minNodeSpacing: 30,
        animate: false,
      }
    : pathFrom
      ? { name: 'breadthfirst', directed: false, roots: [pathFrom], spacingFactor: 1.1, animate: false }
      : { name: 'cose', animate: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 90 };
  cy.resize();
  cy.layout(layout).run();
  cy.fit(undefined, 30);
  window.explorer.graphReady = true;
}

async function openNetwork(id) {
  await guarded('Netzwerk laden', async () => {
    const depth = Number($('depth').value) || 1;
    const data = await gql(Q_NEIGHBOURHOOD, { id, depth, asOf: asOf() });
    const sg = data.neighbourhood;
    showGraph(sg.nodes, sg.relationships, id);
    if (nodeData.has(id)) showDetails(nodeData.get(id));
    if (sg.truncated) status('Ausschnitt gekürzt (zu viele Knoten).');
  });
  window.explorer.current = id;
}

function row(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value === null || value === undefined || value === '' ? '–' : String(value) })];
}

function showDetails(n) {
  const d = $('details');
  d.replaceChildren(el('h2', { text: 'Details' }));
  const kind = KINDS[n.kind];
  const source = /^https?:\/\//.test(n.source || '')
    ? el('a', { href: n.source, rel: 'noreferrer noopener', target: '_blank', text: n.source })
    : null;
  const dl = el(
    'dl',
    { 'data-testid': 'details-list' },
    ...row('Name', n.name),
    ...row('Kennung', n.id),
    ...row('Art', kind ? kind.label : n.kind),
    ...row('Kategorie', category(n)),
    ...row('Beschreibung', n.description),
    el('dt', { text: 'Quelle' }),
    el('dd', {}, source || (n.source || '–')),
    ...row('gültig von', n.validFrom),
    ...row('gültig bis', n.validTo),
  );
  d.append(dl);
  if (n.illustrative) d.append(el('p', { class: 'hint', text: 'Illustratives Beispiel (Beispieldaten ohne Quelldokument).' }));
  d.append(
    el('div', { class: 'buttons' },
      el('button', { type: 'button', text: 'Netzwerk zeigen', onclick: () => openNetwork(n.id) }),
      el('button', { type: 'button', text: 'als Start', onclick: () => ($('path-from').value = n.id) }),
      el('button', { type: 'button', text: 'als Ziel', onclick: () => ($('path-to').value = n.id) }),
    ),
  );
}

function showRelationship(r) {
  const d = $('details');
  const name = (id) => (nodeData.get(id) || { name: id }).name;
  d.replaceChildren(
    el('h2', { text: 'Beziehung' }),
    el('dl', {},
      ...row('Von', name(r.from.id)),
      ...row('Art', RELS[r.kind] || r.kind),
      ...row('Nach', name(r.to.id)),
      ...row('Rolle', r.role),
      ...row('Vereinbarung', r.agreement),
      ...row('Beschreibung', r.description),
      ...row('Quelle', r.source),
      ...row('gültig von', r.validFrom),
      ...row('gültig bis', r.validTo),
    ),
  );
}

cy.on('tap', 'node', (evt) => {
  const n = nodeData.get(evt.target.id());
  if (n) showDetails(n);
});
cy.on('tap', 'edge', (evt) => {
  const r = relData.get(evt.target.data('rel'));
  if (r) showRelationship(r);
});

function renderLegend() {
  $('legend').replaceChildren(
    ...Object.entries(KINDS).map(([kind, k]) =>
      el('li', { 'data-kind': kind }, el('span', { class: 'swatch', style: `background:${k.color}` }), k.label),
    ),
  );
}

// --- Suche ---------------------------------------------------------------------

async function search(q) {
  await guarded('Suche', async () => {
    const data = await gql(Q_SEARCH, { q, asOf: asOf() });
    const items = data.nodes.nodes;
    const list = $('results');
    if (items.length === 0) {
      list.replaceChildren(el('li', { class: 'hint', text: 'Keine Treffer.' }));
      return;
    }
    list.replaceChildren(
      ...items.map((n) =>
        el('li', { 'data-testid': 'search-result', 'data-id': n.id },
          el('button', { type: 'button', class: 'result', title: n.id, onclick: () => openNetwork(n.id) },
            el('span', { class: 'swatch', style: `background:${(KINDS[n.kind] || {}).color || '#999'}` }),
            n.name,
            el('small', { text: ` ${(KINDS[n.kind] || {}).label || n.kind}` }),
          ),
          el('span', { class: 'pick' },
            el('button', { type: 'button', title: 'als Start des Weges', text: 'Start', onclick: () => ($('path-from').value = n.id) }),
            el('button', { type: 'button', title: 'als Ziel des Weges', text: 'Ziel', onclick: () => ($('path-to').value = n.id) }),
          ),
        ),
      ),
    );
  });
}

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = $('search').value.trim();
  if (q) search(q);
});

// --- Weg finden ------------------------------------------------------------------

function highlightPath(path, item) {
  cy.elements().removeClass('highlight').addClass('faded');
  const ids = path.nodes.map((n) => n.id);
  for (const id of ids) cy.getElementById(id).removeClass('faded').addClass('highlight');
  for (const step of path.steps) {
    for (const r of step.relationships) cy.getElementById(`rel:${r.id}`).removeClass('faded').addClass('highlight');
  }
  for (const li of $('paths').querySelectorAll('li')) li.classList.toggle('active', li === item);
}

async function findPaths(from, to) {
  await guarded('Weg suchen', async () => {
    const data = await gql(Q_PATHS, { from, to, asOf: asOf() });
    const res = data.shortestPaths;
    const box = $('paths');
    if (res.length < 0 || res.paths.length === 0) {
      box.replaceChildren(el('p', { class: 'hint', 'data-testid': 'path-none', text: `${res.from.name} und ${res.to.name} sind nicht verbunden.` }));
      return;
    }
    const nodes = res.paths.flatMap((p) => p.nodes);
    const rels = res.paths.flatMap((p) => p.steps.flatMap((s) => s.relationships));
    showGraph(nodes, rels, null, from);
    const list = el('ol', { class: 'path-list' });
    box.replaceChildren(
      el('p', { class: 'hint', text: `${res.total} kürzeste${res.total === 1 ? 'r' : ''} Weg${res.total === 1 ? '' : 'e'} mit ${res.length} Schritt${res.length === 1 ? '' : 'en'}${res.truncated ? ', die ersten 3 gezeigt' : ''}.` }),
      list,
    );
    res.paths.forEach((p, i) => {
      const li = el('li', { 'data-testid': 'path-explanation', tabindex: '0', title: 'Im Netzwerk hervorheben' }, p.explanation);
      li.addEventListener('click', () => highlightPath(p, li));
      list.append(li);
      if (i === 0) highlightPath(p, li);
    });
  });
}

$('path-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const from = $('path-from').value.trim();
  const to = $('path-to').value.trim();
  if (from && to) findPaths(from, to);
});

// --- Lückenansicht ------------------------------------------------------------------

function fillSelect(select, items, selected, emptyLabel) {
  const options = items.map((n) => el('option', { value: n.id, text: n.name }));
  if (emptyLabel !== undefined) options.unshift(el('option', { value: '', text: emptyLabel }));
  select.replaceChildren(...options);
  if (selected && !items.some((n) => n.id === selected)) select.append(el('option', { value: selected, text: selected }));
  select.value = selected || '';
}

async function loadChoices() {
  const data = await gql(Q_CHOICES);
  fillSelect($('gap-phase'), data.phases.nodes, 'phase.ankommen');
  fillSelect($('gap-target'), data.targets.nodes, 'zielgruppe.neuzugewanderte', 'alle Zielgruppen');
  fillSelect($('gap-region'), data.regions.nodes, 'lk-osnabrueck');
}

function renderCoverage(c) {
  const gapsAt = new Map(); // "link|region" -> gaps
  for (const g of c.gaps) {
    const key = `${g.link}|${g.region.id}`;
    if (!gapsAt.has(key)) gapsAt.set(key, []);
    gapsAt.get(key).push(g);
  }
  const cellAt = new Map(c.cells.map((cell) => [`${cell.link}|${cell.region.id}`, cell]));
  const table = el('table', { class: 'heatmap', 'data-testid': 'coverage-table' },
    el('caption', { text: `Förderkette in ${c.district.name} – ${c.targetGroup ? c.targetGroup.name : 'alle Zielgruppen'}, Stichtag ${c.asOf}` }),
    el('thead', {}, el('tr', {}, el('th', { text: 'Glied der Kette' }), ...c.regions.map((r) => el('th', { scope: 'col', text: r.name })))),
  );
  const tbody = el('tbody');
  for (const link of c.links) {
    const tr = el('tr', { class: link.isTransition ? 'transition' : 'phase' },
      el('th', { scope: 'row' }, link.isTransition ? '↳ ' : '', link.node.name));
    for (const r of c.regions) {
      const key = `${link.index}|${r.id}`;
      const cell = cellAt.get(key) || { offers: [], expired: [] };
      const gaps = gapsAt.get(key) || [];
      const severity = Math.max(0, ...gaps.map((g) => g.severity));
      const n = cell.offers.length;
      const title = gaps.length > 0
        ? gaps.map((g) => `${GAP_REASONS[g.reason] || g.reason}: ${g.explanation}`).join('\n')
        : n > 0 ? `Angebote: ${cell.offers.map((o) => o.name).join(', ')}` : 'Kein Angebot';
      const classes = ['cell', `offers-${Math.min(n, 3)}`];
      if (gaps.length > 0) classes.push('gap', `sev-${severity}`);
      tr.append(el('td', { class: classes.join(' '), title, 'data-link': link.index, 'data-region': r.id },
        el('strong', { text: String(n) }), n === 1 ? ' Angebot' : ' Angebote',
        gaps.length > 0 ? el('small', { text: gaps.map((g) => GAP_REASONS[g.reason] || g.reason).join(', ') }) : null,
      ));
    }
    tbody.append(tr);
  }
  table.append(tbody);
  const linkName = new Map(c.links.map((l) => [l.index, l.node.name]));
  const list = el('ol', { class: 'gap-list', 'data-testid': 'gap-list' },
    ...c.gaps.map((g) =>
      el('li', { class: `sev-${g.severity}` },
        el('span', { class: 'badge', text: `${GAP_REASONS[g.reason] || g.reason} (Schwere ${g.severity})` }),
        ` ${g.region.name}, ${linkName.get(g.link)}: ${g.explanation}`,
      ),
    ),
  );
  const legend = el('p', { class: 'hint' },
    'Zahl: Angebote am Stichtag. Farbe: schwerste Lücke der Zelle (6 kein Angebot an einem Übergang, 5 kein Angebot in einer Phase, 4 keine Übergabe, 3 ausgelaufen, 2 nur anderswo, 1 keine Koordination); grün: keine Lücke.');
  $('coverage').replaceChildren(
    table,
    legend,
    el('h3', { text: c.gaps.length === 0 ? 'Keine Lücken gefunden.' : `${c.gaps.length} Lücken, die schwersten zuerst` }),
    list,
  );
}

$('gap-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  await guarded('Lückenansicht', async () => {
    const data = await gql(Q_COVERAGE, {
      fromPhase: $('gap-phase').value,
      targetGroup: $('gap-target').value || null,
      region: $('gap-region').value,
      asOf: asOf(),
    });
    renderCoverage(data.coverage);
  });
});

// --- Start ---------------------------------------------------------------------

$('asof').addEventListener('change', () => {
  if (window.explorer.current) openNetwork(window.explorer.current);
});

// Keep the drawing in step with its container (window or layout changes).
new ResizeObserver(() => {
  cy.resize();
  if (cy.elements().length > 0) cy.fit(undefined, 30);
}).observe($('graph'));

window.explorer = { cy, endpoint, graphReady: false, current: null, openNetwork, search, findPaths };
renderLegend();
guarded('Auswahllisten laden', loadChoices).then(() => {
  document.body.dataset.ready = 'true';
});
