using System.Text;
using SkiaSharp;

namespace Hotspots.Tests.Attachments;

/// <summary>
/// Photos as a phone sends them: pixels encoded by Skia, then an EXIF block (APP1) put in front as a camera writes
/// it — the device (Make, Model), how it was held (Orientation), when (DateTimeOriginal, OffsetTimeOriginal) and
/// where (GPS latitude and longitude as degrees, minutes, seconds). Written by hand here so the test knows every byte.
/// </summary>
public static class TestPhotos
{
    public const string Make = "CanhSatCamera", Model = "Model-Z9-Ha-Noi";

    public sealed record Exif(double Lat, double Lon, string TakenAt = "2026:11:30 08:15:00", string? Offset = "+07:00", ushort Orientation = 1);

    /// <summary>A JPEG whose left half is red and right half blue (so turning it can be seen), noise when <paramref name="noisy"/> (a big file).</summary>
    public static byte[] Jpeg(int width, int height, Exif? exif = null, bool noisy = false, int quality = 90)
    {
        using var bitmap = Picture(width, height, noisy);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        var jpeg = data.ToArray();
        return exif is null ? jpeg : [.. jpeg.AsSpan(0, 2), .. App1(exif), .. jpeg.AsSpan(2)];
    }

    public static byte[] Png(int width, int height)
    {
        using var bitmap = Picture(width, height, false);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static SKBitmap Picture(int width, int height, bool noisy)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = bitmap.GetPixelSpan();
        var random = new Random(7);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var n = noisy ? (byte)random.Next(0, 90) : (byte)0;
                var i = (y * width + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = x < width / 2 ? ((byte)(165 + n), n, n, (byte)255) : (n, n, (byte)(165 + n), (byte)255);
            }
        }
        return bitmap;
    }

    // TIFF, little-endian: IFD0 (device, orientation, pointers) → Exif IFD (time) → GPS IFD (place), values after each.
    private static byte[] App1(Exif e)
    {
        var ifd0 = new List<Entry> { Ascii(0x010F, Make), Ascii(0x0110, Model), new(0x0112, 3, 1, BitConverter.GetBytes((uint)e.Orientation)), Long(0x8769, 0), Long(0x8825, 0) };
        var exif = new List<Entry> { Ascii(0x9003, e.TakenAt) };
        if (e.Offset is not null)
        {
            exif.Add(Ascii(0x9011, e.Offset));
        }
        var gps = new List<Entry> { Ascii(0x0001, e.Lat >= 0 ? "N" : "S"), Dms(0x0002, Math.Abs(e.Lat)), Ascii(0x0003, e.Lon >= 0 ? "E" : "W"), Dms(0x0004, Math.Abs(e.Lon)) };
        var exifAt = 8 + Size(ifd0);
        var gpsAt = exifAt + Size(exif);
        ifd0[3] = Long(0x8769, (uint)exifAt);
        ifd0[4] = Long(0x8825, (uint)gpsAt);
        var tiff = new List<byte>("II"u8.ToArray()) { 0x2A, 0x00 };
        tiff.AddRange(BitConverter.GetBytes(8u));
        Write(tiff, ifd0, 8);
        Write(tiff, exif, exifAt);
        Write(tiff, gps, gpsAt);
        var body = new List<byte>("Exif\0\0"u8.ToArray());
        body.AddRange(tiff);
        var length = body.Count + 2;
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. body];
    }

    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Value);

    private static Entry Ascii(ushort tag, string text) => new(tag, 2, (uint)text.Length + 1, [.. Encoding.ASCII.GetBytes(text), 0]);

    private static Entry Long(ushort tag, uint value) => new(tag, 4, 1, BitConverter.GetBytes(value));

    // Degrees, minutes and seconds as three rationals (seconds to 1/1000).
    private static Entry Dms(ushort tag, double value)
    {
        var degrees = (uint)value;
        var minutes = (uint)((value - degrees) * 60);
        var seconds = (uint)Math.Round(((value - degrees) * 60 - minutes) * 60 * 1000);
        uint[] parts = [degrees, 1, minutes, 1, seconds, 1000];
        return new Entry(tag, 5, 3, parts.SelectMany(BitConverter.GetBytes).ToArray());
    }

    private static int Size(List<Entry> entries) => 2 + 12 * entries.Count + 4 + entries.Where(e => e.Value.Length > 4).Sum(e => Even(e.Value.Length));

    private static int Even(int n) => n + (n & 1);

    private static void Write(List<byte> tiff, List<Entry> entries, int at)
    {
        var extra = at + 2 + 12 * entries.Count + 4;
        var values = new List<byte>();
        tiff.AddRange(BitConverter.GetBytes((ushort)entries.Count));
        foreach (var e in entries)
        {
            tiff.AddRange(BitConverter.GetBytes(e.Tag));
            tiff.AddRange(BitConverter.GetBytes(e.Type));
            tiff.AddRange(BitConverter.GetBytes(e.Count));
            if (e.Value.Length <= 4)
            {
                tiff.AddRange(e.Value.Concat(new byte[4 - e.Value.Length]));
            }
            else
            {
                tiff.AddRange(BitConverter.GetBytes((uint)(extra + values.Count)));
                values.AddRange(e.Value);
                if ((e.Value.Length & 1) == 1)
                {
                    values.Add(0);
                }
            }
        }
        tiff.AddRange(BitConverter.GetBytes(0u));
        tiff.AddRange(values);
    }
}
