using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Hotspots.Imports;

/// <summary>
/// The coordinate systems field files arrive in: WGS84 lon/lat, VN-2000 / UTM zone 48N (EPSG:3405) and VN-2000 /
/// TM-3 with Hanoi's central meridian 105°00′ (scale 0.9999). VN-2000 → WGS84 by the seven-parameter shift in
/// DESIGN.md (position-vector signs). Reprojected with ProjNet.
/// </summary>
public sealed class Crs
{
    public static readonly Crs Wgs84 = new("EPSG:4326", "WGS84 (kinh độ, vĩ độ)", null);
    public static readonly Crs Vn2000Utm48 = new("EPSG:3405", "VN-2000 / UTM 48N", 0.9996);
    public static readonly Crs Vn2000Tm3Hanoi = new("VN2000-TM3-105", "VN-2000 / TM-3 kinh tuyến trục 105°00′", 0.9999);
    public static readonly IReadOnlyList<Crs> All = [Wgs84, Vn2000Utm48, Vn2000Tm3Hanoi];

    private readonly MathTransform? _toWgs84;
    private readonly MathTransform? _fromWgs84;

    private Crs(string code, string name, double? scale)
    {
        Code = code;
        Name = name;
        if (scale is { } k)
        {
            var wkt = FormattableString.Invariant($"""
                PROJCS["{name}",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563],
                TOWGS84[-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278]],
                PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],
                PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105],PARAMETER["scale_factor",{k}],
                PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]
                """);
            var projected = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
            var factory = new CoordinateTransformationFactory();
            _toWgs84 = factory.CreateFromCoordinateSystems(projected, GeographicCoordinateSystem.WGS84).MathTransform;
            _fromWgs84 = factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, projected).MathTransform;
        }
    }

    public string Code { get; }
    public string Name { get; }
    public bool IsProjected => _toWgs84 is not null;

    /// <summary>A file's declared CRS: EPSG:4326 / wgs84, EPSG:3405 / utm48, VN2000-TM3-105 / tm3.</summary>
    public static Crs? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "EPSG:4326" or "4326" or "WGS84" or "WGS 84" => Wgs84,
        "EPSG:3405" or "3405" or "UTM48" or "VN2000-UTM48" => Vn2000Utm48,
        "VN2000-TM3-105" or "TM3" or "VN2000-TM3" or "VN2000" => Vn2000Tm3Hanoi,
        _ => null,
    };

    public (double Lon, double Lat) ToWgs84(double x, double y)
    {
        if (_toWgs84 is null)
        {
            return (x, y);
        }
        var (lon, lat) = _toWgs84.Transform(x, y);
        return (lon, lat);
    }

    /// <summary>
    /// WGS84 to this grid. ProjNet's inverse datum shift is a few millimetres off the forward one, so the answer is
    /// refined against <see cref="ToWgs84(double, double)"/> until the two agree to well under a millimetre.
    /// </summary>
    public (double X, double Y) FromWgs84(double lon, double lat)
    {
        if (_fromWgs84 is null)
        {
            return (lon, lat);
        }
        var (x, y) = _fromWgs84.Transform(lon, lat);
        var metresPerDegreeLon = 111_320 * Math.Cos(lat * Math.PI / 180);
        for (var i = 0; i < 4; i++)
        {
            var (lon2, lat2) = ToWgs84(x, y);
            var dx = (lon - lon2) * metresPerDegreeLon;
            var dy = (lat - lat2) * 110_574;
            x += dx;
            y += dy;
            if (Math.Abs(dx) + Math.Abs(dy) < 1e-6)
            {
                break;
            }
        }
        return (x, y);
    }

    /// <summary>The same geometry in WGS84 (a copy; the input is not changed).</summary>
    public Geometry ToWgs84(Geometry g)
    {
        if (!IsProjected)
        {
            return g;
        }
        var copy = g.Copy();
        copy.Apply(new Reproject(this));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class Reproject(Crs crs) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (lon, lat) = crs.ToWgs84(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, lon);
            seq.SetY(i, lat);
        }
    }

    /// <summary>
    /// What a pair of numbers most likely is around Hanoi: lon/lat, lat/lon swapped, or VN-2000 metres (both
    /// VN-2000 grids share the central meridian 105° and false easting, so their ranges overlap: a file that does
    /// not declare one is read as TM-3, Hanoi's own grid, and the run says so).
    /// </summary>
    public static (Crs? Crs, bool Swapped) Detect(double x, double y)
    {
        if (x is >= 102 and <= 110 && y is >= 8 and <= 24)
        {
            return (Wgs84, false);
        }
        if (y is >= 102 and <= 110 && x is >= 8 and <= 24)
        {
            return (Wgs84, true);
        }
        if (x is >= 300_000 and <= 800_000 && y is >= 2_000_000 and <= 2_600_000)
        {
            return (Vn2000Tm3Hanoi, false);
        }
        if (y is >= 300_000 and <= 800_000 && x is >= 2_000_000 and <= 2_600_000)
        {
            return (Vn2000Tm3Hanoi, true);
        }
        return (null, false);
    }
}
