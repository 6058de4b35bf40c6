using System.Text;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Hotspots.Imports.Reading;

/// <summary>
/// CSV as ward staff export it: comma, semicolon or tab separated (guessed from the header line), quoted fields
/// with newlines inside, any of the encodings <see cref="TextDecoding"/> knows. Rows are numbered as in a
/// spreadsheet (the header is row 1). A row with broken quoting is reported, not guessed at.
/// </summary>
public static class CsvSource
{
    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding, char Delimiter) Read(byte[] bytes) =>
        Read(new MemoryStream(bytes, writable: false));

    /// <summary>Reads from a seekable stream (the run's file spooled to disk): nothing but the current row is held.</summary>
    public static (IReadOnlyList<string> Header, IEnumerable<SourceRow> Rows, string Encoding, char Delimiter) Read(Stream stream)
    {
        var (encoding, skip, encodingName) = TextDecoding.Detect(stream);
        stream.Position = skip;
        var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var firstLine = (text.ReadLine() ?? "").Normalize(NormalizationForm.FormC);
        text.BaseStream.Position = skip;
        text.DiscardBufferedData();
        var delimiter = new[] { ',', ';', '\t' }.MaxBy(d => firstLine.Count(c => c == d));
        if (firstLine.Length == 0 || !firstLine.Contains(delimiter))
        {
            throw new UnreadableFileException("Tệp CSV không có dòng tiêu đề với các cột phân tách bằng dấu phẩy hoặc chấm phẩy.",
                "The CSV file has no header line with comma- or semicolon-separated columns.");
        }
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
        };
        var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader())
        {
            throw new UnreadableFileException("Tệp CSV trống.", "The CSV file is empty.");
        }
        var header = csv.HeaderRecord!.Select(h => h.Trim().Normalize(NormalizationForm.FormC)).ToArray();
        return (header, Rows(csv, header), encodingName, delimiter);
    }

    // Cheap for text that is already NFC (nearly all of it): only 1258 and some Mac tools need the work.
    private static string Nfc(string v) => v.IsNormalized(NormalizationForm.FormC) ? v : v.Normalize(NormalizationForm.FormC);

    private static IEnumerable<SourceRow> Rows(CsvReader csv, string[] header)
    {
        using (csv)
        {
            var number = 1;
            while (true)
            {
                bool more;
                string? broken = null;
                try
                {
                    more = csv.Read();
                }
                catch (CsvHelperException e)
                {
                    more = false;
                    broken = e.Message;
                }
                number++;
                if (broken is not null)
                {
                    yield return new SourceRow(number, new Dictionary<string, string?>(), null, "csv");
                    yield break;
                }
                if (!more)
                {
                    yield break;
                }
                var cells = new Dictionary<string, string?>(header.Length, StringComparer.Ordinal);
                for (var c = 0; c < header.Length; c++)
                {
                    cells[header[c]] = csv.TryGetField<string>(c, out var v) && !string.IsNullOrWhiteSpace(v) ? Nfc(v) : null;
                }
                if (cells.Values.All(v => v is null))
                {
                    continue; // blank line
                }
                yield return new SourceRow(number, cells);
            }
        }
    }
}
