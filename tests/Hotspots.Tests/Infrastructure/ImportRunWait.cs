using System.Text.Json;

namespace Hotspots.Tests.Infrastructure;

/// <summary>Polls an import run through any client (a test host's, an app node's, nginx's) until it has ended.</summary>
public static class ImportRunWait
{
    public static async Task<JsonElement> UntilEndedAsync(HttpClient client, string id, TimeSpan within, TimeSpan? every = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var run = await client.JsonAsync($"/api/imports/{id}");
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return run;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"import {id} did not end in {within.TotalSeconds:0} s");
    }
}
