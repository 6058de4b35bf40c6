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
        ["external_id"] = ["id", "ma", "ma_so", "ma_diem", "ma_ho_so", "external_id", "code", "so_hieu", "point_id", "record_id", "feature_id", "objectid", "fid",
            "ma_phan_anh", "so_phan_anh", "service_request_id", "request_id", "ticket_id", "ma_yeu_cau"],
        ["title"] = ["title", "tieu_de", "ten", "ten_diem", "name", "point_name", "noi_dung_vi_pham", "dia_diem", "vi_tri", "location",
            "location_name", "place", "place_name", "ten_dia_diem", "diem_ngap", "ten_diem_ngap", "vi_tri_ngap", "dia_diem_ngap", "ten_co_so", "co_so",
            "ten_vi_tri", "site", "site_name", "ten_goi", "label", "diem"],
        ["description"] = ["description", "mo_ta", "noi_dung", "chi_tiet", "ghi_chu", "note", "notes", "remarks", "comment", "mo_ta_chi_tiet", "details",
            "noi_dung_phan_anh", "phan_anh", "y_kien", "noi_dung_y_kien", "content", "message", "text", "report_text"],
        ["subtype"] = ["subtype", "loai", "phan_loai", "kind", "type", "loai_diem", "service_code", "loai_su_viec"],
        ["severity"] = ["severity", "muc_do", "muc_do_nghiem_trong", "level", "cap_do", "priority", "muc_uu_tien"],
        ["status"] = ["status", "trang_thai", "tinh_trang"],
        ["responsible_unit"] = ["responsible_unit", "responsible", "unit", "don_vi", "don_vi_chu_tri", "don_vi_chiu_trach_nhiem", "don_vi_xu_ly"],
        ["assignee"] = ["assignee", "officer", "nguoi_phu_trach", "can_bo_phu_trach", "can_bo", "nguoi_thuc_hien"],
        ["authority"] = ["authority", "tham_quyen", "cap_tham_quyen", "cap_co_tham_quyen", "co_quan_tham_quyen"],
        // "Kết quả" alone is a food inspection's pass/fail (DetailFields); the task's outcome has its own words.
        ["outcome"] = ["outcome", "ket_qua_xu_ly", "ket_qua_can_dat", "san_pham", "san_pham_dau_ra"],
        ["deadline"] = ["deadline", "due", "due_date", "han", "han_xu_ly", "thoi_han"],
        ["reported_at"] = ["reported_at", "reported", "date", "ngay", "ngay_phat_hien", "ngay_bao_cao", "ngay_tiep_nhan", "thoi_gian",
            "observed_at", "observed", "observation_date", "ngay_ghi_nhan", "thoi_diem", "ngay_thang", "datetime", "timestamp", "created_at", "time",
            "received_at", "thoi_gian_tiep_nhan", "thoi_diem_tiep_nhan", "ngay_gui", "thoi_gian_gui", "submitted_at", "requested_datetime"],
        ["resolved_at"] = ["resolved_at", "resolved", "ngay_khac_phuc", "ngay_hoan_thanh", "ngay_xu_ly_xong"],
        ["lat"] = ["lat", "latitude", "vi_do", "vd", "y_lat", "lat_wgs84", "toa_do_n", "n"],
        ["lon"] = ["lon", "lng", "long", "longitude", "kinh_do", "kd", "x_lon", "lon_wgs84", "lng_wgs84", "toa_do_e", "e"],
        ["x"] = ["x", "toa_do_x", "easting"],
        ["y"] = ["y", "toa_do_y", "northing"],
        ["ward"] = ["ward", "ward_name", "commune", "phuong", "xa", "phuong_xa", "ten_phuong", "ten_phuong_xa", "don_vi_hanh_chinh"],
        ["district"] = ["district", "district_name", "quan", "huyen", "quan_huyen", "ten_quan", "ten_quan_huyen"],
        ["ward_code"] = ["ward_code", "ma_phuong", "ma_xa", "ma_phuong_xa", "ma_dvhc", "ma_don_vi_hanh_chinh", "commune_code", "ma_dv_hanh_chinh"],
        // Where a row is, in words: the title is composed from them when the file has none.
        ["address"] = ["address", "dia_chi", "addr", "full_address", "addr_full", "dia_chi_cu_the", "so_nha_duong", "dia_chi_day_du"],
        ["street"] = ["street", "street_name", "ten_duong", "duong", "pho", "duong_pho", "tuyen_duong", "tuyen_pho", "addr_street", "road", "ten_pho"],
        ["house_number"] = ["house_number", "housenumber", "addr_housenumber", "so_nha"],
        // Field reports' own (LayerCatalog.FieldReports): never read for a map layer, whose files may carry them too.
        ["category"] = ["category", "linh_vuc", "nhom_van_de", "chuyen_muc", "van_de", "service_name", "nhom_phan_anh", "loai_phan_anh", "topic"],
        ["channel"] = ["channel", "kenh", "kenh_tiep_nhan", "kenh_phan_anh", "nguon_tiep_nhan", "hinh_thuc_tiep_nhan"],
        ["photo_url"] = ["photo_url", "photo", "anh", "hinh_anh", "link_anh", "duong_dan_anh", "image", "image_url", "media_url", "picture"],
        ["reporter_name"] = ["reporter_name", "reporter", "nguoi_phan_anh", "ten_nguoi_phan_anh", "ho_ten", "ho_va_ten", "ho_ten_nguoi_phan_anh",
            "nguoi_gui", "citizen_name", "contact_name", "full_name"],
        ["reporter_phone"] = ["reporter_phone", "so_dien_thoai", "sdt", "dien_thoai", "phone", "phone_number", "tel", "telephone", "mobile",
            "di_dong", "so_dt", "dien_thoai_lien_he", "contact_phone"],
    }.Concat(DetailFields.All.Select(f => KeyValuePair.Create(f.Column, f.Aliases))).ToDictionary(); // the shared fields pick their columns first

    /// <summary>A mapping's value for a column the file has but the layer should not read.</summary>
    public const string Ignore = "-";

    private readonly Dictionary<string, string> _columnOf = new(StringComparer.Ordinal);

    /// <param name="mapping">{column: field} as the user (or the proposal) decided; a column mapped to <see cref="Ignore"/> is not read.</param>
    /// <param name="byName">Whether fields the mapping leaves out are still found by their exact names.</param>
    public FieldMap(IEnumerable<string> header, IReadOnlyDictionary<string, string>? mapping, bool byName = true)
    {
        var columns = header.ToList();
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (column, field) in mapping ?? new Dictionary<string, string>())
        {
            var match = columns.FirstOrDefault(c => c == column) ?? columns.FirstOrDefault(c => HeaderKey(c) == HeaderKey(column));
            if (match is not null && field == Ignore)
            {
                ignored.Add(match);
            }
            else if (match is not null && Aliases.ContainsKey(field))
            {
                _columnOf[field] = match;
            }
        }
        foreach (var (field, aliases) in byName ? Aliases : new Dictionary<string, string[]>())
        {
            if (_columnOf.ContainsKey(field))
            {
                continue;
            }
            var match = columns.FirstOrDefault(c => aliases.Contains(HeaderKey(c)) && !_columnOf.ContainsValue(c) && !ignored.Contains(c));
            if (match is not null)
            {
                _columnOf[field] = match;
            }
        }
    }

    /// <summary>
    /// A header as an identifier, camelCase split first: "locationName", "Location name" and "location_name" are one key.
    /// </summary>
    public static string HeaderKey(string header)
    {
        var sb = new StringBuilder(header.Length + 4);
        for (var i = 0; i < header.Length; i++)
        {
            if (i > 0 && char.IsUpper(header[i]) && char.IsLower(header[i - 1]))
            {
                sb.Append('_');
            }
            sb.Append(header[i]);
        }
        return SearchKey.Identifier(sb.ToString());
    }

    /// <summary>Which column fills which field ({field: column}).</summary>
    public IReadOnlyDictionary<string, string> Columns => _columnOf;

    /// <summary>Whether rows can be placed: coordinate pairs, a ward name or code (a GeoJSON file has its geometry besides).</summary>
    public bool HasPlace => (ColumnOf("lat") is not null && ColumnOf("lon") is not null) || (ColumnOf("x") is not null && ColumnOf("y") is not null)
        || ColumnOf("ward") is not null || ColumnOf("ward_code") is not null;

    /// <summary>The file column a field was found in, for messages (null: not in this file).</summary>
    public string? ColumnOf(string field) => _columnOf.GetValueOrDefault(field);

    public string? Get(IReadOnlyDictionary<string, string?> cells, string field) =>
        _columnOf.TryGetValue(field, out var column) && cells.TryGetValue(column, out var v) ? v?.Trim() : null;

    /// <summary>Mapping values must be known fields: the user's mistake is reported before any row is read.</summary>
    public static string? UnknownField(IReadOnlyDictionary<string, string>? mapping) =>
        mapping?.Values.FirstOrDefault(f => f != Ignore && !Aliases.ContainsKey(f));
}
