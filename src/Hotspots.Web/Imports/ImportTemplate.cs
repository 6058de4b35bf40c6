using Hotspots.Records;
using System.Text;
using Hotspots.Layers;

namespace Hotspots.Imports;

/// <summary>
/// A ready-to-fill CSV per layer for ward clerks: every column the import understands, with Vietnamese headers
/// (the ones FieldMap recognises) and one example row placed in central Hanoi. Its test imports it as it is.
/// </summary>
public static class ImportTemplate
{
    /// <param name="Choices">The values a column accepts, when it takes one of a list (the page names them).</param>
    public sealed record Column(string Vi, string En, string Example, IReadOnlyList<DetailFields.Choice>? Choices = null);

    /// <summary>The columns every layer shares; only a title and a position (or a ward's name) are required.</summary>
    public static IReadOnlyList<Column> Shared(Layer layer)
    {
        if (layer == LayerCatalog.FieldReports)
        {
            return Reports;
        }
        if (layer == LayerCatalog.Rainfall)
        {
            return Rain;
        }
        var kinds = SubtypeCatalog.Of(layer.Id).Select(k => new DetailFields.Choice(k.Id, k.NameVi, k.NameEn)).ToList();
        var kind = kinds.FirstOrDefault()?.Vi;
        return
        [
            new("Mã", "Id", "TT-0001"),
            new("Tiêu đề", "Title", $"{kind ?? layer.NameVi} – ví dụ"),
            new("Loại", "Kind", kind ?? "", kinds.Count > 0 ? kinds : null),
            new("Mức độ", "Severity (1–5)", "3"),
            new("Trạng thái", "Status", "mới tiếp nhận"),
            new("Ngày phát hiện", "Reported on", "15/03/2025"),
            new("Hạn xử lý", "Deadline", "30/04/2025"),
            new("Đơn vị chịu trách nhiệm", "Responsible unit", "UBND phường Đống Đa"),
            new("Cán bộ phụ trách", "Officer in charge", "Nguyễn Văn An – Phòng Kinh tế, Hạ tầng và Đô thị"),
            new("Cấp có thẩm quyền", "Authority", "UBND phường Đống Đa"),
            new("Kết quả xử lý", "Outcome", "Cần đạt: xử lý dứt điểm trước hạn"),
            new("Vĩ độ", "Latitude", "21.01790"),
            new("Kinh độ", "Longitude", "105.82710"),
            new("Phường, xã", "Ward or commune", ""),
            new("Mô tả", "Description", ""),
        ];
    }

    // A hotline's list: what was said, where and when, by whom (kept private), in which field of work.
    private static readonly IReadOnlyList<Column> Reports =
    [
        new("Mã phản ánh", "Report id", "DN-2025-0001"),
        new("Thời gian tiếp nhận", "Received at", "15/03/2025 08:30"),
        new("Lĩnh vực", "Field", "Ùn tắc giao thông",
            [.. LayerCatalog.All.Where(l => l.Category is not null).Select(l => new DetailFields.Choice(l.Category!, l.NameVi, l.NameEn))]),
        new("Loại", "Kind", "", [.. SubtypeCatalog.All.Select(k => new DetailFields.Choice(k.Id, k.NameVi, k.NameEn))]),
        new("Nội dung phản ánh", "What was reported", "Xe máy dựng kín vỉa hè trước số 12, người đi bộ phải xuống lòng đường"),
        new("Địa chỉ", "Address", "12 Hàng Bài"),
        new("Phường, xã", "Ward or commune", "Phường Hoàn Kiếm"),
        new("Vĩ độ", "Latitude", ""),
        new("Kinh độ", "Longitude", ""),
        new("Kênh tiếp nhận", "Channel", "Đường dây nóng"),
        new("Đường dẫn ảnh", "Photo link", ""),
        new("Họ tên người phản ánh", "Reporter's name", "Nguyễn Văn A"),
        new("Số điện thoại", "Phone", "0912 345 678"),
    ];

    // A gauge's daily totals, as the drainage company sends them (Imports/RainRows reads these names and its own).
    private static readonly IReadOnlyList<Column> Rain =
    [
        new("Ngày", "Date", "15/07/2026"),
        new("Mã trạm", "Gauge id (station_col)", "3"),
        new("Tên trạm", "Gauge name", "Ô Chợ Dừa"),
        new("Lượng mưa (mm)", "Rainfall (mm)", "72.5"),
    ];

    /// <summary>The layer's own columns (DetailFields).</summary>
    public static IReadOnlyList<Column> Own(Layer layer) =>
        layer.Category is { } category && DetailFields.For(category) is { } table
            ? table.Fields.Select(f => new Column(f.Header.Vi, f.Header.En, f.Header.Example, f.Choices)).ToList()
            : [];

    public static byte[] Csv(Layer layer)
    {
        var columns = Shared(layer).Concat(Own(layer)).ToList();
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Vi))).Append("\r\n");
        text.AppendJoin(',', columns.Select(c => Quote(c.Example))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())]; // the BOM: Excel then reads Vietnamese right
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
