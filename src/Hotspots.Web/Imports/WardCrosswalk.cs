using Hotspots.Text;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// Places a row that names a ward but gives no coordinates: a current (2025) unit by its name, or a pre-2025
/// ward (with its district, where given) through an old→new crosswalk built from hanoi-wards-pre2025-526.csv and
/// the 2025 units. The open data has no old boundaries and no merge lists, so the crosswalk links an old ward to
/// the new unit that carries its name (88 of the 526 do); any other old name is rejected with a request for
/// coordinates, and a name that could be several units is rejected with the candidates listed. A placed row sits
/// at its ward's interior centre, and the run says so.
/// </summary>
public sealed class WardCrosswalk
{
    public sealed record NewUnit(string Code, string FullName, string Kind, string Exact, Point Centre, string Name = "");
    private sealed record OldWard(string Code, string District, string DistrictKey, string Name, string NameKey, string Exact, NewUnit? Now);

    private readonly Dictionary<string, NewUnit> _newByKey;
    private readonly Dictionary<string, NewUnit> _newByCode;
    private readonly List<OldWard> _old;
    private readonly Dictionary<string, OldWard> _oldByCode;
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _districts;

    private WardCrosswalk(Dictionary<string, NewUnit> newByKey, List<OldWard> old)
    {
        _newByKey = newByKey;
        _newByCode = newByKey.Values.ToDictionary(u => u.Code, StringComparer.Ordinal);
        _old = old;
        _oldByCode = old.Where(o => o.Code.Length > 0).GroupBy(o => o.Code).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _names = [.. newByKey.Values.Select(u => Key(u.FullName)), .. old.Select(o => o.NameKey)];
        _districts = [.. old.Select(o => o.DistrictKey)];
    }

    /// <summary>A five-digit official code of a current unit or of a pre-2025 ward.</summary>
    public bool IsWardCode(string code) => _newByCode.ContainsKey(code) || _oldByCode.ContainsKey(code);

    /// <summary>The name of a current unit or a pre-2025 ward (no diacritics needed; "Phường" or not).</summary>
    public bool IsWardName(string name) => name.Length <= 60 && _names.Contains(Key(name));

    /// <summary>The name of a pre-2025 district ("Quận Đống Đa", "dong da").</summary>
    public bool IsDistrictName(string name) => name.Length <= 60 && _districts.Contains(Key(name));

    /// <summary>The current unit's name ("Ba Đình"), or null.</summary>
    public string? NameOf(string code) => _newByCode.GetValueOrDefault(code)?.Name;

    /// <summary>The current unit's full name ("Phường Ba Đình"), or null.</summary>
    public string? FullNameOf(string code) => _newByCode.GetValueOrDefault(code)?.FullName;

    /// <summary>
    /// The unit an official code means: a current unit's code first (the 2025 codes reuse codes of merged wards),
    /// else a pre-2025 ward's, through its name.
    /// </summary>
    public (NewUnit? Unit, string? Note, Reject? Reject) PlaceByCode(int row, string column, string code)
    {
        code = code.Trim();
        if (code.Length is > 0 and < 5 && code.All(char.IsAsciiDigit))
        {
            code = code.PadLeft(5, '0'); // a spreadsheet drops the leading zeros
        }
        if (_newByCode.TryGetValue(code, out var unit))
        {
            return (unit, null, null);
        }
        if (_oldByCode.TryGetValue(code, out var old))
        {
            return FromOld(row, column, $"{old.Name} ({code})", [old]);
        }
        return (null, null, new Reject(row, column, code,
            "Mã phường, xã không có trong danh mục 126 đơn vị mới hay 526 đơn vị cũ.", "The code is neither one of the 126 current units nor of the 526 pre-2025 wards."));
    }

    private static readonly (string Old, string New)[] TonePlacement =
    [
        ("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"), ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
        ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ"),
    ];

    /// <summary>
    /// The name as written, for exact matching: lower case, NFC, without its unit word, and with the two spellings of
    /// tone placement made one ("Hoà" = "Hòa"). Tones still count: Việt Hưng is not Việt Hùng.
    /// </summary>
    public static string ExactKey(string name)
    {
        var t = string.Join(' ', name.Normalize(System.Text.NormalizationForm.FormC).ToLower(CultureInfo.GetCultureInfo("vi-VN"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var prefix in new[] { "phường ", "xã ", "thị trấn ", "quận ", "huyện ", "thị xã " })
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
            {
                t = t[prefix.Length..];
                break;
            }
        }
        foreach (var (o, n) in TonePlacement)
        {
            t = t.Replace(o, n, StringComparison.Ordinal);
        }
        return t;
    }

    // Old phường became phường; old xã became xã; a thị trấn became either.
    private static string OldKind(string name) => SearchKey.Identifier(name) switch
    {
        var k when k.StartsWith("phuong_", StringComparison.Ordinal) => "phuong",
        var k when k.StartsWith("xa_", StringComparison.Ordinal) => "xa",
        _ => "any",
    };

    /// <summary>Name without its unit word ("Phường", "Xã", "Thị trấn", "Quận", "Huyện", "Thị xã"), no diacritics.</summary>
    public static string Key(string name)
    {
        var k = SearchKey.Identifier(name);
        foreach (var prefix in new[] { "phuong_", "xa_", "thi_tran_", "quan_", "huyen_", "thi_xa_", "ward_", "commune_" })
        {
            if (k.StartsWith(prefix, StringComparison.Ordinal))
            {
                return k[prefix.Length..];
            }
        }
        return k;
    }

    public static async Task<WardCrosswalk> LoadAsync(NpgsqlDataSource dataSource, string oldWardsCsv, CancellationToken ct)
    {
        var newByKey = new Dictionary<string, NewUnit>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("""
            SELECT code, name, full_name, kind, ST_X(c), ST_Y(c) FROM current_wards, LATERAL (SELECT (ST_MaximumInscribedCircle(geom)).center AS c) m
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var unit = new NewUnit(r.GetString(0), r.GetString(2), r.GetString(3), ExactKey(r.GetString(1)),
                    Geo.GeoJsonGeometry.Factory.CreatePoint(new Coordinate(r.GetDouble(4), r.GetDouble(5))), r.GetString(1));
                newByKey[unit.Exact] = unit;
            }
        }
        var old = new List<OldWard>();
        if (File.Exists(oldWardsCsv))
        {
            using var reader = new StreamReader(oldWardsCsv);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
            foreach (var row in csv.GetRecords<dynamic>())
            {
                var d = (IDictionary<string, object>)row;
                var district = (string)d["district_name"];
                var name = (string)d["ward_name"];
                var now = newByKey.GetValueOrDefault(ExactKey(name)) is { } n && (OldKind(name) == "any" || OldKind(name) == n.Kind) ? n : null;
                old.Add(new OldWard(d.TryGetValue("ward_code", out var code) ? (string)code : "", district, Key(district), name, Key(name), ExactKey(name), now));
            }
        }
        return new WardCrosswalk(newByKey, old);
    }

    /// <summary>The unit a ward name (and district) means, or why it cannot be placed.</summary>
    public (NewUnit? Unit, string? Note, Reject? Reject) Place(int row, string column, string wardName, string? district)
    {
        // Exactly as written first (tones count: Việt Hưng is not Việt Hùng); without diacritics only when that finds nothing.
        var exact = ExactKey(wardName);
        var key = Key(wardName);
        var inDistrict = _old.Where(o => district is null || o.DistrictKey == Key(district)).ToList();
        var olds = inDistrict.Where(o => o.Exact == exact).ToList();
        // A current name wins, unless the district given points to an old ward of that name that went elsewhere.
        if (_newByKey.GetValueOrDefault(exact) is { } current && (district is null || olds.Count == 0 || olds.Any(o => o.Now == current)))
        {
            return (current, null, null);
        }
        if (olds.Count > 0)
        {
            return FromOld(row, column, wardName, olds);
        }
        var loose = _newByKey.Values.Where(u => Key(u.FullName) == key).ToList();
        if (district is null && loose.Count == 1)
        {
            return (loose[0], $"{wardName} ≈ {loose[0].FullName}", null);
        }
        olds = inDistrict.Where(o => o.NameKey == key).ToList();
        if (olds.Count > 0)
        {
            return FromOld(row, column, wardName, olds);
        }
        return (null, null, new Reject(row, column, wardName,
            "Không có tọa độ và tên phường, xã không có trong danh mục (mới hay cũ); hãy ghi tọa độ.",
            "No coordinates, and the ward name is neither a current nor a pre-2025 unit; give coordinates."));
    }

    private static (NewUnit?, string?, Reject?) FromOld(int row, string column, string wardName, List<OldWard> olds)
    {
        if (olds.Count > 1)
        {
            var candidates = string.Join("; ", olds.Select(o => $"{o.Name} ({o.District}) → {o.Now?.FullName ?? "?"}"));
            return (null, null, new Reject(row, column, wardName,
                $"Tên phường, xã ứng với nhiều đơn vị; ghi rõ quận, huyện hoặc tọa độ. Ứng viên: {candidates}",
                $"The ward name fits several units; give the district or coordinates. Candidates: {candidates}"));
        }
        var o = olds[0];
        if (o.Now is { } unit)
        {
            return (unit, $"{o.Name} ({o.District}) → {unit.FullName}", null);
        }
        return (null, null, new Reject(row, column, wardName,
            $"Không có tọa độ; {o.Name} ({o.District}) đã sáp nhập nhưng dữ liệu mở không cho biết vào phường, xã mới nào. Hãy ghi tọa độ.",
            $"No coordinates; {o.Name} ({o.District}) was merged, but the open data does not say into which new unit. Give coordinates."));
    }
}
