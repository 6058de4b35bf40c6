using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Microsoft.AspNetCore.Components;
using Xunit.Abstractions;

namespace Hotspots.Tests.Architecture;

/// <summary>
/// The folder rules of docs/ARCHITECTURE.md, read from the compiled app: no loops between feature folders, shared
/// folders that know no feature, and no component that talks to the database itself.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FolderRulesTests(ITestOutputHelper output)
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> App =
        new(() => new ArchLoader().LoadAssemblies(typeof(Program).Assembly).Build());

    /// <summary>Folders every feature may use, and which use no feature.</summary>
    public static readonly string[] Shared = ["Hosting", "Database", "Http", "Text", "Calendar", "Geo", "Resources", "Components.Shared"];

    [Fact]
    public void No_loop_between_folders()
    {
        var loops = FolderGraph.Of(App.Value).Loops();
        foreach (var loop in loops)
        {
            output.WriteLine(loop);
        }
        Assert.True(loops.Count == 0, "Folders that depend on each other:\n" + string.Join('\n', loops));
    }

    [Fact]
    public void Shared_folders_use_no_feature()
    {
        var graph = FolderGraph.Of(App.Value);
        var bad = graph.Edges
            .Where(e => Shared.Contains(e.Key.From) && !Shared.Contains(e.Key.To))
            .Select(e => $"{e.Key.From} → {e.Key.To} ({e.Value})")
            .ToList();
        Assert.True(bad.Count == 0, "Shared folders reaching into features:\n" + string.Join('\n', bad));
    }

    [Fact]
    public void No_component_runs_sql()
    {
        var components = typeof(Program).Assembly.GetTypes().Where(typeof(ComponentBase).IsAssignableFrom).Select(t => t.FullName).ToHashSet();
        Assert.NotEmpty(components);
        var bad = App.Value.Types
            .Where(t => components.Contains(t.FullName))
            .SelectMany(t => t.Dependencies.Select(d => (From: t.FullName, To: d.Target.FullName)))
            .Where(d => d.To.StartsWith("Npgsql", StringComparison.Ordinal))
            .Select(d => $"{d.From} uses {d.To}")
            .Distinct()
            .ToList();
        Assert.True(bad.Count == 0, "Components that reach the database (give the query to a class of the feature):\n" + string.Join('\n', bad));
    }

    [Fact]
    public void The_sql_check_sees_sql_inside_method_bodies()
    {
        // A query class reaches Npgsql only inside its methods: the check must see that, or it could never fail.
        var queries = App.Value.Types.Single(t => t.FullName == "Hotspots.Dashboard.DashboardQueries");
        Assert.Contains(queries.Dependencies, d => d.Target.FullName == "Npgsql.NpgsqlCommand");
    }

    [Fact]
    public void The_loop_check_finds_a_loop()
    {
        // The rule itself must be able to fail: two folders that use each other are reported, with the types that do it.
        var graph = new FolderGraph();
        graph.Add("Imports", "Dashboard", "Imports.FieldMap → Dashboard.DashboardQueries");
        graph.Add("Dashboard", "Imports", "Dashboard.DashboardPage → Imports.ImportRuns");
        graph.Add("Dashboard", "Wards", "Dashboard.WardPanel → Wards.WardDirectory");
        var loops = graph.Loops();
        Assert.Equal(["Dashboard → Imports → Dashboard (Dashboard.DashboardPage → Imports.ImportRuns; Imports.FieldMap → Dashboard.DashboardQueries)"], loops);
    }
}

/// <summary>Which top-level folder of the app uses which, with one example of each use.</summary>
public sealed class FolderGraph
{
    public Dictionary<(string From, string To), string> Edges { get; } = [];

    public void Add(string from, string to, string example) => Edges.TryAdd((from, to), example);

    public static FolderGraph Of(ArchUnitNET.Domain.Architecture app)
    {
        var graph = new FolderGraph();
        foreach (var type in app.Types)
        {
            if (Folder(type.Namespace?.FullName) is not { } from)
            {
                continue;
            }
            foreach (var dependency in type.Dependencies)
            {
                if (Folder(dependency.Target?.Namespace?.FullName) is { } to && to != from)
                {
                    graph.Add(from, to, $"{type.FullName} → {dependency.Target!.FullName}");
                }
            }
        }
        return graph;
    }

    /// <summary>"Hotspots.Imports.Reading" → "Imports"; the shared widgets under Components are a folder of their own.</summary>
    public static string? Folder(string? ns)
    {
        if (ns is null || !ns.StartsWith("Hotspots.", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = ns.Split('.');
        return parts is [_, "Components", "Shared", ..] ? "Components.Shared" : parts[1];
    }

    /// <summary>Every strongly connected set of folders, written as one loop through it with the uses that make it.</summary>
    public List<string> Loops()
    {
        var next = Edges.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).OrderBy(x => x, StringComparer.Ordinal).ToList());
        var loops = new List<string>();
        foreach (var component in Tarjan(next).Where(c => c.Count > 1))
        {
            var start = component.Min(StringComparer.Ordinal)!;
            var path = ShortestLoop(start, component.ToHashSet(), next);
            var uses = path.Zip(path.Skip(1), (a, b) => Edges[(a, b)]);
            loops.Add($"{string.Join(" → ", path)} ({string.Join("; ", uses)})");
        }
        return loops.OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    private static List<string> ShortestLoop(string start, HashSet<string> within, Dictionary<string, List<string>> next)
    {
        var back = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var at = queue.Dequeue();
            foreach (var to in next.GetValueOrDefault(at, []).Where(within.Contains))
            {
                if (to == start)
                {
                    var path = new List<string> { start };
                    for (var p = at; p != start; p = back[p])
                    {
                        path.Insert(1, p);
                    }
                    path.Add(start);
                    return path;
                }
                if (back.TryAdd(to, at))
                {
                    queue.Enqueue(to);
                }
            }
        }
        return [start];
    }

    private static List<List<string>> Tarjan(Dictionary<string, List<string>> next)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v, []))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                result.Add(component);
            }
        }
        foreach (var v in next.Keys.OrderBy(x => x, StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }
        return result;
    }
}
