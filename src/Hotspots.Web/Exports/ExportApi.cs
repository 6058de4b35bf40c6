using Hotspots.Calendar;
using Hotspots.Http;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Map;
using Hotspots.Records;
using Hotspots.Hosting;
using Hotspots.Imports;
using Hotspots.Layers;
using Npgsql;
using SpreadCheetah;

namespace Hotspots.Exports;

/// <summary>
/// GET /api/export/{layer|hotspots}.{csv|xlsx|geojson} with the map API's own filters (ward, status, severity,
/// subtype, from/to, sample, bbox, at) and ?fields= to choose columns: exactly the filtered view, streamed row by
/// row from PostgreSQL (never the whole answer in memory). Planners export anywhere; a ward lead only their wards
/// (all of them when no ward is named); viewers the whole city but without personal data (asking for it is refused).
/// Inspected people's name and phone are filled only for those who may see them in that row's ward. CSV is UTF-8 with BOM; cells that look like formulas are escaped.
/// </summary>
public static class ExportApi
{
    private sealed record Column(string Id, string Header, bool Personal = false);

    private static readonly Column[] Columns =
    [
        new("id", "id"), new("layer", "lớp"), new("subtype", "loại"), new("title", "tiêu đề"), new("description", "mô tả"),
        new("severity", "mức độ"), new("status", "trạng thái"), new("responsible_unit", "đơn vị chủ trì"), new("deadline", "hạn xử lý"),
        new("assignee", "cán bộ phụ trách"), new("authority", "cấp có thẩm quyền"), new("result", "kết quả"),
        new("reported_at", "ngày phản ánh"), new("resolved_at", "ngày xử lý xong"), new("ward_code", "mã phường/xã"), new("ward_name", "phường/xã"),
        new("lon", "kinh độ"), new("lat", "vĩ độ"), new("is_sample", "dữ liệu mẫu"),
        new("origin", "nguồn"), new("source", "mã nguồn"), new("verified_at", "ngày xác minh"), new("updated_at", "cập nhật"),
        new("inspected_name", "người được kiểm tra", Personal: true), new("inspected_phone", "điện thoại người được kiểm tra", Personal: true),
    ];

    public static void MapExportApi(this WebApplication app) =>
        app.MapGet("/api/export/{name}.{format}", ExportAsync);

    private static async Task<IResult> ExportAsync(string name, string format, Caller caller, NpgsqlDataSource dataSource, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (format is not ("csv" or "xlsx" or "geojson"))
        {
            return Problems.BadParameter("format", "export as .csv, .xlsx or .geojson");
        }
        var layerId = name == "hotspots" ? http.Request.Query["layer"].ToString() : name;
        Layer? layer = null;
        if (layerId.Length > 0 && (layer = LayerCatalog.Find(layerId)) is not { Category: not null })
        {
            return Problems.BadParameter("layer", "layer must be one of the hotspot layers (or 'hotspots' for all)");
        }
        var (filter, parameter, reason) = HotspotFilter.Parse(http.Request.Query);
        if (filter is null)
        {
            return Problems.BadParameter(parameter!, reason!);
        }
        if (caller.Role == Roles.WardLead)
        {
            if (filter.Wards is { } asked && asked.Any(w => !caller.MayChange(w)))
            {
                return Results.Problem(title: "Not allowed", detail: "a ward lead exports only their own wards", statusCode: StatusCodes.Status403Forbidden);
            }
            filter = filter with { Wards = filter.Wards ?? caller.Wards.ToArray() };
        }
        var wanted = http.Request.Query["fields"].ToString() is { Length: > 0 } f ? f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
        if (wanted?.FirstOrDefault(w => Columns.All(c => c.Id != w)) is { } unknown)
        {
            return Problems.BadParameter("fields", $"unknown field '{unknown}'; use {string.Join(", ", Columns.Select(c => c.Id))}");
        }
        var columns = Columns.Where(c => wanted?.Contains(c.Id) ?? !c.Personal).ToArray();
        // Viewers read the whole city but never personal data: asking for it is refused, not silently emptied.
        if (!caller.Edits && columns.FirstOrDefault(c => c.Personal) is { } personal)
        {
            return Results.Problem(title: "Not allowed", detail: $"'{personal.Id}' is personal data, which a viewer's export does not include",
                statusCode: StatusCodes.Status403Forbidden);
        }

        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = $"""
            SELECT h.id, h.category, h.subtype, h.title, h.description, h.severity, h.status, h.responsible_unit, h.deadline, h.reported_at,
                   h.resolved_at, h.ward_code, w.name, ST_X(pt.p), ST_Y(pt.p), h.is_sample,
                   f.contact_name, f.contact_phone, {(format == "geojson" ? "ST_AsGeoJSON(ST_ForcePolygonCCW(h.geom), 6)" : "NULL::text")},
                   h.assignee, h.authority, h.result,
                   hotspot_origin(h.source, h.is_sample, h.import_run), h.source, h.verified_at, greatest(h.updated_at, h.verified_at)
            FROM hotspots h
            CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(h.geom) = 'POINT' THEN h.geom ELSE ST_PointOnSurface(h.geom) END AS p) pt
            LEFT JOIN current_wards w ON w.code = h.ward_code
            LEFT JOIN food_safety_inspections f ON f.hotspot_id = h.id
            WHERE (@category::text IS NULL OR h.category = @category) {filter.Sql(cmd)}
            ORDER BY h.id -- the primary key's order streams without a sort (a city-wide sort by ward spilled to disk)
            """;
        cmd.Parameters.Add(new NpgsqlParameter<string?>("category", layer?.Category));
        cmd.CommandTimeout = 0;
        http.Response.ContentType = format switch
        {
            "csv" => "text/csv; charset=utf-8",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => "application/geo+json",
        };
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"hotspots-{(layerId.Length > 0 ? layerId : "all")}-{HanoiTime.Today(time):yyyyMMdd}.{format}\"";
        await using var r = await cmd.ExecuteReaderAsync(ct); // rows arrive one by one; only the current row is held
        var values = new string?[columns.Length];
        string?[] Values()
        {
            var personal = caller.SeesPersonalDataIn(r.IsDBNull(11) ? null : r.GetString(11));
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = Value(r, columns[i].Id, personal);
            }
            return values;
        }
        switch (format)
        {
            case "csv":
                await using (var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true), 64 * 1024))
                {
                    await writer.WriteAsync(string.Join(',', columns.Select(c => c.Header)) + "\r\n");
                    var line = new StringBuilder(512);
                    while (await r.ReadAsync(ct))
                    {
                        line.Clear();
                        var first = true;
                        foreach (var v in Values())
                        {
                            line.Append(first ? "" : ",").Append(CsvCell.Of(v));
                            first = false;
                        }
                        await writer.WriteAsync(line.Append("\r\n"), ct);
                    }
                }
                break;
            case "xlsx":
                // The zip inside an .xlsx is finished with synchronous writes, which the server refuses: the sheet is
                // spooled to a temporary file (disk, not memory) and then sent.
                await using (var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous))
                {
                    await using (var sheet = await Spreadsheet.CreateNewAsync(spool, cancellationToken: ct))
                    {
                        await sheet.StartWorksheetAsync("Hotspots", token: ct);
                        await sheet.AddRowAsync(columns.Select(c => new Cell(c.Header)).ToArray(), ct);
                        while (await r.ReadAsync(ct))
                        {
                            // Cells are written as text or numbers, never as formulas: a value starting with '=' stays text.
                            await sheet.AddRowAsync(Values().Zip(columns, (v, c) => XlsxCell(c.Id, v)).ToArray(), ct);
                        }
                        await sheet.FinishAsync(ct);
                    }
                    spool.Position = 0;
                    await spool.CopyToAsync(http.Response.Body, ct);
                }
                break;
            default:
                await using (var json = new Utf8JsonWriter(http.Response.Body))
                {
                    json.WriteStartObject();
                    json.WriteString("type", "FeatureCollection");
                    json.WriteStartArray("features");
                    var n = 0;
                    while (await r.ReadAsync(ct))
                    {
                        var geometry = r.GetString(18);
                        json.WriteStartObject();
                        json.WriteString("type", "Feature");
                        json.WritePropertyName("properties");
                        json.WriteStartObject();
                        foreach (var (c, v) in columns.Zip(Values()))
                        {
                            json.WriteString(c.Id, v);
                        }
                        json.WriteEndObject();
                        json.WritePropertyName("geometry");
                        json.WriteRawValue(geometry, skipInputValidation: true);
                        json.WriteEndObject();
                        if (++n % 1000 == 0)
                        {
                            await json.FlushAsync(ct);
                        }
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                break;
        }
        return Results.Empty;
    }

    private static string? Value(NpgsqlDataReader r, string id, bool personal) => id switch
    {
        "id" => r.GetInt64(0).ToString(CultureInfo.InvariantCulture),
        "layer" => LayerOf[r.GetString(1)],
        "subtype" => Text(r, 2),
        "title" => r.GetString(3),
        "description" => Text(r, 4),
        "severity" => r.GetInt16(5).ToString(CultureInfo.InvariantCulture),
        "status" => r.GetString(6),
        "responsible_unit" => Text(r, 7),
        "deadline" => r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "reported_at" => HanoiTime.IsoDay(r.GetFieldValue<DateTimeOffset>(9)),
        "resolved_at" => r.IsDBNull(10) ? null : HanoiTime.IsoDay(r.GetFieldValue<DateTimeOffset>(10)),
        "ward_code" => Text(r, 11),
        "ward_name" => Text(r, 12),
        "lon" => r.GetDouble(13).ToString("0.######", CultureInfo.InvariantCulture),
        "lat" => r.GetDouble(14).ToString("0.######", CultureInfo.InvariantCulture),
        "is_sample" => r.GetBoolean(15) ? "true" : "false",
        "inspected_name" => personal ? Text(r, 16) : null,
        "inspected_phone" => personal ? Text(r, 17) : null,
        "assignee" => Text(r, 19),
        "authority" => Text(r, 20),
        "result" => Text(r, 21),
        // Provenance (issue 20): the kind of source, the source's key (a department system, an import's name), last verified and last changed.
        "origin" => r.GetString(22),
        "source" => r.GetString(23),
        "verified_at" => r.IsDBNull(24) ? null : HanoiTime.IsoDay(r.GetFieldValue<DateTimeOffset>(24)),
        "updated_at" => HanoiTime.IsoDay(r.GetFieldValue<DateTimeOffset>(25)),
        _ => null,
    };

    private static readonly Dictionary<string, string> LayerOf =
        LayerCatalog.All.Where(l => l.Category is not null).ToDictionary(l => l.Category!, l => l.Id, StringComparer.Ordinal);

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static Cell XlsxCell(string id, string? value) =>
        value is null ? new Cell() :
        id is "id" or "severity" or "lon" or "lat" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new Cell(d) :
        new Cell(value);
}
