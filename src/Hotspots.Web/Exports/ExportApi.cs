using System.Globalization;
using System.Text;
using Hotspots.Accounts;
using Hotspots.Hosting;
using Hotspots.Imports;
using Npgsql;

namespace Hotspots.Exports;

/// <summary>
/// GET /api/export/hotspots.csv (?layer=&amp;ward=): the records of one layer (or all) as a spreadsheet. Planners
/// export any ward or the whole city; a ward lead only their own wards (all of them when no ward is named);
/// viewers do not export. UTF-8 with BOM, formula-looking cells escaped.
/// </summary>
public static class ExportApi
{
    public static void MapExportApi(this WebApplication app) =>
        app.MapGet("/api/export/hotspots.csv", ExportAsync).RequireAuthorization(AccountsSetup.EditorsPolicy);

    private static async Task<IResult> ExportAsync(string? layer, string? ward, Caller caller, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        string? category = null;
        if (!string.IsNullOrEmpty(layer))
        {
            if (Layers.LayerCatalog.Find(layer) is not { Category: { } c })
            {
                return Problems.BadParameter("layer", "layer must be one of the hotspot layers");
            }
            category = c;
        }
        string[]? wards = ward is { Length: > 0 } ? [ward] : caller.CityWide ? null : caller.Wards.ToArray();
        if (wards is not null && wards.Any(w => !caller.MayChange(w)))
        {
            return Results.Problem(title: "Not allowed", detail: "a ward lead exports only their own wards", statusCode: StatusCodes.Status403Forbidden);
        }
        await using var cmd = dataSource.CreateCommand("""
            SELECT h.id, h.category, h.subtype, h.title, h.description, h.severity, h.status, h.responsible_unit, h.deadline, h.reported_at,
                   h.ward_code, w.name, ST_X(ST_PointOnSurface(h.geom)), ST_Y(ST_PointOnSurface(h.geom)), h.is_sample
            FROM hotspots h LEFT JOIN current_wards w ON w.code = h.ward_code
            WHERE (@category::text IS NULL OR h.category = @category) AND (@wards::text[] IS NULL OR h.ward_code = ANY(@wards::text[]))
            ORDER BY h.ward_code, h.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("category", category));
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("wards", wards) { DataTypeName = "text[]" });
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"hotspots-{layer ?? "all"}-{ward ?? (wards is null ? "city" : "my-wards")}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true));
        await writer.WriteAsync("id,lớp,loại,tiêu đề,mô tả,mức độ,trạng thái,đơn vị chủ trì,hạn xử lý,ngày phản ánh,mã phường/xã,phường/xã,kinh độ,vĩ độ,dữ liệu mẫu\r\n");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string Text(int i) => r.IsDBNull(i) ? "" : ImportsApi.Cell(r.GetString(i));
            await writer.WriteAsync(string.Join(',',
                r.GetInt64(0).ToString(CultureInfo.InvariantCulture), r.GetString(1), Text(2), Text(3), Text(4),
                r.GetInt16(5).ToString(CultureInfo.InvariantCulture), r.GetString(6), Text(7),
                r.IsDBNull(8) ? "" : r.GetFieldValue<DateOnly>(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.GetFieldValue<DateTimeOffset>(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Text(10), Text(11),
                r.GetDouble(12).ToString("0.######", CultureInfo.InvariantCulture), r.GetDouble(13).ToString("0.######", CultureInfo.InvariantCulture),
                r.GetBoolean(14) ? "mẫu" : "") + "\r\n");
        }
        return Results.Empty;
    }
}
