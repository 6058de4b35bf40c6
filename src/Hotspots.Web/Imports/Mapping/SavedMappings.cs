using System.Text.Json;
using Npgsql;

namespace Hotspots.Imports.Mapping;

public sealed record SavedMapping(string Source, IReadOnlyList<string> Header, IReadOnlyDictionary<string, string> Mapping, string SavedBy, DateTimeOffset SavedAt)
{
    /// <summary>Whether a file has the same columns (names compared as keys, order free).</summary>
    public bool Fits(IEnumerable<string> header) => Key(header).SetEquals(Key(Header));

    private static HashSet<string> Key(IEnumerable<string> header) => header.Select(FieldMap.HeaderKey).ToHashSet(StringComparer.Ordinal);
}

/// <summary>The import_mappings table: one confirmed mapping per source.</summary>
public sealed class SavedMappings(NpgsqlDataSource dataSource)
{
    public async Task<SavedMapping?> GetAsync(string source, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT source, header, mapping::text, saved_by, saved_at FROM import_mappings WHERE source = @source");
        cmd.Parameters.AddWithValue("source", source);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new SavedMapping(r.GetString(0), r.GetFieldValue<string[]>(1), JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(2))!,
                r.GetString(3), r.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    public async Task SaveAsync(string source, IReadOnlyList<string> header, IReadOnlyDictionary<string, string> mapping, string by, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO import_mappings (source, header, mapping, saved_by) VALUES (@source, @header, @mapping::jsonb, @by)
            ON CONFLICT (source) DO UPDATE SET header = excluded.header, mapping = excluded.mapping, saved_by = excluded.saved_by, saved_at = now()
            """);
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("header", header.ToArray());
        cmd.Parameters.AddWithValue("mapping", JsonSerializer.Serialize(mapping));
        cmd.Parameters.AddWithValue("by", by);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
