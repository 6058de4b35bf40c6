using Hotspots.Text;
using Npgsql;

namespace Hotspots.Wards;

/// <summary>A ward or commune as lists and searches show it; <see cref="Key"/> is its full name folded for search.</summary>
public sealed record WardName(string Code, string Name, string FullName, string Kind, string Key);

/// <summary>The current wards and communes by name, read once (boundaries change only by a new load and restart).</summary>
public sealed class WardDirectory(NpgsqlDataSource dataSource)
{
    private IReadOnlyList<WardName>? _wards;

    public async Task<IReadOnlyList<WardName>> AllAsync(CancellationToken ct = default)
    {
        if (_wards is not null)
        {
            return _wards;
        }
        var list = new List<WardName>();
        await using var cmd = dataSource.CreateCommand("SELECT code, name, full_name, kind FROM current_wards ORDER BY name");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new WardName(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SearchKey.Of(r.GetString(2))));
        }
        return _wards = list;
    }
}
