using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace Hotspots.Tests.Cluster;

/// <summary>
/// The whole topology of docs/DEPLOY.md, started by `.ci/cluster up` in a folder and on ports of its own (etcd, two
/// PostgreSQL nodes under Patroni, two app nodes, nginx) and stopped by `.ci/cluster down` — real engines, on loopback.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("hotspots-cluster-").FullName;
    public int Base { get; private set; }

    public string Nginx => $"http://127.0.0.1:{Base + 80}";

    public string App(int n) => $"http://127.0.0.1:{Base + 29 + n}";

    public int PgPort(int n) => Base + 9 + n;

    public string Token { get; private set; } = "";

    private static string Root => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    public async Task InitializeAsync()
    {
        Base = FreeBase();
        // (The postgres user must reach the folder: the temporary folder's parents are open to all.)
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the cluster runs Debian's packages");
        }
        File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var (code, output) = await RunAsync(TimeSpan.FromMinutes(15), "up");
        Assert.True(code == 0, $".ci/cluster up failed ({code}):\n{output}");
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync($"{App(1)}/api/auth/token",
            new { email = "admin@hotspots.local", password = (await File.ReadAllTextAsync(Path.Combine(Dir, "secrets/admin"))).Trim() });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await RunAsync(TimeSpan.FromMinutes(3), "down");
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // files of a server that is still stopping: the temporary folder is cleaned with the machine
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>`.ci/cluster` with these arguments, for this fixture's folder and ports; its exit code and output.</summary>
    public async Task<(int Code, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, ".ci/cluster"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        start.Environment["HOTSPOTS_CLUSTER_DIR"] = Dir;
        start.Environment["HOTSPOTS_CLUSTER_PORT"] = Base.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOTSPOTS_SAMPLE_COUNT"] = "500";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A client of one address (an app node or nginx) signed in as the cluster's admin.</summary>
    public HttpClient Client(string baseUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>Starts app node <paramref name="n"/> again and waits until it says it is ready.</summary>
    public async Task StartAppAsync(int n)
    {
        var (code, output) = await RunAsync(TimeSpan.FromMinutes(3), "start-node", $"app{n}");
        Assert.True(code == 0, output);
        var clock = Stopwatch.StartNew();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                if ((await probe.GetAsync($"{App(n)}/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        Assert.Fail($"app node {n} did not come back");
    }

    /// <summary>A client through nginx (no sign-in) whose connections come from <paramref name="address"/>
    /// (any of 127.0.0.0/8): a reader other than the test process itself, as nginx sees it.</summary>
    public HttpClient From(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(Nginx), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The PostgreSQL node <paramref name="n"/> as the superuser (its password is the cluster's).</summary>
    public NpgsqlDataSource Node(int n) => NpgsqlDataSource.Create(
        $"Host=127.0.0.1;Port={PgPort(n)};Database=hotspots;Username=postgres;Password={File.ReadAllText(Path.Combine(Dir, "secrets/postgres")).Trim()};Pooling=false;Timeout=5");

    /// <summary>Which node leads now (Patroni's REST API answers 200 on /primary only there), or null.</summary>
    public async Task<int?> LeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var n in new[] { 1, 2 })
        {
            try
            {
                using var r = await http.GetAsync($"http://127.0.0.1:{Base + 19 + n}/primary");
                if (r.IsSuccessStatusCode)
                {
                    return n;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }
        return null;
    }

    public async Task<bool> IsReplicaAsync(int n)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var r = await http.GetAsync($"http://127.0.0.1:{Base + 19 + n}/replica");
            return r.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    // A block of 100 ports with nothing listening on the ones the cluster uses.
    private static int FreeBase()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(200, 320) * 100; // below the ephemeral range (32768–): no outgoing connection takes them meanwhile
            if (new[] { 0, 1, 10, 11, 20, 21, 30, 31, 80 }.All(o => IsFree(candidate + o)))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("no free block of ports for the cluster");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
