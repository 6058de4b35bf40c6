using System.Security.Cryptography;
using SkiaSharp;

namespace Hotspots.Attachments;

/// <summary>
/// A file as it will be stored: its kind and type read from its content (never from its name), a photo decoded,
/// turned upright and encoded again at most <see cref="MaxEdge"/> pixels wide — so nothing of the camera's
/// metadata (place, device, owner) survives in any copy served — with a thumbnail; a PDF kept as sent.
/// The place and time the camera wrote are returned beside it (<see cref="Hint"/>) to propose the record's.
/// </summary>
public sealed record PreparedFile(string Kind, string ContentType, byte[] Content, byte[]? Thumbnail, int? Width, int? Height,
    byte[] Sha256, ExifHint Hint)
{
    public const int MaxEdge = 2048, ThumbnailEdge = 320;

    // A decompression bomb is refused before its pixels are allocated.
    private const long MaxPixels = 60_000_000;

    /// <summary>Reads a file sent as an attachment, or says in both languages why it cannot be one.</summary>
    public static (PreparedFile? File, AttachmentProblem? Problem) From(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return (null, AttachmentProblem.Empty);
        }
        if (bytes.AsSpan().StartsWith("%PDF-"u8))
        {
            return (new PreparedFile("document", "application/pdf", bytes, null, null, null, SHA256.HashData(bytes), ExifHint.None), null);
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        var type = codec?.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => "image/jpeg",
            SKEncodedImageFormat.Png => "image/png",
            SKEncodedImageFormat.Webp => "image/webp",
            _ => null,
        };
        if (codec is null || type is null)
        {
            return (null, AttachmentProblem.NotAllowedType);
        }
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return (null, AttachmentProblem.TooManyPixels);
        }
        using var upright = Decode(codec);
        if (upright is null)
        {
            return (null, AttachmentProblem.Unreadable);
        }
        using var stored = Fit(upright, MaxEdge);
        using var thumb = Fit(upright, ThumbnailEdge);
        var format = codec.EncodedFormat;
        var content = Encode(stored ?? upright, format, 85);
        return (new PreparedFile("photo", type, content, Encode(thumb ?? upright, SKEncodedImageFormat.Webp, 75),
            (stored ?? upright).Width, (stored ?? upright).Height, SHA256.HashData(bytes), ExifHint.Read(bytes)), null);
    }

    // Decoded at the smallest size the codec offers that is still at least MaxEdge (a JPEG decodes at 1/2, 1/4… for
    // a fraction of the work), then turned as the camera said it was held.
    private static SKBitmap? Decode(SKCodec codec)
    {
        var longest = Math.Max(codec.Info.Width, codec.Info.Height);
        var size = longest > MaxEdge ? codec.GetScaledDimensions((float)MaxEdge / longest) : codec.Info.Size;
        if (Math.Max(size.Width, size.Height) < Math.Min(MaxEdge, longest))
        {
            size = codec.Info.Size;
        }
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            return null;
        }
        if (codec.EncodedOrigin == SKEncodedOrigin.TopLeft)
        {
            return bitmap;
        }
        using (bitmap)
        {
            return Orient(bitmap, codec.EncodedOrigin);
        }
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var (w, h) = ((float)source.Width, (float)source.Height);
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var turned = new SKBitmap(new SKImageInfo(sideways ? source.Height : source.Width, sideways ? source.Width : source.Height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(turned);
        // The canvas applies the last transform first: each case maps a source pixel (x, y) to where it belongs.
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Translate(w, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: canvas.Translate(w, h); canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: canvas.Translate(0, h); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(h, w); canvas.RotateDegrees(-90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(-90); break;
        }
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return turned;
    }

    // Null when the bitmap already fits.
    private static SKBitmap? Fit(SKBitmap bitmap, int edge)
    {
        var longest = Math.Max(bitmap.Width, bitmap.Height);
        if (longest <= edge)
        {
            return null;
        }
        var scale = (double)edge / longest;
        var size = new SKImageInfo(Math.Max(1, (int)Math.Round(bitmap.Width * scale)), Math.Max(1, (int)Math.Round(bitmap.Height * scale)),
            bitmap.ColorType, bitmap.AlphaType);
        return bitmap.Resize(size, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    // Skia's encoders write pixels only: no EXIF, XMP or IPTC block reaches the output.
    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, quality);
        return encoded.ToArray();
    }
}
