using Npgsql;

namespace Hotspots.Database;

/// <summary>
/// What the service's own role (HOTSPOTS_DB) may do when the schema belongs to another (HOTSPOTS_DB_OWNER): read and
/// write rows of the product's tables, use their sequences, empty the one table a loader rebuilds, ask for statistics
/// through hotspots_analyze — and no more: no DDL, no ownership, and the audit trail only grows (no UPDATE, DELETE or
/// TRUNCATE). Granted again after every migration, so a new table is covered the day it is added.
/// </summary>
public static class RuntimeRole
{
    public static async Task GrantAsync(NpgsqlDataSource owner, string role, IEnumerable<string> schemas, CancellationToken ct)
    {
        var r = "\"" + role.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var sql = new System.Text.StringBuilder($"""
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {r};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r};
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {r};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM {r};
            GRANT TRUNCATE ON ward_parts TO {r};
            GRANT EXECUTE ON FUNCTION hotspots_analyze(regclass) TO {r};

            """);
        foreach (var schema in schemas)
        {
            var s = "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            sql.Append($"""
                GRANT USAGE ON SCHEMA {s} TO {r};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {r};

                """);
        }
        await using var conn = await owner.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql.ToString(), conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
