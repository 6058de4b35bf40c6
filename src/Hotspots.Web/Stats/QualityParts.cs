namespace Hotspots.Stats;

/// <summary>
/// A ward's data quality for a layer (or all of them), the plans' four words as counts (ward_quality) and as shares:
/// correct (đúng) and complete (đủ) of the records, clean (sạch) the records that are not repeats, live (sống) the open
/// records touched in the last <see cref="WardQualitySql.LiveDays"/> days. <see cref="Score"/> is their mean, 0–100,
/// over the parts that have something to measure; none when there is no record.
/// </summary>
public sealed record QualityParts(int Records, int Correct, int Complete, int Duplicates, int Open, int Live, int Untouched)
{
    public double? CorrectPct => Share(Correct, Records);
    public double? CompletePct => Share(Complete, Records);
    public double? CleanPct => Share(Records - Duplicates, Records);
    public double? LivePct => Share(Live, Open);

    public double? Score => Records == 0 ? null
        : Math.Round(new[] { CorrectPct, CompletePct, CleanPct, LivePct }.OfType<double>().Average(), 0);

    private static double? Share(int part, int of) => of > 0 ? Math.Round(100.0 * part / of, 1) : null;
}
