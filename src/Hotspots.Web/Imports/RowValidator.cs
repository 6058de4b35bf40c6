using Hotspots.Calendar;
using Hotspots.Records;
using Hotspots.Text;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Hotspots.Dashboard;
using Hotspots.Geo;
using Hotspots.Imports.Reading;
using Hotspots.Layers;
using NetTopologySuite.Geometries;

namespace Hotspots.Imports;

/// <summary>
/// Checks one row at a time and says exactly what is wrong, in words a ward clerk understands: required fields,
/// numbers, enumerations, dates (ISO or dd/MM/yyyy), coordinates (CRS, swapped, inside Hanoi), geometry
/// (empty, invalid, nested collections, too many vertices). Ids repeated within the file are found by ImportWriter.
/// </summary>
public sealed class RowValidator(Layer layer, FieldMap map, Crs? declaredCrs, DateTimeOffset now, WardCrosswalk? crosswalk = null, WardLocator? wards = null)
{
    public const int MaxVertices = 50_000;

    private const int MaxDescription = HotspotDraft.MaxDescription;


    /// <summary>The CRS in use: declared, or detected from the first row with coordinates.</summary>
    public Crs? Crs { get; private set; } = declaredCrs;
    public int SwappedRows { get; private set; }
    public int DefaultedReportDates { get; private set; }
    /// <summary>Rows placed at their ward's centre by name (no coordinates), with what was matched.</summary>
    public List<string> PlacedByWard { get; } = [];

    /// <summary>What every row of every import is refused for before its fields are read: a cut file, control characters.</summary>
    public static Reject? Screen(SourceRow row)
    {
        if (row.GeometryError == "csv")
        {
            return new(row.Number, null, null, "Dòng có dấu ngoặc kép không đóng; tệp bị cắt từ dòng này.", "Unclosed quotes; the file is cut from this row.");
        }
        foreach (var (column, value) in row.Cells)
        {
            if (Hosting.ControlCharacterGuard.Holds(value))
            {
                return new(row.Number, column, null, "Ô có ký tự điều khiển (ví dụ NUL); hãy lưu lại tệp dưới dạng văn bản.",
                    "The cell holds a control character (such as NUL); save the file again as text.");
            }
        }
        return null;
    }

    /// <summary>
    /// Where a row is, in WGS84, and its ward: its geometry or coordinates (any known system), else its ward's code or
    /// name; inside Hanoi and inside a ward, or refused. A code that names another ward than the point is noted.
    /// </summary>
    public (Geometry? Geometry, string? WardCode, Reject? Reject) Place(SourceRow row)
    {
        var (geometry, geomReject) = GeometryOf(row);
        if (geomReject is not null)
        {
            return (null, null, geomReject);
        }
        string? wardCode = null;
        if (wards is not null && (wardCode = wards.WardOf(geometry!)) is null)
        {
            var at = geometry!.InteriorPoint;
            return (null, null, new Reject(row.Number, "geometry", Show(at.X, at.Y), "Vị trí không thuộc phường, xã nào của Hà Nội.",
                "The location is in no ward or commune of Hanoi."));
        }
        CheckNamedCode(row, geometry!, wardCode);
        return (geometry, wardCode, null);
    }

    public (ImportRecord? Record, Reject? Reject) Validate(SourceRow row)
    {
        if (Screen(row) is { } screened)
        {
            return (null, screened);
        }
        var title = map.Get(row.Cells, "title");
        if (title?.Length > 500)
        {
            return Fail(row, map.ColumnOf("title"), title[..40] + "…", "Tiêu đề dài quá 500 ký tự.", "The title is longer than 500 characters.");
        }

        var severityText = map.Get(row.Cells, "severity");
        short severity = 3;
        if (severityText is not null && (!short.TryParse(severityText, NumberStyles.Integer, CultureInfo.InvariantCulture, out severity) || severity is < 1 or > 5))
        {
            return Fail(row, map.ColumnOf("severity"), severityText, "Mức độ phải là số nguyên từ 1 đến 5.", "Severity must be a whole number from 1 to 5.");
        }

        var statusText = map.Get(row.Cells, "status");
        var status = statusText is null ? "reported" : StatusOf(statusText);
        if (status is null)
        {
            return Fail(row, map.ColumnOf("status"), statusText,
                "Trạng thái không hợp lệ; dùng: mới tiếp nhận, đã xác minh, đang xử lý, đã khắc phục, không xử lý.",
                "Unknown status; use reported, verified, in_progress, resolved or rejected.");
        }

        var subtypeText = map.Get(row.Cells, "subtype");
        string? subtype = null;
        if (subtypeText is not null)
        {
            var key = SearchKey.Identifier(subtypeText);
            subtype = SubtypeCatalog.Of(layer.Id)
                .FirstOrDefault(s => s.Id == key || SearchKey.Identifier(s.NameVi) == key || SearchKey.Identifier(s.NameEn) == key)?.Id;
            if (subtype is null)
            {
                var known = string.Join(", ", SubtypeCatalog.Of(layer.Id).Select(s => s.NameVi));
                return Fail(row, map.ColumnOf("subtype"), subtypeText, $"Loại điểm không có trong lớp này; dùng: {known}.",
                    $"Unknown kind for this layer; use: {string.Join(", ", SubtypeCatalog.Of(layer.Id).Select(s => s.Id))}.");
            }
        }

        var (reported, reportedBad) = HanoiTime.Parse(map.Get(row.Cells, "reported_at"));
        if (reportedBad)
        {
            return Fail(row, map.ColumnOf("reported_at"), map.Get(row.Cells, "reported_at"), "Ngày không đúng định dạng (dd/MM/yyyy hoặc yyyy-MM-dd).", "The date is not a date (dd/MM/yyyy or yyyy-MM-dd).");
        }
        if (reported > now.AddDays(1))
        {
            return Fail(row, map.ColumnOf("reported_at"), map.Get(row.Cells, "reported_at"), "Ngày phát hiện ở tương lai.", "The reported date is in the future.");
        }
        if (reported is null)
        {
            DefaultedReportDates++;
        }
        var (deadlineTime, deadlineBad) = HanoiTime.Parse(map.Get(row.Cells, "deadline"));
        if (deadlineBad)
        {
            return Fail(row, map.ColumnOf("deadline"), map.Get(row.Cells, "deadline"), "Hạn xử lý không đúng định dạng (dd/MM/yyyy hoặc yyyy-MM-dd).", "The deadline is not a date (dd/MM/yyyy or yyyy-MM-dd).");
        }
        var (resolved, resolvedBad) = HanoiTime.Parse(map.Get(row.Cells, "resolved_at"));
        if (resolvedBad)
        {
            return Fail(row, map.ColumnOf("resolved_at"), map.Get(row.Cells, "resolved_at"), "Ngày khắc phục không đúng định dạng.", "The resolved date is not a date.");
        }

        var (geometry, wardCode, placeReject) = Place(row);
        if (placeReject is not null)
        {
            return (null, placeReject);
        }
        if (string.IsNullOrWhiteSpace(title))
        {
            title = ComposeTitle(row, subtype, wardCode);
            if (title is null)
            {
                return Fail(row, map.ColumnOf("title") ?? "title", null, "Thiếu tiêu đề (tên điểm) và không có loại hay địa điểm để ghép tên.",
                    "The title is missing, and there is no kind or place to compose one from.");
            }
        }

        var externalId = map.Get(row.Cells, "external_id");
        if (externalId is { Length: > 200 })
        {
            return Fail(row, map.ColumnOf("external_id"), externalId[..40] + "…", "Mã dài quá 200 ký tự.", "The id is longer than 200 characters.");
        }
        var description = map.Get(row.Cells, "description");
        if (description?.Length > MaxDescription)
        {
            return Fail(row, map.ColumnOf("description"), description[..40] + "…", $"Mô tả dài quá {MaxDescription:N0} ký tự.", $"The description is longer than {MaxDescription:N0} characters.");
        }
        var unit = map.Get(row.Cells, "responsible_unit");
        var (assignee, authority, result) = (map.Get(row.Cells, "assignee"), map.Get(row.Cells, "authority"), map.Get(row.Cells, "outcome"));
        foreach (var (field, text, max) in (ReadOnlySpan<(string, string?, int)>)[("responsible_unit", unit, 200), ("assignee", assignee, 200),
                     ("authority", authority, 200), ("outcome", result, 1000)])
        {
            if (text?.Length > max)
            {
                return Fail(row, map.ColumnOf(field), text[..40] + "…", $"Dài quá {max} ký tự.", $"Longer than {max} characters.");
            }
        }
        var deadline = deadlineTime is { } d ? HanoiTime.DateOf(d) : (DateOnly?)null;
        var (details, detailReject) = Details(row, subtype, reported);
        if (detailReject is not null)
        {
            return (null, detailReject);
        }
        geometry!.SRID = 4326;
        // The hash reads the geometry's EWKB, as it always has: a file imported before hashes the same now.
        var ewkb = Wkb.WriteEwkb(geometry);
        var hash = ContentHash(ewkb, title, description, subtype, status, unit, details, severity, deadline, reported, resolved, assignee, authority, result);
        // Without an id column a row is known by what, where and when: the same row imported twice is one record.
        // (Ids repeated within the file are found in the database, by ImportWriter: a million ids need no memory here.)
        externalId ??= "h:" + Hash(title, geometry!.AsText(), reported)[..24];
        return (new ImportRecord(row.Number, externalId, title, description, subtype, severity, status, unit, deadline, reported, resolved, geometry, hash, wardCode, details,
            assignee, authority, result), null);
    }

    /// <summary>Rows whose coordinates lie outside the ward their code names: kept where the coordinates put them, noted.</summary>
    public List<string> OutsideNamedWard { get; } = [];

    /// <summary>Rows with no title of their own, and the first title composed for one.</summary>
    public int ComposedTitles { get; private set; }
    public string? FirstComposedTitle { get; private set; }

    // A row with coordinates and a ward code: the coordinates decide; a code that says otherwise is worth a note.
    private void CheckNamedCode(SourceRow row, Geometry geometry, string? located)
    {
        if (located is null || wards is null || crosswalk is null || map.Get(row.Cells, "ward_code") is not { Length: > 0 } code
            || map.Get(row.Cells, "lat") is null && map.Get(row.Cells, "x") is null && row.Geometry is null)
        {
            return;
        }
        var (named, _, _) = crosswalk.PlaceByCode(row.Number, "", code);
        if (named is null || named.Code == located)
        {
            return;
        }
        var metres = wards.DistanceMetres(geometry, named.Code);
        OutsideNamedWard.Add(string.Create(CultureInfo.InvariantCulture,
            $"dòng {row.Number}: mã {code} là {named.FullName}, nhưng tọa độ ở {crosswalk.FullNameOf(located) ?? located}, cách ranh giới {metres:0} m"));
    }

    // "Điểm úng ngập – 54-56 Hoa Bằng, Phường Yên Hòa": the kind (or the layer's own word) and the place in words.
    private string? ComposeTitle(SourceRow row, string? subtype, string? wardCode)
    {
        var kind = Layers.SubtypeCatalog.Find(subtype)?.NameVi ?? Layers.LayerNouns.Of(layer.Category);
        var street = map.Get(row.Cells, "street");
        var number = map.Get(row.Cells, "house_number");
        var place = map.Get(row.Cells, "address") is { Length: > 0 } address ? address
            : street is { Length: > 0 } ? (number is { Length: > 0 } ? $"{number} {street}" : street) : null;
        var ward = wardCode is null ? null : crosswalk?.FullNameOf(wardCode);
        if (kind is null || place is null && ward is null)
        {
            return null;
        }
        var where = place is null ? ward : ward is null || place.Contains(ward, StringComparison.OrdinalIgnoreCase) ? place : $"{place}, {ward}";
        var title = $"{kind} – {where}";
        title = title.Length > 500 ? title[..500] : title;
        ComposedTitles++;
        FirstComposedTitle ??= title;
        return title;
    }

    private readonly DetailFields.Table? _detailTable = layer.Category is { } category ? DetailFields.For(category) : null;

    /// <summary>Rows that carry details for the layer's own table.</summary>
    public int DetailedRows { get; private set; }

    // The layer's own fields, checked one by one. An urban-order violation's type and a food-safety inspection's
    // establishment default to the row's kind, the inspection's date to the reported day; an inspection needs its
    // result. A row that says nothing of them has no details (the bench's million plain points cost one lookup each).
    private (string? Json, Reject? Bad) Details(SourceRow row, string? subtype, DateTimeOffset? reported)
    {
        if (_detailTable is not { } table)
        {
            return (null, null);
        }
        List<(DetailFields.Field Field, string Text)>? found = null;
        foreach (var field in table.Fields)
        {
            if (map.Get(row.Cells, field.Column) is { Length: > 0 } text)
            {
                (found ??= []).Add((field, text));
            }
        }
        var category = layer.Category;
        if (found is null && !(category == "urban_order" && subtype is not null))
        {
            return (null, null);
        }
        var given = found ?? [];
        if (category == "food_safety" && !given.Any(g => g.Field.Column == "result"))
        {
            return (null, new Reject(row.Number, map.ColumnOf("result") ?? "result", null,
                "Thiếu kết quả kiểm tra (đạt / không đạt).", "The inspection result (pass / fail) is missing."));
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (field, text) in given)
            {
                if (!DetailFields.TryWrite(json, field, text))
                {
                    var (vi, en) = DetailFields.Why(field);
                    var column = map.ColumnOf(field.Column) ?? field.Column;
                    return (null, new Reject(row.Number, column, text, $"Cột “{column}” {vi}.", $"The column “{column}” {en}."));
                }
            }
            if (category == "urban_order" && given.Count == 0)
            {
                json.WriteString("violation_type", subtype);
            }
            if (category == "food_safety")
            {
                if (!given.Any(g => g.Field.Column == "establishment_kind"))
                {
                    json.WriteString("establishment_kind", subtype ?? "other");
                }
                if (!given.Any(g => g.Field.Column == "inspection_date"))
                {
                    json.WriteString("inspection_date", HanoiTime.IsoDay(reported ?? now));
                }
            }
            json.WriteEndObject();
        }
        DetailedRows++;
        return (Encoding.UTF8.GetString(buffer.WrittenSpan), null);
    }

    private (Geometry?, Reject?) GeometryOf(SourceRow row)
    {
        if (row.Geometry is null && row.GeometryError is not null and not "empty")
        {
            return (null, new Reject(row.Number, "geometry", null, $"Hình học không hợp lệ: {row.GeometryError}.", $"Invalid geometry: {row.GeometryError}."));
        }
        Geometry geometry;
        if (row.Geometry is { } g)
        {
            if (g.IsEmpty)
            {
                return (null, new Reject(row.Number, "geometry", null, "Hình học rỗng.", "The geometry is empty."));
            }
            if (g is GeometryCollection gc && g.OgcGeometryType == OgcGeometryType.GeometryCollection && gc.Geometries.Any(m => m is GeometryCollection))
            {
                return (null, new Reject(row.Number, "geometry", null, "Tập hình học lồng nhau không được hỗ trợ.", "Nested geometry collections are not supported."));
            }
            if (g.NumPoints > MaxVertices)
            {
                return (null, new Reject(row.Number, "geometry", g.NumPoints.ToString(CultureInfo.InvariantCulture),
                    $"Hình học có quá {MaxVertices:N0} đỉnh.", $"The geometry has more than {MaxVertices:N0} vertices."));
            }
            var first = g.Coordinate;
            var (detected, swapped) = Crs.Detect(first.X, first.Y);
            var crs = Crs ?? detected;
            if (crs is null)
            {
                return (null, new Reject(row.Number, "geometry", Show(first.X, first.Y), "Tọa độ không thuộc hệ nào đã biết quanh Hà Nội.", "The coordinates fit no known system around Hanoi."));
            }
            Crs ??= crs;
            geometry = crs.ToWgs84(swapped && detected == crs ? Swap(g) : g);
            if (swapped && detected == crs)
            {
                SwappedRows++;
            }
            if (!geometry.IsValid)
            {
                var op = new NetTopologySuite.Operation.Valid.IsValidOp(geometry);
                return (null, new Reject(row.Number, "geometry", null, $"Hình học không hợp lệ ({op.ValidationError?.Message}).", $"Invalid geometry ({op.ValidationError?.Message})."));
            }
        }
        else
        {
            var (a, b, columns, bad) = Pair(row);
            if (bad is not null)
            {
                return (null, bad);
            }
            if ((a is null || b is null) && map.Get(row.Cells, "ward_code") is { Length: > 0 } code && crosswalk is not null)
            {
                var (unit, note, reject) = crosswalk.PlaceByCode(row.Number, map.ColumnOf("ward_code")!, code);
                if (reject is not null)
                {
                    return (null, reject);
                }
                PlacedByWard.Add($"dòng {row.Number}: {note ?? $"{code} → {unit!.FullName}"}");
                return (unit!.Centre, null);
            }
            if ((a is null || b is null) && map.Get(row.Cells, "ward") is { } wardName && crosswalk is not null)
            {
                var (unit, note, reject) = crosswalk.Place(row.Number, map.ColumnOf("ward")!, wardName, map.Get(row.Cells, "district"));
                if (reject is not null)
                {
                    return (null, reject);
                }
                PlacedByWard.Add($"dòng {row.Number}: {note ?? unit!.FullName}");
                return (unit!.Centre, null);
            }
            if (a is null || b is null)
            {
                return (null, new Reject(row.Number, map.ColumnOf("lat") ?? map.ColumnOf("y") ?? "lat", null,
                    "Thiếu tọa độ (vĩ độ, kinh độ hoặc X, Y).", "Coordinates are missing (latitude, longitude or X, Y)."));
            }
            var (detected, swapped) = Crs.Detect(a.Value, b.Value);
            if (detected is null)
            {
                return (null, new Reject(row.Number, columns, Show(a.Value, b.Value), "Tọa độ không thuộc hệ nào đã biết quanh Hà Nội.", "The coordinates fit no known system around Hanoi."));
            }
            if (Crs is not null && detected.IsProjected != Crs.IsProjected)
            {
                return (null, new Reject(row.Number, columns, Show(a.Value, b.Value), $"Tọa độ không cùng hệ với tệp ({Crs.Name}).", $"The coordinates are not in the file's system ({Crs.Code})."));
            }
            Crs ??= detected;
            var (x, y) = swapped ? (b.Value, a.Value) : (a.Value, b.Value);
            if (swapped)
            {
                SwappedRows++;
            }
            var (lon, lat) = Crs.ToWgs84(x, y);
            geometry = GeoJsonGeometry.Factory.CreatePoint(new Coordinate(lon, lat));
        }
        var e = geometry.EnvelopeInternal;
        if (!HanoiExtent.Envelope.Contains(e))
        {
            return (null, new Reject(row.Number, "geometry", Show(e.Centre.X, e.Centre.Y), "Vị trí nằm ngoài Hà Nội.", "The location is outside Hanoi."));
        }
        return (geometry, null);
    }

    // lon/lat (x, y) from lat+lon or x+y columns; Vietnamese surveyors write X for northing, which Detect sees as swapped.
    private (double? A, double? B, string Columns, Reject? Bad) Pair(SourceRow row)
    {
        var (fx, fy) = map.ColumnOf("lon") is not null || map.ColumnOf("lat") is not null ? ("lon", "lat") : ("x", "y");
        var columns = $"{map.ColumnOf(fx) ?? fx}, {map.ColumnOf(fy) ?? fy}";
        var xs = map.Get(row.Cells, fx);
        var ys = map.Get(row.Cells, fy);
        if (xs is null || ys is null)
        {
            return (null, null, columns, null);
        }
        if (LooseNumber.Parse(xs) is not { } x)
        {
            return (null, null, columns, new Reject(row.Number, map.ColumnOf(fx), xs, "Tọa độ không phải là số.", "The coordinate is not a number."));
        }
        if (LooseNumber.Parse(ys) is not { } y)
        {
            return (null, null, columns, new Reject(row.Number, map.ColumnOf(fy), ys, "Tọa độ không phải là số.", "The coordinate is not a number."));
        }
        return (x, y, columns, null);
    }


    private static readonly Dictionary<string, string> Statuses = new(StringComparer.Ordinal)
    {
        ["reported"] = "reported", ["moi"] = "reported", ["moi_tiep_nhan"] = "reported", ["tiep_nhan"] = "reported", ["new"] = "reported",
        ["verified"] = "verified", ["da_xac_minh"] = "verified", ["xac_minh"] = "verified", ["active"] = "verified", ["con_ton_tai"] = "verified",
        ["in_progress"] = "in_progress", ["dang_xu_ly"] = "in_progress", ["dang_khac_phuc"] = "in_progress", ["in_progress_"] = "in_progress",
        ["resolved"] = "resolved", ["inactive"] = "resolved", ["da_khac_phuc"] = "resolved", ["da_xu_ly"] = "resolved", ["hoan_thanh"] = "resolved", ["done"] = "resolved",
        ["rejected"] = "rejected", ["khong_xu_ly"] = "rejected", ["tu_choi"] = "rejected", ["loai"] = "rejected",
    };

    /// <summary>Whether a text is one of the statuses a file may give (in either language, any case or diacritics).</summary>
    public static bool IsStatus(string text) => Statuses.ContainsKey(SearchKey.Identifier(text));

    // A file repeats a handful of statuses a million times: each is turned into a key once.
    private readonly Dictionary<string, string?> _statusOf = new(StringComparer.Ordinal);

    private string? StatusOf(string text)
    {
        if (_statusOf.TryGetValue(text, out var status))
        {
            return status;
        }
        status = Statuses.GetValueOrDefault(SearchKey.Identifier(text));
        if (_statusOf.Count < 1000)
        {
            _statusOf[text] = status;
        }
        return status;
    }

    private static Geometry Swap(Geometry g)
    {
        var copy = g.Copy();
        copy.Apply(new SwapFilter());
        copy.GeometryChanged();
        return copy;
    }

    private sealed class SwapFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            seq.SetX(i, seq.GetY(i));
            seq.SetY(i, x);
        }
    }

    private static string Show(double a, double b) => FormattableString.Invariant($"{a}, {b}");

    private static (ImportRecord?, Reject?) Fail(SourceRow row, string? column, string? value, string vi, string en) =>
        (null, new Reject(row.Number, column, value, vi, en));

    // What a re-import compares: a 128-bit xxHash of the fields and the geometry's bytes, not a cryptographic hash
    // of text (nobody forges it; at a million rows SHA-256 over WKT cost ~2.5 s). Text is hashed as UTF-16 with a
    // separator after each field, so ("ab", "c") and ("a", "bc") differ.
    private readonly XxHash128 _hasher = new();

    private string ContentHash(byte[] geometry, string title, string? description, string? subtype, string status, string? unit, string? details,
        short severity, DateOnly? deadline, DateTimeOffset? reported, DateTimeOffset? resolved, string? assignee, string? authority, string? result)
    {
        _hasher.Reset();
        foreach (var text in (ReadOnlySpan<string?>)[title, description, subtype, status, unit, details])
        {
            _hasher.Append(MemoryMarshal.AsBytes((text ?? "\0").AsSpan()));
            _hasher.Append("\u001f"u8);
        }
        // The "6 rõ" fields came later: hashed only when given, so a file without them hashes as it did before.
        if (assignee is not null || authority is not null || result is not null)
        {
            foreach (var text in (ReadOnlySpan<string?>)[assignee, authority, result])
            {
                _hasher.Append(MemoryMarshal.AsBytes((text ?? "\0").AsSpan()));
                _hasher.Append("\u001f"u8);
            }
        }
        Span<long> numbers = [severity, deadline?.DayNumber ?? long.MinValue, reported?.ToUnixTimeSeconds() ?? long.MinValue, resolved?.ToUnixTimeSeconds() ?? long.MinValue];
        _hasher.Append(MemoryMarshal.AsBytes(numbers));
        _hasher.Append(geometry);
        Span<byte> digest = stackalloc byte[16];
        _hasher.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static string Hash(params object?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p switch
        {
            null => "",
            DateTimeOffset t => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => p.ToString(),
        }));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
