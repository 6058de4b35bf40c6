namespace Hotspots.Http;

/// <summary>CSV cells that every download writes alike (rejected rows, exports).</summary>
public static class CsvCell
{
    /// <summary>A CSV cell: quoted when needed, and a leading =, +, - or @ escaped so a spreadsheet shows it as text.</summary>
    public static string Of(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
