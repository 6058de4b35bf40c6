// What the map draws under the data (options.basemap, chosen by the server — Basemap/Basemaps.cs):
//  raster  — an XYZ tile URL (HOTSPOTS_BASEMAP_URL);
//  vector  — this site's MBTiles in the OpenMapTiles schema (HOTSPOTS_BASEMAP_FILE), drawn by protomaps-leaflet
//            in a quiet style with Vietnamese names in Noto Sans (both shipped in wwwroot/lib);
//  default — nothing here: the map module draws the ward areas, their names and the city outline itself.
// The renderer's script is loaded only when a vector base map is configured, so the default costs no bytes.

const LIB = 'lib/protomaps-leaflet/protomaps-leaflet.js';
let libLoading = null;

function loadRenderer() {
  if (window.protomapsL) return Promise.resolve(window.protomapsL);
  if (!libLoading) {
    libLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = new URL(LIB, document.baseURI).href;
      s.onload = () => resolve(window.protomapsL);
      s.onerror = () => reject(new Error('base map renderer not loaded'));
      document.head.appendChild(s);
    });
  }
  return libLoading;
}

// The quiet palette: streets and water readable under coloured points, nothing that looks like a hotspot colour.
export const BASE = {
  background: '#f3f1ec', water: '#aacbe3', waterLine: '#8fb8d8', park: '#dce9cf', wood: '#cfe0bf', residential: '#eceae4',
  building: '#e0dbd1', major: '#fbe2b5', majorCasing: '#d9b77a', road: '#ffffff', roadCasing: '#d4cec2', rail: '#b9b4ab',
  text: '#4f4a40', waterText: '#3d6f98', halo: '#ffffff',
};

const FONT = '"Noto Sans", sans-serif';
const NAME = ['name:vi', 'name', 'name:latin', 'name_int'];
const cls = (f) => f.props.class;
const isMajor = (f) => ['motorway', 'trunk', 'primary'].includes(cls(f));
const isMid = (f) => ['secondary', 'tertiary'].includes(cls(f));
const isMinor = (f) => ['minor', 'service', 'residential', 'unclassified', 'living_street'].includes(cls(f));

function paintRules(P) {
  const roadWidth = (base) => (z) => base * Math.pow(1.45, Math.max(0, z - 12));
  return [
    { dataLayer: 'landuse', symbolizer: new P.PolygonSymbolizer({ fill: BASE.residential }), filter: (z, f) => ['residential', 'suburb', 'neighbourhood'].includes(cls(f)) },
    { dataLayer: 'landcover', symbolizer: new P.PolygonSymbolizer({ fill: BASE.wood }), filter: (z, f) => ['wood', 'forest'].includes(cls(f)) },
    { dataLayer: 'landcover', symbolizer: new P.PolygonSymbolizer({ fill: BASE.park }), filter: (z, f) => ['grass', 'farmland', 'wetland'].includes(cls(f)) },
    { dataLayer: 'park', symbolizer: new P.PolygonSymbolizer({ fill: BASE.park }) },
    { dataLayer: 'water', symbolizer: new P.PolygonSymbolizer({ fill: BASE.water }) },
    { dataLayer: 'waterway', symbolizer: new P.LineSymbolizer({ color: BASE.waterLine, width: (z) => (z < 13 ? 1 : 2) }) },
    { dataLayer: 'building', minzoom: 15, symbolizer: new P.PolygonSymbolizer({ fill: BASE.building, opacity: 0.8 }) },
    { dataLayer: 'transportation', minzoom: 14, symbolizer: new P.LineSymbolizer({ color: BASE.roadCasing, width: roadWidth(2.2), lineCap: 'round' }), filter: (z, f) => isMinor(f) },
    { dataLayer: 'transportation', minzoom: 14, symbolizer: new P.LineSymbolizer({ color: BASE.road, width: roadWidth(1.4), lineCap: 'round' }), filter: (z, f) => isMinor(f) },
    { dataLayer: 'transportation', symbolizer: new P.LineSymbolizer({ color: BASE.roadCasing, width: roadWidth(2.6), lineCap: 'round' }), filter: (z, f) => isMid(f) },
    { dataLayer: 'transportation', symbolizer: new P.LineSymbolizer({ color: BASE.road, width: roadWidth(1.8), lineCap: 'round' }), filter: (z, f) => isMid(f) },
    { dataLayer: 'transportation', symbolizer: new P.LineSymbolizer({ color: BASE.majorCasing, width: roadWidth(3.4), lineCap: 'round' }), filter: (z, f) => isMajor(f) },
    { dataLayer: 'transportation', symbolizer: new P.LineSymbolizer({ color: BASE.major, width: roadWidth(2.4), lineCap: 'round' }), filter: (z, f) => isMajor(f) },
    { dataLayer: 'transportation', minzoom: 12, symbolizer: new P.LineSymbolizer({ color: BASE.rail, width: 1, dash: [3, 3] }), filter: (z, f) => cls(f) === 'rail' },
  ];
}

function labelRules(P) {
  const text = (size, weight, fill) => ({ labelProps: NAME, fontFamily: FONT, fontSize: size, fontWeight: weight, fill, stroke: BASE.halo, width: 3 });
  return [
    { dataLayer: 'place', symbolizer: new P.CenteredTextSymbolizer(text((z) => (z < 12 ? 13 : 15), 600, BASE.text)), filter: (z, f) => ['city', 'town'].includes(cls(f)) },
    { dataLayer: 'place', minzoom: 12, symbolizer: new P.CenteredTextSymbolizer(text(13, 600, BASE.text)), filter: (z, f) => ['suburb', 'quarter', 'village'].includes(cls(f)) },
    { dataLayer: 'place', minzoom: 14, symbolizer: new P.CenteredTextSymbolizer(text(12, 400, BASE.text)), filter: (z, f) => ['neighbourhood', 'hamlet', 'isolated_dwelling'].includes(cls(f)) },
    { dataLayer: 'water_name', minzoom: 12, symbolizer: new P.CenteredTextSymbolizer({ ...text(12, 400, BASE.waterText), fontStyle: 'italic' }) },
    { dataLayer: 'waterway', minzoom: 13, symbolizer: new P.LineLabelSymbolizer({ ...text(12, 400, BASE.waterText) }) },
    { dataLayer: 'transportation_name', minzoom: 14, symbolizer: new P.LineLabelSymbolizer(text(12, 400, BASE.text)) },
    { dataLayer: 'transportation_name', minzoom: 12, maxzoom: 13, symbolizer: new P.LineLabelSymbolizer(text(11, 400, BASE.text)), filter: (z, f) => isMajor(f) || isMid(f) },
    { dataLayer: 'poi', minzoom: 16, symbolizer: new P.CenteredTextSymbolizer(text(11, 400, BASE.text)) },
  ];
}

/**
 * Adds the configured base map under everything else; resolves with the layer (or null for the default).
 * The map's container gets data-basemap=raster|vector|default, read by the tests.
 */
export async function addBasemap(map, basemap) {
  const kind = basemap?.kind || 'default';
  map.getContainer().dataset.basemap = kind;
  if (kind === 'raster') {
    return L.tileLayer(basemap.url, { attribution: basemap.attribution || '', maxZoom: 19, className: 'hs-basemap' }).addTo(map);
  }
  if (kind !== 'vector') return null;
  const P = await loadRenderer();
  // Canvas text needs the font loaded first, with Vietnamese letters, or the first tiles fall back to another face.
  await Promise.all([document.fonts.load(`400 12px ${FONT}`, 'Hà Nội đường phố'), document.fonts.load(`600 12px ${FONT}`, 'Hà Nội đường phố')]).catch(() => {});
  const layer = P.leafletLayer({
    url: new URL(basemap.url.replace(/^\//, ''), document.baseURI).href.replaceAll('%7B', '{').replaceAll('%7D', '}'),
    maxDataZoom: basemap.maxDataZoom || 14,
    paintRules: paintRules(P),
    labelRules: labelRules(P),
    backgroundColor: BASE.background,
    attribution: basemap.attribution || '© OpenStreetMap',
    className: 'hs-basemap',
    maxZoom: 19,
  });
  layer.addTo(map);
  return layer;
}
