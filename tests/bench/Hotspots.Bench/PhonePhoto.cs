using SkiaSharp;

/// <summary>
/// A photo as a phone's camera takes one: 4000 × 3000 pixels, a scene of smooth areas with grain, JPEG at quality
/// 92 — about 5 MB, the size issue 18's target names. Seeded, so every run sends the same picture.
/// </summary>
internal static class PhonePhoto
{
    public static byte[] Jpeg()
    {
        const int width = 4000, height = 3000;
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = bitmap.GetPixelSpan();
        var random = new Random(18);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var grain = random.Next(-21, 22);
                var i = (y * width + x) * 4;
                var sky = y < height * 0.55;
                pixels[i] = Clamp((sky ? 120 + y / 40 : 70 + x / 60) + grain);
                pixels[i + 1] = Clamp((sky ? 160 + y / 50 : 80 + (x ^ y) % 40) + grain);
                pixels[i + 2] = Clamp((sky ? 210 : 110 + y / 60) + grain);
                pixels[i + 3] = 255;
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
