using System.Globalization;
using Hotspots.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// The service with one person of each role — the ward lead holds Phường Đống Đa — and, in Đống Đa and in Ba Đình,
/// a food-safety record whose inspected person is named and a way to file citizen reports with a reporter.
/// </summary>
public sealed class PeopleApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DongDa = "00235", BaDinh = "00004";
    public const string InspectedName = "PERSON-Trần Thị B", InspectedPhone = "0912000111", ReporterName = "REPORTER-Lê Văn C", ReporterPhone = "0987000222";
    private string _db = "";
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> UserIds { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (double Lon, double Lat)> Inside { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> FoodRecord { get; } = new(StringComparer.Ordinal);

    public static readonly string[] RoleNames = [Roles.Admin, Roles.Planner, Roles.WardLead, Roles.Viewer];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_people");
        _ = Server;
        foreach (var role in RoleNames)
        {
            var id = await TestUsers.CreateAsync(Services, $"{role.Replace('_', '-')}@hotspots.test", role, role == Roles.WardLead ? [DongDa] : []);
            UserIds[role] = id;
            Tokens[role] = await TestUsers.TokenAsync(Services, id);
        }
        foreach (var ward in new[] { DongDa, BaDinh })
        {
            await using var point = DataSource.CreateCommand("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM current_wards WHERE code = @w) x");
            point.Parameters.AddWithValue("w", ward);
            await using (var r = await point.ExecuteReaderAsync())
            {
                await r.ReadAsync();
                Inside[ward] = (r.GetDouble(0), r.GetDouble(1));
            }
            FoodRecord[ward] = await NewHotspotAsync(ward, "food_safety", withInspection: true);
        }
    }

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>A fresh record (status reported) in a ward, for a test that changes it.</summary>
    public async Task<long> NewHotspotAsync(string ward, string category = "congestion", bool withInspection = false)
    {
        var (lon, lat) = Inside[ward];
        await using var cmd = DataSource.CreateCommand($"""
            WITH h AS (
                INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
                VALUES (@category, 'Điểm thử', 3, 'reported', now(), ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 'test', gen_random_uuid()::text)
                RETURNING id),
            i AS (
                INSERT INTO food_safety_inspections (hotspot_id, establishment_kind, inspection_date, result, contact_name, contact_phone)
                SELECT id, 'street_food', current_date, 'fail', '{InspectedName}', '{InspectedPhone}' FROM h WHERE @inspection)
            SELECT id FROM h
            """);
        cmd.Parameters.AddWithValue("category", category);
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("inspection", withInspection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A new citizen report in a ward, with its reporter's name and phone (also written into the text).</summary>
    public async Task<long> NewReportAsync(string ward)
    {
        var (lon, lat) = Inside[ward];
        await using var cmd = DataSource.CreateCommand($"""
            WITH r AS (
                INSERT INTO field_reports (category, text, received_at, geom, source, external_id)
                VALUES ('congestion', 'Ùn tắc giờ tan tầm, gọi tôi {ReporterPhone}', now(), ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 'test', gen_random_uuid()::text)
                RETURNING id),
            p AS (INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone) SELECT id, '{ReporterName}', '{ReporterPhone}' FROM r)
            SELECT id FROM r
            """);
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public HttpClient ClientAs(string? role)
    {
        var client = CreateClient();
        TestUsers.Authorize(client, role is null ? null : Tokens[role]);
        return client;
    }

    public static string Num(double v) => v.ToString("0.000000", CultureInfo.InvariantCulture);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "300");
        builder.UseSetting("SAMPLE_SEED", "11");
        builder.UseSetting("LOCKOUT_ATTEMPTS", "3");
        builder.UseSetting("LOCKOUT_ADDRESS_ATTEMPTS", "8");
        builder.UseSetting("LOCKOUT_ACCOUNT_ATTEMPTS", "6");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class PeopleCollection : ICollectionFixture<PeopleApp>
{
    public const string Name = "people";
}
