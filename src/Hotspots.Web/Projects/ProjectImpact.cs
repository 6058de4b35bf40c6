using Hotspots.Calendar;
using Hotspots.Layers;
using Npgsql;

namespace Hotspots.Projects;

/// <summary>One month in a project's corridor: its phase and the records reported in it, per layer.</summary>
public sealed record ImpactMonth(DateOnly Month, string Phase, IReadOnlyDictionary<string, int> Counts);

/// <summary>A phase's months and its records per month on average, per layer.</summary>
public sealed record ImpactPhase(string Phase, int Months, IReadOnlyDictionary<string, double> PerMonth);

/// <param name="Completed">The day works ended: the last milestone done, else the planned end, once progress is 100 %.</param>
/// <param name="Sample">How many of the records counted are generated samples (said beside the chart).</param>
public sealed record ProjectImpact(string ProjectId, int CorridorMetres, DateOnly? Start, DateOnly? Completed,
    IReadOnlyList<ImpactMonth> Months, IReadOnlyList<ImpactPhase> Phases, int Sample);

/// <summary>
/// Before, during and after a key project (issue 20, item 6): the hotspots reported within its corridor
/// (<see cref="CorridorMetres"/> either side of a line; an area's own outline), month by Hanoi month, from
/// <see cref="MonthsBefore"/> months before works started to this month, each month marked before, during (the months of
/// the start and of the end included) or after — so a ring-road section's effect on congestion, or a river's on
/// flooding, can be seen. Rejected records and marked duplicates are left out.
/// </summary>
public sealed class ProjectImpacts(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int CorridorMetres = 500;
    public const int MonthsBefore = 24;
    public static readonly string[] Phases = ["before", "during", "after"];

    public async Task<ProjectImpact?> OfAsync(string id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        DateOnly? start, completed;
        await using (var cmd = new NpgsqlCommand("""
            SELECT p.start_date,
                   CASE WHEN p.progress_pct >= 100 THEN coalesce((SELECT max(done_date) FROM project_milestones m WHERE m.project_id = p.id), p.planned_end) END
            FROM projects p WHERE p.id = @id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            (start, completed) = (r.IsDBNull(0) ? null : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1));
        }
        var thisMonth = FirstOfMonth(HanoiTime.Today(time));
        var first = FirstOfMonth(start ?? thisMonth).AddMonths(-MonthsBefore);
        var counts = new Dictionary<(DateOnly, string), int>();
        var sample = 0;
        await using (var cmd = new NpgsqlCommand($"""
            WITH p AS (
                SELECT CASE WHEN GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') THEN geom
                            ELSE ST_Buffer(geom::geography, @m)::geometry END AS corridor
                FROM projects WHERE id = @id)
            SELECT date_trunc('month', h.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date, h.category, count(*)::int,
                   count(*) FILTER (WHERE h.is_sample)::int
            FROM hotspots h, p
            WHERE h.geom && p.corridor AND ST_Intersects(h.geom, p.corridor)
              AND h.status <> 'rejected' AND h.duplicate_of IS NULL
              AND h.reported_at >= @from AND h.reported_at < @to
            GROUP BY 1, 2
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("m", (double)CorridorMetres);
            cmd.Parameters.AddWithValue("from", HanoiTime.StartOf(first));
            cmd.Parameters.AddWithValue("to", HanoiTime.StartOf(thisMonth.AddMonths(1)));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                counts[(r.GetFieldValue<DateOnly>(0), LayerCatalog.OfCategory(r.GetString(1))!.Id)] = r.GetInt32(2);
                sample += r.GetInt32(3);
            }
        }
        await tx.CommitAsync(ct);

        var layers = LayerCatalog.All.Where(l => l.Category is not null).Select(l => l.Id).ToArray();
        var months = new List<ImpactMonth>();
        for (var m = first; m <= thisMonth; m = m.AddMonths(1))
        {
            months.Add(new ImpactMonth(m, PhaseOf(m, start, completed), layers.ToDictionary(l => l, l => counts.GetValueOrDefault((m, l)))));
        }
        var phases = Phases.Select(phase => months.Where(m => m.Phase == phase).ToList())
            .Where(ms => ms.Count > 0)
            .Select(ms => new ImpactPhase(ms[0].Phase, ms.Count, layers.ToDictionary(l => l, l => Math.Round(ms.Average(m => m.Counts[l]), 2))))
            .ToList();
        return new ProjectImpact(id, CorridorMetres, start, completed, months, phases, sample);
    }

    /// <summary>The phase of a month: before the start's month, after the end's month, else during; "undated" with no start.</summary>
    public static string PhaseOf(DateOnly month, DateOnly? start, DateOnly? completed) =>
        start is not { } s ? "undated"
        : month < FirstOfMonth(s) ? "before"
        : completed is { } c && month > FirstOfMonth(c) ? "after"
        : "during";

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);
}
