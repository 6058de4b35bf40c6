using Npgsql;

namespace Hotspots.Health;

/// <summary>
/// GET /health: 200 when the database answers, 503 when it does not. Anyone may ask, so the answer says only that
/// the database is unavailable; the reason (host, port, server message) goes to the log.
/// </summary>
public static partial class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", (NpgsqlDataSource dataSource, ILoggerFactory logs, CancellationToken ct) => CheckAsync(dataSource, logs.CreateLogger("Hotspots.Health"), ct))
            .AllowAnonymous();

    public static async Task<IResult> CheckAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT postgis_lib_version()");
            var postgis = (string?)await cmd.ExecuteScalarAsync(ct);
            return Results.Ok(new { status = "ok", database = "ok", postgis });
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogUnavailable(logger, e);
            return Results.Problem(title: "Database unavailable", detail: "The database does not answer; the service log says why.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: the database does not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception e);
}
