using Npgsql;

namespace Hotspots.Database;

/// <summary>
/// A database that is restarting or failing over, a dropped connection, a timeout: worth another try (a job's next
/// attempt, a read's second go through <see cref="ReadRetry"/>). Npgsql itself never retries a command on another host.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception e) => e switch
    {
        NpgsqlException n when n.IsTransient => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => true, // the server shutting down or starting
        PostgresException { SqlState: "25006" } => true, // read-only transaction: a node that has just become a standby
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => true,
        TimeoutException => true,
        _ => false,
    };
}
