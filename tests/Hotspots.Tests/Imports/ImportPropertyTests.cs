using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hotspots.Imports;
using Hotspots.Imports.Reading;

namespace Hotspots.Tests.Imports;

/// <summary>Properties of the coordinate transforms and the CSV reader, over generated inputs.</summary>
[Trait("Category", "Unit")]
public sealed class ImportPropertyTests
{
    private static Gen<(double Lon, double Lat)> InHanoi =>
        from x in Gen.Choose(0, 1_000_000)
        from y in Gen.Choose(0, 1_000_000)
        select (105.25 + 0.80 * x / 1_000_000.0, 20.50 + 0.95 * y / 1_000_000.0);

    [Property(MaxTest = 300)]
    public Property Vn2000_round_trips_within_a_millimetre() =>
        Prop.ForAll(InHanoi.ToArbitrary(), p =>
        {
            foreach (var crs in new[] { Crs.Vn2000Tm3Hanoi, Crs.Vn2000Utm48 })
            {
                var (x, y) = crs.FromWgs84(p.Lon, p.Lat);
                var (lon, lat) = crs.ToWgs84(x, y);
                var metres = Math.Sqrt(Math.Pow((lon - p.Lon) * 103_900, 2) + Math.Pow((lat - p.Lat) * 110_800, 2));
                if (metres > 0.001)
                {
                    throw new InvalidOperationException(FormattableString.Invariant($"{crs.Code}: {p} -> ({x}, {y}) -> ({lon}, {lat}): {metres} m"));
                }
                // And detection reads the metres as VN-2000, either way round.
                if (Crs.Detect(x, y).Crs?.IsProjected != true || Crs.Detect(y, x) is not { Crs.IsProjected: true, Swapped: true })
                {
                    throw new InvalidOperationException(FormattableString.Invariant($"detect {x}, {y}"));
                }
            }
            return Crs.Detect(p.Lon, p.Lat) == (Crs.Wgs84, false) && Crs.Detect(p.Lat, p.Lon) == (Crs.Wgs84, true);
        });

    private static string Quote(string v) => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Property(MaxTest = 200)]
    public Property A_quoted_csv_reads_back_cell_for_cell()
    {
        var table = from rows in Gen.Choose(1, 6)
                    from cells in Gen.ArrayOf(Gen.Elements("", "a", "Đống Đa", "\"trích\"", "x,y", "dòng 1\ndòng 2", "=1+1", ";", "Ngõ 12/3", "ệ"), rows * 3)
                    select cells;
        return Prop.ForAll(table.ToArbitrary(), cells =>
        {
            var sb = new StringBuilder("c1,c2,c3\r\n");
            for (var i = 0; i < cells.Length; i += 3)
            {
                sb.Append(Quote(cells[i])).Append(',').Append(Quote(cells[i + 1])).Append(',').Append(Quote(cells[i + 2])).Append("\r\n");
            }
            var (header, rows, _, delimiter) = CsvSource.Read(Encoding.UTF8.GetBytes(sb.ToString()));
            var read = rows.ToList();
            var expected = Enumerable.Range(0, cells.Length / 3)
                .Where(r => !(string.IsNullOrWhiteSpace(cells[r * 3]) && string.IsNullOrWhiteSpace(cells[r * 3 + 1]) && string.IsNullOrWhiteSpace(cells[r * 3 + 2])))
                .ToList();
            return delimiter == ',' && header.SequenceEqual(["c1", "c2", "c3"]) && read.Count == expected.Count
                && read.Zip(expected).All(pair => Enumerable.Range(0, 3).All(c =>
                    (pair.First.Cells[$"c{c + 1}"] ?? "") == (string.IsNullOrWhiteSpace(cells[pair.Second * 3 + c]) ? "" : cells[pair.Second * 3 + c].Trim())));
        });
    }
}
