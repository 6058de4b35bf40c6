using System.Text.RegularExpressions;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Hotspots.Tests.Accounts;

/// <summary>
/// As a new user would check it: an admin creates a ward lead for Phường Đống Đa, the lead signs in, edits a
/// hotspot of Đống Đa (it shows in the history) and cannot edit one in Ba Đình.
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PeopleBrowserTests(DashboardApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // The other dashboard tests count what is on the map: leave it as it was (records made here, by hand or by
    // the pages, go again, and the snapshot is rebuilt).
    public async Task DisposeAsync()
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            DELETE FROM field_reports WHERE source = 'test-people';
            DELETE FROM hotspots WHERE source IN ('test-people', 'dashboard', 'field-report');
            """);
        await cmd.ExecuteNonQueryAsync();
        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
    }

    private const string DongDa = "00235", BaDinh = "00004";

    private async Task<long> HotspotInAsync(string ward)
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            SELECT 'urban_order', 'Lấn chiếm vỉa hè thử nghiệm', 3, 'reported', now(), ST_PointOnSurface(geom), 'test-people', gen_random_uuid()::text
            FROM current_wards WHERE code = @ward
            RETURNING id
            """);
        cmd.Parameters.AddWithValue("ward", ward);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string> StatusOfAsync(long id)
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT status FROM hotspots WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    // The page is live (its circuit runs the handlers) once the map module has drawn the wards.
    private async Task OpenLiveAsync(IPage page, string query)
    {
        await page.GotoAsync($"{app.BaseUrl}/{query}");
        await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
    }

    private async Task<IPage> NewPersonAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_a_right_one_opens_the_dashboard_until_sign_out()
    {
        var page = await NewPersonAsync();
        await page.GotoAsync($"{app.BaseUrl}/?layers=flooding");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/signin"));
        await page.FillAsync("#signin-email", DashboardApp.PlannerEmail);
        await page.FillAsync("#signin-password", "không-đúng-Mật-khẩu-1");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("Sai email hoặc mật khẩu.");

        await page.FillAsync("#signin-password", TestUsers.Password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("layers=flooding")); // back where they were going
        await Assertions.Expect(page.Locator("#user-name")).ToContainTextAsync("Cán bộ quy hoạch");
        await page.Locator("#signout").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/signin"));
        await page.GotoAsync($"{app.BaseUrl}/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/signin"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_makes_a_ward_lead_who_edits_in_their_ward_and_is_refused_in_another()
    {
        var adminEmail = $"admin-{Guid.NewGuid():N}@hotspots.test";
        await TestUsers.CreateAsync(app.Services, adminEmail, Roles.Admin);
        var own = await HotspotInAsync(DongDa);
        var other = await HotspotInAsync(BaDinh);

        // The admin creates the ward lead through the admin page.
        var admin = await NewPersonAsync();
        await app.SignInAsync(admin, adminEmail);
        await admin.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await admin.Locator("#admin-link").ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/admin$"));
        await admin.Locator("[data-live]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        // The sign-in log says in words how and with what result (the admin's own sign-in is in it), never a code.
        var ownSignIn = admin.Locator("tr[data-outcome=ok]").Filter(new LocatorFilterOptions { HasText = adminEmail }).First;
        await Assertions.Expect(ownSignIn).ToContainTextAsync("Mật khẩu");
        await Assertions.Expect(ownSignIn).ToContainTextAsync("Thành công");
        var leadEmail = $"dongda-{Guid.NewGuid():N}@hotspots.test";
        await admin.FillAsync("#new-email", leadEmail);
        await admin.FillAsync("#new-name", "Cán bộ Đống Đa");
        await admin.Locator("#new-role").SelectOptionAsync(Roles.WardLead);
        await admin.FillAsync("#ward-filter", "dong da");
        await Assertions.Expect(admin.Locator("#new-wards option")).ToHaveCountAsync(1);
        await admin.Locator("#new-wards").SelectOptionAsync([DongDa]);
        await admin.FillAsync("#new-password", TestUsers.Password);
        await admin.Locator("#new-user-create").ClickAsync();
        await Assertions.Expect(admin.Locator("#admin-message")).ToHaveTextAsync("Đã lưu.");
        await Assertions.Expect(admin.Locator($"tr[data-user='{leadEmail}']")).ToContainTextAsync("Đống Đa");
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "admin.png") });

        // The lead signs in: the dashboard opens on their ward.
        var lead = await NewPersonAsync();
        await app.SignInAsync(lead, leadEmail);
        await Assertions.Expect(lead.Locator($"[data-selected-ward='{DongDa}']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });

        // A hotspot of Đống Đa: the form is there, the change is saved and shows in the history.
        await OpenLiveAsync(lead, $"?h={own}");
        await Assertions.Expect(lead.Locator($"[data-hotspot-panel='{own}']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await lead.Locator("#edit-status").SelectOptionAsync("verified");
        await lead.FillAsync("#edit-unit", "Đội trật tự đô thị phường");
        await lead.FillAsync("#edit-note", "Đã kiểm tra tại chỗ");
        await lead.Locator("#edit-save").ClickAsync();
        await Assertions.Expect(lead.Locator("#edit-message")).ToHaveTextAsync("Đã lưu 2 thay đổi.");
        await Assertions.Expect(lead.Locator("[data-record-status]")).ToHaveAttributeAsync("data-record-status", "verified");
        var statusLine = lead.Locator("#record-history li[data-history-field='status']");
        await Assertions.Expect(statusLine).ToContainTextAsync(leadEmail);
        await Assertions.Expect(statusLine).ToContainTextAsync("Mới tiếp nhận → Đã xác minh");
        await Assertions.Expect(statusLine).ToContainTextAsync("Đã kiểm tra tại chỗ");
        Assert.Equal("verified", await StatusOfAsync(own));
        await lead.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "ward-lead-edit.png") });

        // A hotspot of Ba Đình: read only, no form.
        await OpenLiveAsync(lead, $"?h={other}");
        await Assertions.Expect(lead.Locator($"[data-hotspot-panel='{other}']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await Assertions.Expect(lead.Locator("#record-readonly")).ToBeVisibleAsync();
        await Assertions.Expect(lead.Locator("#hotspot-edit")).ToHaveCountAsync(0);

        // A form opened while the ward was theirs is refused once the admin has taken the ward away: the handler
        // asks the database, not the screen.
        await OpenLiveAsync(lead, $"?h={own}");
        await Assertions.Expect(lead.Locator("#hotspot-edit")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await admin.Locator($"button[data-edit-user='{leadEmail}']").ClickAsync();
        await admin.Locator("#edit-wards").SelectOptionAsync([BaDinh]);
        await admin.Locator("#edit-user-save").ClickAsync();
        await Assertions.Expect(admin.Locator("#admin-message")).ToHaveTextAsync("Đã lưu.");
        await lead.Locator("#edit-status").SelectOptionAsync("in_progress");
        await lead.Locator("#edit-save").ClickAsync();
        await Assertions.Expect(lead.Locator("#edit-message")).ToBeVisibleAsync();
        await Assertions.Expect(lead.Locator("#edit-message")).Not.ToContainTextAsync("Đã lưu");
        Assert.Equal("verified", await StatusOfAsync(own));
        await admin.Context.CloseAsync();
        await lead.Context.CloseAsync();
    }

    [Fact]
    public async Task A_planner_adds_a_hotspot_by_clicking_the_map_and_it_lands_in_the_ward_under_the_click()
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) p FROM current_wards WHERE code = @w) x");
        cmd.Parameters.AddWithValue("w", DongDa);
        double lat, lon;
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            await r.ReadAsync();
            (lat, lon) = (r.GetDouble(0), r.GetDouble(1));
        }
        var page = await app.OpenAsync(FormattableString.Invariant($"?layers=flooding&lat={lat:0.#####}&lon={lon:0.#####}&z=17"));
        await page.Locator("#add-hotspot").ClickAsync();
        await Assertions.Expect(page.Locator(".hs-map.hs-picking")).ToHaveCountAsync(1);
        var box = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Locator("#new-layer").SelectOptionAsync("flooding");
        await page.FillAsync("#new-title", "Ngập sau mưa lớn trước số 12");
        await page.Locator("#new-severity").SelectOptionAsync("4");
        await page.Locator("#new-create").ClickAsync();
        var panel = page.Locator("[data-hotspot-panel]");
        await Assertions.Expect(panel).ToContainTextAsync("Ngập sau mưa lớn trước số 12", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-record-ward]")).ToHaveAttributeAsync("data-record-ward", DongDa);
        await Assertions.Expect(page.Locator("#record-history li[data-history-field='created']")).ToContainTextAsync(DashboardApp.PlannerEmail);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_planner_changes_the_status_of_a_selection_in_the_ward_list_at_once()
    {
        var ids = new[] { await HotspotInAsync(BaDinh), await HotspotInAsync(BaDinh) };
        var page = await app.OpenAsync($"?ward={BaDinh}&layers=urban-order&status=all");
        foreach (var id in ids)
        {
            await page.Locator($"input[data-select='{id}']").CheckAsync();
        }
        await Assertions.Expect(page.Locator("#bulk-count")).ToHaveTextAsync("2");
        await page.Locator("#bulk-status").SelectOptionAsync("verified");
        await page.FillAsync("#bulk-note", "Kiểm tra đợt tháng 11");
        await page.Locator("#bulk-apply").ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-message")).ToHaveTextAsync("Đã lưu 2 thay đổi.");
        Assert.Equal("verified", await StatusOfAsync(ids[0]));
        Assert.Equal("verified", await StatusOfAsync(ids[1]));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Staff_triage_a_citizen_report_and_see_its_reporter()
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            WITH r AS (
                INSERT INTO field_reports (category, text, received_at, geom, source, external_id)
                SELECT 'flooding', 'Nước ngập ngang bánh xe ở ngõ 12', now(), ST_PointOnSurface(geom), 'test-people', gen_random_uuid()::text
                FROM current_wards WHERE code = @w RETURNING id),
            p AS (INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone) SELECT id, 'Phạm Thị D', '0900111222' FROM r)
            SELECT id FROM r
            """);
        cmd.Parameters.AddWithValue("w", BaDinh);
        var id = (long)(await cmd.ExecuteScalarAsync())!;
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { StorageState = app.PlannerState });
        await page.GotoAsync($"{app.BaseUrl}/");
        await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.Locator("#reports-link").ClickAsync();
        await page.Locator("[data-live]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var row = page.Locator($"tr[data-report='{id}']");
        await Assertions.Expect(row.Locator("[data-reporter]")).ToHaveTextAsync("Phạm Thị D 0900111222");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "reports.png") });
        await page.Locator($"button[data-convert='{id}']").ClickAsync();
        await Assertions.Expect(page.Locator("#triage-message")).ToHaveTextAsync("Đã lưu.");
        await Assertions.Expect(row).ToHaveCountAsync(0); // the list shows new reports; this one is now a hotspot
        await using var check = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT r.status, h.ward_code, h.category FROM field_reports r JOIN hotspots h ON h.id = r.hotspot_id WHERE r.id = @id");
        check.Parameters.AddWithValue("id", id);
        await using var result = await check.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(("converted", BaDinh, "flooding"), (result.GetString(0), result.GetString(1), result.GetString(2)));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_person_changes_their_own_password_after_giving_the_current_one()
    {
        var email = $"viewer-{Guid.NewGuid():N}@hotspots.test";
        var id = await TestUsers.CreateAsync(app.Services, email, Roles.Viewer);
        var tokens = app.Services.GetRequiredService<ApiTokens>();
        var kept = await tokens.IssueAsync(id, TimeSpan.FromDays(30), name: "Trạm đo mưa");
        var dropped = await tokens.IssueAsync(id, TimeSpan.FromDays(30));
        var page = await NewPersonAsync();
        await app.SignInAsync(page, email);
        await page.GotoAsync($"{app.BaseUrl}/account/password");
        await page.Locator("[data-live]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        // Their own tokens are listed (by name, never the token) and one is revoked with its button.
        await Assertions.Expect(page.Locator("#tokens tr[data-state=live]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"#tokens tr[data-token='{kept.Id}']")).ToContainTextAsync("Trạm đo mưa");
        await Assertions.Expect(page.Locator("#tokens")).Not.ToContainTextAsync(kept.Token);
        await page.Locator($"button[data-revoke-token='{dropped.Id}']").ClickAsync();
        await Assertions.Expect(page.Locator($"#tokens tr[data-token='{dropped.Id}']")).ToHaveAttributeAsync("data-state", "revoked");
        await Assertions.Expect(page.Locator("#tokens-message")).ToHaveTextAsync("Đã thu hồi mã.");
        Assert.Null(await tokens.FindAsync(dropped.Token));
        Assert.NotNull(await tokens.FindAsync(kept.Token));
        await page.FillAsync("#current-password", "Không-phải-mật-khẩu-9");
        await page.FillAsync("#new-password", "Hồ-Hoàn-Kiếm-2026!");
        await page.Locator("#password-save").ClickAsync();
        await Assertions.Expect(page.Locator("#password-message")).ToHaveTextAsync("Sai email hoặc mật khẩu.");
        await page.FillAsync("#current-password", TestUsers.Password);
        await page.FillAsync("#new-password", "Hồ-Hoàn-Kiếm-2026!");
        await page.Locator("#password-save").ClickAsync();
        await Assertions.Expect(page.Locator("#password-message")).ToHaveTextAsync("Đã đổi mật khẩu; hãy đăng nhập lại bằng mật khẩu mới.");
        Assert.Null(await tokens.FindAsync(kept.Token)); // the new password ends the token issued under the old one
        await page.Context.CloseAsync();

        var again = await NewPersonAsync();
        await app.SignInAsync(again, email, "Hồ-Hoàn-Kiếm-2026!");
        await Assertions.Expect(again.Locator("#user-name")).ToContainTextAsync("Người xem");
        // A viewer is offered nothing they may not open.
        await again.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        foreach (var link in new[] { "#imports-link", "#reports-link", "#admin-link", "#add-hotspot" })
        {
            await Assertions.Expect(again.Locator(link)).ToHaveCountAsync(0);
        }
        await again.Context.CloseAsync();
    }
}
