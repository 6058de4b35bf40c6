using FsCheck;
using FsCheck.Fluent;
using Hotspots.Records;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Deadlines;

/// <summary>The escalation rule as SQL (what filters, lists and reports count) equals the rule in C#, on generated cases.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class EscalationPropertyTests(ImportsApp app)
{
    private sealed record Case(string Status, int Given, int ReportedDay, int Day, bool HasDeadline);

    [Fact]
    public async Task The_sql_rule_gives_the_csharp_rule_on_a_thousand_generated_records()
    {
        var gen = from status in Gen.Elements(HotspotStatus.All.ToArray())
                  from given in Gen.Choose(-3, 60)          // a deadline may even be before the report (a typo)
                  from reported in Gen.Choose(0, 400)
                  from later in Gen.Choose(-5, 250)
                  from hasDeadline in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
                  select new Case(status, given, reported, reported + later, hasDeadline);
        var cases = gen.Sample(1000, 1000).ToList();
        var origin = new DateOnly(2025, 1, 1);

        await using var conn = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Escalation.LevelSql("h", "h.status", "h.day")}
            FROM unnest(@status, @reported, @deadline, @day) WITH ORDINALITY AS h(status, reported_at, deadline, day, n)
            ORDER BY n
            """, conn);
        // Reported at 09:00 Hanoi time on the day; the rule reads the Hanoi day back from the instant.
        cmd.Parameters.AddWithValue("status", cases.Select(c => c.Status).ToArray());
        cmd.Parameters.AddWithValue("reported", cases.Select(c => new DateTimeOffset(origin.AddDays(c.ReportedDay).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)).ToArray());
        cmd.Parameters.AddWithValue("deadline", cases.Select(c => c.HasDeadline ? (DateOnly?)origin.AddDays(c.ReportedDay + c.Given) : null).ToArray());
        cmd.Parameters.AddWithValue("day", cases.Select(c => origin.AddDays(c.Day)).ToArray());
        var i = 0;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var c = cases[i++];
            var expected = Escalation.Of(c.Status, c.HasDeadline ? origin.AddDays(c.ReportedDay + c.Given) : null, origin.AddDays(c.ReportedDay), origin.AddDays(c.Day));
            Assert.True(expected == (r.IsDBNull(0) ? null : r.GetString(0)), $"{c}: C# says {expected ?? "none"}, SQL says {(r.IsDBNull(0) ? "none" : r.GetString(0))}");
        }
        Assert.Equal(cases.Count, i);
        Assert.Contains(cases, c => Escalation.Of(c.Status, origin.AddDays(c.ReportedDay + c.Given), origin.AddDays(c.ReportedDay), origin.AddDays(c.Day)) == Escalation.ThreeTimes);
    }
}
