using Hotspots.Http;
using Hotspots.Hosting;
using Hotspots.Wards;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Hotspots.Stats;

/// <summary>
/// GET /api/stats/wards and /api/wards/{code}/stats: per ward and category — counts by status, open,
/// overdue, resolved within the period (30d, 90d or 365d) and median days to resolve — read from the
/// ward_stats snapshot.
/// </summary>
public static class StatsApi
{
    public static readonly string[] Periods = ["30d", "90d", "365d"];

    public static void MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats/wards", GetAll).WithName("GetWardStats");
        app.MapGet("/api/wards/{code}/stats", GetOne).WithName("GetOneWardStats");
    }

    /// <summary>Also the public map's /api/public/stats/wards: counts only, nothing personal.</summary>
    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetAll(string? period, HttpContext http, WardStatsCache cache, CancellationToken ct)
    {
        period ??= "90d";
        if (!Periods.Contains(period))
        {
            return Problems.BadParameter("period", $"period must be one of {string.Join(", ", Periods)}");
        }
        var (json, etag) = await cache.AllAsync(period, ct);
        if (ConditionalGet.NotModified(http, etag, "public, max-age=60"))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(json, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<WardStats>, ProblemHttpResult>> GetOne(string code, string? period, WardStatsCache cache, KnownWards wards, CancellationToken ct)
    {
        period ??= "90d";
        if (!Periods.Contains(period))
        {
            return Problems.BadParameter("period", $"period must be one of {string.Join(", ", Periods)}");
        }
        if (!await wards.ExistsAsync(code, ct))
        {
            return Problems.BadParameter("code", $"no current ward or commune has code '{code}'");
        }
        return TypedResults.Ok(await cache.OneAsync(code, period, ct));
    }
}

public sealed record CategoryStats(
    int Total, int Reported, int Verified, int InProgress, int Resolved, int Rejected, int Open, int Overdue,
    int ResolvedInPeriod, double? MedianDaysToResolve);

public sealed record WardStats(
    string Code, string Name, string Kind, double AreaKm2, int? Population, string Period, DateTimeOffset AsOf,
    IReadOnlyDictionary<string, CategoryStats> Categories, CategoryStats Totals)
{
    public double OpenPerKm2 => AreaKm2 > 0 ? Math.Round(Totals.Open / AreaKm2, 3) : 0;
    public double? OpenPer10k => Population is > 0 ? Math.Round(Totals.Open * 10_000.0 / Population.Value, 3) : null;
    public double? ResolvedPct => Totals.Total - Totals.Rejected > 0
        ? Math.Round(100.0 * Totals.Resolved / (Totals.Total - Totals.Rejected), 1) : null;

    /// <summary>The ward's data quality over all layers (ward_quality), and per layer.</summary>
    public QualityParts? Quality { get; init; }
    public IReadOnlyDictionary<string, QualityParts> QualityByLayer { get; init; } = new Dictionary<string, QualityParts>();
}
