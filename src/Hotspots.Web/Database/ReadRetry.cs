namespace Hotspots.Database;

/// <summary>
/// A GET or HEAD that met a transient database failure before anything was sent (a primary failing over, a standby
/// restarting) is run once more: it changes nothing, and the multi-host pool has meanwhile marked the failed node
/// down, so the second go reaches one that answers. Writes are never repeated here (their callers decide).
/// </summary>
public static partial class ReadRetry
{
    public static void UseReadRetry(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hotspots.Database.ReadRetry");
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception e) when (TransientFailure.Is(e) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                LogRetry(logger, context.Request.Path, e.Message);
                context.Response.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted);
                await next(context);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET {Path} met a transient database failure ({Reason}); running it once more")]
    private static partial void LogRetry(ILogger logger, string path, string reason);
}
