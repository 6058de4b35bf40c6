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
        Assert.Matches("<fieldset class=\"hs-live\" disabled[^>]*>\\s*<div>[^<]*<label class=\"hs-file-pick\">\\s*<input[^>]*id=\"import-file\"", prerendered);
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

    [Fact]
    public async Task A_gauge_file_is_previewed_and_imported_in_the_page_with_its_columns_read_by_name()
    {
        var page = await app.OpenAsync();
        await page.GotoAsync($"{app.BaseUrl}/imports");
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        await page.Locator("#import-layer").SelectOptionAsync("rainfall");
        await Assertions.Expect(page.Locator("#import-crs")).ToBeHiddenAsync(); // a gauge file has no coordinates
        await page.Locator("#import-columns summary").ClickAsync();
        await Assertions.Expect(page.Locator("#import-columns li[data-import-column='Lượng mưa (mm)']")).ToBeVisibleAsync();
        const string csv = "Ngày,Mã trạm,Tên trạm,Lượng mưa (mm)\n10/10/2026,3,Ô Chợ Dừa,61.5\n10/10/2026,8,Lĩnh Nam,47\n11/10/2026,3,Ô Chợ Dừa,nhiều\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "mua-10-10.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(page.Locator("#import-how")).ToContainTextAsync("Tệp lượng mưa");
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-inserted", "2");
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-rejected", "1");
        await Assertions.Expect(page.Locator("#preview-rows")).ToContainTextAsync("Ô Chợ Dừa — 10/10/2026: 61.5 mm");
        Assert.Equal(0, await page.Locator(".hs-mapping").CountAsync()); // nothing to map: the columns are read by name
        Assert.Equal(0, await page.Locator("#import-remember").CountAsync());
        await page.Locator("#import-start").ClickAsync();
        var row = page.Locator("tr[data-run]").Filter(new LocatorFilterOptions { HasText = "mua-10-10.csv" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Lượng mưa (trạm đo)");
        await Assertions.Expect(row.Locator("[data-counts]")).ToContainTextAsync("+2");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_hotline_list_imported_in_the_page_reaches_the_triage_list_with_its_channels_in_words()
    {
        var page = await app.OpenAsync();
        await page.GotoAsync($"{app.BaseUrl}/imports");
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        await page.Locator("#import-layer").SelectOptionAsync("field-reports");
        // An outer commune's hotline (Sóc Sơn): the callers' names and phones go in, and stay out of every public answer.
        const string csv = "Thời gian tiếp nhận,Họ tên người phản ánh,Số điện thoại,Lĩnh vực,Nội dung phản ánh,Vĩ độ,Kinh độ,Kênh tiếp nhận\n"
            + "02/12/2025 08:15,Nguyễn Văn Canary,0912 000 111,Giao thông,Xe tải đỗ chắn lối vào chợ Phù Lỗ,21.25500,105.85100,Tổng đài 1022\n"
            + "02/12/2025 09:40,,,Phản ánh chung,Đèn đường tắt cả tuần ở thôn Đông,21.25600,105.85200,Zalo\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "hotline-soc-son.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-inserted", "2");
        await page.Locator("#import-start").ClickAsync();
        var row = page.Locator("tr[data-run]").Filter(new LocatorFilterOptions { HasText = "hotline-soc-son.csv" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Phản ánh hiện trường");
        // The next list from the same source with the same columns is read with the mapping just confirmed, and says whose.
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "hotline-soc-son-2.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(page.Locator("#import-how")).ToContainTextAsync("Dùng ánh xạ đã lưu cho nguồn này (");
        await Assertions.Expect(page.Locator("#import-how")).ToContainTextAsync("@");
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-unchanged", "2");

        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "SELECT ward_code FROM field_reports WHERE text LIKE 'Xe tải đỗ chắn lối vào chợ Phù Lỗ%'");
        var ward = (string)(await cmd.ExecuteScalarAsync())!;
        await page.GotoAsync($"{app.BaseUrl}/reports");
        await Assertions.Expect(page.Locator("#report-ward")).ToBeEnabledAsync();
        await page.Locator("#report-ward").SelectOptionAsync(ward);
        var hotline = page.Locator("#reports tbody tr").Filter(new LocatorFilterOptions { HasText = "chợ Phù Lỗ" });
        await Assertions.Expect(hotline.Locator("[data-channel]")).ToHaveTextAsync("Đường dây nóng");
        await Assertions.Expect(hotline).ToContainTextAsync("Ùn tắc giao thông");
        var other = page.Locator("#reports tbody tr").Filter(new LocatorFilterOptions { HasText = "thôn Đông" });
        await Assertions.Expect(other.Locator("[data-channel]")).ToHaveTextAsync("Zalo");
        await Assertions.Expect(other).ToContainTextAsync("Khác");
        Assert.DoesNotContain(">other<", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "triage-imported.png") });
        // On a phone each report is a card that fits the screen (the table was wider than it).
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(page.Locator("#reports thead")).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<int>("document.querySelector('#reports').scrollWidth") <= 390);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "triage-phone.png") });
        await page.CloseAsync();
        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
    }

    [Fact]
    public async Task A_clerk_previews_an_unfamiliar_file_changes_a_column_imports_it_and_reads_an_all_rejected_run_in_the_page()
    {
        var page = await app.OpenAsync();
        await page.GotoAsync($"{app.BaseUrl}/imports");
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        // A newsroom's storm list: none of its column names is the template's. Outer communes (Sóc Sơn, Ba Vì).
        const string csv = "STT,Thời gian,Địa điểm ngập,Độ sâu (cm),Vĩ độ,Kinh độ,Ghi chú\n"
            + "1,10/09/2025 08:30,Ngập đường 35 Sóc Sơn,40,21.25500,105.85100,Nước rút chậm\n"
            + "2,10/09/2025 09:00,Ngập tỉnh lộ 87,25,21.11000,105.52000,Xe chết máy\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "bao-ngap.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        var proposal = page.Locator("#import-proposal");
        await Assertions.Expect(proposal).ToHaveAttributeAsync("data-how", "proposal");
        await Assertions.Expect(proposal.Locator("tr[data-field=title]")).ToHaveAttributeAsync("data-column", "Địa điểm ngập");
        await Assertions.Expect(proposal.Locator("tr[data-field=lat]")).ToHaveAttributeAsync("data-column", "Vĩ độ");
        await Assertions.Expect(proposal.Locator("tr[data-field=depth_cm]")).ToHaveAttributeAsync("data-column", "Độ sâu (cm)");
        await Assertions.Expect(proposal.Locator("tr[data-field=title] [data-confidence]")).ToHaveTextAsync("Cao");
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-inserted", "2");
        await Assertions.Expect(page.Locator("#preview-rows tr[data-preview-row='2'] td").Nth(2)).ToContainTextAsync("Sóc Sơn");
        await Assertions.Expect(page.Locator("#preview-map circle[data-point]")).ToHaveCountAsync(2);
        await page.SetViewportSizeAsync(1400, 900);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "import-preview.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "import-preview-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1400, 900);

        // The clerk prefers the notes as the title: the preview follows at once, and the mapping is now theirs.
        await proposal.Locator("select[data-map-field=title]").SelectOptionAsync("Ghi chú");
        await Assertions.Expect(proposal).ToHaveAttributeAsync("data-how", "person");
        await Assertions.Expect(page.Locator("#preview-rows tr[data-preview-row='2'] td").Nth(1)).ToHaveTextAsync("Nước rút chậm");
        await proposal.Locator("select[data-map-field=title]").SelectOptionAsync("Địa điểm ngập");
        await Assertions.Expect(page.Locator("#preview-rows tr[data-preview-row='2'] td").Nth(1)).ToHaveTextAsync("Ngập đường 35 Sóc Sơn");
        await page.Locator("#import-start").ClickAsync();
        var row = page.Locator("tr[data-run]").Filter(new LocatorFilterOptions { HasText = "bao-ngap.csv" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-outcome", "succeeded", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("[data-counts]")).ToContainTextAsync("+2");
        await Assertions.Expect(row).ToContainTextAsync("“Địa điểm ngập” → Tiêu đề");

        // A file of which nothing is accepted is said to be so, and its rejects are read in the page, by reason, a page at a time.
        var bad = new StringBuilder("Tên,Vĩ độ,Kinh độ,Mức độ,Trạng thái\n");
        for (var i = 1; i <= 25; i++)
        {
            bad.Append(System.Globalization.CultureInfo.InvariantCulture, $"Điểm {i},21.25500,105.85100,{(i <= 20 ? "9" : "3")},{(i <= 20 ? "mới" : "xong")}\n");
        }
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "toan-loi.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(bad.ToString()) });
        await Assertions.Expect(page.Locator("#preview-counts")).ToHaveAttributeAsync("data-rejected", "25");
        await Assertions.Expect(page.Locator("#preview-reasons li")).ToHaveCountAsync(2);
        await page.Locator("#import-start").ClickAsync();
        var failed = page.Locator("tr[data-run]").Filter(new LocatorFilterOptions { HasText = "toan-loi.csv" });
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-outcome", "none", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(failed).ToContainTextAsync("Không nhận dòng nào");
        await failed.Locator("button[data-show-rejects]").ClickAsync();
        var rejects = page.Locator(".hs-rejects");
        await Assertions.Expect(rejects.Locator("tr[data-reject-row]")).ToHaveCountAsync(20);
        await Assertions.Expect(rejects.Locator("[data-reject-range]")).ToHaveTextAsync("1–20 / 25");
        await rejects.Locator("button[data-reject-next]").ClickAsync();
        await Assertions.Expect(rejects.Locator("tr[data-reject-row]")).ToHaveCountAsync(5);
        await rejects.Locator("select[data-reject-reason]").SelectOptionAsync(new SelectOptionValue { Index = 2 });
        await Assertions.Expect(rejects.Locator("tr[data-reject-row]")).ToHaveCountAsync(5);
        await Assertions.Expect(rejects.Locator("tr[data-reject-row]").First).ToContainTextAsync("Trạng thái không hợp lệ");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "import-rejects.png"), FullPage = true });
        await page.CloseAsync();
        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
    }
}
