using System.Globalization;

namespace Hotspots.FloodRisk;

/// <summary>
/// Public, as the flooding layer and the rain are: GET /api/public/flood-risk/scenario?mm=&amp;day= — the scenario of a
/// daily rain, of a past day (yyyy-MM-dd), or both (<see cref="FloodScenario"/>); GET
/// /api/public/flood-risk/records/{id} — a flooding record's rain and recurrence (<see cref="FloodRecurrence"/>).
/// Titles and places only: flooding records name streets, never people.
/// </summary>
public static class FloodRiskApi
{
    /// <summary>The largest daily rain a scenario may ask for (the city's record is under 600 mm).</summary>
    public const decimal MaxMm = 1000;

    public static void AddFloodRisk(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FloodScenario>();
        builder.Services.AddSingleton<FloodRecurrence>();
    }

    public static void MapFloodRisk(this WebApplication app)
    {
        var api = app.MapGroup("/api/public/flood-risk").RequireRateLimiting(Public.PublicApi.RatePolicy).AllowAnonymous();
        api.MapGet("/scenario", async (string? mm, string? day, FloodScenario scenarios, CancellationToken ct) =>
        {
            var (rain, date, problem) = Parse(mm, day);
            if (problem is not null)
            {
                return problem;
            }
            return Results.Ok(Json(await scenarios.RunAsync(rain, date, ct)));
        });
        api.MapGet("/records/{id:long}", async (long id, FloodRecurrence recurrence, CancellationToken ct) =>
            await recurrence.OfAsync(id, ct) is { } r ? Results.Ok(Json(r)) : Results.NotFound());
    }

    public static (decimal? Mm, DateOnly? Day, IResult? Problem) Parse(string? mm, string? day)
    {
        decimal? rain = null;
        DateOnly? date = null;
        if (!string.IsNullOrEmpty(mm))
        {
            if (!decimal.TryParse(mm, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) || v < 0 || v > MaxMm)
            {
                return (null, null, Hosting.Problems.BadParameter("mm", $"mm is a daily rain in millimetres, 0 to {MaxMm}"));
            }
            rain = v;
        }
        if (!string.IsNullOrEmpty(day))
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return (null, null, Hosting.Problems.BadParameter("day", "day is a date (yyyy-MM-dd)"));
            }
            date = d;
        }
        return rain is null && date is null ? (null, null, Hosting.Problems.BadParameter("mm", "give mm (a daily rain) or day (yyyy-MM-dd), or both")) : (rain, date, null);
    }

    private static object Json(Scenario s) => new
    {
        mm = s.Mm, day = s.Day is { } d ? FloodRecurrence.Iso(d) : null, s.RainKnown, nearMetres = FloodScenario.NearMetres,
        hits = s.Hits is { } h ? new { h.ExpectedFlooded, h.ExpectedDry, h.FloodedUnexpected, h.Observations, h.Precision, h.Recall } : null,
        points = s.Points.Select(p => new
        {
            p.Id, p.Title, wardCode = p.WardCode, lon = Math.Round(p.Lon, 6), lat = Math.Round(p.Lat, 6), p.PlanMm, p.ObservedMm, p.RainMm, p.GaugeId,
            p.ByPlan, p.ByObserved, p.Expected, flooded = s.Day is null ? (bool?)null : p.Flooded,
        }),
        observations = s.Observations.Select(o => new { o.Id, o.Title, wardCode = o.WardCode, lon = Math.Round(o.Lon, 6), lat = Math.Round(o.Lat, 6), nearPoints = o.NearPoints }),
        gauges = s.Gauges.Select(g => new { g.Id, g.Name, wardCode = g.WardCode, lon = Math.Round(g.Lon, 6), lat = Math.Round(g.Lat, 6), g.Mm, g.Suspect }),
        wards = s.Wards,
    };

    private static object Json(Recurrence r) => new
    {
        r.Id, r.IsPoint, r.PlanMm, r.PlanScenario, r.ObservedMm, r.ThresholdMm, r.RainyDays, floodDays = r.Days.Count, r.ExpectedPerYear, r.ObservedPerYear,
        gauges = r.Gauges, days = r.Days.Select(d => new { day = FloodRecurrence.Iso(d.Day), d.RainMm, d.GaugeId }),
        floodedByYear = r.FloodedByYear, reachedByYear = r.ReachedByYear,
    };
}
