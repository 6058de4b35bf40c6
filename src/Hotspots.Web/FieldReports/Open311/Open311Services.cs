using Hotspots.Layers;

namespace Hotspots.FieldReports.Open311;

/// <summary>One Open311 service: a layer's catalogued kind, or the layer itself for a report that names no kind.</summary>
public sealed record Open311Service(string Code, string NameVi, string NameEn, Layer Layer, string? Kind);

/// <summary>The services a client may report to: for each of the five layers, the layer and each of its kinds.</summary>
public static class Open311Services
{
    public static readonly IReadOnlyList<Open311Service> All =
    [
        .. LayerCatalog.All.Where(l => l.Category is not null).SelectMany(l =>
            new[] { new Open311Service(l.Id, l.NameVi, l.NameEn, l, null) }.Concat(
                SubtypeCatalog.All.Where(k => k.LayerId == l.Id).Select(k => new Open311Service(k.Id, k.NameVi, k.NameEn, l, k.Id)))),
    ];

    public static Open311Service? Find(string? code) => All.FirstOrDefault(s => s.Code == code);
}
