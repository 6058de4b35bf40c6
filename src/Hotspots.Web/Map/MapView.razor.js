// The map of the dashboard and of the public embed: Leaflet over the HTTP map API. Created by init(), which
// returns a handle with an explicit lifetime (update, focusWard, dispose); nothing is kept in window globals.
// The dashboard passes its .NET object for events and the internal API; the embed passes plain functions
// and the public API (options.api). Popups and labels are text nodes,
// never HTML strings, so nothing in a record's title can run.

import { addBasemap } from '../basemap.js';

// Colours and outlines come from the server with the options (options.symbols, made by Map/MapSymbols.cs): no copy here.

function textBlock(lines) {
  const div = document.createElement('div');
  lines.filter((l) => l).forEach((line, i) => {
    const el = document.createElement(i === 0 ? 'strong' : 'div');
    el.textContent = line;
    div.appendChild(el);
  });
  return div;
}

// Colour says the layer; the outline says the status (symbols.statuses): dashed = just reported, thin = verified,
// thick = in progress, faded = resolved, grey = rejected; a ring in symbols.overdue = overdue. Size grows with severity.
function statusSymbol(sym, color, status, severity, overdue) {
  const s = sym.statuses.find((x) => x.id === status) || sym.statuses.find((x) => x.id === 'verified');
  const fill = s.grey ? sym.greyFill : color;
  return {
    radius: 3 + severity, fill: true, fillColor: fill, fillOpacity: s.fillOpacity ?? 0.85,
    color: overdue ? sym.overdue : (s.grey ? sym.greyStroke : color), weight: overdue ? Math.max(1.5, s.weight) : s.weight,
    opacity: s.opacity ?? 1, dashArray: overdue ? null : (s.dashArray || null),
  };
}

function pointStyle(sym, layerId) {
  const color = sym.layers[layerId];
  return (p) => {
    if (p.count !== undefined) {
      // A grid cell (count, overdue = how many), or on the public map a stack of generalised records at one place
      // (count, late = how many overdue): big enough to carry its number.
      const stack = p.late !== undefined;
      const late = stack ? p.late : p.overdue;
      // A cell of one record is a plain dot; a cell of several is sized to the number it carries.
      const r = stack ? Math.max(8, Math.min(14, 5 + Math.sqrt(p.count) * 1.5)) : p.count > 1 ? COUNT_RADIUS[Math.min(4, countText(p.count).length)] : 4;
      return { radius: r, fill: true, fillColor: color, fillOpacity: p.open > 0 ? 0.75 : 0.25, color: late > 0 ? sym.overdue : color, weight: late > 0 ? 1.5 : 1 };
    }
    return statusSymbol(sym, color, p.status, p.severity, p.overdue);
  };
}

// How a cell's count is written, and the circle that holds that many characters at 10 px.
function countText(n) {
  return n >= 10000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
const COUNT_RADIUS = [4, 6.5, 8, 10, 12];

// VectorGrid's canvas tiles, writing on each grid cell of several hotspots how many it holds (a cell promises a
// count; the number says it).
let CountingTile = null;
function countingRenderer(tileCoord, tileSize, opts) {
  CountingTile ||= L.Canvas.Tile.extend({
    _updateCircle(layer) {
      L.Canvas.Tile.prototype._updateCircle.call(this, layer);
      const n = layer.properties?.count;
      if (!this._drawing || !(n > 1) || layer._radius < 6 || layer._empty()) return;
      const ctx = this._ctx;
      ctx.save();
      ctx.font = '600 10px "Noto Sans", sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = 'rgba(0, 0, 0, .55)';
      ctx.fillStyle = '#fff';
      const text = countText(n);
      ctx.strokeText(text, layer._point.x, layer._point.y);
      ctx.fillText(text, layer._point.x, layer._point.y);
      ctx.restore();
    },
  });
  return new CountingTile(tileCoord, tileSize, opts);
}

// What lies under a click, read from the GeoJSON API (a small box around the pointer) for every visible
// bottleneck layer. (VectorGrid's own point hit-testing fails with Leaflet 1.9, Leaflet.VectorGrid#294.)
async function featuresAt(map, latlng, state) {
  const p = map.latLngToContainerPoint(latlng);
  const sw = map.containerPointToLatLng([p.x - 9, p.y + 9]);
  const ne = map.containerPointToLatLng([p.x + 9, p.y - 9]);
  const bbox = [sw.lng, sw.lat, ne.lng, ne.lat].map((v) => v.toFixed(6)).join(',');
  const filter = state.options.filter ? `&${state.options.filter}` : '';
  const layers = [...state.hotspotLayers.keys()];
  const answers = await Promise.all(layers.map((id) =>
    fetch(`${state.api.features}/${id}?bbox=${bbox}&limit=3${filter}&v=${state.options.version ?? 0}`).then((r) => (r.ok ? r.json() : { features: [] }))));
  return answers.flatMap((a) => a.features);
}

// "Nguồn …, cập nhật …": where a record came from in the public's words (a kind, never a file or a person) and its last change.
function originLine(q, t) {
  if (!q.origin || !t[`Origin_${q.origin}`]) return '';
  const [y, m, d] = (q.updatedOn || q.reportedOn || '').split('-');
  return t.OriginLine.replace('{0}', t[`Origin_${q.origin}`]).replace('{1}', y ? `${d}/${m}/${y}` : '—');
}

function popupFor(features, t, open) {
  const div = document.createElement('div');
  for (const f of features.slice(0, 3)) {
    const q = f.properties;
    const block = textBlock([q.title, `${t.Status}: ${t[q.status] || q.status}${q.overdue ? ` · ${t.Overdue}` : ''}`,
      `${t.Severity}: ${q.severity}/5`,
      q.responsibleUnit ? `${t.Responsible}: ${q.responsibleUnit}` : '',
      q.deadline ? `${t.Deadline}: ${q.deadline}` : '', originLine(q, t), q.isSample ? t.SampleData : '', q.generalized ? t.EmbedGeneralized : '']);
    if (open && t.OpenRecord) {
      // The dashboard opens the record's panel (details, edits, history); the public embed has no such panel.
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'hs-popup-open';
      button.dataset.openHotspot = String(q.id);
      button.textContent = t.OpenRecord;
      button.addEventListener('click', () => open(q.id));
      block.appendChild(button);
    }
    div.appendChild(block);
  }
  return div;
}

// Colour by kind; the further along a project is, the bolder its line (finished ones fully opaque).
function projectStyle(sym, f) {
  const progress = Math.max(0, Math.min(100, Number(f.properties.progressPct ?? 0)));
  return {
    className: 'hs-project', color: sym.projectKinds[f.properties.kind] || sym.otherProject,
    weight: (f.properties.kind === 'ring_road' ? 3 : 2.5) + (progress >= 100 ? 1 : 0),
    // An area (the low-emission zone, the Olympic city) is its outline only: a click inside it belongs to the ward
    // under it, and the streets stay readable; the project is picked on its outline or from the list.
    opacity: 0.35 + 0.65 * progress / 100, fill: false,
    dashArray: sym.projectDashes[f.properties.kind] || null,
  };
}

// A small SVG sample of a point symbol for the legend, drawn with the same style function as the map.
function symbolSample(style) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '18'); svg.setAttribute('height', '18'); svg.setAttribute('viewBox', '0 0 18 18'); svg.setAttribute('aria-hidden', 'true');
  const c = document.createElementNS(ns, 'circle');
  c.setAttribute('cx', '9'); c.setAttribute('cy', '9'); c.setAttribute('r', String(Math.min(7, style.radius)));
  c.setAttribute('fill', style.fillColor); c.setAttribute('fill-opacity', String(style.fillOpacity));
  c.setAttribute('stroke', style.color); c.setAttribute('stroke-width', String(style.weight));
  c.setAttribute('stroke-opacity', String(style.opacity));
  if (style.dashArray) c.setAttribute('stroke-dasharray', style.dashArray);
  svg.appendChild(c);
  return svg;
}

// The on-map legend: a swatch per visible layer, a symbol per status, the overdue ring; rebuilt on update. It folds
// under its title; on a narrow map (a phone) it starts folded so it does not cover the map, and a rebuild keeps the
// reader's choice.
function renderLegend(container, options, open, scale) {
  const before = container.querySelector('details');
  container.replaceChildren();
  const t = options.labels;
  const sym = options.symbols;
  const box = document.createElement('details');
  box.open = before ? before.open : open;
  const title = document.createElement('summary');
  title.textContent = t.LegendTitle;
  box.appendChild(title);
  container.appendChild(box);
  const list = document.createElement('ul');
  const item = (sample, text, attrs = {}) => {
    const li = document.createElement('li');
    Object.entries(attrs).forEach(([k, v]) => li.setAttribute(k, v));
    li.appendChild(sample);
    const span = document.createElement('span');
    span.textContent = text;
    li.appendChild(span);
    list.appendChild(li);
  };
  for (const id of options.layers) {
    if (id === 'projects') {
      const line = document.createElement('span');
      line.className = 'hs-legend-line';
      item(line, `${t.Projects} — ${t.ProjectProgress}`, { 'data-legend-layer': id });
    } else if (sym.layers[id]) {
      item(symbolSample(statusSymbol(sym, sym.layers[id], 'verified', 3, false)), t.layerNames[id], { 'data-legend-layer': id });
    }
  }
  for (const { id: status } of sym.statuses) {
    item(symbolSample(statusSymbol(sym, sym.neutral, status, 3, false)), t[`${status}Short`], { 'data-legend-status': status });
  }
  item(symbolSample(statusSymbol(sym, sym.neutral, 'verified', 3, true)), t.overdueShort, { 'data-legend-status': 'overdue' });
  const cluster = symbolSample({ radius: 7, fillColor: sym.neutral, fillOpacity: 0.75, color: sym.neutral, weight: 1, opacity: 1 });
  item(cluster, t.LegendCluster);
  box.appendChild(list);
  if (options.rainShown) renderRainLegend(box, options);
  // The ward shading's scale: each colour with the values it stands for (the classes are sixths of the wards).
  if (scale) {
    const title = document.createElement('div');
    title.className = 'hs-legend-scale-title';
    title.textContent = t[`Stat_${options.stat}`] || '';
    box.appendChild(title);
    const steps = document.createElement('ul');
    steps.className = 'hs-legend-scale';
    steps.dataset.legendScale = options.stat;
    const fmt = (v) => Number(v).toLocaleString(options.english ? 'en' : 'vi', { maximumFractionDigits: 1 });
    scale.ramp.forEach((color, i) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'hs-legend-swatch';
      swatch.style.background = color;
      li.appendChild(swatch);
      const text = document.createElement('span');
      const lo = i === 0 ? null : scale.breaks[i - 1];
      const hi = i < scale.breaks.length ? scale.breaks[i] : null;
      text.textContent = lo === null ? `≤ ${fmt(hi)}` : hi === null ? `> ${fmt(lo)}` : `${fmt(lo)} – ${fmt(hi)}`;
      li.appendChild(text);
      steps.appendChild(li);
    });
    box.appendChild(steps);
  }
}

// The rain scenario's symbols, in the legend: which kinds of point this scenario has, and the gauges.
function renderRainLegend(box, options) {
  const t = options.labels;
  const title = document.createElement('div');
  title.className = 'hs-legend-scale-title';
  title.textContent = options.rainShown.title;
  box.appendChild(title);
  const list = document.createElement('ul');
  list.dataset.legendRain = '';
  for (const kind of [...options.rainShown.kinds, ...(options.rainShown.gauges ? ['gauge'] : [])]) {
    const li = document.createElement('li');
    li.appendChild(kind === 'gauge' ? gaugeSample(options.symbols.rain.gauge) : symbolSample(rainStyle(options.symbols, kind)));
    const span = document.createElement('span');
    span.textContent = { hit: t.RainHit, expected: t.RainExpected, dry: t.RainDry, unexpected: t.RainUnexpected, quiet: t.RainQuiet, gauge: t.RainGauge }[kind];
    li.appendChild(span);
    list.appendChild(li);
  }
  box.appendChild(list);
}

function gaugeSample(color) {
  const s = document.createElement('span');
  s.className = 'hs-rain-gauge-sample';
  s.style.background = color;
  return s;
}

function rainStyle(sym, kind) {
  const color = sym.rain[kind];
  return {
    hit: { radius: 8, fillColor: color, fillOpacity: 0.9, color: '#ffffff', weight: 2 },
    expected: { radius: 7, fillColor: color, fillOpacity: 0.85, color: '#ffffff', weight: 1.5 },
    dry: { radius: 7, fillColor: '#ffffff', fillOpacity: 0.9, color, weight: 3 },
    unexpected: { radius: 6, fillColor: color, fillOpacity: 0.85, color: '#ffffff', weight: 1.5 },
    quiet: { radius: 4, fillColor: color, fillOpacity: 0.5, color, weight: 1 },
  }[kind];
}

const INTERNAL_API = { wards: 'api/wards', features: 'api/features', tiles: 'tiles', stats: 'api/stats/wards', heat: 'api/heat', floodScenario: 'api/public/flood-risk/scenario' };

// A .NET object reference (dashboard) or plain functions (embed); missing handlers do nothing.
function eventsOf(handler) {
  if (handler && typeof handler.invokeMethodAsync === 'function') {
    return {
      viewChanged: (lat, lon, z) => handler.invokeMethodAsync('OnViewChanged', lat, lon, z).catch(() => {}),
      wardClicked: (code) => handler.invokeMethodAsync('OnWardClicked', code),
      projectClicked: (id) => handler.invokeMethodAsync('OnProjectClicked', id),
      hotspotClicked: (id) => handler.invokeMethodAsync('OnHotspotClicked', id),
      gaugeClicked: (id) => handler.invokeMethodAsync('OnGaugeClicked', id),
      picked: (lat, lon) => handler.invokeMethodAsync('OnPicked', lat, lon),
    };
  }
  return { viewChanged: () => {}, wardClicked: () => {}, projectClicked: () => {}, hotspotClicked: null, gaugeClicked: null, picked: () => {}, ...(handler || {}) };
}

function selectedWards(options) {
  return new Set(Array.isArray(options.ward) ? options.ward : (options.ward ? [options.ward] : []));
}

export function init(element, handler, options) {
  performance.mark('hs-map-init'); // read by the dashboard benchmark (tests/bench/dashboard.sh)
  const events = eventsOf(handler);
  // A kiosk screen is looked at, not touched: no controls, no dragging or zooming by hand.
  const still = options.interactive === false;
  const map = L.map(element, {
    maxZoom: 19, minZoom: 8, zoomControl: !still, dragging: !still, scrollWheelZoom: !still, doubleClickZoom: !still,
    boxZoom: !still, keyboard: !still, touchZoom: !still,
  }).setView([options.lat, options.lon], options.zoom);
  // The sources of the product's own layers, in the page's language (Resources: MapAttribution).
  map.attributionControl.addAttribution(options.labels.MapAttribution);
  // Streets, water and names under everything (a raster URL or this site's vector tiles), or the default below.
  const withBase = (options.basemap?.kind || 'default') !== 'default';
  addBasemap(map, options.basemap).catch(() => { map.getContainer().dataset.basemap = 'failed'; });
  if (!withBase) map.attributionControl.addAttribution(options.labels.BasemapDefault);

  const state = { options, withBase, events, api: { ...INTERNAL_API, ...(options.api || {}) }, hotspotLayers: new Map(), wards: null, labels: null, projects: null, disposed: false };
  const labelPane = map.createPane('wardLabels'); // above the points, below tooltips and popups
  labelPane.style.pointerEvents = 'none';
  labelPane.style.zIndex = 640;

  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'hs-map-legend');
    div.setAttribute('data-map-legend', '');
    // Opening the legend is not a click on the map (it would open whatever record lies under it).
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    renderLegend(div, state.options, still || map.getSize().x >= 560, state.scale); // a kiosk cannot be touched to open it
    return div;
  };
  if (options.legend !== false) legend.addTo(map);
  state.legend = legend;
  let wardsDrawn;
  state.wardsReady = new Promise((resolve) => { wardsDrawn = resolve; });

  // Ward boundaries as vector shapes (works with no base map); a click selects the ward.
  fetch(`${state.api.wards}?tolerance=0.0002`).then((r) => { performance.mark('hs-wards-response'); return r.json(); }).then((fc) => {
    performance.mark('hs-wards-fetched');
    if (state.disposed) return;
    state.wards = L.geoJSON(fc, {
      // noClip: a clipped outline would be stroked along the screen's edge too (straight lines across the map).
      style: () => ({ className: 'hs-ward', color: options.symbols.wardStroke, weight: 0.8, fillColor: options.symbols.wardFill, fillOpacity: plainFill(state), noClip: true }),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(() => textBlock([f.properties.fullName]), { sticky: true });
        layer.on('click', (e) => { L.DomEvent.stopPropagation(e); clicked(e.latlng, f.properties.code, layer); });
        layer.on('add', () => layer.getElement()?.setAttribute('data-ward', f.properties.code));
      },
    }).addTo(map);
    state.wards.bringToBack();
    // With no base map, the city's outline gives the wards their frame (a foreign member of the wards' answer).
    if (!withBase && fc.outline) {
      state.outline = L.geoJSON(fc.outline, { style: { className: 'hs-city-outline', color: options.symbols.wardStroke, weight: 2.5, fill: false }, interactive: false }).addTo(map);
    }
    performance.mark('hs-wards-drawn');
    // Names at street-level zooms only; at city zooms 126 names would cover the data.
    state.labels = L.layerGroup(fc.features.filter((f) => f.properties.labelPoint).map((f) => {
      const el = document.createElement('span');
      el.textContent = f.properties.name;
      return L.marker([f.properties.labelPoint[1], f.properties.labelPoint[0]], {
        icon: L.divIcon({ className: 'hs-ward-label', html: el, iconSize: null }), interactive: false, keyboard: false, pane: 'wardLabels',
      });
    }));
    showLabels(state, map);
    highlightWard(state);
    wardsDrawn(fc);
    // The hotspot tiles start once the boundaries are painted: the outline of the city comes first.
    state.ready = true;
    requestAnimationFrame(() => setTimeout(() => applyLayers(state, map), 0));
  }).catch(() => { state.ready = true; applyLayers(state, map); });

  fetch(`${state.api.features}/projects`).then((r) => r.json()).then((fc) => {
    if (state.disposed) return;
    state.projects = L.geoJSON(fc, {
      style: (f) => projectStyle(state.options.symbols, f),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(() => textBlock([state.options.english ? f.properties.nameEn : f.properties.name,
          `${state.options.labels.Progress}: ${Math.round(f.properties.progressPct ?? 0)}%`]), { sticky: true });
        layer.on('click', (e) => { L.DomEvent.stopPropagation(e); events.projectClicked(f.properties.id); });
      },
    });
    applyLayers(state, map);
    highlightChosen(state, map);
  });
  highlightChosen(state, map);

  // The map's own moves (a ward, a search result, a link) jump rather than glide: after an animated zoom, Chromium's
// compositor could leave part of the ward and project layer unpainted until the next move (seen in kiosks and
// /embed?ward=, where the map moves by itself right after it opens).
// A click asks first what is under the pointer: a hotspot there opens (its popup, and its record on the dashboard)
  // and leaves the filters alone; only a click on a ward's empty ground selects the ward, and the map goes to it.
  async function clicked(latlng, wardCode, wardLayer) {
    if (state.picking) {
      // "Add a hotspot here": the click is the new record's position, not a question about what lies there.
      state.picking = false;
      element.classList.remove('hs-picking');
      events.picked(latlng.lat, latlng.lng);
      return;
    }
    const features = await featuresAt(map, latlng, state);
    if (state.disposed) return;
    if (features.length > 0) {
      L.popup().setLatLng(latlng).setContent(popupFor(features, state.options.labels, events.hotspotClicked)).openOn(map);
      if (features.length === 1 && events.hotspotClicked) events.hotspotClicked(features[0].properties.id);
      return;
    }
    if (wardCode) {
      events.wardClicked(wardCode);
      if (wardLayer && !still) map.fitBounds(wardLayer.getBounds(), { padding: [16, 16], maxZoom: 15, animate: false });
    }
  }
  map.on('click', (e) => clicked(e.latlng, null, null));

  let moveTimer = null;
  // Where the map looks, for whoever reads the page (tests place things on screen from it).
  const markView = () => { const c = map.getCenter(); element.dataset.position = JSON.stringify({ lat: c.lat, lon: c.lng, zoom: map.getZoom() }); };
  markView();
  map.on('zoomend', () => showLabels(state, map));
  map.on('moveend', () => {
    markView();
    if (heatUsable(state.options)) refreshHeat(state, map);
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => {
      const c = map.getCenter();
      events.viewChanged(c.lat, c.lng, map.getZoom());
    }, 250);
  });

  return {
    update(next) {
      const filterChanged = next.filter !== state.options.filter || next.view !== state.options.view || next.version !== state.options.version;
      state.options = next;
      if (filterChanged) {
        for (const layer of state.hotspotLayers.values()) map.removeLayer(layer);
        state.hotspotLayers.clear();
      }
      applyLayers(state, map);
      highlightWard(state);
      highlightChosen(state, map);
      if (state.legend.getContainer()) renderLegend(state.legend.getContainer(), next, undefined, state.scale);
    },
    /** Resolves with the rain scenario's answer (null without one). */
    rainScenario: () => rainFetch(state, state.options.rain || null),
    /** Resolves with the wards' GeoJSON once they are drawn. */
    wardsReady: () => state.wardsReady,
    /** Shows these wards (codes) as large as the map allows. */
    async fitWards(codes) {
      await state.wardsReady;
      const wanted = new Set(codes);
      const layers = [];
      state.wards.eachLayer((layer) => { if (wanted.has(layer.feature.properties.code)) layers.push(layer); });
      if (layers.length > 0) map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [12, 12], animate: false });
    },
    /** The next click on the map picks a position (reported through the handler's OnPicked). */
    pick(on) {
      state.picking = !!on;
      element.classList.toggle('hs-picking', !!on);
      // On a phone the button sits far below the map: bring the map into sight, or the tap seems to do nothing.
      if (on) element.scrollIntoView({ block: 'nearest' });
    },
    /** Centres the map on a place at a zoom. */
    show(lat, lon, zoom) { map.setView([lat, lon], zoom, { animate: false }); },
    /** Shows a bounding box [minLon, minLat, maxLon, maxLat]. */
    fitBox(b) { map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { animate: false }); },
    dispose() {
      state.disposed = true;
      clearTimeout(moveTimer);
      map.off();
      map.remove();
    },
  };
}

// Ward names from street-level zooms; with no base map they are the only names, so they come a level earlier.
const LABEL_ZOOM = 13;

// Ward areas are tinted only when nothing else is under them; over a base map they are outlines (fill kept
// invisible so a click still selects the ward).
function plainFill(state) {
  return state.withBase ? 0 : 0.35;
}

function showLabels(state, map) {
  if (!state.labels) return;
  const wanted = map.getZoom() >= (state.withBase ? LABEL_ZOOM : LABEL_ZOOM - 1);
  if (wanted && !map.hasLayer(state.labels)) state.labels.addTo(map);
  if (!wanted && map.hasLayer(state.labels)) map.removeLayer(state.labels);
}

// Heatmap weights come from the pre-built cells (/api/heat), refreshed as the map moves. The heat API
// takes status and sample only; with other filters the view stays on points so the map matches the counts.
function heatUsable(options) {
  return options.view === 'heat' && !/(^|&)(ward|severity|subtype|from|to|at)=/.test(options.filter || '');
}

async function refreshHeat(state, map) {
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
  const filter = state.options.filter ? `&${state.options.filter}` : '';
  for (const [id, layer] of state.hotspotLayers) {
    const r = await fetch(`${state.api.heat}/${id}?z=${map.getZoom()}&bbox=${bbox}${filter}`);
    if (!r.ok || state.disposed) continue;
    // Square roots, scaled to the 95th percentile: one crowded cell should not wash out the rest of the city.
    const points = (await r.json()).map((p) => [p[0], p[1], Math.sqrt(p[2])]);
    const sorted = points.map((p) => p[2]).sort((a, b) => a - b);
    const max = sorted.length ? Math.max(1, sorted[Math.floor((sorted.length - 1) * 0.95)]) : 1;
    layer.setOptions({ max });
    layer.setLatLngs(points);
  }
}

function applyLayers(state, map) {
  if (!state.ready || state.disposed) return;
  const wanted = new Set(state.options.layers);
  const heat = heatUsable(state.options);
  for (const [id, layer] of state.hotspotLayers) {
    if (!wanted.has(id)) { map.removeLayer(layer); state.hotspotLayers.delete(id); }
  }
  for (const id of wanted) {
    if (id === 'projects' || state.hotspotLayers.has(id)) continue;
    if (heat) {
      const color = state.options.symbols.layers[id];
      const layer = L.heatLayer([], { radius: 20, blur: 18, maxZoom: 17, gradient: { 0.3: state.options.symbols.heatLow, 0.6: state.options.symbols.heatMiddle, 1.0: color } }).addTo(map);
      state.hotspotLayers.set(id, layer);
      continue;
    }
    // The data version in the URL: a shared cache (nginx) keeps each tile for long, and an edit makes new URLs.
    const query = `?${state.options.filter ? `${state.options.filter}&` : ''}v=${state.options.version ?? 0}`;
    const layer = L.vectorGrid.protobuf(`${state.api.tiles}/${id}/{z}/{x}/{y}.mvt${query}`, {
      vectorTileLayerStyles: { [id]: pointStyle(state.options.symbols, id) },
      // Canvas, not SVG: a low-zoom tile holds up to 4,096 cells, and thousands of SVG nodes per tile
      // cost the browser far more than drawing them. (Clicks are answered from the GeoJSON API anyway.)
      rendererFactory: countingRenderer,
      interactive: false,
      maxNativeZoom: 19,
      pane: 'markerPane',
    });
    layer.getContainer?.()?.setAttribute?.('data-layer', id);
    layer.addTo(map);
    state.hotspotLayers.set(id, layer);
  }
  if (state.projects) {
    if (wanted.has('projects') && !map.hasLayer(state.projects)) state.projects.addTo(map);
    if (!wanted.has('projects') && map.hasLayer(state.projects)) map.removeLayer(state.projects);
  }
  if (heat) refreshHeat(state, map);
  map.getContainer().dataset.view = heat ? 'heat' : 'points';
  showReplayDay(state, map);
  showRain(state, map);
  map.getContainer().dataset.filter = state.options.filter;
  map.getContainer().dataset.layers = [...wanted].filter((id) => id === 'projects' ? !!state.projects : state.hotspotLayers.has(id)).join(',');
}

// The project and the record whose panels are open stay marked on the map: the project's line drawn bolder (and on
// top), the record ringed where it lies (its position read from the record API, which the public embed has not).
async function highlightChosen(state, map) {
  const { project, hotspot } = state.options;
  state.projects?.eachLayer((layer) => {
    const chosen = layer.feature.properties.id === project;
    layer.setStyle({ ...projectStyle(state.options.symbols, layer.feature), ...(chosen ? { weight: 6, opacity: 1 } : {}) });
    if (chosen) layer.bringToFront();
  });
  if (state.chosenId === hotspot) return;
  state.chosenId = hotspot;
  state.chosenRing?.remove();
  state.chosenRing = null;
  if (!hotspot || state.options.api) return;
  const r = await fetch(`api/hotspots/${hotspot}`);
  if (!r.ok || state.disposed || state.chosenId !== hotspot) return;
  const record = await r.json();
  state.chosenRing = L.circleMarker([record.lat, record.lon], {
    radius: 14, className: 'hs-chosen-record', color: state.options.symbols.chosenWardStroke, weight: 3, fill: false, interactive: false,
    pane: 'wardLabels', // above the points
  }).addTo(map);
  state.chosenRing.getElement()?.setAttribute('data-chosen-hotspot', String(hotspot));
}

// The day a replay shows, written on the map itself (dd/MM/yyyy): a screenshot or a screen across the room says it.
function showReplayDay(state, map) {
  const m = /(?:^|&)at=(\d{4})-(\d{2})-(\d{2})/.exec(state.options.filter || '');
  if (!m) {
    state.dayLabel?.remove();
    state.dayLabel = null;
    return;
  }
  if (!state.dayLabel) {
    state.dayLabel = L.DomUtil.create('div', 'hs-replay-day', map.getContainer());
    state.dayLabel.setAttribute('aria-live', 'polite');
  }
  state.dayLabel.dataset.replayDay = `${m[1]}-${m[2]}-${m[3]}`;
  state.dayLabel.textContent = `${state.options.labels.ReplayDayOnMap} ${m[3]}/${m[2]}/${m[1]}`;
}

// Ward shading by a statistic of /api/stats/wards (read over HTTP, cached by its ETag).
const STAT = {
  open: (w) => w.totals.open,
  overdue: (w) => w.totals.overdue,
  resolvedPct: (w) => w.resolvedPct,
  openPerKm2: (w) => w.openPerKm2,
  openPer10k: (w) => w.openPer10k,
  quality: (w) => w.quality?.score ?? null,
};

// Statistics where more is better: their ramp runs the other way, so dark still means "look here".
const BETTER_HIGH = new Set(['quality']);

async function loadStats(state) {
  if (!state.statsPromise) state.statsPromise = fetch(state.api.stats).then((r) => r.json());
  return state.statsPromise;
}

async function highlightWard(state) {
  if (!state.wards) return;
  // The outreach index comes with the options (computed in the circuit with the person's weights);
  // the other statistics are read from the stats API.
  const scores = state.options.stat === 'outreach' ? state.options.scores : null;
  const pick = STAT[state.options.stat];
  let byCode = null;
  if (scores) {
    byCode = new Map(Object.entries(scores));
  } else if (pick) {
    const stats = await loadStats(state);
    byCode = new Map(stats.wards.map((w) => [w.code, pick(w)]));
  }
  const sym = state.options.symbols;
  let fill = () => sym.wardFill;
  const hadScale = !!state.scale;
  state.scale = null;
  // A statistic no ward has a value for (nothing measured yet) shades nothing: no scale of empty classes.
  if (byCode && ![...byCode.values()].some((v) => v !== null && v !== undefined)) byCode = null;
  if (byCode) {
    const values = [...byCode.values()].filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
    const breaks = [1, 2, 3, 4, 5].map((i) => values[Math.floor((values.length - 1) * i / 6)]);
    const ramp = BETTER_HIGH.has(state.options.stat) ? [...sym.ramp].reverse() : sym.ramp;
    state.scale = { breaks, ramp };
    fill = (code) => {
      const v = byCode.get(code);
      if (v === null || v === undefined) return sym.noValue;
      return ramp[breaks.filter((b) => v > b).length];
    };
  }
  if (state.disposed || !state.wards) return;
  const chosen = selectedWards(state.options);
  state.wards.eachLayer((layer) => {
    const code = layer.feature.properties.code;
    const selected = chosen.has(code);
    layer.setStyle({ fillColor: fill(code), fillOpacity: byCode ? (state.withBase ? 0.6 : 0.7) : plainFill(state), weight: selected ? 3 : 0.8, color: selected ? sym.chosenWardStroke : sym.wardStroke });
    if (selected) layer.bringToFront(); // its outline whole, not under a neighbour's
  });
  if ((state.scale || hadScale) && state.legend?.getContainer()) renderLegend(state.legend.getContainer(), state.options, undefined, state.scale);
}

// The scenario's answer, asked once per query: the map draws it and the embed's caption reads the same answer.
function rainFetch(state, query) {
  if (state.rainFetched?.query !== query) {
    state.rainFetched = { query, answer: query ? fetch(`${state.api.floodScenario}?${query}`).then((r) => (r.ok ? r.json() : null)) : Promise.resolve(null) };
  }
  return state.rainFetched.answer;
}

// A rain scenario over the map (/api/public/flood-risk/scenario): the flood points it expects and, for a past day,
// what was seen; each gauge with its rain. Drawn above the layers; a point opens its record like any other.
async function showRain(state, map) {
  const query = state.options.rain || null;
  if (state.rainQuery === query) {
    if (state.rainShown) state.options.rainShown = state.rainShown; // a new options object: keep the legend's section
    return;
  }
  state.rainQuery = query;
  state.rainLayer?.remove();
  state.rainLayer = null;
  state.rainShown = null;
  state.options.rainShown = null;
  const container = map.getContainer();
  delete container.dataset.rain;
  if (!query) {
    if (state.legend?.getContainer()) renderLegend(state.legend.getContainer(), state.options, undefined, state.scale);
    return;
  }
  const s = await rainFetch(state, query);
  if (!s || state.disposed || state.rainQuery !== query) return;
  const t = state.options.labels;
  const sym = state.options.symbols;
  const lang = state.options.english ? 'en' : 'vi';
  const mm = (v) => (v === null || v === undefined ? '—' : `${Number(v).toLocaleString(lang, { maximumFractionDigits: 1 })} mm`);
  const events = state.events;
  const group = L.layerGroup();
  const kinds = new Set();
  const expected = new Set(s.points.filter((p) => p.expected).map((p) => p.id));
  for (const o of s.observations) {
    if (o.nearPoints.some((id) => expected.has(id))) continue; // drawn as its point's hit
    kinds.add('unexpected');
    L.circleMarker([o.lat, o.lon], { ...rainStyle(sym, 'unexpected'), pane: 'markerPane' })
      .bindTooltip(() => textBlock([o.title, t.RainUnexpected])).on('click', (e) => { L.DomEvent.stopPropagation(e); events.hotspotClicked?.(o.id); })
      .addTo(group);
  }
  for (const p of s.points) {
    const kind = p.expected ? (p.flooded ? 'hit' : (s.day ? 'dry' : 'expected')) : (p.flooded ? 'unexpected' : 'quiet');
    kinds.add(kind);
    const lines = [p.title, { hit: t.RainHit, expected: t.RainExpected, dry: t.RainDry, unexpected: t.RainUnexpected, quiet: t.RainQuiet }[kind],
      `${t.RainAtPoint}: ${mm(p.rainMm)}`];
    if (p.planMm !== null) lines.push(`${t.RainPlanThreshold}: ${mm(p.planMm)}`);
    if (p.observedMm !== null) lines.push(`${t.RainObservedThreshold}: ${mm(p.observedMm)}`);
    const marker = L.circleMarker([p.lat, p.lon], { ...rainStyle(sym, kind), pane: 'markerPane' })
      .bindTooltip(() => textBlock(lines)).on('click', (e) => { L.DomEvent.stopPropagation(e); events.hotspotClicked?.(p.id); });
    marker.on('add', () => marker.getElement()?.setAttribute('data-rain-point', kind));
    marker.addTo(group);
  }
  // The same rain everywhere needs no gauge to say it; a past day's gauges each say their own.
  for (const g of s.day ? s.gauges : []) {
    if (g.mm === null) continue; // no value that day: nothing to say
    const el = document.createElement('span');
    el.textContent = g.suspect ? '?' : Math.round(g.mm).toLocaleString(lang);
    el.style.background = sym.rain.gauge;
    const marker = L.marker([g.lat, g.lon], { icon: L.divIcon({ className: 'hs-rain-gauge', html: el, iconSize: null }), keyboard: false })
      .bindTooltip(() => textBlock([`${t.RainGauge} ${g.name}`, g.suspect ? `${mm(g.mm)} — ${t.RainSuspect}` : mm(g.mm)]))
      .on('click', (e) => { L.DomEvent.stopPropagation(e); events.gaugeClicked?.(g.id); });
    marker.on('add', () => marker.getElement()?.setAttribute('data-gauge', String(g.id)));
    marker.addTo(group);
  }
  group.addTo(map);
  state.rainLayer = group;
  const order = ['hit', 'expected', 'dry', 'unexpected', 'quiet'];
  const [y, m, d] = (s.day || '').split('-');
  state.rainShown = {
    title: s.day ? `${t.RainOfDay} ${d}/${m}/${y}` : t.RainMmScenario.replace('{0}', Number(s.mm).toLocaleString(lang, { maximumFractionDigits: 1 })),
    kinds: order.filter((k) => kinds.has(k)),
    gauges: !!s.day,
  };
  state.options.rainShown = state.rainShown;
  container.dataset.rain = query;
  if (state.legend?.getContainer()) renderLegend(state.legend.getContainer(), state.options, undefined, state.scale);
}
