using FsCheck.Xunit;
using Hotspots.Geo;
using Hotspots.SampleData;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Hotspots.Tests.SampleData;

[Trait("Category", "Unit")]
public sealed class SampleGeneratorTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 1);

    /// <summary>A small world: an inner ward, an outer commune, a ring road and a river.</summary>
    private static SampleWorld World()
    {
        var wkt = new WKTReader(GeoJsonGeometry.Factory.GeometryServices);
        return new SampleWorld(
            [
                new SampleWorld.Ward("00001", "Phường Trung Tâm", "phuong", wkt.Read("POLYGON((105.84 21.02, 105.86 21.02, 105.86 21.04, 105.84 21.04, 105.84 21.02))"), 4.6),
                new SampleWorld.Ward("00002", "Xã Ngoại Thành", "xa", wkt.Read("POLYGON((105.70 20.90, 105.80 20.90, 105.80 21.00, 105.70 21.00, 105.70 20.90))"), 115),
            ],
            [
                new SampleWorld.Line("ring-road-1", "ring_road", wkt.Read("LINESTRING(105.841 21.021, 105.859 21.039)")),
                new SampleWorld.Line("river-x", "river", wkt.Read("LINESTRING(105.71 20.91, 105.79 20.99)")),
            ],
            [new Coordinate(105.85, 21.03)]);
    }

    [Fact]
    public void Same_seed_gives_the_same_records()
    {
        var a = new SampleGenerator(World(), 7, AsOf).Hotspots(2000).ToList();
        var b = new SampleGenerator(World(), 7, AsOf).Hotspots(2000).ToList();
        Assert.Equal(a, b);
        var reportsA = new SampleGenerator(World(), 7, AsOf).FieldReports(100, a.Select(h => (h.Index, h.Category, h.Lon, h.Lat)).ToList()).ToList();
        var reportsB = new SampleGenerator(World(), 7, AsOf).FieldReports(100, b.Select(h => (h.Index, h.Category, h.Lon, h.Lat)).ToList()).ToList();
        Assert.Equal(reportsA, reportsB);
    }

    [Fact]
    public void Another_seed_gives_other_records()
    {
        var a = new SampleGenerator(World(), 7, AsOf).Hotspots(200).ToList();
        var b = new SampleGenerator(World(), 8, AsOf).Hotspots(200).ToList();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Makes_all_five_layers_in_their_shares_and_crowds_the_inner_ward()
    {
        var records = new SampleGenerator(World(), 1, AsOf).Hotspots(5000).ToList();
        var shares = records.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => g.Count() / 5000.0);
        Assert.Equal(SampleGenerator.Categories.Order(), shares.Keys.Order());
        Assert.InRange(shares["urban_order"], 0.26, 0.34);
        Assert.InRange(shares["flooding"], 0.12, 0.18);
        // The inner ward is 25× smaller yet holds most urban-order records.
        var inner = records.Count(r => r.Category == "urban_order" && r.Lon >= 105.84 && r.Lat >= 21.02);
        Assert.True(inner > records.Count(r => r.Category == "urban_order") / 2);
    }

    [Fact]
    public void Project_progress_is_consistent_with_its_dates()
    {
        var progress = new SampleGenerator(World(), 1, AsOf).ProjectProgress([
            ("done", new DateOnly(2015, 1, 1), new DateOnly(2020, 1, 1)),
            ("future", new DateOnly(2030, 1, 1), new DateOnly(2035, 1, 1))]).ToDictionary(p => p.ProjectId);
        Assert.True(progress["done"].ProgressPct >= 70);
        Assert.Equal(0m, progress["future"].ProgressPct);
        Assert.All(progress["future"].Milestones, m => Assert.Null(m.Done));
        Assert.All(progress.Values, p => Assert.Equal(5, p.Milestones.Count));
    }

    [Property(MaxTest = 25)]
    public void Every_record_is_well_formed_for_any_seed(int seed)
    {
        var world = World();
        {
            foreach (var h in new SampleGenerator(world, seed, AsOf).Hotspots(150))
            {
                Assert.InRange(h.Severity, (short)1, (short)5);
                Assert.NotNull(world.WardAt(new Coordinate(h.Lon, h.Lat)));
                Assert.True(h.ReportedAt <= new DateTimeOffset(AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)));
                Assert.True(h.VerifiedAt is null || h.VerifiedAt >= h.ReportedAt);
                Assert.True(h.ResolvedAt is null || h.ResolvedAt >= h.ReportedAt);
                Assert.Equal(h.Status == "resolved", h.ResolvedAt is not null);
                Assert.Equal(h.Status == "rejected", h.RejectedAt is not null);
                Assert.True(h.Deadline > DateOnly.FromDateTime(h.ReportedAt.DateTime));
                Assert.StartsWith("Dữ liệu mẫu", h.Description, StringComparison.Ordinal);
            }
        }
    }
}
