namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// Just enough of the Mapbox Vector Tile protobuf to check tiles in tests: layers with their features'
/// ids and attributes (geometry is skipped).
/// </summary>
public static class MvtReader
{
    public sealed record Feature(ulong? Id, IReadOnlyDictionary<string, object> Properties);

    public sealed record Layer(string Name, IReadOnlyList<Feature> Features, IReadOnlyList<string> Keys, IReadOnlyList<object> Values, uint Extent)
    {
        public int Count => Features.Count;
        public IEnumerable<string> StringValues => Values.OfType<string>();
        public long Sum(string key) => Features.Sum(f => f.Properties.TryGetValue(key, out var v) ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    public static IReadOnlyList<Layer> Read(byte[] tile)
    {
        var layers = new List<Layer>();
        var pos = 0;
        while (pos < tile.Length)
        {
            var (field, wire) = Tag(tile, ref pos);
            if (field == 3 && wire == 2)
            {
                layers.Add(ReadLayer(Sub(tile, ref pos)));
            }
            else
            {
                Skip(tile, ref pos, wire);
            }
        }
        return layers;
    }

    private static Layer ReadLayer(byte[] b)
    {
        string name = "";
        var rawFeatures = new List<(ulong? Id, List<ulong> Tags)>();
        var keys = new List<string>();
        var values = new List<object>();
        uint extent = 4096;
        var pos = 0;
        while (pos < b.Length)
        {
            var (field, wire) = Tag(b, ref pos);
            switch (field, wire)
            {
                case (1, 2): name = Str(b, ref pos); break;
                case (2, 2): rawFeatures.Add(ReadFeature(Sub(b, ref pos))); break;
                case (3, 2): keys.Add(Str(b, ref pos)); break;
                case (4, 2): values.Add(ReadValue(Sub(b, ref pos))); break;
                case (5, 0): extent = (uint)Varint(b, ref pos); break;
                default: Skip(b, ref pos, wire); break;
            }
        }
        var features = rawFeatures.Select(f =>
        {
            var props = new Dictionary<string, object>();
            for (var i = 0; i + 1 < f.Tags.Count; i += 2)
            {
                props[keys[(int)f.Tags[i]]] = values[(int)f.Tags[i + 1]];
            }
            return new Feature(f.Id, props);
        }).ToList();
        return new Layer(name, features, keys, values, extent);
    }

    private static (ulong? Id, List<ulong> Tags) ReadFeature(byte[] b)
    {
        ulong? id = null;
        var tags = new List<ulong>();
        var pos = 0;
        while (pos < b.Length)
        {
            var (field, wire) = Tag(b, ref pos);
            if (field == 1 && wire == 0)
            {
                id = Varint(b, ref pos);
            }
            else if (field == 2 && wire == 2)
            {
                var packed = Sub(b, ref pos);
                var p = 0;
                while (p < packed.Length) tags.Add(Varint(packed, ref p));
            }
            else
            {
                Skip(b, ref pos, wire);
            }
        }
        return (id, tags);
    }

    private static object ReadValue(byte[] b)
    {
        var pos = 0;
        var (field, wire) = Tag(b, ref pos);
        return (field, wire) switch
        {
            (1, 2) => Str(b, ref pos),
            (2, 5) => (double)BitConverter.ToSingle(b, pos),
            (3, 1) => BitConverter.ToDouble(b, pos),
            (4, 0) => (long)Varint(b, ref pos),
            (5, 0) => (long)Varint(b, ref pos),
            (6, 0) => ZigZag(Varint(b, ref pos)),
            (7, 0) => Varint(b, ref pos) != 0,
            _ => throw new FormatException($"value field {field}"),
        };
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    private static byte[] Sub(byte[] b, ref int pos)
    {
        var len = (int)Varint(b, ref pos);
        var sub = b.AsSpan(pos, len).ToArray();
        pos += len;
        return sub;
    }

    private static (int Field, int Wire) Tag(byte[] b, ref int pos)
    {
        var t = Varint(b, ref pos);
        return ((int)(t >> 3), (int)(t & 7));
    }

    private static ulong Varint(byte[] b, ref int pos)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var x = b[pos++];
            v |= (ulong)(x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
        }
    }

    private static string Str(byte[] b, ref int pos) => System.Text.Encoding.UTF8.GetString(Sub(b, ref pos));

    private static void Skip(byte[] b, ref int pos, int wire)
    {
        switch (wire)
        {
            case 0: Varint(b, ref pos); break;
            case 1: pos += 8; break;
            case 2: Sub(b, ref pos); break;
            case 5: pos += 4; break;
            default: throw new FormatException($"wire type {wire}");
        }
    }
}
