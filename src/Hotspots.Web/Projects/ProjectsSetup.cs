namespace Hotspots.Projects;

public static class ProjectsSetup
{
    public static void AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProjectEditor>();
        builder.Services.AddSingleton<ProjectQueries>();
    }

    public static void MapProjects(this WebApplication app) => app.MapProjectEditApi();
}
