using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Hotspots.Database;
using Npgsql;

namespace Hotspots.Rainfall;

/// <summary>
/// The drainage company's daily rainfall at its 48 gauges (2020–2025, `../shared/data`): the gauges, each placed at
/// its ward's interior point (no coordinates are published), then the daily values, checked row by row — a date that
/// is no date or not of its year, a gauge the list does not name (or names otherwise), a value that is no number of
/// millimetres, a repeated gauge and day — each rejected with its reason; the rest goes in, in one transaction. A
/// value above <see cref="PlausibleMm"/> in a day is kept as sent and marked suspect (to be checked, left out of what is
/// computed from rain). Loading again updates in place (gauge, day): nothing doubles.
/// </summary>
public static partial class RainfallLoader
{
    public const string Source = "thoatnuochanoi:2020-2025";

    /// <summary>The most rain a gauge can be believed to have measured in a day without a check, in millimetres.</summary>
    public const decimal PlausibleMm = 500;

    public sealed record Result(int Gauges, int Days, IReadOnlyList<string> Rejected)
    {
        public override string ToString() => $"{Gauges} gauges, {Days} daily values, {Rejected.Count} rejected";
    }

    public static async Task<Result> LoadAsync(NpgsqlDataSource dataSource, string gaugesPath, string seriesPath, ILogger logger, CancellationToken ct = default)
    {
        var gauges = ReadGauges(gaugesPath);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var (id, name, ward) in gauges)
        {
            var placed = await conn.ExecAsync("""
                INSERT INTO rain_gauges (id, name, ward_code, geom, source)
                SELECT @id, @name, code, ST_PointOnSurface(geom), @source FROM current_wards WHERE code = @ward
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, ward_code = excluded.ward_code, geom = excluded.geom, source = excluded.source
                """, tx, ct, ("id", id), ("name", name), ("ward", ward), ("source", Source));
            if (placed == 0)
            {
                throw new InvalidDataException($"{gaugesPath}: gauge {id} ({name}) names ward {ward}, which is not a current ward");
            }
        }
        var (days, rejected) = ReadSeries(seriesPath, gauges.ToDictionary(g => g.Id, g => g.Name));
        await RainDays.WriteAsync(conn, tx, days, Source, ct);
        await tx.CommitAsync(ct);
        foreach (var reason in rejected.Take(20))
        {
            Rejected(logger, reason);
        }
        var result = new Result(gauges.Count, days.Count, rejected);
        Loaded(logger, result.ToString(), seriesPath);
        return result;
    }

    private static CsvReader Csv(string path) =>
        new(new StreamReader(path, Encoding.UTF8), new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });

    private static List<(int Id, string Name, string Ward)> ReadGauges(string path)
    {
        using var csv = Csv(path);
        csv.Read();
        csv.ReadHeader();
        var gauges = new List<(int, string, string)>();
        while (csv.Read())
        {
            gauges.Add((int.Parse(csv.GetField("station_col")!, CultureInfo.InvariantCulture), csv.GetField("station_name")!.Normalize(NormalizationForm.FormC),
                csv.GetField("ward_code_2025")!));
        }
        return gauges;
    }

    /// <summary>The file's good rows (gauge, day, millimetres) and a reason for each row left out, by its line number.</summary>
    internal static (List<(int Gauge, DateOnly Day, decimal Mm)> Days, List<string> Rejected) ReadSeries(string path, IReadOnlyDictionary<int, string> gauges)
    {
        using var csv = Csv(path);
        csv.Read();
        csv.ReadHeader();
        var days = new List<(int, DateOnly, decimal)>();
        var rejected = new List<string>();
        var seen = new HashSet<(int, DateOnly)>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            if (!DateOnly.TryParseExact(csv.GetField("date"), "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || csv.GetField("year") != day.Year.ToString(CultureInfo.InvariantCulture))
            {
                rejected.Add($"dòng {line}: ngày \"{csv.GetField("date")}\" không phải ngày dd/MM/yyyy của năm {csv.GetField("year")}");
                continue;
            }
            if (!int.TryParse(csv.GetField("station_col"), NumberStyles.None, CultureInfo.InvariantCulture, out var gauge) || !gauges.TryGetValue(gauge, out var name)
                || name != csv.GetField("station_name")?.Normalize(NormalizationForm.FormC))
            {
                rejected.Add($"dòng {line}: trạm \"{csv.GetField("station_col")} {csv.GetField("station_name")}\" không có trong danh sách trạm");
                continue;
            }
            if (!decimal.TryParse(csv.GetField("rain_mm"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mm) || mm >= 10000)
            {
                rejected.Add($"dòng {line}: lượng mưa \"{csv.GetField("rain_mm")}\" không phải số mm hợp lệ");
                continue;
            }
            if (!seen.Add((gauge, day)))
            {
                rejected.Add($"dòng {line}: trạm {gauge} ngày {day:dd/MM/yyyy} đã có ở dòng trước");
                continue;
            }
            days.Add((gauge, day, Math.Round(mm, 1)));
        }
        return (days, rejected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rainfall loaded: {Result} from {Path}")]
    private static partial void Loaded(ILogger logger, string result, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rainfall row rejected: {Reason}")]
    private static partial void Rejected(ILogger logger, string reason);
}
