namespace Hotspots.Imports.Reading;

/// <summary>Opens an uploaded file by its extension, and takes its first rows aside without reading it twice.</summary>
public static class ImportFile
{
    /// <summary>More columns than any field sheet has: a file with more is refused before a row is read (each row is a map of them).</summary>
    public const int MaxColumns = 500;

    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) Read(string fileName, Stream content, string? sheet, List<string> notes)
    {
        var read = ReadAny(fileName, content, sheet, notes);
        if (read.Header.Count > MaxColumns)
        {
            (read.Rows as IDisposable)?.Dispose();
            throw new UnreadableFileException($"Tệp có {read.Header.Count:N0} cột, nhiều hơn giới hạn {MaxColumns} cột.",
                $"The file has {read.Header.Count:N0} columns, more than the limit of {MaxColumns}.");
        }
        return read;
    }

    private static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding) ReadAny(string fileName, Stream content, string? sheet, List<string> notes)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        switch (ext)
        {
            case ".geojson" or ".json":
                return GeoJsonSource.Read(content);
            case ".xlsx":
                // A workbook is read whole (a zip needs its directory at the end); CSV and GeoJSON are streamed.
                var bytes = new byte[content.Length - content.Position];
                content.ReadExactly(bytes);
                return XlsxSource.Read(bytes, sheet);
            case ".csv" or ".txt" or ".tsv":
                var (header, rows, encoding, delimiter) = CsvSource.Read(content);
                notes.Add($"Dấu phân cách: '{(delimiter == '\t' ? "tab" : delimiter.ToString())}'");
                return (header, rows, encoding);
            default:
                throw new UnreadableFileException($"Định dạng '{ext}' không được hỗ trợ; dùng CSV, XLSX hoặc GeoJSON.", $"Unsupported format '{ext}'; use CSV, XLSX or GeoJSON.");
        }
    }

    /// <summary>The first <paramref name="count"/> rows, and every row (those first ones again, then the rest, read once).</summary>
    public static (IReadOnlyList<SourceRow> Sample, IEnumerable<SourceRow> All) Peek(IEnumerable<SourceRow> rows, int count)
    {
        var e = rows.GetEnumerator();
        var sample = new List<SourceRow>(count);
        var more = true;
        while (sample.Count < count && (more = e.MoveNext()))
        {
            sample.Add(e.Current);
        }
        return (sample, Rest());

        IEnumerable<SourceRow> Rest()
        {
            using (e)
            {
                foreach (var row in sample)
                {
                    yield return row;
                }
                while (more && e.MoveNext())
                {
                    yield return e.Current;
                }
            }
        }
    }
}
