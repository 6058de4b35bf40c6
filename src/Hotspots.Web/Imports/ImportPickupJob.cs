using System.Security.Cryptography;
using Hotspots.Hosting;
using Hotspots.Layers;
using Microsoft.Extensions.Options;
using Hangfire;
using Hotspots.Jobs;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// The scheduled pick-up: files dropped into HOTSPOTS_IMPORT_FOLDER/{layer}/ (by a department's system or a shared
/// drive) and the files behind HOTSPOTS_IMPORT_URLS (layer=url;…) become import runs like any upload. A picked file
/// moves to {layer}/processed/ so it is taken once; a URL is imported again only when its content changed. A
/// recurring Hangfire job: with several nodes it runs once per period, and never twice at once.
/// </summary>
public sealed partial class ImportPickupJob(ImportRuns runs, IBackgroundJobClient jobs, IOptions<HotspotsOptions> options,
    NpgsqlDataSource dataSource, IHttpClientFactory http, TimeProvider time, ILogger<ImportPickupJob> logger) : IRecurring
{
    public const string Id = "import-pickup";

    /// <summary>Every HOTSPOTS_IMPORT_PICKUP_SECONDS (default 60) when a folder or URLs are configured; removed otherwise.</summary>
    public void Register(IRecurringJobManager manager)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ImportFolder) && string.IsNullOrWhiteSpace(o.ImportUrls))
        {
            manager.RemoveIfExists(Id);
            return;
        }
        manager.AddOrUpdate<ImportPickupJob>(Id, JobsSetup.TimersQueue, j => j.RunAsync(CancellationToken.None), Every(o.ImportPickupSeconds));
    }

    /// <summary>A cron expression for "every n seconds": seconds under a minute, whole minutes above.</summary>
    public static string Every(int seconds) => seconds switch
    {
        <= 0 => Cron.Minutely(),
        < 60 => $"*/{seconds} * * * * *",
        _ => $"*/{Math.Clamp(seconds / 60, 1, 59)} * * * *",
    };

    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [AutomaticRetry(Attempts = 0)] // the next period tries again
    [JobDisplayName("Lấy tệp theo lịch")]
    public async Task RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.ImportFolder))
        {
            await FolderAsync(Path.GetFullPath(o.ImportFolder), ct);
        }
        foreach (var (layer, url) in Urls(o.ImportUrls))
        {
            await UrlAsync(layer, url, ct);
        }
    }

    public static IEnumerable<(string Layer, Uri Url)> Urls(string? setting) =>
        (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2 && LayerCatalog.FindImportable(p[0]) is not null && Uri.TryCreate(p[1], UriKind.Absolute, out _))
            .Select(p => (p[0], new Uri(p[1])));

    private async Task FolderAsync(string root, CancellationToken ct)
    {
        foreach (var layer in LayerCatalog.Importable)
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
                // Only a plain file of at most the upload limit: a link could point anywhere on the server, and a
                // huge file would be read whole. Either is set aside in {layer}/refused/ and said in the log.
                var info = new FileInfo(path);
                if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint) || info.Length > MaxBytes)
                {
                    var refused = Path.Combine(dir, "refused");
                    Directory.CreateDirectory(refused);
                    File.Move(path, Path.Combine(refused, $"{time.GetUtcNow():yyyyMMddTHHmmss}-{Path.GetFileName(path)}"));
                    LogRefused(logger, Path.GetFileName(path), layer.Id, info.LinkTarget is not null ? "a link" : $"{info.Length:N0} bytes");
                    continue;
                }
                var content = await File.ReadAllBytesAsync(path, ct);
                var processed = Path.Combine(dir, "processed");
                Directory.CreateDirectory(processed);
                File.Move(path, Path.Combine(processed, $"{time.GetUtcNow():yyyyMMddTHHmmss}-{Path.GetFileName(path)}"));
                await EnqueueAsync(layer.Id, Path.GetFileName(path), content, "schedule:folder", ct);
            }
        }
    }

    private async Task UrlAsync(string layer, Uri url, CancellationToken ct)
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
        await EnqueueAsync(layer, string.IsNullOrEmpty(name) ? "download.csv" : name, content, $"schedule:{url.Host}", ct);
    }

    private async Task EnqueueAsync(string layer, string fileName, byte[] content, string by, CancellationToken ct)
    {
        await ImportJob.SubmitAsync(runs, jobs, by, null, fileName, new MemoryStream(content, writable: false), content.Length, layer, new ImportOptions(), ct);
        LogPicked(logger, fileName, layer, by);
    }

    private long MaxBytes => options.Value.ImportMaxMb * 1024L * 1024L;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {File} for {Layer}: {Why}")]
    private static partial void LogRefused(ILogger logger, string file, string layer, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Picked up {File} for {Layer} ({By})")]
    private static partial void LogPicked(ILogger logger, string file, string layer, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import URL {Url} could not be read: {Reason}")]
    private static partial void LogUrlFailed(ILogger logger, Uri url, string reason);
}
