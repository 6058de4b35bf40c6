namespace Hotspots.Imports;

/// <summary>
/// A run's rejected rows, written to a temporary file as they are found and read back once to be copied into
/// import_rejects: the connection is busy copying the good rows meanwhile, and a file of a million bad rows must
/// not be a million objects in memory. The file goes when the spool is disposed (and with the process).
/// </summary>
public sealed class RejectSpool : IDisposable
{
    private readonly FileStream _file = new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
        FileOptions.DeleteOnClose | FileOptions.SequentialScan);
    private readonly BinaryWriter _writer;

    public RejectSpool() => _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);

    public int Count { get; private set; }

    public void Add(Reject reject)
    {
        _writer.Write(reject.Row);
        WriteOptional(reject.Column);
        WriteOptional(reject.Value is { Length: > MaxValue } v ? v[..MaxValue] : reject.Value);
        _writer.Write(reject.ReasonVi);
        _writer.Write(reject.ReasonEn);
        Count++;
    }

    /// <summary>The value as stored: the first 200 characters of what the cell held.</summary>
    public const int MaxValue = 200;

    /// <summary>Every reject in the order added; read once, after the last Add.</summary>
    public IEnumerable<Reject> ReadAll()
    {
        _writer.Flush();
        _file.Position = 0;
        using var reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        for (var i = 0; i < Count; i++)
        {
            yield return new Reject(reader.ReadInt32(), ReadOptional(reader), ReadOptional(reader), reader.ReadString(), reader.ReadString());
        }
    }

    private void WriteOptional(string? text)
    {
        _writer.Write(text is not null);
        if (text is not null)
        {
            _writer.Write(text);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
