using Hotspots.Imports;
using Npgsql;

namespace Hotspots.Tests.Jobs;

[Trait("Category", "Unit")]
public sealed class JobRulesTests
{
    [Theory]
    [InlineData(1, "*/1 * * * * *")]
    [InlineData(30, "*/30 * * * * *")]
    [InlineData(60, "*/1 * * * *")]
    [InlineData(300, "*/5 * * * *")]
    [InlineData(0, "* * * * *")]
    public void The_pick_up_period_becomes_a_cron_expression(int seconds, string cron) => Assert.Equal(cron, ImportPickupJob.Every(seconds));

    [Fact]
    public void Only_failures_worth_another_try_are_retried()
    {
        Assert.True(Hotspots.Database.TransientFailure.Is(new TimeoutException()));
        Assert.True(Hotspots.Database.TransientFailure.Is(new NpgsqlException("connection lost", new System.Net.Sockets.SocketException())));
        Assert.False(Hotspots.Database.TransientFailure.Is(new InvalidOperationException("a fault of the product")));
        Assert.False(Hotspots.Database.TransientFailure.Is(new FormatException()));
    }
}
