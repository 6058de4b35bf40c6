namespace Hotspots.SampleData;

/// <summary>One generated hotspot, before it is written. Details hold the category's own fields as JSON.</summary>
public sealed record SampleHotspot(
    int Index, string Category, string Subtype, string Title, string Description, short Severity, string Status,
    string ResponsibleUnit, DateOnly Deadline, DateTimeOffset ReportedAt, DateTimeOffset? VerifiedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? RejectedAt, double Lon, double Lat,
    string DetailsJson, string? Assignee = null, string? Authority = null, string? Result = null);

/// <summary>One generated field report with its (fake) reporter.</summary>
public sealed record SampleFieldReport(
    int Index, string Category, string Text, string Status, int? HotspotIndex, DateTimeOffset ReceivedAt,
    double Lon, double Lat, string ReporterName, string ReporterPhone);

/// <summary>Generated progress figures for a key project (no public source has them).</summary>
public sealed record SampleProjectProgress(
    string ProjectId, decimal ProgressPct, decimal LandClearancePct, int HouseholdsToResettle,
    IReadOnlyList<(string Name, DateOnly Planned, DateOnly? Done)> Milestones);
