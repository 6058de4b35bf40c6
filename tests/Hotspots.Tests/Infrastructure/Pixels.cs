using Microsoft.Playwright;

namespace Hotspots.Tests.Infrastructure;

/// <summary>What a page shows, as pixels: a screenshot decoded by the browser itself (no image library needed).</summary>
public sealed class Pixels
{
    private readonly byte[] _rgba;
    public int Width { get; }
    public int Height { get; }

    private Pixels(byte[] rgba, int width, int height)
    {
        _rgba = rgba;
        Width = width;
        Height = height;
    }

    public static async Task<Pixels> OfAsync(IPage page)
    {
        var png = await page.ScreenshotAsync();
        // A blank page of the same browser decodes it (the page under test may forbid data: images).
        var decoder = await page.Context.Browser!.NewPageAsync();
        try
        {
            var result = await decoder.EvaluateAsync<System.Text.Json.JsonElement>("""
                async (b64) => {
                  const img = new Image();
                  img.src = 'data:image/png;base64,' + b64;
                  await img.decode();
                  const c = document.createElement('canvas');
                  c.width = img.width; c.height = img.height;
                  const g = c.getContext('2d');
                  g.drawImage(img, 0, 0);
                  const d = g.getImageData(0, 0, img.width, img.height).data;
                  let s = '';
                  for (let i = 0; i < d.length; i += 8192) s += String.fromCharCode.apply(null, d.subarray(i, i + 8192));
                  return { width: img.width, height: img.height, data: btoa(s) };
                }
                """, Convert.ToBase64String(png));
            return new Pixels(Convert.FromBase64String(result.GetProperty("data").GetString()!), result.GetProperty("width").GetInt32(), result.GetProperty("height").GetInt32());
        }
        finally
        {
            await decoder.CloseAsync();
        }
    }

    /// <summary>The screen once a condition holds on it, or after about 8 s the last one read (the caller asserts).</summary>
    public static async Task<Pixels> UntilAsync(IPage page, Func<Pixels, bool> done)
    {
        var screen = await OfAsync(page);
        for (var i = 0; i < 16 && !done(screen); i++)
        {
            await page.WaitForTimeoutAsync(500);
            screen = await OfAsync(page);
        }
        return screen;
    }

    public (byte R, byte G, byte B) At(int x, int y)
    {
        var i = (y * Width + x) * 4;
        return (_rgba[i], _rgba[i + 1], _rgba[i + 2]);
    }

    public static bool Near((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, int tolerance) =>
        Math.Abs(a.R - b.R) <= tolerance && Math.Abs(a.G - b.G) <= tolerance && Math.Abs(a.B - b.B) <= tolerance;

    /// <summary>How many pixels of a box around (x, y) are near a colour.</summary>
    public int Count(int x, int y, int radius, (byte R, byte G, byte B) color, int tolerance)
    {
        var n = 0;
        for (var j = Math.Max(0, y - radius); j <= Math.Min(Height - 1, y + radius); j++)
        {
            for (var i = Math.Max(0, x - radius); i <= Math.Min(Width - 1, x + radius); i++)
            {
                n += Near(At(i, j), color, tolerance) ? 1 : 0;
            }
        }
        return n;
    }

    public static (byte R, byte G, byte B) Hex(string hex) =>
        (Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));

    /// <summary>Where a place is on the page: Leaflet's own projection, from the map container's centre and zoom.</summary>
    /// <summary>Where a place is on a printed map (an SVG in Web Mercator metres, y negated), in page pixels.</summary>
    public static async Task<(int X, int Y)> PrintedPointOfAsync(IPage page, double lat, double lon)
    {
        var p = await page.EvaluateAsync<double[]>("""
            ([lat, lon]) => {
              const svg = document.querySelector('svg.print-map');
              const x = lon * Math.PI / 180 * 6378137, y = Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)) * 6378137;
              const pt = svg.createSVGPoint(); pt.x = x; pt.y = -y;
              const s = pt.matrixTransform(svg.getScreenCTM());
              return [s.x, s.y];
            }
            """, new object[] { lat, lon });
        return ((int)Math.Round(p[0]), (int)Math.Round(p[1]));
    }

    public static async Task<(int X, int Y)> PointOfAsync(IPage page, double lat, double lon)
    {
        var p = await page.EvaluateAsync<double[]>("""
            ([lat, lon]) => {
              const el = document.querySelector('.leaflet-container');
              const r = el.getBoundingClientRect();
              const s = JSON.parse(el.dataset.position);
              const c = L.CRS.EPSG3857.latLngToPoint(L.latLng(s.lat, s.lon), s.zoom);
              const q = L.CRS.EPSG3857.latLngToPoint(L.latLng(lat, lon), s.zoom);
              return [r.left + r.width / 2 + (q.x - c.x), r.top + r.height / 2 + (q.y - c.y)];
            }
            """, new object[] { lat, lon });
        return ((int)Math.Round(p[0]), (int)Math.Round(p[1]));
    }
}
