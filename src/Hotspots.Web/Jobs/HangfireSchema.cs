using Hangfire.PostgreSql;
using Hotspots.Database;
using Npgsql;

namespace Hotspots.Jobs;

/// <summary>
/// Hangfire's tables (schema "hangfire"), installed or upgraded by the owner role with the migrations, so the
/// service's own role only reads and writes their rows (its storage never prepares the schema itself).
/// </summary>
public sealed class HangfireSchema : ISchemaStep
{
    public const string Name = "hangfire";

    public IReadOnlyList<string> Schemas => [Name];

    public async Task ApplyAsync(NpgsqlDataSource owner, CancellationToken ct)
    {
        await using var conn = await owner.OpenConnectionAsync(ct);
        PostgreSqlObjectsInstaller.Install(conn, Name);
    }
}
