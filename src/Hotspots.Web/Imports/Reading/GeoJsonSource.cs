using System.Globalization;
using System.Text;
using System.Text.Json;
using Hotspots.Geo;

namespace Hotspots.Imports.Reading;

/// <summary>
/// A GeoJSON FeatureCollection: one row per feature, its properties as cells, its geometry (any type) read by
/// hand (the NTS GeoJSON reader is not obtainable here). A feature whose geometry cannot be read still becomes a
/// row, so it is rejected with its reason instead of failing the file. The file is read twice, a feature at a time
/// (FeatureStream): once for the columns and to find a broken file before any row counts, once for the rows.
/// </summary>
public static class GeoJsonSource
{
    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) Read(byte[] bytes) =>
        Read(new MemoryStream(bytes, writable: false));

    /// <summary>Reads from a seekable stream (the run's file spooled to disk).</summary>
    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) Read(Stream stream)
    {
        // UTF-8 (nearly every GeoJSON) is read as it is; text is made NFC cell by cell. Other encodings are decoded whole.
        var (detected, skip, encoding) = TextDecoding.Detect(stream);
        if (detected is not UTF8Encoding)
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            (stream, skip) = (new MemoryStream(Encoding.UTF8.GetBytes(TextDecoding.Decode(bytes).Text), writable: false), 0);
        }
        var header = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var anyId = false;
        stream.Position = skip;
        var features = new FeatureStream(stream);
        try
        {
            void Column(string name)
            {
                if (known.Add(name = Nfc(name)))
                {
                    header.Add(name);
                }
            }
            while (features.NextNames(Column, out var hasId))
            {
                anyId |= hasId;
            }
        }
        catch (JsonException e)
        {
            throw new UnreadableFileException($"Tệp GeoJSON không đọc được (dòng {e.LineNumber + 1}).", $"The GeoJSON file cannot be parsed (line {e.LineNumber + 1}).");
        }
        if (!features.IsFeatureCollection || !features.HasFeatures)
        {
            throw new UnreadableFileException("Tệp GeoJSON phải là một FeatureCollection.", "The GeoJSON file must be a FeatureCollection.");
        }
        // A feature's own "id" is its external id unless the properties carry one.
        if (anyId && known.Add("id"))
        {
            header.Add("id");
        }
        return (header, Rows(stream, skip), encoding);
    }

    private static string Nfc(string v) => v.IsNormalized(NormalizationForm.FormC) ? v : v.Normalize(NormalizationForm.FormC);

    private static IEnumerable<SourceRow> Rows(Stream stream, int skip)
    {
        stream.Position = skip;
        var features = new FeatureStream(stream);
        var number = 0;
        while (features.Next() is { } feature)
        {
            using (feature)
            {
                var f = feature.RootElement;
                number++;
                var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
                if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in props.EnumerateObject())
                    {
                        cells[Nfc(p.Name)] = p.Value.ValueKind switch
                        {
                            JsonValueKind.String => Nfc(p.Value.GetString()!),
                            JsonValueKind.Number => p.Value.GetRawText(),
                            JsonValueKind.True => "true",
                            JsonValueKind.False => "false",
                            JsonValueKind.Null or JsonValueKind.Undefined => null,
                            _ => p.Value.GetRawText(),
                        };
                    }
                }
                if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    cells.TryAdd("id", id.ValueKind == JsonValueKind.String ? Nfc(id.GetString()!) : id.GetRawText());
                }
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("geometry", out var g) || g.ValueKind == JsonValueKind.Null)
                {
                    yield return new SourceRow(number, cells, null, "empty");
                    continue;
                }
                NetTopologySuite.Geometries.Geometry? geometry = null;
                string? error = null;
                try
                {
                    geometry = GeoJsonGeometry.Read(g);
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
                {
                    error = e.Message;
                }
                yield return new SourceRow(number, cells, geometry, error);
            }
        }
    }
}
