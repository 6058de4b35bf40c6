namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// Just enough of the Mapbox Vector Tile protobuf to check a tile in tests: each layer's name, feature count
/// and attribute keys and string values.
/// </summary>
public static class MvtReader
{
    public sealed record Layer(string Name, int Features, IReadOnlyList<string> Keys, IReadOnlyList<string> StringValues, uint Extent);

    public static IReadOnlyList<Layer> Read(byte[] tile)
    {
        var layers = new List<Layer>();
        var pos = 0;
        while (pos < tile.Length)
        {
            var (field, wire) = Tag(tile, ref pos);
            if (field == 3 && wire == 2)
            {
                var len = (int)Varint(tile, ref pos);
                layers.Add(ReadLayer(tile.AsSpan(pos, len).ToArray()));
                pos += len;
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
        var features = 0;
        var keys = new List<string>();
        var values = new List<string>();
        uint extent = 4096;
        var pos = 0;
        while (pos < b.Length)
        {
            var (field, wire) = Tag(b, ref pos);
            switch (field, wire)
            {
                case (1, 2): name = Str(b, ref pos); break;
                case (2, 2): features++; Skip(b, ref pos, wire); break;
                case (3, 2): keys.Add(Str(b, ref pos)); break;
                case (4, 2):
                {
                    var len = (int)Varint(b, ref pos);
                    var end = pos + len;
                    while (pos < end)
                    {
                        var (vf, vw) = Tag(b, ref pos);
                        if (vf == 1 && vw == 2) values.Add(Str(b, ref pos)); else Skip(b, ref pos, vw);
                    }
                    break;
                }
                case (5, 0): extent = (uint)Varint(b, ref pos); break;
                default: Skip(b, ref pos, wire); break;
            }
        }
        return new Layer(name, features, keys, values, extent);
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

    private static string Str(byte[] b, ref int pos)
    {
        var len = (int)Varint(b, ref pos);
        var s = System.Text.Encoding.UTF8.GetString(b, pos, len);
        pos += len;
        return s;
    }

    private static void Skip(byte[] b, ref int pos, int wire)
    {
        switch (wire)
        {
            case 0: Varint(b, ref pos); break;
            case 1: pos += 8; break;
            case 2:
                var len = (int)Varint(b, ref pos); // read before adding: `pos += Varint(ref pos)` would add to the old pos
                pos += len;
                break;
            case 5: pos += 4; break;
            default: throw new FormatException($"wire type {wire}");
        }
    }
}
