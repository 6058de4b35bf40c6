using System.Globalization;
using System.Text;

namespace Hotspots.Text;

/// <summary>How Vietnamese text is compared in searches: without diacritics or case, so "dong da" finds "Đống Đa".</summary>
public static class SearchKey
{
    public static string Of(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>A column header or choice as an identifier: folded, every run of other characters one '_' ("Độ sâu (cm)" → "do_sau_cm").</summary>
    public static string Identifier(string header)
    {
        var plain = Of(header.Trim());
        var sb = new StringBuilder(plain.Length);
        foreach (var c in plain)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return string.Join('_', sb.ToString().Split('_', StringSplitOptions.RemoveEmptyEntries));
    }
}
