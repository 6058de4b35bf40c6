using Hotspots.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Hotspots.Tests.Snapshots;

/// <summary>Hardening (issue 15, item 18): the response cache was keyed by the raw query string.</summary>
[Trait("Category", "Unit")]
public sealed class ResponseCacheKeyTests
{
    private static string Key(string pathAndQuery, long version = 7)
    {
        var http = new DefaultHttpContext();
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        http.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
        return ResponseCache.Key(http.Request, version);
    }

    [Fact]
    public void An_added_parameter_or_another_order_finds_the_same_entry_and_what_shapes_the_answer_does_not()
    {
        var plain = Key("/api/public/features/flooding?status=open&ward=00004");
        Assert.Equal(plain, Key("/api/public/features/flooding?ward=00004&status=open"));
        Assert.Equal(plain, Key("/api/public/features/flooding?status=open&ward=00004&nocache=12345"));
        Assert.Equal(plain, Key("/api/public/features/flooding?_=1&status=open&ward=00004&x=y"));
        Assert.NotEqual(plain, Key("/api/public/features/flooding?status=all&ward=00004"));
        Assert.NotEqual(plain, Key("/api/public/features/flooding?status=open&ward=00004&limit=5"));
        Assert.NotEqual(plain, Key("/api/public/features/flooding?status=open&ward=00004", version: 8));
        Assert.NotEqual(plain, Key("/api/public/features/congestion?status=open&ward=00004"));
    }

    [Fact]
    public void Every_parameter_the_map_filter_reads_is_part_of_the_key()
    {
        // If the filter learns a parameter, the key must too, or two different answers would share an entry.
        foreach (var name in new[] { "bbox", "ward", "status", "severity", "subtype", "from", "to", "sample", "ids", "at", "overdue", "level", "limit", "details" })
        {
            Assert.Contains(name, ResponseCache.AnswerParameters);
            Assert.NotEqual(Key("/tiles/flooding/12/1/2.mvt"), Key($"/tiles/flooding/12/1/2.mvt?{name}=1"));
        }
    }
}
