using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// The whole service on a fresh PostGIS database, loaded as on a first start (with a small, seeded sample),
/// shared by the API tests of one collection.
/// </summary>
public sealed class HotspotsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int SampleCount = 3000;
    public const int SampleSeed = 424242;
    private string _db = "";

    /// <summary>Every client this factory makes signs in as a planner; tests of other roles set their own token.</summary>
    public string PlannerToken { get; private set; } = "";

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestUsers.Authorize(client, PlannerToken.Length > 0 ? PlannerToken : null);
    }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_api");
        _ = Server; // start now: migrations and first-start loads run here, not inside the first test
        PlannerToken = await TestUsers.CreateWithTokenAsync(Services, "planner@hotspots.test", Hotspots.Accounts.Roles.Planner);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", SampleCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("SAMPLE_SEED", SampleSeed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FEATURES_MAX_LIMIT", "20000");
        builder.UseSetting("PUBLIC_URL", PublicUrl);
    }

    /// <summary>The public address the posters print (the test server answers at http://localhost).</summary>
    public const string PublicUrl = "http://localhost";

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<HotspotsApp>
{
    public const string Name = "api";
}
