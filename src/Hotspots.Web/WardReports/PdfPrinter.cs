using System.Diagnostics;
using Hotspots.Hosting;
using Microsoft.Extensions.Options;

namespace Hotspots.WardReports;

/// <summary>
/// Prints a self-contained HTML document to PDF with headless Chromium (HOTSPOTS_PDF_CHROMIUM). The document
/// is written to a temporary file and opened from disk: no network, no session, nothing but the page.
/// Two prints at a time at most; each gets its own profile directory and a time limit.
/// </summary>
public sealed partial class PdfPrinter(IOptions<HotspotsOptions> options, ILogger<PdfPrinter> logger)
{
    private static readonly SemaphoreSlim Slots = new(2, 2);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public bool Available => options.Value.PdfChromium is { Length: > 0 } path && File.Exists(path);

    /// <summary>The answer when printing is off: 501, naming the printable page a browser can print instead.</summary>
    public IResult Off(string page) => Results.Problem(title: "PDF printing is off",
        detail: $"HOTSPOTS_PDF_CHROMIUM is empty or not found; print {page} from a browser", statusCode: StatusCodes.Status501NotImplemented);

    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        if (!Available)
        {
            throw new InvalidOperationException("PDF printing is off (HOTSPOTS_PDF_CHROMIUM is empty or not found)");
        }
        var dir = Directory.CreateTempSubdirectory("hotspots-pdf-");
        await Slots.WaitAsync(ct);
        try
        {
            var page = Path.Combine(dir.FullName, "page.html");
            var pdf = Path.Combine(dir.FullName, "page.pdf");
            await File.WriteAllTextAsync(page, html, ct);
            var start = new ProcessStartInfo(options.Value.PdfChromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-extensions",
                "--no-first-run", "--user-data-dir=" + Path.Combine(dir.FullName, "profile"), "--print-to-pdf=" + pdf,
                new Uri(page).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (!File.Exists(pdf) || new FileInfo(pdf).Length == 0)
            {
                var error = await stderr;
                LogFailed(logger, process.ExitCode, error.Length > 2000 ? error[^2000..] : error);
                throw new InvalidOperationException($"Chromium made no PDF (exit code {process.ExitCode})");
            }
            return await File.ReadAllBytesAsync(pdf, ct);
        }
        finally
        {
            Slots.Release();
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may hold the profile a moment longer; the temp folder is cleaned by the system.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chromium exited with {Code} and no PDF: {Error}")]
    private static partial void LogFailed(ILogger logger, int code, string error);
}
