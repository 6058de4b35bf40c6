using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;

namespace Hotspots.Imports.Reading;

/// <summary>
/// An Excel workbook (.xlsx): the first sheet or a named one, the first non-empty row as the header. The archive
/// is measured before anything is extracted (entry count, uncompressed size, compression ratio), so a zip bomb is
/// refused with a clear message. Formulas are never evaluated: a cell shows the value Excel saved, and text that
/// looks like a formula stays text.
/// </summary>
public static class XlsxSource
{
    public const int MaxEntries = 10_000;
    // Worksheets are read as a stream, so they may be large; the shared strings are held in memory whole by the
    // reader, and every other part (styles, workbook, relationships) is small in any real workbook.
    public const long MaxUncompressedBytes = 600L * 1024 * 1024;
    public const long MaxSharedStringsBytes = 64L * 1024 * 1024;
    public const long MaxOtherPartBytes = 16L * 1024 * 1024;
    public const int MaxRatio = 200;

    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) Read(byte[] bytes, string? sheet)
    {
        Check(bytes);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var stream = new MemoryStream(bytes, writable: false);
        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        }
        catch (Exception e) when (Damaged(e))
        {
            throw Unreadable(e);
        }
        if (sheet is not null)
        {
            while (!string.Equals(reader.Name?.Trim(), sheet.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                if (!Step(reader.NextResult))
                {
                    reader.Dispose();
                    throw new UnreadableFileException($"Không có trang tính tên '{sheet}'.", $"There is no sheet named '{sheet}'.");
                }
            }
        }
        var number = 0;
        string[]? header = null;
        while (header is null && Step(reader.Read))
        {
            number++;
            var cells = Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i))?.Trim() ?? "").ToArray();
            if (cells.Any(c => c.Length > 0))
            {
                header = cells.Select((c, i) => c.Length > 0 ? c : $"column{i + 1}").ToArray();
            }
        }
        if (header is null)
        {
            reader.Dispose();
            throw new UnreadableFileException("Trang tính trống.", "The sheet is empty.");
        }
        return (header, Rows(reader, header, number), "XLSX (UTF-8)");
    }

    // What a damaged or hostile workbook throws from inside the reader: XML that ends early or is not XML, a DTD
    // (refused, so no entity expansion), a zip that is not one. All are the file's fault, said as such.
    private static bool Damaged(Exception e) =>
        e is InvalidDataException or System.Xml.XmlException or ExcelDataReader.Exceptions.HeaderException or InvalidOperationException
            or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or EndOfStreamException or NotSupportedException;

    private static UnreadableFileException Unreadable(Exception e) => e is System.Xml.XmlException xml
        ? new UnreadableFileException($"Tệp Excel bị hỏng: {xml.Message}", $"The Excel file is damaged: {xml.Message}")
        : new UnreadableFileException("Tệp Excel không đọc được.", "The Excel file cannot be read.");

    private static bool Step(Func<bool> next)
    {
        try
        {
            return next();
        }
        catch (Exception e) when (Damaged(e))
        {
            throw Unreadable(e);
        }
    }

    private static void Check(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new UnreadableFileException($"Tệp Excel có quá {MaxEntries:N0} thành phần.", $"The Excel file has more than {MaxEntries:N0} parts.");
            }
            var total = 0L;
            foreach (var e in zip.Entries)
            {
                total += e.Length;
                if (total > MaxUncompressedBytes || (e.CompressedLength > 0 && e.Length / e.CompressedLength > MaxRatio && e.Length > 10 * 1024 * 1024))
                {
                    throw new UnreadableFileException("Tệp Excel giải nén ra quá lớn (nghi là tệp nén độc hại).", "The Excel file expands too much when unpacked (a zip bomb?).");
                }
                var name = e.FullName.Replace('\\', '/');
                if (name.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase) && e.Length > MaxSharedStringsBytes)
                {
                    throw new UnreadableFileException(
                        $"Phần chữ dùng chung của tệp Excel quá lớn (trên {MaxSharedStringsBytes / 1024 / 1024} MB khi giải nén); hãy lưu trang tính thành CSV rồi nhập.",
                        $"The Excel file's shared strings are too large (over {MaxSharedStringsBytes / 1024 / 1024} MB unpacked); save the sheet as CSV and import that.");
                }
                if (!name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && !name.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase)
                    && e.Length > MaxOtherPartBytes)
                {
                    throw new UnreadableFileException($"Tệp Excel có thành phần '{name}' quá lớn khi giải nén.", $"The Excel file's part '{name}' is too large unpacked.");
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new UnreadableFileException("Tệp Excel bị hỏng hoặc không phải .xlsx.", "The Excel file is damaged or not an .xlsx.");
        }
    }

    private static IEnumerable<SourceRow> Rows(IExcelDataReader reader, string[] header, int number)
    {
        using (reader)
        {
            while (Step(reader.Read))
            {
                number++;
                var cells = new Dictionary<string, string?>(header.Length, StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    var v = i < reader.FieldCount ? Text(reader.GetValue(i)) : null;
                    cells[header[i]] = string.IsNullOrWhiteSpace(v) ? null : v.Normalize(NormalizationForm.FormC);
                }
                if (cells.Values.All(v => v is null))
                {
                    continue;
                }
                yield return new SourceRow(number, cells);
            }
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
