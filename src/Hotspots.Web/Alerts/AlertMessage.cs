using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hotspots.Calendar;
using Hotspots.Resources;
using Microsoft.Extensions.Localization;

namespace Hotspots.Alerts;

/// <summary>
/// One message to one person, in Vietnamese: a subject with the counts, the records listed by kind with a link that
/// opens each on the map, how to change what they receive and how to stop. The same content as JSON for a webhook.
/// </summary>
public sealed record AlertMessage(string Subject, string Text, JsonObject Json)
{
    private static readonly CultureInfo Vi = new("vi");

    private static readonly (string Kind, string Heading)[] Kinds = [("new", "Điểm mới"), ("status", "Đổi trạng thái"), ("level", "Đến mức hạn xử lý")];

    /// <summary>Null when there is nothing to tell (no message is sent for an empty round).</summary>
    /// <param name="words">The product's own words for statuses and deadline levels (the Vietnamese resources).</param>
    public static AlertMessage? Build(string name, string cadence, DateTimeOffset since, DateTimeOffset until, IReadOnlyList<AlertEvent> listed,
        IReadOnlyDictionary<string, int> counts, string site, Guid unsubscribe, string period, IStringLocalizer<Strings> words)
    {
        if (listed.Count == 0)
        {
            return null;
        }
        var parts = Kinds.Where(k => counts.GetValueOrDefault(k.Kind) > 0).Select(k => $"{counts[k.Kind].ToString("N0", Vi)} {k.Heading.ToLower(Vi)}");
        var subject = (cadence == AlertSubscription.Daily ? $"[Hotspots] Bản tin ngày {HanoiTime.Day(until)}: " : "[Hotspots] Thông báo mới: ") + string.Join(", ", parts);
        var text = new StringBuilder()
            .Append("Chào ").Append(name).AppendLine(",").AppendLine()
            .Append("Các điểm nghẽn bạn theo dõi, từ ").Append(Time(since)).Append(" đến ").Append(Time(until)).AppendLine(":");
        var json = new JsonObject
        {
            ["period"] = period, ["subject"] = subject, ["since"] = since.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["until"] = until.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), ["counts"] = JsonSerializer.SerializeToNode(counts),
        };
        var records = new JsonArray();
        foreach (var (kind, heading) in Kinds)
        {
            var items = listed.Where(e => e.Kind == kind).ToList();
            if (items.Count == 0)
            {
                continue;
            }
            text.AppendLine().Append(heading).Append(" (").Append(counts[kind].ToString("N0", Vi)).AppendLine("):");
            foreach (var e in items)
            {
                var link = Link(site, e);
                text.Append("- [").Append(Layers.LayerCatalog.OfCategory(e.Category)?.NameVi ?? e.Category).Append("] ").Append(e.Title)
                    .Append(" — ").Append(e.WardName ?? "ngoài các phường, xã").Append(What(e, words)).Append(e.IsSample ? " (dữ liệu mẫu)" : "")
                    .AppendLine().Append("  ").AppendLine(link);
                records.Add(new JsonObject
                {
                    ["event"] = kind, ["id"] = e.Id, ["layer"] = Layers.LayerCatalog.OfCategory(e.Category)?.Id, ["title"] = e.Title,
                    ["wardCode"] = e.WardCode, ["wardName"] = e.WardName, ["status"] = e.Status, ["fromStatus"] = e.FromStatus, ["level"] = e.Level,
                    ["deadline"] = e.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["severity"] = e.Severity, ["sample"] = e.IsSample,
                    ["url"] = link,
                });
            }
            if (counts[kind] > items.Count)
            {
                text.Append("… và ").Append((counts[kind] - items.Count).ToString("N0", Vi)).AppendLine(" điểm khác trên bản đồ.");
            }
        }
        var unsubscribeLink = $"{site}/alerts/unsubscribe/{unsubscribe}";
        text.AppendLine().Append("Đổi nội dung nhận thông báo: ").Append(site).AppendLine("/alerts")
            .Append("Thôi nhận thông báo: ").AppendLine(unsubscribeLink);
        json["records"] = records;
        json["unsubscribe"] = unsubscribeLink;
        return new AlertMessage(subject, text.ToString(), json);
    }

    private static string What(AlertEvent e, IStringLocalizer<Strings> words) => e.Kind switch
    {
        "status" => $": {words[e.FromStatus ?? ""]} → {words[e.Status]}",
        "level" => $": {words["Level_" + e.Level]}{(e.Deadline is { } d ? $", hạn {d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}" : "")}",
        _ => $", mức {e.Severity}/5, {words[e.Status].Value.ToLower(Vi)}",
    };

    /// <summary>The dashboard with the record open, at street zoom.</summary>
    public static string Link(string site, AlertEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"{site}/?h={e.Id}&lat={e.Lat:0.#####}&lon={e.Lon:0.#####}&z=17");

    private static string Time(DateTimeOffset at) => HanoiTime.Local(at).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
}
