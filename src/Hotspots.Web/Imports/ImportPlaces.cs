using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// The ward names, codes and boundaries imports place rows with. A run reads them fresh; proposals and previews,
/// which a clerk asks for again and again while choosing columns, share a copy at most a minute old.
/// </summary>
public sealed class ImportPlaces(NpgsqlDataSource dataSource, IOptions<HotspotsOptions> settings, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (WardCrosswalk Crosswalk, DateTimeOffset At)? _crosswalk;
    private (WardLocator Locator, DateTimeOffset At)? _locator;

    public Task<WardCrosswalk> FreshCrosswalkAsync(CancellationToken ct) =>
        WardCrosswalk.LoadAsync(dataSource, settings.Value.DataPath(HostingSetup.FindRepositoryRoot(), "hanoi-wards-pre2025-526.csv"), ct);

    public async Task<WardCrosswalk> CrosswalkAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_crosswalk is not { } c || time.GetUtcNow() - c.At > Keep)
            {
                _crosswalk = c = (await FreshCrosswalkAsync(ct), time.GetUtcNow());
            }
            return c.Crosswalk;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<WardLocator> LocatorAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_locator is not { } l || time.GetUtcNow() - l.At > Keep)
            {
                _locator = l = (await WardLocator.LoadAsync(dataSource, ct), time.GetUtcNow());
            }
            return l.Locator;
        }
        finally
        {
            _gate.Release();
        }
    }
}
