using Hotspots.Layers;

namespace Hotspots.Ogc;

/// <summary>One collection of the OGC API: a map layer (five hotspot layers, the key projects) or the ward boundaries.</summary>
public sealed record OgcCollection(string Id, string Title, string TitleEn, Layer? Layer)
{
    public bool IsWards => Layer is null;
    public bool HasTime => Layer?.Category is not null;
}

/// <summary>The collections, in the map's layer order, then the wards.</summary>
public static class OgcCollections
{
    public const string Wards = "wards";

    // Hanoi's extent (the 126 units with a margin) in CRS84: what a client zooms to before the first request.
    public static readonly double[] Extent = [105.28, 20.56, 106.03, 21.39];

    public static readonly IReadOnlyList<OgcCollection> All =
        [.. LayerCatalog.All.Select(l => new OgcCollection(l.Id, l.NameVi, l.NameEn, l)), new(Wards, "Ranh giới phường, xã", "Ward and commune boundaries", null)];

    public static OgcCollection? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
