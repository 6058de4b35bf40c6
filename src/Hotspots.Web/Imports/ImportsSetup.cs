using Hotspots.Jobs;

namespace Hotspots.Imports;

/// <summary>Imports: runs and their processor, the Hangfire job of a run, and the recurring pick-up and watchdog (Jobs/).</summary>
public static class ImportsSetup
{
    public static void AddImports(this WebApplicationBuilder builder)
    {
        // A scheduled URL is fetched as configured: no redirects (a redirect could lead inside the network), no more
        // than the upload limit.
        builder.Services.AddHttpClient("imports", c => c.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient((services, c) =>
                c.MaxResponseContentBufferSize = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.HotspotsOptions>>().Value.ImportMaxMb * 1024L * 1024L);
        builder.Services.AddSingleton<ImportRuns>();
        builder.Services.AddSingleton<ImportProcessor>();
        builder.Services.AddSingleton<ImportPlaces>();
        builder.Services.AddSingleton<Mapping.SavedMappings>();
        builder.Services.AddTransient<ImportJob>();
        builder.Services.AddTransient<ImportPickupJob>();
        builder.Services.AddTransient<ImportWatchdog>();
        builder.Services.AddTransient<IRecurring, ImportPickupJob>();
        builder.Services.AddTransient<IRecurring, ImportWatchdog>();
    }

    public static void MapImports(this WebApplication app) => app.MapImportsApi();
}
