using System.Security.Cryptography;
using Hotspots.Accounts;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Hotspots.Alerts;

/// <summary>
/// What a person wants to be told. <see cref="Wards"/> null: every ward the person may see; <see cref="Layers"/> null:
/// every layer; <see cref="Area"/>: only inside it. A ward lead sees only their wards whatever is chosen. Events: "new" records, "status" changes, records reaching a
/// deadline "level" (Records/Escalation). <see cref="IsDefault"/>: a ward lead who never chose — their wards, daily, by email.
/// </summary>
public sealed record AlertSubscription(bool Active, IReadOnlyList<string>? Wards, IReadOnlyList<string>? Layers, Geometry? Area,
    IReadOnlyList<string> Events, string Cadence, string Channel, string? WebhookUrl, string? WebhookSecret, Guid UnsubscribeToken, bool IsDefault = false)
{
    public static readonly string[] AllEvents = ["new", "status", "level"];
    public const string Instant = "instant", Daily = "daily", Email = "email", Webhook = "webhook";
}

/// <summary>Each person's subscription, the ward leads' default, and unsubscribing by the link in every message.</summary>
public sealed class AlertSubscriptions(NpgsqlDataSource dataSource)
{
    private const string Columns = "s.active, s.wards, s.layers, s.area, s.events, s.cadence, s.channel, s.webhook_url, s.webhook_secret, s.unsubscribe_token";

    /// <summary>The subscription of one person as it stands (a ward lead's default when they never chose), or null.</summary>
    public async Task<AlertSubscription?> GetAsync(Caller caller, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM alert_subscriptions s WHERE s.user_id = @user");
        cmd.Parameters.AddWithValue("user", caller.UserId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r, 0) : caller.Role == Roles.WardLead
            ? new(true, null, null, null, AlertSubscription.AllEvents, AlertSubscription.Daily, AlertSubscription.Email, null, null, Guid.Empty, IsDefault: true)
            : null;
    }

    internal static AlertSubscription Read(NpgsqlDataReader r, int at) => new(r.GetBoolean(at),
        r.IsDBNull(at + 1) ? null : r.GetFieldValue<string[]>(at + 1), r.IsDBNull(at + 2) ? null : r.GetFieldValue<string[]>(at + 2),
        r.IsDBNull(at + 3) ? null : r.GetFieldValue<Geometry>(at + 3), r.GetFieldValue<string[]>(at + 4), r.GetString(at + 5), r.GetString(at + 6),
        r.IsDBNull(at + 7) ? null : r.GetString(at + 7), r.IsDBNull(at + 8) ? null : r.GetString(at + 8), r.GetGuid(at + 9));

    /// <summary>
    /// Saves a person's choice, or says (in their language) what is wrong with it: a ward lead may follow only their
    /// own wards; layers and events from the catalogue; a webhook needs an http(s) address, and gets a secret of its
    /// own the first time (kept when the address changes), which the settings show so the receiver can check signatures.
    /// </summary>
    public async Task<(AlertSubscription? Saved, IReadOnlyList<string> Problems)> SaveAsync(Caller caller, AlertSubscription wanted, bool english,
        CancellationToken ct = default)
    {
        var problems = new List<string>();
        if (caller.Role == Roles.WardLead && wanted.Wards?.Any(w => !caller.Wards.Contains(w)) == true)
        {
            problems.Add(english ? "a ward lead follows only their own wards" : "cán bộ phường chỉ theo dõi được phường, xã của mình");
        }
        if (wanted.Layers?.Any(l => Layers.LayerCatalog.Find(l)?.Category is null) == true)
        {
            problems.Add(english ? "unknown layer" : "lớp dữ liệu không hợp lệ");
        }
        if (wanted.Events.Count == 0 || wanted.Events.Any(e => !AlertSubscription.AllEvents.Contains(e)))
        {
            problems.Add(english ? "choose at least one of: new, status, level" : "chọn ít nhất một loại tin: điểm mới, đổi trạng thái, mức hạn xử lý");
        }
        if (wanted.Cadence is not (AlertSubscription.Instant or AlertSubscription.Daily) || wanted.Channel is not (AlertSubscription.Email or AlertSubscription.Webhook))
        {
            problems.Add(english ? "cadence is instant or daily; channel is email or webhook" : "nhận ngay hoặc hằng ngày; qua thư điện tử hoặc webhook");
        }
        if (wanted.Channel == AlertSubscription.Webhook
            && !(Uri.TryCreate(wanted.WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && wanted.WebhookUrl!.Length <= 500))
        {
            problems.Add(english ? "a webhook needs an http or https address" : "gửi tới hệ thống khác cần một địa chỉ http hoặc https");
        }
        if (wanted.Area is { } area && (area is not (Polygon or MultiPolygon) || !area.IsValid || area.Area > 1))
        {
            problems.Add(english ? "the area must be one valid polygon inside Hanoi" : "khu vực phải là một vùng hợp lệ trong Hà Nội");
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        // The column holds a multipolygon in WGS 84: one drawn polygon is a multipolygon of one.
        MultiPolygon? area4326 = wanted.Area switch
        {
            Polygon p => new MultiPolygon([p]),
            MultiPolygon m => m,
            _ => null,
        };
        area4326?.SRID = 4326;
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO alert_subscriptions AS s (user_id, active, wards, layers, area, events, cadence, channel, webhook_url, webhook_secret)
            VALUES (@user, @active, @wards, @layers, @area, @events, @cadence, @channel, @url, CASE WHEN @channel = 'webhook' THEN @secret END)
            ON CONFLICT (user_id) DO UPDATE SET active = excluded.active, wards = excluded.wards, layers = excluded.layers, area = excluded.area,
                events = excluded.events, cadence = excluded.cadence, channel = excluded.channel, webhook_url = excluded.webhook_url,
                webhook_secret = CASE WHEN excluded.channel = 'webhook' THEN coalesce(s.webhook_secret, excluded.webhook_secret) END, updated_at = now()
            RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("user", caller.UserId);
        cmd.Parameters.AddWithValue("active", wanted.Active);
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("wards", wanted.Wards?.Distinct().Order(StringComparer.Ordinal).ToArray()) { DataTypeName = "text[]" });
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("layers", wanted.Layers?.Distinct().ToArray()) { DataTypeName = "text[]" });
        cmd.Parameters.Add(new NpgsqlParameter<Geometry?>("area", area4326));
        cmd.Parameters.AddWithValue("events", wanted.Events.Distinct().ToArray());
        cmd.Parameters.AddWithValue("cadence", wanted.Cadence);
        cmd.Parameters.AddWithValue("channel", wanted.Channel);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("url", wanted.Channel == AlertSubscription.Webhook ? wanted.WebhookUrl : null));
        cmd.Parameters.AddWithValue("secret", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (Read(r, 0), []);
    }

    /// <summary>The link in every message: switches the person's alerts off. False when the token is unknown.</summary>
    public async Task<bool> UnsubscribeAsync(Guid token, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE alert_subscriptions SET active = false, updated_at = now() WHERE unsubscribe_token = @token");
        cmd.Parameters.AddWithValue("token", token);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// A ward lead who never chose is subscribed to their wards (wards null: whatever wards they hold when a message
    /// is built), daily, by email: their row is made before each round, so every message has an unsubscribe link.
    /// </summary>
    public static Task DefaultsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) => Database.NpgsqlExtensions.ExecAsync(conn, """
        INSERT INTO alert_subscriptions (user_id)
        SELECT u.id FROM users u WHERE u.role = 'ward_lead' AND NOT u.disabled
        ON CONFLICT (user_id) DO NOTHING
        """, tx, ct);
}
