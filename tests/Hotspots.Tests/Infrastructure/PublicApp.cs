using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// The service on its own database for the public-map tests, with personal data planted as canaries in every
/// place the schema keeps it (reporters, inspected people, internal notes, free text, exact household positions).
/// </summary>
public sealed class PublicApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Canary = "CANARY";
    public const string CanaryPhone = "0999123456";
    public const string AllowedOrigin = "https://ward.example.vn";
    /// <summary>Where the urban-order canary really is (a household in Đống Đa).</summary>
    public const double HouseLon = 105.82713, HouseLat = 21.01807;
    private string _db = "";

    /// <summary>Clients of this factory are anonymous, like the public; this token is for the dashboard's own API.</summary>
    public string PlannerToken { get; private set; } = "";
    public long HouseId { get; private set; }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_public");
        _ = Server;
        PlannerToken = await TestUsers.CreateWithTokenAsync(Services, "planner@hotspots.test", Hotspots.Accounts.Roles.Planner);
        await using var cmd = Services.GetRequiredService<NpgsqlDataSource>().CreateCommand($"""
            WITH h AS (
                INSERT INTO hotspots (category, subtype, title, description, severity, status, reported_at, geom, source, external_id)
                VALUES ('urban_order', 'sidewalk_encroachment', 'Nhà ông {Canary}-OWNER lấn chiếm vỉa hè', 'Gọi {CanaryPhone} {Canary}-DESC',
                        4, 'verified', now() - interval '3 days', ST_SetSRID(ST_MakePoint({HouseLon}, {HouseLat}), 4326), 'test', 'canary-house')
                RETURNING id),
            f AS (
                INSERT INTO hotspots (category, subtype, title, description, severity, status, reported_at, geom, source, external_id)
                VALUES ('food_safety', 'street_food', 'Quán bà {Canary}-VENDOR', '{Canary}-FOOD-DESC', 3, 'reported', now() - interval '2 days',
                        ST_SetSRID(ST_MakePoint(105.8412, 21.0301), 4326), 'test', 'canary-food')
                RETURNING id),
            i AS (
                INSERT INTO food_safety_inspections (hotspot_id, establishment_kind, inspection_date, result, violations, follow_up, contact_name, contact_phone)
                SELECT id, 'street_food', current_date, 'fail', ARRAY['{Canary}-VIOLATION-NOTE'], '{Canary}-FOLLOW-UP', '{Canary}-INSPECTED-PERSON', '{CanaryPhone}' FROM f),
            n AS (
                INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note, internal)
                SELECT id, now(), '{Canary}-STAFF', 'reported', 'verified', '{Canary}-INTERNAL-NOTE', true FROM h),
            r AS (
                INSERT INTO field_reports (category, text, status, hotspot_id, received_at, geom, source, external_id)
                SELECT 'urban_order', '{Canary}-REPORT-TEXT gọi {CanaryPhone}', 'linked', id, now(), ST_SetSRID(ST_MakePoint({HouseLon}, {HouseLat}), 4326), 'test', 'canary-report' FROM h
                RETURNING id),
            p AS (
                INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone)
                SELECT id, '{Canary}-REPORTER-Nguyễn Văn A', '{CanaryPhone}' FROM r)
            SELECT id FROM h
            """);
        HouseId = (long)(await cmd.ExecuteScalarAsync())!;
        await Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "1500");
        builder.UseSetting("SAMPLE_SEED", "99");
        builder.UseSetting("EMBED_ORIGINS", AllowedOrigin);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class PublicCollection : ICollectionFixture<PublicApp>
{
    public const string Name = "public";
}
