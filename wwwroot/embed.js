// The public embed: reads its settings from its own URL, draws the dashboard's map module over the public API,
// and adds what a reader needs (ward search, ward panel) or, in kiosk mode, cycles through wards and layers.
// No framework and no circuit; text is set with textContent only.
import { init } from './Map/MapView.razor.js';

const LAYERS = ['flooding', 'congestion', 'urban-order', 'environment', 'food-safety', 'projects'];
const STATS = ['none', 'open', 'overdue', 'resolvedPct', 'openPerKm2', 'openPer10k', 'quality'];
const PUBLIC_API = { wards: 'api/public/wards', features: 'api/public/features', tiles: 'api/public/tiles', stats: 'api/public/stats/wards', floodScenario: 'api/public/flood-risk/scenario' };

const body = document.body;
const labels = JSON.parse(body.dataset.labels);
// Colours, outlines and the status list, from the server (Map/MapSymbols.cs).
const symbols = JSON.parse(body.dataset.symbols);
const STATUSES = ['all', 'open', ...symbols.statuses.map((s) => s.id)];
const english = body.dataset.english === 'true';
const q = new URLSearchParams(location.search);

const list = (name, allowed, fallback) => {
  const v = (q.get(name) || '').split(',').map((x) => x.trim()).filter((x) => x && (!allowed || allowed.includes(x)));
  return v.length ? [...new Set(v)] : fallback;
};
const day = (name) => (/^\d{4}-\d{2}-\d{2}$/.test(q.get(name) || '') ? q.get(name) : null);
const flag = (name, fallback) => (q.has(name) ? q.get(name) === '1' || q.get(name) === 'true' : fallback);

// rain=80 (mm in a day) or rain=2025-09-30 (a past day): the flood scenario over the map, in the public's words.
const rainOf = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? `day=${v}` : (Number(v) > 0 && Number(v) <= 1000 ? `mm=${Number(v)}` : null));
const rain = rainOf(q.get('rain'));

const settings = {
  // A scenario shows over the key projects only, unless the link names its layers.
  layers: list('layers', LAYERS, rain ? ['projects'] : LAYERS),
  wards: list('ward', null, []).filter((c) => /^\d{5}$/.test(c)).slice(0, 20),
  bbox: (q.get('bbox') || '').split(',').map(Number),
  status: STATUSES.includes(q.get('status')) ? q.get('status') : 'open',
  stat: STATS.includes(q.get('stat')) ? q.get('stat') : 'none',
  data: ['real', 'sample'].includes(q.get('data')) ? q.get('data') : 'all',
  from: day('from'),
  to: day('to'),
  legend: flag('legend', true),
  search: flag('search', false),
  panel: flag('panel', true),
  kiosk: flag('kiosk', false),
  cycle: list('cycle', null, []).filter((c) => /^\d{5}$/.test(c)).slice(0, 50),
  cycleLayers: list('cycleLayers', LAYERS, []),
  interval: Math.min(600, Math.max(5, Number(q.get('interval')) || 20)),
  about: flag('about', true),
  rain,
};

function filterFor(wards) {
  return [
    settings.status === 'all' ? null : `status=${settings.status}`,
    wards.length ? `ward=${wards.join(',')}` : null,
    settings.data === 'all' ? null : `sample=${settings.data === 'sample'}`,
    settings.from ? `from=${settings.from}` : null,
    settings.to ? `to=${settings.to}` : null,
  ].filter(Boolean).join('&');
}

const num = (name, min, max, fallback) => {
  const v = Number(q.get(name));
  return q.has(name) && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
};
const view = { lat: num('lat', 20.5, 21.5, 21.03), lon: num('lon', 105.2, 106.1, 105.85), zoom: Math.round(num('z', 8, 19, 11)) };

function optionsFor(layers, wards) {
  return {
    layers, filter: filterFor(wards), ward: wards, stat: settings.stat, view: 'points',
    lat: view.lat, lon: view.lon, zoom: view.zoom, english, labels, symbols, api: PUBLIC_API,
    legend: settings.legend || settings.kiosk, interactive: !settings.kiosk, rain: settings.rain,
    basemap: JSON.parse(body.dataset.basemap),
  };
}

const element = document.getElementById('hs-embed-map');
if (settings.kiosk) body.classList.add('hs-kiosk');
let statsPromise = null;
const publicStats = () => (statsPromise ||= fetch(PUBLIC_API.stats).then((r) => r.json()));

const panel = settings.panel && !settings.kiosk ? createPanel() : null;
const map = init(element, { wardClicked: (code) => panel && showWard(code) }, optionsFor(settings.layers, settings.wards));
element.dataset.settings = JSON.stringify({ layers: settings.layers, wards: settings.wards, filter: filterFor(settings.wards), stat: settings.stat });

if (settings.bbox.length === 4 && settings.bbox.every(Number.isFinite)) map.fitBox(settings.bbox);
else if (settings.wards.length && !q.has('z')) map.fitWards(settings.wards);
if (settings.search && !settings.kiosk) createSearch();
if (settings.about) createAbout();

// What the reader is looking at, on the map itself: the title, when the data was last updated, one line of
// explanation, and a notice when generated sample records are among what is shown.
async function createAbout() {
  const box = document.createElement('section');
  box.className = 'hs-embed-about';
  box.dataset.embedAbout = '';
  const title = document.createElement('h1');
  title.textContent = labels.EmbedTitle;
  const line = document.createElement('p');
  line.textContent = labels.EmbedExplain;
  box.append(title, line);
  document.body.appendChild(box);
  const stats = await publicStats();
  if (stats.asOf) {
    const updated = document.createElement('p');
    updated.dataset.embedUpdated = stats.asOf;
    const at = new Date(stats.asOf);
    // Hanoi time, written dd/MM/yyyy HH:mm whatever the reader's browser is set to.
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
      .formatToParts(at).map((p) => [p.type, p.value]));
    updated.textContent = `${labels.EmbedUpdated} ${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
    box.appendChild(updated);
  }
  if (settings.rain) box.appendChild(rainSummary(settings.rain, await map.rainScenario()));
  if (stats.hasSample && settings.data !== 'real') {
    const sample = document.createElement('p');
    sample.className = 'hs-embed-sample';
    sample.dataset.embedSample = '';
    sample.textContent = labels.EmbedSampleNotice;
    box.appendChild(sample);
  }
}
if (settings.kiosk) startKiosk();

// One line on the scenario: how many flood points to expect and, for a past day with floods reported, how that went.
function rainSummary(query, s) {
  const line = document.createElement('p');
  line.dataset.embedRain = query;
  if (!s) return line;
  const expected = s.points.filter((p) => p.expected).length;
  const [y, m, d] = (s.day || '').split('-');
  const title = s.day ? `${labels.RainOfDay} ${d}/${m}/${y}` : labels.RainMmScenario.replace('{0}', String(s.mm));
  const parts = [`${title}: ${labels.RainEmbedExpected.replace('{0}', expected)}`];
  if (s.hits && s.hits.observations > 0) {
    parts.push(labels.RainEmbedHits.replace('{0}', s.hits.expectedFlooded).replace('{1}', s.hits.floodedUnexpected));
  }
  line.textContent = parts.join(' ');
  return line;
}

function createPanel() {
  const div = document.createElement('aside');
  div.className = 'hs-embed-panel';
  div.hidden = true;
  div.setAttribute('aria-live', 'polite');
  document.body.appendChild(div);
  return div;
}

async function showWard(code) {
  const stats = await publicStats();
  const w = stats.wards.find((x) => x.code === code);
  if (!w) return;
  panel.replaceChildren();
  panel.dataset.ward = code;
  const h = document.createElement('h2');
  h.textContent = w.name;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'hs-embed-close';
  close.textContent = '×';
  close.setAttribute('aria-label', labels.Close);
  close.addEventListener('click', () => { panel.hidden = true; });
  h.appendChild(close);
  panel.appendChild(h);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const text of ['', labels.LegendOpen, labels.Overdue, labels.ResolvedPeriod]) {
    const th = document.createElement('th');
    th.textContent = text;
    head.appendChild(th);
  }
  const tbody = table.createTBody();
  for (const id of LAYERS.filter((x) => x !== 'projects')) {
    const s = w.categories[id] || { open: 0, overdue: 0, resolvedInPeriod: 0 };
    const row = tbody.insertRow();
    row.dataset.layer = id;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = labels.layerNames[id];
    row.appendChild(th);
    for (const v of [s.open, s.overdue, s.resolvedInPeriod]) row.insertCell().textContent = String(v);
  }
  panel.appendChild(table);
  panel.hidden = false;
}

// Diacritics- and case-insensitive, as in the dashboard: "dong da" finds "Đống Đa".
const key = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

async function createSearch() {
  const box = document.createElement('div');
  box.className = 'hs-embed-search';
  const input = document.createElement('input');
  input.type = 'search';
  input.id = 'hs-embed-search';
  input.placeholder = labels.WardSearch;
  input.setAttribute('aria-label', labels.WardSearch);
  input.autocomplete = 'off';
  const results = document.createElement('ul');
  results.setAttribute('role', 'listbox');
  box.append(input, results);
  document.body.appendChild(box);
  const fc = await map.wardsReady();
  const wards = fc.features.map((f) => ({ code: f.properties.code, name: english ? f.properties.fullNameEn : f.properties.fullName, key: key(f.properties.fullName) }));
  input.addEventListener('input', () => {
    const k = key(input.value.trim());
    results.replaceChildren();
    if (k.length < 2) return;
    for (const w of wards.filter((x) => x.key.includes(k)).slice(0, 8)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.ward = w.code;
      b.textContent = w.name;
      b.addEventListener('click', () => {
        results.replaceChildren();
        input.value = w.name;
        map.update(optionsFor(settings.layers, [w.code]));
        map.fitWards([w.code]);
        if (panel) showWard(w.code);
      });
      li.appendChild(b);
      results.appendChild(li);
    }
  });
}

// Cultural-house screens: every `interval` seconds the next ward and layer, with nobody touching anything.
function startKiosk() {
  const wards = settings.cycle.length ? settings.cycle : settings.wards;
  const layers = settings.cycleLayers.length ? settings.cycleLayers : [settings.layers];
  const steps = [];
  for (const w of wards.length ? wards : [null]) for (const l of layers) steps.push({ ward: w, layers: Array.isArray(l) ? l : [l] });
  let i = 0;
  const caption = document.createElement('div');
  caption.className = 'hs-kiosk-caption';
  caption.setAttribute('aria-live', 'polite');
  document.body.appendChild(caption);
  const show = async () => {
    const step = steps[i % steps.length];
    i += 1;
    const wardList = step.ward ? [step.ward] : settings.wards;
    map.update(optionsFor(step.layers, wardList));
    element.dataset.kioskStep = `${step.ward || ''}|${step.layers.join(',')}`;
    const fc = await map.wardsReady();
    const f = step.ward && fc.features.find((x) => x.properties.code === step.ward);
    caption.textContent = [f ? (english ? f.properties.fullNameEn : f.properties.fullName) : null,
      step.layers.map((l) => labels.layerNames[l]).join(' · ')].filter(Boolean).join(' — ');
    if (step.ward) map.fitWards([step.ward]);
  };
  show();
  if (steps.length > 1) setInterval(show, settings.interval * 1000);
}
