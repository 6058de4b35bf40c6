namespace Hotspots.Outreach;

public sealed record OutreachWard(string Code, string Name, string FullName, string FullNameEn, double AreaKm2, int? Population);

/// <summary>One row of outreach_factors: raw counts for a ward and a category (or 'other' reports, or 'projects').</summary>
public sealed record FactorRow(string WardCode, string Category, int OpenCount, double OpenWeighted, int Overdue, int Recurrence,
    int Inspections, int InspectionFails, int Reports, int ReportsUnanswered, double ClearanceTodo, double Households, int ActiveWorks)
{
    /// <summary>Open records nobody has edited or verified for 90 days (data not live).</summary>
    public int Stale { get; init; }
}

/// <summary>A factor's part in a ward's score. Value is null where the ward has no data for it (no population,
/// no inspections); its weight then goes to the ward's other factors, so Share is the weight actually used.</summary>
public sealed record FactorScore(string Id, double? Value, double? Normalised, double Weight, double Share, double Contribution);

public sealed record WardScore(string Code, string Name, string FullName, string FullNameEn, double Score, int Rank,
    IReadOnlyList<FactorScore> Factors)
{
    public double? PreviousScore { get; init; }
    public int? PreviousRank { get; init; }

    /// <summary>Places moved up the priority list since the previous quarter's end (negative: moved down).</summary>
    public int? RankChange => PreviousRank is { } p ? p - Rank : null;
}

/// <summary>
/// The index itself, as plain arithmetic a planner can redo by hand: each factor's raw value per ward, scaled
/// min–max across the wards that have it (0 = lowest ward, 1 = highest), times the factor's share of the weights,
/// times 100. A ward's score (0–100) is the sum of those contributions. Rank 1 needs outreach most; ties go by code.
/// </summary>
public static class OutreachScoring
{
    public static IReadOnlyList<WardScore> Rank(IReadOnlyList<OutreachWard> wards, IEnumerable<FactorRow> rows,
        IReadOnlyDictionary<string, double> weights, IReadOnlyCollection<string> categories)
    {
        var byWard = rows.ToLookup(r => r.WardCode);
        var values = wards.ToDictionary(w => w.Code, w => RawValues(w, byWard[w.Code], categories));
        var ranges = OutreachFactor.All.Select((f, i) =>
        {
            var present = values.Values.Select(v => v[i]).OfType<double>().ToList();
            return present.Count == 0 ? (Min: 0.0, Max: 0.0) : (Min: present.Min(), Max: present.Max());
        }).ToArray();

        var scored = wards.Select(w =>
        {
            var raw = values[w.Code];
            var used = OutreachFactor.All.Select((f, i) => raw[i] is null ? 0 : weights.GetValueOrDefault(f.Id)).ToArray();
            var total = used.Sum();
            var exact = new double[OutreachFactor.All.Count];
            var factors = OutreachFactor.All.Select((f, i) =>
            {
                double? normalised = raw[i] is { } v ? (ranges[i].Max > ranges[i].Min ? (v - ranges[i].Min) / (ranges[i].Max - ranges[i].Min) : 0) : null;
                var share = total > 0 ? used[i] / total : 0;
                exact[i] = 100 * share * (normalised ?? 0);
                return new FactorScore(f.Id, raw[i] is { } rv ? Math.Round(rv, 4) : null, normalised is { } n ? Math.Round(n, 4) : null,
                    weights.GetValueOrDefault(f.Id), Math.Round(share, 4), Math.Round(exact[i], 4));
            }).ToList();
            // The score is the exact sum, rounded once (so it never exceeds 100); what rounding each contribution
            // gained or lost goes to the largest one, so the breakdown still adds up to the score.
            var score = Math.Round(exact.Sum(), 4);
            var drift = Math.Round(score - factors.Sum(x => x.Contribution), 4);
            if (drift != 0)
            {
                var largest = factors.IndexOf(factors.MaxBy(x => x.Contribution)!);
                factors[largest] = factors[largest] with { Contribution = Math.Round(factors[largest].Contribution + drift, 4) };
            }
            return (Ward: w, Score: score, Factors: factors);
        })
        .OrderByDescending(x => x.Score).ThenBy(x => x.Ward.Code, StringComparer.Ordinal)
        .ToList();

        return scored.Select((x, i) => new WardScore(x.Ward.Code, x.Ward.Name, x.Ward.FullName, x.Ward.FullNameEn, x.Score, i + 1, x.Factors)).ToList();
    }

    /// <summary>Adds each ward's score and rank at the previous quarter's end, computed with the same weights.</summary>
    public static IReadOnlyList<WardScore> WithPrevious(IReadOnlyList<WardScore> now, IReadOnlyList<WardScore>? before)
    {
        if (before is null)
        {
            return now;
        }
        var previous = before.ToDictionary(w => w.Code);
        return now.Select(w => previous.TryGetValue(w.Code, out var p) ? w with { PreviousScore = p.Score, PreviousRank = p.Rank } : w).ToList();
    }

    /// <summary>Raw factor values in <see cref="OutreachFactor.All"/> order; null where the ward has no data for one.</summary>
    internal static double?[] RawValues(OutreachWard ward, IEnumerable<FactorRow> rows, IReadOnlyCollection<string> categories)
    {
        var allCategories = OutreachFactor.Categories.All(categories.Contains);
        var chosen = rows.Where(r => categories.Contains(r.Category)).ToList();
        var reports = rows.Where(r => categories.Contains(r.Category) || allCategories && r.Category == "other").ToList();
        var projects = rows.FirstOrDefault(r => r.Category == "projects");
        var food = rows.FirstOrDefault(r => r.Category == "food_safety");
        var open = chosen.Sum(r => r.OpenCount);
        var received = reports.Sum(r => r.Reports);
        return
        [
            chosen.Sum(r => r.OpenWeighted),
            chosen.Sum(r => r.Overdue),
            ward.AreaKm2 > 0 ? open / ward.AreaKm2 : null,
            ward.Population is > 0 ? open * 10_000.0 / ward.Population.Value : null,
            categories.Contains("food_safety") && food is { Inspections: > 0 } ? 100.0 * food.InspectionFails / food.Inspections : null,
            received,
            received > 0 ? 100.0 * reports.Sum(r => r.ReportsUnanswered) / received : 0,
            chosen.Sum(r => r.Recurrence),
            projects?.ClearanceTodo ?? 0,
            projects?.Households ?? 0,
            projects?.ActiveWorks ?? 0,
            open > 0 ? 100.0 * chosen.Sum(r => r.Stale) / open : null,
        ];
    }
}
