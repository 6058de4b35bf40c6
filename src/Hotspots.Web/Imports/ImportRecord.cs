namespace Hotspots.Imports;

/// <summary>
/// A row that passed validation: what will be written, in WGS84, with its idempotency key and content hash. Dates
/// the file does not give stay null (the database keeps what it has, or uses the import's time for a new record),
/// so a re-import of the same file hashes the same. The geometry is an NTS geometry (SRID 4326) that the binary COPY
/// writes through Npgsql.NetTopologySuite.
/// Its ward is found in the worker (WardLocator). Details: the layer's own fields as a JSON object (DetailFields), or null.
/// A field report (ReportRows) carries its own fields in Report; its title is the start of its text, for the preview.
/// </summary>
public sealed record ImportRecord(
    int Row, string ExternalId, string Title, string? Description, string? Subtype, short Severity, string Status,
    string? ResponsibleUnit, DateOnly? Deadline, DateTimeOffset? ReportedAt, DateTimeOffset? ResolvedAt, NetTopologySuite.Geometries.Geometry Geometry, string Hash, string? WardCode = null,
    string? Details = null, string? Assignee = null, string? Authority = null, string? Result = null, ReportFields? Report = null);

/// <summary>Why a row was not taken: the row, the column and value at fault, and a reason in Vietnamese and English.</summary>
public sealed record Reject(int Row, string? Column, string? Value, string ReasonVi, string ReasonEn);
