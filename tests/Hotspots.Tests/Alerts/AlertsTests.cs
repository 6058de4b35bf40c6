using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Alerts;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Alerts;

/// <summary>
/// Alerts end to end: the daily digest from two nodes reaches each person once over real SMTP, in Vietnamese, with
/// their records only and no one's personal data; the unsubscribe link works; a webhook is signed and retried.
/// </summary>
[Collection(AlertsCollection.Name)]
[Trait("Category", "Database")]
public sealed class AlertsTests(AlertsApp app)
{
    private const string BaDinh = "00004", Other = "00008";
    // The digest of 20 November 2026 covers 07:00 on the 19th to 07:00 on the 20th, Hanoi time (00:00 to 00:00 UTC).
    private static readonly DateOnly Day = new(2026, 11, 20);

    private async Task<long> RecordAsync(string ward, string title, string created, string? deadline = null, string reported = "2026-11-10T03:00:00Z") =>
        await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, created_at, deadline, geom, source, external_id)
            SELECT 'urban_order', @title, 4, 'verified', @reported::timestamptz, @created::timestamptz, @deadline::date, ST_PointOnSurface(geom), 'test:alerts',
                   gen_random_uuid()::text
            FROM current_wards WHERE code = @ward
            RETURNING id
            """, ("ward", ward), ("title", title), ("created", created), ("reported", reported), ("deadline", (object?)deadline ?? DBNull.Value));

    [Fact]
    public async Task The_daily_digest_from_two_nodes_reaches_each_person_once_with_their_records_and_no_personal_data()
    {
        var lead = await TestUsers.CreateAsync(app.One.Services, "lead-alerts@hotspots.test", Roles.WardLead, BaDinh);
        var fresh = await RecordAsync(BaDinh, "Lấn chiếm vỉa hè ngõ 12 Đội Cấn", "2026-11-19T10:00:00Z");
        var late = await RecordAsync(BaDinh, "Biển quảng cáo sai phép phố Kim Mã", "2026-11-01T10:00:00Z", deadline: "2026-11-19"); // overdue from the 20th
        await RecordAsync(BaDinh, "Điểm cũ không đổi gì", "2026-11-01T10:00:00Z");
        await RecordAsync(Other, "Điểm ở phường khác", "2026-11-19T11:00:00Z");
        await app.ScalarAsync<long>("""
            INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note)
            VALUES (@id, '2026-11-19T12:00:00Z', 'lead-alerts@hotspots.test', 'reported', 'verified', 'Ông Nguyễn Văn Bảo (0912345678) báo lại')
            RETURNING id
            """, ("id", fresh));
        app.Smtp.ClearReceivedEmail();

        var rounds = await Task.WhenAll(
            app.One.Services.GetRequiredService<AlertRounds>().DigestAsync(Day, CancellationToken.None),
            app.Two.Services.GetRequiredService<AlertRounds>().DigestAsync(Day, CancellationToken.None));
        await app.One.Services.GetRequiredService<AlertRounds>().DigestAsync(Day, CancellationToken.None); // and once more, later

        var mails = app.Smtp.ReceivedEmail.Where(m => m.ToAddresses.Any(a => a.ToString() == "lead-alerts@hotspots.test")).ToList();
        var mail = Assert.Single(mails);
        Assert.Equal(app.Smtp.ReceivedEmailCount, rounds.Sum()); // what the two nodes claimed between them went out once each
        var subject = mail.Subject;
        var body = mail.MessageParts[0].BodyData;
        Assert.StartsWith("[Hotspots] Bản tin ngày 20/11/2026", subject);
        Assert.Contains("Lấn chiếm vỉa hè ngõ 12 Đội Cấn", body);
        Assert.Contains($"https://hotspots.example.vn/?h={fresh}&", body);
        Assert.Contains("Mới tiếp nhận → Đã xác minh", body);
        Assert.Contains("Biển quảng cáo sai phép phố Kim Mã — Phường Ba Đình: Quá hạn, hạn 19/11/2026", body);
        Assert.Contains($"?h={late}&", body);
        Assert.DoesNotContain("Điểm ở phường khác", body);
        Assert.DoesNotContain("Điểm cũ không đổi gì", body);
        Assert.DoesNotContain("Nguyễn Văn Bảo", body);
        Assert.DoesNotContain("0912345678", body);
        var unsubscribe = body.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Thôi nhận thông báo: ", StringComparison.Ordinal))["Thôi nhận thông báo: ".Length..];
        Assert.StartsWith("https://hotspots.example.vn/alerts/unsubscribe/", unsubscribe);

        // The link asks first (a GET changes nothing), then stops the next day's digest.
        using var anyone = app.One.CreateClient();
        var path = new Uri(unsubscribe).AbsolutePath;
        Assert.Contains("Thôi nhận thông báo", await anyone.GetStringAsync(path));
        Assert.True(await app.ScalarAsync<bool>("SELECT active FROM alert_subscriptions WHERE user_id = @id", ("id", lead)));
        Assert.Equal(HttpStatusCode.OK, (await anyone.PostAsync(path, null)).StatusCode);
        await RecordAsync(BaDinh, "Điểm mới hôm sau", "2026-11-20T10:00:00Z");
        await app.One.Services.GetRequiredService<AlertRounds>().DigestAsync(Day.AddDays(1), CancellationToken.None);
        Assert.Single(app.Smtp.ReceivedEmail, m => m.ToAddresses.Any(a => a.ToString() == "lead-alerts@hotspots.test"));
    }

    [Fact]
    public async Task A_person_chooses_instant_alerts_to_a_webhook_which_are_signed_and_retried_until_taken()
    {
        var received = new List<(string Body, string Signature)>();
        var answers = new Queue<int>([500, 200]);
        var receiver = WebApplication.CreateBuilder();
        receiver.WebHost.UseUrls("http://127.0.0.1:0");
        await using var hook = receiver.Build();
        hook.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            lock (received)
            {
                received.Add((reader.ReadToEndAsync().GetAwaiter().GetResult(), http.Request.Headers[AlertDelivery.SignatureHeader].ToString()));
            }
            return Results.StatusCode(answers.TryDequeue(out var code) ? code : 200);
        });
        await hook.StartAsync();
        var url = hook.Urls.First() + "/hook";

        var planner = app.One.CreateClient();
        TestUsers.Authorize(planner, await TestUsers.CreateWithTokenAsync(app.One.Services, "planner-alerts@hotspots.test", Roles.Planner));
        var saved = await (await planner.PutAsJsonAsync("/api/alerts", new
        {
            wards = new[] { Other }, layers = new[] { "urban-order" }, events = new[] { "new" }, cadence = "instant", channel = "webhook", webhookUrl = url,
        })).Content.ReadFromJsonAsync<JsonElement>();
        var secret = saved.GetProperty("webhookSecret").GetString()!;
        Assert.Equal(64, secret.Length);

        await app.ScalarAsync<int>("UPDATE alert_state SET last_until = now() - interval '1 minute' RETURNING 1");
        var id = await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, created_at, geom, source, external_id)
            SELECT 'urban_order', 'Đỗ xe chắn lối thoát hiểm', 3, 'reported', now(), now() - interval '10 seconds', ST_PointOnSurface(geom), 'test:alerts',
                   gen_random_uuid()::text
            FROM current_wards WHERE code = @ward
            RETURNING id
            """, ("ward", Other));
        await app.One.Services.GetRequiredService<AlertRounds>().InstantAsync(CancellationToken.None);
        Assert.True(await Until(() => received.Count >= 1), "the webhook was not called");
        Assert.Equal("pending", await app.ScalarAsync<string>("""
            SELECT status FROM alert_deliveries d JOIN users u ON u.id = d.user_id WHERE u.email = 'planner-alerts@hotspots.test'
            """));

        // Its next try is due (after a minute; brought forward here): any node sends it again.
        await app.ScalarAsync<int>("UPDATE alert_deliveries SET next_attempt_at = now() WHERE status = 'pending' RETURNING 1");
        await app.Two.Services.GetRequiredService<AlertDelivery>().RetryAsync(CancellationToken.None);

        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].Body, received[1].Body);
        foreach (var (body, signature) in received)
        {
            Assert.Equal(AlertDelivery.Sign(secret, body), signature);
        }
        var json = JsonDocument.Parse(received[0].Body).RootElement;
        var record = Assert.Single(json.GetProperty("records").EnumerateArray());
        Assert.Equal(id, record.GetProperty("id").GetInt64());
        Assert.Equal("new", record.GetProperty("event").GetString());
        Assert.Equal("Đỗ xe chắn lối thoát hiểm", record.GetProperty("title").GetString());
        Assert.StartsWith("https://hotspots.example.vn/alerts/unsubscribe/", json.GetProperty("unsubscribe").GetString());
        Assert.Equal("sent", await app.ScalarAsync<string>("""
            SELECT status FROM alert_deliveries d JOIN users u ON u.id = d.user_id WHERE u.email = 'planner-alerts@hotspots.test'
            """));
        Assert.NotEqual(AlertDelivery.Sign("another secret", received[0].Body), received[0].Signature);
    }

    [Fact]
    public async Task A_ward_lead_may_follow_only_their_own_wards_and_without_a_choice_gets_them_daily_by_email()
    {
        var lead = app.One.CreateClient();
        TestUsers.Authorize(lead, await TestUsers.CreateWithTokenAsync(app.One.Services, "lead2-alerts@hotspots.test", Roles.WardLead, BaDinh));
        var mine = await lead.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.True(mine.GetProperty("isDefault").GetBoolean());
        Assert.Equal("daily", mine.GetProperty("cadence").GetString());

        var refused = await lead.PutAsJsonAsync("/api/alerts", new { wards = new[] { Other }, cadence = "daily", channel = "email" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var wrongHook = await lead.PutAsJsonAsync("/api/alerts", new { wards = new[] { BaDinh }, channel = "webhook", webhookUrl = "ftp://x" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongHook.StatusCode);
        var ok = await lead.PutAsJsonAsync("/api/alerts", new { wards = new[] { BaDinh }, events = new[] { "level" }, cadence = "instant", channel = "email" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("instant", (await lead.GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("cadence").GetString());
    }

    private static async Task<bool> Until(Func<bool> done)
    {
        for (var i = 0; i < 100 && !done(); i++)
        {
            await Task.Delay(100);
        }
        return done();
    }

    [Fact]
    public async Task An_area_drawn_on_the_map_limits_the_digest_to_the_records_inside_it()
    {
        var planner = app.One.CreateClient();
        TestUsers.Authorize(planner, await TestUsers.CreateWithTokenAsync(app.One.Services, "area-alerts@hotspots.test", Roles.Planner));
        var x = await app.ScalarAsync<double>($"SELECT ST_X(ST_PointOnSurface(geom)) FROM current_wards WHERE code = '{Other}'");
        var y = await app.ScalarAsync<double>($"SELECT ST_Y(ST_PointOnSurface(geom)) FROM current_wards WHERE code = '{Other}'");
        var d = 0.002;
        var area = new { type = "Polygon", coordinates = new[] { new[] { new[] { x - d, y - d }, new[] { x + d, y - d }, new[] { x + d, y + d }, new[] { x - d, y + d }, new[] { x - d, y - d } } } };
        Assert.Equal(HttpStatusCode.OK, (await planner.PutAsJsonAsync("/api/alerts", new { area, events = new[] { "new" }, cadence = "daily", channel = "email" })).StatusCode);
        await RecordAsync(Other, "Trong vùng đã vẽ", "2026-11-24T10:00:00Z");
        await RecordAsync(BaDinh, "Ngoài vùng đã vẽ", "2026-11-24T10:00:00Z");

        await app.One.Services.GetRequiredService<AlertRounds>().DigestAsync(new DateOnly(2026, 11, 25), CancellationToken.None);

        var mail = Assert.Single(app.Smtp.ReceivedEmail, m => m.ToAddresses.Any(a => a.ToString() == "area-alerts@hotspots.test"));
        var body = mail.MessageParts[0].BodyData;
        Assert.Contains("Trong vùng đã vẽ", body);
        Assert.DoesNotContain("Ngoài vùng đã vẽ", body);
        Assert.StartsWith("[Hotspots] Bản tin ngày 25/11/2026: 1 điểm mới", mail.Subject);
    }
}
