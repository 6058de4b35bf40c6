using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Outreach;

namespace Hotspots.WardReports;

/// <summary>Results for one bottleneck over the period: what was opened and resolved in it, what was open and overdue at its end.</summary>
public sealed record BottleneckResult(string Category, int Opened, int Resolved, int OpenAtEnd, int OverdueAtEnd, double? MedianDaysToResolve, int SampleRecords,
    int ThreeTimesOverdueAtEnd = 0);

public sealed record ProjectResult(string Id, string Name, string NameEn, string Kind, double? ProgressPct, double? LandClearancePct,
    int? HouseholdsToResettle, DateOnly? PlannedEnd, IReadOnlyList<string> MilestonesDone, string? NextMilestone, DateOnly? NextMilestoneDate, bool Approximate);

public sealed record FieldReportResult(string Category, int Received, int Handled, int Unanswered);

public sealed record OutreachResult(double Score, int Rank, double? PreviousScore, int? PreviousRank, int? RankChange, int WardCount,
    IReadOnlyList<FactorScore> TopFactors);

/// <summary>
/// One ward's quarterly report (the plans' "báo cáo định kỳ hằng quý"): the period runs from the quarter's first day
/// to its end, or to now for the running quarter (then <see cref="Partial"/>). Null ward code: the whole city.
/// </summary>
public sealed record QuarterlyReport(
    Quarter Quarter, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, bool Partial, DateTimeOffset GeneratedAt,
    string? WardCode, string WardName, string WardNameEn, double AreaKm2,
    IReadOnlyList<BottleneckResult> Bottlenecks, IReadOnlyList<ProjectResult> Projects, IReadOnlyList<FieldReportResult> FieldReports,
    OutreachResult? Outreach)
{
    public BottleneckResult Totals => new("all", Bottlenecks.Sum(b => b.Opened), Bottlenecks.Sum(b => b.Resolved), Bottlenecks.Sum(b => b.OpenAtEnd),
        Bottlenecks.Sum(b => b.OverdueAtEnd), null, Bottlenecks.Sum(b => b.SampleRecords), Bottlenecks.Sum(b => b.ThreeTimesOverdueAtEnd));

    public bool IncludesSample => Bottlenecks.Any(b => b.SampleRecords > 0);

    /// <summary>The data's quality as the report is made (ward_quality: the snapshot of now, not of the quarter's end).</summary>
    public Stats.QualityParts? Quality { get; init; }

    /// <summary>The last day the figures cover (Hanoi time).</summary>
    public DateOnly LastDay => HanoiTime.DateOf(PeriodEnd.AddTicks(-1));
}
