using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Hotspots.Hosting;

/// <summary>
/// Running behind a TLS proxy: X-Forwarded-For and -Proto are believed only from HOTSPOTS_TRUSTED_PROXIES (so the
/// rate limits, the lockout and the sign-in log see the real client, and nobody else can claim an address), and an
/// https public address adds HSTS to https answers. The sign-in cookie is then Secure whatever scheme the proxy
/// speaks to us (Accounts); the form's antiforgery cookie follows the request's scheme, which the proxy gives in
/// X-Forwarded-Proto (antiforgery refuses to run over http with an always-Secure cookie).
/// </summary>
public static class Proxies
{
    /// <summary>The configured proxies as networks (an address is a network of one); throws naming a bad entry.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Parse(string setting)
    {
        var list = new List<System.Net.IPNetwork>();
        foreach (var entry in setting.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                list.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                list.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new OptionsValidationException("TRUSTED_PROXIES", typeof(HotspotsOptions),
                    [$"HOTSPOTS_TRUSTED_PROXIES: \"{entry}\" is neither an address nor a network (10.0.0.5 or 10.0.1.0/24)"]);
            }
        }
        return list;
    }

    public static void AddProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HotspotsOptions>>((o, settings) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear(); // not even loopback unless configured: a local process is not a proxy by default
            o.KnownProxies.Clear();
            foreach (var network in Parse(settings.Value.TrustedProxies))
            {
                o.KnownIPNetworks.Add(network);
            }
            o.ForwardLimit = null; // a chain of configured proxies is walked back to the first address not among them
        });
        // Antiforgery's cookie is never Secure by default; follow the (forwarded) scheme instead.
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }

    public static void UseProxies(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        var https = settings.PublicUrlIsHttps;
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders(); // with no proxies known it would believe everyone, so only when some are
        }
        if (settings.NodeName.Trim() is { Length: > 0 } node)
        {
            app.Use((context, next) =>
            {
                context.Response.Headers["X-Served-By"] = node;
                return next();
            });
        }
        if (https)
        {
            // A year; browsers heed it only over https, so a plain-http request (a health check) does not need it.
            app.Use((context, next) =>
            {
                if (context.Request.IsHttps)
                {
                    context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
                }
                return next();
            });
        }
    }
}
