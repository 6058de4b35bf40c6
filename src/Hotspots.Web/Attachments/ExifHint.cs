using System.Globalization;
using Hotspots.Calendar;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Hotspots.Attachments;

/// <summary>
/// Where and when a camera says a photo was taken (EXIF GPS and DateTimeOriginal), to propose a new record's place
/// and time. Read from the file as sent; the stored copy carries none of it. A time with no offset is Hanoi's.
/// </summary>
public sealed record ExifHint(double? Lon, double? Lat, DateTimeOffset? TakenAt)
{
    public static readonly ExifHint None = new(null, null, null);

    private const int DateTimeOriginal = 0x9003, OffsetTimeOriginal = 0x9011;

    public bool HasPlace => Lon is not null && Lat is not null;

    public static ExifHint Read(byte[] bytes)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException or IndexOutOfRangeException)
        {
            return None; // a broken EXIF block proposes nothing; the picture itself was readable
        }
        var place = directories.OfType<GpsDirectory>().Select(g => g.GetGeoLocation()).FirstOrDefault(g => g is { IsZero: false });
        DateTimeOffset? taken = null;
        foreach (var exif in directories.OfType<ExifSubIfdDirectory>())
        {
            if (exif.TryGetDateTime(DateTimeOriginal, out var wallClock))
            {
                var written = exif.GetString(OffsetTimeOriginal); // "+07:00"
                taken = written is { Length: 6 } && written[0] is '+' or '-'
                    && TimeSpan.TryParseExact(written[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset)
                    ? new DateTimeOffset(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), written[0] == '-' ? -offset : offset)
                    : HanoiTime.At(wallClock);
                break;
            }
        }
        var usable = place is { } p && double.IsFinite(p.Latitude) && double.IsFinite(p.Longitude) && Math.Abs(p.Latitude) <= 90 && Math.Abs(p.Longitude) <= 180;
        return new ExifHint(usable ? place!.Longitude : null, usable ? place!.Latitude : null, taken);
    }
}
