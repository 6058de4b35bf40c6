using System.Globalization;

namespace Hotspots.Components.Shared;

/// <summary>The language a component renders in (set per request or circuit by DashboardSetup's localization).</summary>
public static class UiCulture
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
}
