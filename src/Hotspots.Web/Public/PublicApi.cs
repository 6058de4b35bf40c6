using Hotspots.Database;
using Hotspots.Map;
using System.Globalization;
using System.Threading.RateLimiting;

using Hotspots.Records;
using Hotspots.Hosting;
using Hotspots.Snapshots;
using Hotspots.Stats;

using Hotspots.Wards;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Public;

/// <summary>
/// The public map's API under /api/public: wards, features and tiles from the public read model, ward
/// statistics (counts only). Cacheable by any proxy (ETag = data version, Cache-Control public), rate limited
/// per client address with 429 and Retry-After, and free of cookies.
/// </summary>
public static class PublicApi
{
    public const string RatePolicy = "public";

    public static void AddPublic(this WebApplicationBuilder builder)
    {
        builder.Services.AddSnapshotPart(PublicReadModel.Part);
        builder.AddPublicApi();
    }

    public static void MapPublic(this WebApplication app)
    {
        app.MapPublicApi();
        app.MapEmbedPage();
    }

    private static void AddPublicApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(RatePolicy, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<HotspotsOptions>>().Value;
                // Behind a reverse proxy, configure forwarded headers so this is the reader's address.
                var client = http.Connection.RemoteIpAddress?.ToString() ?? "local";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.PublicRateBurst,
                    TokensPerPeriod = settings.PublicRatePerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    public static void MapPublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/public").RequireRateLimiting(RatePolicy).AllowAnonymous();
        api.MapGet("/wards", WardsApi.GetWards).WithName("GetPublicWards");
        // The public map's answers may be a moment old: read from a standby that has the data version (StandbyReads).
        api.MapGet("/features/{layer}", async (string layer, HttpContext http, StandbyReads reads, KnownWards wards,
                IOptions<HotspotsOptions> options, ResponseCache cache, DataVersion version, CancellationToken ct) =>
            await FeaturesApi.ServeAsync(publicModel: true, layer, http, await reads.ForVersionAsync(version.Current, ct), wards, options, cache, version, ct))
            .WithName("GetPublicFeatures");
        api.MapGet("/tiles/{layer}/{z}/{x}/{y}.mvt", async (string layer, string z, string x, string y, HttpContext http, StandbyReads reads,
                KnownWards wards, ResponseCache cache, DataVersion version, CancellationToken ct) =>
            await TilesApi.ServeAsync(TilesApi.Source.Public, layer, z, x, y, http, await reads.ForVersionAsync(version.Current, ct), wards, cache, version, ct))
            .WithName("GetPublicTile");
        api.MapGet("/stats/wards", StatsApi.GetAll).WithName("GetPublicWardStats");
        // The data version the URLs above should carry (v=) to be kept long by caches: an embed or a client asks here.
        api.MapGet("/version", (DataVersion version, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Ok(new { version = version.Current });
        }).WithName("GetPublicVersion");
    }
}
