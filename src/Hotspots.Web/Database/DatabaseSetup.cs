using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Database;

public static class DatabaseSetup
{
    /// <summary>One NpgsqlDataSource for the app: pooling, geometry types, and the single place that knows the connection string.</summary>
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
            return Build(csb.ConnectionString, sp.GetRequiredService<ILoggerFactory>());
        });
    }

    /// <summary>
    /// A data source as the product uses one: PostGIS geometry crosses as NetTopologySuite types (parameters,
    /// readers, binary COPY), 2D as stored. The tools and tests that open their own use this too.
    /// </summary>
    public static NpgsqlDataSource Build(string connectionString, ILoggerFactory? logging = null)
    {
        // XY only: the columns are 2D, and a file's heights (GeoJSON allows them) are not ours to keep.
        var builder = new NpgsqlDataSourceBuilder(connectionString).UseNetTopologySuite(handleOrdinates: NetTopologySuite.Geometries.Ordinates.XY);
        if (logging is not null)
        {
            builder.UseLoggerFactory(logging);
        }
        return builder.Build();
    }
}
