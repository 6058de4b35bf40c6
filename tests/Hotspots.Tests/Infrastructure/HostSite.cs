using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// Somebody else's web page: a second local server that puts whatever HTML snippet it is given on a page, as a
/// ward's or a newspaper's site would. Reached as http://127.0.0.1:port (allowed to frame the embed) or as
/// http://localhost:port (another origin, not allowed).
/// </summary>
public sealed class HostSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HostSite(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string AllowedOrigin => $"http://127.0.0.1:{Port}";
    public string OtherOrigin => $"http://localhost:{Port}";

    /// <summary>A page on the host holding the snippet (posted here first, then served at /page/{id}).</summary>
    public string Put(string snippet)
    {
        var id = Guid.NewGuid().ToString("N");
        Pages[id] = snippet;
        return $"/page/{id}";
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pages = new();

    public static async Task<HostSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/page/{id}", (string id) => Pages.TryGetValue(id, out var snippet)
            ? Results.Content($"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Trang phường</title></head><body><h1>Tin phường</h1>{snippet}</body></html>", "text/html; charset=utf-8")
            : Results.NotFound());
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new HostSite(app, port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
