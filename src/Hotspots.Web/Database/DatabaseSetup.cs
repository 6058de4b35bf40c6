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
        builder.Services.AddSingleton(sp => new StandbyReads(sp.GetRequiredService<NpgsqlDataSource>()));
    }

    /// <summary>
    /// Migrates as the owner (HOTSPOTS_DB_OWNER, else HOTSPOTS_DB), puts the features' own schema in place, and — when
    /// the service runs as another role — grants that role what it needs. Every command that touches the schema
    /// starts here.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<IOptions<HotspotsOptions>>().Value;
        var runtime = services.GetRequiredService<NpgsqlDataSource>();
        var split = !string.IsNullOrWhiteSpace(options.DbOwner);
        var owner = split ? Build(options.DbOwner, services.GetRequiredService<ILoggerFactory>()) : runtime;
        try
        {
            await Migrator.MigrateAsync(owner, logger, ct);
            var steps = services.GetServices<ISchemaStep>().ToList();
            foreach (var step in steps)
            {
                await step.ApplyAsync(owner, ct);
            }
            var role = new NpgsqlConnectionStringBuilder(options.Db).Username;
            if (split && role is { Length: > 0 } && role != new NpgsqlConnectionStringBuilder(options.DbOwner).Username)
            {
                await RuntimeRole.GrantAsync(owner, role, steps.SelectMany(s => s.Schemas), ct);
            }
        }
        finally
        {
            if (split)
            {
                await owner.DisposeAsync();
            }
        }
        if (split)
        {
            // The types the migrations made (PostGIS) must be known to the service's own pool as well.
            await using var conn = await runtime.OpenConnectionAsync(ct);
            await conn.ReloadTypesAsync(ct);
        }
    }

    /// <summary>
    /// A data source as the product uses one: PostGIS geometry crosses as NetTopologySuite types (parameters,
    /// readers, binary COPY), 2D as stored. The tools and tests that open their own use this too.
    /// </summary>
    /// <para>Several hosts (<c>Host=a:5432,b:5432</c>: PostgreSQL nodes under a failover manager, docs/DEPLOY.md) give
    /// a multi-host source whose connections always reach the primary, whichever node that is now; <see cref="StandbyReads"/>
    /// takes its standby view from the same pool. (A target session in the string itself would throw with
    /// BuildMultiHost, npgsql#4782: it is chosen here.)</para>
    public static NpgsqlDataSource Build(string connectionString, ILoggerFactory? logging = null)
    {
        // XY only: the columns are 2D, and a file's heights (GeoJSON allows them) are not ours to keep.
        var builder = new NpgsqlDataSourceBuilder(connectionString).UseNetTopologySuite(handleOrdinates: NetTopologySuite.Geometries.Ordinates.XY);
        if (logging is not null)
        {
            builder.UseLoggerFactory(logging);
        }
        return IsMultiHost(connectionString) ? builder.BuildMultiHost().WithTargetSession(TargetSessionAttributes.Primary) : builder.Build();
    }

    public static bool IsMultiHost(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;
}
