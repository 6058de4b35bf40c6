using Hotspots.Jobs;

namespace Hotspots.Tests.Jobs;

/// <summary>
/// Idle job workers poll the queue through the jobs' own pool. Hangfire.PostgreSql's long polling opens its LISTEN
/// connection from a copy of a pooled connection's connection string, which a data source hands out without the
/// password: every idle worker then failed a sign-in to every host once a second (seen on the cluster as a fork of a
/// PostgreSQL backend eight times a second per node, a fifth of the CPU under load), and never listened.
/// </summary>
[Trait("Category", "Unit")]
public sealed class JobPollingTests
{
    [Fact]
    public void Workers_poll_each_second_without_a_listening_copy_of_the_connection_string()
    {
        var options = JobsSetup.StorageOptions();
        Assert.False(options.EnableLongPolling);
        Assert.True(options.QueuePollInterval <= TimeSpan.FromSeconds(1), $"polls every {options.QueuePollInterval}");
    }
}
