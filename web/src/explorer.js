// Explorer für bildungsgraph: Suche, Netzwerk (Cytoscape) mit Filtern und
// Größe nach Netzwerkkennzahl, Lückenansicht und Wege. Die Seite spricht nur
// mit der öffentlichen GraphQL-Schnittstelle (POST an den Endpunkt, gleiche
// Herkunft) und verlinkt die Exporte; gebündelt von web/build.mjs. Mit einem
// API-Schlüssel (nur im sessionStorage) schickt sie ihn bei jeder Anfrage mit
// (Authorization: Bearer), lädt Exporte per fetch und zeigt Kontaktdaten.
import cytoscape from 'cytoscape';
import documentText from './explorer.graphql';
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
const KIND_ORDER = Object.keys(KINDS);

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
const REL_ORDER = Object.keys(RELS);

// The default scope of the `centrality` query (schema.graphqls, AnalysisScope):
// the coordination network.
const COORD_KINDS = ['ACTOR', 'INSTITUTION', 'FOUNDATION', 'COMMITTEE'];
const COORD_RELS = ['MEMBER_OF', 'COORDINATES', 'RESPONSIBLE_FOR', 'PART_OF', 'COOPERATES_WITH', 'FUNDS', 'PROVIDES', 'REFERS_TO'];

const MEASURES = {
  degree: { label: 'Grad', long: 'Grad (Anzahl Nachbarn)' },
  betweenness: { label: 'Betweenness', long: 'Betweenness (Vermittler)' },
  closeness: { label: 'Closeness', long: 'Closeness (Nähe zu allen)' },
};

const ROLES = {
  CHAIR: 'Vorsitz',
  DEPUTY_CHAIR: 'stellv. Vorsitz',
  MEMBER: 'Mitglied',
  OFFICE: 'Geschäftsstelle',
  GUEST: 'Gast',
  ADVISORY: 'beratendes Mitglied',
};

// Category values that are not German words themselves (the rest are shown
// as they are, e.g. KITA, VHS, BILDUNGSBUERO → Bildungsbuero).
const CATEGORIES = {
  COORDINATION: 'Koordinierende Stelle',
  ADMINISTRATIVE_UNIT: 'Fachdienst, Referat, Amt',
  STAFF_UNIT: 'Stabsstelle',
  LEADERSHIP: 'Leitung',
  ROLE: 'Funktion',
  VOLUNTEER: 'Ehrenamt',
  OTHER: 'Sonstiges',
  COMMUNITY: 'Bürgerstiftung',
  CORPORATE: 'Unternehmensstiftung',
  PUBLIC: 'Öffentliche Stiftung',
  PRIVATE: 'Private Stiftung',
  CHURCH: 'Kirchliche Stiftung',
  CONFERENCE: 'Konferenz',
  STEERING_GROUP: 'Steuerungsgruppe',
  ADVISORY_BOARD: 'Beirat',
  WORKING_GROUP: 'Arbeitsgruppe',
  NETWORK: 'Netzwerk, Verbund',
  BOARD: 'Vorstand',
  TASK_FORCE: 'Task Force',
  LAND: 'Land',
  LANDKREIS: 'Landkreis',
  KREISFREIE_STADT: 'Kreisfreie Stadt',
  STADT: 'Stadt',
  SAMTGEMEINDE: 'Samtgemeinde',
  GEMEINDE: 'Gemeinde',
  BILDUNGSBUERO_AREA: 'Einzugsgebiet eines Bildungsbüros',
  SOZIALRAUM: 'Sozialraum',
  SERVICE: 'Dauerhaftes Angebot',
  COURSE: 'Kurs',
  COUNSELLING: 'Beratung',
  PROGRAMME: 'Programm',
  PROJECT: 'Projekt',
  AKTIONSFELD: 'Aktionsfeld',
  HANDLUNGSFELD: 'Handlungsfeld',
  THEME: 'Thema',
  KITA: 'Kita',
  GRUNDSCHULE: 'Grundschule',
  WEITERFUEHRENDE_SCHULE: 'Weiterführende Schule',
  BBS: 'Berufsbildende Schule',
  HOCHSCHULE: 'Hochschule',
  VHS: 'Volkshochschule',
  JOBCENTER: 'Jobcenter',
  AGENTUR_FUER_ARBEIT: 'Agentur für Arbeit',
  KAMMER: 'Kammer',
  BERATUNGSSTELLE: 'Beratungsstelle',
  MIGRATIONSZENTRUM: 'Migrationszentrum',
  BILDUNGSBUERO: 'Bildungsbüro',
  VERWALTUNG: 'Verwaltung',
  LANDESEINRICHTUNG: 'Landeseinrichtung',
  JUGENDHILFE: 'Jugendhilfe',
  VEREIN: 'Verein',
  UNTERNEHMEN: 'Unternehmen',
  BIBLIOTHEK: 'Bibliothek',
  SONSTIGE: 'Sonstige',
};

const TOPIC_GROUPS = { AKTIONSFELD: 'Aktionsfelder', HANDLUNGSFELD: 'Handlungsfelder', THEME: 'Themen' };

const GAP_REASONS = {
  NO_OFFER: 'Kein Angebot',
  OFFER_EXPIRED: 'Ausgelaufen',
  ONLY_ELSEWHERE: 'Nur anderswo',
  NO_HANDOVER: 'Keine Übergabe',
  NO_COORDINATION: 'Keine Koordination',
};

const NETWORK_MAX_NODES = 300; // ego network (neighbourhood)
const SELECTION_MAX_NODES = 1000; // region, topic or whole landscape (subgraph)

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
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

const number = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 3 });

// 2024-08-01 → 01.08.2024
function germanDate(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : d;
}

function validity(from, to) {
  return `${from ? `ab ${germanDate(from)}` : 'seit jeher'} – ${to ? `bis ${germanDate(to)}` : 'bis auf Weiteres'}`;
}

// --- API-Schlüssel ---------------------------------------------------------------

// The key is kept in sessionStorage only (this tab, until it is closed),
// never in localStorage: the Explorer also runs on shared office PCs.
const KEY_STORAGE = 'bildungsgraph.apiKey';

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return ''; // storage disabled
  }
}

function storeKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage disabled: the key lasts until the page is left
  }
}

const auth = {
  key: storedKey(), // '' without key
  viewer: null, // {name, role, seesContacts, canWrite} as the server sees the key; null: not known
  needsKey: false, // the server refused to serve data without a key (--read-access token)
  error: '', // why the last key was refused, shown instead of "anonym"
};

const ROLE_LABELS = { READER: 'Leser', EDITOR: 'Redaktion' };
const KEY_NEEDED = 'Dieser Server gibt Daten nur mit API-Schlüssel heraus: bitte oben einen API-Schlüssel eingeben und „Anmelden“ wählen.';

// The error for a 401 answer (body: GraphQL-shaped, {"errors": [{message}]}).
// A refused key is forgotten when it is the one in use.
function refusal(body, key) {
  const messages = ((body && body.errors) || []).map((e) => e.message).filter(Boolean);
  const message = messages.join('; ') || (body && body.message) || 'HTTP 401';
  let err;
  if (key) {
    err = new Error(`Schlüssel ungültig: ${message}`);
    err.invalidKey = true;
    if (key === auth.key) {
      forgetKey();
      auth.error = err.message;
      renderKeyStatus();
    }
  } else {
    err = new Error(KEY_NEEDED);
    err.needsKey = true;
    auth.needsKey = true;
    renderKeyStatus();
  }
  err.status = 401;
  return err;
}

function forgetKey() {
  auth.key = '';
  auth.viewer = null;
  storeKey('');
  contactCache.clear();
}

function renderKeyStatus() {
  const box = $('key-status');
  const v = auth.viewer;
  const known = Boolean(auth.key && v && v.name);
  let text = 'anonym';
  if (known) text = `angemeldet als ${v.name} (${ROLE_LABELS[v.role] || v.role})`;
  else if (auth.error) text = auth.error;
  else if (auth.key) text = 'Schlüssel wird geprüft …';
  box.textContent = text;
  box.classList.toggle('error', !known && Boolean(auth.error));
  box.title = auth.key && auth.viewer && auth.viewer.seesContacts ? 'Sie sehen auch Kontaktdaten.' : '';
  $('api-key').hidden = Boolean(auth.key);
  $('key-login').hidden = Boolean(auth.key);
  $('key-logout').hidden = !auth.key;
  $('auth-hint').hidden = Boolean(auth.key) || !auth.needsKey;
}

// Asks the server who the key (or nobody) is. Errors other than a refusal
// are shown in the key status; a refusal has shown itself.
async function loadViewer() {
  try {
    const data = await gql('Angemeldet');
    auth.viewer = data.viewer;
  } catch (err) {
    auth.viewer = null;
    if (err.status !== 401) auth.error = `Anmeldung nicht geprüft: ${err.message}`;
  }
  renderKeyStatus();
}

// Runs fn as one action under way (window.explorer.pending) without using
// the status line.
async function tracked(fn) {
  window.explorer.pending++;
  try {
    return await fn();
  } finally {
    window.explorer.pending--;
  }
}

// Checks a key with the server first: only a key it knows is kept.
function login(key) {
  return tracked(async () => {
    auth.error = '';
    $('key-status').textContent = 'Schlüssel wird geprüft …';
    $('key-status').classList.remove('error');
    let data;
    try {
      data = await gql('Angemeldet', {}, key);
    } catch (err) {
      auth.error = err.invalidKey ? err.message : `Anmelden fehlgeschlagen: ${err.message}`;
      renderKeyStatus();
      return;
    } finally {
      $('api-key').value = '';
    }
    contactCache.clear();
    auth.key = key;
    auth.viewer = data.viewer;
    storeKey(key);
    renderKeyStatus();
    await keyChanged();
  });
}

function logout() {
  return tracked(async () => {
    forgetKey();
    auth.error = '';
    renderKeyStatus();
    await loadViewer();
    // Nothing read with the key stays on the page: no contact data, and
    // nothing at all when reading needs a key.
    if (auth.needsKey) hideData();
    else await keyChanged();
  });
}

// After login or logout: what failed for want of a key is loaded again, the
// details are shown again (with or without contact data).
async function keyChanged() {
  if (auth.key) {
    $('auth-hint').hidden = true;
    if (!choicesLoaded) await guarded('Auswahllisten laden', loadChoices);
    if (state.mode !== 'none' && cy.nodes().length === 0) await refresh();
  }
  if (detailsFor && nodeData.has(detailsFor)) showDetails(nodeData.get(detailsFor));
}

// Removes everything read from the server from the page.
function hideData() {
  seq++;
  state.mode = 'none';
  state.focus = null;
  state.focusName = null;
  state.path = null;
  window.explorer.current = null;
  clearGraph();
  for (const id of ['results', 'paths', 'coverage', 'size-legend']) $(id).replaceChildren();
  for (const id of ['gap-phase', 'gap-target', 'gap-region']) $(id).replaceChildren();
  state.region = '';
  state.topic = '';
  $('filter-region').replaceChildren(el('option', { value: '', text: 'alle Gebiete' }));
  $('filter-topic').replaceChildren(el('option', { value: '', text: 'alle Aktionsfelder und Themen' }));
  choicesLoaded = false;
  renderFocus();
  updateExportLinks();
  status(KEY_NEEDED, true);
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  if (!/^[\x21-\x7e]+$/.test(key)) {
    // A header cannot carry it (fetch would throw); keys are bg_ and base64url.
    $('api-key').value = '';
    auth.error = 'Schlüssel ungültig: er enthält Leer- oder Sonderzeichen, die kein API-Schlüssel hat';
    renderKeyStatus();
    return;
  }
  login(key);
});
$('key-logout').addEventListener('click', () => logout());

// --- GraphQL -------------------------------------------------------------------

// explorer.graphql holds every operation; each request sends one operation
// with the fragments it uses (transitively).
const definitions = new Map(); // name -> text
for (const block of documentText.split(/\n(?=(?:query|fragment) )/)) {
  const m = /^(query|fragment) (\w+)/.exec(block.trimStart());
  if (m) definitions.set(m[2], block.replace(/^#.*$/gm, '').trim());
}
const operations = new Map();

function operation(name) {
  if (operations.has(name)) return operations.get(name);
  if (!definitions.has(name)) throw new Error(`Abfrage ${name} fehlt in explorer.graphql`);
  const needed = [name];
  for (let i = 0; i < needed.length; i++) {
    for (const [, f] of definitions.get(needed[i]).matchAll(/\.\.\.\s*(\w+)/g)) {
      if (definitions.has(f) && !needed.includes(f)) needed.push(f);
    }
  }
  const text = needed.map((n) => definitions.get(n)).join('\n\n');
  operations.set(name, text);
  return text;
}

// Sends one operation; with a key (by default the one the user entered) as
// "Authorization: Bearer <key>". A 401 (unknown key, or reading needs one)
// becomes a German error (refusal).
async function gql(name, variables = {}, key = auth.key) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: operation(name), operationName: name, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    if (res.status === 401) throw refusal(null, key);
    throw new Error(`Antwort des Servers unlesbar (HTTP ${res.status})`);
  }
  if (res.status === 401) throw refusal(body, key);
  if (!key) auth.needsKey = false; // the server reads without a key
  if (body.errors && body.errors.length > 0) {
    const err = new Error(body.errors.map((e) => e.message).join('; '));
    err.errors = body.errors; // with extensions.code and extensions.field
    throw err;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return body.data;
}

// Runs an action and reports failures in the page (not on the console).
// explorer.pending counts the actions under way (the browser test waits for 0).
async function guarded(what, fn) {
  status(`${what} …`);
  window.explorer.pending++;
  try {
    const note = await fn();
    status(typeof note === 'string' ? note : '');
  } catch (err) {
    status(err.needsKey ? err.message : `${what} fehlgeschlagen: ${err.message}`, true);
  } finally {
    window.explorer.pending--;
  }
}

// --- Zustand -------------------------------------------------------------------

// mode: 'none' (nothing shown yet), 'network' (ego network of focus),
// 'selection' (region/topic or whole landscape, no focus), 'path'.
const state = {
  mode: 'none',
  focus: null,
  focusName: null,
  kinds: new Set(KIND_ORDER),
  edgeKinds: new Set(REL_ORDER),
  region: '',
  topic: '',
  sizeBy: '',
  sizeScope: 'coordination',
  path: null, // {from, to} of the path view
};

const allKinds = () => state.kinds.size === KIND_ORDER.length;
const allEdgeKinds = () => state.edgeKinds.size === REL_ORDER.length;
const kindsArg = () => (allKinds() ? null : KIND_ORDER.filter((k) => state.kinds.has(k)));
const edgeKindsArg = () => (allEdgeKinds() ? null : REL_ORDER.filter((k) => state.edgeKinds.has(k)));
const depth = () => Number($('depth').value) || 1;

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
        width: 'data(size)',
        height: 'data(size)',
      },
    },
    { selector: 'node.focus', style: { 'border-width': 3, 'border-color': '#111' } },
    { selector: 'node.nomeasure', style: { 'background-opacity': 0.4 } },
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
let lastLayout = null;
let measures = null; // {scope, approximate, nodeCount, byId: Map(id -> {degree, betweenness, closeness})}
let detailsFor = null; // id of the node whose details are shown
let detailsRel = null; // id of the relationship whose details are shown

function category(n) {
  return n.catActor || n.catInstitution || n.catFoundation || n.catCommittee || n.catRegion || n.catOffer || n.catTopic || null;
}

function bumpVersion() {
  window.explorer.version++;
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
    elements.push({ group: 'nodes', data: { id: n.id, label: n.name, color: kind.color, kind: n.kind, size: 22 }, classes: n.id === focusId ? 'focus' : '' });
  }
  for (const r of relationships) {
    if (relData.has(r.id) || !ids.has(r.fromId) || !ids.has(r.toId)) continue;
    relData.set(r.id, r);
    elements.push({ group: 'edges', data: { id: `rel:${r.id}`, rel: r.id, kind: r.kind, source: r.fromId, target: r.toId, label: RELS[r.kind] || r.kind } });
  }
  cy.elements().remove();
  cy.add(elements);
  const focusHere = focusId && ids.has(focusId);
  lastLayout = focusHere
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
      : { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 90 };
  applySizes(false);
  cy.resize();
  relayout();
  // Details of something no longer drawn would mislead.
  if ((detailsFor && !nodeData.has(detailsFor)) || (detailsRel && !relData.has(detailsRel))) clearDetails();
  window.explorer.graphReady = true;
  renderLegend();
}

const MAX_FIT_ZOOM = 1.6; // a few nodes are not blown up to fill the box

function relayout() {
  if (!lastLayout || cy.nodes().length === 0) return;
  cy.layout(lastLayout).run();
  fit();
}

function fit() {
  cy.fit(undefined, 30);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

function clearGraph(message) {
  cy.elements().remove();
  nodeData.clear();
  relData.clear();
  lastLayout = null;
  clearDetails();
  renderLegend();
  renderCounts(null);
  bumpVersion();
  return message;
}

// The region and topic filters as arguments of neighbourhood and subgraph:
// the server selects as the export does (around, region, topic).
function selectionArgs() {
  return { region: state.region || null, topic: state.topic || null };
}

// The server answers an unknown region or topic (or one not valid on the
// Stichtag) with NOT_FOUND on the argument; the page says so in German.
function selectionError(err) {
  const e = (err.errors || []).find((x) => x.extensions && x.extensions.code === 'NOT_FOUND' && ['region', 'topic'].includes(x.extensions.field));
  if (!e) throw err;
  const what = e.extensions.field === 'region' ? `das Gebiet ${state.region}` : `das Aktionsfeld ${state.topic}`;
  throw new Error(`${what} gibt es${asOf() ? ` am Stichtag ${germanDate(asOf())}` : ''} nicht`);
}

// --- Kennzahlen (Größe nach) -----------------------------------------------------

const centralityCache = new Map();
const CENTRALITY_CACHE_SIZE = 20;

// The AnalysisScope of the size measure: exactly the drawn nodes (ids) in
// the coordination network (the API's default kinds) or with every chosen
// kind, on the Stichtag. null: the filters leave nothing to measure.
function centralityScope(ids) {
  const coordination = state.sizeScope === 'coordination';
  const nodeKinds = KIND_ORDER.filter((k) => state.kinds.has(k) && (!coordination || COORD_KINDS.includes(k)));
  const relationshipKinds = REL_ORDER.filter((k) => state.edgeKinds.has(k) && (!coordination || COORD_RELS.includes(k)));
  if (nodeKinds.length === 0 || relationshipKinds.length === 0 || ids.length === 0) return null;
  return { ids: [...new Set(ids)].sort(), nodeKinds, relationshipKinds, asOf: asOf() };
}

// The measures of the drawn nodes (ids): one centrality query, cached.
async function loadMeasures(ids) {
  if (!state.sizeBy) return null;
  const scope = centralityScope(ids);
  if (!scope) return { scope: null, approximate: false, nodeCount: 0, byId: new Map() };
  const key = JSON.stringify(scope);
  if (!centralityCache.has(key)) {
    const data = await gql('Kennzahlen', { scope });
    const c = data.centrality;
    if (centralityCache.size >= CENTRALITY_CACHE_SIZE) centralityCache.delete(centralityCache.keys().next().value);
    centralityCache.set(key, {
      scope,
      approximate: c.approximate,
      nodeCount: c.nodeCount,
      byId: new Map(c.nodes.map((x) => [x.node.id, { degree: x.degree, betweenness: x.betweenness, closeness: x.closeness }])),
    });
  }
  return centralityCache.get(key);
}

const SIZE_MIN = 14;
const SIZE_MAX = 64;

// Sizes the nodes by the chosen measure, scaled between the smallest and the
// largest value among the drawn nodes (area grows with the value). Nodes
// outside the measure's scope are drawn small and pale.
function applySizes(layout = true) {
  const by = state.sizeBy;
  const values = [];
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const v = by && measures ? measures.byId.get(n.id()) : undefined;
      n.toggleClass('nomeasure', Boolean(by) && v === undefined);
      if (v !== undefined) values.push(v[by]);
    });
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    cy.nodes().forEach((n) => {
      let size = n.hasClass('focus') ? 30 : 22;
      if (by) {
        const v = measures && measures.byId.get(n.id());
        if (v === undefined) size = 10;
        else size = hi > lo ? SIZE_MIN + (SIZE_MAX - SIZE_MIN) * Math.sqrt((v[by] - lo) / (hi - lo)) : (SIZE_MIN + SIZE_MAX) / 2;
      }
      n.data('size', Math.round(size * 10) / 10);
    });
  });
  renderSizeLegend(values);
  if (layout) relayout();
  bumpVersion();
}

function renderSizeLegend(values) {
  const box = $('size-legend');
  if (!state.sizeBy) {
    box.replaceChildren();
    return;
  }
  const m = MEASURES[state.sizeBy];
  if (!measures || !measures.scope) {
    box.replaceChildren(el('span', { text: `Größe nach ${m.label}: die Filter lassen keine Knoten und Beziehungen des Koordinationsnetzes übrig.` }));
    return;
  }
  const scopeText = state.sizeScope === 'coordination' ? 'im Koordinationsnetz der gezeigten Knoten' : 'über die gezeigten Knoten und Beziehungen';
  const range = values.length > 0 ? `${number.format(Math.min(...values))} bis ${number.format(Math.max(...values))}` : 'keine Werte';
  box.replaceChildren(
    el('span', { class: 'size-dots' }, el('i', { class: 'dot small' }), el('i', { class: 'dot big' })),
    `Größe nach ${m.long}: ${range}; berechnet ${scopeText} (${measures.nodeCount} Knoten` +
      `${asOf() ? `, Stichtag ${germanDate(asOf())}` : ''}` +
      `${measures.approximate ? ', Betweenness geschätzt' : ''}). Blass: nicht im Ausschnitt der Kennzahl.`,
  );
}

// --- Laden -----------------------------------------------------------------------

let seq = 0; // only the newest load draws

// Loads and draws the view that the state describes.
function refresh() {
  const my = ++seq;
  updateExportLinks();
  renderFocus();
  if (state.mode === 'network') return guarded('Netzwerk laden', () => loadNetwork(my));
  if (state.mode === 'selection') return guarded('Ausschnitt laden', () => loadSelection(my));
  if (state.mode === 'path' && state.path) return findPaths(state.path.from, state.path.to);
  return Promise.resolve();
}

function emptyFilters() {
  if (state.kinds.size === 0) return 'Keine Knotenart gewählt: nichts zu zeigen.';
  if (state.edgeKinds.size === 0) return 'Keine Beziehungsart gewählt: nichts zu zeigen.';
  return null;
}

// One request draws the network (with the region and topic filters); with a
// size measure, one more asks for the centrality of what it drew.
async function loadNetwork(my) {
  const empty = emptyFilters();
  if (empty) return clearGraph(empty);
  const vars = { id: state.focus, depth: depth(), asOf: asOf(), nodeKinds: kindsArg(), relKinds: edgeKindsArg(), max: NETWORK_MAX_NODES, ...selectionArgs() };
  const data = await gql('Netzwerk', vars).catch(selectionError);
  if (my !== seq) return undefined;
  const m = await loadMeasures(data.view.nodes.map((n) => n.id));
  if (my !== seq) return undefined;
  measures = m;
  showGraph(data.view.nodes, data.view.relationships, state.focus);
  renderCounts(data.view, data.all);
  if (nodeData.has(state.focus)) {
    state.focusName = nodeData.get(state.focus).name;
    showDetails(nodeData.get(state.focus));
  }
  renderFocus();
  const notes = [];
  if ((state.region || state.topic) && !data.all.nodes.some((n) => n.id === state.focus)) {
    notes.push('Der Ausgangsknoten liegt außerhalb des gewählten Gebiets oder Aktionsfelds.');
  }
  if (data.view.truncated) notes.push(`Ausschnitt gekürzt (mehr als ${NETWORK_MAX_NODES} Knoten).`);
  if (data.view.nodes.length === 0) notes.push('Die Filter lassen keinen Knoten übrig.');
  return notes.join(' ');
}

async function loadSelection(my) {
  const empty = emptyFilters();
  if (empty) return clearGraph(empty);
  const vars = { asOf: asOf(), nodeKinds: kindsArg(), relKinds: edgeKindsArg(), max: SELECTION_MAX_NODES, ...selectionArgs() };
  const data = await gql('Ausschnitt', vars).catch(selectionError);
  if (my !== seq) return undefined;
  const m = await loadMeasures(data.view.nodes.map((n) => n.id));
  if (my !== seq) return undefined;
  measures = m;
  showGraph(data.view.nodes, data.view.relationships, null);
  renderCounts(data.view, data.all);
  const notes = [];
  if (data.view.truncated) notes.push(`Ausschnitt gekürzt (mehr als ${SELECTION_MAX_NODES} Knoten).`);
  if (data.view.nodes.length === 0) notes.push('Die Filter lassen keinen Knoten übrig.');
  return notes.join(' ');
}

function openNetwork(id) {
  state.mode = 'network';
  state.focus = id;
  state.focusName = null;
  window.explorer.current = id;
  return refresh();
}

function showSelection() {
  state.mode = 'selection';
  state.focus = null;
  state.focusName = null;
  window.explorer.current = null;
  return refresh();
}

// --- Zähler, Legende, Exporte ------------------------------------------------------

function countBy(items, key) {
  const m = new Map();
  for (const x of items) m.set(x[key], (m.get(x[key]) || 0) + 1);
  return m;
}

// view: what is drawn; all: the same without the kind and edge-kind filters.
function renderCounts(view, all) {
  const box = $('counts');
  const vk = view ? countBy(view.nodes, 'kind') : new Map();
  const ak = all ? countBy(all.nodes, 'kind') : new Map();
  const ve = view ? countBy(view.relationships, 'kind') : new Map();
  const ae = all ? countBy(all.relationships, 'kind') : new Map();
  for (const [list, visible, total] of [[$('filter-kinds'), vk, ak], [$('filter-edges'), ve, ae]]) {
    for (const span of list.querySelectorAll('[data-count]')) {
      const k = span.getAttribute('data-count');
      if (!view) span.textContent = '';
      else span.textContent = all ? `${visible.get(k) || 0}/${total.get(k) || 0}` : String(visible.get(k) || 0);
    }
  }
  $('edge-summary').textContent = allEdgeKinds() ? '(alle)' : `(${state.edgeKinds.size} von ${REL_ORDER.length})`;
  if (!view) {
    box.textContent = '';
    box.dataset.nodes = '0';
    box.dataset.edges = '0';
    return;
  }
  const n = view.nodes.length;
  const e = view.relationships.length;
  box.dataset.nodes = String(n);
  box.dataset.edges = String(e);
  const filtered = all && (all.nodes.length !== n || all.relationships.length !== e);
  box.textContent = filtered
    ? `Sichtbar: ${n} von ${all.nodes.length} Knoten, ${e} von ${all.relationships.length} Beziehungen`
    : `Sichtbar: ${n} Knoten, ${e} Beziehungen`;
  box.title = '„von“: derselbe Ausschnitt ohne die Filter nach Knoten- und Beziehungsart';
}

function renderLegend() {
  const counts = countBy(cy.nodes().map((n) => ({ kind: n.data('kind') })), 'kind');
  $('legend').replaceChildren(
    ...KIND_ORDER.map((kind) =>
      el('li', { 'data-kind': kind, class: counts.has(kind) ? '' : 'absent' },
        el('span', { class: 'swatch', style: `background:${KINDS[kind].color}` }),
        KINDS[kind].label,
        counts.has(kind) ? el('small', { text: ` ${counts.get(kind)}` }) : null,
      ),
    ),
  );
}

// The export links carry the parameters of the drawn selection
// (internal/server/export.go: around, depth, region, topic, kind, edgeKind, asOf).
function exportQuery() {
  const p = new URLSearchParams();
  if (state.focus && state.mode === 'network') {
    p.set('around', state.focus);
    p.set('depth', String(depth()));
  }
  if (state.region) p.set('region', state.region);
  if (state.topic) p.set('topic', state.topic);
  if (!allKinds()) for (const k of kindsArg()) p.append('kind', k);
  if (!allEdgeKinds()) for (const k of edgeKindsArg()) p.append('edgeKind', k);
  if (asOf()) p.set('asOf', asOf());
  return p.toString();
}

function updateExportLinks() {
  const q = exportQuery();
  const empty = emptyFilters();
  for (const a of document.querySelectorAll('a[data-export]')) {
    if (empty) {
      a.removeAttribute('href');
      a.setAttribute('aria-disabled', 'true');
      a.title = empty;
      continue;
    }
    a.removeAttribute('aria-disabled');
    a.href = `/export/${a.getAttribute('data-export')}${q ? `?${q}` : ''}`;
    a.title = q ? 'Export des gezeigten Ausschnitts (Filter und Stichtag)' : 'Export der ganzen Bildungslandschaft';
  }
}

// A plain link cannot carry the key: with a key, a click on an export link
// downloads through fetch with the Authorization header and saves the file
// from a blob. Without a key the links are followed as they are.
document.querySelector('nav.links').addEventListener('click', (e) => {
  const a = e.target.closest('a[data-export]');
  if (!a || !auth.key || !a.getAttribute('href')) return;
  e.preventDefault();
  downloadExport(a.href, a.getAttribute('data-export'));
});

// filename="landscape.gexf" of a Content-Disposition header.
function attachmentName(header) {
  const m = /filename="?([^";]+)"?/i.exec(header || '');
  return m ? m[1] : null;
}

function downloadExport(url, fallbackName) {
  const key = auth.key;
  return guarded('Export laden', async () => {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) {
      let body = null;
      try {
        body = await res.json(); // {"code", "message"}, or GraphQL-shaped for 401
      } catch {
        // not JSON
      }
      if (res.status === 401) throw refusal(body, key);
      const msg = body && (body.message || (body.errors || []).map((x) => x.message).join('; '));
      throw new Error(msg || `HTTP ${res.status}`);
    }
    const blob = await res.blob();
    const name = attachmentName(res.headers.get('Content-Disposition')) || fallbackName;
    const href = URL.createObjectURL(blob);
    const a = el('a', { href, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    return `Export ${name} heruntergeladen.`;
  });
}

function renderFocus() {
  const box = $('focus');
  if (state.mode === 'network' && state.focus) {
    const n = nodeData.get(state.focus);
    const name = (n && n.name) || state.focusName || state.focus;
    box.replaceChildren('Ausgangsknoten: ', el('strong', { text: name }), ` (${depth()} Schritt${depth() === 1 ? '' : 'e'})`);
    $('focus-clear').hidden = false;
  } else {
    box.replaceChildren(
      state.mode === 'selection'
        ? state.region || state.topic
          ? 'Gezeigt: alles im gewählten Gebiet bzw. Aktionsfeld.'
          : 'Gezeigt: die ganze Bildungslandschaft.'
        : 'Kein Ausgangsknoten: einen Knoten suchen oder Gebiet/Aktionsfeld wählen.',
    );
    $('focus-clear').hidden = true;
  }
}

// --- Details -------------------------------------------------------------------

function row(label, value, props = {}) {
  return [el('dt', { text: label }), el('dd', { ...props, text: value === null || value === undefined || value === '' ? '–' : String(value) })];
}

function link(url) {
  return el('a', { href: url, rel: 'noreferrer noopener', target: '_blank', text: url });
}

// Sources are one text; several documents are separated by "; ".
function sourceList(source) {
  const parts = (source || '').split(/;\s+/).filter(Boolean);
  if (parts.length === 0) return el('dd', { text: '–' });
  return el('dd', {},
    el('ul', { class: 'sources', 'data-testid': 'details-sources' },
      ...parts.map((s) => el('li', {}, /^https?:\/\/\S+$/.test(s) ? link(s) : s)),
    ),
  );
}

function measureRows(n) {
  if (!state.sizeBy) return [];
  if (!measures || !measures.scope) return row('Kennzahlen', 'keine (Filter lassen nichts übrig)');
  const v = measures.byId.get(n.id);
  if (!v) return row(MEASURES[state.sizeBy].label, 'nicht im Ausschnitt der Kennzahl', { 'data-testid': 'details-measure' });
  const out = [];
  for (const [key, m] of Object.entries(MEASURES)) {
    const chosen = key === state.sizeBy;
    out.push(el('dt', { class: chosen ? 'chosen' : null, text: m.label }));
    out.push(el('dd', { class: chosen ? 'chosen' : null, 'data-testid': chosen ? 'details-measure' : null, 'data-value': String(v[key]), text: number.format(v[key]) }));
  }
  return out;
}

function relationshipItem(r, self) {
  const name = (id) => (nodeData.get(id) || { name: id }).name;
  const text = `${r.fromId === self ? 'dieser Knoten' : name(r.fromId)} ${RELS[r.kind] || r.kind} ${r.toId === self ? 'diesen Knoten' : name(r.toId)}`;
  const extra = [r.role ? ROLES[r.role] || r.role : null, r.agreement].filter(Boolean).join(', ');
  return el('li', { 'data-rel': r.id },
    el('button', { type: 'button', class: 'linklike', text: extra ? `${text} (${extra})` : text, onclick: () => showRelationship(r) }),
    el('small', { text: `Quelle: ${r.source || '–'} · gültig ${validity(r.validFrom, r.validTo)}${r.illustrative ? ' · illustratives Beispiel' : ''}` }),
  );
}

// Contact data (personal data) only for keys that may read it; anonymous
// callers never ask for it (the server would answer UNAUTHORIZED).
const contactCache = new Map(); // id -> {email, phone} or null, for the current key

function contactRows(n) {
  if (!auth.key || !auth.viewer || !auth.viewer.seesContacts || !COORD_KINDS.includes(n.kind)) return [];
  const box = el('div', { class: 'contact', 'data-testid': 'details-contact' });
  const fill = (c) => {
    if (!c || (!c.email && !c.phone)) {
      box.replaceChildren(...row('Kontakt', 'keine Kontaktdaten hinterlegt'));
      return;
    }
    box.replaceChildren(
      ...(c.email ? [el('dt', { text: 'E-Mail' }), el('dd', {}, el('a', { href: `mailto:${c.email}`, 'data-testid': 'contact-email', text: c.email }))] : []),
      ...(c.phone ? [el('dt', { text: 'Telefon' }), el('dd', {}, el('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, 'data-testid': 'contact-phone', text: c.phone }))] : []),
    );
  };
  if (contactCache.has(n.id)) {
    fill(contactCache.get(n.id));
  } else {
    box.replaceChildren(...row('Kontakt', 'wird geladen …'));
    const key = auth.key;
    tracked(async () => {
      try {
        const data = await gql('Kontakt', { id: n.id }, key);
        const c = data.node ? data.node.contact : null;
        if (key === auth.key) contactCache.set(n.id, c);
        fill(c);
      } catch (err) {
        box.replaceChildren(...row('Kontakt', `nicht geladen: ${err.message}`, { class: 'error' }));
      }
    });
  }
  return [box];
}

function clearDetails() {
  detailsFor = null;
  detailsRel = null;
  $('details').replaceChildren(el('h2', { text: 'Details' }), el('p', { class: 'hint', text: 'Einen Knoten oder eine Beziehung im Netzwerk anklicken.' }));
}

function showDetails(n) {
  detailsFor = n.id;
  detailsRel = null;
  const d = $('details');
  d.replaceChildren(el('h2', { text: 'Details' }));
  const kind = KINDS[n.kind];
  const cat = category(n);
  const dl = el(
    'dl',
    { 'data-testid': 'details-list' },
    ...row('Name', n.name),
    ...row('Kennung', n.id),
    ...row('Art', kind ? kind.label : n.kind),
    ...row('Kategorie', cat ? CATEGORIES[cat] || cat : null),
    ...(n.aliases && n.aliases.length > 0 ? row('auch genannt', n.aliases.join(', ')) : []),
    ...row('Beschreibung', n.description),
    ...(n.url ? [el('dt', { text: 'Webseite' }), el('dd', {}, link(n.url))] : []),
    ...(n.officialCode ? row('Amtlicher Schlüssel', n.officialCode) : []),
    ...(n.meetingRhythm ? row('Sitzungsrhythmus', n.meetingRhythm) : []),
    ...contactRows(n),
    el('dt', { text: 'Quelle' }),
    sourceList(n.source),
    ...row('gültig von', n.validFrom ? germanDate(n.validFrom) : 'seit jeher'),
    ...row('gültig bis', n.validTo ? germanDate(n.validTo) : 'bis auf Weiteres'),
    ...measureRows(n),
  );
  d.append(dl);
  if (n.illustrative) d.append(el('p', { class: 'hint', text: 'Illustratives Beispiel (Beispieldaten ohne Quelldokument).' }));
  const rels = [...relData.values()].filter((r) => r.fromId === n.id || r.toId === n.id);
  if (rels.length > 0) {
    d.append(
      el('details', { class: 'rels', 'data-testid': 'details-relationships' },
        el('summary', { text: `Beziehungen im Bild (${rels.length}) mit Quellen` }),
        el('ul', {}, ...rels.map((r) => relationshipItem(r, n.id))),
      ),
    );
  }
  d.append(
    el('div', { class: 'buttons' },
      el('button', { type: 'button', text: 'Netzwerk zeigen', onclick: () => openNetwork(n.id) }),
      el('button', { type: 'button', text: 'als Start', onclick: () => ($('path-from').value = n.id) }),
      el('button', { type: 'button', text: 'als Ziel', onclick: () => ($('path-to').value = n.id) }),
    ),
  );
}

function showRelationship(r) {
  detailsFor = null;
  detailsRel = r.id;
  const d = $('details');
  const name = (id) => (nodeData.get(id) || { name: id }).name;
  d.replaceChildren(
    el('h2', { text: 'Beziehung' }),
    el('dl', { 'data-testid': 'details-list' },
      ...row('Von', name(r.fromId)),
      ...row('Art', RELS[r.kind] || r.kind),
      ...row('Nach', name(r.toId)),
      ...row('Rolle', r.role ? ROLES[r.role] || r.role : null),
      ...row('Vereinbarung', r.agreement),
      ...row('Beschreibung', r.description),
      el('dt', { text: 'Quelle' }),
      sourceList(r.source),
      ...row('gültig von', r.validFrom ? germanDate(r.validFrom) : 'seit jeher'),
      ...row('gültig bis', r.validTo ? germanDate(r.validTo) : 'bis auf Weiteres'),
    ),
  );
  if (r.illustrative) d.append(el('p', { class: 'hint', text: 'Illustratives Beispiel (Beispieldaten ohne Quelldokument).' }));
  const back = [r.fromId, r.toId].filter((id) => nodeData.has(id));
  d.append(el('div', { class: 'buttons' }, ...back.map((id) => el('button', { type: 'button', text: name(id), onclick: () => showDetails(nodeData.get(id)) }))));
}

cy.on('tap', 'node', (evt) => {
  const n = nodeData.get(evt.target.id());
  if (n) showDetails(n);
});
cy.on('tap', 'edge', (evt) => {
  const r = relData.get(evt.target.data('rel'));
  if (r) showRelationship(r);
});

// --- Filter --------------------------------------------------------------------

function renderFilterLists() {
  $('filter-kinds').replaceChildren(
    ...KIND_ORDER.map((k) =>
      el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: k, checked: true, 'data-testid': 'filter-kind' }),
        el('span', { class: 'swatch', style: `background:${KINDS[k].color}` }),
        el('span', { class: 'name', text: KINDS[k].label }),
        el('small', { 'data-count': k, title: 'sichtbar / ohne Art-Filter' }),
      ),
    ),
  );
  $('filter-edges').replaceChildren(
    ...REL_ORDER.map((k) =>
      el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: k, checked: true, 'data-testid': 'filter-edge' }),
        el('span', { class: 'name', text: RELS[k] }),
        el('small', { 'data-count': k, title: 'sichtbar / ohne Art-Filter' }),
      ),
    ),
  );
}

function syncFilterInputs() {
  for (const i of $('filter-kinds').querySelectorAll('input')) i.checked = state.kinds.has(i.value);
  for (const i of $('filter-edges').querySelectorAll('input')) i.checked = state.edgeKinds.has(i.value);
  $('filter-region').value = state.region;
  $('filter-topic').value = state.topic;
}

// After a filter change: redraw what is shown; with nothing shown yet, a
// region or topic shows its selection.
function filtersChanged() {
  if (state.mode === 'none' && (state.region || state.topic)) state.mode = 'selection';
  if (state.mode === 'path') state.mode = state.focus ? 'network' : 'selection';
  if (state.mode === 'none') {
    updateExportLinks();
    return Promise.resolve();
  }
  return refresh();
}

$('filter-kinds').addEventListener('change', (e) => {
  if (e.target.checked) state.kinds.add(e.target.value);
  else state.kinds.delete(e.target.value);
  filtersChanged();
});
$('filter-edges').addEventListener('change', (e) => {
  if (e.target.checked) state.edgeKinds.add(e.target.value);
  else state.edgeKinds.delete(e.target.value);
  filtersChanged();
});
$('filter-region').addEventListener('change', (e) => {
  state.region = e.target.value;
  filtersChanged();
});
$('filter-topic').addEventListener('change', (e) => {
  state.topic = e.target.value;
  filtersChanged();
});
$('depth').addEventListener('change', () => {
  if (state.mode === 'network') refresh();
  else updateExportLinks();
});
$('filter-reset').addEventListener('click', () => {
  state.kinds = new Set(KIND_ORDER);
  state.edgeKinds = new Set(REL_ORDER);
  state.region = '';
  state.topic = '';
  syncFilterInputs();
  filtersChanged();
});
$('show-selection').addEventListener('click', () => showSelection());
$('focus-clear').addEventListener('click', () => showSelection());

$('size-by').addEventListener('change', (e) => {
  state.sizeBy = e.target.value;
  $('size-scope').disabled = !state.sizeBy;
  resize();
});
$('size-scope').addEventListener('change', (e) => {
  state.sizeScope = e.target.value;
  resize();
});

// A new size measure: no new network, only the centrality (cached) and the
// sizes and layout.
function resize() {
  const my = seq;
  return guarded('Kennzahlen laden', async () => {
    const m = await loadMeasures([...nodeData.keys()]);
    if (my !== seq) return;
    measures = m;
    applySizes();
    if (detailsFor && nodeData.has(detailsFor)) showDetails(nodeData.get(detailsFor));
  });
}

// --- Suche ---------------------------------------------------------------------

async function search(q) {
  await guarded('Suche', async () => {
    const data = await gql('Suche', { q, asOf: asOf() });
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

// Paths follow the edge-kind filter (relationshipKinds); the other filters
// do not apply to them.
async function findPaths(from, to) {
  const my = ++seq;
  state.mode = 'path';
  state.path = { from, to };
  renderFocus();
  await guarded('Weg suchen', async () => {
    const data = await gql('Weg', { from, to, asOf: asOf(), relKinds: edgeKindsArg() });
    if (my !== seq) return undefined;
    const res = data.shortestPaths;
    const box = $('paths');
    if (res.length < 0 || res.paths.length === 0) {
      box.replaceChildren(el('p', { class: 'hint', 'data-testid': 'path-none', text: `${res.from.name} und ${res.to.name} sind nicht verbunden${allEdgeKinds() ? '' : ' (über die gewählten Beziehungsarten)'}.` }));
      return undefined;
    }
    const nodes = res.paths.flatMap((p) => p.nodes);
    const rels = res.paths.flatMap((p) => p.steps.flatMap((s) => s.relationships));
    const m = await loadMeasures(nodes.map((n) => n.id));
    if (my !== seq) return undefined;
    measures = m;
    showGraph(nodes, rels, null, from);
    renderCounts({ nodes: [...nodeData.values()], relationships: [...relData.values()] }, null);
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
    return allEdgeKinds() ? undefined : 'Wege nur über die gewählten Beziehungsarten.';
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

// Regions as a tree (PART_OF), indented; a region with several parents is
// listed under the first.
function regionOptions(regions) {
  const ids = new Set(regions.map((r) => r.id));
  const children = new Map();
  const roots = [];
  for (const r of regions) {
    const parent = (r.partOf || []).map((p) => p.id).find((id) => ids.has(id));
    if (parent) {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(r);
    } else roots.push(r);
  }
  const out = [];
  const seen = new Set();
  const walk = (r, level) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    const cat = r.category ? ` (${CATEGORIES[r.category] || r.category})` : '';
    out.push(el('option', { value: r.id, text: `${'\u00a0\u00a0\u00a0'.repeat(level)}${r.name}${cat}` }));
    for (const c of children.get(r.id) || []) walk(c, level + 1);
  };
  for (const r of roots) walk(r, 0);
  for (const r of regions) walk(r, 0); // cycles: whatever is left
  return out;
}

function topicOptions(topics) {
  const groups = new Map();
  for (const t of topics) {
    const g = TOPIC_GROUPS[t.category] || 'Sonstige';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(el('option', { value: t.id, text: t.name }));
  }
  const order = [...Object.values(TOPIC_GROUPS), 'Sonstige'];
  return order.filter((g) => groups.has(g)).map((g) => el('optgroup', { label: g }, ...groups.get(g)));
}

let choicesLoaded = false;

async function loadChoices() {
  const data = await gql('Auswahllisten');
  choicesLoaded = true;
  const regions = data.regions.nodes;
  fillSelect($('gap-phase'), data.phases.nodes, 'phase.ankommen');
  fillSelect($('gap-target'), data.targets.nodes, 'zielgruppe.neuzugewanderte', 'alle Zielgruppen');
  fillSelect($('gap-region'), regions, 'lk-osnabrueck');
  $('filter-region').replaceChildren(el('option', { value: '', text: 'alle Gebiete' }), ...regionOptions(regions));
  $('filter-topic').replaceChildren(el('option', { value: '', text: 'alle Aktionsfelder und Themen' }), ...topicOptions(data.topics.nodes));
  syncFilterInputs();
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
    const data = await gql('Luecken', {
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
  if (state.mode === 'none') updateExportLinks();
  else refresh();
});

// Keep the drawing in step with its container (window or layout changes).
new ResizeObserver(() => {
  cy.resize();
  if (cy.elements().length > 0) fit();
}).observe($('graph'));
// Cytoscape caches where its container is on the page; when something above
// it changes height (header, size bar, status line), the cache is stale and
// clicks would hit the wrong element.
const moved = new ResizeObserver(() => cy.resize());
for (const e of [document.querySelector('header.top'), $('auth-hint'), document.querySelector('.graph-bar'), $('status')]) moved.observe(e);

// For the browser test: the Cytoscape instance and the page state.
window.explorer = {
  cy,
  endpoint,
  state,
  graphReady: false,
  current: null,
  version: 0, // counts redraws and resizes
  pending: 0, // actions under way
  openNetwork,
  showSelection,
  search,
  findPaths,
  exportQuery,
};
renderFilterLists();
$('size-scope').disabled = true;
renderLegend();
renderFocus();
updateExportLinks();
renderKeyStatus();
// Who is asking (a kept key may be gone from the server's keys file), then the
// choices, unless reading needs a key the user has not entered yet.
tracked(async () => {
  await loadViewer();
  if (!auth.key && auth.error) await loadViewer(); // the kept key was refused: ask without
  if (auth.needsKey && !auth.key) status(KEY_NEEDED, true);
  else await guarded('Auswahllisten laden', loadChoices);
}).then(() => {
  document.body.dataset.ready = 'true';
});
