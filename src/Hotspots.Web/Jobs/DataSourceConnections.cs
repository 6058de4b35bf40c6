using Hangfire.PostgreSql;
using Npgsql;

namespace Hotspots.Jobs;

/// <summary>Hangfire's connections, from the jobs' own data source (JobsSetup).</summary>
internal sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
