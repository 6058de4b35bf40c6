using Npgsql;

namespace Hotspots.Health;

/// <summary>GET /health: 200 when the database answers, 503 with the reason when it does not.</summary>
public static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app) => app.MapGet("/health", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT postgis_lib_version()");
            var postgis = (string?)await cmd.ExecuteScalarAsync(ct);
            return Results.Ok(new { status = "ok", database = "ok", postgis });
        }
        catch (NpgsqlException e)
        {
            return Results.Problem(title: "Database unavailable", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }).AllowAnonymous();
}
