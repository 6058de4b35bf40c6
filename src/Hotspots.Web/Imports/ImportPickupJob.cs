using System.Security.Cryptography;
using Hotspots.Hosting;
using Hotspots.Layers;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Hotspots.Imports;

/// <summary>
/// The scheduled pick-up: files dropped into HOTSPOTS_IMPORT_FOLDER/{layer}/ (by a department's system or a shared
/// drive) and the files behind HOTSPOTS_IMPORT_URLS (layer=url;…) become import runs like any upload. A picked file
/// moves to {layer}/processed/ so it is taken once; a URL is imported again only when its content changed. The
/// cluster fires this trigger on one node at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ImportPickupJob(ImportRuns runs, IOptions<HotspotsOptions> options,
    NpgsqlDataSource dataSource, IHttpClientFactory http, TimeProvider time, ILogger<ImportPickupJob> logger) : IJob
{
    public static readonly JobKey Key = new("pickup", ImportJob.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var o = options.Value;
        var scheduler = context.Scheduler;
        if (!string.IsNullOrWhiteSpace(o.ImportFolder))
        {
            await FolderAsync(scheduler, Path.GetFullPath(o.ImportFolder), ct);
        }
        foreach (var (layer, url) in Urls(o.ImportUrls))
        {
            await UrlAsync(scheduler, layer, url, ct);
        }
    }

    public static IEnumerable<(string Layer, Uri Url)> Urls(string? setting) =>
        (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2 && LayerCatalog.Find(p[0]) is { Category: not null } && Uri.TryCreate(p[1], UriKind.Absolute, out _))
            .Select(p => (p[0], new Uri(p[1])));

    private async Task FolderAsync(IScheduler scheduler, string root, CancellationToken ct)
    {
        foreach (var layer in LayerCatalog.All.Where(l => l.Category is not null))
        {
            var dir = Path.Combine(root, layer.Id);
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var path in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                // A file still being copied in is left for the next round.
                if (time.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(2))
                {
                    continue;
                }
                var content = await File.ReadAllBytesAsync(path, ct);
                var processed = Path.Combine(dir, "processed");
                Directory.CreateDirectory(processed);
                File.Move(path, Path.Combine(processed, $"{time.GetUtcNow():yyyyMMddTHHmmss}-{Path.GetFileName(path)}"));
                await EnqueueAsync(scheduler, layer.Id, Path.GetFileName(path), content, "schedule:folder", ct);
            }
        }
    }

    private async Task UrlAsync(IScheduler scheduler, string layer, Uri url, CancellationToken ct)
    {
        byte[] content;
        try
        {
            content = await http.CreateClient("imports").GetByteArrayAsync(url, ct);
        }
        catch (HttpRequestException e)
        {
            LogUrlFailed(logger, url, e.Message);
            return;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var cmd = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM import_runs WHERE layer = @layer AND content_hash = @hash AND created_by = @by AND status IN ('queued', 'running', 'succeeded'))
            """);
        cmd.Parameters.AddWithValue("layer", layer);
        cmd.Parameters.AddWithValue("hash", hash);
        cmd.Parameters.AddWithValue("by", $"schedule:{url.Host}");
        if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
        {
            return; // unchanged since it was last imported
        }
        var name = Path.GetFileName(url.AbsolutePath);
        await EnqueueAsync(scheduler, layer, string.IsNullOrEmpty(name) ? "download.csv" : name, content, $"schedule:{url.Host}", ct);
    }

    private async Task EnqueueAsync(IScheduler scheduler, string layer, string fileName, byte[] content, string by, CancellationToken ct)
    {
        await ImportJob.SubmitAsync(runs, scheduler, by, null, fileName, new MemoryStream(content, writable: false), content.Length, layer, new ImportOptions(), ct);
        LogPicked(logger, fileName, layer, by);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Picked up {File} for {Layer} ({By})")]
    private static partial void LogPicked(ILogger logger, string file, string layer, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import URL {Url} could not be read: {Reason}")]
    private static partial void LogUrlFailed(ILogger logger, Uri url, string reason);
}
