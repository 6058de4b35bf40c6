using System.IO.Compression;
using System.Text;
using Hotspots.Geo;

namespace Hotspots.Basemap;

/// <summary>One feature of a vector tile: its layer, its string tags, its kind (1 point, 2 line, 3 polygon) and its
/// parts (points, lines or rings) in tile units, y down, 0…extent.</summary>
public sealed record TileFeature(string Layer, IReadOnlyDictionary<string, string> Tags, int Kind, IReadOnlyList<(double X, double Y)[]> Parts, uint Extent);

/// <summary>
/// Reads Mapbox vector tiles (the place search indexes a base map's names; printed maps draw its water, roads and
/// names). Written by hand: the one .NET reader served here (NetTopologySuite.IO.VectorTiles.Mapbox) requires a
/// protobuf-net the registry does not have. The wire format is the MVT 2.1 specification: Tile.layers(3) →
/// Layer.name(1), features(2), keys(3), values(4), extent(5) → Feature.tags(2), type(3), geometry(4) as
/// MoveTo/LineTo/ClosePath commands with zigzag deltas. Gzip-compressed tiles (as tilemaker stores them) are inflated.
/// </summary>
public static class VectorTile
{
    public static IEnumerable<TileFeature> Read(byte[] data, IReadOnlySet<string> layers)
    {
        if (data is [0x1f, 0x8b, ..])
        {
            using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gz.CopyTo(plain);
            data = plain.ToArray();
        }
        var results = new List<TileFeature>();
        var tile = new Reader(data);
        while (tile.Next(out var field, out var wire))
        {
            if (field == 3 && wire == 2)
            {
                ReadLayer(tile.Bytes(), layers, results);
            }
            else
            {
                tile.Skip(wire);
            }
        }
        return results;
    }

    /// <summary>A tile position (tile units of tile z/x/y) in Web Mercator metres.</summary>
    public static (double X, double Y) ToMercator(int z, int x, int y, uint extent, double px, double py)
    {
        var size = WebMercator.TileWidth(z);
        return (-WebMercator.Half + (x + px / extent) * size, WebMercator.Half - (y + py / extent) * size);
    }

    private static void ReadLayer(ReadOnlyMemory<byte> bytes, IReadOnlySet<string> wanted, List<TileFeature> results)
    {
        var layer = new Reader(bytes);
        string? name = null;
        var keys = new List<string>();
        var values = new List<string?>();
        var features = new List<ReadOnlyMemory<byte>>();
        var extent = 4096u;
        while (layer.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): name = layer.String(); break;
                case (2, 2): features.Add(layer.Bytes()); break;
                case (3, 2): keys.Add(layer.String()); break;
                case (4, 2): values.Add(StringValue(layer.Bytes())); break;
                case (5, 0): extent = (uint)layer.Varint(); break;
                default: layer.Skip(wire); break;
            }
        }
        if (name is null || !wanted.Contains(name))
        {
            return;
        }
        foreach (var feature in features)
        {
            results.Add(ReadFeature(feature, keys, values, extent, name));
        }
    }

    private static TileFeature ReadFeature(ReadOnlyMemory<byte> bytes, List<string> keys, List<string?> values, uint extent, string layerName)
    {
        var f = new Reader(bytes);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var kind = 0;
        IReadOnlyList<(double, double)[]> parts = [];
        while (f.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (2, 2):
                    var packed = new Reader(f.Bytes());
                    while (!packed.End)
                    {
                        var k = (int)packed.Varint();
                        var v = (int)packed.Varint();
                        if (k < keys.Count && v < values.Count && values[v] is { } value)
                        {
                            tags[keys[k]] = value;
                        }
                    }
                    break;
                case (3, 0): kind = (int)f.Varint(); break;
                case (4, 2): parts = Parts(new Reader(f.Bytes())); break;
                default: f.Skip(wire); break;
            }
        }
        return new TileFeature(layerName, tags, kind, parts, extent);
    }

    // Each MoveTo starts a part (a point of a multipoint, a line, a ring); ClosePath repeats the ring's first point.
    private static List<(double, double)[]> Parts(Reader g)
    {
        long cx = 0, cy = 0;
        var parts = new List<(double, double)[]>();
        var current = new List<(double, double)>();
        while (!g.End)
        {
            var command = (uint)g.Varint();
            var id = command & 7;
            var count = command >> 3;
            if (id == 7)
            {
                if (current.Count > 0)
                {
                    current.Add(current[0]);
                }
                continue;
            }
            for (var i = 0; i < count && !g.End; i++)
            {
                cx += Zigzag(g.Varint());
                cy += Zigzag(g.Varint());
                if (id == 1 && current.Count > 0)
                {
                    parts.Add([.. current]);
                    current.Clear();
                }
                current.Add((cx, cy));
            }
        }
        if (current.Count > 0)
        {
            parts.Add([.. current]);
        }
        return parts;
    }

    private static long Zigzag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static string? StringValue(ReadOnlyMemory<byte> bytes)
    {
        var v = new Reader(bytes);
        while (v.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                return v.String();
            }
            v.Skip(wire);
        }
        return null;
    }

    /// <summary>Protocol-buffer fields, one after another.</summary>
    private sealed class Reader(ReadOnlyMemory<byte> data)
    {
        private int _pos;
        public bool End => _pos >= data.Length;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (End)
            {
                return false;
            }
            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64 && _pos < data.Length; shift += 7)
            {
                var b = data.Span[_pos++];
                result |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            return result;
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = (int)Varint();
            var slice = data.Slice(_pos, Math.Min(length, data.Length - _pos));
            _pos += slice.Length;
            return slice;
        }

        public string String() => Encoding.UTF8.GetString(Bytes().Span);

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _pos += 8; break;
                case 2: Bytes(); break;
                case 5: _pos += 4; break;
                default: _pos = data.Length; break; // groups are not used by MVT: stop reading
            }
        }
    }
}
