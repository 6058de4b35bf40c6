using System.Net;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Ogc;

/// <summary>The service on a real Kestrel port, because GDAL's own client (a separate process) reads it there.</summary>
public sealed class OgcApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _db = "";
    public string BaseUrl { get; private set; } = "";
    public string PlannerToken { get; private set; } = "";
    public string LeadToken { get; private set; } = "";
    public const string LeadWard = "00235"; // Phường Đống Đa

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_ogc");
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        PlannerToken = await TestUsers.CreateWithTokenAsync(Services, "planner@hotspots.test", Hotspots.Accounts.Roles.Planner);
        LeadToken = await TestUsers.CreateWithTokenAsync(Services, "lead@hotspots.test", Hotspots.Accounts.Roles.WardLead, LeadWard);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DB", _db);
        builder.UseSetting("SAMPLE_COUNT", "4000");
        builder.UseSetting("SAMPLE_SEED", "21");
        builder.UseSetting("FEATURES_MAX_LIMIT", "20000");
    }

    public HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        TestUsers.Authorize(http, token);
        return http;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class OgcCollection : ICollectionFixture<OgcApp>
{
    public const string Name = "ogc";
}
