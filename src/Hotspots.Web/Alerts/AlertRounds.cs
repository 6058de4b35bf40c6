using Hangfire;
using Hotspots.Calendar;
using Hotspots.Database;
using Hotspots.Hosting;
using Hotspots.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hotspots.Alerts;

/// <summary>
/// The background jobs that build and send alerts: the daily digest at <see cref="HotspotsOptions.AlertDigestHour"/>
/// Hanoi time (what happened in the 24 hours before), and every minute the instant alerts (what happened since the last
/// round) and the retries. Hangfire runs each occurrence on one node; the message keys make it once per person and
/// period even if two rounds ran (AlertDelivery).
/// </summary>
public sealed partial class AlertRounds(NpgsqlDataSource dataSource, AlertDelivery delivery, IOptions<HotspotsOptions> options, TimeProvider time,
    Microsoft.Extensions.Localization.IStringLocalizer<Resources.Strings> words, ILogger<AlertRounds> logger) : IRecurring
{
    public const string DigestId = "alerts-digest", InstantId = "alerts-instant";

    // A round stops a little before now: a transaction still open now may commit rows timed before it.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public void Register(IRecurringJobManager manager)
    {
        manager.AddOrUpdate<AlertRounds>(DigestId, JobsSetup.TimersQueue, r => r.DigestAsync(null, CancellationToken.None),
            Cron.Daily(options.Value.AlertDigestHour), new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh") });
        manager.AddOrUpdate<AlertRounds>(InstantId, JobsSetup.TimersQueue, r => r.InstantAsync(CancellationToken.None), Cron.Minutely());
    }

    /// <summary>The digest of a Hanoi day (today when null): the 24 hours up to its digest hour. Answers how many were sent.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Gửi bản tin thông báo hằng ngày")]
    public async Task<int> DigestAsync(DateOnly? day, CancellationToken ct)
    {
        var until = HanoiTime.StartOf(day ?? HanoiTime.Today(time)).AddHours(options.Value.AlertDigestHour);
        var since = until.AddDays(-1);
        return await RoundAsync(AlertSubscription.Daily, since, until, HanoiTime.DateOf(until), $"daily:{HanoiTime.IsoDay(until)}", null, ct);
    }

    /// <summary>What happened since the last round, to those who want it at once; then the retries of earlier messages.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Gửi thông báo ngay")]
    public async Task<int> InstantAsync(CancellationToken ct)
    {
        var sent = await RoundAsync(AlertSubscription.Instant, default, time.GetUtcNow() - Settle, null, null, "instant", ct);
        await delivery.RetryAsync(ct);
        return sent;
    }

    // One round: under the round's lock, what changed is collected once, each person's share built and claimed, the
    // watermark moved (instant rounds) — one transaction; then the claimed messages are sent.
    private async Task<int> RoundAsync(string cadence, DateTimeOffset since, DateTimeOffset until, DateOnly? levelDay, string? period, string? watermark,
        CancellationToken ct)
    {
        // Messages are in Vietnamese, in the product's own words (this job's flow only).
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("vi");
        var claimed = new List<(AlertDelivery.Recipient To, string Period, AlertMessage Message)>();
        var site = Site();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await conn.ExecAsync("SELECT pg_advisory_xact_lock(hashtext('alerts:' || @cadence))", tx, ct, ("cadence", cadence));
            if (watermark is not null)
            {
                since = (DateTime)(await conn.ScalarAsync("SELECT last_until FROM alert_state", tx, ct))!;
                if (until <= since)
                {
                    return 0;
                }
                levelDay = AlertEvents.LevelDay(since, until);
                period = $"instant:{until.UtcDateTime:yyyyMMddTHHmmss.fffZ}";
            }
            if (cadence == AlertSubscription.Daily)
            {
                await AlertSubscriptions.DefaultsAsync(conn, tx, ct); // the ward leads' default is a daily digest
            }
            var people = await PeopleAsync(conn, tx, cadence, ct);
            if (people.Count > 0)
            {
                await AlertEvents.CollectAsync(conn, tx, since, until, levelDay, ct);
                foreach (var p in people)
                {
                    var (listed, counts) = await AlertEvents.ForAsync(conn, tx, p.Subscription, p.Role, p.Wards, since, until, levelDay, ct);
                    var to = new AlertDelivery.Recipient(p.UserId, p.Email, p.Subscription.Channel, p.Subscription.WebhookUrl, p.Subscription.WebhookSecret);
                    if (AlertMessage.Build(p.Name, cadence, since, until, listed, counts, site, p.Subscription.UnsubscribeToken, period!, words) is { } message
                        && await AlertDelivery.ClaimAsync(conn, tx, to, period!, message, ct))
                    {
                        claimed.Add((to, period!, message));
                    }
                }
            }
            if (watermark is not null)
            {
                await conn.ExecAsync("UPDATE alert_state SET last_until = @until", tx, ct, ("until", until.UtcDateTime));
            }
            await tx.CommitAsync(ct);
        }
        foreach (var (to, p, message) in claimed)
        {
            await delivery.SendAsync(to, p, message.Subject, message.Text, message.Json.ToJsonString(), 0, ct);
        }
        Round(logger, cadence, period ?? "", claimed.Count);
        return claimed.Count;
    }

    private sealed record Person(long UserId, string Email, string Name, string Role, IReadOnlyCollection<string> Wards, AlertSubscription Subscription);

    private static async Task<List<Person>> PeopleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string cadence, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT u.id, u.email, u.display_name, u.role, coalesce((SELECT array_agg(w.ward_code) FROM user_wards w WHERE w.user_id = u.id), '{}'),
                   s.active, s.wards, s.layers, s.area, s.events, s.cadence, s.channel, s.webhook_url, s.webhook_secret, s.unsubscribe_token
            FROM alert_subscriptions s JOIN users u ON u.id = s.user_id
            WHERE s.active AND NOT u.disabled AND s.cadence = @cadence
            ORDER BY u.id
            """, conn, tx);
        cmd.Parameters.AddWithValue("cadence", cadence);
        var people = new List<Person>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            people.Add(new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), AlertSubscriptions.Read(r, 5)));
        }
        return people;
    }

    // Links in messages go to the public address, else to the service's own first address.
    private string Site() => options.Value.PublicUrl is { Length: > 0 } url ? url.Trim().TrimEnd('/')
        : (Environment.GetEnvironmentVariable("HOTSPOTS_URLS") ?? "http://localhost:5080").Split(';')[0].TrimEnd('/');

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts ({Cadence} {Period}): {Count} messages")]
    private static partial void Round(ILogger logger, string cadence, string period, int count);
}
