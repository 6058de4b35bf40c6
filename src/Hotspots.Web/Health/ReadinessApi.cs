using Hotspots.Database;
using Npgsql;

namespace Hotspots.Health;

/// <summary>
/// For a load balancer (docs/DEPLOY.md): <c>/health/live</c> — the process answers (restart it if not);
/// <c>/health/ready</c> — send it traffic: it reaches the primary, or at least a standby whose last replayed write is
/// under <see cref="FreshEnough"/> old (then it serves reads while a failover is under way). 503 otherwise.
/// </summary>
public static partial class ReadinessApi
{
    public static readonly TimeSpan FreshEnough = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public static void MapReadinessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).AllowAnonymous();
        app.MapGet("/health/ready", async (StandbyReads reads, ILoggerFactory logs, CancellationToken ct) =>
        {
            var primary = await AnswersAsync(reads.Primary, "SELECT NOT pg_is_in_recovery()", ct);
            if (primary)
            {
                return Results.Ok(new { status = "ready", primary = "ok" });
            }
            var standby = reads.HasStandbys && await AnswersAsync(reads.Source,
                $"SELECT pg_is_in_recovery() AND now() - pg_last_xact_replay_timestamp() < interval '{(int)FreshEnough.TotalSeconds} seconds'", ct);
            LogNotReady(logs.CreateLogger("Hotspots.Health"), standby);
            return standby
                ? Results.Ok(new { status = "ready", primary = "unreachable", standby = "fresh" })
                : Results.Json(new { status = "unavailable", primary = "unreachable", standby = reads.HasStandbys ? "stale or unreachable" : "none" },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
    }

    private static async Task<bool> AnswersAsync(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(Patience);
        try
        {
            await using var cmd = source.CreateCommand(sql);
            cmd.CommandTimeout = (int)Patience.TotalSeconds;
            return await cmd.ExecuteScalarAsync(patience.Token) is true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready on the primary (a fresh standby answers: {Standby})")]
    private static partial void LogNotReady(ILogger logger, bool standby);
}
