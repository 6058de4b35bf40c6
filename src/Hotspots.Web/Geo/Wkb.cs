using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Hotspots.Geo;

/// <summary>
/// A geometry's EWKB bytes, for the import's content hash only (they name a geometry exactly and cheaply). Geometry
/// crosses the Npgsql boundary as NTS types through Npgsql.NetTopologySuite, never as hand-made bytes.
/// </summary>
public static class Wkb
{
    private static readonly WKBWriter EwkbWriter = new(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false);

    /// <summary>EWKB with SRID 4326.</summary>
    public static byte[] WriteEwkb(Geometry geometry)
    {
        geometry.SRID = 4326;
        return EwkbWriter.Write(geometry);
    }
}
