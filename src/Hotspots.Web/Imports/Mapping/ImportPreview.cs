using Hotspots.Database;
using Npgsql;

namespace Hotspots.Imports.Mapping;

public sealed record PreviewRow(int Row, string? Title, string? WardCode, string? Ward, string? Status, double? Lon, double? Lat, string? ReasonVi, string? ReasonEn);

public sealed record PreviewReason(string ReasonVi, string ReasonEn, int Count);

/// <summary>
/// What an import of a file with a mapping would do, found by the run's own code with nothing written: the
/// proposal and the mapping used, the counts, the first rows as they would land, the commonest reasons for
/// rejecting, the points for a small map, and the notes — or why the file cannot be imported as it is.
/// </summary>
public sealed record ImportPreview(IReadOnlyList<string> Columns, IReadOnlyList<FieldProposal> Proposal, IReadOnlyDictionary<string, string> Mapping,
    string How, bool Placeable, ImportWriter.Counts? Counts, int RowsRead, IReadOnlyList<PreviewRow> Rows, IReadOnlyList<PreviewReason> Reasons,
    IReadOnlyList<double[]> Points, IReadOnlyList<string> Notes, string? ErrorVi, string? ErrorEn);

/// <summary>Collects a preview while ImportProcessor reads the file as a run would.</summary>
public sealed class PreviewSink
{
    public const int ShownRows = 20;
    public const int MaxPoints = 2_000;

    private DecidedMapping? _decided;
    private readonly List<(int Row, ImportRecord? Record, Reject? Reject)> _rows = [];
    private readonly List<double[]> _points = [];
    private ImportPreview? _result;

    private IReadOnlyList<string>? _header;
    private readonly List<PreviewRow> _rainRows = [];

    public void Decided(DecidedMapping decided) => _decided = decided;

    /// <summary>A gauge file: no mapping to decide, its columns are read by name (RainRows).</summary>
    public void Header(IReadOnlyList<string> header) => _header = header;

    /// <summary>A row of a gauge file as it would land: "gauge — day: mm" at the gauge.</summary>
    public void Row(int number, RainRows.Day? day, Reject? reject)
    {
        if (_rainRows.Count < ShownRows)
        {
            _rainRows.Add(day is { } d
                ? new PreviewRow(number, FormattableString.Invariant($"{d.GaugeName} — {Calendar.DayText.Format(d.On)}: {d.Mm} mm"), null, d.Ward, null, d.Lon, d.Lat, null, null)
                : new PreviewRow(number, null, null, null, null, null, null, reject?.ReasonVi, reject?.ReasonEn));
        }
        if (day is not null && _points.Count < MaxPoints && !_points.Any(p => p[0] == day.Lon && p[1] == day.Lat))
        {
            _points.Add([day.Lon, day.Lat]);
        }
    }

    public void Row(int number, ImportRecord? record, Reject? reject)
    {
        if (_rows.Count < ShownRows)
        {
            _rows.Add((number, record, reject));
        }
        if (record is not null && _points.Count < MaxPoints)
        {
            _points.Add(PointOf(record));
        }
    }

    // Where a record is drawn: its point, or a line's or area's interior point, to 6 decimals (about 10 cm).
    private static double[] PointOf(ImportRecord record)
    {
        var at = record.Geometry as NetTopologySuite.Geometries.Point ?? record.Geometry.InteriorPoint;
        return [Math.Round(at.X, 6), Math.Round(at.Y, 6)];
    }

    public async Task FinishAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, int read, ImportWriter.Counts counts, IReadOnlyList<string> notes,
        WardCrosswalk? wards, CancellationToken ct)
    {
        var reasons = new List<PreviewReason>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT reason_vi, reason_en, count(*)::int FROM import_rejects WHERE run_id = @run GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 5
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("run", runId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                reasons.Add(new PreviewReason(r.GetString(0), r.GetString(1), r.GetInt32(2)));
            }
        }
        if (_decided is not { } d)
        {
            _result = new ImportPreview(_header ?? [], [], new Dictionary<string, string>(), "rainfall", true, counts, read, _rainRows, reasons, _points, notes, null, null);
            return;
        }
        var rows = _rows.Select(x => x.Record is { } rec && PointOf(rec) is var at
            ? new PreviewRow(x.Row, rec.Title, rec.WardCode, rec.WardCode is null ? null : wards!.FullNameOf(rec.WardCode), rec.Status, at[0], at[1], null, null)
            : new PreviewRow(x.Row, null, null, null, null, null, null, x.Reject?.ReasonVi, x.Reject?.ReasonEn)).ToList();
        _result = new ImportPreview(d.Proposal.Columns, d.Proposal.Fields, d.Mapping, d.How, true, counts, read, rows, reasons, _points, notes, null, null);
    }

    public ImportPreview Result() => _result!;

    /// <summary>A file that cannot be imported as it is: the proposal (when the header was read) and the reason.</summary>
    public ImportPreview Failed(Reading.UnreadableFileException e) => new(_decided?.Proposal.Columns ?? [], _decided?.Proposal.Fields ?? [],
        _decided?.Mapping ?? new Dictionary<string, string>(), _decided?.How ?? (_header is null ? "proposal" : "rainfall"), false, null, 0, [], [], [], [], e.MessageVi, e.Message);
}
