using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.ResponseCompression;

namespace Hotspots.Hosting;

public static class HostingSetup
{
    /// <summary>The repository root is the content root: wwwroot/ and gis-data/ live there.</summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var root = FindRepositoryRoot();
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = root,
            WebRootPath = Path.Combine(root, "wwwroot"),
        };
    }

    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Hotspots.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Options, the HTTP API's conventions and the clock: what every feature relies on.</summary>
    public static void AddHosting(this WebApplicationBuilder builder)
    {
        builder.AddHotspotsOptions();
        builder.AddHttpApi();
        builder.AddProxies();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false); // "Server: Kestrel" tells an attacker what to try
        builder.Services.AddSingleton(TimeProvider.System);
    }

    public static void AddHotspotsOptions(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables("HOTSPOTS_");
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<HotspotsOptions>()
            .Bind(builder.Configuration)
            .ValidateDataAnnotations()
            .Validate(o => o.FeaturesDefaultLimit <= o.FeaturesMaxLimit, "FEATURES_DEFAULT_LIMIT must not exceed FEATURES_MAX_LIMIT")
            .ValidateOnStart();
        var urls = builder.Configuration["URLS"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    public static void AddHttpApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(
                ["application/geo+json", "application/problem+json", "application/vnd.mapbox-vector-tile"]);
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
    }

    public static void UseHttpApi(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseControlCharacterGuard();
        // Files are looked for on disk only where files live: the map API's paths (most requests) skip the lookup.
        app.UseWhen(c => !Paths.IsData(c.Request.Path) && !c.Request.Path.StartsWithSegments("/_blazor"), files =>
        {
            files.UseDefaultFiles();
            files.UseStaticFiles();
        });
    }
}
