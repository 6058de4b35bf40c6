using System.Globalization;

namespace Hotspots.Text;

/// <summary>Numbers as people type them in Vietnamese files.</summary>
public static class LooseNumber
{
    /// <summary>A finite number with a decimal point or a decimal comma ("21,0285"); never NaN or infinity.</summary>
    public static double? Parse(string text)
    {
        var t = text.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (t.Contains(',', StringComparison.Ordinal) && !t.Contains('.', StringComparison.Ordinal))
        {
            t = t.Replace(',', '.');
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }
}
