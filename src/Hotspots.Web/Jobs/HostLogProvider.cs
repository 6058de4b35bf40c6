using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Hotspots.Jobs;

/// <summary>
/// Hangfire's log provider is one static for the whole process, set by whichever host configured Hangfire last.
/// With several hosts in one process (the tests) that host may already be gone; its disposed logger factory must
/// then cost a lost log line, not a failed job. (One host per process in production: nothing is lost there.)
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Guarded.Silent;
        }
    }

    private sealed class Guarded(ILog? inner) : ILog
    {
        public static readonly Guarded Silent = new(null);

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
