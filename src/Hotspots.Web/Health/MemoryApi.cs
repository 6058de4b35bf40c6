using Hotspots.Components.Shared;
using Hotspots.Components;
using Hotspots.Hosting;
using Microsoft.Extensions.Options;

namespace Hotspots.Health;

/// <summary>
/// GET /health/memory (only with HOTSPOTS_DIAGNOSTICS=true): managed heap after a full, compacting GC, and the
/// open circuits, so the dashboard benchmark can measure memory per open tab as a slope.
/// </summary>
public static class MemoryApi
{
    public static void MapMemoryApi(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<HotspotsOptions>>().Value.Diagnostics)
        {
            return;
        }
        app.MapGet("/health/memory", (CircuitCounter circuits) =>
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            return Results.Ok(new
            {
                circuits = circuits.Open,
                managedBytes = GC.GetTotalMemory(forceFullCollection: false),
                workingSetBytes = Environment.WorkingSet,
            });
        }).AllowAnonymous(); // a diagnostics switch (HOTSPOTS_DIAGNOSTICS) for the benchmark; no data
    }
}
