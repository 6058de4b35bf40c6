using System.Text;
using System.Text.RegularExpressions;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hotspots.Tests.Imports;

/// <summary>A ward clerk's import through the dashboard: pick a file, start, watch it finish, download the rejects.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ImportsBrowserTests(DashboardApp app)
{
    [Fact]
    public async Task A_clerk_uploads_a_file_sees_it_finish_and_downloads_the_rejected_rows()
    {
        var page = await app.OpenAsync();
        await page.Locator("#imports-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/imports$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Nhập dữ liệu hiện trường");
        // The page as first sent has its form off (a choice made then would be lost); live, it is on.
        var prerendered = await (await page.Context.APIRequest.GetAsync($"{app.BaseUrl}/imports")).TextAsync();
        Assert.Matches("<fieldset class=\"hs-live\" disabled[^>]*>\\s*<label>[^<]*<input[^>]*id=\"import-file\"", prerendered);
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#import-layer")).ToBeEnabledAsync();

        // Outer communes, away from the wards the other dashboard tests look at.
        const string csv = "Mã,Tiêu đề,Vĩ độ,Kinh độ,Mức độ\nB-1,Ùn tắc đường 35 Sóc Sơn,21.25500,105.85100,4\nB-2,Ùn tắc tỉnh lộ 87,21.11000,105.52000,3\nB-3,Thiếu tọa độ,,,2\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "un-tac-phuong.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.Locator("#import-layer").SelectOptionAsync("congestion");
        // What the layer's file may hold, and a template to start from, follow the chosen layer.
        await page.Locator("#import-columns summary").ClickAsync();
        await Assertions.Expect(page.Locator("#import-columns li[data-import-column='Nguyên nhân']")).ToContainTextAsync("một trong: Thi công, Rào chắn/lô cốt");
        await Assertions.Expect(page.Locator("#import-columns li[data-import-column='Loại']")).ToContainTextAsync("Ùn tắc tại nút giao, Ùn tắc đoạn đường");
        await Assertions.Expect(page.Locator("#import-template")).ToHaveAttributeAsync("href", "/api/imports/template/congestion.csv");
        await page.Locator("#import-start").ClickAsync();
        await Assertions.Expect(page.Locator(".hs-message")).ToContainTextAsync("un-tac-phuong.csv");
        var row = page.Locator("tr[data-run]").Filter(new LocatorFilterOptions { HasText = "un-tac-phuong.csv" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("[data-counts]")).ToContainTextAsync("+2");
        await Assertions.Expect(row.Locator("[data-counts]")).ToContainTextAsync("✗1");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "imports.png") });

        var href = await row.Locator("a[data-rejects]").GetAttributeAsync("href");
        using var http = app.PlannerHttp();
        var rejects = await http.GetStringAsync(app.BaseUrl + href);
        Assert.Contains("4,", rejects, StringComparison.Ordinal);
        Assert.Contains("Thiếu tọa độ", rejects, StringComparison.Ordinal);
        await page.CloseAsync();
        // The run's own snapshot refresh may still be going: finish it, so later tests see cells and counts agree.
        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
    }
}
