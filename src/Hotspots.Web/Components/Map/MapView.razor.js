// The dashboard map: Leaflet over the HTTP map API. Created by init(), which returns a handle with an
// explicit lifetime (update, dispose); nothing is kept in window globals. Popups and labels are text nodes,
// never HTML strings, so nothing in a record's title can run.

const ATTRIBUTION = 'Ranh giới: sapnhap.bando.com.vn / vietnamese-provinces-database (MIT) · Điểm ngập: KH 138/KH-UBND, QĐ 2280/QĐ-UBND · Tuyến dự án: gần đúng (Hotspots)';
const COLORS = { flooding: '#1f78b4', congestion: '#e31a1c', 'urban-order': '#ff7f00', environment: '#33a02c', 'food-safety': '#b15928' };
const PROJECT_COLORS = { ring_road: '#6a3d9a', boulevard: '#1f78b4', metro: '#e7298a', low_emission_zone: '#33a02c', river: '#0570b0', sports_city: '#ff7f00' };
const OPEN = new Set(['reported', 'verified', 'in_progress']);

function textBlock(lines) {
  const div = document.createElement('div');
  lines.filter((l) => l).forEach((line, i) => {
    const el = document.createElement(i === 0 ? 'strong' : 'div');
    el.textContent = line;
    div.appendChild(el);
  });
  return div;
}

function pointStyle(layerId) {
  const color = COLORS[layerId];
  return (p) => {
    if (p.count !== undefined) {
      const r = Math.min(18, 3 + Math.sqrt(p.count) * 1.5);
      return { radius: r, fill: true, fillColor: color, fillOpacity: p.open > 0 ? 0.75 : 0.25, color: p.overdue > 0 ? '#b00020' : color, weight: p.overdue > 0 ? 2 : 1 };
    }
    const open = OPEN.has(p.status);
    return {
      radius: 3 + p.severity, fill: true, fillColor: color, fillOpacity: open ? 0.85 : 0.2,
      color: p.overdue ? '#b00020' : color, weight: p.overdue ? 2.5 : 1, opacity: open ? 1 : 0.4,
    };
  };
}

async function popupFor(layerId, props, english) {
  if (props.count !== undefined && props.id === undefined) {
    return textBlock([`${props.count} ${english ? 'records' : 'điểm'}`, `${english ? 'Open' : 'Đang mở'}: ${props.open}`, `${english ? 'Overdue' : 'Quá hạn'}: ${props.overdue}`]);
  }
  const id = props.id;
  const r = await fetch(`api/features/${layerId}?limit=1&details=true&ids=${encodeURIComponent(id)}`);
  const fc = r.ok ? await r.json() : null;
  const f = fc?.features?.find((x) => x.id === id);
  if (!f) return textBlock([`#${id}`, props.status]);
  const q = f.properties;
  return textBlock([q.title, `${english ? 'Status' : 'Trạng thái'}: ${q.status}`, `${english ? 'Severity' : 'Mức độ'}: ${q.severity}/5`,
    q.responsibleUnit ? `${english ? 'Responsible' : 'Đơn vị chịu trách nhiệm'}: ${q.responsibleUnit}` : '',
    q.deadline ? `${english ? 'Deadline' : 'Hạn xử lý'}: ${q.deadline}` : '', q.isSample ? (english ? 'Sample data' : 'Dữ liệu mẫu') : '']);
}

export function init(element, dotnet, options) {
  const map = L.map(element, { maxZoom: 19, minZoom: 8, zoomControl: true }).setView([options.lat, options.lon], options.zoom);
  map.attributionControl.addAttribution(ATTRIBUTION);
  if (options.tileUrl) L.tileLayer(options.tileUrl, { attribution: options.tileAttribution || '' }).addTo(map);

  const state = { options, hotspotLayers: new Map(), wards: null, projects: null, disposed: false };

  // Ward boundaries as vector shapes (works with no base map); a click selects the ward.
  fetch('api/wards?tolerance=0.0002').then((r) => r.json()).then((fc) => {
    if (state.disposed) return;
    state.wards = L.geoJSON(fc, {
      style: () => ({ className: 'hs-ward', color: '#37474f', weight: 0.8, fillColor: '#eceff1', fillOpacity: 0.35 }),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(() => textBlock([f.properties.fullName]), { sticky: true });
        layer.on('click', () => dotnet.invokeMethodAsync('OnWardClicked', f.properties.code));
      },
    }).addTo(map);
    state.wards.bringToBack();
    highlightWard(state);
  });

  fetch('api/features/projects').then((r) => r.json()).then((fc) => {
    if (state.disposed) return;
    state.projects = L.geoJSON(fc, {
      style: (f) => ({ className: 'hs-project', color: PROJECT_COLORS[f.properties.kind] || '#555', weight: f.properties.kind === 'ring_road' ? 3 : 2.5, fillOpacity: 0.06, dashArray: f.properties.kind === 'low_emission_zone' ? '4 4' : null }),
      onEachFeature: (f, layer) => layer.bindPopup(() => textBlock([options.english ? f.properties.nameEn : f.properties.name,
        `${options.english ? 'Progress' : 'Tiến độ'}: ${f.properties.progressPct ?? '—'}%`, `${options.english ? 'Land clearance' : 'GPMB'}: ${f.properties.landClearancePct ?? '—'}%`,
        f.properties.approximate ? (options.english ? 'Approximate alignment' : 'Tuyến gần đúng') : ''])),
    });
    applyLayers(state, map);
  });

  let moveTimer = null;
  map.on('moveend', () => {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => {
      const c = map.getCenter();
      dotnet.invokeMethodAsync('OnViewChanged', c.lat, c.lng, map.getZoom()).catch(() => {});
    }, 250);
  });

  applyLayers(state, map);

  return {
    update(next) {
      const filterChanged = next.filter !== state.options.filter;
      state.options = next;
      if (filterChanged) {
        for (const layer of state.hotspotLayers.values()) map.removeLayer(layer);
        state.hotspotLayers.clear();
      }
      applyLayers(state, map);
      highlightWard(state);
    },
    dispose() {
      state.disposed = true;
      clearTimeout(moveTimer);
      map.off();
      map.remove();
    },
  };
}

function applyLayers(state, map) {
  const wanted = new Set(state.options.layers);
  for (const [id, layer] of state.hotspotLayers) {
    if (!wanted.has(id)) { map.removeLayer(layer); state.hotspotLayers.delete(id); }
  }
  for (const id of wanted) {
    if (id === 'projects' || state.hotspotLayers.has(id)) continue;
    const query = state.options.filter ? `?${state.options.filter}` : '';
    const layer = L.vectorGrid.protobuf(`tiles/${id}/{z}/{x}/{y}.mvt${query}`, {
      vectorTileLayerStyles: { [id]: pointStyle(id) },
      interactive: true,
      maxNativeZoom: 19,
      getFeatureId: (f) => f.properties.id,
      pane: 'markerPane',
    });
    layer.on('click', async (e) => {
      const content = await popupFor(id, e.layer.properties, state.options.english);
      L.popup().setLatLng(e.latlng).setContent(content).openOn(map);
    });
    layer.getContainer?.()?.setAttribute?.('data-layer', id);
    layer.addTo(map);
    state.hotspotLayers.set(id, layer);
  }
  if (state.projects) {
    if (wanted.has('projects') && !map.hasLayer(state.projects)) state.projects.addTo(map);
    if (!wanted.has('projects') && map.hasLayer(state.projects)) map.removeLayer(state.projects);
  }
  map.getContainer().dataset.layers = [...wanted].filter((id) => id === 'projects' ? !!state.projects : state.hotspotLayers.has(id)).join(',');
}

function highlightWard(state) {
  if (!state.wards) return;
  state.wards.eachLayer((layer) => {
    const selected = layer.feature.properties.code === state.options.ward;
    layer.setStyle(selected ? { weight: 3, color: '#0b3d62', fillOpacity: 0.1 } : { weight: 0.8, color: '#37474f', fillOpacity: 0.35 });
  });
}
