using Hotspots.FloodPoints;
using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.FloodPoints;

[Trait("Category", "Database")]
public sealed class OfficialFloodPointLoaderTests
{
    [Fact]
    public async Task Loads_the_15_official_points_into_their_wards_and_never_duplicates_them()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(db.DataSource, TestDatabase.SharedData("hanoi-wards-2025.geojson"),
            BoundarySet.Hanoi2025, BoundaryExpectations.Hanoi2025, NullLogger.Instance);
        var path = TestDatabase.SharedData("hanoi-flood-points-official.csv");
        await OfficialFloodPointLoader.LoadAsync(db.DataSource, path, NullLogger.Instance);
        await OfficialFloodPointLoader.LoadAsync(db.DataSource, path, NullLogger.Instance);

        Assert.Equal(15L, await db.ScalarAsync<long>("SELECT count(*) FROM hotspots WHERE category = 'flooding' AND NOT is_sample"));
        Assert.Equal(30L, await db.ScalarAsync<long>("SELECT count(*) FROM hotspot_status_history"));
        Assert.Equal(15L, await db.ScalarAsync<long>("SELECT count(*) FROM flooding_details WHERE drainage_basin IN ('to_lich', 'nhue', 'cau_bay')"));
        // HN_FLD_001, Nguyễn Khuyến street, is named in the plans as in Văn Miếu - Quốc Tử Giám ward.
        Assert.Equal("Văn Miếu - Quốc Tử Giám", await db.ScalarAsync<string>("""
            SELECT w.name FROM hotspots h JOIN current_wards w ON w.code = h.ward_code WHERE h.external_id = 'HN_FLD_001'
            """));
    }
}
