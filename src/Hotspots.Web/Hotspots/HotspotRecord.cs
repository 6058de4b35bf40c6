using System.Globalization;
using Hotspots.Accounts;
using Npgsql;

namespace Hotspots.Records;

/// <summary>One hotspot as the panel shows it to a signed-in person, with the people in it only for those allowed.
/// <paramref name="Details"/> is its layer's own fields as JSON (RecordDetails reads it), never with a person in it.</summary>
public sealed record HotspotRecord(long Id, string Layer, string? Subtype, string Title, string? Description, int Severity, string Status,
    string? ResponsibleUnit, DateOnly? Deadline, DateTimeOffset ReportedAt, string? WardCode, string? WardName, double Lon, double Lat,
    bool IsSample, IReadOnlyList<string> NextStatuses, bool MayEdit, InspectedPerson? Inspected, string? Details,
    string? Assignee, string? Authority, string? Result, long? DuplicateOf = null);

public sealed record InspectedPerson(string? Name, string? Phone);

public sealed class HotspotRecords(NpgsqlDataSource dataSource, Audit audit)
{
    public async Task<HotspotRecord?> GetAsync(Caller caller, long id, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT h.id, h.category, h.subtype, h.title, h.description, h.severity, h.status, h.responsible_unit, h.deadline, h.reported_at,
                   h.ward_code, w.name, ST_X(ST_PointOnSurface(h.geom)), ST_Y(ST_PointOnSurface(h.geom)), h.is_sample, f.contact_name, f.contact_phone,
                   CASE h.category {DetailsCases} END, h.assignee, h.authority, h.result, h.duplicate_of
            FROM hotspots h LEFT JOIN current_wards w ON w.code = h.ward_code LEFT JOIN food_safety_inspections f ON f.hotspot_id = h.id
            WHERE h.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }
        var ward = r.IsDBNull(10) ? null : r.GetString(10);
        var status = r.GetString(6);
        var mayEdit = caller.Edits && caller.MayChange(ward);
        var inspected = !r.IsDBNull(15) || !r.IsDBNull(16)
            ? caller.SeesPersonalDataIn(ward) ? new InspectedPerson(r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetString(16)) : null
            : null;
        return new HotspotRecord(r.GetInt64(0), Layers.LayerCatalog.OfCategory(r.GetString(1))!.Id, r.IsDBNull(2) ? null : r.GetString(2),
            r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt16(5), status, r.IsDBNull(7) ? null : r.GetString(7),
            r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8), r.GetFieldValue<DateTimeOffset>(9), ward, r.IsDBNull(11) ? null : r.GetString(11),
            r.GetDouble(12), r.GetDouble(13), r.GetBoolean(14), mayEdit ? HotspotStatus.NextOf(status) : [], mayEdit, inspected,
            r.IsDBNull(17) ? null : r.GetString(17), r.IsDBNull(18) ? null : r.GetString(18), r.IsDBNull(19) ? null : r.GetString(19),
            r.IsDBNull(20) ? null : r.GetString(20), r.IsDBNull(21) ? null : r.GetInt64(21));
    }

    /// <summary>Where the record came from and when it was last verified; who, only for those who edit.</summary>
    public Task<Provenance?> ProvenanceAsync(Caller caller, long id, CancellationToken ct = default) => Provenance.OfAsync(dataSource, id, staff: caller.Edits, ct);

    // The row of the record's own details table, whichever layer it is in.
    private static readonly string DetailsCases = string.Join(' ', Layers.LayerCatalog.All.Where(l => l.Category is not null && l.DetailsTable is not null)
        .Select(l => $"WHEN '{l.Category}' THEN {RecordDetails.JsonSql(l)}"));

    /// <summary>
    /// The record's change history (newest first): every edit made through the product, with who, when, old → new
    /// and the note, and the import run that last wrote it ("imported", the file's name, the run).
    /// </summary>
    /// <param name="caller">Who asks: staff who edit see who made each change and the notes (which may name people);
    /// a viewer sees what changed and when, the person and the note left out.</param>
    public async Task<IReadOnlyList<AuditLine>> HistoryAsync(Caller caller, long id, CancellationToken ct = default)
    {
        var lines = await HistoryAsync(id, ct);
        return caller.Edits ? lines : lines.Select(l => l with { Who = "", Note = l.Field == "imported" ? l.Note : null }).ToList();
    }

    private async Task<IReadOnlyList<AuditLine>> HistoryAsync(long id, CancellationToken ct)
    {
        var lines = (await audit.HistoryAsync("hotspot", id.ToString(CultureInfo.InvariantCulture), ct: ct)).ToList();
        await using var cmd = dataSource.CreateCommand("""
            SELECT h.imported_at, r.created_by, r.file_name, r.id FROM hotspots h JOIN import_runs r ON r.id = h.import_run WHERE h.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
        {
            lines.Add(new AuditLine(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), "imported", null, r.GetString(2), r.GetGuid(3).ToString()));
        }
        return lines.OrderByDescending(l => l.At).ToList();
    }
}
