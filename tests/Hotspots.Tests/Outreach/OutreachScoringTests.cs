using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hotspots.Outreach;

namespace Hotspots.Tests.Outreach;

/// <summary>The index's arithmetic on a small fixture worked out by hand, and its invariants over generated wards.</summary>
[Trait("Category", "Unit")]
public sealed class OutreachScoringTests
{
    private static readonly string[] All = [.. OutreachFactor.Categories];

    // W1: 1 km², 10,000 people; W2: 2 km², 20,000 people; W3: 4 km², population unknown.
    private static readonly OutreachWard[] Wards =
    [
        new("00001", "Một", "Phường Một", "One Ward", 1, 10_000),
        new("00002", "Hai", "Phường Hai", "Two Ward", 2, 20_000),
        new("00003", "Ba", "Xã Ba", "Three Commune", 4, null),
    ];

    private static FactorRow Row(string ward, string category, int open = 0, double weighted = 0, int overdue = 0, int reports = 0,
        int unanswered = 0, int inspections = 0, int fails = 0) =>
        new(ward, category, open, weighted, overdue, 0, inspections, fails, reports, unanswered, 0, 0, 0);

    private static readonly FactorRow[] Rows =
    [
        Row("00001", "flooding", open: 3, weighted: 6, overdue: 2, reports: 10, unanswered: 5),
        Row("00001", "food_safety", open: 1, weighted: 4, inspections: 4, fails: 1),
        Row("00002", "flooding", open: 4, weighted: 20),
        Row("00002", "food_safety", inspections: 2, fails: 2),
        Row("00003", "congestion", overdue: 1, reports: 20),
    ];

    private static Dictionary<string, double> Weights(params (string Id, double W)[] w) =>
        OutreachFactor.All.ToDictionary(f => f.Id, f => w.FirstOrDefault(x => x.Id == f.Id).W);

    [Fact]
    public void Scores_are_weighted_shares_of_min_max_scaled_factors()
    {
        // open_weighted: 10, 20, 0 → 0.5, 1, 0; overdue: 2, 0, 1 → 1, 0, 0.5; equal weights → 100 × (½·n₁ + ½·n₂).
        var ranking = OutreachScoring.Rank(Wards, Rows, Weights(("open_weighted", 50), ("overdue", 50)), All);
        Assert.Equal(["00001", "00002", "00003"], ranking.Select(w => w.Code));
        Assert.Equal([75.0, 50.0, 25.0], ranking.Select(w => w.Score));
        Assert.Equal([1, 2, 3], ranking.Select(w => w.Rank));
        var one = ranking[0].Factors.ToDictionary(f => f.Id);
        Assert.Equal((10.0, 0.5, 0.5, 25.0), (one["open_weighted"].Value!.Value, one["open_weighted"].Normalised!.Value, one["open_weighted"].Share, one["open_weighted"].Contribution));
        Assert.Equal((2.0, 1.0, 0.5, 50.0), (one["overdue"].Value!.Value, one["overdue"].Normalised!.Value, one["overdue"].Share, one["overdue"].Contribution));
        // Factors with no weight are shown with their values but contribute nothing.
        Assert.Equal((4.0, 0.0), (one["open_per_km2"].Value!.Value, one["open_per_km2"].Contribution));
        Assert.Equal(50.0, one["unanswered_share"].Value);
    }

    [Fact]
    public void Changing_the_weights_changes_the_ranking_as_expected()
    {
        var bySeverity = OutreachScoring.Rank(Wards, Rows, Weights(("open_weighted", 1)), All);
        Assert.Equal(["00002", "00001", "00003"], bySeverity.Select(w => w.Code));
        Assert.Equal([100.0, 50.0, 0.0], bySeverity.Select(w => w.Score));
        var byReports = OutreachScoring.Rank(Wards, Rows, Weights(("reports", 1)), All);
        Assert.Equal(["00003", "00001", "00002"], byReports.Select(w => w.Code));
        Assert.Equal([100.0, 50.0, 0.0], byReports.Select(w => w.Score));
    }

    [Fact]
    public void A_factor_a_ward_has_no_data_for_gives_its_weight_to_the_others()
    {
        // Per 10,000 people: 4 and 2 → 1 and 0; W3 has no population, so its score is overdue alone (0.5 → 50).
        var ranking = OutreachScoring.Rank(Wards, Rows, Weights(("open_per_10k", 50), ("overdue", 50)), All).ToDictionary(w => w.Code);
        Assert.Equal(100.0, ranking["00001"].Score);
        Assert.Equal(0.0, ranking["00002"].Score);
        Assert.Equal(50.0, ranking["00003"].Score);
        var missing = ranking["00003"].Factors.Single(f => f.Id == "open_per_10k");
        Assert.Null(missing.Value);
        Assert.Null(missing.Normalised);
        Assert.Equal(0, missing.Share);
        Assert.Equal(1.0, ranking["00003"].Factors.Single(f => f.Id == "overdue").Share);
    }

    [Fact]
    public void Choosing_layers_limits_the_hotspot_factors_to_them()
    {
        // Food-safety failure rate: 25 % and 100 %; W3 had no inspections. Without the food-safety layer it is missing everywhere.
        var withFood = OutreachScoring.Rank(Wards, Rows, Weights(("food_fail_rate", 1)), All).ToDictionary(w => w.Code);
        Assert.Equal((25.0, 0.0), (withFood["00001"].Factors.Single(f => f.Id == "food_fail_rate").Value!.Value, withFood["00001"].Score));
        Assert.Equal(100.0, withFood["00002"].Score);
        var floodOnly = OutreachScoring.Rank(Wards, Rows, Weights(("open_weighted", 1), ("food_fail_rate", 1)), ["flooding"]);
        Assert.All(floodOnly, w => Assert.Null(w.Factors.Single(f => f.Id == "food_fail_rate").Value));
        Assert.Equal(6.0, floodOnly.Single(w => w.Code == "00001").Factors.Single(f => f.Id == "open_weighted").Value);
        // Reports of other layers are left out too (W3's are congestion reports).
        Assert.Equal(0.0, floodOnly.Single(w => w.Code == "00003").Factors.Single(f => f.Id == "reports").Value);
    }

    [Fact]
    public void Rank_change_compares_with_the_previous_quarter()
    {
        var weights = Weights(("open_weighted", 1));
        var now = OutreachScoring.Rank(Wards, Rows, weights, All);
        var before = OutreachScoring.Rank(Wards, [Row("00003", "flooding", weighted: 9), Row("00001", "flooding", weighted: 1)], weights, All);
        var merged = OutreachScoring.WithPrevious(now, before).ToDictionary(w => w.Code);
        Assert.Equal((1, 3, 2), (merged["00002"].Rank, merged["00002"].PreviousRank!.Value, merged["00002"].RankChange!.Value));
        Assert.Equal((3, 1, -2), (merged["00003"].Rank, merged["00003"].PreviousRank!.Value, merged["00003"].RankChange!.Value));
    }

    private static Gen<FactorRow[]> GenRows =>
        from count in Gen.Choose(0, 30)
        from rows in Gen.ArrayOf(
            from ward in Gen.Elements("00001", "00002", "00003")
            from category in Gen.Elements([.. All, "other", "projects"])
            from open in Gen.Choose(0, 50)
            from weighted in Gen.Choose(0, 500)
            from overdue in Gen.Choose(0, 20)
            from reports in Gen.Choose(0, 40)
            from unanswered in Gen.Choose(0, 40)
            from inspections in Gen.Choose(0, 10)
            from fails in Gen.Choose(0, 10)
            select new FactorRow(ward, category, open, weighted / 7.0, overdue, overdue / 2, inspections, Math.Min(fails, inspections),
                reports, Math.Min(unanswered, reports), weighted / 3.0, weighted / 11.0, open % 3), count)
        select rows;

    private static Gen<Dictionary<string, double>> GenWeights =>
        from ws in Gen.ArrayOf(Gen.Choose(0, 100), OutreachFactor.All.Count)
        select OutreachFactor.All.Select((f, i) => (f.Id, W: (double)ws[i])).ToDictionary(x => x.Id, x => x.W);

    [Property(MaxTest = 300)]
    public Property The_breakdown_sums_to_the_score_and_ranks_follow_scores() =>
        Prop.ForAll(GenRows.ToArbitrary(), GenWeights.ToArbitrary(), (rows, weights) =>
        {
            var ranking = OutreachScoring.Rank(Wards, rows, weights, All);
            return ranking.Select(w => w.Rank).SequenceEqual([1, 2, 3])
                && ranking.Zip(ranking.Skip(1)).All(p => p.First.Score >= p.Second.Score)
                && ranking.All(w => w.Score is >= 0 and <= 100.0001 && Math.Abs(w.Factors.Sum(f => f.Contribution) - w.Score) < 1e-6)
                && ranking.All(w => w.Factors.All(f => f.Normalised is null or (>= 0 and <= 1)));
        });

    [Property(MaxTest = 200)]
    public Property Only_the_proportions_of_the_weights_matter() =>
        Prop.ForAll(GenRows.ToArbitrary(), GenWeights.ToArbitrary(), Gen.Choose(2, 9).ToArbitrary(), (rows, weights, k) =>
        {
            var a = OutreachScoring.Rank(Wards, rows, weights, All);
            var b = OutreachScoring.Rank(Wards, rows, weights.ToDictionary(kv => kv.Key, kv => kv.Value * k), All);
            return a.Zip(b).All(p => p.First.Code == p.Second.Code && Math.Abs(p.First.Score - p.Second.Score) < 1e-3);
        });

    [Theory]
    [InlineData("overdue:2,open_weighted:1", null)]
    [InlineData("overdue:x", "is not factor:weight")]
    [InlineData("nothing:1", "unknown factor")]
    [InlineData("overdue:-1", "from 0 to 1000")]
    [InlineData("overdue:NaN", "from 0 to 1000")]
    [InlineData("overdue:0", "above zero")]
    public void Weights_parse_or_say_what_is_wrong(string text, string? error)
    {
        var (weights, problem) = OutreachWeights.Parse(text);
        if (error is null)
        {
            Assert.Null(problem);
            Assert.Equal((2.0, 1.0, 0.0), (weights!["overdue"], weights["open_weighted"], weights["reports"]));
        }
        else
        {
            Assert.Contains(error, problem, StringComparison.Ordinal);
        }
    }
}
