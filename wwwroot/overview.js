// Overview map: the 126 wards shaded by open hotspots, the key projects, and the official flood points.
// Popups are built from text nodes, never from HTML strings.
(async function () {
  const map = L.map('map', { maxZoom: 18, preferCanvas: true }).setView([21.03, 105.85], 11);
  const json = (url) => fetch(url).then((r) => { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); });
  const textPopup = (lines) => {
    const div = document.createElement('div');
    lines.forEach((line, i) => {
      const el = document.createElement(i === 0 ? 'strong' : 'div');
      el.textContent = line;
      div.appendChild(el);
    });
    return div;
  };

  const [wards, stats, layers, projects, flood, symbols] = await Promise.all([
    json('api/wards?tolerance=0.0003'), json('api/stats/wards'), json('api/layers'),
    json('api/features/projects'), json('api/features/flooding?sample=false'), json('api/map/symbols')]);

  const byCode = new Map(stats.wards.map((w) => [w.code, w]));
  const max = Math.max(...stats.wards.map((w) => w.openPerKm2));
  const shade = (v) => `rgba(200, 40, 40, ${0.08 + 0.7 * Math.sqrt(v / (max || 1))})`;
  L.geoJSON(wards, {
    style: (f) => ({ color: '#334', weight: 0.7, fillColor: shade(byCode.get(f.properties.code)?.openPerKm2 ?? 0), fillOpacity: 1 }),
    onEachFeature: (f, layer) => {
      const s = byCode.get(f.properties.code);
      layer.bindPopup(() => textPopup([f.properties.fullName,
        `Mã: ${f.properties.code} · ${f.properties.areaKm2} km²`,
        `Đang mở: ${s?.totals.open ?? 0} · Quá hạn: ${s?.totals.overdue ?? 0}`]));
    },
  }).addTo(map);

  L.geoJSON(projects, {
    style: (f) => ({ color: symbols.projectKinds[f.properties.kind] || symbols.otherProject, weight: f.properties.kind === 'ring_road' ? 3 : 2.5,
      fillOpacity: 0.08, dashArray: f.properties.kind === 'low_emission_zone' ? '4 4' : null }),
    onEachFeature: (f, layer) => layer.bindPopup(() => textPopup([f.properties.name,
      `Tiến độ: ${f.properties.progressPct ?? '—'}% · GPMB: ${f.properties.landClearancePct ?? '—'}%`,
      f.properties.approximate ? 'Tuyến gần đúng' : ''])),
  }).addTo(map);

  L.geoJSON(flood, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 6, color: '#08306b', fillColor: '#1f78b4', fillOpacity: 0.9 }),
    onEachFeature: (f, layer) => layer.bindPopup(() => textPopup([f.properties.title, 'Điểm ngập chính thức'])),
  }).addTo(map);

  map.attributionControl.addAttribution(wards.boundarySet?.attribution ?? '');
  map.attributionControl.addAttribution('Điểm ngập: KH 138/KH-UBND, QĐ 2280/QĐ-UBND');

  const list = document.getElementById('layers');
  for (const l of layers.layers) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = l.color;
    li.appendChild(sw);
    li.appendChild(document.createTextNode(`${l.nameVi}: ${l.count.toLocaleString('vi-VN')} (mở ${l.open.toLocaleString('vi-VN')})`));
    list.appendChild(li);
  }
  document.getElementById('summary').textContent =
    `${wards.features.length} đơn vị hành chính cấp xã · dữ liệu đến ${new Date(stats.asOf).toLocaleString('vi-VN')}`;
})().catch((e) => { document.getElementById('summary').textContent = 'Lỗi tải dữ liệu: ' + e.message; });
