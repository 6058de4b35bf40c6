using System.Net;
using System.Net.Http.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hotspots.Tests.Deployment;

/// <summary>
/// Issue 15, item 10: behind a TLS proxy. X-Forwarded-For is believed only from HOTSPOTS_TRUSTED_PROXIES, so the
/// sign-in log, the lockout and the rate limits see the real client and nobody else can claim an address; an https
/// public address makes cookies Secure and answers over https carry HSTS.
/// </summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class ProxyTests(PeopleApp app)
{
    /// <summary>Sets the connection's address from X-Test-Peer before anything else runs: the machine that connects.</summary>
    private sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers["X-Test-Peer"].ToString(), out var peer))
                {
                    context.Connection.RemoteIpAddress = peer;
                }
                return nextMiddleware(context);
            });
            next(builder);
        };
    }

    private WebApplicationFactory<Program> Node(string trustedProxies, string publicUrl = "") => app.WithWebHostBuilder(b => b
        .UseSetting("LOAD_ON_START", "false")
        .UseSetting("TRUSTED_PROXIES", trustedProxies)
        .UseSetting("PUBLIC_URL", publicUrl)
        .UseSetting("PUBLIC_RATE_PER_SECOND", "1")
        .UseSetting("PUBLIC_RATE_BURST", "2")
        .ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerFilter>()));

    private static HttpRequestMessage From(HttpMethod method, string path, string peer, string? forwardedFor = null, string? proto = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }
        return request;
    }

    private async Task<string> LoggedAddressAsync(WebApplicationFactory<Program> node, string peer, string? forwardedFor)
    {
        var email = $"proxy-{Guid.NewGuid():N}@hotspots.test";
        using var client = node.CreateClient();
        using var request = From(HttpMethod.Post, "/api/auth/token", peer, forwardedFor);
        request.Content = JsonContent.Create(new { email, password = "Sai-mật-khẩu-123" });
        using var answer = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        await using var cmd = app.DataSource.CreateCommand("SELECT address FROM sign_in_log WHERE email = @email");
        cmd.Parameters.AddWithValue("email", email);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Forwarded_addresses_are_believed_only_from_the_configured_proxies()
    {
        await using (var direct = Node(""))
        {
            // Nobody configured: a client claiming another address is logged as itself.
            Assert.Equal("10.0.0.5", await LoggedAddressAsync(direct, "10.0.0.5", "198.51.100.7"));
        }
        await using var proxied = Node("10.0.0.0/24, 192.0.2.10");
        Assert.Equal("198.51.100.7", await LoggedAddressAsync(proxied, "10.0.0.5", "198.51.100.7"));
        // A chain of our proxies is walked back to the first address that is not one; what the client wrote before is not believed.
        Assert.Equal("203.0.113.50", await LoggedAddressAsync(proxied, "10.0.0.5", "198.51.100.99, 203.0.113.50, 192.0.2.10"));
        // A machine that is not a proxy cannot claim an address.
        Assert.Equal("192.0.2.1", await LoggedAddressAsync(proxied, "192.0.2.1", "198.51.100.7"));
    }

    [Fact]
    public async Task The_public_rate_limit_counts_each_real_client_behind_the_proxy()
    {
        // One reader asks six times (two at once are allowed, one more a second), then another reader once.
        async Task<(HttpStatusCode[] First, HttpStatusCode Other)> SixThenOtherAsync(WebApplicationFactory<Program> node)
        {
            using var client = node.CreateClient();
            using (var warm = await client.SendAsync(From(HttpMethod.Get, "/health", "10.0.0.5")))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }
            var codes = new List<HttpStatusCode>();
            foreach (var forwardedFor in Enumerable.Repeat("198.51.100.1", 6).Append("198.51.100.2"))
            {
                using var request = From(HttpMethod.Get, "/api/public/stats/wards", "10.0.0.5", forwardedFor);
                using var answer = await client.SendAsync(request);
                codes.Add(answer.StatusCode);
            }
            return ([.. codes.Take(6)], codes[6]);
        }
        await using (var proxied = Node("10.0.0.5"))
        {
            var (first, other) = await SixThenOtherAsync(proxied);
            Assert.Contains(HttpStatusCode.TooManyRequests, first);
            Assert.Equal(HttpStatusCode.OK, other);
        }
        // Without the setting every reader is the proxy, and one heavy reader stops them all.
        await using var direct = Node("");
        var (_, stopped) = await SixThenOtherAsync(direct);
        Assert.Equal(HttpStatusCode.TooManyRequests, stopped);
    }

    [Fact]
    public async Task An_https_public_address_makes_cookies_secure_and_https_answers_carry_hsts()
    {
        await using var node = Node("10.0.0.5", "https://hotspots.hanoi.example");
        using var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The proxy says the reader came by https: the form's cookie is Secure and the answer carries HSTS.
        using (var page = await client.SendAsync(From(HttpMethod.Get, "/account/signin", "10.0.0.5", "198.51.100.7", "https")))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var cookies = page.Headers.GetValues("Set-Cookie").ToList();
            Assert.NotEmpty(cookies);
            Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
            Assert.Equal("max-age=31536000", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        }
        // A plain-http request (a health check inside the network) gets no HSTS, which browsers would ignore anyway.
        using (var health = await client.SendAsync(From(HttpMethod.Get, "/health", "10.0.0.5")))
        {
            Assert.False(health.Headers.Contains("Strict-Transport-Security"));
        }
        // The sign-in cookie is Secure even when the proxy speaks plain http to us.
        var signIn = node.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        Assert.Equal(CookieSecurePolicy.Always, signIn.Cookie.SecurePolicy);

        // A site whose public address is plain http (a local run) keeps cookies usable over http.
        await using var local = Node("", "http://127.0.0.1:5080");
        using var localClient = local.CreateClient();
        using var localPage = await localClient.SendAsync(From(HttpMethod.Get, "/account/signin", "127.0.0.1", null, "https"));
        Assert.All(localPage.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.False(localPage.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void A_proxy_setting_that_is_not_an_address_stops_the_start_naming_it()
    {
        var e = Assert.ThrowsAny<Exception>(() => Hotspots.Hosting.Proxies.Parse("10.0.0.5, proxy.local"));
        Assert.Contains("proxy.local", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Hotspots.Hosting.Proxies.Parse("10.0.0.5; 2001:db8::/32").Count);
    }
}
