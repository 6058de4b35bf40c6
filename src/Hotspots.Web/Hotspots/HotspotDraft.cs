using Npgsql;

namespace Hotspots.Records;

/// <summary>
/// A hotspot as one record is first written, by a person (the dashboard, a converted field report) or by a loader
/// of official data. A null ward is assigned by PostGIS on insert; a null reported time is now, and so is one in the future (a phone's clock); a null external id
/// is a new random one (a record made by hand has no key elsewhere).
/// </summary>
public sealed record HotspotDraft(string Category, string? Subtype, string Title, string? Description, int Severity, string Status,
    string? ResponsibleUnit, DateOnly? Deadline, double Lon, double Lat, string Source,
    string? ExternalId = null, string? WardCode = null, DateTimeOffset? ReportedAt = null, DateTimeOffset? VerifiedAt = null,
    string? Assignee = null, string? Authority = null, string? Result = null)
{
    /// <summary>The longest description a record may carry (a note, not a document: a megabyte reached the map's answers).</summary>
    public const int MaxDescription = 4_000;

    /// <summary>
    /// The one INSERT of a single hotspot (parameters from <see cref="Bind"/>); a caller adds its own ON CONFLICT or
    /// RETURNING. Bulk paths (imports, sample data) write many rows from a COPY-filled staging table instead, with
    /// columns computed in SQL, so they keep their own INSERT … SELECT.
    /// </summary>
    public const string InsertSql = """
        INSERT INTO hotspots (category, subtype, title, description, severity, status, responsible_unit, deadline,
                              assignee, authority, result, reported_at, verified_at, ward_code, geom, source, external_id)
        VALUES (@category, @subtype, @title, @description, @severity, @status, @unit, @deadline, @assignee, @authority, @result,
                least(coalesce(@reported_at, now()), now()), @verified_at, @ward, @geom, @source,
                coalesce(@external_id, gen_random_uuid()::text))
        """;

    /// <summary>A WGS 84 point, as the geometry parameter Npgsql.NetTopologySuite sends.</summary>
    public static NetTopologySuite.Geometries.Point Point(double lon, double lat) => new(lon, lat) { SRID = 4326 };

    /// <summary>Text is stored trimmed and in NFC, whatever the sender typed.</summary>
    public void Bind(NpgsqlParameterCollection p)
    {
        p.AddWithValue("category", Category);
        p.Add(new NpgsqlParameter<string?>("subtype", Subtype));
        p.AddWithValue("title", Title.Trim().Normalize());
        p.Add(new NpgsqlParameter<string?>("description", Description?.Normalize()));
        p.AddWithValue("severity", (short)Severity);
        p.AddWithValue("status", Status);
        p.Add(new NpgsqlParameter<string?>("unit", ResponsibleUnit?.Trim().Normalize()));
        p.Add(new NpgsqlParameter<DateOnly?>("deadline", Deadline));
        p.Add(new NpgsqlParameter<string?>("assignee", Assignee?.Trim().Normalize()));
        p.Add(new NpgsqlParameter<string?>("authority", Authority?.Trim().Normalize()));
        p.Add(new NpgsqlParameter<string?>("result", Result?.Trim().Normalize()));
        p.Add(new NpgsqlParameter<DateTimeOffset?>("reported_at", ReportedAt));
        p.Add(new NpgsqlParameter<DateTimeOffset?>("verified_at", VerifiedAt));
        p.Add(new NpgsqlParameter<string?>("ward", WardCode));
        p.AddWithValue("geom", Point(Lon, Lat));
        p.AddWithValue("source", Source);
        p.Add(new NpgsqlParameter<string?>("external_id", ExternalId));
    }
}
