using System.Net;
using Microsoft.AspNetCore.Hosting;
using System.Text.RegularExpressions;
using Hotspots.Tests.Infrastructure;
using UglyToad.PdfPig;
using ZXing.Common;
using ZXing.QrCode.Internal;

namespace Hotspots.Tests.WardReports;

/// <summary>The cultural-house poster: a page and a PDF at A3 and A4 whose QR code opens the ward's live public map.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed partial class WardPosterTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    /// <summary>Reads the QR code back from QRCoder's SVG runs ("M{x} {y}h{w}v1h-{w}z") and decodes it with ZXing.</summary>
    private static string DecodeQr(string html)
    {
        var svg = html[html.IndexOf("<div class=\"qr\"", StringComparison.Ordinal)..];
        var size = int.Parse(ViewBox().Match(svg).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        const int quiet = 4;
        var bits = new BitMatrix(size - 2 * quiet);
        foreach (Match m in Run().Matches(svg[..svg.IndexOf("</svg>", StringComparison.Ordinal)]))
        {
            var (x, y, w) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
            for (var i = 0; i < w; i++)
            {
                bits[x + i - quiet, y - quiet] = true;
            }
        }
        return new Decoder().decode(bits, null)?.Text ?? throw new InvalidOperationException("the QR code does not decode");
    }

    [GeneratedRegex("viewBox=\"0 0 (\\d+) \\d+\"")]
    private static partial Regex ViewBox();

    [GeneratedRegex("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z")]
    private static partial Regex Run();

    [Fact]
    public async Task The_qr_code_opens_the_live_public_map_of_the_ward()
    {
        using var page = await _client.GetAsync("/print/ward/00004?size=A4");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var url = DecodeQr(html);
        Assert.EndsWith("/embed?ward=00004", url, StringComparison.Ordinal);
        Assert.Contains(url, html, StringComparison.Ordinal); // printed under the code as well
        using var anonymous = app.Server.CreateClient();
        using var embed = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);
    }

    [Fact]
    public async Task The_qr_code_prints_the_configured_public_address_never_the_requests_host()
    {
        // Hardening (issue 15, item 19): the Host header is the caller's to write.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/print/ward/00004?size=A4");
        request.Headers.Host = "evil.example";
        using var page = await _client.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();
        Assert.StartsWith(HotspotsApp.PublicUrl + "/embed", DecodeQr(html), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);

        // With no public address configured there is no code to print, and the poster says why.
        await using var unset = app.WithWebHostBuilder(b => b.UseSetting("LOAD_ON_START", "false").UseSetting("PUBLIC_URL", ""));
        using var client = unset.CreateClient();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/print/ward/00004?size=A4");
        again.Headers.Host = "evil.example";
        var plain = await (await client.SendAsync(again)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("data-qr-url", plain, StringComparison.Ordinal);
        Assert.Contains("địa chỉ công khai", System.Net.WebUtility.HtmlDecode(plain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_poster_shows_only_what_the_public_map_shows()
    {
        var html = WebUtility.HtmlDecode(await _client.GetStringAsync("/print/ward/00004"));
        var counts = (await app.CreateClient().JsonAsync("/api/public/stats/wards")).GetProperty("wards").EnumerateArray()
            .Single(w => w.GetProperty("code").GetString() == "00004");
        var open = counts.GetProperty("categories").GetProperty("urban-order").GetProperty("open").GetInt32();
        Assert.Contains($"data-legend-layer=\"urban-order\"><i style=\"background:#ff7f00\"></i>Trật tự đô thị: <strong>{open}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("data-size=\"A3\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Household-level records are drawn at their 250 m cell centres, as on the public map.
        Assert.Contains("làm mờ theo ô 250 m", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A3", 297, 420)]
    [InlineData("A4", 210, 297)]
    public async Task The_pdf_is_one_page_of_the_chosen_size(string size, double widthMm, double heightMm)
    {
        using var response = await _client.GetAsync($"/api/print/ward/00004.pdf?size={size}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.Combine(TestDatabase.RepositoryRoot, "tests", "TestResults", $"poster-{size}.pdf"), bytes);
        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal(1, pdf.NumberOfPages);
        var page = pdf.GetPage(1);
        Assert.Equal(widthMm, page.Width / 72 * 25.4, 0);
        Assert.Equal(heightMm, page.Height / 72 * 25.4, 0);
        Assert.Contains("Phường Ba Đình", page.Text, StringComparison.Ordinal);
        Assert.Contains("Quét mã", page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/print/ward/00004?size=A0", "size")]
    [InlineData("/print/ward/99999", "code")]
    [InlineData("/api/print/ward/00004.png", "format")]
    public async Task Bad_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
