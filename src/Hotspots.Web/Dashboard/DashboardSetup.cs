namespace Hotspots.Dashboard;

/// <summary>The planners' and ward leads' page (its route is on DashboardPage): the queries beside its map.</summary>
public static class DashboardSetup
{
    public static void AddDashboard(this WebApplicationBuilder builder) => builder.Services.AddSingleton<DashboardQueries>();
}
