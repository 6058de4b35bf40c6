using Hotspots.Calendar;
using Hotspots.Http;
using System.Globalization;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Records;
using Hotspots.Hosting;
using Npgsql;

namespace Hotspots.Projects;

/// <summary>
/// Progress, land clearance, households to resettle and milestone dates of a key project. Projects cross many
/// wards and belong to city departments, so planners (and admins) edit them; ward leads read them.
/// </summary>
public sealed class ProjectEditor(NpgsqlDataSource dataSource, Audit audit, HotspotEditor hotspots, TimeProvider time)
{
    public sealed record ProjectChange(decimal? ProgressPct, decimal? LandClearancePct, int? HouseholdsToResettle, string? Note);
    public sealed record MilestoneChange(DateOnly? PlannedDate, bool ClearPlanned, DateOnly? DoneDate, bool ClearDone, string? Note);

    public async Task<EditResult> UpdateAsync(Caller caller, string id, ProjectChange c, bool english, CancellationToken ct = default)
    {
        if (!caller.CityWide)
        {
            return EditResult.Denied(english ? "projects are edited by planners" : "dự án do cán bộ quy hoạch cập nhật");
        }
        var problems = new List<string>();
        if (c.ProgressPct is < 0 or > 100 || c.LandClearancePct is < 0 or > 100)
        {
            problems.Add(english ? "percentages must be 0–100" : "tỷ lệ phải từ 0 đến 100");
        }
        if (c.HouseholdsToResettle is < 0)
        {
            problems.Add(english ? "households cannot be negative" : "số hộ không được âm");
        }
        if (problems.Count > 0)
        {
            return EditResult.Invalid(problems);
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        decimal? progress, clearance;
        int? households;
        await using (var read = new NpgsqlCommand("SELECT progress_pct, land_clearance_pct, households_to_resettle FROM projects WHERE id = @id FOR UPDATE", conn, tx))
        {
            read.Parameters.AddWithValue("id", id);
            await using var r = await read.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return EditResult.Missing;
            }
            (progress, clearance, households) = (r.IsDBNull(0) ? null : r.GetDecimal(0), r.IsDBNull(1) ? null : r.GetDecimal(1), r.IsDBNull(2) ? null : r.GetInt32(2));
        }
        var changes = new List<AuditEntry>();
        void Diff(string field, object? old, object? now)
        {
            var (o, n) = (Format(old), Format(now));
            if (now is not null && o != n)
            {
                changes.Add(new AuditEntry("project", id, null, field, o, n, c.Note?.Trim()));
            }
        }
        Diff("progress_pct", progress, c.ProgressPct);
        Diff("land_clearance_pct", clearance, c.LandClearancePct);
        Diff("households_to_resettle", households, c.HouseholdsToResettle);
        if (changes.Count == 0)
        {
            return EditResult.Ok(changes);
        }
        await using (var cmd = new NpgsqlCommand("""
            UPDATE projects SET progress_pct = coalesce(@progress, progress_pct), land_clearance_pct = coalesce(@clearance, land_clearance_pct),
                households_to_resettle = coalesce(@households, households_to_resettle), updated_at = now()
            WHERE id = @id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.Add(new NpgsqlParameter<decimal?>("progress", c.ProgressPct));
            cmd.Parameters.Add(new NpgsqlParameter<decimal?>("clearance", c.LandClearancePct));
            cmd.Parameters.Add(new NpgsqlParameter<int?>("households", c.HouseholdsToResettle));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var e in changes)
        {
            await audit.WriteAsync(conn, tx, caller, e, ct);
        }
        await hotspots.CommitAsync(conn, tx, ct);
        return EditResult.Ok(changes);
    }

    public async Task<EditResult> UpdateMilestoneAsync(Caller caller, string projectId, long milestoneId, MilestoneChange c, bool english, CancellationToken ct = default)
    {
        if (!caller.CityWide)
        {
            return EditResult.Denied(english ? "projects are edited by planners" : "dự án do cán bộ quy hoạch cập nhật");
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        DateOnly? planned, done;
        string name;
        await using (var read = new NpgsqlCommand("SELECT name, planned_date, done_date FROM project_milestones WHERE id = @id AND project_id = @project FOR UPDATE", conn, tx))
        {
            read.Parameters.AddWithValue("id", milestoneId);
            read.Parameters.AddWithValue("project", projectId);
            await using var r = await read.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return EditResult.Missing;
            }
            (name, planned, done) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2));
        }
        var newPlanned = c.ClearPlanned ? null : c.PlannedDate ?? planned;
        var newDone = c.ClearDone ? null : c.DoneDate ?? done;
        if (newDone > HanoiTime.Today(time).AddDays(1))
        {
            return EditResult.Invalid([english ? "a milestone cannot be done in the future" : "mốc chưa thể hoàn thành trong tương lai"]);
        }
        var changes = new List<AuditEntry>();
        var key = milestoneId.ToString(CultureInfo.InvariantCulture);
        if (newPlanned != planned)
        {
            changes.Add(new AuditEntry("milestone", key, null, $"{projectId}/{name}: planned_date", Format(planned), Format(newPlanned), c.Note?.Trim()));
        }
        if (newDone != done)
        {
            changes.Add(new AuditEntry("milestone", key, null, $"{projectId}/{name}: done_date", Format(done), Format(newDone), c.Note?.Trim()));
        }
        if (changes.Count == 0)
        {
            return EditResult.Ok(changes);
        }
        await using (var cmd = new NpgsqlCommand("UPDATE project_milestones SET planned_date = @planned, done_date = @done WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", milestoneId);
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("planned", newPlanned));
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("done", newDone));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var e in changes)
        {
            await audit.WriteAsync(conn, tx, caller, e, ct);
        }
        await hotspots.CommitAsync(conn, tx, ct);
        return EditResult.Ok(changes);
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>PATCH /api/projects/{id} {progressPct, landClearancePct, householdsToResettle, note}; PATCH /api/projects/{id}/milestones/{mid} {plannedDate, doneDate, note}; GET /api/projects/{id}/history.</summary>
public static class ProjectEditApi
{
    public sealed record ProjectRequest(decimal? ProgressPct, decimal? LandClearancePct, int? HouseholdsToResettle, string? Note);

    public static void MapProjectEditApi(this WebApplication app)
    {
        app.MapGet("/api/projects/{id}/history", async (string id, Audit audit, CancellationToken ct) =>
            Results.Ok(new { history = await audit.HistoryAsync("project", id, ct: ct) }));
        var edits = app.MapGroup("/api/projects").RequireAuthorization(AccountsSetup.EditorsPolicy).DisableAntiforgery();
        edits.MapPatch("/{id}", async (string id, ProjectRequest body, Caller caller, ProjectEditor editor, HttpContext http, CancellationToken ct) =>
            EditResults.ToHttp(await editor.UpdateAsync(caller, id, new ProjectEditor.ProjectChange(body.ProgressPct, body.LandClearancePct, body.HouseholdsToResettle, body.Note),
                RequestLanguage.IsEnglish(http), ct)));
        edits.MapPatch("/{id}/milestones/{milestone:long}", async (string id, long milestone, JsonElement body, Caller caller, ProjectEditor editor, HttpContext http, CancellationToken ct) =>
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Problems.BadParameter("body", "send {plannedDate, doneDate} as yyyy-MM-dd or null");
            }
            DateOnly? Date(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            bool Cleared(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;
            var note = body.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return EditResults.ToHttp(await editor.UpdateMilestoneAsync(caller, id, milestone,
                new ProjectEditor.MilestoneChange(Date("plannedDate"), Cleared("plannedDate"), Date("doneDate"), Cleared("doneDate"), note), RequestLanguage.IsEnglish(http), ct));
        });
    }
}
