using System.Text;

namespace Hotspots.Imports.Reading;

/// <summary>
/// Turns a file's bytes into text: UTF-8 (with or without BOM), UTF-16 (by its BOM), else Windows-1258, the
/// Vietnamese code page older Excel and ward systems still write. Always NFC afterwards: 1258 and some Mac
/// tools write tone marks as separate combining characters.
/// </summary>
public static class TextDecoding
{
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The file's encoding and where its text starts (after any BOM), without decoding it: a reader can then
    /// stream the text (a 100 MB CSV never becomes one 200 MB string). Text read this way still needs NFC.
    /// </summary>
    public static (Encoding Encoding, int Skip, string Name) Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(false), 3, "UTF-8 (BOM)");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2, "UTF-16 LE");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2, "UTF-16 BE");
        }
        return System.Text.Unicode.Utf8.IsValid(bytes) ? (new UTF8Encoding(false), 0, "UTF-8") : (Encoding.GetEncoding(1258), 0, "Windows-1258");
    }

    /// <summary>
    /// The same for a file on disk (or any seekable stream), in one pass and without holding it: the BOM from its
    /// first bytes, else a strict UTF-8 decode of the whole stream in small chunks. The stream is left at its start.
    /// </summary>
    public static (Encoding Encoding, int Skip, string Name) Detect(Stream stream)
    {
        Span<byte> head = stackalloc byte[3];
        var n = stream.ReadAtLeast(head, 3, throwOnEndOfStream: false);
        stream.Position = 0;
        var bom = Detect(head[..n]);
        if (bom.Skip > 0)
        {
            return bom;
        }
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[64 * 1024 + 4];
        try
        {
            int read;
            while ((read = stream.Read(bytes)) > 0)
            {
                decoder.GetChars(bytes.AsSpan(0, read), chars, flush: false);
            }
            decoder.GetChars([], chars, flush: true);
            return (new UTF8Encoding(false), 0, "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.GetEncoding(1258), 0, "Windows-1258");
        }
        finally
        {
            stream.Position = 0;
        }
    }

    public static (string Text, string EncodingName) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Encoding.UTF8.GetString(bytes[3..]).Normalize(NormalizationForm.FormC), "UTF-8 (BOM)");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode.GetString(bytes[2..]).Normalize(NormalizationForm.FormC), "UTF-16 LE");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode.GetString(bytes[2..]).Normalize(NormalizationForm.FormC), "UTF-16 BE");
        }
        try
        {
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            return (strict.GetString(bytes).Normalize(NormalizationForm.FormC), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.GetEncoding(1258).GetString(bytes).Normalize(NormalizationForm.FormC), "Windows-1258");
        }
    }
}
