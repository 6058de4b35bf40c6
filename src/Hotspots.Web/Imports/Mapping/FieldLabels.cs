using Hotspots.Records;
using Hotspots.Layers;

namespace Hotspots.Imports.Mapping;

/// <summary>The fields a layer's import understands, in the order a clerk reads them, with their names in both languages.</summary>
public static class FieldLabels
{
    // Where a row is: every import's.
    private static readonly (string Field, string Vi, string En)[] Place =
    [
        ("lat", "Vĩ độ", "Latitude"),
        ("lon", "Kinh độ", "Longitude"),
        ("x", "X (VN-2000, mét)", "X (VN-2000, metres)"),
        ("y", "Y (VN-2000, mét)", "Y (VN-2000, metres)"),
        ("ward", "Phường, xã (tên)", "Ward or commune (name)"),
        ("ward_code", "Mã phường, xã", "Ward or commune code"),
        ("district", "Quận, huyện (cũ)", "District (pre-2025)"),
        ("address", "Địa chỉ", "Address"),
        ("street", "Đường, phố", "Street"),
        ("house_number", "Số nhà", "House number"),
    ];

    private static readonly (string Field, string Vi, string En)[] Shared =
    [
        ("title", "Tiêu đề (tên điểm)", "Title (name)"),
        .. Place,
        ("external_id", "Mã bản ghi", "Record id"),
        ("subtype", "Loại", "Kind"),
        ("severity", "Mức độ (1–5)", "Severity (1–5)"),
        ("status", "Trạng thái", "Status"),
        ("reported_at", "Ngày phát hiện", "Reported on"),
        ("deadline", "Hạn xử lý", "Deadline"),
        ("resolved_at", "Ngày khắc phục", "Resolved on"),
        ("responsible_unit", "Đơn vị chịu trách nhiệm", "Responsible unit"),
        ("assignee", "Cán bộ phụ trách", "Officer in charge"),
        ("authority", "Cấp có thẩm quyền", "Authority"),
        ("outcome", "Kết quả xử lý", "Outcome"),
        ("description", "Mô tả", "Description"),
    ];

    private static readonly (string Field, string Vi, string En)[] Reports =
    [
        ("description", "Nội dung phản ánh", "What was reported"),
        ("category", "Lĩnh vực", "Field"),
        ("subtype", "Loại", "Kind"),
        ("reported_at", "Thời gian tiếp nhận", "Received at"),
        .. Place,
        ("external_id", "Mã phản ánh", "Report id"),
        ("title", "Tiêu đề", "Title"),
        ("channel", "Kênh tiếp nhận", "Channel"),
        ("photo_url", "Đường dẫn ảnh", "Photo link"),
        ("reporter_name", "Người phản ánh (giữ kín)", "Reporter (kept private)"),
        ("reporter_phone", "Số điện thoại (giữ kín)", "Phone (kept private)"),
    ];

    /// <summary>The layer's fields: the shared ones, then its own (DetailFields); a field report's own list.</summary>
    public static IReadOnlyList<(string Field, string Vi, string En)> For(Layer layer) => layer == LayerCatalog.FieldReports ? Reports :
        [.. Shared, .. layer.Category is { } c && DetailFields.For(c) is { } table ? table.Fields.Select(f => (f.Column, f.Header.Vi, f.Header.En)) : []];
}
