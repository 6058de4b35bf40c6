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
/// The service with a base map configured — this site's MBTiles (vector) or a raster tile server — over a fresh
/// database with no sample data, and Debian's Chromium. Screens are read back as pixels, decoded by the browser.
/// </summary>
public abstract class BasemapApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _db = "";
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public const string Email = "basemap-viewer@hotspots.test";

    protected abstract Task<(string Key, string Value)> PrepareAsync(NpgsqlDataSource postgis);

    private (string Key, string Value) _setting;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_bm");
        await using (var postgis = NpgsqlDataSource.Create(_db))
        {
            await using (var ext = postgis.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis"))
            {
                await ext.ExecuteNonQueryAsync();
            }
            _setting = await PrepareAsync(postgis);
        }
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await TestUsers.CreateAsync(Services, Email, Hotspots.Accounts.Roles.Viewer);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(Playwright);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "0");
        builder.UseSetting(_setting.Key, _setting.Value);
    }

    /// <summary>The public embed at a place, once its base map has drawn its tiles.</summary>
    public async Task<IPage> EmbedAsync(double lat, double lon, int zoom, string layers = "flooding")
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 900, Height = 700 } });
        await page.GotoAsync(FormattableString.Invariant($"{BaseUrl}/embed?lat={lat}&lon={lon}&z={zoom}&layers={layers}"));
        await page.Locator(".hs-basemap.leaflet-layer .leaflet-tile-loaded, .hs-basemap .leaflet-tile-loaded, img.hs-basemap.leaflet-tile-loaded, .leaflet-tile-pane .leaflet-tile-loaded")
            .First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.WaitForTimeoutAsync(1500); // labels are placed after the tiles, and tiles away from the centre come a little later
        return page;
    }

    /// <summary>A page signed in through the form.</summary>
    public async Task<IPage> SignedInAsync(int width, int height)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await page.GotoAsync($"{BaseUrl}/account/signin");
        await page.FillAsync("#signin-email", Email);
        await page.FillAsync("#signin-password", TestUsers.Password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^(?!.*/account/signin)"), new PageAssertionsToHaveURLOptions { Timeout = 20_000 });
        return page;
    }

    /// <summary>Signs in through the form and opens the dashboard at a place.</summary>
    public async Task<IPage> DashboardAsync(double lat, double lon, int zoom)
    {
        var page = await SignedInAsync(1400, 900);
        await page.GotoAsync(FormattableString.Invariant($"{BaseUrl}/?lat={lat}&lon={lon}&z={zoom}"));
        await page.Locator(".leaflet-tile-pane .leaflet-tile-loaded").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.WaitForTimeoutAsync(1500);
        return page;
    }

    /// <summary>The code of the ward or commune at a place.</summary>
    public async Task<string> WardOfAsync(double lat, double lon)
    {
        await using var cmd = Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT ward_of(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326))");
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await OnDisposeAsync();
        await DisposeAsync();
    }

    protected virtual Task OnDisposeAsync() => Task.CompletedTask;
}

/// <summary>A vector base map: this site serves an MBTiles file the test made.</summary>
public sealed class VectorBasemapApp : BasemapApp
{
    public string File { get; private set; } = "";

    protected override async Task<(string, string)> PrepareAsync(NpgsqlDataSource postgis)
    {
        File = await TestBasemap.WriteMbTilesAsync(postgis, Path.Combine(Path.GetTempPath(), $"hotspots-test-{Guid.NewGuid():N}.mbtiles"));
        return ("BASEMAP_FILE", File);
    }

    protected override Task OnDisposeAsync()
    {
        System.IO.File.Delete(File);
        return Task.CompletedTask;
    }
}

/// <summary>A raster base map: a local tile server whose every tile is magenta.</summary>
public sealed class RasterBasemapApp : BasemapApp
{
    public static readonly (byte R, byte G, byte B) Color = (255, 0, 255);
    public TestBasemap.RasterServer Tiles { get; private set; } = null!;

    protected override async Task<(string, string)> PrepareAsync(NpgsqlDataSource postgis)
    {
        Tiles = await TestBasemap.RasterServer.StartAsync(Color.R, Color.G, Color.B);
        return ("BASEMAP_URL", Tiles.TileUrl);
    }

    protected override async Task OnDisposeAsync() => await Tiles.DisposeAsync();
}
