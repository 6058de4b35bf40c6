using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hotspots.Calendar;
using Hotspots.Imports.Reading;
using Hotspots.Layers;
using Hotspots.Text;
using NetTopologySuite.Geometries;

namespace Hotspots.Imports;

/// <summary>A field report's own fields, carried by its <see cref="ImportRecord"/>: the reporter's name and phone stay private.</summary>
public sealed record ReportFields(string Category, string Channel, string? PhotoUrl, string? ReporterName, string? ReporterPhone);

/// <summary>
/// Checks one row of a hotline list or an iHanoi export as a field report: what was said (required), where (the
/// place rules of every import, <see cref="RowValidator.Place"/>), when (the import's time if the file does not say),
/// its field of work and kind in the words hotlines use, the channel, a photo link, and who sent it. What a report
/// needs is required; what it only may have is kept when it reads, and set aside with a note when it does not — a
/// citizen's report is not lost to an odd channel name.
/// </summary>
public sealed class ReportRows(RowValidator places, FieldMap map, DateTimeOffset now)
{
    public const int MaxText = 4000;
    private const int MaxShown = 120;

    public int DefaultedTimes { get; private set; }
    public int UnknownCategories { get; private set; }
    public int DroppedKinds { get; private set; }
    public int DroppedLinks { get; private set; }
    public int OtherChannels { get; private set; }

    public (ImportRecord? Record, Reject? Reject) Validate(SourceRow row)
    {
        if (RowValidator.Screen(row) is { } screened)
        {
            return (null, screened);
        }
        var title = map.Get(row.Cells, "title");
        var words = map.Get(row.Cells, "description");
        var text = (title, words) switch
        {
            ({ Length: > 0 } t, { Length: > 0 } w) when !w.StartsWith(t, StringComparison.Ordinal) => $"{t}. {w}",
            (_, { Length: > 0 } w) => w,
            ({ Length: > 0 } t, _) => t,
            _ => null,
        };
        if (text is null)
        {
            return Fail(row, map.ColumnOf("description") ?? map.ColumnOf("title"), "Thiếu nội dung phản ánh.", "What was reported is missing.");
        }
        if (text.Length > MaxText)
        {
            // The citizen's words are not quoted back: they may hold a phone number.
            return Fail(row, map.ColumnOf("description"), $"Nội dung dài quá {MaxText:N0} ký tự.", $"The report is longer than {MaxText:N0} characters.");
        }
        var (received, bad) = HanoiTime.Parse(map.Get(row.Cells, "reported_at"));
        if (bad)
        {
            return (null, new Reject(row.Number, map.ColumnOf("reported_at"), map.Get(row.Cells, "reported_at"),
                "Thời gian không đúng định dạng (dd/MM/yyyy HH:mm hoặc yyyy-MM-dd).", "The time is not a time (dd/MM/yyyy HH:mm or yyyy-MM-dd)."));
        }
        if (received > now.AddDays(1))
        {
            return (null, new Reject(row.Number, map.ColumnOf("reported_at"), map.Get(row.Cells, "reported_at"),
                "Thời gian tiếp nhận ở tương lai.", "The time received is in the future."));
        }
        if (received is null)
        {
            DefaultedTimes++;
        }
        var (place, ward, placeReject) = places.Place(row);
        if (placeReject is not null)
        {
            return (null, placeReject);
        }
        var point = place as Point ?? place!.InteriorPoint;
        point.SRID = 4326;

        var (category, kind) = Classify(map.Get(row.Cells, "category"), map.Get(row.Cells, "subtype"));
        var photo = map.Get(row.Cells, "photo_url");
        if (photo is not null && !(photo.Length <= 2000 && Uri.TryCreate(photo, UriKind.Absolute, out var link) && link.Scheme is "http" or "https"))
        {
            photo = null;
            DroppedLinks++;
        }
        var name = Private(map.Get(row.Cells, "reporter_name"), 200);
        var phone = Private(map.Get(row.Cells, "reporter_phone"), 50);
        var externalId = map.Get(row.Cells, "external_id");
        if (externalId is { Length: > 200 })
        {
            return (null, new Reject(row.Number, map.ColumnOf("external_id"), externalId[..40] + "…", "Mã dài quá 200 ký tự.", "The id is longer than 200 characters."));
        }
        // Without an id a report is known by what, where and when: the same list imported twice is one set of reports.
        var when = received?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "";
        externalId ??= "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', text, point.AsText(), when))))[..24];
        var shown = text.Length > MaxShown ? text[..MaxShown] + "…" : text;
        return (new ImportRecord(row.Number, externalId, shown, text, kind, 3, "reported", null, null, received, null, point, "", ward,
            Report: new ReportFields(category, ChannelOf(map.Get(row.Cells, "channel")), photo, name, phone)), null);
    }

    /// <summary>What the run's notes say of this file beyond accepting and rejecting rows.</summary>
    public IEnumerable<string> Notes()
    {
        if (DefaultedTimes > 0)
        {
            yield return $"{DefaultedTimes} dòng không có thời gian tiếp nhận: dùng thời điểm nhập.";
        }
        if (UnknownCategories > 0)
        {
            yield return $"{UnknownCategories} dòng có lĩnh vực không nhận ra: ghi là “khác”, cán bộ phân loại khi xử lý.";
        }
        if (DroppedKinds > 0)
        {
            yield return $"{DroppedKinds} dòng có loại không thuộc lĩnh vực của dòng hoặc không có trong danh mục: bỏ loại, giữ phản ánh.";
        }
        if (DroppedLinks > 0)
        {
            yield return $"{DroppedLinks} dòng có đường dẫn ảnh không phải địa chỉ web (http, https): bỏ đường dẫn, giữ phản ánh.";
        }
        if (OtherChannels > 0)
        {
            yield return $"{OtherChannels} dòng có kênh tiếp nhận không nhận ra: ghi là “khác”.";
        }
    }

    /// <summary>The run-level refusal when no column holds what was reported: the field named, the columns found listed.</summary>
    public static UnreadableFileException Wordless(IReadOnlyList<string> header)
    {
        var found = string.Join(", ", header.Select(h => $"“{h}”"));
        return new UnreadableFileException($"Không có cột nội dung phản ánh (bắt buộc). Các cột trong tệp: {found}.",
            $"No column holds what was reported (required). The file's columns: {found}.");
    }

    private static string? Private(string? value, int max) => value is null ? null : value.Length > max ? value[..max] : value;

    // The five fields of work in the words hotlines and iHanoi use; the kinds of the catalogue tell their own.
    private static readonly (string Category, string[] Keys)[] Categories =
    [
        ("flooding", ["ngap", "ngap_ung", "ung_ngap", "ngap_nuoc", "thoat_nuoc", "flood", "flooding", "drainage"]),
        ("congestion", ["giao_thong", "un_tac", "ach_tac", "tac_duong", "un_tac_giao_thong", "traffic", "congestion"]),
        ("urban_order", ["trat_tu_do_thi", "trat_tu", "do_thi", "xay_dung", "lan_chiem", "via_he", "quang_cao", "urban_order", "construction"]),
        ("environment", ["moi_truong", "o_nhiem", "rac", "rac_thai", "ve_sinh_moi_truong", "tieng_on", "khong_khi", "environment", "pollution", "waste"]),
        ("food_safety", ["an_toan_thuc_pham", "ve_sinh_thuc_pham", "thuc_pham", "food", "food_safety"]),
        ("other", ["khac", "other"]),
    ];

    private (string Category, string? Kind) Classify(string? categoryText, string? kindText)
    {
        string? category = null;
        if (categoryText is not null)
        {
            category = CategoryOf(categoryText);
            if (category is null)
            {
                UnknownCategories++;
            }
        }
        Subtype? kind = null;
        if (kindText is not null)
        {
            var key = SearchKey.Identifier(kindText);
            kind = SubtypeCatalog.All.FirstOrDefault(s => s.Id == key || SearchKey.Identifier(s.NameVi) == key || SearchKey.Identifier(s.NameEn) == key);
            var kindCategory = kind is null ? null : LayerCatalog.Find(kind.LayerId)?.Category;
            if (kind is null || category is not null && category != "other" && kindCategory != category)
            {
                DroppedKinds++;
                kind = null;
            }
            else
            {
                category ??= kindCategory;
            }
        }
        return (category ?? "other", kind?.Id);
    }

    private static string? CategoryOf(string text)
    {
        var key = SearchKey.Identifier(text);
        foreach (var layer in LayerCatalog.All.Where(l => l.Category is not null))
        {
            if (key == layer.Category || key == SearchKey.Identifier(layer.Id) || key == SearchKey.Identifier(layer.NameVi) || key == SearchKey.Identifier(layer.NameEn))
            {
                return layer.Category;
            }
        }
        // "Trật tự đô thị – xây dựng", "Môi trường (rác thải)": the first field of work whose words the text holds.
        return FirstHolding(Categories, key);
    }

    // The first entry one of whose keys is a whole word (or run of words) of the identifier: "tong_dai_1022" holds "1022".
    private static string? FirstHolding((string Value, string[] Keys)[] table, string identifier)
    {
        var words = "_" + identifier + "_";
        return table.FirstOrDefault(c => c.Keys.Any(k => words.Contains("_" + k + "_", StringComparison.Ordinal))).Value;
    }

    // The channels a report arrives by (the triage page names each in words: Channel_… in Strings), besides
    // "open311", "file" (no channel column) and "other".
    private static readonly (string Channel, string[] Keys)[] ChannelWords =
    [
        ("ihanoi", ["ihanoi", "i_hanoi", "ung_dung_ihanoi"]),
        ("hotline", ["hotline", "duong_day_nong", "tong_dai", "1022", "tong_dai_1022"]),
        ("zalo", ["zalo"]),
        ("email", ["email", "e_mail", "thu_dien_tu", "mail"]),
        ("phone", ["dien_thoai", "phone", "goi_dien"]),
        ("staff", ["can_bo", "truc_tiep", "staff", "tai_tru_so", "to_dan_pho"]),
        ("open311", ["open311"]),
    ];

    private string ChannelOf(string? text)
    {
        if (text is null)
        {
            return "file";
        }
        var found = FirstHolding(ChannelWords, SearchKey.Identifier(text));
        if (found is null)
        {
            OtherChannels++;
        }
        return found ?? "other";
    }

    private static (ImportRecord?, Reject?) Fail(SourceRow row, string? column, string vi, string en) => (null, new Reject(row.Number, column, null, vi, en));
}
