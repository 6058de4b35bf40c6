using Hotspots.Tests.Attachments;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hotspots.Tests.FieldReports;

[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class TriageBrowserTests(DashboardApp app)
{
    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_report_is_on_the_map_beside_the_list_found_by_words_without_diacritics_linked_and_its_photo_follows()
    {
        // A heap of rubbish reported by a citizen in Sóc Sơn, and the open record about it some 300 m away.
        var record = await ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('environment', 'Rác tồn đọng ngõ chợ Kim Anh', 3, 'verified', now(), ST_SetSRID(ST_MakePoint(105.80300, 21.26000), 4326), 'test:triage', 't1')
            RETURNING id
            """);
        var report = await ScalarAsync<long>("""
            INSERT INTO field_reports (category, text, received_at, geom, source, external_id)
            VALUES ('environment', 'Rác đổ đầy đầu ngõ, bốc mùi', now(), ST_SetSRID(ST_MakePoint(105.80000, 21.26000), 4326), 'test:triage', 'r1')
            RETURNING id
            """);
        var ward = await ScalarAsync<string>($"SELECT ward_code FROM field_reports WHERE id = {report}");
        try
        {
            var page = await app.OpenAsync();
            await page.GotoAsync($"{app.BaseUrl}/reports");
            await Assertions.Expect(page.Locator("#report-ward")).ToBeEnabledAsync();
            await page.Locator("#report-ward").SelectOptionAsync(ward);
            await Assertions.Expect(page.Locator($"#reports-map a[data-point-link='#report-{report}']")).ToHaveCountAsync(1);

            // A photo on the report, before it is triaged.
            // (A click that meets the list as it is drawn again — a new data version arrived — can be lost, as a person's
            // would be: they click again. The test does too, only while the panel is still shut.)
            var panel = page.Locator($"#report-attachments-{report}");
            for (var attempt = 0; attempt < 3 && await panel.CountAsync() == 0; attempt++)
            {
                await page.Locator($"[data-report-attachments='{report}']").ClickAsync();
                try
                {
                    await Assertions.Expect(panel).ToHaveCountAsync(1, new() { Timeout = 5000 });
                }
                catch (PlaywrightException)
                {
                }
            }
            var file = Path.Combine(Directory.CreateTempSubdirectory("hotspots-triage-").FullName, "rac.jpg");
            await File.WriteAllBytesAsync(file, TestPhotos.Jpeg(320, 240));
            await page.Locator($"#report-attachments-{report} input[type=file]").SetInputFilesAsync(file);
            await Assertions.Expect(page.Locator($"#report-attachments-{report} [data-attachment]")).ToHaveCountAsync(1);

            await page.Locator($"[data-link-search='{report}']").PressSequentiallyAsync("kim anh");
            var result = page.Locator($"[data-link-results='{report}'] [data-link-to='{record}']");
            await Assertions.Expect(result).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "triage-search.png") });
            await result.ClickAsync();
            await Assertions.Expect(page.Locator("#triage-message")).ToHaveClassAsync("hs-ok");

            Assert.Equal($"linked {record}", await ScalarAsync<string>($"SELECT status || ' ' || hotspot_id FROM field_reports WHERE id = {report}"));
            Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM attachments WHERE hotspot_id = {record} AND field_report_id = {report}"));
            await page.CloseAsync();
        }
        finally
        {
            await ScalarAsync<long>("""
                WITH r AS (DELETE FROM field_reports WHERE source = 'test:triage' RETURNING 1), h AS (DELETE FROM hotspots WHERE source = 'test:triage' RETURNING 1)
                SELECT (SELECT count(*) FROM r) + (SELECT count(*) FROM h)
                """);
        }
    }
}
