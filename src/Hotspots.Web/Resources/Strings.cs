namespace Hotspots.Resources;

/// <summary>Marker for the UI text resources (Strings.resx is Vietnamese, Strings.en.resx English).</summary>
public sealed class Strings;
