using Hotspots.Calendar;
using System.Globalization;
using System.Text.Json;
using Hotspots.Text;

namespace Hotspots.Records;

/// <summary>
/// What a file may say beyond the shared fields, per layer: flood depth and duration, a jam's cause, the kind of
/// urban-order violation, AQI and PM2.5, a food-safety inspection's result and faults. Each value is checked row by
/// row and the row's details become one JSON object, which the apply step writes into the layer's details table.
/// </summary>
public static class DetailFields
{
    public enum Kind { Text, WholeNumber, Number, Time, Date, YesNo, Choice, List }

    /// <param name="Column">The details table's column, also the field name for mappings.</param>
    /// <param name="Header">The column's name in the import template (Vietnamese; FieldMap recognises it), its English
    /// name, and an example value for the template's row.</param>
    /// <param name="Choices">For a choice: the values it accepts. For free text: known codes and their names, shown
    /// in words on the panel (a file may still write any text).</param>
    public sealed record Field(string Column, Kind Kind, string[] Aliases, (string Vi, string En, string Example) Header,
        IReadOnlyList<Choice>? Choices = null)
    {
        /// <summary>For a choice: every accepted spelling (diacritics-free, as SearchKey.Identifier makes it) → stored value.</summary>
        public IReadOnlyDictionary<string, string>? Lookup { get; } = Choices?
            .SelectMany(c => c.Keys.Append(c.Value).Append(c.Vi).Append(c.En).Select(k => (Key: SearchKey.Identifier(k), c.Value)))
            .DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        public Choice? ChoiceOf(string? value) => Choices?.FirstOrDefault(c => c.Value == value);
    }

    /// <summary>One value of a choice: stored as <paramref name="Value"/>, shown as its Vietnamese or English name, and
    /// recognised by those three and by <paramref name="Keys"/> (other spellings clerks use).</summary>
    public sealed record Choice(string Value, string Vi, string En, params string[] Keys);

    /// <param name="Defaults">A JSON object of what every written details row gets when the file does not say (the
    /// table's NOT NULL columns with defaults), merged under the row's own values by the apply step.</param>
    public sealed record Table(string Name, Field[] Fields, string Defaults);

    // A food-safety inspection's establishment is one of the layer's kinds (the dashboard's names for it), or other.
    private static Choice[] Establishments() =>
        [.. Layers.SubtypeCatalog.Of("food-safety").Select(k => new Choice(k.Id, k.NameVi, k.NameEn)), new("other", "Khác", "Other")];

    // The codes of the city's drainage plans (Plan 138/KH-UBND, Decision 2280/QĐ-UBND), in words.
    private static readonly Choice[] Basins =
    [
        new("to_lich", "Lưu vực sông Tô Lịch", "Tô Lịch river basin"), new("nhue", "Lưu vực sông Nhuệ", "Nhuệ river basin"),
        new("cau_bay", "Lưu vực sông Cầu Bây", "Cầu Bây river basin"), new("kim_nguu", "Lưu vực sông Kim Ngưu", "Kim Ngưu river basin"),
        new("lu", "Lưu vực sông Lừ", "Lừ river basin"), new("set", "Lưu vực sông Sét", "Sét river basin"),
    ];

    private static readonly Choice[] RainScenarios =
    [
        new("scenario_50_70mm", "Mưa 50–70 mm", "50–70 mm of rain"), new("scenario_over_100mm", "Mưa trên 100 mm", "Over 100 mm of rain"),
    ];

    private static readonly Dictionary<string, Table> Tables = new(StringComparer.Ordinal)
    {
        ["flooding"] = new("flooding_details",
        [
            new("depth_cm", Kind.WholeNumber, ["depth_cm", "depth", "do_sau", "do_sau_cm", "do_sau_ngap", "do_sau_ngap_cm", "muc_ngap", "muc_ngap_cm"], ("Độ sâu ngập (cm)", "Flood depth (cm)", "40")),
            new("duration_minutes", Kind.WholeNumber, ["duration_minutes", "duration", "thoi_gian_ngap", "thoi_gian_ngap_phut", "so_phut_ngap"], ("Thời gian ngập (phút)", "Duration (minutes)", "90")),
            new("drainage_basin", Kind.Text, ["drainage_basin", "basin", "luu_vuc", "luu_vuc_thoat_nuoc"], ("Lưu vực", "Drainage basin", "to_lich"), Basins),
            new("rain_scenario", Kind.Text, ["rain_scenario", "kich_ban_mua", "luong_mua"], ("Kịch bản mưa", "Rain scenario", "scenario_50_70mm"), RainScenarios),
            new("last_event_at", Kind.Time, ["last_event_at", "last_event", "lan_ngap_gan_nhat", "ngay_ngap_gan_nhat"], ("Lần ngập gần nhất", "Last flooded", "12/08/2025")),
        ], "{}"),
        ["congestion"] = new("congestion_details",
        [
            new("peak_hours", Kind.Text, ["peak_hours", "gio_cao_diem", "khung_gio", "khung_gio_un_tac"], ("Giờ cao điểm", "Peak hours", "07:00-09:00")),
            new("cause", Kind.Choice, ["cause", "nguyen_nhan", "nguyen_nhan_un_tac"], ("Nguyên nhân", "Cause", "Thi công"),
            [
                new("works", "Thi công", "Road works", "cong_trinh", "dang_thi_cong", "cong_trinh_thi_cong"),
                new("barriers", "Rào chắn/lô cốt", "Barriers", "rao_chan", "lo_co"),
                new("junction_design", "Thiết kế nút giao", "Junction design", "nut_giao", "bat_cap_nut_giao"),
                new("volume", "Lưu lượng lớn", "Heavy traffic", "luu_luong", "qua_tai", "volume"),
                new("incident", "Sự cố/va chạm", "Incident", "su_co", "tai_nan", "va_cham"),
                new("other", "Khác", "Other"),
            ]),
            new("police_post", Kind.YesNo, ["police_post", "chot_csgt", "co_chot_csgt", "chot_canh_sat", "chot_canh_sat_giao_thong"], ("Chốt CSGT", "Police post", "có")),
        ], """{"police_post": false}"""),
        ["urban_order"] = new("urban_order_details",
        [
            new("violation_type", Kind.Text, ["violation_type", "violation", "loai_vi_pham", "hanh_vi_vi_pham", "hanh_vi"], ("Loại vi phạm", "Violation", "Lấn chiếm vỉa hè để kinh doanh")),
        ], "{}"),
        ["environment"] = new("environment_details",
        [
            new("pollution_source", Kind.Text, ["pollution_source", "nguon_o_nhiem", "nguon_gay_o_nhiem"], ("Nguồn ô nhiễm", "Pollution source", "Đốt rác")),
            new("aqi", Kind.WholeNumber, ["aqi", "chi_so_aqi", "chi_so_chat_luong_khong_khi"], ("AQI", "AQI", "152")),
            new("pm25", Kind.Number, ["pm25", "pm2_5", "pm_2_5", "bui_pm2_5", "bui_min_pm2_5"], ("PM2.5", "PM2.5", "58,4")),
            new("measured_at", Kind.Time, ["measured_at", "ngay_do", "thoi_gian_do", "ngay_quan_trac"], ("Ngày đo", "Measured on", "14/03/2025")),
        ], """{"measurements": {}}"""),
        ["food_safety"] = new("food_safety_inspections",
        [
            new("establishment_kind", Kind.Choice, ["establishment_kind", "loai_co_so", "loai_hinh_co_so", "loai_hinh_kinh_doanh"], ("Loại cơ sở", "Establishment", "Bếp ăn trường học"), Establishments()),
            new("inspection_date", Kind.Date, ["inspection_date", "ngay_kiem_tra", "ngay_thanh_tra"], ("Ngày kiểm tra", "Inspected on", "14/03/2025")),
            new("result", Kind.Choice, ["result", "ket_qua", "ket_qua_kiem_tra"], ("Kết quả", "Result", "Không đạt"),
            [
                new("pass", "Đạt", "Pass", "passed", "dat_yeu_cau"),
                new("fail", "Không đạt", "Fail", "failed", "khong_dat_yeu_cau", "vi_pham"),
            ]),
            new("violations", Kind.List, ["violations", "loi_vi_pham", "cac_loi", "noi_dung_loi", "loi"], ("Lỗi vi phạm", "Faults", "Không lưu mẫu thức ăn; Người chế biến chưa khám sức khỏe")),
            new("follow_up", Kind.Text, ["follow_up", "bien_phap", "bien_phap_xu_ly", "xu_ly_tiep"], ("Biện pháp xử lý", "Follow-up", "Phạt tiền, tái kiểm tra sau 30 ngày")),
        ], """{"violations": []}"""),
    };

    public const int MaxText = 500;

    public static Table? For(string category) => Tables.GetValueOrDefault(category);

    /// <summary>Every detail field with its header aliases, for FieldMap (fields of all layers: a file is read before its layer matters).</summary>
    public static IEnumerable<Field> All => Tables.Values.SelectMany(t => t.Fields);

    /// <summary>What a value TryWrite refused should have been, to end "The column “…” " (Vietnamese, English).</summary>
    public static (string Vi, string En) Why(Field field) => field.Kind switch
    {
        Kind.WholeNumber => ("phải là số nguyên không âm", "must be a whole number, 0 or more"),
        Kind.Number => ("phải là số không âm", "must be a number, 0 or more"),
        Kind.Time or Kind.Date => ("phải là ngày (dd/MM/yyyy hoặc yyyy-MM-dd)", "must be a date (dd/MM/yyyy or yyyy-MM-dd)"),
        Kind.YesNo => ("phải là có hoặc không", "must be yes or no"),
        Kind.Text or Kind.List => ($"dài quá {MaxText} ký tự", $"is longer than {MaxText} characters"),
        _ => ($"không hợp lệ; dùng: {Allowed(field, english: false)}", $"is not known; use: {Allowed(field, english: true)}"),
    };

    // A choice's values by name.
    private static string Allowed(Field field, bool english) => string.Join(", ", field.Choices!.Select(c => english ? c.En : c.Vi));

    /// <summary>Writes one checked value; false means the text is not a value of the field's kind (or too long).</summary>
    public static bool TryWrite(Utf8JsonWriter json, Field field, string text)
    {
        switch (field.Kind)
        {
            case Kind.Text:
                if (text.Length > MaxText)
                {
                    return false;
                }
                json.WriteString(field.Column, text);
                return true;
            case Kind.WholeNumber:
                if (LooseNumber.Parse(text) is { } n && n >= 0 && n == Math.Floor(n) && n <= int.MaxValue)
                {
                    json.WriteNumber(field.Column, (int)n);
                    return true;
                }
                return false;
            case Kind.Number:
                if (LooseNumber.Parse(text) is { } x && x >= 0)
                {
                    json.WriteNumber(field.Column, x);
                    return true;
                }
                return false;
            case Kind.Time:
            case Kind.Date:
                if (HanoiTime.Parse(text) is ({ } t, false))
                {
                    json.WriteString(field.Column, field.Kind == Kind.Date
                        ? HanoiTime.IsoDay(t)
                        : t.ToString("O", CultureInfo.InvariantCulture));
                    return true;
                }
                return false;
            case Kind.YesNo:
                var key = SearchKey.Identifier(text);
                bool? yes = key is "co" or "yes" or "true" or "x" or "1" ? true : key is "khong" or "no" or "false" or "0" ? false : null;
                if (yes is { } b)
                {
                    json.WriteBoolean(field.Column, b);
                }
                return yes is not null;
            case Kind.Choice:
                if (field.Lookup!.TryGetValue(SearchKey.Identifier(text), out var value))
                {
                    json.WriteString(field.Column, value);
                    return true;
                }
                return false;
            default: // a list: one value per line, or separated by semicolons or vertical bars
                if (text.Length > MaxText)
                {
                    return false;
                }
                json.WriteStartArray(field.Column);
                foreach (var item in text.Split([';', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    json.WriteStringValue(item);
                }
                json.WriteEndArray();
                return true;
        }
    }
}
