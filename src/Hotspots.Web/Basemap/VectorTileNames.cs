using System.IO.Compression;
using System.Text;

namespace Hotspots.Basemap;

/// <summary>A named feature of a vector tile: its layer, its name and its extent in degrees.</summary>
public sealed record TileName(string Layer, string Name, string? Class, double MinLon, double MinLat, double MaxLon, double MaxLat);

/// <summary>
/// Reads the names out of a Mapbox vector tile (the place search indexes a base map's streets, places and water).
/// Written by hand: it needs the layer, the name tags and the coordinates only, and the one .NET reader served here
/// (NetTopologySuite.IO.VectorTiles.Mapbox) requires a protobuf-net the registry does not have. The wire format is
/// the MVT 2.1 specification: Tile.layers(3) → Layer.name(1), features(2), keys(3), values(4), extent(5) →
/// Feature.tags(2), geometry(4) as MoveTo/LineTo/ClosePath commands with zigzag deltas.
/// </summary>
public static class VectorTileNames
{
    private static readonly string[] NameKeys = ["name:vi", "name", "name:latin", "name_int"];

    public static IEnumerable<TileName> Read(byte[] data, int z, int x, int y, IReadOnlySet<string> layers)
    {
        if (data is [0x1f, 0x8b, ..])
        {
            using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gz.CopyTo(plain);
            data = plain.ToArray();
        }
        var results = new List<TileName>();
        var tile = new Reader(data);
        while (tile.Next(out var field, out var wire))
        {
            if (field == 3 && wire == 2)
            {
                ReadLayer(tile.Bytes(), z, x, y, layers, results);
            }
            else
            {
                tile.Skip(wire);
            }
        }
        return results;
    }

    private static void ReadLayer(ReadOnlyMemory<byte> bytes, int z, int x, int y, IReadOnlySet<string> wanted, List<TileName> results)
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
            if (ReadFeature(feature, keys, values, z, x, y, extent, name) is { } found)
            {
                results.Add(found);
            }
        }
    }

    private static TileName? ReadFeature(ReadOnlyMemory<byte> bytes, List<string> keys, List<string?> values, int z, int x, int y, uint extent, string layerName)
    {
        var f = new Reader(bytes);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        (double MinX, double MinY, double MaxX, double MaxY)? box = null;
        while (f.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2)
            {
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
            }
            else if (field == 4 && wire == 2)
            {
                box = Bounds(new Reader(f.Bytes()));
            }
            else
            {
                f.Skip(wire);
            }
        }
        var name = NameKeys.Select(k => tags.GetValueOrDefault(k)).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        if (name is null || box is not { } b)
        {
            return null;
        }
        var (west, north) = ToLonLat(z, x + b.MinX / extent, y + b.MinY / extent);
        var (east, south) = ToLonLat(z, x + b.MaxX / extent, y + b.MaxY / extent);
        return new TileName(layerName, name.Normalize(), tags.GetValueOrDefault("class"), west, south, east, north);
    }

    private static (double, double, double, double)? Bounds(Reader g)
    {
        long cx = 0, cy = 0;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        while (!g.End)
        {
            var command = (uint)g.Varint();
            var id = command & 7;
            var count = command >> 3;
            if (id == 7)
            {
                continue;
            }
            for (var i = 0; i < count && !g.End; i++)
            {
                cx += Zigzag(g.Varint());
                cy += Zigzag(g.Varint());
                minX = Math.Min(minX, cx); minY = Math.Min(minY, cy);
                maxX = Math.Max(maxX, cx); maxY = Math.Max(maxY, cy);
            }
        }
        return minX == double.MaxValue ? null : (minX, minY, maxX, maxY);
    }

    private static long Zigzag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static (double Lon, double Lat) ToLonLat(int z, double tx, double ty)
    {
        var n = Math.Pow(2, z);
        return (tx / n * 360 - 180, Math.Atan(Math.Sinh(Math.PI * (1 - 2 * ty / n))) * 180 / Math.PI);
    }

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
