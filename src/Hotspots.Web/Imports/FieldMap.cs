using Hotspots.Records;
using Hotspots.Text;
using System.Text;
using Hotspots.Dashboard;

namespace Hotspots.Imports;

/// <summary>
/// Which of a file's columns means which field: header names matched without case or diacritics, in Vietnamese
/// or English ("Vĩ độ", "lat", "latitude" are all the latitude), and a mapping the user gives for odd files
/// ({"Tọa độ N": "lat"}) taking precedence.
/// </summary>
public sealed class FieldMap
{
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        ["external_id"] = ["id", "ma", "ma_so", "ma_diem", "ma_ho_so", "external_id", "code", "so_hieu", "point_id", "record_id", "feature_id", "objectid", "fid"],
        ["title"] = ["title", "tieu_de", "ten", "ten_diem", "name", "point_name", "noi_dung_vi_pham", "dia_diem", "vi_tri", "location"],
        ["description"] = ["description", "mo_ta", "noi_dung", "chi_tiet"],
        ["subtype"] = ["subtype", "loai", "phan_loai", "kind", "type", "loai_diem"],
        ["severity"] = ["severity", "muc_do", "muc_do_nghiem_trong", "level", "cap_do"],
        ["status"] = ["status", "trang_thai", "tinh_trang"],
        ["responsible_unit"] = ["responsible_unit", "responsible", "unit", "don_vi", "don_vi_chu_tri", "don_vi_chiu_trach_nhiem", "don_vi_xu_ly"],
        ["assignee"] = ["assignee", "officer", "nguoi_phu_trach", "can_bo_phu_trach", "can_bo", "nguoi_thuc_hien"],
        ["authority"] = ["authority", "tham_quyen", "cap_tham_quyen", "cap_co_tham_quyen", "co_quan_tham_quyen"],
        // "Kết quả" alone is a food inspection's pass/fail (DetailFields); the task's outcome has its own words.
        ["outcome"] = ["outcome", "ket_qua_xu_ly", "ket_qua_can_dat", "san_pham", "san_pham_dau_ra"],
        ["deadline"] = ["deadline", "due", "due_date", "han", "han_xu_ly", "thoi_han"],
        ["reported_at"] = ["reported_at", "reported", "date", "ngay", "ngay_phat_hien", "ngay_bao_cao", "ngay_tiep_nhan", "thoi_gian"],
        ["resolved_at"] = ["resolved_at", "resolved", "ngay_khac_phuc", "ngay_hoan_thanh", "ngay_xu_ly_xong"],
        ["lat"] = ["lat", "latitude", "vi_do"],
        ["lon"] = ["lon", "lng", "long", "longitude", "kinh_do"],
        ["x"] = ["x", "toa_do_x", "easting"],
        ["y"] = ["y", "toa_do_y", "northing"],
        ["ward"] = ["ward", "ward_name", "commune", "phuong", "xa", "phuong_xa", "ten_phuong", "ten_phuong_xa", "don_vi_hanh_chinh"],
        ["district"] = ["district", "district_name", "quan", "huyen", "quan_huyen", "ten_quan", "ten_quan_huyen"],
    }.Concat(DetailFields.All.Select(f => KeyValuePair.Create(f.Column, f.Aliases))).ToDictionary(); // the shared fields pick their columns first

    private readonly Dictionary<string, string> _columnOf = new(StringComparer.Ordinal);

    public FieldMap(IEnumerable<string> header, IReadOnlyDictionary<string, string>? mapping)
    {
        var columns = header.ToList();
        foreach (var (column, field) in mapping ?? new Dictionary<string, string>())
        {
            var match = columns.FirstOrDefault(c => c == column) ?? columns.FirstOrDefault(c => SearchKey.Identifier(c) == SearchKey.Identifier(column));
            if (match is not null && Aliases.ContainsKey(field))
            {
                _columnOf[field] = match;
            }
        }
        foreach (var (field, aliases) in Aliases)
        {
            if (_columnOf.ContainsKey(field))
            {
                continue;
            }
            var match = columns.FirstOrDefault(c => aliases.Contains(SearchKey.Identifier(c)) && !_columnOf.ContainsValue(c));
            if (match is not null)
            {
                _columnOf[field] = match;
            }
        }
    }

    /// <summary>The file column a field was found in, for messages (null: not in this file).</summary>
    public string? ColumnOf(string field) => _columnOf.GetValueOrDefault(field);

    public string? Get(IReadOnlyDictionary<string, string?> cells, string field) =>
        _columnOf.TryGetValue(field, out var column) && cells.TryGetValue(column, out var v) ? v?.Trim() : null;

    /// <summary>Mapping values must be known fields: the user's mistake is reported before any row is read.</summary>
    public static string? UnknownField(IReadOnlyDictionary<string, string>? mapping) =>
        mapping?.Values.FirstOrDefault(f => !Aliases.ContainsKey(f));
}
