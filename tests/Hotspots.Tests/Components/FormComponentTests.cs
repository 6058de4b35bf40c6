using System.Globalization;
using System.Security.Claims;
using Bunit;
using Hotspots.Accounts;
using Hotspots.Records;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Components;

/// <summary>
/// The new-record form and the record panel's edit form, driven with bunit over the real services (PostGIS behind
/// them), signed in as the ward lead of Đống Đa: what they refuse, what they say, and what they write.
/// </summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class FormComponentTests : IDisposable
{
    private readonly PeopleApp _app;
    private readonly BunitContext _ctx = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public FormComponentTests(PeopleApp app)
    {
        _app = app;
        _ctx.Services.AddLocalization();
        _ctx.Services.AddSingleton(TimeProvider.System);
        foreach (var type in new[] { typeof(HotspotEditor), typeof(HotspotRecords), typeof(NearbyRecords), typeof(Callers), typeof(Hotspots.Attachments.AttachmentStore) })
        {
            _ctx.Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }
        _ctx.Services.AddScoped<SignedIn>();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose; // the panel asks the page to bring its title into view
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi");
    }

    public void Dispose()
    {
        _ctx.Dispose();
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = _culture;
    }

    private async Task SignInAsync(string role)
    {
        await using var cmd = _app.DataSource.CreateCommand("SELECT security_stamp::text FROM users WHERE id = @id");
        cmd.Parameters.AddWithValue("id", _app.UserIds[role]);
        var stamp = (string)(await cmd.ExecuteScalarAsync())!;
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _app.UserIds[role].ToString(CultureInfo.InvariantCulture)), new Claim(Callers.StampClaim, stamp));
    }

    [Fact]
    public async Task The_new_record_form_refuses_another_ward_and_a_missing_title_and_creates_in_its_own()
    {
        await SignInAsync("ward_lead");
        var (lon, lat) = _app.Inside[PeopleApp.BaDinh];
        var elsewhere = _ctx.Render<NewHotspotForm>(p => p.Add(x => x.Lat, lat).Add(x => x.Lon, lon));
        await elsewhere.InvokeAsync(() => elsewhere.Find("#new-title").Change("Ngập sau mưa")); // found and changed in one render: the form re-renders as its nearby records arrive
        await elsewhere.Find("#new-hotspot").SubmitAsync();
        elsewhere.WaitForAssertion(() => Assert.Contains("không thuộc phạm vi được giao", elsewhere.Find("#new-message").TextContent, StringComparison.Ordinal));

        (lon, lat) = _app.Inside[PeopleApp.DongDa];
        long? created = null;
        var own = _ctx.Render<NewHotspotForm>(p => p.Add(x => x.Lat, lat).Add(x => x.Lon, lon).Add(x => x.Created, id => created = id));
        await own.Find("#new-hotspot").SubmitAsync(); // no title
        own.WaitForAssertion(() => Assert.Contains("cần tiêu đề", own.Find("#new-message").TextContent, StringComparison.Ordinal));
        Assert.Null(created);

        await own.InvokeAsync(() => own.Find("#new-title").Change("Ngập sau mưa — thử bunit"));
        await own.InvokeAsync(() => own.Find("#new-deadline").Change("31/12/2026"));
        await own.Find("#new-hotspot").SubmitAsync();
        own.WaitForAssertion(() => Assert.NotNull(created));
        await using var cmd = _app.DataSource.CreateCommand("SELECT ward_code || ' ' || to_char(deadline, 'YYYY-MM-DD') FROM hotspots WHERE id = @id");
        cmd.Parameters.AddWithValue("id", created!.Value);
        Assert.Equal($"{PeopleApp.DongDa} 2026-12-31", await cmd.ExecuteScalarAsync() as string);
    }

    [Fact]
    public async Task A_new_record_is_made_with_the_photos_picked_in_its_form_and_a_file_that_is_no_photo_is_named()
    {
        await SignInAsync("ward_lead");
        var (lon, lat) = _app.Inside[PeopleApp.DongDa];
        long? created = null;
        var form = _ctx.Render<NewHotspotForm>(p => p.Add(x => x.Lat, lat).Add(x => x.Lon, lon).Add(x => x.Created, id => created = id));
        form.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(Hotspots.Tests.Attachments.TestPhotos.Jpeg(200, 150), "hien-truong.jpg", contentType: "image/jpeg"),
            InputFileContent.CreateFromText("không phải ảnh", "ghi-chu.jpg", contentType: "image/jpeg"));
        form.WaitForAssertion(() => Assert.Single(form.FindAll("[data-pending]")));
        Assert.Contains("ghi-chu.jpg: Chỉ nhận ảnh JPEG", form.Find("[data-photo-message]").TextContent, StringComparison.Ordinal);

        form.Find("#new-title").Change("Rác tồn ngõ 5 — có ảnh");
        await form.Find("#new-hotspot").SubmitAsync();
        form.WaitForAssertion(() => Assert.NotNull(created));
        await using var cmd = _app.DataSource.CreateCommand("SELECT string_agg(file_name, ',') FROM attachments WHERE hotspot_id = @id");
        cmd.Parameters.AddWithValue("id", created!.Value);
        Assert.Equal("hien-truong.jpg", await cmd.ExecuteScalarAsync() as string);
    }

    [Fact]
    public async Task The_new_record_form_shows_open_records_nearby_before_saving_and_opens_one_instead()
    {
        await SignInAsync("ward_lead");
        var open = await _app.NewHotspotAsync(PeopleApp.DongDa, "flooding");
        var (lon, lat) = _app.Inside[PeopleApp.DongDa];
        long? opened = null;
        var form = _ctx.Render<NewHotspotForm>(p => p.Add(x => x.Lat, lat + 0.0003).Add(x => x.Lon, lon).Add(x => x.Open, id => opened = id));
        form.WaitForElement($"#new-nearby li[data-nearby='{open}']");
        Assert.Contains("trong vòng 150 m", form.Find("#new-nearby").TextContent, StringComparison.Ordinal);
        Assert.Contains("33 m", form.Find($"li[data-nearby='{open}']").TextContent, StringComparison.Ordinal);
        // Urban order's distance is 50 m: the flooded point is not one of its duplicates.
        form.Find("#new-layer").Change("urban-order");
        form.WaitForAssertion(() => Assert.Empty(form.FindAll($"li[data-nearby='{open}']")));
        form.Find("#new-layer").Change("flooding");
        form.WaitForElement($"li[data-nearby='{open}'] button");
        await form.Find($"li[data-nearby='{open}'] button").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        Assert.Equal(open, opened);
    }

    [Fact]
    public async Task The_record_panel_refuses_an_overlong_outcome_and_saves_the_six_clear_with_its_history()
    {
        await SignInAsync("ward_lead");
        var id = await _app.NewHotspotAsync(PeopleApp.DongDa);
        var panel = _ctx.Render<HotspotPanel>(p => p.Add(x => x.HotspotId, id));
        panel.WaitForElement("#hotspot-edit");
        Assert.Equal("chưa rõ", panel.Find("[data-record-assignee]").TextContent.Trim());

        // Each field found and changed in one render (InvokeAsync), as bUnit advises: the panel re-renders as its photos
        // and history arrive, and a loaded CI run changed the outcome through a handler that had just been replaced.
        await panel.InvokeAsync(() => panel.Find("#edit-result").Change(new string('x', 1001)));
        await panel.InvokeAsync(() => panel.Find("#hotspot-edit").SubmitAsync());
        panel.WaitForAssertion(() => Assert.Contains("tối đa 1000 ký tự", panel.Find("#edit-message").TextContent, StringComparison.Ordinal));

        await panel.InvokeAsync(() => panel.Find("#edit-result").Change("Hết ngập khi mưa 50 mm"));
        await panel.InvokeAsync(() => panel.Find("#edit-assignee").Change("Lê Thị Mai"));
        await panel.InvokeAsync(() => panel.Find("#edit-authority").Change("UBND phường Đống Đa"));
        await panel.InvokeAsync(() => panel.Find("#hotspot-edit").SubmitAsync());
        panel.WaitForAssertion(() => Assert.Equal("Lê Thị Mai", panel.Find("[data-record-assignee]").TextContent.Trim()));
        Assert.Equal("UBND phường Đống Đa", panel.Find("[data-record-authority]").TextContent.Trim());
        Assert.Equal(3, panel.FindAll("#record-history li[data-history-field]").Count);
    }
}
