using System.Globalization;
using Hotspots.Calendar;
using Hotspots.Text;

namespace Hotspots.Imports.Mapping;

/// <summary>
/// What a column's sampled values look like: how many are numbers in Hanoi's latitude or longitude range, VN-2000
/// metres, dates, official ward codes, ward or district names, statuses, the layer's kinds, small whole numbers,
/// addresses, or plain text — each as a share of the non-empty values.
/// </summary>
public sealed class ColumnProfile
{
    public int NonEmpty { get; private set; }
    private int _lat, _lon, _easting, _northing, _dates, _small, _wardCodes, _wardNames, _districts, _statuses, _kinds, _addresses, _texts;
    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private long _length;

    public static ColumnProfile Of(IEnumerable<string?> values, Func<string, bool> isWardCode, Func<string, bool> isWardName,
        Func<string, bool> isDistrict, Func<string, bool> isStatus, Func<string, bool> isKind)
    {
        var p = new ColumnProfile();
        foreach (var raw in values)
        {
            if (raw?.Trim() is not { Length: > 0 } v)
            {
                continue;
            }
            p.NonEmpty++;
            p._distinct.Add(v);
            p._length += v.Length;
            var number = LooseNumber.Parse(v);
            if (number is { } n)
            {
                p._lat += n is >= 20.4 and <= 21.6 ? 1 : 0;
                p._lon += n is >= 105.2 and <= 106.1 ? 1 : 0;
                p._easting += n is >= 300_000 and <= 800_000 ? 1 : 0;
                p._northing += n is >= 2_000_000 and <= 2_600_000 ? 1 : 0;
                p._small += n is >= 1 and <= 5 && n == Math.Floor(n) && v.Length == 1 ? 1 : 0;
            }
            var (date, bad) = number is null || v.Contains('/') || v.Contains('-') ? HanoiTime.Parse(v) : (null, true);
            var isDate = date is not null && !bad;
            p._dates += isDate ? 1 : 0;
            p._wardCodes += v.Length == 5 && v.All(char.IsAsciiDigit) && isWardCode(v) ? 1 : 0;
            var name = number is null && isWardName(v);
            p._wardNames += name ? 1 : 0;
            var district = number is null && isDistrict(v);
            p._districts += district ? 1 : 0;
            var status = number is null && isStatus(v);
            p._statuses += status ? 1 : 0;
            var kind = number is null && isKind(v);
            p._kinds += kind ? 1 : 0;
            p._addresses += number is null && LooksLikeAddress(v) ? 1 : 0;
            p._texts += number is null && !isDate && !name && !district && !status && !kind && v.Any(char.IsLetter) ? 1 : 0;
        }
        return p;
    }

    private double Share(int n) => NonEmpty == 0 ? 0 : (double)n / NonEmpty;
    public double Latitudes => Share(_lat);
    public double Longitudes => Share(_lon);
    public double Eastings => Share(_easting);
    public double Northings => Share(_northing);
    public double Dates => Share(_dates);
    public double SmallWholeNumbers => Share(_small);
    public double WardCodes => Share(_wardCodes);
    public double WardNames => Share(_wardNames);
    public double Districts => Share(_districts);
    public double Statuses => Share(_statuses);
    public double Kinds => Share(_kinds);
    public double Addresses => Share(_addresses);
    public double Texts => Share(_texts);
    public double DistinctShare => Share(_distinct.Count);
    public double AverageLength => NonEmpty == 0 ? 0 : (double)_length / NonEmpty;

    private static readonly string[] StreetWords = ["so", "ngo", "ngach", "hem", "kiet", "pho", "duong", "quoc_lo", "tinh_lo", "khu_do_thi", "to_dan_pho", "thon", "xom"];

    // "Số 12 ngõ 34 Láng Hạ", "54-56 Hoa Bằng", "ngách 12/3 phố Kim Mã": begins with a house number or a street word
    // (a title such as "Lấn chiếm vỉa hè phố Huế" names a street further in).
    private static bool LooksLikeAddress(string v)
    {
        var key = SearchKey.Identifier(v);
        var words = key.Split('_');
        if (words.Length < 2)
        {
            return false;
        }
        return char.IsAsciiDigit(key[0]) || StreetWords.Any(w => key.StartsWith(w + "_", StringComparison.Ordinal));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={NonEmpty} lat={Latitudes:0.00} lon={Longitudes:0.00} e={Eastings:0.00} n={Northings:0.00} dates={Dates:0.00} texts={Texts:0.00} len={AverageLength:0}");
}
