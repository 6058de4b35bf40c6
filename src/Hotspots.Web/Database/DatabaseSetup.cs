using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Database;

public static class DatabaseSetup
{
    /// <summary>One NpgsqlDataSource for the app: pooling, and the single place that knows the connection string.</summary>
    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HotspotsOptions>>().Value;
            var csb = new NpgsqlConnectionStringBuilder(options.Db);
            csb.ApplicationName ??= "hotspots";
            // The map API sends the same few statements all day: prepare them once per connection.
            if (csb.MaxAutoPrepare == 0)
            {
                csb.MaxAutoPrepare = 64;
            }
            if (csb.MaxPoolSize == 100)
            {
                csb.MaxPoolSize = 32;
            }
            return new NpgsqlDataSourceBuilder(csb.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build();
        });
    }
}
