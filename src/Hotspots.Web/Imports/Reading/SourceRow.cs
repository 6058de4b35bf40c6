using NetTopologySuite.Geometries;

namespace Hotspots.Imports.Reading;

/// <summary>
/// One row (or feature) of a file as read: its number as the clerk sees it (spreadsheet row, feature index),
/// its cells by the file's own column names, and a geometry when the format carries one.
/// </summary>
public sealed record SourceRow(int Number, IReadOnlyDictionary<string, string?> Cells, Geometry? Geometry = null, string? GeometryError = null);

/// <summary>A file that cannot be read at all (the run fails with this message).</summary>
public sealed class UnreadableFileException(string messageVi, string messageEn) : Exception(messageEn)
{
    public string MessageVi { get; } = messageVi;
}
