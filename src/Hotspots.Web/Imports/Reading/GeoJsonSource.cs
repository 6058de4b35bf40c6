using System.Globalization;
using System.Text;
using System.Text.Json;
using Hotspots.Geo;

namespace Hotspots.Imports.Reading;

/// <summary>
/// A GeoJSON FeatureCollection: one row per feature, its properties as cells, its geometry (any type) read by
/// hand (the NTS GeoJSON reader is not obtainable here). A feature whose geometry cannot be read still becomes a
/// row, so it is rejected with its reason instead of failing the file.
/// </summary>
public static class GeoJsonSource
{
    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) Read(byte[] bytes)
    {
        // UTF-8 (nearly every GeoJSON) is parsed in place, without a decoded copy; text is made NFC cell by cell.
        var (detected, skip, encoding) = TextDecoding.Detect(bytes);
        ReadOnlyMemory<byte> utf8 = detected is UTF8Encoding ? bytes.AsMemory(skip) : Encoding.UTF8.GetBytes(TextDecoding.Decode(bytes).Text);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new UnreadableFileException($"Tệp GeoJSON không đọc được (dòng {e.LineNumber + 1}).", $"The GeoJSON file cannot be parsed (line {e.LineNumber + 1}).");
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.GetString() != "FeatureCollection"
            || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            doc.Dispose();
            throw new UnreadableFileException("Tệp GeoJSON phải là một FeatureCollection.", "The GeoJSON file must be a FeatureCollection.");
        }
        var header = features.EnumerateArray()
            .Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            .SelectMany(f => f.GetProperty("properties").EnumerateObject().Select(p => Nfc(p.Name)))
            .Distinct().ToList();
        // A feature's own "id" is its external id unless the properties carry one.
        if (!header.Contains("id") && features.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out _)))
        {
            header.Add("id");
        }
        return (header, Rows(doc, features), encoding);
    }

    private static string Nfc(string v) => v.IsNormalized(NormalizationForm.FormC) ? v : v.Normalize(NormalizationForm.FormC);

    private static IEnumerable<SourceRow> Rows(JsonDocument doc, JsonElement features)
    {
        using (doc)
        {
            var number = 0;
            foreach (var f in features.EnumerateArray())
            {
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
