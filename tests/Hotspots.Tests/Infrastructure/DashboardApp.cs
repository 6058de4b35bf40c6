using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// The service on a real Kestrel port (the browser needs one) over a fresh PostGIS database, plus Debian's
/// Chromium driven by Playwright. One record carries a script-like title to prove popups show text only.
/// </summary>
public sealed class DashboardApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ScriptTitle = "<img src=x onerror=alert(1)>";
    public const double ScriptLon = 105.9650, ScriptLat = 21.1150; // an outer commune, away from the crowd
    private string _db = "";
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    /// <summary>Another site, allowed (as 127.0.0.1) to frame the public embed.</summary>
    public HostSite Host { get; private set; } = null!;
    public static string Screenshots => Path.Combine(TestDatabase.RepositoryRoot, "tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_ui");
        Host = await HostSite.StartAsync();
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await using (var cmd = Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            INSERT INTO hotspots (category, subtype, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('urban_order', 'billboard', @title, 5, 'reported', now(), ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 'test', 'xss')
            """))
        {
            cmd.Parameters.AddWithValue("title", ScriptTitle);
            cmd.Parameters.AddWithValue("lon", ScriptLon);
            cmd.Parameters.AddWithValue("lat", ScriptLat);
            await cmd.ExecuteNonQueryAsync();
        }
        await Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
        Directory.CreateDirectory(Screenshots);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(Playwright);
        PlannerToken = await TestUsers.TokenAsync(Services, await TestUsers.CreateAsync(Services, PlannerEmail, Hotspots.Accounts.Roles.Planner));
        // Sign in once through the form; every page opened later starts with that cookie.
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, PlannerEmail);
        PlannerState = await context.StorageStateAsync();
    }

    public const string PlannerEmail = "planner@hotspots.test";

    /// <summary>The same planner's API token: the tests' own HTTP clients compare the page with the API as that person.</summary>
    public string PlannerToken { get; private set; } = "";

    /// <summary>A plain HTTP client to the Kestrel port, signed in as the planner (the browser's view, from outside).</summary>
    public HttpClient PlannerHttp()
    {
        var http = new HttpClient();
        TestUsers.Authorize(http, PlannerToken);
        return http;
    }

    /// <summary>An API answer as the planner gets it from outside, to compare a page with.</summary>
    public async Task<System.Text.Json.JsonElement> PlannerJsonAsync(string path)
    {
        using var http = PlannerHttp();
        return System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{BaseUrl}{path}")).RootElement.Clone();
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestUsers.Authorize(client, PlannerToken.Length > 0 ? PlannerToken : null);
    }

    /// <summary>The browser state (cookies) of a signed-in planner.</summary>
    public string PlannerState { get; private set; } = "";

    /// <summary>Signs in through the sign-in page as a person would, and waits until the browser has left it.</summary>
    public async Task SignInAsync(IPage page, string email, string password = TestUsers.Password)
    {
        await page.GotoAsync($"{BaseUrl}/account/signin");
        await page.FillAsync("#signin-email", email);
        await page.FillAsync("#signin-password", password);
        await page.ClickAsync("#signin-submit");
        // Not WaitForURLAsync: it can miss the load event it waits for (playwright-dotnet#3364); the assertion polls.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^(?!.*/account/signin)"), new PageAssertionsToHaveURLOptions { Timeout = 20_000 });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "3000");
        builder.UseSetting("SAMPLE_SEED", "7");
        builder.UseSetting("EMBED_ORIGINS", Host.AllowedOrigin);
    }

    public async Task<IPage> OpenAsync(string query = "", int width = 1400, int height = 900)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, StorageState = PlannerState });
        await page.GotoAsync($"{BaseUrl}/{query}");
        await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        return page;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Host.DisposeAsync();
        Playwright.Dispose();
        await DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardApp>
{
    public const string Name = "dashboard";
}
