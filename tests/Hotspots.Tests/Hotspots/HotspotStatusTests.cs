using System.Text.RegularExpressions;
using Hotspots.Layers;
using Hotspots.Records;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Records;

/// <summary>The status list lives once in C# (HotspotStatus) and once in the database (the CHECK on hotspots.status): they must agree.</summary>
[Trait("Category", "Database")]
public sealed partial class HotspotStatusTests
{
    [Fact]
    public async Task The_database_accepts_exactly_the_statuses_the_code_knows()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        Assert.Equal(HotspotStatus.All.Order(StringComparer.Ordinal), await CheckedValuesAsync(db, "hotspots", "status"));
    }

    [Fact]
    public async Task The_database_accepts_exactly_the_project_kinds_the_code_draws()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        Assert.Equal(ProjectKinds.All.Select(k => k.Id).Order(StringComparer.Ordinal), await CheckedValuesAsync(db, "projects", "kind"));
    }

    // The values of a column's CHECK (… IN (…)) constraint, as PostgreSQL prints it back: ARRAY['a'::text, 'b'::text].
    private static async Task<IEnumerable<string>> CheckedValuesAsync(MigratedDatabase db, string table, string column)
    {
        var definition = await db.ScalarAsync<string>("""
            SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum] -- on this column alone
            WHERE c.conrelid = @table::regclass AND c.contype = 'c' AND a.attname = @column
            """, ("table", table), ("column", column));
        Assert.NotNull(definition);
        return Quoted().Matches(definition).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("'([a-z_]+)'")]
    private static partial Regex Quoted();
}

[Trait("Category", "Unit")]
public sealed class HotspotLifecycleTests
{
    [Fact]
    public void The_open_statuses_are_those_before_resolved_and_the_sql_list_names_them()
    {
        Assert.Equal(["reported", "verified", "in_progress"], HotspotStatus.Open);
        Assert.Equal(HotspotStatus.OpenSql, string.Join(", ", HotspotStatus.Open.Select(s => $"'{s}'")));
        Assert.All(HotspotStatus.All, s => Assert.All(HotspotStatus.NextOf(s), to => Assert.Contains(to, HotspotStatus.All)));
    }
}
