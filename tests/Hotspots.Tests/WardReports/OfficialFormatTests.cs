using System.Net;
using System.Net.Http.Json;
using Hotspots.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Hotspots.Tests.WardReports;

/// <summary>
/// Issue 21, part 4: the quarterly report in the administrative format of Decree 30/2020/NĐ-CP — national motto and
/// slogan, issuing body and number, place and date in words, title, recipients and signature block — with the
/// issuing body set per ward by an admin.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class OfficialFormatTests(HotspotsApp app)
{
    // PDF text comes out with line breaks closing up words ("côngkhai"): compare without white space.
    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public async Task A_wards_quarterly_report_prints_as_a_document_a_ward_can_file()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/reports/quarterly/00004.pdf");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var first = Squeeze(pdf.GetPage(1).Text);
        var hanoi = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).DateTime);
        foreach (var expected in new[]
                 {
                     "CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM", "Độclập-Tựdo-Hạnhphúc", "ỦYBANNHÂNDÂN", "PHƯỜNGBAĐÌNH", "/BC-UBND",
                     $"HàNội,ngày{hanoi.Day:00}tháng{(hanoi.Month < 3 ? hanoi.Month.ToString("00") : hanoi.Month.ToString())}năm{hanoi.Year}", "BÁOCÁO",
                 })
        {
            Assert.Contains(expected, first, StringComparison.Ordinal);
        }
        var last = Squeeze(pdf.GetPage(pdf.NumberOfPages).Text);
        foreach (var expected in new[] { "Nơinhận:", "TM.ỦYBANNHÂNDÂN", "CHỦTỊCH", "Lưu:VT." })
        {
            Assert.Contains(expected, last, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_sets_a_wards_issuing_body_and_its_reports_print_it_in_pdf_and_xlsx()
    {
        using var client = app.CreateClient(); // the planner here: not allowed
        var body = new
        {
            bodyLine1 = "ỦY BAN NHÂN DÂN", bodyLine2 = "PHƯỜNG HOÀN KIẾM", symbol = "BC-UBND.HK", place = "Hà Nội",
            signerFor = "KT. CHỦ TỊCH", signerTitle = "PHÓ CHỦ TỊCH", signerName = "Trần Thị Thử", recipients = new[] { "UBND Thành phố (để báo cáo);", "Lưu: VT, VP." },
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/api/admin/issuing-bodies/00070", body)).StatusCode);
        using var admin = app.CreateClient();
        TestUsers.Authorize(admin, await TestUsers.CreateWithTokenAsync(app.Services, $"admin-{Guid.NewGuid():N}@hotspots.test", Hotspots.Accounts.Roles.Admin));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/admin/issuing-bodies/99999", body)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/admin/issuing-bodies/00070", body with { symbol = "" })).StatusCode);
        using (var put = await admin.PutAsJsonAsync("/api/admin/issuing-bodies/00070", body))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var response = await client.GetAsync("/api/reports/quarterly/00070.pdf");
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("/BC-UBND.HK", Squeeze(pdf.GetPage(1).Text), StringComparison.Ordinal);
        var last = Squeeze(pdf.GetPage(pdf.NumberOfPages).Text);
        Assert.Contains("KT.CHỦTỊCH", last, StringComparison.Ordinal);
        Assert.Contains("TrầnThịThử", last, StringComparison.Ordinal);

        var sheet = Workbook.Read(await client.GetByteArrayAsync("/api/reports/quarterly/00070.xlsx"))["Báo cáo"];
        var cells = sheet.SelectMany(r => r).OfType<string>().ToList();
        Assert.Equal("ỦY BAN NHÂN DÂN", sheet[0][0]);
        Assert.Equal("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", sheet[0][3]);
        Assert.Contains("Độc lập - Tự do - Hạnh phúc", cells);
        Assert.Contains(cells, c => c.StartsWith("Hà Nội, ngày ", StringComparison.Ordinal));
        Assert.Contains("Nơi nhận:", cells);
        Assert.Contains("Trần Thị Thử", cells);
    }
}
