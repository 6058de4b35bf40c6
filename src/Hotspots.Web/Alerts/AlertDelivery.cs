using System.Security.Cryptography;
using System.Text;
using Hotspots.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace Hotspots.Alerts;

/// <summary>
/// Sends each message once: a message is first claimed by its key (person, period, channel) — a second node, or a
/// second run, finds it taken — then sent, then marked. A failed send is tried again later, by any node, after 1, 5,
/// 30 minutes, 2 and 12 hours; then it is given up and kept as failed with the reason. Email goes through SMTP
/// (MailKit); a webhook gets the JSON, signed: X-Hotspots-Signature = "sha256=" + HMAC-SHA256(secret, body) in hex.
/// </summary>
public sealed partial class AlertDelivery(NpgsqlDataSource dataSource, IOptions<HotspotsOptions> options, IHttpClientFactory http, TimeProvider time,
    ILogger<AlertDelivery> logger)
{
    public const string SignatureHeader = "X-Hotspots-Signature";
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(12)];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public sealed record Recipient(long UserId, string Email, string Channel, string? WebhookUrl, string? WebhookSecret);

    /// <summary>Claims the message of this period for this person; false when it was already claimed (by this node or another).</summary>
    public static async Task<bool> ClaimAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Recipient to, string period, AlertMessage message, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO alert_deliveries (user_id, period, channel, subject, body_text, body_json, claimed_until)
            VALUES (@user, @period, @channel, @subject, @text, @json::json, now() + @lease)
            ON CONFLICT DO NOTHING
            """, conn, tx);
        cmd.Parameters.AddWithValue("user", to.UserId);
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("channel", to.Channel);
        cmd.Parameters.AddWithValue("subject", message.Subject);
        cmd.Parameters.AddWithValue("text", message.Text);
        cmd.Parameters.AddWithValue("json", message.Json.ToJsonString());
        cmd.Parameters.AddWithValue("lease", Lease);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Sends a claimed message and records how it went.</summary>
    public async Task SendAsync(Recipient to, string period, string subject, string text, string json, int attempts, CancellationToken ct)
    {
        string? error = null;
        try
        {
            if (to.Channel == AlertSubscription.Webhook)
            {
                await PostAsync(to, json, ct);
            }
            else
            {
                await MailAsync(to.Email, subject, text, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            Failed(logger, to.UserId, period, to.Channel, error);
        }
        var giveUp = error is not null && attempts + 1 > Backoff.Length;
        await using var cmd = dataSource.CreateCommand("""
            UPDATE alert_deliveries
            SET status = @status, attempts = attempts + 1, last_error = @error, claimed_until = NULL,
                sent_at = CASE WHEN @status = 'sent' THEN now() END, next_attempt_at = now() + @wait
            WHERE user_id = @user AND period = @period AND channel = @channel
            """);
        cmd.Parameters.AddWithValue("status", error is null ? "sent" : giveUp ? "failed" : "pending");
        cmd.Parameters.Add(new NpgsqlParameter<string?>("error", error));
        cmd.Parameters.AddWithValue("wait", error is null || giveUp ? TimeSpan.Zero : Backoff[Math.Min(attempts, Backoff.Length - 1)]);
        cmd.Parameters.AddWithValue("user", to.UserId);
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("channel", to.Channel);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Messages whose next try has come (and no node holds): claimed for a while and sent again.</summary>
    public async Task<int> RetryAsync(CancellationToken ct)
    {
        var due = new List<(Recipient To, string Period, string Subject, string Text, string Json, int Attempts)>();
        await using (var cmd = dataSource.CreateCommand("""
            UPDATE alert_deliveries d SET claimed_until = now() + @lease
            FROM users u LEFT JOIN alert_subscriptions s ON s.user_id = u.id
            WHERE u.id = d.user_id AND d.status = 'pending' AND d.next_attempt_at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now())
            RETURNING d.user_id, u.email, d.channel, s.webhook_url, s.webhook_secret, d.period, d.subject, d.body_text, d.body_json::text, d.attempts
            """))
        {
            cmd.Parameters.AddWithValue("lease", Lease);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                due.Add((new Recipient(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
                    r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), r.GetInt32(9)));
            }
        }
        foreach (var d in due)
        {
            await SendAsync(d.To, d.Period, d.Subject, d.Text, d.Json, d.Attempts, ct);
        }
        return due.Count;
    }

    private async Task MailAsync(string to, string subject, string text, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            throw new InvalidOperationException("no mail server is configured (HOTSPOTS_SMTP_HOST)");
        }
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.From.Add(MailboxAddress.Parse(o.SmtpFrom));
        message.To.Add(MailboxAddress.Parse(to));
        message.Date = time.GetUtcNow();
        using var smtp = new SmtpClient { Timeout = 20_000 };
        await smtp.ConnectAsync(o.SmtpHost, o.SmtpPort, o.SmtpTls switch
        {
            "none" => SecureSocketOptions.None,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, ct);
        if (o.SmtpUser.Length > 0)
        {
            await smtp.AuthenticateAsync(o.SmtpUser, o.SmtpPassword, ct);
        }
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }

    private async Task PostAsync(Recipient to, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, to.WebhookUrl) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(SignatureHeader, Sign(to.WebhookSecret!, json));
        using var client = http.CreateClient(nameof(AlertDelivery));
        client.Timeout = TimeSpan.FromSeconds(10);
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What a receiver computes to check a webhook's body came from us.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert to person {UserId} for {Period} by {Channel} not sent: {Error}")]
    private static partial void Failed(ILogger logger, long userId, string period, string channel, string error);
}
