using System.Globalization;
using Hotspots.Calendar;
using Hotspots.Imports.Reading;
using Hotspots.Rainfall;
using Hotspots.Text;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// A gauge file through the import jobs (issue 20): new daily totals as the drainage company sends them — its own
/// columns (date, year, station_col, station_name, rain_mm) or the same in Vietnamese (Ngày, Mã trạm, Tên trạm, Lượng
/// mưa), CSV or XLSX. Each row is checked as the first load checks it (a day, a known gauge under its own name, a
/// number of millimetres, no repeat of a gauge and day); a run-level problem (no date, gauge or rain column) fails
/// the run in one message. Written in the run's transaction: a (gauge, day) already held is updated when its value
/// differs and counted unchanged when not, so a file sent twice changes nothing.
/// </summary>
public sealed class RainRows
{
    public const string Source = "import:rainfall";

    // A column's folded name (SearchKey.Identifier) → the field it fills.
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["date"] = "day", ["day"] = "day", ["ngay"] = "day", ["ngay_do"] = "day", ["ngay_quan_trac"] = "day",
        ["station_col"] = "gauge", ["station"] = "gauge", ["station_id"] = "gauge", ["gauge"] = "gauge", ["gauge_id"] = "gauge",
        ["ma_tram"] = "gauge", ["tram"] = "gauge", ["so_tram"] = "gauge",
        ["station_name"] = "name", ["gauge_name"] = "name", ["ten_tram"] = "name",
        ["rain_mm"] = "mm", ["rain"] = "mm", ["rainfall"] = "mm", ["mm"] = "mm", ["luong_mua"] = "mm", ["luong_mua_mm"] = "mm", ["mua_mm"] = "mm",
        ["year"] = "year", ["nam"] = "year",
    };

    private readonly Dictionary<string, string> _columns;
    private readonly IReadOnlyDictionary<int, (string Name, string Ward, double Lon, double Lat)> _gauges;
    private readonly HashSet<(int, DateOnly)> _seen = [];

    public int GaugesCount => _gauges.Count;

    private RainRows(Dictionary<string, string> columns, IReadOnlyDictionary<int, (string, string, double, double)> gauges) =>
        (_columns, _gauges) = (columns, gauges);

    /// <summary>The file's columns for the four fields, against the gauges held; a missing column fails the run at once.</summary>
    public static async Task<RainRows> OpenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<string> header, CancellationToken ct)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in header)
        {
            if (Names.TryGetValue(SearchKey.Identifier(column), out var field))
            {
                columns.TryAdd(field, column);
            }
        }
        var missing = new[] { ("day", "ngày (date)"), ("gauge", "mã trạm (station_col)"), ("mm", "lượng mưa (rain_mm)") }.Where(f => !columns.ContainsKey(f.Item1)).ToList();
        if (missing.Count > 0)
        {
            var found = string.Join(", ", header);
            throw new UnreadableFileException($"Tệp lượng mưa thiếu cột {string.Join(", ", missing.Select(m => m.Item2))}; các cột có trong tệp: {found}.",
                $"The rainfall file has no column for {string.Join(", ", missing.Select(m => m.Item2[(m.Item2.IndexOf('(') + 1)..^1]))}; its columns: {found}.");
        }
        var gauges = new Dictionary<int, (string, string, double, double)>();
        await using var cmd = new NpgsqlCommand("SELECT g.id, g.name, coalesce(w.full_name, g.ward_code), ST_X(g.geom), ST_Y(g.geom) FROM rain_gauges g LEFT JOIN current_wards w ON w.code = g.ward_code", conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            gauges[r.GetInt32(0)] = (r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4));
        }
        if (gauges.Count == 0)
        {
            throw new UnreadableFileException("Chưa có danh sách trạm đo mưa: nạp danh sách trạm trước.", "No rain gauges are held yet: load the list of gauges first.");
        }
        return new RainRows(columns, gauges);
    }

    public sealed record Day(int Gauge, DateOnly On, decimal Mm, string GaugeName, string Ward, double Lon, double Lat);

    public (Day? Row, Reject? Reject) Validate(SourceRow row)
    {
        string? Cell(string field) => _columns.TryGetValue(field, out var c) ? row.Cells.GetValueOrDefault(c)?.Trim() : null;
        Reject Bad(string field, string vi, string en) => new(row.Number, _columns.GetValueOrDefault(field), Cell(field), vi, en);

        if (!DayText.TryParse(Cell("day"), out var day))
        {
            return (null, Bad("day", "Ngày không đúng định dạng (dd/MM/yyyy hoặc yyyy-MM-dd).", "The date is not a date (dd/MM/yyyy or yyyy-MM-dd)."));
        }
        if (Cell("year") is { Length: > 0 } year && year != day.Year.ToString(CultureInfo.InvariantCulture))
        {
            return (null, Bad("year", $"Năm {year} khác năm của ngày {DayText.Format(day)}.", $"The year {year} is not the year of {DayText.Format(day)}."));
        }
        if (!int.TryParse(Cell("gauge"), NumberStyles.None, CultureInfo.InvariantCulture, out var gauge) || !_gauges.TryGetValue(gauge, out var known))
        {
            return (null, Bad("gauge", "Trạm không có trong danh sách trạm đo mưa.", "The gauge is not in the list of rain gauges."));
        }
        if (Cell("name") is { Length: > 0 } name && SearchKey.Of(name) != SearchKey.Of(known.Name))
        {
            return (null, Bad("name", $"Tên trạm khác tên của trạm {gauge} trong danh sách ({known.Name}).", $"The gauge's name differs from gauge {gauge}'s in the list ({known.Name})."));
        }
        if (Cell("mm") is not { Length: > 0 } text || LooseNumber.Parse(text) is not { } mm || mm < 0 || mm >= 10_000)
        {
            return (null, Bad("mm", "Lượng mưa không phải số mm hợp lệ (0 đến dưới 10.000).", "The rainfall is not a valid number of millimetres (0 to under 10,000)."));
        }
        if (!_seen.Add((gauge, day)))
        {
            return (null, Bad("day", $"Trạm {gauge} ngày {DayText.Format(day)} đã có ở dòng trước.", $"Gauge {gauge} on {DayText.Format(day)} is already in an earlier row."));
        }
        return (new Day(gauge, day, Math.Round((decimal)mm, 1), known.Name, known.Ward, known.Lon, known.Lat), null);
    }

    /// <summary>Writes the good rows (all or nothing with the caller's transaction); the counts of what changed.</summary>
    public static async Task<ImportWriter.Counts> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IEnumerable<Day> days, int rejected, CancellationToken ct)
    {
        var (inserted, updated, unchanged) = await RainDays.WriteAsync(conn, tx, days.Select(d => (d.Gauge, d.On, d.Mm)), Source, ct);
        return new ImportWriter.Counts(inserted, updated, unchanged, rejected, 0);
    }
}
