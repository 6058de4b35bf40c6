using System.Text;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hotspots.Tests.Attachments;

[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AttachmentsBrowserTests(DashboardApp app)
{
    [Fact]
    public async Task On_a_phone_two_photos_bring_their_place_the_open_record_there_is_shown_and_takes_the_photos_kept_clean()
    {
        // An open flooded drain in Sóc Sơn; the person taps the map some 220 m north of it, where nothing is open.
        await SqlAsync("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('flooding', 'Ngập cống chợ Phù Lỗ', 3, 'verified', now(), ST_SetSRID(ST_MakePoint(105.81000, 21.27500), 4326), 'test:photos', 'p1')
            ON CONFLICT DO NOTHING
            """);
        try
        {
            await RunAsync();
        }
        finally
        {
            // The other dashboard tests count the real records: this one leaves with the test.
            await SqlAsync("DELETE FROM hotspots WHERE source = 'test:photos'");
        }
    }

    private async Task SqlAsync(string sql)
    {
        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("hotspots-photos-").FullName;
        var photos = new[] { "cong-1.jpg", "cong-2.jpg" }.Select((name, i) =>
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, TestPhotos.Jpeg(640 + i, 480, new TestPhotos.Exif(21.27505, 105.81003, "2026:12:01 07:40:00")));
            return path;
        }).ToArray();

        var page = await app.OpenAsync("?layers=flooding&lat=21.27700&lon=105.81000&z=17", width: 390, height: 844);
        await page.Locator("#add-hotspot").ClickAsync();
        var box = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(page.Locator("#new-photos")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#new-nearby")).ToHaveCountAsync(0);

        await page.Locator("#new-photos").SetInputFilesAsync(photos);
        await Assertions.Expect(page.Locator("[data-pending]")).ToHaveCountAsync(2);
        var proposal = page.Locator("#new-photo-place");
        await Assertions.Expect(proposal).ToContainTextAsync("cong-1.jpg chụp tại 21.27505, 105.81003");
        await Assertions.Expect(proposal).ToContainTextAsync("lúc 07:40 01/12/2026");
        await page.Locator("#new-photo-use").ClickAsync();
        var warning = page.Locator("#new-nearby");
        await Assertions.Expect(warning).ToContainTextAsync("Ngập cống chợ Phù Lỗ");
        await Assertions.Expect(page.Locator("[data-picked]")).ToHaveTextAsync("21.27505, 105.81003");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "photos-phone.png") });

        // The same problem: the two photos go to the record already open there, which opens.
        var existing = long.Parse((await warning.Locator("[data-nearby]").First.GetAttributeAsync("data-nearby"))!, System.Globalization.CultureInfo.InvariantCulture);
        await warning.Locator($"[data-link-photos='{existing}']").ClickAsync();
        var panel = page.Locator($"[data-hotspot-panel='{existing}']");
        await Assertions.Expect(panel).ToContainTextAsync("Ngập cống chợ Phù Lỗ");
        await Assertions.Expect(panel.Locator("[data-attachment]")).ToHaveCountAsync(2);
        await Assertions.Expect(panel.Locator("[data-attachment]").First).ToContainTextAsync("Chụp lúc 07:40 01/12/2026");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "photos-linked-phone.png") });
        foreach (var src in new[] { await panel.Locator("[data-attachment] img").First.GetAttributeAsync("src"),
                                    await panel.Locator("[data-attachment] a").First.GetAttributeAsync("href") })
        {
            var served = await page.APIRequest.GetAsync(app.BaseUrl + src);
            Assert.Equal(200, served.Status);
            var bytes = await served.BodyAsync();
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("Exif")) < 0, $"{src} still has an EXIF block");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(TestPhotos.Make)) < 0, $"{src} still names the camera");
        }
        await page.CloseAsync();
    }
}
