using Npgsql;

namespace Hotspots.Wards;

/// <summary>The current wards' codes, held in memory so an unknown ward is a 400 without a query.</summary>
public sealed class KnownWards(NpgsqlDataSource dataSource)
{
    private volatile HashSet<string>? _codes;

    public async ValueTask<bool> ExistsAsync(string code, CancellationToken ct)
    {
        var codes = _codes;
        if (codes is null)
        {
            codes = [];
            await using var cmd = dataSource.CreateCommand("SELECT code FROM current_wards");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                codes.Add(r.GetString(0));
            }
            _codes = codes;
        }
        return codes.Contains(code);
    }
}
