using Npgsql;

namespace Hotspots.Database;

/// <summary>
/// Schema a feature keeps outside the migrations (a library's own tables), put in place by the owner role right
/// after the migrations, so the service's own role never needs to create anything.
/// </summary>
public interface ISchemaStep
{
    /// <summary>The schemas the step owns, whose tables the service's role is granted rows in.</summary>
    IReadOnlyList<string> Schemas { get; }

    Task ApplyAsync(NpgsqlDataSource owner, CancellationToken ct);
}
