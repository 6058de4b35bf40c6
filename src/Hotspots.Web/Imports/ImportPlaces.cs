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

    public Task<WardCrosswalk> CrosswalkAsync(CancellationToken ct) => KeptAsync(() => _crosswalk, v => _crosswalk = v, FreshCrosswalkAsync, ct);

    public Task<WardLocator> LocatorAsync(CancellationToken ct) => KeptAsync(() => _locator, v => _locator = v, c => WardLocator.LoadAsync(dataSource, c), ct);

    private async Task<T> KeptAsync<T>(Func<(T Value, DateTimeOffset At)?> get, Action<(T, DateTimeOffset)> set, Func<CancellationToken, Task<T>> load,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (get() is { } kept && time.GetUtcNow() - kept.At <= Keep)
            {
                return kept.Value;
            }
            var value = await load(ct);
            set((value, time.GetUtcNow()));
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
