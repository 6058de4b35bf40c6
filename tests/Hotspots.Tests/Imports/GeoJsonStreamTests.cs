using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hotspots.Imports;
using Hotspots.Imports.Reading;

namespace Hotspots.Tests.Imports;

/// <summary>
/// GeoJSON is read a feature at a time from the stored file: whatever the root's layout and wherever the reads
/// happen to cut the bytes, the rows are the features, cell for cell.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GeoJsonStreamTests
{
    // A stream that hands out at most a few bytes per read, so every token meets a buffer's edge somewhere.
    private sealed class Trickle(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    private sealed record Feature(string? Id, (string Name, string Json, string? Cell)[] Properties, (double Lon, double Lat)? Point);

    private static readonly (string Name, string Json, string? Cell)[] Pool =
    [
        ("tên", "\"Ngập phố Đội Cấn\"", "Ngập phố Đội Cấn"),
        ("mức_độ", "4", "4"),
        ("ghi chú", "null", null),
        ("nguồn", "{\"đơn vị\": \"UBND phường\", \"số\": [1, 2]}", "{\"đơn vị\": \"UBND phường\", \"số\": [1, 2]}"),
        ("đã_xác_minh", "true", "true"),
        ("độ sâu", "0.35", "0.35"),
        ("mô tả", "\"dòng 1\\ndòng 2, \\\"trích\\\" \\u0110\"", "dòng 1\ndòng 2, \"trích\" Đ"),
    ];

    private static Gen<Feature> Features =>
        from id in Gen.Elements<string?>(null, "A-1", "B-22", "Đ-3")
        from picks in Gen.SubListOf(Pool)
        from x in Gen.Choose(0, 1000)
        from y in Gen.Choose(0, 1000)
        from hasPoint in Gen.Elements(true, true, false)
        select new Feature(id, [.. picks], hasPoint ? (105.7 + x / 10_000.0, 20.9 + y / 10_000.0) : null);

    private static string Json(Feature f, string gap) =>
        "{" + gap + "\"type\":" + gap + "\"Feature\"," + gap
        + (f.Id is null ? "" : $"\"id\": \"{f.Id}\",{gap}")
        + "\"properties\": {" + string.Join("," + gap, f.Properties.Select(p => $"\"{p.Name}\": {p.Json}")) + "}," + gap
        + "\"geometry\": " + (f.Point is { } p ? FormattableString.Invariant($"{{\"type\": \"Point\", \"coordinates\": [{p.Lon}, {p.Lat}]}}") : "null")
        + gap + "}";

    [Property(MaxTest = 150)]
    public Property Features_read_through_any_cut_of_the_bytes_are_the_file_s_features()
    {
        var files = from features in Gen.ListOf(Features).Select(l => l.ToArray())
                    from typeFirst in Gen.Elements(true, false)
                    from extras in Gen.Elements(true, false)
                    from gap in Gen.Elements("", " ", "\n  ", "\r\n\t")
                    from chunk in Gen.Choose(1, 97)
                    from bom in Gen.Elements(true, false)
                    select (features, typeFirst, extras, gap, chunk, bom);
        return Prop.ForAll(files.ToArbitrary(), file =>
        {
            var (features, typeFirst, extras, gap, chunk, bom) = file;
            var members = new List<string> { $"\"features\":{gap}[{gap}{string.Join("," + gap, features.Select(f => Json(f, gap)))}{gap}]" };
            members.Insert(typeFirst ? 0 : 1, "\"type\": \"FeatureCollection\"");
            if (extras)
            {
                members.Insert(1, "\"name\": \"điểm ngập\", \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}}, \"bbox\": [105, 20, 106, 21]");
            }
            var text = "{" + gap + string.Join("," + gap, members) + gap + "}";
            var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();

            var (header, rows, _) = GeoJsonSource.Read(new Trickle(bytes, chunk));
            var read = rows.ToList();

            var expectedHeader = features.SelectMany(f => f.Properties.Select(p => p.Name)).Distinct().ToList();
            if (features.Any(f => f.Id is not null))
            {
                expectedHeader.Add("id");
            }
            Assert.Equal(expectedHeader, header);
            Assert.Equal(features.Length, read.Count);
            for (var i = 0; i < features.Length; i++)
            {
                var (f, row) = (features[i], read[i]);
                Assert.Equal(i + 1, row.Number);
                foreach (var (name, _, cell) in f.Properties)
                {
                    Assert.Equal(cell, row.Cells[name]);
                }
                Assert.Equal(f.Id, row.Cells.GetValueOrDefault("id"));
                Assert.Equal(f.Point?.Lon, row.Geometry?.Coordinate.X);
                Assert.Equal(f.Point?.Lat, row.Geometry?.Coordinate.Y);
                Assert.Equal(f.Point is null ? "empty" : null, row.GeometryError);
            }
            return true;
        });
    }

    [Fact]
    public void A_feature_larger_than_the_read_buffer_is_read_whole()
    {
        // A ring of 20,000 vertices: about 0.8 MB for one feature, over ten times the reader's first buffer.
        var ring = Enumerable.Range(0, 20_000).Select(i => (Lon: 105.8 + 0.01 * Math.Cos(i * 2 * Math.PI / 20_000), Lat: 21.0 + 0.01 * Math.Sin(i * 2 * Math.PI / 20_000)))
            .Append((Lon: 105.81, Lat: 21.0)).ToList();
        var coordinates = string.Join(",", ring.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Lon:R},{p.Lat:R}]")));
        var text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"tên\":\"Hồ lớn\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[["
                   + coordinates + "]]}},{\"type\":\"Feature\",\"properties\":{\"tên\":\"sau\"},\"geometry\":null}]}";
        var (_, rows, encoding) = GeoJsonSource.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var read = rows.ToList();
        Assert.Equal("UTF-8", encoding);
        Assert.Equal(20_001, read[0].Geometry!.NumPoints);
        Assert.Equal("sau", read[1].Cells["tên"]);
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{}", "cannot be parsed")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{}}, ]]}", "cannot be parsed")]
    [InlineData("{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}", "must be a FeatureCollection")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":{}}", "must be a FeatureCollection")]
    [InlineData("[1, 2]", "must be a FeatureCollection")]
    [InlineData("", "cannot be parsed")]
    public void A_broken_or_wrong_file_is_refused_before_any_row(string text, string reason)
    {
        var e = Assert.Throws<UnreadableFileException>(() => GeoJsonSource.Read(new Trickle(Encoding.UTF8.GetBytes(text), 7)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
