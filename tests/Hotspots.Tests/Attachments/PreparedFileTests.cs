using System.Text;
using Hotspots.Attachments;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using SkiaSharp;

namespace Hotspots.Tests.Attachments;

[Trait("Category", "Unit")]
public sealed class PreparedFileTests
{
    // Hoàn Kiếm Lake, as a phone at the Turtle Tower would write it.
    private const double Lat = 21.028611, Lon = 105.852222;

    [Fact]
    public void A_photos_place_and_time_are_read_from_its_exif_to_propose_the_records()
    {
        var (file, problem) = PreparedFile.From(TestPhotos.Jpeg(64, 48, new TestPhotos.Exif(Lat, Lon)));

        Assert.Null(problem);
        Assert.Equal("photo", file!.Kind);
        Assert.Equal(Lat, file.Hint.Lat!.Value, 5);
        Assert.Equal(Lon, file.Hint.Lon!.Value, 5);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.FromHours(7)), file.Hint.TakenAt);
    }

    [Fact]
    public void A_time_with_no_offset_is_read_as_hanois_and_one_with_an_offset_keeps_it()
    {
        var hanoi = PreparedFile.From(TestPhotos.Jpeg(16, 16, new TestPhotos.Exif(Lat, Lon, "2026:01:02 23:30:00", Offset: null))).File!;
        var paris = PreparedFile.From(TestPhotos.Jpeg(16, 16, new TestPhotos.Exif(Lat, Lon, "2026:01:02 23:30:00", Offset: "+01:00"))).File!;

        Assert.Equal(DateTimeOffset.Parse("2026-01-02T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture), hanoi.Hint.TakenAt);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T22:30:00Z", System.Globalization.CultureInfo.InvariantCulture), paris.Hint.TakenAt);
    }

    [Fact]
    public void No_stored_copy_keeps_the_cameras_place_device_or_any_exif_block()
    {
        var sent = TestPhotos.Jpeg(640, 480, new TestPhotos.Exif(Lat, Lon));
        Assert.Contains(Directories(sent), d => d is GpsDirectory); // the fixture does carry a place
        Assert.True(Contains(sent, TestPhotos.Make));

        var file = PreparedFile.From(sent).File!;

        foreach (var copy in new[] { file.Content, file.Thumbnail! })
        {
            var directories = Directories(copy);
            Assert.DoesNotContain(directories, d => d is GpsDirectory or ExifIfd0Directory or ExifSubIfdDirectory);
            Assert.False(Contains(copy, "Exif"));
            Assert.False(Contains(copy, TestPhotos.Make));
            Assert.False(Contains(copy, TestPhotos.Model));
        }
    }

    [Fact]
    public void A_photo_held_sideways_is_stored_upright()
    {
        // Orientation 6: the camera was turned a quarter clockwise; shown upright, its left (red) half is on top.
        var file = PreparedFile.From(TestPhotos.Jpeg(80, 40, new TestPhotos.Exif(Lat, Lon, Orientation: 6))).File!;

        Assert.Equal((40, 80), (file.Width, file.Height));
        using var stored = SKBitmap.Decode(file.Content);
        Assert.True(stored.GetPixel(20, 10).Red > 150 && stored.GetPixel(20, 10).Blue < 80, $"top is {stored.GetPixel(20, 10)}");
        Assert.True(stored.GetPixel(20, 70).Blue > 150 && stored.GetPixel(20, 70).Red < 80, $"bottom is {stored.GetPixel(20, 70)}");
    }

    [Fact]
    public void A_large_photo_is_kept_at_most_2048_pixels_wide_with_a_320_pixel_thumbnail()
    {
        var file = PreparedFile.From(TestPhotos.Jpeg(4000, 3000)).File!;

        Assert.Equal((2048, 1536), (file.Width, file.Height));
        using var thumb = SKBitmap.Decode(file.Thumbnail);
        Assert.Equal((320, 240), (thumb.Width, thumb.Height));
        using var codec = SKCodec.Create(new MemoryStream(file.Thumbnail!));
        Assert.Equal(SKEncodedImageFormat.Webp, codec.EncodedFormat);
    }

    [Fact]
    public void The_type_comes_from_the_content_not_the_name()
    {
        Assert.Equal("image/png", PreparedFile.From(TestPhotos.Png(20, 10)).File!.ContentType);
        Assert.Equal("application/pdf", PreparedFile.From(TestPhotos.Pdf()).File!.ContentType);
        Assert.Equal(AttachmentProblem.NotAllowedType, PreparedFile.From(Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")).Problem);
        Assert.Equal(AttachmentProblem.NotAllowedType, PreparedFile.From(Encoding.UTF8.GetBytes("GIF89a not really")).Problem);
        Assert.Equal(AttachmentProblem.Empty, PreparedFile.From([]).Problem);
    }

    [Fact]
    public void A_photo_cut_off_in_transit_is_refused_rather_than_stored_half_grey()
    {
        var whole = TestPhotos.Jpeg(400, 300, noisy: true);

        Assert.Equal(AttachmentProblem.Unreadable, PreparedFile.From(whole[..(whole.Length / 2)]).Problem);
    }

    [Fact]
    public void A_file_name_is_cleaned_of_folders_and_control_characters_and_ends_as_its_content()
    {
        Assert.Equal("anh-hien-truong.jpg", AttachmentStore.CleanName("C:\\Users\\a\\anh-hien-truong.png", "image/jpeg"));
        Assert.Equal("bien-ban.pdf", AttachmentStore.CleanName("../../bien-ban\u0007.pdf", "application/pdf"));
        Assert.Equal("tep.png", AttachmentStore.CleanName(".png", "image/png"));
    }

    private static IReadOnlyList<MetadataExtractor.Directory> Directories(byte[] bytes) => ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));

    private static bool Contains(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;
}
