using System.Globalization;

namespace Hotspots.Outreach;

/// <summary>Parsing and checking a set of weights: every factor named once, finite and not negative, not all zero.</summary>
public static class OutreachWeights
{
    /// <summary>"open_weighted:30,overdue:20" — factors not named weigh nothing, so what is sent is what is used.</summary>
    public static (IReadOnlyDictionary<string, double>? Weights, string? Error) Parse(string text)
    {
        var weights = OutreachFactor.All.ToDictionary(f => f.Id, _ => 0.0);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
            {
                return (null, $"'{part}' is not factor:weight");
            }
            var (checkedWeights, error) = Check(new Dictionary<string, double> { [kv[0]] = w }, allowAllZero: true);
            if (error is not null)
            {
                return (null, error);
            }
            weights[kv[0]] = checkedWeights![kv[0]];
        }
        return Check(weights);
    }

    public static (IReadOnlyDictionary<string, double>? Weights, string? Error) Check(IReadOnlyDictionary<string, double> given, bool allowAllZero = false)
    {
        var weights = OutreachFactor.All.ToDictionary(f => f.Id, _ => 0.0);
        foreach (var (id, w) in given)
        {
            if (OutreachFactor.Find(id) is null)
            {
                return (null, $"unknown factor '{id}'; factors are {string.Join(", ", OutreachFactor.All.Select(f => f.Id))}");
            }
            if (!double.IsFinite(w) || w < 0 || w > 1000)
            {
                return (null, $"the weight of '{id}' must be a number from 0 to 1000");
            }
            weights[id] = w;
        }
        return !allowAllZero && weights.Values.All(w => w == 0) ? (null, "at least one weight must be above zero") : (weights, null);
    }

    public static string Format(IReadOnlyDictionary<string, double> weights) =>
        string.Join(',', OutreachFactor.All.Where(f => weights.GetValueOrDefault(f.Id) > 0)
            .Select(f => FormattableString.Invariant($"{f.Id}:{weights[f.Id]:0.###}")));
}
