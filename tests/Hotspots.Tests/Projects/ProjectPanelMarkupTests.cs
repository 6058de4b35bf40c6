using System.Globalization;
using Hotspots.Projects;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hotspots.Tests.Projects;

/// <summary>Markup of dashboard components rendered with the framework's HtmlRenderer (no browser needed).</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class ProjectPanelMarkupTests(HotspotsApp app)
{
    // Returns the markup with entities decoded, so assertions read as the page does.
    private async Task<string> Render<T>(Dictionary<string, object?> parameters, string culture, string role = Hotspots.Accounts.Roles.Viewer) where T : IComponent
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddLocalization()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(app.Services.GetRequiredService<NpgsqlDataSource>())
            .AddSingleton<ProjectQueries>()
            .AddSingleton<ProjectImpacts>()
            .AddSingleton(app.Services.GetRequiredService<Hotspots.Projects.ProjectEditor>())
            .AddSingleton(app.Services.GetRequiredService<Hotspots.Accounts.Audit>())
            .AddSingleton(app.Services.GetRequiredService<Hotspots.Accounts.Callers>())
            .AddSingleton<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>(await SignedInAs.CreateAsync(app.Services, role))
            .AddScoped<Hotspots.Accounts.SignedIn>()
            .AddSingleton<Microsoft.JSInterop.IJSRuntime, NoScriptRuntime>()
            .BuildServiceProvider();
        return await Markup.RenderAsync<T>(services, parameters, culture);
    }

    [Fact]
    public async Task Only_planners_get_the_project_edit_form()
    {
        Assert.Contains("id=\"project-edit\"", await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "vi", Hotspots.Accounts.Roles.Planner), StringComparison.Ordinal);
        Assert.DoesNotContain("project-edit", await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "vi", Hotspots.Accounts.Roles.Viewer), StringComparison.Ordinal);
        Assert.DoesNotContain("data-milestone-done", await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "vi", Hotspots.Accounts.Roles.WardLead), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_panel_lists_milestones_wards_and_marks_sample_figures()
    {
        var html = await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "vi");
        Assert.Contains("data-project-panel=\"metro-3\"", html, StringComparison.Ordinal);
        Assert.Contains("Đường sắt đô thị tuyến 3 Nhổn – Ga Hà Nội", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("<li class=\"hs-", StringSplitOptions.None).Length - 1);
        Assert.Contains("Số liệu tiến độ là dữ liệu mẫu.", html, StringComparison.Ordinal);
        Assert.Contains("Phường", html, StringComparison.Ordinal); // wards crossed, by full name
    }

    [Fact]
    public async Task Project_panel_charts_the_months_before_during_and_after_its_works()
    {
        var html = await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "vi");
        Assert.Contains("data-impact=\"metro-3\"", html, StringComparison.Ordinal);
        Assert.Contains("Trước, trong và sau thi công", html, StringComparison.Ordinal);
        Assert.Contains("data-phase=\"before\"", html, StringComparison.Ordinal); // 24 months before the start at least
        Assert.Contains("Điểm phát sinh trong phạm vi 500 m quanh dự án", html, StringComparison.Ordinal);
        // No placeholder of a resource meant for another sentence ("{0} … {1} m") reaches the panel.
        Assert.DoesNotContain("{0}", html, StringComparison.Ordinal);
        Assert.Contains("Điểm đang mở gần dự án, trong phạm vi", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_panel_speaks_english_from_its_resources()
    {
        var html = await Render<ProjectPanel>(new() { ["ProjectId"] = "metro-3" }, "en");
        Assert.Contains("Metro Line 3 Nhon – Hanoi Station", html, StringComparison.Ordinal);
        Assert.Contains("Milestones", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mốc tiến độ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_project_renders_nothing()
    {
        var html = await Render<ProjectPanel>(new() { ["ProjectId"] = "no-such-project" }, "vi");
        Assert.Equal("", html.Trim());
    }
}
