namespace Hotspots.Projects;

public static class ProjectsSetup
{
    public static void AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProjectEditor>();
        builder.Services.AddSingleton<ProjectQueries>();
        builder.Services.AddSingleton<ProjectImpacts>();
    }

    public static void MapProjects(this WebApplication app)
    {
        app.MapProjectEditApi();
        // Before, during and after (ProjectImpacts): counts of records near a project, nothing personal — public.
        app.MapGet("/api/public/projects/{id}/impact", async (string id, ProjectImpacts impacts, CancellationToken ct) =>
                await impacts.OfAsync(id, ct) is { } impact ? Results.Ok(impact) : Results.NotFound())
            .RequireRateLimiting(Public.PublicApi.RatePolicy).AllowAnonymous();
    }
}
