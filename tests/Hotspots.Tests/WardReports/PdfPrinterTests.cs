using Hotspots.Hosting;
using Hotspots.WardReports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;

namespace Hotspots.Tests.WardReports;

/// <summary>The optional PDF printer: off when no Chromium is configured, and a real PDF from Debian's Chromium when it is.</summary>
[Trait("Category", "Browser")]
public sealed class PdfPrinterTests
{
    private static PdfPrinter Printer(string chromium) => new(Options.Create(new HotspotsOptions { PdfChromium = chromium }), NullLogger<PdfPrinter>.Instance);

    [Theory]
    [InlineData("")]
    [InlineData("/nowhere/chromium")]
    public async Task Without_chromium_printing_is_off_and_says_so(string path)
    {
        var printer = Printer(path);
        Assert.False(printer.Available);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => printer.PrintAsync("<p>x</p>", default));
        Assert.Contains("HOTSPOTS_PDF_CHROMIUM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_pages_of_vietnamese_print_as_two_pages()
    {
        var bytes = await Printer("/usr/bin/chromium").PrintAsync("""
            <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>@page { size: A4 } p { break-after: page }</style></head>
            <body><p>Phường Hoàn Kiếm — trang một</p><p>Xã Sóc Sơn — trang hai</p></body></html>
            """, default);
        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal(2, pdf.NumberOfPages);
        Assert.Contains("Phường Hoàn Kiếm", pdf.GetPage(1).Text, StringComparison.Ordinal);
        Assert.Contains("Xã Sóc Sơn", pdf.GetPage(2).Text, StringComparison.Ordinal);
    }
}
